"""Toponym resolution: which of the same-named places each mention means.

Each candidate gets a score from its prior (gazetteer rank: exact name, population, kind)
plus what the article says around it: the countries and regions it names, explicit
qualifiers ("Ussuriysk, Primorsky Krai", "Russia's Khabarovsk", "Springfield, Illinois"),
and nearness to the article's other places. Two rounds let unambiguous places anchor
ambiguous ones; one sense per name per document.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from gazetteer.place import Place
from geo.model import Mention
from geo.toponyms import Span

W_RANK = 1.0
W_POP = 0.35
W_COUNTRY = 1.2
W_ADMIN1 = 1.0
W_QUALIFIED = 3.0
W_NEAR = 1.2
NEAR_KM = 600.0
MAX_CANDIDATES = 25


def km(a: Place, b: Place) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def contains(area: Place, place: Place) -> bool:
    """True if ``area`` (a country or admin1 region) contains ``place``."""
    if area.id == place.id:
        return False
    if area.kind == "country":
        return bool(area.country_code) and area.country_code == place.country_code and place.kind != "country"
    if area.kind == "region" and area.admin1_code and area.feature_code in ("ADM1", None):
        return place.admin1_code == area.admin1_code and place.kind != "region"
    return False


def _prior(rank: int, place: Place) -> float:
    return W_RANK / (1 + rank) + W_POP * math.log10(place.population + 10) / 7


def _qualifiers(text: str, spans: list[Span]) -> dict[int, list[Span]]:
    """Spans qualified by a following or preceding area: "X, Y", "X in Y", "Y's X"."""
    out: dict[int, list[Span]] = defaultdict(list)
    for i, a in enumerate(spans):
        if i + 1 < len(spans):
            b = spans[i + 1]
            gap = text[a.end:b.start]
            if re.fullmatch(r",\s*|\s+in\s+(?:the\s+)?|\s*\(", gap):
                out[i].append(b)
            if re.fullmatch(r"[’']s?\s+(?:[a-z\-]+\s+){0,3}", gap):
                out[i + 1].append(a)
    return out


def resolve(doc_id: str, text: str, spans: list[Span]) -> list[Mention]:
    """Choose one place per span, coherent with the rest of the article."""
    if not spans:
        return []
    cands = [list(sp.candidates[:MAX_CANDIDATES]) for sp in spans]
    qualifiers = _qualifiers(text, spans)
    # Restrict a qualified span to candidates inside one of its qualifier's candidates.
    qualified_bonus: dict[tuple[int, str], float] = {}
    for i, quals in qualifiers.items():
        for q in quals:
            for c in cands[i]:
                if any(contains(area, c) for area in q.candidates[:5]):
                    qualified_bonus[(i, c.id)] = W_QUALIFIED
    choice = [c[0] for c in cands]
    for _round in range(2):
        countries = Counter()
        admin1s = Counter()
        for i, p in enumerate(choice):
            weight = 1.0 if len(cands[i]) == 1 or p.kind in ("country", "region") else 0.5
            if p.country_code:
                countries[p.country_code] += weight
            if p.kind == "region" and p.admin1_code:
                admin1s[p.admin1_code] += 1.0
        total_countries = sum(countries.values()) or 1.0
        new_choice = []
        by_key: dict[str, list[int]] = defaultdict(list)
        for i, sp in enumerate(spans):
            by_key[sp.key].append(i)
        for key, idxs in by_key.items():
            best, best_score = None, -1e9
            others = [choice[j] for j in range(len(spans)) if spans[j].key != key]
            for rank, c in enumerate(cands[idxs[0]]):
                score = _prior(rank, c)
                share = countries.get(c.country_code, 0.0)
                own = sum(1 for j in idxs if choice[j].country_code == c.country_code) * 0.5
                score += W_COUNTRY * max(0.0, share - own) / total_countries
                if c.admin1_code and admin1s.get(c.admin1_code):
                    score += W_ADMIN1
                score += max(qualified_bonus.get((i, c.id), 0.0) for i in idxs)
                if others and c.kind == "city":
                    near = [km(c, o) for o in others if o.kind == "city"]
                    if near:
                        score += W_NEAR * math.exp(-min(near) / NEAR_KM)
                if score > best_score + 1e-12:
                    best, best_score = c, score
            for i in idxs:
                new_choice.append((i, best, best_score))
        new_choice.sort(key=lambda t: t[0])
        choice = [p for _, p, _ in new_choice]
        scores = [s for _, _, s in new_choice]
    return [
        Mention(doc_id, sp.start, sp.end, sp.surface, choice[i], round(_squash(scores[i]), 4))
        for i, sp in enumerate(spans)
    ]


def _squash(score: float) -> float:
    return 1 / (1 + math.exp(-(score - 1.0)))
