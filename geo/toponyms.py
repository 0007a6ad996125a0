"""Toponym recognition: which spans of an article name places.

Candidate spans are runs of capitalised words (news English capitalises every place name),
each looked up in the gazetteer in one batch. Rules then drop what a place-name list alone
gets wrong: places inside longer proper names ("The Kyiv Independent", "Vladimir Putin",
"New York Times"), calendar words, titles, sentence-initial common words, and
acronyms that are not countries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from functools import lru_cache

from gazetteer.normalize import name_key as _name_key
from gazetteer.place import Place
from geo.gazetteer_port import GazetteerPort
from geo.geoparse_data import abbreviations, common_words, demonym_key, demonym_places, first_names

name_key = lru_cache(maxsize=200_000)(_name_key)  # the same words recur in every article

_INITIALS = re.compile(r"(?:[A-Z]\.)+")
# A word of a proper-name run: capitalised, possibly with inner hyphens/apostrophes/periods
# ("Ch'ongjin", "U.S.", "Rostov-on-Don", "Khan-Younis").
# The Arabic article is written in lowercase inside names ("Deir al-Balah", "Sharm el-Sheikh").
_WORD = re.compile(r"(?:a[dlnrstz]|ash|e[dlnrstz])-[A-ZÀ-ÖØ-ÞĀ-ſ][\w’'.\-]*\w|"
                   r"[A-ZÀ-ÖØ-ÞĀ-ſ][\w’'.\-]*\w\.?|[A-Z]\.(?:[A-Z]\.)+|[A-Z]")
# "Al-Nuseirat" is filed as "Nuseirat" (or "An Nuşayrāt"): try the name without its article too.
_ARTICLE = re.compile(r"^(?:a[dlnrstz]|ash|e[dlnrstz]) (?=\w{3})")
# Lowercase words that may sit inside a place name ("Rostov on Don", "Bosnia and Herzegovina")
_CONNECTORS = {"of", "on", "upon", "de", "del", "la", "le", "el", "al", "and", "du", "da", "am", "an", "der", "sur"}
# Lowercase words that turn a place into a region ("Kursk region") and so belong to the name.
_REGION_WORDS = {"oblast", "oblasts", "region", "province", "krai", "kray", "governorate", "district",
                 "county", "prefecture", "republic", "territory", "voivodeship"}
# Capitalised words that are never places in news text, whatever the gazetteer holds.
_NEVER = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "president", "minister", "general", "secretary", "colonel", "captain", "governor", "mayor",
    "senator", "king", "queen", "prince", "pope", "sheriff", "police", "army", "navy", "university",
    "guardian", "times", "post", "independent", "herald", "news", "telegram", "reuters", "agency",
    "god", "christmas", "easter", "ramadan", "mr", "mrs", "ms", "dr", "street", "st", "avenue",
    "photo", "video", "image", "update", "updated", "share", "comments", "advertisement", "subscribe",
    "kim", "lee", "park", "chen", "wang", "li", "zhang", "nguyen", "smith", "jones", "brown", "white",
    "black", "green", "young", "king", "hill", "wood", "price", "banks", "ford", "bush", "hope",
    "victoria", "florence", "regina", "eugene", "marion", "charlotte", "austin", "jackson", "lincoln",
    "washington", "church", "college", "school", "hospital", "court", "center", "centre", "house",
    "north", "south", "east", "west", "central", "western", "eastern", "northern", "southern",
    "i", "a", "an", "the", "this", "that", "these", "those", "it", "he", "she", "we", "they", "you",
    "his", "her", "their", "our", "its", "my", "in", "on", "at", "of", "for", "by", "with", "from",
    "to", "as", "but", "and", "or", "if", "so", "no", "not", "all", "more", "most", "many", "some",
    "first", "last", "new", "old", "good", "best", "big", "little", "man", "men", "day", "time",
    "year", "week", "month", "read", "live", "just", "also", "yes", "well",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "nato", "un", "eu", "euro",
    "ctrl", "alt", "enter", "email", "online", "internet", "web", "app", "ai",
}
# Capitalised phrases that name institutions or buildings, not places, in news text.
# Words that open the name of a military site ("Camp Lemonnier", "Base Ramstein").
_FACILITY_HEADS = {"camp", "base", "barracks", "garrison", "airbase", "cantonment"}
_NEVER_PHRASES = {"white house", "the city", "city hall", "the state", "the country", "the capital", "red cross",
                  "red crescent"}
# Of _NEVER, the words that are also well-known places: in the corpus convention of
# ``recognise(..., modifiers=True)`` they are places unless the text marks them as people.
_NEVER_NAMES = {"victoria", "florence", "regina", "eugene", "marion", "charlotte", "austin", "jackson",
                "washington"}
_NEVER_LOOSE = _NEVER - _NEVER_NAMES
# Titles before a person's name, and verbs after one.
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "lt", "sgt", "capt", "gen", "col", "maj",
           "cpl", "pvt", "det", "officer", "deputy", "judge", "justice", "coach", "president", "senator",
           "governor", "mayor", "sheriff", "chief", "rev", "father", "sister", "brother", "prof", "professor",
           "attorney", "commissioner", "councilman", "councilwoman", "trooper", "pastor", "bishop", "saint"}
_PERSON_AFTER = re.compile(r"^(?:[’']s)?,?\s+(?:said|says|told|added|asked|explained|noted|wrote|who|whose|"
                           r"testified|argued|agreed|stated|recalled|died|was born|is a|was a)")
_CONTRACTION = re.compile(r"[’'](?:ve|re|ll|m|d|t|s)$", re.I)
_COMMON_CAPS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "none", "over", "under",
    "after", "before", "about", "above", "across", "again", "against", "along", "around", "because", "between",
    "by", "down", "even", "ever", "every", "few", "how", "into", "like", "may", "might", "much", "must", "near",
    "never", "now", "off", "once", "only", "out", "own", "same", "should", "still", "than", "through", "too",
    "until", "up", "very", "what", "when", "where", "which", "who", "why", "will", "would", "yet", "road",
    "lake", "valley", "station", "grove", "parkway", "airport", "colony", "meadow", "superior", "commerce",
    "congress", "council", "chamber", "metro", "democrat", "republican", "olympic", "royal", "town", "ridge",
    "gulf", "northeast", "northwest", "southeast", "southwest", "jewish", "passover", "jesus", "titan", "mart",
    "wal", "pack", "lane", "hall", "bell", "dodge", "welch", "paul", "george", "david", "james", "thomas",
    "martin", "patrick", "ray", "tim", "dick", "allen", "obama", "hamas",
}
_PLACE_HEADS = {"county", "parish", "city", "township", "twp", "borough", "river", "lake", "creek", "valley",
                "island", "islands", "mountains", "mountain", "bay", "sea", "gulf", "strait", "peninsula",
                "desert", "forest", "park", "heights", "hills", "falls", "springs", "beach", "harbor", "harbour",
                "canyon", "coast", "plains", "state", "province", "region", "district", "oblast", "krai"}


# Words that may follow a place in a longer capitalised run without making it another name:
# titles and institutions qualified by the place ("U.S. President", "Kursk Oblast Governor").
# "Bangui M'Poko International Airport": a facility named after the town it serves
_FACILITY_END = re.compile(r"\b(?:International Airport|Airport|Air ?[Bb]ase|Airfield|Air Force Base)\.?$")
_QUALIFIED = {
    "president", "prime", "minister", "ministry", "secretary", "defense", "defence", "foreign",
    "army", "navy", "forces", "force", "officials", "official", "government", "governor", "mayor",
    "city", "state", "authorities", "police", "border", "military", "embassy",
    "ambassador", "troops", "soldiers", "region", "oblast", "province", "county", "district",
    "airport", "port", "harbor", "harbour", "station", "highway", "parliament", "court",
}


@dataclass(frozen=True, slots=True)
class Span:
    """A recognised toponym before resolution: offsets, surface, key and its candidates."""

    start: int
    end: int
    surface: str
    key: str
    candidates: tuple[Place, ...]
    demonym: bool = False  # an adjectival toponym ("Russian"): candidates are what it refers to


class _Run(NamedTuple):
    start: int
    words: tuple[tuple[int, int], ...]  # (start, end) of each word


def _runs(text: str) -> list[_Run]:
    """Maximal runs of capitalised words (with connectors between them)."""
    runs: list[_Run] = []
    words: list[tuple[int, int]] = []
    last_end = -1
    for m in _WORD.finditer(text):
        s, e = m.span()
        if s > 0 and (text[s - 1].isalnum()):
            continue  # inside a word
        if words and not _continues(text, words[-1][0], last_end, s):
            runs.append(_Run(words[0][0], tuple(words)))
            words = []
        words.append((s, e))
        last_end = e
    if words:
        runs.append(_Run(words[0][0], tuple(words)))
    return runs


_ABBREVIATED = re.compile(r"(?:[A-Z]\.)+|[A-Z][a-z]{0,3}\.")
_LONGEST_JOIN = max(map(len, _CONNECTORS)) + 2  # " upon "


def _continues(text: str, start: int, end: int, s: int) -> bool:
    """True if the capitalised word at ``s`` continues a run whose last word is
    ``text[start:end]``: a joining gap (never longer than " upon ", so the long gaps between
    most capitalised words are not even copied), after a word that is not possessive and does
    not end a sentence."""
    if s - end > _LONGEST_JOIN or not _joins(text[end:s]):
        return False
    prev_word = text[start:end]
    if prev_word.endswith(("’s", "'s", "’", "'")):
        return False
    return not prev_word.endswith(".") or _ABBREVIATED.fullmatch(prev_word) is not None


def _joins(gap: str) -> bool:
    """True if two capitalised words separated by ``gap`` belong to one run."""
    if gap in (" ", "-"):
        return True
    inner = gap.strip()
    return gap.startswith(" ") and gap.endswith(" ") and inner in _CONNECTORS and gap.count(" ") == 2


def _region_tail(text: str, end: int) -> int:
    """Extend a span over a following lowercase region word ("Kursk region")."""
    if text[end:end + 1] != " " or not text[end + 1:end + 2].islower():
        return end
    m = re.match(r" ([a-z]+)\b", text[end:end + 16])
    if m and m.group(1) in _REGION_WORDS:
        return end + m.end()
    return end


_BRACKET_TAIL = re.compile(r" \([A-ZÀ-Þ][\w.-]*(?: [\w.-]+)?\)")


def _bracket_tail(text: str, end: int) -> int:
    """Extend a span over a bracketed qualifier that is part of the name ("Frankfurt (Oder)",
    "Halle (Saale)"); kept only when the gazetteer knows the whole."""
    m = _BRACKET_TAIL.match(text, end, end + 16)
    return m.end() if m else end


def _subspans(text: str, run: _Run, max_words: int = 6):
    """Every contiguous sub-run (as offsets), also split at hyphens ("Kursk-Voronezh")."""
    pieces: list[tuple[int, int]] = []
    for s, e in run.words:
        word = text[s:e]
        if "-" in word.strip("-") and not word.isupper():
            pos = s
            for part in word.split("-"):
                if part:
                    pieces.append((pos, pos + len(part)))
                pos += len(part) + 1
            pieces.append((s, e))  # the hyphenated whole too ("Ivano-Frankivsk")
        else:
            pieces.append((s, e))
    seen = set()
    n = len(pieces)
    for i in range(n):
        for j in range(i, min(n, i + max_words)):
            s, e = pieces[i][0], pieces[j][1]
            if e <= s or (s, e) in seen:
                continue
            seen.add((s, e))
            yield s, e


_PROPOSALS: dict[tuple, list[tuple[int, int, str]]] = {}


def _run_proposals(text: str, run: _Run, modifiers: bool) -> list[tuple[int, int, str]]:
    """The (start, end, key) of every name a run may hold: each sub-run without a possessive
    or full stop, with and without a following region word. They depend on the run's words
    and the 16 characters after it only, and the same runs ("Kyiv", "Russian Defence
    Ministry") recur in article after article: memoised (bounded), in offsets from the run."""
    base, last = run.start, run.words[-1][1]
    words = run.words
    # most runs are one word, whose offsets its length gives
    shape = last - base if len(words) == 1 else tuple((s - base, e - base) for s, e in words)
    memo_key = (text[base:last + 16], shape, modifiers)
    found = _PROPOSALS.get(memo_key)
    if found is None:
        if len(_PROPOSALS) >= 100_000:
            _PROPOSALS.clear()
        found = _PROPOSALS[memo_key] = [(s - base, e - base, key) for s, e, key in _propose(text, run, modifiers)]
    return [(base + s, base + e, key) for s, e, key in found]


def _propose(text: str, run: _Run, modifiers: bool):
    never = _NEVER_LOOSE if modifiers else _NEVER
    for s, e in _subspans(text, run):
        e = _strip_possessive(text, s, e)
        surface = text[s:e]
        if not _INITIALS.fullmatch(surface) and name_key(surface) not in abbreviations():
            surface = surface.rstrip(".")
        e = s + len(surface)
        for end in {e, _region_tail(text, e), _bracket_tail(text, e)}:
            key = name_key(text[s:end])
            if key and key not in never and key not in _NEVER_PHRASES:
                yield s, end, key
                if _ARTICLE.match(key):  # "Al-Nuseirat" may be filed without its article
                    yield s, end, _ARTICLE.sub("", key)


def _strip_possessive(text: str, s: int, e: int) -> int:
    if e <= s or text[e - 1] not in "s’'":
        return e
    for suffix in ("’s", "'s", "’", "'"):
        if text[s:e].endswith(suffix) and e - len(suffix) > s:
            return e - len(suffix)
    return e


def recognise(text: str, gazetteer: GazetteerPort, *, demonyms: bool = False,
              modifiers: bool = False, learned_filter: bool = True) -> list[Span]:
    """Find the toponyms of ``text``: non-overlapping spans, longest match first.

    By default only places the text talks about as places are kept (for the route map).
    ``demonyms=True`` adds adjectival toponyms ("Russian"); ``modifiers=True`` also keeps
    places that open a longer name ("Texas Forest Service", "U.S. House"), names with a type
    word ("Darby Street", "Neches River") and passes the spans through a small learned filter
    (:mod:`geo.geoparse_filter`, unless ``learned_filter=False``), which is how geoparsing
    corpora (LGL, GeoWebNews, TR-News) annotate news text.
    """
    runs = _runs(text)
    proposals: list[tuple[int, int, str, _Run]] = []
    keys: set[str] = set()
    for run in runs:
        for s, end, key in _run_proposals(text, run, modifiers):
            proposals.append((s, end, key, run))
            keys.add(key)
    found = gazetteer.lookup_keys(sorted(keys)) if keys else {}
    hits = {(s, e) for s, e, key, _ in proposals if key in found}
    lowercase_words = _lowercase_vocabulary(text)
    persons = _person_words(text, runs, found) if modifiers else frozenset()
    accepted: list[Span] = []
    taken: list[tuple[int, int]] = []
    covered = bytearray(len(text))  # 1 where an accepted span is
    # Longest first, then leftmost: "Kursk Oblast" beats "Kursk", "New York" beats "York".
    for s, e, key, run in sorted(proposals, key=lambda p: (-(p[1] - p[0]), p[0])):
        cands = found.get(key)
        if not cands:
            continue
        if covered.find(1, s, e) >= 0:
            continue
        if not _hyphen_ok(text, s, e, hits):
            continue
        if not _plausible(text, s, e, key, run, cands, lowercase_words, found, modifiers):
            continue
        if modifiers and not _not_a_person(text, s, e, key, cands, persons, soft=SOFT):
            continue
        if modifiers and key.endswith(" city") and _CITY_INSTITUTION.match(text[e:e + 24]) \
                and key[:-5] in found:
            continue  # "Dublin City Council": the place is "Dublin"
        taken.append((s, e))
        covered[s:e] = b"\1" * (e - s)
        accepted.append(Span(s, e, text[s:e], key, tuple(cands)))
    if modifiers:
        accepted = _typed_spans(text, accepted, taken, persons, gazetteer)
        taken = [(sp.start, sp.end) for sp in accepted]
    if demonyms:
        accepted += _demonym_spans(text, runs, taken, gazetteer)
    accepted.sort(key=lambda sp: sp.start)
    if modifiers:
        from geo import geoparse_filter

        if learned_filter:
            accepted = geoparse_filter.filter_spans(text, accepted, persons)
        else:
            _LAST_PERSONS[0] = persons  # for fitting the filter (geo.geoparse_train)
    return accepted


_LAST_PERSONS: list = [frozenset()]
SOFT = True  # corpus mode: leave person/common-word evidence to the learned filter
SOFT_RUNS = True  # ... and places inside longer capitalised names


_CITY_INSTITUTION = re.compile(r"\s+(?:Council|Manager|Schools?|Hall|Commission(?:ers?)?|Attorney|Police|"
                               r"Officials?|Government|Limits|Board|Clerk|Administrator|Engineer|Planner)\b")
_CAP = r"(?:[A-Z][\w’'.\-]*[\w.]|[A-Z])"
_STREET_HEADS = (r"Street|St\.|Avenue|Ave\.|Road|Rd\.|Drive|Boulevard|Blvd\.|Lane|Ln\.|Parkway|Pkwy\.|"
                 r"Highway|Hwy\.|Trail|Pike|Turnpike|Expressway|Freeway|Bypass")
_FEATURE_HEADS = (r"River|Creek|Lake|Township|Twp\.|Island|Islands|Valley|Mountains|Mountain|Forest|"
                  r"National Park|National Forest|National Lakeshore|Wilderness|Bay|Harbor|Harbour|Falls|Hills|"
                  r"County|Co\.|Parish|Borough|Canyon|Desert|Peninsula|Reservoir|Sound|Gorge|Ridge")
_TYPED = re.compile(
    rf"\b(?:(?:{_CAP}\s+){{0,3}}{_CAP}\s+(?:{_STREET_HEADS}|{_FEATURE_HEADS})(?![\w])"
    rf"|(?:Lake|Mount|Mt\.|River|Isle of)\s+{_CAP}(?:\s+{_CAP})?"
    rf"|(?:Highway|Hwy\.?|Interstate|Route|State Route|U\.S\.|US|SR|County Road|I)[\s\-]?\d+[A-Z]?\b)")


def _typed_spans(text: str, accepted: list[Span], taken, persons, gazetteer) -> list[Span]:
    """Names made of a name and a type word: streets and roads ("Darby Street", "Highway 19"),
    rivers, lakes, townships, forests ("Neches River", "Lake Lanier"), kept as toponyms even
    when the gazetteer does not know them (then without a position).  Such a name replaces
    the shorter place found inside it ("Kanawha" in "Kanawha River")."""
    extra: list[Span] = []
    for m in _TYPED.finditer(text):
        s, e = m.start(), m.end()
        surface = text[s:e]
        words = surface.split()
        # trim leading words that are not part of the name ("The", "On", titles, persons)
        while len(words) > 2 and (name_key(words[0]) in _NEVER or name_key(words[0]) in _TITLES
                                  or name_key(words[0]) in common_words() and words[0] not in ("Lake", "Mount")):
            s = text.index(words[1], s + len(words[0]))
            words = words[1:]
        surface = text[s:e]
        first = name_key(words[0])
        if first in _NEVER or first in _TITLES or (first in persons and len(words) == 2):
            continue
        if len(words) == 2 and first in common_words() and not re.match(r"(?:Highway|Interstate|Route|Lake|Mount)",
                                                                          surface):
            continue  # "Main Street" stays; "Supreme Court", "This Road" do not
        if any(s < sp.start and sp.end <= e or s <= sp.start and sp.end < e for sp in accepted) or \
                not any(s < te and ts < e for ts, te in taken):
            extra.append(Span(s, e, surface, name_key(surface), ()))
    if not extra:
        return accepted
    found = gazetteer.lookup_keys(sorted({sp.key for sp in extra}))
    extra = [Span(sp.start, sp.end, sp.surface, sp.key, tuple(found.get(sp.key, ()))) for sp in extra]
    keep = [sp for sp in accepted if not any(x.start <= sp.start and sp.end <= x.end for x in extra)]
    out = keep + [x for x in extra if not any(x.start < k.end and k.start < x.end for k in keep)]
    return sorted(out, key=lambda sp: sp.start)


def _demonym_spans(text: str, runs: list[_Run], taken: list[tuple[int, int]], gazetteer) -> list[Span]:
    """Adjectival toponyms ("Russian", "North Korean", "Americans") not inside a found place."""
    out: list[Span] = []
    cache: dict[str, tuple[Place, ...]] = {}
    for run in runs:
        words = run.words
        i = 0
        while i < len(words):
            hit = None
            for j in (i + 1, i):  # two-word demonyms first ("Sri Lankan", "North Korean")
                if j >= len(words):
                    continue
                s, e = words[i][0], words[j][1]
                e = _strip_possessive(text, s, e)
                if text[s:e].endswith("."):
                    e -= 1
                k = demonym_key(text[s:e])
                if k is not None:
                    hit = (s, e, k, j)
                    break
            if hit is None:
                i += 1
                continue
            s, e, k, hj = hit
            i0, i = i, hj + 1
            if any(s < te and ts < e for ts, te in taken):
                continue
            if not _demonym_context(text, s, e, words, i0, hj):
                continue
            if k not in cache:
                cache[k] = demonym_places(k, gazetteer)
            if cache[k]:
                out.append(Span(s, e, text[s:e], k, cache[k], True))
    return out


_LANGUAGE_BEFORE = re.compile(r"(?:speaks?|spoke|spoken|speaking|learn(?:ed|s|ing)?|teach(?:es|ing)?|taught|"
                              r"in|into|fluent|from|native)\s+$", re.I)
_LANGUAGE_AFTER = re.compile(r"^\s+(?:language|speakers?|speaking|translation|teacher|class|classes|"
                             r"students|courses?|words?|subtitles)\b")


def _demonym_context(text: str, s: int, e: int, words, i: int, j: int) -> bool:
    """A demonym names its place ("Russian troops", "the Georgian Interior Ministry"), but not
    as a person's name ("Monica French said") or a language ("spoke only French")."""
    if i > 0:
        prev = name_key(text[slice(*words[i - 1])])
        if (prev in first_names() or prev in _TITLES or prev == "native") and j == len(words) - 1:
            return False  # "Monica French", "Native American"
    if _PERSON_AFTER.match(text[e:e + 24]):
        return False
    if _LANGUAGE_AFTER.match(text[e:e + 24]) or _LANGUAGE_BEFORE.search(text[max(0, s - 16):s]) \
            and not re.match(r"\s+[a-z]", text[e:e + 3]):
        return False
    return True


_PREFIX = re.compile(r"(?<![\w-])(?:[Tt]rans|[Pp]an|[Aa]nti|[Pp]ro|[Ss]ub|[Ii]nter|[Pp]ost|[Pp]re|[Nn]on|[Nn]eo|[Mm]id|"
                     r"[Cc]ross|[Ii]ntra|[Ee]xtra|[Ee]x)-$")


def _hyphen_ok(text: str, s: int, e: int, hits: set[tuple[int, int]]) -> bool:
    """A part of a hyphenated word is a place only beside another place ("Kursk-Voronezh",
    "Ukraine-Russia"), not inside a name or compound ("Jong-Un", "Euro-Atlantic"), nor in a
    double-barrelled surname after a first name ("Nina Webb-Lawton")."""
    if (s > 0 and text[s - 1] == "-") or (e < len(text) and text[e] == "-"):
        m = re.search(r"([A-Z][a-z]+)\s+[\w’'\-]*$", text[max(0, s - 30):s])
        if m and name_key(m.group(1)) in first_names():
            return False
    if s > 0 and text[s - 1] == "-" and (not any(he == s - 1 for _, he in hits)
                                         or _PREFIX.search(text, max(0, s - 8), s)):
        return False  # "Trans-Caspian", "pan-European": a prefix, even if a place is named "Trans"
    if e < len(text) and text[e] == "-" and not any(hs == e + 1 for hs, _ in hits):
        return False
    return True


_URLISH = re.compile(r"\S*(?:https?://|www\.|@)\S*|\S+\.(?:com|org|net|html?)\S*")
# What every match of _URLISH contains. _URLISH tries its leading \S* at every position of the
# text (quadratic in word length) and most texts have no URL: look for this first.
_URL_HINT = re.compile(r"https?://|www\.|@|\.(?:com|org|net|htm)")
_LOWER_WORD = re.compile(r"(?<![\w/.-])[a-z][a-z]+(?![\w/-])")


class _LowercaseVocabulary:
    """Words the text writes in lowercase in running prose (URLs and e-mail addresses excluded),
    as a container: ``key in vocabulary`` is ``key in set(_LOWER_WORD.findall(text))``, worked
    out for the few keys asked about instead of listing every word of the text. A match of
    ``_LOWER_WORD`` is a whole run of a-z letters with neither a word character, "/", "." nor
    "-" before it and neither a word character, "/" nor "-" after it, so the key is such a word
    when it occurs with the same look-arounds."""

    __slots__ = ("text", "cleaned", "memo")

    def __init__(self, text: str):
        self.text, self.cleaned, self.memo = text, None, {}

    def __contains__(self, key: str) -> bool:
        hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = self._find(key)
        return hit

    def _find(self, key: str) -> bool:
        if len(key) < 2 or not (key.isascii() and key.isalpha() and key.islower()) or key not in self.text:
            return False
        if self.cleaned is None:
            self.cleaned = _URLISH.sub(" ", self.text) if _URL_HINT.search(self.text) else self.text
        return re.search(rf"(?<![\w/.-]){key}(?![\w/-])", self.cleaned) is not None


def _lowercase_vocabulary(text: str) -> _LowercaseVocabulary:
    """Words the text writes in lowercase in running prose (see ``_LowercaseVocabulary``)."""
    return _LowercaseVocabulary(text)


# Word endings of nationality adjectives; "-i" ("Iraqi") only through the demonym list, as many
# place names end in it too ("Curtici", "Tskhinvali", "Helsinki").
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|ean|ese|ish|ans|ians)$")
_DEMONYMS = {"german", "thai", "greek", "french", "dutch", "swiss", "czech", "irish", "welsh", "arab", "slovak",
             "afghan", "american", "african", "mexican", "cuban", "korean", "chinese", "russian", "ukrainian",
             "canadian", "israeli", "iraqi", "iranian", "syrian", "turkish", "polish", "british", "english",
             "european", "asian", "latin", "nordic", "baltic", "soviet", "western", "eastern"}


