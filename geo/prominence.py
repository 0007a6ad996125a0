"""Namesakes on a route map: the better-known place unless the text says otherwise.

The resolver is fitted on local news, where "Hanover" is as likely a small US town as the
German city. Reporting about troops, ships and refugees names the places a reader knows: when
the resolver picks a village or a province but the article's own words point at a far bigger
city of the same name in a country the article names, or at the city a province is named after,
or a country is named like its capital (Djibouti, Singapore, Luxembourg), or a city is called by
its own name rather than by a foreign name of another (Constanța, not Konstanz), the route stops at
that city. A qualifier ("Hanover, Maryland") always wins.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace

from gazetteer.place import Place
from geo.model import Mention
from geo.resolve import contains, km
from geo.toponyms import Span, name_key  # the recogniser's memoised name_key

# How much bigger a namesake must be to overrule the resolver, and how big at least.
PROMINENCE_RATIO = 10
PROMINENT_POPULATION = 100_000
# A province named after its city gives way to the city if the city holds this share of it.
CITY_SHARE = 0.1

_QUALIFIER_GAP = re.compile(r",\s*(?:the\s+)?$|\s+\($")


_FACILITY_BEFORE = re.compile(r"\b(?:Camp|Base|Garrison|Barracks|Cantonment)\s+$")


def prefer_prominent(text: str, mentions: list[Mention], spans: list[Span]) -> list[Mention]:
    """``mentions`` as resolved from ``spans`` (one each, same order), with namesakes revised.
    A base named like a town ("Camp Shamrock") is no mention of that town unless the town lies
    in a country the article is about ("Camp Ādaži" in a story about Latvia)."""
    named = {m.place.country_code for m in mentions if m.place is not None and m.place.kind == "country"}
    nearby = _namesakes_by_their_neighbours(text, mentions, spans)
    # (key, id of the place) -> (candidates, place, namesake): the mentions of a name share them
    better_of: dict[tuple[str, int], tuple[tuple[Place, ...], Place, Place | None]] = {}
    out = []
    for k, (m, sp) in enumerate(zip(mentions, spans)):
        p = m.place
        if p is not None and _FACILITY_BEFORE.search(text, max(0, m.start - 12), m.start) \
                and p.country_code not in named and not _others_in(mentions, k, p.country_code):
            continue
        if p is not None and _stray_alias(p, sp, mentions, k, named):
            continue
        if p is None or _qualified(text, mentions, k):
            out.append(m)
            continue
        done = better_of.get((sp.key, id(p)))
        if done is None or done[1] is not p or done[0] != sp.candidates:
            done = better_of[sp.key, id(p)] = (sp.candidates, p, _better_namesake(p, sp, named, nearby))
        better = done[2]
        out.append(replace(m, place=better) if better is not None else m)
    return out


def _better_namesake(p: Place, sp: Span, named: set[str | None], nearby: dict[str, Place]) -> Place | None:
    """The namesake the story means instead of ``p``, if any (see the module docstring)."""
    return (nearby.get(sp.key) or _city_of_province(p, sp) or _prominent_namesake(p, sp, named)
            or _capital_of_the_same_name(p, sp) or _namesake_by_its_own_name(p, sp, named))


NEIGHBOUR_KM = 300  # a namesake this close to a town told in the same sentence is the one meant
FAR_KM = 300  # ... when the chosen one is farther than this from every such town
CLOSER = 3  # ... and the namesake is this many times closer
_NEIGHBOUR_CHARS = 200


def _namesakes_by_their_neighbours(text: str, mentions: list[Mention], spans: list[Span]) -> dict[str, Place]:
    """ "buses from Beirut to Tripoli": of two Tripolis, the one near the town told with it (in
    Lebanon, not Libya), when the chosen one is far from every town told in its sentences. Decided
    per name, so every mention of it moves together."""
    out: dict[str, Place] = {}
    starts = [o.start for o in mentions]  # in text order
    breaks = _SentenceBreaks(text)
    for m, sp in zip(mentions, spans):
        p = m.place
        if p is None or p.kind not in ("city", "site") or sp.key in out or len(sp.candidates) < 2:
            continue
        lo, hi = bisect_left(starts, m.start - _NEIGHBOUR_CHARS), bisect_right(starts, m.start + _NEIGHBOUR_CHARS)
        around = mentions[lo:hi]
        towns = [o.place for o in around
                 if o is not m and o.place is not None and o.place.kind in ("city", "site") and o.surface != m.surface
                 and not breaks.between(o.start, m.start)]
        if not towns:
            continue
        chosen = min(km(p, t) for t in towns)
        if chosen <= FAR_KM:
            continue
        distance = {c.id: min(km(c, t) for t in towns)
                    for c in sp.candidates if c.kind in ("city", "site") and c.id != p.id}
        near = [c for c in sp.candidates if c.id in distance
                and distance[c.id] * CLOSER <= chosen and distance[c.id] <= NEIGHBOUR_KM]
        if near:
            out[sp.key] = max(near, key=lambda c: (c.population, c.id))
    return out


_BREAK = re.compile(r"[.!?]\s+[A-Z\"“]")


class _SentenceBreaks:
    """Whether a sentence ends between two offsets: ``text[lo:hi]`` holds a line end, or a
    full stop, question or exclamation mark, space and a capital or quote. The stops are found
    once per text (on first use) instead of searching the text between every pair of places.
    A stop lies within ``[lo, hi)`` when the first one at or after ``lo`` ends by ``hi``: the
    space after a mark is matched greedily up to a character that cannot be a space, so a
    stop's match is the same in the whole text as in any slice that holds it."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str):
        self.text = text
        self.starts: list[int] | None = None
        self.ends: list[int] = []

    def between(self, a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        if self.text.find("\n", lo, hi) >= 0:
            return True
        if self.starts is None:
            found = [m.span() for m in _BREAK.finditer(self.text)]
            self.starts, self.ends = [s for s, _ in found], [e for _, e in found]
        i = bisect_left(self.starts, lo)
        return i < len(self.starts) and self.ends[i] <= hi


STRAY_KM = 2000  # a hamlet matched by another name this far from all the story's places is not meant
STRAY_POPULATION = 5000


def _stray_alias(p: Place, sp: Span, mentions: list[Mention], k: int, named: set[str | None]) -> bool:
    """ "the border town of Tiné" (Chad), absent from the gazetteer, matched to Tigné, a French
    village, by one of its other names: a small place, called by a name not its own, in no country
    the story names or places, and far from every other place of the story, is not meant."""
    if p.kind != "city" or p.population >= STRAY_POPULATION or name_key(p.name) == sp.key:
        return False
    if p.country_code in named or any(
            o.place is not None and o.place.country_code == p.country_code and o.surface != mentions[k].surface
            and (o.place.population >= STRAY_POPULATION or name_key(o.place.name) == name_key(o.surface))
            for o in mentions):
        return False  # the story is about that country (a second stray there does not count)
    others = [o.place for j, o in enumerate(mentions) if j != k and o.place is not None
              and o.place.kind in ("city", "site") and o.surface != mentions[k].surface]
    home = [o for o in others if o.country_code in named] or others  # the places of the countries it names
    return bool(home) and all(km(p, o) > STRAY_KM for o in home)


def _others_in(mentions: list[Mention], k: int, cc: str | None) -> bool:
    return any(o.place is not None and o.place.country_code == cc and o.place.kind != "country"
               for j, o in enumerate(mentions) if j != k and o.surface != mentions[k].surface)


def _qualified(text: str, mentions: list[Mention], k: int) -> bool:
    """ "Hanover, Maryland", "Frankfurt (Oder)": the next place narrows this one down."""
    if k + 1 >= len(mentions):
        return False
    m, nxt = mentions[k], mentions[k + 1]
    if nxt.place is None or m.place is None or nxt.start - m.end > 6:
        return False
    return bool(_QUALIFIER_GAP.search(text[m.end:nxt.start])) and contains(nxt.place, m.place)


def _biggest(cities) -> Place | None:
    return max(cities, key=lambda c: (c.population, c.id), default=None)


def _cities_named_alike(p: Place, sp: Span):
    """The candidate cities in ``p``'s country whose own name is the name in the text."""
    return (c for c in sp.candidates
            if c.kind == "city" and c.country_code == p.country_code and name_key(c.name) == sp.key)


def _city_of_province(p: Place, sp: Span) -> Place | None:
    if p.kind != "region" or p.feature_code not in ("ADM1", "ADM2") or name_key(p.name) != sp.key:
        return None
    return _biggest(c for c in _cities_named_alike(p, sp)
                    if (p.feature_code != "ADM1" or c.admin1_code == p.admin1_code)
                    and c.population >= CITY_SHARE * p.population)


def _capital_of_the_same_name(p: Place, sp: Span) -> Place | None:
    """ "call at Djibouti", "docked in Singapore": a country with a city of its very name there
    is mapped at the city, a point a ship or a plane can reach. Only a city that holds a good
    share of the country (a capital, not the town of Mozambique Island)."""
    if p.kind != "country":
        return None
    return _biggest(c for c in _cities_named_alike(p, sp)
                    if c.population >= PROMINENT_POPULATION / 2 and c.population >= CITY_SHARE * p.population)


def _prominent_namesake(p: Place, sp: Span, named: set[str | None]) -> Place | None:
    if p.kind not in ("city", "site"):
        return None
    floor = max(PROMINENT_POPULATION, PROMINENCE_RATIO * p.population)
    return _biggest(c for c in sp.candidates
                    if c.kind == "city" and c.population >= floor and c.country_code in named
                    and c.country_code != p.country_code)


def _namesake_by_its_own_name(p: Place, sp: Span, named: set[str | None]) -> Place | None:
    """ "Constanța" in a story about Romania: a city matched only by one of its foreign names
    (Konstanz, "Constanta" in Romanian) gives way to a city of at least its size whose own name
    it is, in a country the article names; anywhere, a far bigger one ("Denver" with Texas named
    is Denver, not Denver City, Texas)."""
    if p.kind not in ("city", "site") or name_key(p.name) == sp.key:
        return None
    floor = max(PROMINENT_POPULATION, PROMINENCE_RATIO * p.population)
    return _biggest(c for c in sp.candidates
                    if c.kind == "city" and name_key(c.name) == sp.key
                    and ((c.country_code in named and c.country_code != p.country_code and c.population >= p.population)
                         or c.population >= floor))
