"""The array resolver (``geo.resolve``) against the plain-Python oracle
(``resolve_reference``): same places, same scores, bit for bit, and the same features."""

import random
import sys
from pathlib import Path

import pytest

from gazetteer.place import Place
from geo import resolve as R
from geo.toponyms import Span, recognise

import resolve_reference as REF  # tests/geo is on sys.path (rootdir-relative test modules)

ROOT = Path(__file__).resolve().parents[2]


def _same(text, spans):
    got = R.resolve("d", text, spans, fallback=True)
    want = REF.resolve("d", text, spans, fallback=True)
    assert got == want
    assert [m.score for m in got] == [m.score for m in want]


def _synthetic(n, seed):
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_scale import _article

    rng = random.Random(seed)
    return [_article(rng, i, rng.random() < 0.5)["text"] for i in range(n)]


def test_same_as_reference_on_fake_gazetteer(fake_gazetteer):
    texts = [
        "Troops moved from Portgrad to Baseton and Rivertown, then to Blagoveshchensk.",
        "Blagoveshchensk, Bashkortostan is small. Later Blagoveshchensk grew.",
        "He lived in Blagoveshchensk.",
        "Kirby and Canadian are in Texas; New York and Russia talked.",
    ]
    for text in texts:
        _same(text, recognise(text, fake_gazetteer))


def test_same_as_reference_on_real_articles(real_gazetteer):
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for text in texts + _synthetic(40, 3):
        _same(text, recognise(text, real_gazetteer))
        _same(text, recognise(text, real_gazetteer, demonyms=True, modifiers=True))


def test_same_features_as_reference(real_gazetteer):
    for text in _synthetic(5, 4):
        spans = recognise(text, real_gazetteer)
        doc, ref = R._Doc(text, spans), REF.Doc(text, spans)
        choice = None
        for rnd in range(R.ROUNDS):
            cands, by_key, feats = R.candidate_features(text, spans, choice, rnd, doc)
            assert feats == ref.features(choice, rnd)
            choice = {k: cands[k][-1] for k in feats}  # any choice will do


def P(pid, lat, lon, kind="city", cc="AA", a1=None, pop=0, fc=None):
    return Place(id=pid, name=pid, lat=lat, lon=lon, kind=kind, country_code=cc, admin1_code=a1,
                 population=pop, feature_code=fc)


@pytest.mark.parametrize("seed", range(30))
def test_same_as_reference_on_odd_candidates(seed):
    """Random candidate lists with the cases that need care: a place that is a candidate of
    several names, one id with two positions, regions of unknown level, missing codes."""
    rng = random.Random(seed)
    pool = [
        P("aa", 10, 10, "country", "AA", fc="PCLI", pop=5_000_000),
        P("bb", 12, 14, "country", "BB", fc="PCLI", pop=2_000_000),
        P("r1", 10.5, 10.5, "region", "AA", "AA.1", 900_000, "ADM1"),
        P("r2", 11, 11, "region", "AA", "AA.2", 50_000, None),
        P("r3", 12.5, 14.5, "region", "BB", "BB.1", 300_000, "ADM2"),
        P("c1", 10.6, 10.4, "city", "AA", "AA.1", 300_000, "PPL"),
        P("c2", 11.2, 11.1, "city", "AA", "AA.2", 2_000, "PPL"),
        P("c3", 12.1, 14.2, "city", "BB", "BB.1", 1_500_000, "PPLC"),
        P("c3", 40.0, -3.0, "city", "BB", "BB.1", 1_500_000, "PPLC"),  # same id, elsewhere
        P("c4", -30, 150, "city", None, None, 0, None),
        P("w1", 10.9, 12.0, "water", None, None, 0, None),
        P("u1", 11.5, 11.5, "site", "AA", "AA.2", 0, None),
    ]
    names = [f"n{i}" for i in range(8)]
    spans, pos = [], 0
    text = ""
    for _ in range(rng.randrange(1, 14)):
        key = rng.choice(names)
        cands = tuple(rng.sample(pool, rng.randrange(0, 5)))
        sep = rng.choice([", ", " in ", " and ", "'s ", ". "])
        text += key + sep
        spans.append(Span(pos, pos + len(key), key, key, cands))
        pos = len(text)
    _same(text, spans)