def _person_words(text: str, runs: list[_Run], found) -> frozenset[str]:
    """Keys of words the text uses as a person's surname: the last word of a capitalised
    name of two to four words that is not itself a place ("Bill Clark", "Rep. Jane Harman",
    "John Q. Public" -> "clark", "harman", "public"), and the first names of such names."""
    out = set()
    for run in runs:
        words = [name_key(text[s:e]) for s, e in run.words]
        titled = False
        while words and (words[0] in _TITLES or words[0] in _NEVER or words[0] in common_words()) \
                and words[0] not in first_names():
            titled = titled or words[0] in _TITLES
            words = words[1:]
        if not 2 <= len(words) <= 4 or " ".join(words) in found:
            continue
        first, last = words[0], words[-1]
        if not first or not last.isalpha() or last in _PLACE_HEADS or last in _QUALIFIED:
            continue
        run_text = text[run.words[0][0]:run.words[-1][1]]
        if first in _DIRECTIONS or any(w in _CONNECTORS for w in run_text.split()) or "-" in run_text:
            continue
        if first in found and any(c.kind in ("country", "region") and c.population >= 100_000 for c in found[first]):
            continue  # "Texas Rangers", "Ohio State"
        middle_initial = any(len(w) == 1 for w in words[1:-1])
        strong = titled or middle_initial or first in first_names()
        if not (strong or (len(words) == 2 and first not in found and first not in common_words()
                           and not any(c.population >= 40_000 for c in found.get(last, ())))):
            continue
        out.add(last)
        if first.isalpha() and not any(c.population >= 20_000 or c.kind != "city" for c in found.get(first, ())):
            out.add(first)
    return frozenset(out)


