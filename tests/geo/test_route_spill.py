"""The route built over spilled events (geo.route_spill) equals build_route over the list, and
the merge holds no events in memory."""

import gc
import random
import tracemalloc
from dataclasses import replace
from datetime import date, timedelta

import pytest

from geo.model import DocumentMeta, DocumentStatus, Event, Evidence
from geo.pipeline import DocumentAnalysis, RouteMerger
from geo.route import build_route, legs_from
from geo.route_spill import EventCodec, spilled_legs
from geo.spill import SpillStore

NAMES = ["Chongjin", "Hamhung", "Portgrad", "Vladivostok", "Kursk", "Voronezh", "Russia", "Kursk Oblast"]


def _events(places, seed, n_docs=40):
    rng = random.Random(seed)
    names = [n for n in NAMES if n in places]
    out = []
    for k in range(n_docs):
        doc = f"d{rng.randrange(n_docs // 2):03d}.txt"  # repeated ids too
        for i in range(rng.randrange(0, 4)):
            relation = rng.choice(["move", "move", "arrive", "station", "head", "transit"])
            origins = tuple(places[x] for x in rng.sample(names, rng.choice([0, 1, 1, 2])))
            dests = tuple(places[x] for x in rng.sample(names, rng.choice([0, 1, 1, 2])))
            if relation == "transit" and not (origins and dests):
                relation = "move"
            start = date(2024, 10, 1) + timedelta(days=rng.randrange(20)) if rng.random() < 0.7 else None
            end = start + timedelta(days=rng.randrange(4)) if start and rng.random() < 0.5 else None
            ev_ = (Evidence(doc, f"{doc} sentence {i}", 10 * i, 10 * i + 9),)
            out.append(Event(doc, origins, dests, relation, rng.choice(["reported", "expected"]), start, end,
                             1 if start else 3, rng.choice(["unknown", "ship", "rail"]),
                             rng.choice([None, "troops", "marines"]), rng.choice([None, None, 1500, 300]), ev_,
                             anaphoric=rng.random() < 0.2))
    return out


def _spilled(events, published):
    places = {}
    codec = EventCodec(places)
    store = SpillStore()
    by_doc = {}
    for ev in events:
        for p in (*ev.origins, *ev.destinations):
            places[p.id] = p
        by_doc.setdefault(ev.document, []).append(ev)
    for seq, (doc, evs) in enumerate(sorted(by_doc.items())):
        store.add_sentences(e for ev in evs for e in ev.evidence)
        store.add_events(doc, seq, published.get(doc), [codec.dumps(replace(
            ev, evidence=tuple(replace(e, sentence="") for e in ev.evidence))) for ev in evs])
    store.finish()
    drafts, lone, _ = spilled_legs(store, places)
    return legs_from(drafts), lone, store


@pytest.mark.parametrize("seed", range(6))
def test_spilled_legs_equal_build_route(fake_places, seed):
    events = _events(fake_places, seed)
    docs = sorted({ev.document for ev in events})
    published = {d: date(2024, 10, 10) + timedelta(days=i % 5) for i, d in enumerate(docs) if i % 4}
    # build_route sees the documents' events grouped by document, in id order, as the merge does
    ordered = sorted(events, key=lambda ev: ev.document)
    expected = build_route(ordered, [], [DocumentMeta(d, published=published.get(d)) for d in docs], {})
    got, lone, _ = _spilled(ordered, published)
    assert expected.legs, "the random story should give legs"
    assert len(got) == len(expected.legs)
    for a, b in zip(got, expected.legs):
        assert replace(a, sources=tuple(a.sources), evidence=tuple(a.evidence)) == b


def test_fragments_join_on_disk_as_in_memory(fake_places):
    p = fake_places
    ev = lambda doc, o, d, **kw: Event(doc, tuple(p[x] for x in o), tuple(p[x] for x in d), "move",
                                       evidence=(Evidence(doc, "s", 0, 1),), **kw)
    events = [ev("a.txt", ["Chongjin", "Hamhung"], ["Russia"], start=date(2024, 10, 8), end=date(2024, 10, 13), count=1500),
              ev("b.txt", [], ["Portgrad"], start=date(2024, 10, 8), end=date(2024, 10, 13), count=1500, mode="ship"),
              ev("c.txt", ["Kursk"], ["Russia"], start=date(2024, 10, 9)),
              ev("d.txt", [], ["Voronezh"], start=date(2024, 10, 9), end=date(2024, 10, 10))]
    docs = [DocumentMeta(d, published=date(2024, 10, 20)) for d in ("a.txt", "b.txt", "c.txt", "d.txt")]
    expected = build_route(events, [], docs, {})
    got, _, _ = _spilled(events, {d.id: d.published for d in docs})
    names = [(leg.origin.name, leg.destination.name) for leg in got]
    assert ("Chongjin", "Portgrad") in names and ("Kursk", "Voronezh") in names
    assert [replace(a, sources=tuple(a.sources), evidence=tuple(a.evidence)) for a in got] == list(expected.legs)


def test_the_merger_keeps_no_events_in_memory(fake_places):
    """Articles with movements cost the merger no Python memory per event: they are on disk."""
    p = fake_places

    def analysis(k):
        doc = f"d{k:07d}"
        evs = tuple(Event(doc, (p["Chongjin"],), (p["Portgrad"],), "move", start=date(2024, 10, 1 + k % 20),
                          actor="troops", count=100 * (k % 7), evidence=(Evidence(doc, f"Sentence {k}.", 0, 12),))
                    for _ in range(3))
        meta = DocumentMeta(doc, f"Title {k}", "Outlet", date(2024, 10, 25))
        return DocumentAnalysis(meta, DocumentStatus(doc, None, "ok", None, meta.published, None, 0, 3), (), evs)

    merger = RouteMerger(None, "v")
    for k in range(200):
        merger.add(analysis(k))
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for k in range(200, 1200):
            merger.add(analysis(k))
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Keeping the events (as before) cost several hundred bytes per event here.
    assert grown / 1000 < 64, f"{grown / 1000:.0f} bytes per article"
    route = merger.route()
    (leg,) = route.legs
    assert len(leg.sources) == 1200 and len(leg.evidence) == 1200
    assert next(iter(leg.evidence)).sentence == "Sentence 0."
