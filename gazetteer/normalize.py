"""Name keys: the one normalisation shared by the database build and every lookup.

``name_key`` folds a place name to a plain lowercase ASCII key so that spelling
variants found in news text ("Ch'ŏngjin", "U.S.", "St. Petersburg", "Хабаровск")
meet the spellings stored in GeoNames.  The build and the lookups must use the very
same function, so change it only together with ``SCHEMA_VERSION`` in ``build.py``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "is_indexable_name"]

# Apostrophe-like marks are dropped outright ("Ch'ŏngjin" -> "chongjin"), as are periods
# ("U.S." -> "us").  Hyphens, underscores and dashes separate words.
_DROP = re.compile(r"['’‘ʼʻ`´.]")
_SPACE = re.compile(r"[\s\-_‐‑‒–—―/]+")
_OTHER = re.compile(r"[^a-z0-9& ]+")

# Scripts whose transliteration by anyascii gives a spelling that English-language text
# actually uses: Latin, Greek, Cyrillic (plus combining marks, modifier letters and
# general punctuation).  Names in other scripts (CJK, Arabic, Hebrew, Indic, Thai...)
# fold to syllable or consonant strings ("fladyfwstwk") that never occur in English text
# and only add false matches, so the build does not index them.
_INDEXABLE = re.compile(
    r"^[\u0000-\u024F\u0250-\u02FF\u0300-\u036F\u0370-\u03FF\u0400-\u052F"
    r"\u1E00-\u1EFF\u2000-\u206F]*$"
)


def _fold(s: str) -> str:
    if s.isascii():
        return s
    from anyascii import anyascii  # imported lazily: keeps `import gazetteer` cheap

    # NFC first so that decomposed input ("o" + U+0306) folds like precomposed input.
    return anyascii(unicodedata.normalize("NFC", s))


def name_key(s: str) -> str:
    """Return the lookup key of a place name.

    anyascii-fold, casefold, drop apostrophes and periods, turn hyphens, underscores
    and any other punctuation into spaces, collapse whitespace, strip.

    >>> name_key("Ch'ŏngjin"), name_key("U.S."), name_key("St. Petersburg")
    ('chongjin', 'us', 'st petersburg')
    """
    if not s:
        return ""
    s = _DROP.sub("", s)  # before folding: anyascii maps some marks to "'"
    s = _fold(s).casefold()
    s = _DROP.sub("", s)
    s = _OTHER.sub(" ", s)  # other punctuation (commas, brackets...) separates words
    s = _SPACE.sub(" ", s)
    return s.strip()


def is_indexable_name(s: str) -> bool:
    """True if *s* is written in a script the gazetteer indexes (Latin, Greek, Cyrillic)."""
    return bool(s) and _INDEXABLE.match(s) is not None