def _major(p: Place) -> bool:
    """A country, or a first- or second-level region with people in it."""
    if p.kind == "country":
        return True
    if p.kind == "region" and p.feature_code == "ADM1":
        return p.population >= 100_000
    return p.kind == "region" and p.feature_code == "ADM2" and p.population >= 10_000


def _not_a_person(text: str, s: int, e: int, key: str, cands, persons, soft: bool = False) -> bool:
    """False when the words around a single-word candidate mark it as a person (with
    ``soft``, only the sure cases: the learned filter weighs the rest)."""
    if " " in key:
        return True
    surface = text[s:e]
    if key in _TITLES:
        return False
    if _CONTRACTION.search(surface) or key in _COMMON_CAPS:
        return any(c.kind == "country" and name_key(c.name) == key for c in cands)
    if soft:
        return True
    top = cands[0]
    # a major place by its own name (not "Carter" for Carter County)
    big = _major(top) and (top.kind == "country" or name_key(top.name) == key or top.feature_code == "ADM1")
    if key in first_names() and not big and max(c.population for c in cands) < 20_000:
        return False
    if key in common_words() and not (big or top.population >= 100_000):
        return False
    before = re.findall(r"([A-Za-z]+)\.?\s+$", text[max(0, s - 16):s])
    if before and before[-1].lower() in _TITLES:
        return False
    if _PERSON_AFTER.match(text[e:e + 24]) and not big:
        return False
    if key in persons and not big:
        return False
    return True


