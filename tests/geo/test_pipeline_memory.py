"""The merge's memory (issue 9): per-document material goes to the spill store, the route
reads it back, the same route as the whole-list merge."""

import gc
import pickle
import sys
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from geo.model import DocumentMeta, DocumentStatus, Evidence
from geo.pipeline import RouteMerger, analyse_item
from geo.read import iter_sources
from geo.spill import Spilled, SpillStore

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import write_corpus  # noqa: E402
from test_pipeline_scale import reference_merge  # noqa: E402


@pytest.fixture(scope="module")
def synthetic(real_gazetteer, tmp_path_factory):
    corpus = write_corpus(tmp_path_factory.mktemp("corpus") / "c.jsonl", 60, seed=5)
    from geo.pipeline import analyse_document
    from geo.read import load_source

    docs = [load_source(s) for s in iter_sources([str(corpus)])]
    return [analyse_document(d, real_gazetteer) for d in docs]


def test_spilled_merge_equals_the_whole_list_merge_on_a_synthetic_archive(synthetic, real_gazetteer):
    expected = reference_merge(synthetic, (), "T", real_gazetteer.version)
    merger = RouteMerger("T", real_gazetteer.version)
    for i, a in reversed(list(enumerate(synthetic))):
        merger.add(analyse_item_from(a), i)
    got = merger.route()
    assert len(expected.legs) > 10 and sum(len(p.sources) for p in expected.places) > 100
    assert any(len(p.evidence) > 1 for p in expected.places)
    assert isinstance(got.places[0].sources, Spilled) and isinstance(got.documents, Spilled)
    # field by field first (a clearer failure), then the whole route
    for a, b in zip(got.places, expected.places):
        assert (a.place.id, a.role, a.mention_count, a.surface_forms) == (b.place.id, b.role, b.mention_count, b.surface_forms)
        assert tuple(a.sources) == b.sources
        assert tuple(a.evidence) == b.evidence
    for a, b in zip(got.legs, expected.legs):
        assert tuple(a.evidence) == b.evidence and all(e.sentence for e in a.evidence)
    assert tuple(got.documents) == expected.documents
    assert tuple(got.statuses) == expected.statuses
    assert got == expected


def analyse_item_from(a):
    from geo.pipeline import compact

    return compact(a)


def test_the_merger_keeps_nothing_per_document_that_has_no_events(real_gazetteer, tmp_path):
    """Articles that only name places (most of an archive) cost the merger no Python memory
    per article: their status, metadata, sources and evidence are on disk."""
    corpus = write_corpus(tmp_path / "c.jsonl", 40, seed=11)
    base = [analyse_item(s, real_gazetteer) for s in iter_sources([str(corpus)])]
    # their mentions, metadata and status, without the movement events
    quiet = [replace(a, events=()) for a in base if a.mentions]
    assert quiet

    def feed(merger, start, n):
        for k in range(start, start + n):
            a = quiet[k % len(quiet)]
            doc = f"d{k:07d}"
            merger.add(replace(
                a, meta=replace(a.meta, id=doc), status=replace(a.status, id=doc),
                mentions=tuple(replace(m, document=doc) for m in a.mentions),
                place_evidence=tuple(((doc, k2[1], k2[2]), replace(v, document=doc)) for k2, v in a.place_evidence)))

    merger = RouteMerger(None, real_gazetteer.version)
    feed(merger, 0, 300)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        feed(merger, 300, 3000)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # The whole-list merge kept several KB per article here; a few bytes of counters may move.
    assert grown / 3000 < 64, f"{grown / 3000:.0f} bytes per article"
    route = merger.route()
    assert len(route.statuses) == 3300 and len(route.documents) == 3300
    assert max(len(p.sources) for p in route.places) > 1000


def test_spilled_sequences_behave_like_tuples():
    store = SpillStore()
    store.add_document("b", 1, DocumentStatus("b", None, "ok"), DocumentMeta("b", "B"))
    store.add_document("a", 0, DocumentStatus("a", None, "ok"), DocumentMeta("a", "A"))
    store.add_document("a", 2, DocumentStatus("a", None, "error", "dup"), None)
    store.add_place_sources([(0, "b"), (0, "a"), (0, "b"), (1, "c")])
    store.add_place_evidence([(0, Evidence("b", "Ó \ud800 x", 5, 9)), (0, Evidence("a", "y", 1, 2))])
    store.finish()
    docs = store.documents()
    assert docs == (DocumentMeta("a", "A"), DocumentMeta("b", "B")) and len(docs) == 2
    assert (DocumentMeta("a", "A"), DocumentMeta("b", "B")) == docs
    assert docs[1] == DocumentMeta("b", "B") and docs[-2] == DocumentMeta("a", "A") and docs[:1] == (DocumentMeta("a", "A"),)
    with pytest.raises(IndexError):
        docs[2]
    assert hash(docs) == hash(tuple(docs))
    assert pickle.loads(pickle.dumps(docs)) == tuple(docs)
    assert docs.by_id()["b"].title == "B" and "zz" not in docs.by_id() and docs.by_id().get("zz") is None
    assert [s.status for s in store.statuses()] == ["ok", "error", "ok"]
    assert list(store.place_sources(0)) == ["a", "b"] and list(store.place_sources(1)) == ["c"]
    assert list(store.place_evidence(0)) == [Evidence("a", "y", 1, 2), Evidence("b", "Ó \ud800 x", 5, 9)]
    assert not Spilled(store, lambda: iter(()))


def test_a_failing_spill_database_is_a_spill_error_naming_the_file(monkeypatch, tmp_path):
    """A full temporary folder (here: a database capped at a few pages) surfaces as a
    MovemapError that names the temporary file and its folder, not a bare sqlite3 error."""
    from movemap.errors import MovemapError, SpillError

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    store = SpillStore()
    assert store.path.startswith(str(tmp_path)) and "movemap-spill-" in store.path
    assert not list(tmp_path.iterdir())  # unlinked at once: nothing is left behind
    store._db.execute("PRAGMA max_page_count = 8")
    with pytest.raises(SpillError) as err:
        store.add_sentences(Evidence(f"d{i}", "x" * 500, 0, 500) for i in range(200))
    assert isinstance(err.value, MovemapError)
    assert store.path in str(err.value) and str(tmp_path) in str(err.value) and "full" in str(err.value)
