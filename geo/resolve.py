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

from gazetteer.normalize import name_key
from gazetteer.place import Place
from geo.model import Mention
from geo.toponyms import Span

MAX_CANDIDATES = 30
ROUNDS = 3
POOL = 10  # candidates of the other names that count as soft context

#: feature weights of the candidate score (see :func:`_features`), fitted by
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


def _qualifiers(text: str, spans: list[Span]) -> dict[int, list[int]]:
    """Spans qualified by a following or preceding area: "X, Y", "X in Y", "Y's X"."""
    out: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(spans):
        if i + 1 < len(spans):
            b = spans[i + 1]
            gap = text[a.end:b.start]
            if re.fullmatch(r",\s*|\s+in\s+(?:the\s+)?|\s*\(|,?\s+near\s+", gap):
                out[i].append(i + 1)
            if re.fullmatch(r"[’']s?\s+(?:[a-z\-]+\s+){0,3}", gap):
                out[i + 1].append(i)
    return out


def _unit(p: Place) -> tuple[float, float, float]:
    la, lo = math.radians(p.lat), math.radians(p.lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


def _km_of_dot(dot: float) -> float:
    return 6371.0 * math.acos(max(-1.0, min(1.0, dot)))


def _static_features(c: Place, rank: int, quals: list[Span], top_pop: float) -> dict[str, float]:
    """What a candidate brings by itself: rank, size, kind, qualifiers."""
    lp = math.log10(max(c.population, 0) + 10)
    f = {
        "rank": 1.0 / (1 + rank),
        "top": float(rank == 0),
        "pop": lp / 7,
        "pop_rel": (lp - top_pop) / 7,
        "big": float(c.population >= 1_000_000),
        "is_country": float(c.kind == "country"),
        "is_admin1": float(c.kind == "region" and c.feature_code == "ADM1"),
        "is_admin2": float(c.feature_code == "ADM2"),
        "is_water": float(c.kind in ("water", "site", "other") or (c.kind == "region" and c.source == "curated")),
    }
    if quals:
        hit = any(_inside(q, c) or (q.country_code == c.country_code and q.kind == "country")
                  for qs in quals for q in qs.candidates[:8])
        f["qualified"] = float(hit)
        f["qualifier_miss"] = float(not hit)
    return f


def _context_features(c: Place, cv, others: list[Place], local_vecs) -> dict[str, float]:
    """What the article's other places (their current choices) say about a candidate."""
    f: dict[str, float] = {}
    if not others:
        return f
    n = len(others)
    same_cc = sum(1 for o in others if o.country_code and o.country_code == c.country_code)
    f["country"] = same_cc / n
    f["country_cnt"] = 1 - math.exp(-same_cc / 2)
    if c.admin1_code:
        same_a1 = sum(1 for o in others if o.admin1_code == c.admin1_code)
        f["admin1"] = same_a1 / n
        f["admin1_cnt"] = 1 - math.exp(-same_a1 / 2)
    if c.kind in ("country", "region"):
        inside = sum(1 for o in others if _inside(c, o))
        f["inside"] = inside / n
        f["inside_cnt"] = 1 - math.exp(-inside / 2)
    if c.kind != "country" and local_vecs:
        dot = max(cv[0] * v[0] + cv[1] * v[1] + cv[2] * v[2] for v in local_vecs)
        d = _km_of_dot(dot)
        f["near"] = math.exp(-d / 150.0)
        f["near_far"] = math.exp(-d / 800.0)
    return f


def _features(c: Place, rank: int, quals: list[Span], others: list[Place], top_pop: float,
              pool: list[list[Place]] = ()) -> dict[str, float]:
    """All features of one candidate (the slow reference of what :func:`candidate_features` computes)."""
    f = _static_features(c, rank, quals, top_pop)
    f.update(_pool_features(c, _unit(c), [[(o, _unit(o)) for o in cs] for cs in pool]))
    local = [_unit(o) for o in others if o.kind in _LOCAL or o.feature_code == "ADM2"]
    f.update(_context_features(c, _unit(c), others, local))
    return f


def _pool_features(c: Place, cv, pool) -> dict[str, float]:
    """Soft context: the other names' candidates, whichever of them gets chosen."""
    f: dict[str, float] = {}
    if not pool:
        return f
    n = len(pool)
    if c.admin1_code:
        f["admin1_any"] = sum(1 for cs in pool if any(o.admin1_code == c.admin1_code for o, _ in cs)) / n
    if c.kind != "country":
        best = -2.0
        for cs in pool:
            for o, v in cs:
                if o.kind != "country":
                    dot = cv[0] * v[0] + cv[1] * v[1] + cv[2] * v[2]
                    if dot > best:
                        best = dot
        if best > -2.0:
            f["near_any"] = math.exp(-_km_of_dot(best) / 100.0)
    return f


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


class _Doc:
    """Per-document state of the resolver: candidates, qualifiers and the features that do
    not change between rounds (computed once)."""

    def __init__(self, text: str, spans: list[Span]):
        quals = _qualifiers(text, spans)
        self.cands = [_plausible_candidates(sp.candidates[:MAX_CANDIDATES], sp.key, bool(quals.get(i)))
                      for i, sp in enumerate(spans)]
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for i, sp in enumerate(spans):
            if self.cands[i]:
                self.by_key[sp.key].append(i)
        self.vec: dict[str, tuple[float, float, float]] = {}
        for cs in self.cands:
            for c in cs:
                if c.id not in self.vec:
                    self.vec[c.id] = _unit(c)
        pools = {k: [(o, self.vec[o.id]) for o in self.cands[v[0]][:POOL]] for k, v in self.by_key.items()}
        self.static: dict[str, list[dict[str, float]]] = {}
        for k, idxs in self.by_key.items():
            q = [spans[j] for i in idxs for j in quals.get(i, ())]
            cs = self.cands[idxs[0]]
            top_pop = max(math.log10(max(c.population, 0) + 10) for c in cs)
            pool = [pl for kk, pl in pools.items() if kk != k]
            rows = []
            for rank, c in enumerate(cs):
                f = _static_features(c, rank, q, top_pop)
                f.update(_pool_features(c, self.vec[c.id], pool))
                rows.append(f)
            self.static[k] = rows

    def features(self, choice: dict[str, Place] | None, rnd: int) -> dict[str, list[dict[str, float]]]:
        if choice is None:
            choice = {k: self.cands[v[0]][0] for k, v in self.by_key.items()}
        anchors = {k: p for k, p in choice.items()
                   if rnd > 0 or len(self.cands[self.by_key[k][0]]) == 1 or p.kind == "country"}
        feats = {}
        for k, idxs in self.by_key.items():
            others = [p for kk, p in anchors.items() if kk != k]
            local = [self.vec[o.id] for o in others if o.kind in _LOCAL or o.feature_code == "ADM2"]
            rows = []
            for c, st in zip(self.cands[idxs[0]], self.static[k]):
                f = dict(st)
                f.update(_context_features(c, self.vec[c.id], others, local))
                rows.append(f)
            feats[k] = rows
        return feats


def candidate_features(text: str, spans: list[Span], choice: dict[str, Place] | None = None,
                       rnd: int = 0, doc: _Doc | None = None) -> tuple[list[list[Place]], dict[str, list[int]], dict]:
    """Features of every candidate of every distinct key given the others' choices (for
    inference and for fitting :data:`WEIGHTS`, see ``geo.geoparse_train``)."""
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
    choice = None
    score: dict[str, float] = {}
    doc = _Doc(text, spans)
    for rnd in range(ROUNDS):
        cands, by_key, feats = candidate_features(text, spans, choice, rnd, doc)
        new_choice = {}
        for k, fs in feats.items():
            scores = [_score(f) for f in fs]
            best = max(range(len(scores)), key=lambda j: (scores[j], -j))
            new_choice[k] = cands[by_key[k][0]][best]
            score[k] = scores[best]
        choice = new_choice
    out = []
    for i, sp in enumerate(spans):
        p = choice.get(sp.key) if sp.candidates else None
        out.append(Mention(doc_id, sp.start, sp.end, sp.surface, p,
                           round(_squash(score.get(sp.key, 0.0)), 4) if p is not None else 0.0))
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
