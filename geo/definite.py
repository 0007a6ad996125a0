"""Definite references to a place named earlier: "It transited the canal on Saturday",
"escorting them through the strait", "They left the city by bus", "reached this border city".

Stories name a place once and then call it "the canal", "the city"; those later sentences
often carry the movement claims, so the reference must reach the place. A canal, strait or
channel is followed back to the nearest one named before (an article rarely names two); "the
city", "the town", "the port" only to a town named in the same or the previous sentence or so
(``_NEAR_REACH``), the way a reader resolves them; "this city" in a wire story is the city of
its dateline ("TUMBES, Peru, July 12 (Reuters) - ... reached this border city").
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
_TOWN_REFERENCE = re.compile(r"\b[Tt]he (city|town|port|village)\b(?!['’]?s\b| of\b| [A-Z]|-)")
_NEAR_REACH = 300
_THIS_TOWN = re.compile(r"\bthis (?:[\w-]+ ){0,3}?(city|town|port|village|capital)\b(?!['’]?s\b| of\b)")
_DATELINE_AFTER = re.compile(r",[ \t]*(?:[A-Z][\w .'’-]*,[ \t]*)?[A-Z][a-z]{2,8}\.? \d{1,2}\b")


def with_definite_references(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` plus one for each "the canal", "the city", "this city" that refers to a place
    named before it (see the module docstring), in text order."""
    if not mentions:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    added = _waterways(text, mentions, taken) + _towns(text, mentions, taken)
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: (m.start, m.end))


def _overlaps(taken, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in taken)


def _referring(text: str, pattern: re.Pattern, taken, named) -> list[Mention]:
    """A mention, at each match of ``pattern`` outside a name ("the Suez Canal"), of the place
    ``named(match)`` says it refers to (a mention of it, or None)."""
    out: list[Mention] = []
    for ref in pattern.finditer(text):
        if _overlaps(taken, ref.start(), ref.end()):
            continue
        antecedent = named(ref)
        if antecedent is not None:
            out.append(replace(antecedent, start=ref.start(), end=ref.end(), surface=ref.group(0)))
    return out


def _last_before(candidates: list[Mention], pos: int, reach: int) -> Mention | None:
    before = [m for m in candidates if m.end <= pos and pos - m.end <= reach]
    return before[-1] if before else None


def _waterways(text: str, mentions: list[Mention], taken) -> list[Mention]:
    waters = [m for m in mentions if m.place is not None and m.place.kind == "water"]
    if not waters:
        return []
    return _referring(text, _REFERENCE, taken, lambda ref: _last_before(
        [m for m in waters if m.place.feature_code in _HEADS[ref.group(1)]], ref.start(), _REACH))


_AREA_WORD = re.compile(r"\s+(?:region|province|state|prefecture|district|county|oblast|governorate|division)\b")


def _towns(text: str, mentions: list[Mention], taken) -> list[Mention]:
    towns = [m for m in mentions if m.place is not None and m.place.kind == "city"
             and not _AREA_WORD.match(text, m.end)]  # "in Sagaing region": the region, whatever was found
    if not towns:
        return []
    added = _referring(text, _TOWN_REFERENCE, taken, lambda ref: _last_before(towns, ref.start(), _NEAR_REACH))
    home = _dateline_town(text, towns)
    if home is not None:
        added += _referring(text, _THIS_TOWN, taken, lambda ref: home)
    return added


def _dateline_town(text: str, towns: list[Mention]) -> Mention | None:
    """The town a wire story is filed from: "TUMBES, Peru, July 12 (ADW) -" opening a line."""
    for m in towns[:3]:
        line_start = text.rfind("\n", 0, m.start) + 1
        if not text[line_start:m.start].strip() and _DATELINE_AFTER.match(text, m.end):
            return m
    return None
