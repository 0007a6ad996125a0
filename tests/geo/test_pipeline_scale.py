"""The streaming map/reduce: compact analyses, an order-free merge, the same route as before."""

import random
from dataclasses import replace
from pathlib import Path

import pytest

from geo.model import DocumentStatus
from geo.pipeline import RouteMerger, analyse_document, analyse_item, build, compact, merge_analyses
from geo.read import iter_sources, read_inputs
from geo.route import build_route

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def reference_merge(analyses, failures=(), title=None, version=""):
    """The merge as it was before streaming: every analysis whole, in one list."""
    ordered = sorted(analyses, key=lambda a: a.meta.id)
    events = [e for a in ordered for e in a.events]
    mentions = [m for a in ordered for m in a.mentions]
    evidence = {k: v for a in ordered for k, v in a.place_evidence}
    documents = [a.meta for a in ordered if a.status.status == "ok"]
    route = build_route(events, mentions, documents, evidence, title, version)
    statuses = sorted([a.status for a in ordered] + list(failures), key=lambda s: s.id)
    return replace(route, statuses=tuple(statuses))


@pytest.fixture(scope="module")
def seed_analyses(real_gazetteer):
    return [analyse_document(d, real_gazetteer) for d in read_inputs([str(SEEDS)])]


def test_streaming_merge_equals_the_whole_list_merge_in_any_order(seed_analyses, real_gazetteer):
    failure = DocumentStatus("zz.txt", "zz.txt", "error", "zz.txt: empty file")
    expected = reference_merge(seed_analyses, [failure], "T", real_gazetteer.version)
    assert expected.legs and expected.places
    for seed in range(4):
        items = [compact(a) for a in seed_analyses] + [failure]
        order = list(range(len(items)))
        random.Random(seed).shuffle(order)
        merger = RouteMerger("T", real_gazetteer.version)
        for i in order:
            merger.add(items[i], i)
        assert merger.route() == expected


def test_compact_keeps_resolved_mentions_counted(seed_analyses):
    for a in seed_analyses:
        c = compact(a)
        assert sum(c.mention_counts) == sum(1 for m in a.mentions if m.place)
        assert len(c.mentions) <= len(a.mentions)
        keys = {k for k, _ in a.place_evidence}
        assert keys <= {(m.document, m.start, m.end) for m in c.mentions}
        assert compact(c) == c


def test_merge_analyses_and_build_are_the_streaming_merge(seed_analyses, real_gazetteer):
    expected = reference_merge(seed_analyses, (), None, real_gazetteer.version)
    assert merge_analyses(seed_analyses, gazetteer_version=real_gazetteer.version) == expected
    assert build(read_inputs([str(SEEDS)]), real_gazetteer) == expected
    assert build(iter_sources([str(SEEDS)]), real_gazetteer) == expected


def test_a_crashing_document_is_an_error_status_not_a_crash(fake_gazetteer, monkeypatch):
    import geo.pipeline as pipeline
    from geo.model import Document

    def boom(*a, **k):
        raise IndexError("odd text")

    monkeypatch.setattr(pipeline, "extract_events", boom)
    a = analyse_document(Document("x.txt", "Troops moved from Kursk to Voronezh.", path="in/x.txt"), fake_gazetteer)
    assert a.status.status == "error" and "IndexError: odd text" in a.status.error and "in/x.txt" in a.status.error


def test_analyse_item_passes_read_errors_through(fake_gazetteer, tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    (src,) = list(iter_sources([str(tmp_path / "e.txt")]))
    out = analyse_item(src, fake_gazetteer)
    assert isinstance(out, DocumentStatus) and "empty file" in out.error