_LEADING_MARK = re.compile(r"^(?:[’']s?|\.)")


def _nationality_of_known_area(before: list[str], top) -> bool:
    """ "Russian Karelia", "Turkish Cyprus": a nationality adjective before a region, a country
    or a big city says whose it is; it does not make the two one name."""
    return (len(before) == 1 and bool(demonym_key(before[0]))
            and (top.kind in ("region", "country") or (top.kind == "city" and top.population >= 100_000)))


def _plausible(text, s, e, key, run: _Run, cands, lowercase_words, found, modifiers=False) -> bool:
    surface = text[s:e]
    top = cands[0]
    letters = surface.replace(".", "")
    # Acronyms ("NIS", "HUR", "KBS") are places only when they name a country ("US", "DPRK").
    if letters.isupper() and len(letters) <= 5:
        dotted = "." in surface and key in abbreviations() or (
            "." in surface and any(c.kind == "city" and c.population >= 1_000_000 for c in cands[:3]))
        if not any(c.kind == "country" for c in cands) and not dotted:
            return False
    # Demonyms and adjectives of nationality ("Canadian", "German") name people, not places.
    if " " not in key and top.kind not in ("country", "region", "water") and (
            key in _DEMONYMS or _DEMONYM.match(surface) or demonym_key(surface)):
        if not any(name_key(c.name) == key and c.population > 100_000 for c in cands):  # "Thessaloníki"
            return False
    # A common word written in lowercase elsewhere in the same text ("close", "Just").
    if " " not in key and key in lowercase_words and top.kind not in ("country",) and not (modifiers and SOFT):
        return False
    run_start, run_end = run.words[0][0], run.words[-1][1]
    if e < run_end:
        rest_key = name_key(text[s:run_end])
        if any(rest_key == p or rest_key.startswith(p + " ") for p in _NEVER_PHRASES):
            return False  # "Red" of "Red Cross"
        if demonym_key(" ".join(text[s:run_end].split()[:2])):
            return False  # "Sri" of "Sri Lankan"
    if not modifiers and " " not in key and key in common_words() and before_nonempty(text, run_start, s) \
            and text[s - 1] == " " and text[s - 2:s - 1].isalpha() \
            and text[run_start:s].split()[-1] not in _CONNECTORS:
        return False  # "Bay" of "Subic Bay", "Gap" of "Darién Gap": a word of a longer name
    if not modifiers and key in _FACILITY_HEADS and e < run_end:
        return False  # "Camp" of "Camp Shamrock": the base's name opens with it
    # A place inside a longer capitalised name is part of that name ("Kyiv Post", "Vladimir Putin"),
    # unless the rest of the run is a title or institution it qualifies ("U.S. President").
    if before_nonempty(text, run_start, s) and text[s - 1] != "-" and not (modifiers and SOFT_RUNS):
        before = text[run_start:s].split()
        cut = max((k for k, w in enumerate(before) if w in _CONNECTORS), default=-1)
        before = before[cut + 1:]  # "Chongjin and Hamhung": a connector ends the name before it
        before_keys = [name_key(w) for w in before]
        if not (all(k in _DIRECTIONS for k in before_keys) or _is_place_key(" ".join(before_keys), found)
                or _nationality_of_known_area(before, top)):
            if not (before_keys == ["the"] and e == run_end) and not (
                    modifiers and all(k in _NEVER or k in _DIRECTIONS for k in before_keys)):
                return False
    rest_text = _LEADING_MARK.sub("", text[e:run_end]).strip() if e < run_end else ""
    if modifiers and rest_text and text[e] != "-" and key in first_names() and _person_run(rest_text):
        return False  # "Jordan Smith", "Paris Hilton"
    if rest_text and text[e] != "-" and not (modifiers and (SOFT_RUNS or _modifier_ok(text, s, e, key, cands,
                                                                                      rest_text))):
        rest = rest_text.split()
        nxt = name_key(rest[0]) if rest else ""
        if nxt not in _QUALIFIED and rest[0] not in _CONNECTORS and not _is_place_key(name_key(" ".join(rest)), found) \
                and not (top.kind == "city" and name_key(top.name) == key and _FACILITY_END.search(rest_text)
                         and len(rest) <= 4):
            return False
    # "Manuel Gonzalez": a first name and a surname that only a small place's alternate name
    # matches ("Colonia Manuel González"), or that is no place as a whole, is a person.
    small_alias = top.kind == "city" and top.population < 100_000 and not any(name_key(c.name) == key for c in cands[:5])
    if " " in key and key.split()[0] in first_names() and small_alias:
        return False
    if len(run.words) == 2 and name_key(text[run_start:run_start + 40].split()[0]) in first_names() \
            and top.kind == "city" and top.population < 100_000 \
            and text[run.words[0][1]:run.words[1][0]] in (" ", "-"):  # not "Granville and Cherbourg"
        whole = name_key(text[run_start:run_end])
        if not any(name_key(c.name) == whole for c in found.get(whole, ())[:5]):
            return False
    # "Alone, ...": a sentence-initial common word that only a small place's alternate name matches
    if " " not in key and small_alias and key in common_words() and _sentence_initial(text, s):
        return False
    # Sentence-initial single words that are common English words capitalised by position.
    if " " not in key and key in _COMMON_INITIAL and _sentence_initial(text, s):
        return False
    return True


