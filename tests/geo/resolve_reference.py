"""The resolver as it was before its features became array operations: every candidate's
features computed one by one in plain Python, straight from their definitions.

Kept as the oracle of ``test_resolve_exact.py``: ``geo.resolve`` must choose the same places
with the same scores, to the last bit, on any input.
"""

from __future__ import annotations

import math
from collections import defaultdict

from geo.model import Mention
from geo.resolve import (MAX_CANDIDATES, POOL, ROUNDS, _LOCAL, _fallback, _inside, _km_of_dot,
                         _plausible_candidates, _qualifiers, _score, _squash, _unit)


def _static_features(c, rank, quals, top_pop):
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


def _context_features(c, cv, others, local_vecs):
    f = {}
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


def _pool_features(c, cv, pool):
    f = {}
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


class Doc:
    def __init__(self, text, spans):
        quals = _qualifiers(text, spans)
        self.cands = [_plausible_candidates(sp.candidates[:MAX_CANDIDATES], sp.key, bool(quals.get(i)))
                      for i, sp in enumerate(spans)]
        self.by_key = defaultdict(list)
        for i, sp in enumerate(spans):
            if self.cands[i]:
                self.by_key[sp.key].append(i)
        self.vec = {}
        for cs in self.cands:
            for c in cs:
                if c.id not in self.vec:
                    self.vec[c.id] = _unit(c.lat, c.lon)
        pools = {k: [(o, self.vec[o.id]) for o in self.cands[v[0]][:POOL]] for k, v in self.by_key.items()}
        self.static = {}
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

    def features(self, choice, rnd):
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


def resolve(doc_id, text, spans, *, fallback=False):
    if not spans:
        return []
    choice = None
    score = {}
    doc = Doc(text, spans)
    for rnd in range(ROUNDS):
        feats = doc.features(choice, rnd)
        new_choice = {}
        for k, fs in feats.items():
            scores = [_score(f) for f in fs]
            best = max(range(len(scores)), key=lambda j: (scores[j], -j))
            new_choice[k] = doc.cands[doc.by_key[k][0]][best]
            score[k] = scores[best]
        choice = new_choice
    out = []
    for sp in spans:
        p = choice.get(sp.key) if sp.candidates else None
        out.append(Mention(doc_id, sp.start, sp.end, sp.surface, p,
                           round(_squash(score.get(sp.key, 0.0)), 4) if p is not None else 0.0))
    return _fallback(out) if fallback else out
