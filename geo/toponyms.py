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

from gazetteer.normalize import name_key
from gazetteer.place import Place
from geo.gazetteer_port import GazetteerPort

# A word of a proper-name run: capitalised, possibly with inner hyphens/apostrophes/periods
# ("Ch'ongjin", "U.S.", "Rostov-on-Don", "Khan-Younis").
_WORD = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſ][\w’'.\-]*\w\.?|[A-Z]\.(?:[A-Z]\.)+|[A-Z]")
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
# Words that may follow a place in a longer capitalised run without making it another name:
# titles and institutions qualified by the place ("U.S. President", "Kursk Oblast Governor").
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


@dataclass(frozen=True, slots=True)
class _Run:
    start: int
    words: tuple[tuple[int, int], ...]  # (start, end) of each word


def _runs(text: str) -> list[_Run]:
    """Maximal runs of capitalised words (with connectors between them)."""
    runs: list[_Run] = []
    words: list[tuple[int, int]] = []
    last_end = -1
    for m in _WORD.finditer(text):
        s, e = m.start(), m.end()
        if s > 0 and (text[s - 1].isalnum()):
            continue  # inside a word
        if words:
            gap = text[last_end:s]
            prev_word = text[words[-1][0]:last_end]
            possessive = prev_word.endswith(("’s", "'s", "’", "'"))
            full_stop = prev_word.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]{0,3}\.", prev_word)
            if possessive or full_stop or not _joins(gap):
                runs.append(_Run(words[0][0], tuple(words)))
                words = []
        words.append((s, e))
        last_end = e
    if words:
        runs.append(_Run(words[0][0], tuple(words)))
    return runs


def _joins(gap: str) -> bool:
    """True if two capitalised words separated by ``gap`` belong to one run."""
    if gap in (" ", "-"):
        return True
    inner = gap.strip()
    return gap.startswith(" ") and gap.endswith(" ") and inner in _CONNECTORS and gap.count(" ") == 2


def _region_tail(text: str, end: int) -> int:
    """Extend a span over a following lowercase region word ("Kursk region")."""
    m = re.match(r" ([a-z]+)\b", text[end:end + 16])
    if m and m.group(1) in _REGION_WORDS:
        return end + m.end()
    return end


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


def _strip_possessive(text: str, s: int, e: int) -> int:
    for suffix in ("’s", "'s", "’", "'"):
        if text[s:e].endswith(suffix) and e - len(suffix) > s:
            return e - len(suffix)
    return e


def recognise(text: str, gazetteer: GazetteerPort) -> list[Span]:
    """Find the toponyms of ``text``: non-overlapping spans, longest match first."""
    runs = _runs(text)
    proposals: list[tuple[int, int, str, _Run]] = []
    keys: set[str] = set()
    for run in runs:
        for s, e in _subspans(text, run):
            e = _strip_possessive(text, s, e)
            surface = text[s:e].rstrip(".") if not re.fullmatch(r"(?:[A-Z]\.)+", text[s:e]) else text[s:e]
            e = s + len(surface)
            for end in {e, _region_tail(text, e)}:
                key = name_key(text[s:end])
                if key and key not in _NEVER:
                    proposals.append((s, end, key, run))
                    keys.add(key)
    found = gazetteer.lookup_keys(sorted(keys)) if keys else {}
    hits = {(s, e) for s, e, key, _ in proposals if key in found}
    lowercase_words = _lowercase_vocabulary(text)
    accepted: list[Span] = []
    taken: list[tuple[int, int]] = []
    # Longest first, then leftmost: "Kursk Oblast" beats "Kursk", "New York" beats "York".
    for s, e, key, run in sorted(proposals, key=lambda p: (-(p[1] - p[0]), p[0])):
        cands = found.get(key)
        if not cands:
            continue
        if any(s < te and ts < e for ts, te in taken):
            continue
        if not _hyphen_ok(text, s, e, hits):
            continue
        if not _plausible(text, s, e, key, run, cands, lowercase_words, found):
            continue
        taken.append((s, e))
        accepted.append(Span(s, e, text[s:e], key, tuple(cands)))
    accepted.sort(key=lambda sp: sp.start)
    return accepted


def _hyphen_ok(text: str, s: int, e: int, hits: set[tuple[int, int]]) -> bool:
    """A part of a hyphenated word is a place only beside another place ("Kursk-Voronezh",
    "Ukraine-Russia"), not inside a name or compound ("Jong-Un", "Euro-Atlantic")."""
    if s > 0 and text[s - 1] == "-" and not any(he == s - 1 for _, he in hits):
        return False
    if e < len(text) and text[e] == "-" and not any(hs == e + 1 for hs, _ in hits):
        return False
    return True


