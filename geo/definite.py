"""Definite references to a waterway named earlier: "It transited the canal on Saturday",
"escorting them through the strait".

Stories about ships name a canal or strait once and then call it "the canal", "the strait";
those later sentences carry the movement claims, so the reference must reach the place. Only
kinds of place that an article rarely names two of are followed (a canal, a strait, a
channel), and only back to the nearest one named before, so "the city" or "the port", which
could be any of several, are left alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.model import Mention

# feature codes of the place each head noun may refer to
_HEADS = {
    "canal": ("CNL",),
    "waterway": ("CNL", "STRT"),
    "strait": ("STRT",),
    "straits": ("STRT",),
    "channel": ("CHN", "STRT"),
}
_REFERENCE = re.compile(r"\bthe (canal|waterway|straits?|channel)\b(?![ -]?[A-Z(])")
_REACH = 3000  # characters back to the name; further than that it is another story


def with_definite_references(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` plus one for each "the canal"/"the strait" that refers to the nearest
    waterway of that kind named before it, in text order."""
    if not mentions or "the " not in text:
        return mentions
    waters = [m for m in mentions if m.place is not None and m.place.kind == "water"]
    if not waters:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    added: list[Mention] = []
    for ref in _REFERENCE.finditer(text):
        start, end = ref.start(1), ref.end(1)
        if any(s < end and start < e for s, e in taken):
            continue  # inside a name ("the Suez Canal")
        codes = _HEADS[ref.group(1)]
        before = [m for m in waters if m.end <= ref.start() and ref.start() - m.end <= _REACH
                  and m.place.feature_code in codes]
        if before:
            added.append(replace(before[-1], start=start - 4, end=end, surface=text[start - 4:end]))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: (m.start, m.end))