def _modifier_ok(text: str, s: int, e: int, key: str, cands, rest: str) -> bool:
    """A place opening a longer name, as in "Texas Forest Service" or "U.S. House": a country,
    an admin1 region, or a city of some size, not a person's first name."""
    top = cands[0]
    nxt = name_key(rest.split()[0]) if rest.split() else ""
    if nxt in _TITLES or nxt in _NEVER_NAMES:
        return False
    if key in first_names() and nxt not in _PLACE_HEADS and nxt not in _QUALIFIED and len(rest.split()) <= 2 \
            and top.kind != "country":
        return False  # "Paris Hilton", "Jordan Smith": a person's name
    if _major(top):
        return True
    return top.population >= 5_000 or (top.kind != "city" and top.source == "curated")


_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# Words after a place that make an institution or a feature of it, not a person's surname.
_NAME_HEADS = {"council", "school", "schools", "university", "college", "department", "board", "commission",
               "hospital", "high", "middle", "elementary", "public", "area", "fire", "library", "museum",
               "club", "church", "center", "centre", "community", "regional", "memorial", "herald", "times",
               "news", "daily", "journal", "tribune", "gazette", "press", "bureau", "agency", "national",
               "international", "house", "senate", "valley", "street", "road", "avenue", "bridge", "zoo",
               "county", "city", "town", "village", "township", "square", "market", "mall", "bank", "post"}


