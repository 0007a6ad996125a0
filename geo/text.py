"""Sentences and page zones of an article's text.

News pages copied as text carry captions, headline lists and news feeds around the story.
Those zones still yield place mentions, but never movement claims, so the event stage
asks :func:`zones` which sentences are story text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from geo.model import Sentence

# Abbreviations that end with a period but do not end a sentence in news copy.
_ABBREVIATIONS = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen",
    "rep", "st", "mt", "ft", "no", "vs", "etc", "inc", "corp", "co", "ltd", "jr", "sr", "prof",
    "approx", "est", "dept", "univ", "ave", "blvd", "rd", "hwy", "u.s", "u.k", "u.n", "e.g", "i.e",
}

_BOUNDARY = re.compile(r"""([.!?…]+["”’)\]]*)(\s+)(?=["“‘(\[]?[A-Z0-9À-ÖØ-Þ])|\n\s*\n|\n(?=\s*\S)""")


_LAST_WORD = re.compile(r"([\w.]+)[.]$")


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences with offsets; newlines always end a sentence (news copy is line-based)."""
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(1):
            end = m.start(2)
            word = _LAST_WORD.search(text, max(start, m.start() - 12), m.start(1) + 1) if m.group(1) == "." else None
            if word:
                token = word.group(1).lower().rstrip(".")
                if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                    continue
        else:
            end = m.start()
        _emit(text, start, end, out)
        start = m.end()
    _emit(text, start, len(text), out)
    return out


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    seg = text[start:end]
    stripped = seg.strip()
    if not stripped:
        return
    lead = len(seg) - len(seg.lstrip())
    s = start + lead
    out.append(Sentence(s, s + len(stripped), stripped))


# Lines that open a block of page furniture running to the end of the page.
_FEED_HEADERS = re.compile(
    r"^\s*(?:\[[A-Z]+\]\s*)?(news feed|more news|latest stories|latest news|you may also like|popular now|"
    r"most read|most popular|must-reads|editors[’']? picks|related (?:stories|articles|news)|"
    r"recommended|trending|leave a reply|comments\d*|share it on\.*|read next)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# A photo credit or caption marker: the paragraph carrying it (or just above it) is a caption.
_CREDIT = re.compile(
    r"(getty images|/afp\b|\bafp via\b|/reuters|reuters/|\bap photo\b|/ap\b|/yonhap|\bphoto:|"
    r"\bphotograph:|\bimage:|\(photo|screenshot|illustrative purposes|/epa\b|\bepa-efe\b|/tass\b|"
    r"\bphoto by\b|\bphoto credit)",
    re.IGNORECASE,
)
# _CREDIT has no fixed prefix, so it tries every alternative at every position of a line: a
# line can only match if, case-folded like the regex folds it (ASCII case plus the four
# characters that re.IGNORECASE also equates with ASCII letters), it holds one of these.
_CREDIT_HINTS = ("getty images", "afp", "reuters", "ap photo", "/ap", "/yonhap", "photo", "image:", "screenshot",
                 "illustrative purposes", "epa", "/tass")
def lowered_matches_alike(text: str, low: str) -> bool:
    """Whether matching ``low`` (``text.lower()``) case-sensitively is matching ``text``
    case-insensitively, at the same offsets: not with letters that lower() lengthens, nor "ı"
    and "ſ" (which IGNORECASE matches to "i" and "s"). Lower-cased matching is several times
    faster on long alternations."""
    return text.isascii() or (len(low) == len(text) and "\u0131" not in text and "\u017f" not in text)


_RE_CASE_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _is_credit(line: str) -> bool:
    folded = line.translate(_RE_CASE_TWINS).lower()
    return any(h in folded for h in _CREDIT_HINTS) and _CREDIT.search(line) is not None


def zones(text: str) -> list[tuple[int, int, str]]:
    """Character ranges of the page that are not story text: ``(start, end, kind)``.

    ``kind`` is ``feed`` (headline lists and news feeds after a feed header), ``caption``
    (a paragraph with a photo credit, or followed by a credit line) or ``list`` (bullets).
    """
    return list(_zones(text))


@lru_cache(maxsize=64)
def _zones(text: str) -> tuple[tuple[int, int, str], ...]:
    out: list[tuple[int, int, str]] = []
    feed = _FEED_HEADERS.search(text)
    limit = feed.start() if feed else len(text)
    if feed:
        out.append((feed.start(), len(text), "feed"))
    lines = []
    pos = 0
    for line in text[:limit].splitlines(keepends=True):
        lines.append((pos, pos + len(line), line))
        pos += len(line)
    nonblank = [(a, b, l) for a, b, l in lines if l.strip()]
    for i, (a, b, line) in enumerate(nonblank):
        stripped = line.strip()
        if _is_credit(line):
            out.append((a, b, "caption"))
            if i > 0 and len(stripped) < 80:
                pa, pb, prev = nonblank[i - 1]
                out.append((pa, pb, "caption"))
        elif stripped.startswith(("•", "* ", "- ", "· ")) and not _BULLET_SENTENCE.search(stripped):
            out.append((a, b, "list"))  # headline lists, tags; a factbox's bullets are sentences of the story
    return tuple(sorted(out))


_BULLET_SENTENCE = re.compile(r"\w[\w\s,'’()-]{40,}[.!?][\"'”’)]?$")


def zone_at(text: str, offset: int) -> str | None:
    for a, b, kind in _zones(text):
        if a <= offset < b:
            return kind
    return None
