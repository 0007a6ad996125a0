"""Date expressions in news text, normalised against the publication date.

A compact grammar covers what movement reporting uses ("Oct. 27", "between 8 and 13 October",
"on Friday", "Sunday or Monday", "last month", "in late October", "the past week"): the
general-purpose parsers (dateparser's ``search_dates``) find far fewer of these and cannot
return intervals or offsets, so they serve here only as a reference in the benchmarks.
Values follow TIMEX3; ``first``/``last`` are the days covered; precision 1 day, 2 week, 3 coarser.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from geo.model import Timex

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_MON = r"(?P<{n}>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?\.?|July?\.?|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{n}>(?:19|20)\d\d)"
_WD = r"(?P<{n}>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"


def _f(pattern: str, **names: str) -> str:
    return pattern.format(**{k: v.format(n=k) for k, v in names.items()})


_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    # between Oct. 8 and Oct. 13 / from Oct. 8 to 13 / Oct. 8-13 / Oct. 27-28, 2024
    ("range_md", re.compile(_f(r"\b(?:(?:between|from)\s+)?{m1}\s+{d1}(?:,?\s+{y1})?\s*(?:-|–|to|and|until|through)\s*(?:{m2}\s+)?{d2}\b(?:,?\s+{y2})?",
                                   m1=_MON, d1=_DAY, y1=_YEAR, m2=_MON, d2=_DAY, y2=_YEAR))),
    # between 8 and 13 October / 8-13 October 2024
    ("range_dm", re.compile(_f(r"\b(?:(?:between|from)\s+)?{d1}(?:\s+{m1})?\s*(?:-|–|to|and|until)\s*{d2}\s+{m2}\b(?:,?\s+{y2})?",
                                   d1=_DAY, m1=_MON, d2=_DAY, m2=_MON, y2=_YEAR))),
    # Fri 18 Oct 2024 / 18 October 2024 / 18 Oct
    ("dm", re.compile(_f(r"\b(?:{wd}\s*,?\s*)?{d}\s+{m}\.?(?:,?\s+{y})?\b", wd=r"(?P<{n}>Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*", d=_DAY, m=_MON, y=_YEAR))),
    # October 27, 2024 / Oct. 27 / Sept. 11
    ("md", re.compile(_f(r"\b{m}\s+{d}\b(?!\s*(?:,\d|\d))(?:,?\s+{y})?", m=_MON, d=_DAY, y=_YEAR))),
    # Sunday or Monday / between Sunday and Monday
    ("wd_pair", re.compile(_f(r"\b(?:between\s+)?{w1}\s+(?:or|and|to|-)\s+{w2}\b", w1=_WD, w2=_WD))),
    ("wd", re.compile(_f(r"\b(?:(?P<rel>this|last|next|on|early|late)\s+)?{w}\b(?:\s+(?P<part>morning|afternoon|evening|night))?", w=_WD))),
    ("part_month", re.compile(_f(r"\b(?P<part>early|mid|late|the end of|the beginning of|the start of|the middle of)[\s-]+{m}\b(?:\s+{y})?", m=_MON, y=_YEAR))),
    ("month_year", re.compile(_f(r"\b{m}\s+(?:of\s+)?{y}\b", m=_MON, y=_YEAR))),
    ("month", re.compile(r"\b(?P<prep>in|since|by|until|through|during|from|last|this|next|early|late)\s+(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)\b")),
    ("relative", re.compile(r"\b(?P<rel>yesterday|today|tonight|tomorrow|(?:last|this|next|past|previous|coming)\s+(?P<unit>week|month|year|weekend)|the\s+(?:past|previous|last)\s+(?:(?P<n>\d+|two|three|four|few|several)\s+)?(?P<unit2>days?|weeks?|months?|years?)|in\s+recent\s+(?P<unit3>days|weeks|months))\b", re.IGNORECASE)),
    ("year", re.compile(r"\b(?P<prep>in|since|by|until|of|from|early|late|mid-?)\s+(?P<y>(?:19|20)\d\d)\b(?!-\d)")),
]

_FUTURE = re.compile(r"\b(will|shall|(?:is|are|am) (?:expected|scheduled|set|due|planning|going)|plans? to|planning to|scheduled to|next|upcoming|coming)\b", re.I)
_NUM = {"two": 2, "three": 3, "four": 4, "few": 3, "several": 3}


def _month(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")]


def _year_for(month: int, day: int | None, pub: date) -> int:
    """The year that puts month/day nearest the publication date."""
    best = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        d = date(y, month, min(day or 15, calendar.monthrange(y, month)[1]))
        gap = abs((d - pub).days)
        if best is None or gap < best[0]:
            best = (gap, y)
    return best[1]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _day(y, m, d) -> tuple[str, date, date, int] | None:
    dd = _safe_date(y, m, d)
    return (dd.isoformat(), dd, dd, 1) if dd else None


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


def _weekday(wd: int, pub: date, future: bool, rel: str | None) -> date:
    if rel == "next" or (future and rel not in ("last",)):
        delta = (wd - pub.weekday()) % 7
        if rel == "next" and delta == 0:
            delta = 7
        return pub + timedelta(days=delta)
    delta = (pub.weekday() - wd) % 7
    if rel == "last" and delta == 0:
        delta = 7
    return pub - timedelta(days=delta)


def _month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _normalise(kind: str, m: re.Match, pub: date | None, context: str):
    g = m.groupdict()
    future = bool(_FUTURE.search(context))
    if kind == "iso":
        return _day(int(g["y"]), int(g["m"]), int(g["d"]))
    if kind in ("range_md", "range_dm"):
        m1 = _month(g["m1"]) if g.get("m1") else None
        m2 = _month(g["m2"]) if g.get("m2") else None
        m1 = m1 or m2
        m2 = m2 or m1
        d1, d2 = int(g["d1"]), int(g["d2"])
        y2 = int(g["y2"]) if g.get("y2") else None
        y1 = int(g["y1"]) if g.get("y1") else y2
        if y1 is None:
            if pub is None:
                return None
            y1 = _year_for(m1, d1, pub)
        y2 = y2 or (y1 + (1 if m2 < m1 else 0))
        a, b = _safe_date(y1, m1, d1), _safe_date(y2, m2, d2)
        if not a or not b or b < a:
            return None
        return _interval(a, b, 1 if (b - a).days <= 1 else 2 if (b - a).days <= 7 else 3)
    if kind in ("dm", "md"):
        mm, dd = _month(g["m"]), int(g["d"])
        if not 1 <= dd <= 31:
            return None
        y = int(g["y"]) if g.get("y") else (_year_for(mm, dd, pub) if pub else None)
        if y is None:
            return None
        return _day(y, mm, dd)
    if kind == "wd_pair" and pub:
        a = _weekday(WEEKDAYS[g["w1"].lower()], pub, future, None)
        b = _weekday(WEEKDAYS[g["w2"].lower()], pub, future, None)
        if b < a:
            b = b + timedelta(days=7) if future else b
            a = a if future else a - timedelta(days=7)
        value, a, b, _ = _interval(a, b, 2)
        return value, a, b, 2
    if kind == "wd" and pub:
        d = _weekday(WEEKDAYS[g["w"].lower()], pub, future, (g.get("rel") or "").lower() or None)
        return d.isoformat(), d, d, 1
    if kind == "part_month":
        mm = _month(g["m"])
        y = int(g["y"]) if g.get("y") else (_past_year(mm, pub, future) if pub else None)
        if y is None:
            return None
        first, last = _month_span(y, mm)
        part = g["part"].lower()
        if part in ("early", "the beginning of", "the start of"):
            first, last = first, first + timedelta(days=9)
        elif part in ("mid", "the middle of"):
            first, last = first + timedelta(days=10), first + timedelta(days=19)
        else:
            first = first + timedelta(days=20)
        return f"{y:04d}-{mm:02d}", first, last, 3
    if kind == "month_year":
        y, mm = int(g["y"]), _month(g["m"])
        first, last = _month_span(y, mm)
        return f"{y:04d}-{mm:02d}", first, last, 3
    if kind == "month" and pub:
        mm = _month(g["m"])
        prep = g["prep"].lower()
        fut = future or prep in ("by", "until", "next")
        y = _past_year(mm, pub, fut) if prep not in ("last",) else (pub.year - 1 if mm >= pub.month else pub.year)
        first, last = _month_span(y, mm)
        return f"{y:04d}-{mm:02d}", first, last, 3
    if kind == "relative" and pub:
        rel = g["rel"].lower()
        if rel == "yesterday":
            d = pub - timedelta(days=1)
            return d.isoformat(), d, d, 1
        if rel in ("today", "tonight"):
            return pub.isoformat(), pub, pub, 1
        if rel == "tomorrow":
            d = pub + timedelta(days=1)
            return d.isoformat(), d, d, 1
        unit = (g.get("unit") or "").lower()
        if unit:
            which = rel.split()[0]
            k = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[which]
            if unit in ("week", "weekend"):
                monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=k)
                if which == "past":
                    a, b = pub - timedelta(days=7), pub
                    return f"{a.isoformat()}/{b.isoformat()}", a, b, 2
                if unit == "weekend":
                    a = monday + timedelta(days=5)
                    return a.isoformat() + "/" + (a + timedelta(days=1)).isoformat(), a, a + timedelta(days=1), 2
                iso = monday.isocalendar()
                return f"{iso[0]:04d}-W{iso[1]:02d}", monday, monday + timedelta(days=6), 2
            if unit == "month":
                y, mm = _shift_month(pub.year, pub.month, k)
                first, last = _month_span(y, mm)
                return f"{y:04d}-{mm:02d}", first, last, 3
            if unit == "year":
                y = pub.year + k
                return f"{y:04d}", date(y, 1, 1), date(y, 12, 31), 3
        unit2 = (g.get("unit2") or g.get("unit3") or "").lower().rstrip("s")
        n = g.get("n")
        count = int(n) if n and n.isdigit() else _NUM.get((n or "").lower(), 1 if not g.get("unit3") else 3)
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit2] * count
        a = pub - timedelta(days=days)
        prec = 2 if days <= 7 else 3
        return f"{a.isoformat()}/{pub.isoformat()}", a, pub, prec
    if kind == "year":
        y = int(g["y"])
        return f"{y:04d}", date(y, 1, 1), date(y, 12, 31), 3
    return None


def _past_year(month: int, pub: date, future: bool) -> int:
    if future:
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def find_timexes(text: str, published: date | None) -> list[Timex]:
    """All date expressions of ``text`` with TIMEX3 values, non-overlapping, in text order."""
    taken: list[tuple[int, int]] = []
    out: list[Timex] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            surface = m.group(0)
            lead = len(surface) - len(surface.lstrip())
            context = text[max(0, s - 120):min(len(text), e + 40)]
            try:
                norm = _normalise(kind, m, published, context)
            except (KeyError, ValueError):
                norm = None
            if not norm:
                continue
            value, first, last, precision = norm
            taken.append((s, e))
            out.append(Timex(s + lead, e, surface.strip(), "DATE", value, first, last, precision))
    out.sort(key=lambda t: t.start)
    return out


_DATELINE = re.compile(
    _f(r"(?:{wd}\s+)?{d}\s+{m}\.?\s+{y}|{m2}\s+{d2},?\s+{y2}", wd=r"(?P<{n}>Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*",
       d=_DAY, m=_MON, y=_YEAR, m2=_MON, d2=_DAY, y2=_YEAR)
)


_ISO_HEAD = re.compile(r"\b(?:published|date|updated|posted)\b\W{0,3}((?:19|20)\d\d-[01]\d-[0-3]\d)", re.I)


def dateline(text: str, head_chars: int = 800) -> date | None:
    """The publication date printed near the top of a page ("Fri 18 Oct 2024", "October 27, 2024",
    "PUBLISHED: 2022-10-16")."""
    iso = _ISO_HEAD.search(text[:head_chars])
    if iso:
        try:
            return date.fromisoformat(iso.group(1))
        except ValueError:
            pass
    for m in _DATELINE.finditer(text[:head_chars]):
        g = m.groupdict()
        if g.get("y"):
            d = _safe_date(int(g["y"]), _month(g["m"]), int(g["d"]))
        else:
            d = _safe_date(int(g["y2"]), _month(g["m2"]), int(g["d2"]))
        if d:
            return d
    return None