def _person_run(rest: str) -> bool:
    """True if the capitalised words after a given name look like a surname, not a type or
    institution word ("Smith", not "County", "Police", "Valley")."""
    words = rest.split()
    nxt = name_key(words[0]) if words else ""
    return bool(nxt) and len(words) <= 2 and nxt.isalpha() and nxt not in _PLACE_HEADS \
        and nxt not in _QUALIFIED and nxt not in _CALENDAR and nxt not in _NAME_HEADS


def before_nonempty(text: str, run_start: int, s: int) -> bool:
    return s > run_start and bool(text[run_start:s].split())


def _is_place_key(key: str, found) -> bool:
    return bool(key) and key in found


def _sentence_initial(text: str, s: int) -> bool:
    before = text[max(0, s - 3):s]
    return s == 0 or before.endswith(("\n", ". ", "? ", "! ", "“", '"'))


_DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "greater", "upper", "lower",
               "occupied", "north", "south", "east", "west", "northeastern", "northwestern",
               "southeastern", "southwestern", "far", "northeast", "northwest", "southeast", "southwest",
               "downtown", "rural", "coastal", "metro", "mid", "suburban", "inner", "historic"}

_COMMON_INITIAL = {
    "many", "most", "some", "such", "then", "there", "here", "after", "before", "during", "while",
    "although", "however", "meanwhile", "additionally", "despite", "according", "speaking", "estimates",
    "while", "since", "both", "either", "neither", "each", "every", "other", "another", "close",
    "leave", "enter", "please", "thank", "successfuly", "explaining", "military", "victory", "liberty",
    "union", "independence", "paradise", "mission", "commerce", "industry", "enterprise", "harmony",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "twenty", "thirty", "forty", "fifty", "hundreds", "thousands", "dozens", "several", "few",
}


