"""Small curated word lists the recogniser and resolver read from ``gazetteer/data``.

* demonyms (``demonyms.csv``): "Russian" -> RU, "Texan" -> US.TX, "European" -> Europe;
* region abbreviations (``region_aliases.csv`` rows with abbrev=1): "Ga.", "W.Va.", "Ont.",
  which are places only where written as abbreviations.

Loaded once, lazily.
"""

from __future__ import annotations

import csv
import weakref
from functools import lru_cache
from pathlib import Path

from gazetteer.normalize import name_key
from gazetteer.place import Place

DATA = Path(__file__).resolve().parents[1] / "gazetteer" / "data"


def _rows(name: str) -> list[dict]:
    path = DATA / name
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@lru_cache(maxsize=1)
def demonyms() -> dict[str, tuple[str, ...]]:
    """name key of a demonym -> its targets (country codes, admin1 codes or place names)."""
    out: dict[str, list[str]] = {}
    for r in _rows("demonyms.csv"):
        d, t = (r.get("demonym") or "").strip(), (r.get("target") or "").strip()
        if d and t:
            out.setdefault(name_key(d), []).append(t)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """Name keys of region abbreviations ("ga", "wva", "ont")."""
    return frozenset(name_key(r["alias"]) for r in _rows("region_aliases.csv")
                     if (r.get("abbrev") or "").strip() == "1" and r.get("alias"))


@lru_cache(maxsize=100_000)
def demonym_key(surface: str) -> str | None:
    """The demonym key of ``surface`` ("Russians" -> "russian"), or None. Memoised (bounded):
    the recogniser asks it of most capitalised words, the same ones in every article."""
    table = demonyms()
    k = name_key(surface)
    if k in table:
        return k
    if k.endswith("s") and k[:-1] in table and not k.endswith("ss"):
        return k[:-1]
    return None


_PLACES_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def demonym_places(key: str, gazetteer) -> tuple[Place, ...]:
    """The places a demonym key refers to, most likely first (memoised per gazetteer)."""
    try:
        memo = _PLACES_CACHE.setdefault(gazetteer, {})
    except TypeError:  # not weak-referenceable: no memo
        memo = {}
    if key not in memo:
        memo[key] = _demonym_places(key, gazetteer)
    return memo[key]


def _demonym_places(key: str, gazetteer) -> tuple[Place, ...]:
    out: list[Place] = []
    names = []
    for t in demonyms().get(key, ()):
        if len(t) == 2 and t.isupper():
            p = gazetteer.country_place(t)
        elif "." in t and t.split(".")[0].isupper() and len(t.split(".")[0]) == 2:
            p = gazetteer.admin1_place(t)
        else:
            names.append(name_key(t))
            continue
        if p is not None:
            out.append(p)
    if names:
        found = gazetteer.lookup_keys(names)
        for n in names:
            if found.get(n):
                out.append(found[n][0])
    seen, res = set(), []
    for p in out:
        if p.id not in seen:
            seen.add(p.id)
            res.append(p)
    return tuple(res)


def _word_file(name: str) -> frozenset[str]:
    path = DATA / name
    if not path.is_file():
        return frozenset()
    with open(path, encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Frequent English words (``common_words.txt``)."""
    return _word_file("common_words.txt")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Frequent given names (``first_names.txt``), lowercase."""
    return _word_file("first_names.txt")
