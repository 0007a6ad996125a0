"""Date expressions in news text, normalised against the publication date, for routes.

``find_timexes`` is what the event extractor uses: the TIMEX3 expressions that ``geo.timex``
finds (its TempEval-style extractor, also behind ``movemap timex``), reduced to what a route
needs — the calendar days each one covers:

* a range is one interval ("between 8 and 13 October", "Oct. 8-13", "Sunday or Monday" ->
  ``2024-10-08/2024-10-13``), where TimeML would annotate its two ends separately;
* a duration anchored at the publication date becomes the days it covers ("the past week",
  "in recent weeks" -> ``2024-10-11/2024-10-18``); other durations, sets and expressions
  without days (``P3D``, ``PRESENT_REF``, ``XXXX-WXX-5``) are left out.

Values follow TIMEX3; ``first``/``last`` are the days covered; precision 1 a day, 2 within a
week, 3 coarser.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from geo.model import Timex
from geo.timex import MONTHS, Hit, extract

_JOIN = re.compile(r"\s*(?:-|–|—|or|and|to|through|thru|until|till)\s*", re.I)


def _interval(a: date, b: date, precision: int) -> tuple[str, date, date, int]:
    if a > b:
        a, b = b, a
    if a == b:
        return a.isoformat(), a, b, 1
    if a.year == b.year and a.month == b.month and a.day == 1 and b.day == calendar.monthrange(b.year, b.month)[1]:
        return f"{a.year:04d}-{a.month:02d}", a, b, 3
    iso_a, iso_b = a.isocalendar(), b.isocalendar()
    if (iso_a[0], iso_a[1]) == (iso_b[0], iso_b[1]) and (b - a).days == 6:
        return f"{iso_a[0]:04d}-W{iso_a[1]:02d}", a, b, 2
    return f"{a.isoformat()}/{b.isoformat()}", a, b, precision


def _span_precision(a: date, b: date) -> int:
    days = (b - a).days
    return 1 if days == 0 else 2 if days <= 7 else 3


def _timex(text: str, h: Hit) -> Timex | None:
    if h.anchored:
        a, b = h.anchored
        value, a, b, _ = _interval(a, b, 3)
        return Timex(h.start, h.end, text[h.start:h.end], "DATE", value, a, b, _span_precision(a, b))
    if h.first is None or h.last is None or h.type not in ("DATE", "TIME"):
        return None
    return Timex(h.start, h.end, text[h.start:h.end], h.type, h.value, h.first, h.last, h.precision)


def _merge(text: str, a: Timex, b: Timex) -> Timex | None:
    """Two ends of one range ("Oct. 8 and Oct. 13", "Sunday or Monday") as one interval."""
    if not (a.first and b.last) or b.last < a.first or (b.last - a.first).days > 366:
        return None
    value, first, last, _ = _interval(a.first, b.last, 3)
    prec = _span_precision(first, last)
    return Timex(a.start, b.end, text[a.start:b.end], "DATE", value, first, last, prec)


def find_timexes(text: str, published: date | None) -> list[Timex]:
    """All date expressions of ``text`` that cover known days, non-overlapping, in text order."""
    hits = extract(text, published)
    out: list[Timex] = []
    prev_hit: Hit | None = None
    for h in hits:
        t = _timex(text, h)
        if t is None:
            prev_hit = None
            continue
        if out and prev_hit is not None:
            last = out[-1]
            grouped = h.group is not None and h.group == prev_hit.group
            adjacent = (prev_hit.precision == 1 and h.precision == 1 and prev_hit.rule == h.rule == "weekday"
                        and _JOIN.fullmatch(text[last.end:t.start]) is not None)
            if grouped or adjacent:
                merged = _merge(text, last, t)
                if merged is not None:
                    out[-1] = merged
                    prev_hit = h
                    continue
        out.append(t)
        prev_hit = h
    return out


_MON = (r"(?P<{n}>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?\.?|July?\.?|Aug(?:ust|\.)?"
        r"|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{n}>(?:19|20)\d\d)"


def _f(pattern: str, **names: str) -> str:
    return pattern.format(**{k: v.format(n=k) for k, v in names.items()})


_DATELINE = re.compile(
    _f(r"(?:{wd}\s+)?{d}\s+{m}\.?\s+{y}|{m2}\s+{d2},?\s+{y2}", wd=r"(?P<{n}>Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*",
       d=_DAY, m=_MON, y=_YEAR, m2=_MON, d2=_DAY, y2=_YEAR)
)
_ISO_HEAD = re.compile(r"\b(?:published|date|updated|posted)\b\W{0,3}((?:19|20)\d\d-[01]\d-[0-3]\d)", re.I)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")]


def dateline(text: str, head_chars: int = 800) -> date | None:
    """The publication date printed near the top of a page ("Fri 18 Oct 2024 12.35 EDT",
    "October 27, 2024 7:05 PM", "PUBLISHED: 2022-10-16")."""
    head = text[:head_chars]
    iso = _ISO_HEAD.search(head)
    if iso:
        d = _safe_date(*map(int, iso.group(1).split("-")))
        if d:
            return d
    for m in _DATELINE.finditer(head):
        g = m.groupdict()
        if g.get("y"):
            d = _safe_date(int(g["y"]), _month(g["m"]), int(g["d"]))
        else:
            d = _safe_date(int(g["y2"]), _month(g["m2"]), int(g["d2"]))
        if d:
            return d
    return None