_URLISH = re.compile(r"\S*(?:https?://|www\.|@)\S*|\S+\.(?:com|org|net|html?)\S*")


def _lowercase_vocabulary(text: str) -> frozenset[str]:
    """Words the text writes in lowercase in running prose (URLs and e-mail addresses excluded)."""
    return frozenset(re.findall(r"(?<![\w/.-])[a-z][a-z]+(?![\w/-])", _URLISH.sub(" ", text)))


_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|ean|ese|ish|ans|ians|i)$")
_DEMONYMS = {"german", "thai", "greek", "french", "dutch", "swiss", "czech", "irish", "welsh", "arab", "slovak",
             "afghan", "american", "african", "mexican", "cuban", "korean", "chinese", "russian", "ukrainian",
             "canadian", "israeli", "iraqi", "iranian", "syrian", "turkish", "polish", "british", "english",
             "european", "asian", "latin", "nordic", "baltic", "soviet", "western", "eastern"}


def _plausible(text, s, e, key, run: _Run, cands, lowercase_words, found) -> bool:
    surface = text[s:e]
    top = cands[0]
    letters = surface.replace(".", "")
    # Acronyms ("NIS", "HUR", "KBS") are places only when they name a country ("US", "DPRK").
    if letters.isupper() and len(letters) <= 5:
        if not any(c.kind == "country" for c in cands):
            return False
    # Demonyms and adjectives of nationality ("Canadian", "German") name people, not places.
    if " " not in key and top.kind not in ("country", "region") and (key in _DEMONYMS or _DEMONYM.match(surface)):
        if not any(c.name.lower() == surface.lower() and c.population > 100_000 for c in cands):
            return False
    # A common word written in lowercase elsewhere in the same text ("close", "Just").
    if " " not in key and key in lowercase_words and top.kind not in ("country",):
        return False
    run_start, run_end = run.words[0][0], run.words[-1][1]
    # A place inside a longer capitalised name is part of that name ("Kyiv Post", "Vladimir Putin"),
    # unless the rest of the run is a title or institution it qualifies ("U.S. President").
    if before_nonempty(text, run_start, s) and text[s - 1] != "-":
        before = text[run_start:s].split()
        cut = max((k for k, w in enumerate(before) if w in _CONNECTORS), default=-1)
        before = before[cut + 1:]  # "Chongjin and Hamhung": a connector ends the name before it
        before_keys = [name_key(w) for w in before]
        if not (all(k in _DIRECTIONS for k in before_keys) or _is_place_key(" ".join(before_keys), found)):
            if not (before_keys == ["the"] and e == run_end):
                return False
    rest_text = re.sub(r"^(?:[’']s?|\.)", "", text[e:run_end]).strip()
    if rest_text and text[e] != "-":
        rest = rest_text.split()
        nxt = name_key(rest[0]) if rest else ""
        if nxt not in _QUALIFIED and rest[0] not in _CONNECTORS and not _is_place_key(name_key(" ".join(rest)), found):
            return False
    # Sentence-initial single words that are common English words capitalised by position.
    if " " not in key and _sentence_initial(text, s) and key in _COMMON_INITIAL:
        return False
    return True


def before_nonempty(text: str, run_start: int, s: int) -> bool:
    return s > run_start and bool(text[run_start:s].split())


def _is_place_key(key: str, found) -> bool:
    return bool(key) and key in found


def _sentence_initial(text: str, s: int) -> bool:
    before = text[max(0, s - 3):s]
    return s == 0 or before.endswith(("\n", ". ", "? ", "! ", "“", '"'))


_DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "greater", "upper", "lower",
               "occupied", "north", "south", "east", "west", "northeastern", "northwestern",
               "southeastern", "southwestern", "far"}

_COMMON_INITIAL = {
    "many", "most", "some", "such", "then", "there", "here", "after", "before", "during", "while",
    "although", "however", "meanwhile", "additionally", "despite", "according", "speaking", "estimates",
    "while", "since", "both", "either", "neither", "each", "every", "other", "another", "close",
    "leave", "enter", "please", "thank", "successfuly", "explaining", "military", "victory", "liberty",
    "union", "independence", "paradise", "mission", "commerce", "industry", "enterprise", "harmony",
}
