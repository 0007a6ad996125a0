"""Toponym resolution: which of the same-named places each mention means.

Each candidate of a span gets a linear score over features of the candidate and of the
article (weights in :data:`WEIGHTS`):

* its prior: gazetteer rank (own name before alternate names, kind, population) and size;
* the article's geography: how many of the article's other places lie in the candidate's
  country and admin1 region, or inside the candidate when it is a country or region
  ("Georgia" with Atlanta and Macon is the US state), and how near the nearest of them is;
* explicit qualifiers: "Springfield, Illinois", "Paris, Tenn.", "Athens in Greece",
  "Russia's Kursk";
* demonyms and country mentions ("Russian troops", "Egyptian") support their country.

Inference runs in rounds: unambiguous places anchor ambiguous ones, then every span is
re-scored against the others' current choices.  One sense per name per document.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

import numpy as np

from gazetteer.normalize import name_key
from gazetteer.place import Place
from geo.model import Mention
from geo.toponyms import Span

MAX_CANDIDATES = 30
ROUNDS = 3
POOL = 10  # candidates of the other names that count as soft context

#: feature weights of the candidate score (see :func:`_score`), fitted by
#: ``python -m geo.geoparse_train`` on the training half of LGL (held-out half: acc@161 0.849,
#: 0.871 with the fallback of :func:`resolve`)
WEIGHTS = {
    'admin1': 0.068,
    'admin1_any': 3.015,
    'admin1_cnt': 1.787,
    'big': -0.857,
    'country': 0.991,
    'country_cnt': 0.528,
    'inside': 1.774,
    'inside_cnt': 1.207,
    'is_admin1': 0.37,
    'is_admin2': -0.468,
    'is_country': 1.76,
    'is_water': 1.896,
    'near': 0.689,
    'near_any': 1.877,
    'near_far': 0.734,
    'pop': 2.774,
    'pop_rel': 2.176,
    'qualified': 4.098,
    'qualifier_miss': -1.112,
    'rank': 2.072,
    'top': -0.243,
}


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def km(a: Place, b: Place) -> float:
    return km_between(a.lat, a.lon, b.lat, b.lon)


def contains(area: Place, place: Place, *, admin2: bool = False) -> bool:
    """True if ``area`` (a country or admin1 region) contains ``place``.

    With ``admin2`` an admin1 region also contains the admin2 regions inside it (the resolver's
    view); without, a region never contains another region (the route's view of stops)."""
    if area.id == place.id:
        return False
    if area.kind == "country":
        return bool(area.country_code) and area.country_code == place.country_code and place.kind != "country"
    if area.kind == "region" and area.admin1_code and area.feature_code in ("ADM1", None):
        if place.admin1_code != area.admin1_code:
            return False
        if admin2:
            return place.feature_code != "ADM1" and place.kind != "country"
        return place.kind != "region"
    return False


def _inside(area: Place, place: Place) -> bool:
    return contains(area, place, admin2=True)


_LOCAL = ("city", "site", "water", "other")


_QUALIFIED_BY_NEXT = re.compile(r",\s*|\s+in\s+(?:the\s+)?|\s*\(|,?\s+near\s+")
_QUALIFIED_BY_PREVIOUS = re.compile(r"[’']s?\s+(?:[a-z\-]+\s+){0,3}")


def _qualifiers(text: str, spans: list[Span]) -> dict[int, list[int]]:
    """Spans qualified by a following or preceding area: "X, Y", "X in Y", "Y's X"."""
    out: dict[int, list[int]] = defaultdict(list)
    for i in range(len(spans) - 1):
        gap = (spans[i].end, spans[i + 1].start)  # matched in place: gaps can be long
        if _QUALIFIED_BY_NEXT.fullmatch(text, *gap):
            out[i].append(i + 1)
        if _QUALIFIED_BY_PREVIOUS.fullmatch(text, *gap):
            out[i + 1].append(i)
    return out


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    la, lo = math.radians(lat), math.radians(lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


def _km_of_dot(dot: float) -> float:
    return 6371.0 * math.acos(max(-1.0, min(1.0, dot)))


def _qualified(c: Place, quals: list[Span]) -> bool:
    return any(_inside(q, c) or (q.country_code == c.country_code and q.kind == "country")
               for qs in quals for q in qs.candidates[:8])


def _score(f: dict[str, float]) -> float:
    w = WEIGHTS
    total = 0.0
    for k, v in f.items():
        if v:
            total += w.get(k, 0.0) * v
    return total


def _plausible_candidates(cands, key: str = "", qualified: bool = False) -> list[Place]:
    """Drop the namesakes no context can justify: hamlets a thousand times smaller than a
    country or big city of the same name ("Russia", Ohio; "Moscow", Pennsylvania) unless a
    qualifier names them ("London, Ky."), and a region called by the name of its main city
    when that city is a candidate too ("Odessa": the city, not Odesa Oblast)."""
    cands = list(cands)
    if len(cands) < 2:
        return cands
    if key:
        cities = [c for c in cands if c.kind == "city"]
        named_after = [c for c in cands if c.kind == "region" and c.feature_code == "ADM1"
                       and name_key(c.name) != key
                       and any(t.country_code == c.country_code and t.admin1_code == c.admin1_code
                               and t.population * 10 >= c.population for t in cities)]
        if named_after:
            cands = [c for c in cands if c not in named_after]
    if qualified:
        return cands
    top = max(c.population for c in cands)
    if top < 1_000_000:
        return cands
    keep = [c for c in cands if c.population * 1000 >= top or c.source in ("user", "curated")]
    return keep or cands[:1]


#: the features in the order the reference implementation (plain Python, one candidate at a
#: time: ``tests/geo/resolve_reference.py``) sums them into a score: prior, qualifiers, the other
#: names' candidates (fixed for the document), then the article's current choices (each round).
#: Adding the columns in this order keeps every score the same float, bit for bit.
_FIXED = ("rank", "top", "pop", "pop_rel", "big", "is_country", "is_admin1", "is_admin2", "is_water",
          "qualified", "qualifier_miss", "admin1_any", "near_any")
_CONTEXT = ("country", "country_cnt", "admin1", "admin1_cnt", "inside", "inside_cnt", "near", "near_far")
_NO_DOT = -3.0  # below any dot product of two unit vectors: "no such place"


class _Memo:
    """A bounded memo of a pure function of one number to a tuple of ``width`` floats, read for
    many numbers at once as the rows of an array. The same places, distances and counts recur
    in every article, and ``math.acos``/``math.exp`` are the costly part of a feature (numpy's
    vectorised versions may differ from them in the last bit); the results are kept in one
    array so that a lookup of a hundred values is one dict pass and one gather, not a hundred
    Python floats put into an array one by one."""

    def __init__(self, fn, width: int = 1, limit: int = 100_000):
        self.fn, self.limit = fn, limit
        self.row: dict[float, int] = {}
        self.table = np.empty((1024, width))

    def rows(self, values: list) -> np.ndarray:
        """``fn`` of each of ``values``, one row each."""
        row = self.row
        if len(row) + len(values) > self.limit:
            row.clear()
        found = list(map(row.get, values))
        if None in found:
            for i, v in enumerate(values):
                if found[i] is None:
                    found[i] = self._add(v)
        return self.table[found]

    def _add(self, v) -> int:
        r = self.row.get(v)
        if r is None:
            r = self.row[v] = len(self.row)
            if r == len(self.table):
                self.table = np.concatenate([self.table, np.empty_like(self.table)])
            self.table[r] = self.fn(v)
        return r


_CNT = _Memo(lambda n: 1 - math.exp(-n / 2))
_NEAR_ANY = _Memo(lambda dot: math.exp(-_km_of_dot(dot) / 100.0))
_NEAR = _Memo(lambda dot: (math.exp(-_km_of_dot(dot) / 150.0), math.exp(-_km_of_dot(dot) / 800.0)), width=2)


def _mapped(memo: _Memo, values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """``memo`` of each present value (a row each), 0.0 elsewhere."""
    out = np.zeros((len(values), memo.table.shape[1]))
    where = np.flatnonzero(present)
    if len(where):
        out[where] = memo.rows(values[where].tolist())
    return out


def _saturating(counts: np.ndarray, present: np.ndarray) -> np.ndarray:
    """``1 - exp(-count / 2)`` of each present count, 0.0 elsewhere."""
    table = _CNT.rows(list(range(int(counts.max(initial=0)) + 1)))[:, 0]
    return np.where(present, table[counts], 0.0)


def _codes(values: list[int]) -> np.ndarray:
    """Small integer codes (below ``len(values)``) of interned values (see :func:`_interned`),
    equal where the values are equal; a falsy value (-1) gets ``len(values)``, a code that
    stands for "matches nothing" (no eligible place has it). A dict, not ``np.unique``: the
    arrays hold one article's candidates, where numpy's sorting costs more than it saves."""
    code: dict[int, int] = {-1: len(values)}
    return np.array([code.setdefault(v, len(code) - 1) for v in values], dtype=np.intp)


#: what the features need of a place, as numbers (flags as 0/1, strings interned): unit vector,
#: log population, kinds, codes of its country, admin1 region and id
_RECORD = ("x", "y", "z", "log_pop", "big", "country", "region", "local", "not_adm1", "adm2", "water", "has_cc",
           "has_a1", "a1_area", "cc", "a1", "id")
_INTERNED: dict[str, int] = {}


def _interned(value: str | None) -> int:
    """A number standing for a truthy string (the same for equal strings), -1 for a falsy one."""
    return _INTERNED.setdefault(value, len(_INTERNED)) if value else -1


def _record(p: Place) -> tuple:
    """``p`` as the values named in :data:`_RECORD`."""
    fc = p.feature_code
    return (*_unit(p.lat, p.lon), math.log10(max(p.population, 0) + 10), p.population >= 1_000_000,
            p.kind == "country", p.kind == "region", p.kind in _LOCAL or fc == "ADM2", fc != "ADM1", fc == "ADM2",
            p.kind in ("water", "site", "other") or (p.kind == "region" and p.source == "curated"),
            bool(p.country_code), bool(p.admin1_code),
            p.kind == "region" and bool(p.admin1_code) and fc in ("ADM1", None),
            _interned(p.country_code), _interned(p.admin1_code), _interned(p.id))


_RECORDS: dict[int, tuple[Place, tuple]] = {}


def _records(places: list[Place]) -> list[tuple]:
    """The records of ``places``, memoised by object identity (the gazetteer hands out the
    same Place objects again and again; hashing a Place hashes all its fields). Each entry
    keeps its place alive, so its id cannot be reused while it is cached."""
    memo = _RECORDS
    out = []
    for p in places:
        hit = memo.get(id(p))
        if hit is None or hit[0] is not p:
            if len(memo) >= 200_000:
                memo.clear()
                _INTERNED.clear()  # no record keeps a number of the old table
            hit = memo[id(p)] = (p, _record(p))
        out.append(hit[1])
    return out

Column = tuple[np.ndarray, np.ndarray]  # values (0.0 where absent), present

#: (key, qualified) -> (the span's candidates, the plausible ones): the spans of a key share
#: their candidates, and the same names recur across articles (checked by equality, which for
#: the gazetteer's own Place objects is an identity test per element)
_PLAUSIBLE: dict[tuple[str, bool], tuple[tuple[Place, ...], list[Place]]] = {}


def _weighted_sum(columns: dict[str, Column], order: tuple[str, ...], total: np.ndarray) -> np.ndarray:
    """``total`` plus each column times its weight, in ``order`` (an absent feature adds 0.0,
    which leaves a float sum as it is, as :func:`_score` skipping it does)."""
    for name in order:
        total = total + WEIGHTS.get(name, 0.0) * columns[name][0]
    return total


class _Doc:
    """Per-document state of the resolver.

    The candidates of every distinct key are laid out as consecutive rows, and what the
    features compare (unit vectors, country, admin1, kind) is held in arrays over the rows, so
    that a round scores every candidate with a few array operations instead of comparing
    each candidate with each other place in Python (O(keys^2 x candidates) per round). The
    features that do not change between rounds are summed once. Every feature is computed
    with the same float operations, in the same order, as the plain definition, so choices and
    scores are exactly the reference's (``tests/geo/test_resolve_exact.py``).
    """

    def __init__(self, text: str, spans: list[Span]):
        quals = _qualifiers(text, spans)
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for i, sp in enumerate(spans):
            if sp.candidates:
                self.by_key[sp.key].append(i)
        self.keys = list(self.by_key)
        self.cands, position = self._candidates(spans, quals)
        self.bounds: list[tuple[int, int]] = []
        self.places: list[Place] = []
        for k in self.keys:
            self.bounds.append((len(self.places), len(self.places) + len(self.cands[k])))
            self.places.extend(self.cands[k])
        self.starts = np.array([s for s, _ in self.bounds], dtype=np.intp)
        sizes = np.array([e - s for s, e in self.bounds], dtype=np.intp)
        self.key = np.repeat(np.arange(len(self.bounds)), sizes)
        self.rank = np.arange(len(self.places)) - self.starts[self.key]
        self._place_arrays(position)
        self.dots: np.ndarray | None = None
        self.fixed = self._fixed_columns(spans, quals)
        self.fixed_total = _weighted_sum(self.fixed, _FIXED, np.zeros(len(self.places)))

    def _candidates(self, spans: list[Span], quals: dict[int, list[int]]
                    ) -> tuple[dict[str, list[Place]], dict[str, Place]]:
        """Each key's plausible candidates (those of its first span), and the first candidate
        of each id in text order over all spans (whose position stands for the id's)."""
        cands: dict[str, list[Place]] = {}
        position: dict[str, Place] = {}
        plausible = _PLAUSIBLE
        seen: dict[tuple[str, bool], tuple[Place, ...]] = {}  # the spans of a key share their candidates
        for i, sp in enumerate(spans):
            if not sp.candidates:
                continue
            qualified = bool(quals.get(i))
            if seen.get((sp.key, qualified)) == sp.candidates:
                continue  # nothing new for ``position``
            seen[sp.key, qualified] = sp.candidates
            done = plausible.get((sp.key, qualified))
            if done is None or done[0] != sp.candidates:
                if len(plausible) >= 100_000:
                    plausible.clear()
                done = plausible[sp.key, qualified] = (
                    sp.candidates, _plausible_candidates(sp.candidates[:MAX_CANDIDATES], sp.key, qualified))
            cands.setdefault(sp.key, done[1])
            for c in done[1]:
                position.setdefault(c.id, c)
        return cands, position

    def _place_arrays(self, position: dict[str, Place]) -> None:
        places = self.places
        rec = np.array(_records(places), dtype=float).reshape(-1, len(_RECORD))
        self.vec, self.log_pop = rec[:, 0:3], rec[:, 3]
        for r, p in enumerate(places):
            q = position[p.id]
            if q is not p and (q.lat, q.lon) != (p.lat, p.lon):
                self.vec[r] = _unit(q.lat, q.lon)
        flag = dict(zip(_RECORD[4:14], (rec[:, 4:14] > 0).T))
        self.big, self.is_country, self.is_region = flag["big"], flag["country"], flag["region"]
        self.is_local, self.not_adm1, self.is_adm2 = flag["local"], flag["not_adm1"], flag["adm2"]
        self.is_water, self.has_cc, self.has_a1 = flag["water"], flag["has_cc"], flag["has_a1"]
        self.cc, self.a1, self.pid = (_codes(column) for column in rec[:, 14:17].astype(np.intp).T.tolist())
        # the code an area compares with the places inside it (``contains``): a country its
        # country code, an admin1 region (ADM1 or of unknown level) its admin1 code
        none = len(places)
        self.inside_cc = np.where(self.is_country, self.cc, none)
        self.inside_a1 = np.where(flag["a1_area"], self.a1, none)

    # ------------------------------------------------------------ features fixed for the document
    def _fixed_columns(self, spans: list[Span], quals: dict[int, list[int]]) -> dict[str, Column]:
        """What a candidate brings by itself (rank, size, kind, qualifiers) and the soft
        context of the other names' candidates: the features that stay the same every round."""
        always = np.ones(len(self.places), dtype=bool)
        lp = self.log_pop
        top_pop = np.maximum.reduceat(lp, self.starts)[self.key] if len(lp) else lp
        cols = {
            "rank": (1.0 / (1 + self.rank), always),
            "top": ((self.rank == 0).astype(float), always),
            "pop": (lp / 7, always),
            "pop_rel": ((lp - top_pop) / 7, always),
            "big": (self.big.astype(float), always),
            "is_country": (self.is_country.astype(float), always),
            "is_admin1": ((self.is_region & ~self.not_adm1).astype(float), always),
            "is_admin2": (self.is_adm2.astype(float), always),
            "is_water": (self.is_water.astype(float), always),
        }
        cols["qualified"], cols["qualifier_miss"] = self._qualifier_columns(spans, quals)
        cols["admin1_any"], cols["near_any"] = self._pool_columns()
        return cols

    def _qualifier_columns(self, spans: list[Span], quals: dict[int, list[int]]) -> tuple[Column, Column]:
        """Whether a qualifier of any of the key's spans ("X, Y", "Y's X") fits the candidate."""
        hit = np.zeros(len(self.places))
        present = np.zeros(len(self.places), dtype=bool)
        for (s, e), idxs in zip(self.bounds, self.by_key.values()):
            q = [spans[j] for i in idxs for j in quals.get(i, ())]
            if q:
                present[s:e] = True
                hit[s:e] = [_qualified(c, q) for c in self.places[s:e]]
        return (hit, present), (np.where(present, 1.0 - hit, 0.0), present)

    def _pool_columns(self) -> tuple[Column, Column]:
        """Soft context: how many other names have a candidate (among their first ``POOL``) in
        the candidate's admin1 region, and how near the nearest such candidate is."""
        n = len(self.places)
        others = len(self.keys) - 1
        if others < 1:
            nothing = (np.zeros(n), np.zeros(n, dtype=bool))
            return nothing, nothing
        pool_a1 = [{p.admin1_code for p in self.places[s:min(e, s + POOL)] if p.admin1_code} for s, e in self.bounds]
        keys_with: dict[str, int] = defaultdict(int)
        for codes in pool_a1:
            for a1 in codes:
                keys_with[a1] += 1
        a1_any = np.array([(keys_with[p.admin1_code] - (p.admin1_code in pool_a1[ki])) / others
                           if p.admin1_code else 0.0 for p, ki in zip(self.places, self.key.tolist())], dtype=float)
        best = self._max_dot(np.flatnonzero((self.rank < POOL) & ~self.is_country))
        near = ~self.is_country & (best > _NO_DOT)
        return (a1_any, self.has_a1.copy()), (_mapped(_NEAR_ANY, best, near)[:, 0], near)

    def _max_dot(self, cols: np.ndarray) -> np.ndarray:
        """For every row, the largest dot product of its unit vector with that of a ``cols``
        row of another key (``_NO_DOT`` if there is none)."""
        if not len(cols):
            return np.full(len(self.places), _NO_DOT)
        return self._dots()[:, cols].max(axis=1)

    def _dots(self) -> np.ndarray:
        """The dot products of every row's unit vector with every other's, summed as
        (x0*y0 + x1*y1) + x2*y2, and ``_NO_DOT`` between rows of one key: worked out once per
        document for the soft context and every round's nearest anchor."""
        if self.dots is None:
            a = self.vec
            dots = a[:, 0:1] * a[:, 0] + a[:, 1:2] * a[:, 1] + a[:, 2:3] * a[:, 2]
            dots[self.key[:, None] == self.key[None, :]] = _NO_DOT
            self.dots = dots
        return self.dots

    # ------------------------------------------------------------ rounds
    def first_rows(self) -> np.ndarray:
        """Every key's top-ranked candidate (the choice before any context)."""
        return self.starts.copy()

    def anchors(self, chosen: np.ndarray, rnd: int) -> np.ndarray:
        """Per key, the row of its chosen place if that choice counts as context this round
        (in the first, only unambiguous names and countries), else -1."""
        if rnd > 0:
            return chosen
        single = np.array([e - s == 1 for s, e in self.bounds], dtype=bool)
        return np.where(single | self.is_country[chosen], chosen, -1)

    def context_columns(self, anchor_of_key: np.ndarray) -> dict[str, Column]:
        """What the article's other places (the other keys' anchors) say about each candidate:
        shared country and admin1, places inside an area, distance to the nearest local place."""
        anchors = anchor_of_key[anchor_of_key >= 0]
        own = anchor_of_key[self.key]
        has_own = own >= 0
        own = np.where(has_own, own, 0)
        n_others = len(anchors) - has_own
        some = n_others > 0

        def count(row_code, code, eligible):
            """Per row: the other keys' anchors that are ``eligible`` and share its code."""
            total = np.bincount(code[anchors[eligible[anchors]]], minlength=len(self.places) + 1)
            return total[row_code] - (has_own & eligible[own] & (code[own] == row_code))

        same_cc = count(self.cc, self.cc, self.has_cc)
        same_a1 = count(self.a1, self.a1, self.has_a1)
        inside = (count(self.inside_cc, self.cc, self.has_cc & ~self.is_country)
                  + count(self.inside_a1, self.a1, self.has_a1 & self.not_adm1 & ~self.is_country))
        area = some & (self.is_country | self.is_region)
        self._recount_shared_areas(inside, area & (count(self.pid, self.pid, self.pid >= 0) > 0), anchors)
        per = np.maximum(n_others, 1)
        best = self._max_dot(anchors[self.is_local[anchors]])
        near = some & ~self.is_country & (best > _NO_DOT)
        near_by, near_far = _mapped(_NEAR, best, near).T
        admin1 = some & self.has_a1
        return {
            "country": (np.where(some, same_cc / per, 0.0), some),
            "country_cnt": (_saturating(same_cc, some), some),
            "admin1": (np.where(admin1, same_a1 / per, 0.0), admin1),
            "admin1_cnt": (_saturating(same_a1, admin1), admin1),
            "inside": (np.where(area, inside / per, 0.0), area),
            "inside_cnt": (_saturating(inside, area), area),
            "near": (near_by, near),
            "near_far": (near_far, near),
        }

    def _recount_shared_areas(self, inside: np.ndarray, rows: np.ndarray, anchors: np.ndarray) -> None:
        """``contains`` never counts an area inside itself (same id), which the counts by code
        do not see: recount with ``contains`` itself the few area rows whose id is also
        another key's anchor."""
        for r in np.flatnonzero(rows).tolist():
            c, k = self.places[r], self.key[r]
            inside[r] = sum(1 for a in anchors.tolist() if self.key[a] != k and _inside(c, self.places[a]))

    def scores(self, anchor_of_key: np.ndarray) -> np.ndarray:
        return _weighted_sum(self.context_columns(anchor_of_key), _CONTEXT, self.fixed_total)

    def choose(self, scores: np.ndarray) -> tuple[np.ndarray, list[float]]:
        """Each key's best row (the first of equal scores) and its score."""
        best = np.maximum.reduceat(scores, self.starts)
        rows = np.where(scores == best[self.key], np.arange(len(scores)), len(scores))
        return np.minimum.reduceat(rows, self.starts), best.tolist()

    def features(self, choice: dict[str, Place] | None, rnd: int) -> dict[str, list[dict[str, float]]]:
        """Every candidate's present features as a dict, in scoring order, given the keys'
        current choices: for fitting :data:`WEIGHTS` (``geo.geoparse_train``)."""
        if choice is None:
            chosen = self.first_rows()
        else:
            chosen = np.array([s + self.cands[k].index(choice[k]) for k, (s, _) in zip(self.keys, self.bounds)],
                              dtype=np.intp)
        cols = {**self.fixed, **self.context_columns(self.anchors(chosen, rnd))}
        order = _FIXED + _CONTEXT
        return {k: [{name: float(cols[name][0][r]) for name in order if cols[name][1][r]} for r in range(s, e)]
                for k, (s, e) in zip(self.keys, self.bounds)}


def candidate_features(text: str, spans: list[Span], choice: dict[str, Place] | None = None,
                       rnd: int = 0, doc: _Doc | None = None
                       ) -> tuple[dict[str, list[Place]], dict[str, list[int]], dict[str, list[dict[str, float]]]]:
    """Each distinct key's candidates, the spans of each key and the features of every
    candidate given the others' choices (for fitting :data:`WEIGHTS`, see ``geo.geoparse_train``)."""
    doc = doc or _Doc(text, spans)
    return doc.cands, doc.by_key, doc.features(choice, rnd)


def resolve(doc_id: str, text: str, spans: list[Span], *, fallback: bool = False) -> list[Mention]:
    """Choose one place per span, coherent with the rest of the article.

    With ``fallback``, a span the gazetteer knows nothing about ("Lanexa", "Neches River")
    is put at the place of the nearest local toponym of the same article (in text order),
    as an approximate position (``source = "inferred"``, no geonameid, low score): local
    news mostly names small places next to the ones it names first."""
    if not spans:
        return []
    doc = _Doc(text, spans)
    choice: dict[str, Place] = {}
    score: dict[str, float] = {}
    if doc.keys:
        chosen, anchors = doc.first_rows(), None
        for rnd in range(ROUNDS):
            previous, anchors = anchors, doc.anchors(chosen, rnd)
            if previous is None or not np.array_equal(anchors, previous):  # else: a fixed point
                chosen, best = doc.choose(doc.scores(anchors))
        choice = {k: doc.places[r] for k, r in zip(doc.keys, chosen.tolist())}
        score = {k: round(_squash(b), 4) for k, b in zip(doc.keys, best)}
    out = []
    for sp in spans:
        p = choice.get(sp.key) if sp.candidates else None
        out.append(Mention(doc_id, sp.start, sp.end, sp.surface, p, score[sp.key] if p is not None else 0.0))
    if fallback:
        out = _fallback(out)
    return out


def _fallback(mentions: list[Mention]) -> list[Mention]:
    local = [(m.start, m.place) for m in mentions
             if m.place is not None and (m.place.kind in _LOCAL or m.place.feature_code == "ADM2")]
    regions = [(m.start, m.place) for m in mentions
               if m.place is not None and m.place.kind == "region" and m.place.feature_code == "ADM1"]
    out = []
    for m in mentions:
        if m.place is None and (local or regions):
            pool = local or regions
            _, anchor = min(pool, key=lambda sp: (abs(sp[0] - m.start), sp[0]))
            approx = Place(id=f"inferred:{anchor.id}", name=m.surface, lat=anchor.lat, lon=anchor.lon, kind="other",
                           country_code=anchor.country_code, admin1_code=anchor.admin1_code, admin1=anchor.admin1,
                           source="inferred")
            m = Mention(m.document, m.start, m.end, m.surface, approx, 0.05)
        out.append(m)
    return out


def _squash(score: float) -> float:
    return 1 / (1 + math.exp(-(score - 1.5)))