def key_variants(surface: str) -> list[str]:
    """Lookup keys to try for a given span, best first: the name itself, then without an
    article or possessive, with "Saint"/"Mount"/"Fort" spelled out, without a type word."""
    k = name_key(surface)
    out = [k]
    base = re.sub(r"^the ", "", k)
    base = re.sub(r" s$", "", base)  # possessive "Georgia's" -> "georgia s"
    out.append(base)
    if _ARTICLE.match(base):
        out.append(_ARTICLE.sub("", base))
    for short, full in (("st", "saint"), ("mt", "mount"), ("ft", "fort"), ("pt", "point")):
        if base.startswith(short + " "):
            out.append(full + base[len(short):])
    m = re.match(r"(.+) (city|town|township|twp|village|county|co|parish|state|province|region|area)$", base)
    if m:
        out.append(m.group(1) + (" county" if m.group(2) == "co" else ""))
        out.append(m.group(1))
    if base.endswith(" river") or base.startswith("river "):
        out.append(base.replace(" river", "").replace("river ", ""))
    seen, res = set(), []
    for x in out:
        if x and x not in seen:
            seen.add(x)
            res.append(x)
    return res


def spans_for(text: str, offsets, gazetteer: GazetteerPort) -> list[Span]:
    """Spans at the given offsets with their candidates (none when nothing fits): the name
    itself, a demonym's country, or a close variant of the name."""
    variants = {(s, e): key_variants(text[s:e]) for s, e in offsets}
    found = gazetteer.lookup_keys(sorted({k for v in variants.values() for k in v}))
    out = []
    for s, e in offsets:
        surface = text[s:e]
        vs = variants[(s, e)]
        key = vs[0] if vs else ""
        cands: tuple[Place, ...] = tuple(found.get(key, ()))
        dem = demonym_key(surface)
        if dem is not None and not any(c.kind in ("country", "region") and c.population > 100_000 for c in cands):
            places = demonym_places(dem, gazetteer)
            if places:
                out.append(Span(s, e, surface, dem, places, True))
                continue
        if not cands:
            for k in vs[1:]:
                if found.get(k):
                    key, cands = k, tuple(found[k])
                    break
        out.append(Span(s, e, surface, key, cands))
    return out
