"""The writers stream (issue 9): the pieces they write are exactly the whole-string outputs,
batched GeoPackage tables hold the same rows, and a route whose per-document lists live on
disk (``geo.spill``) writes the same bytes as the same route in tuples."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from geo.model import DocumentMeta
from maps import write_outputs
from maps import frames
from maps.exports import write_gpkg
from maps.geojson import dumps_geojson, iter_geojson
from maps.html import render_html_text, route_data
from maps.layers import js_literal
from maps.report import build_report, dumps_report, write_report

ROOT = Path(__file__).resolve().parents[2]


def _embedded_data(page: str) -> str:
    head = '<script type="application/json" id="movemap-data">'
    return page.split(head, 1)[1].split("</script>", 1)[0]


@pytest.mark.parametrize("which", ["route", "empty_route"])
def test_streamed_texts_are_the_whole_texts(which, request, tmp_path):
    route = request.getfixturevalue(which)
    pieces = list(iter_geojson(route))
    assert len(pieces) > 2
    assert "".join(pieces) == dumps_geojson(route)
    json.loads(dumps_geojson(route))
    write_report(route, tmp_path / "report.json", ["in"], extra={"formats": ["html"]})
    expected = json.dumps(build_report(route, ["in"], {"formats": ["html"]}), ensure_ascii=False, indent=2) + "\n"
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == expected == dumps_report(route, ["in"], {"formats": ["html"]})
    assert _embedded_data(render_html_text(route)) == js_literal(route_data(route)[0])


def test_streamed_page_data_with_repeated_and_uncited_documents(route):
    """Source positions as ``SourceIndex`` gives them: a repeated document id keeps its first
    entry, an id cited by evidence but absent from the documents comes after them."""
    docs = route.documents
    extra = DocumentMeta("zz/late.txt", "Late", "Outlet", None, None)
    odd = replace(route, documents=(docs[0], extra, docs[0], *docs[1:]),
                  legs=(replace(route.legs[0], sources=(*route.legs[0].sources, "not/listed.txt")), *route.legs[1:]))
    data = route_data(odd)[0]
    assert any("not/listed.txt" in s["item"] for s in data["sources"])
    assert _embedded_data(render_html_text(odd)) == js_literal(data)


def test_gpkg_in_batches_holds_the_same_tables(route, tmp_path, monkeypatch):
    import pyogrio

    whole = write_gpkg(route, tmp_path / "whole.gpkg")
    monkeypatch.setattr(frames, "BATCH_ROWS", 1)
    batches = list(frames.table_batches(route))
    assert sum(1 for t, first in batches if not first) > 3  # really in several batches
    batched = write_gpkg(route, tmp_path / "batched.gpkg")
    for layer in ("places", "legs", "evidence", "documents"):
        a = pyogrio.read_dataframe(whole, layer=layer)
        b = pyogrio.read_dataframe(batched, layer=layer)
        assert len(a) == len(b) > 0
        assert a.equals(b), layer


def test_a_spilled_route_writes_the_bytes_of_the_same_route_in_tuples(real_gazetteer, tmp_path):
    from geo.pipeline import build
    from geo.read import iter_sources

    route = build(iter_sources([str(ROOT / "seeds")]), real_gazetteer, title="Seeds")
    plain = replace(
        route,
        places=tuple(replace(p, sources=tuple(p.sources), evidence=tuple(p.evidence)) for p in route.places),
        legs=tuple(replace(leg, evidence=tuple(leg.evidence)) for leg in route.legs),
        documents=tuple(route.documents), statuses=tuple(route.statuses))
    assert type(route.documents) is not tuple and type(plain.documents) is tuple
    a = write_outputs(route, tmp_path / "spilled", inputs=["seeds"])
    b = write_outputs(plain, tmp_path / "plain", inputs=["seeds"])
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 7
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_kml_descriptions_list_at_most_max_popup_sources(route, tmp_path):
    """A leg or place with thousands of sources: its KML description names the first
    MAX_POPUP_SOURCES and says how many more; the ExtendedData keeps every source."""
    from maps.exports import kml_text
    from maps.popups import MAX_POPUP_SOURCES

    leg = route.legs[0]
    many = tuple(f"doc{i:05d}.txt" for i in range(MAX_POPUP_SOURCES + 40))
    big = replace(route, legs=(replace(leg, sources=many), *route.legs[1:]))
    text = kml_text(big)
    start = text.index(f'<Placemark id="leg-{leg.id}">')
    placemark = text[start:text.index("</Placemark>", start)]
    description = placemark[placemark.index("<description>"):placemark.index("</description>")]
    assert "doc00000.txt" in description and f"doc{MAX_POPUP_SOURCES - 1:05d}.txt" in description
    assert f"doc{MAX_POPUP_SOURCES:05d}.txt" not in description
    assert "and 40 more source(s) in route.geojson" in description
    assert f"doc{MAX_POPUP_SOURCES + 39:05d}.txt" in placemark  # ExtendedData: all of them
    # under the cap nothing changes
    assert "more source(s)" not in kml_text(route)


def test_a_spill_failure_while_writing_leaves_no_half_written_file(route, tmp_path):
    """The spill database failing mid-write (a full disk): the error surfaces, and every file in
    the output folder is complete or absent (no temporary left)."""
    from movemap.errors import SpillError

    class Failing(tuple):
        def __iter__(self):
            yield from tuple(tuple.__iter__(self))[:1]
            raise SpillError("temporary database /tmp/movemap-spill-x.sqlite: database or disk is full")

    leg = route.legs[0]
    broken = replace(route, legs=(replace(leg, sources=Failing(leg.sources)), *route.legs[1:]))
    from movemap.errors import MovemapError

    with pytest.raises(MovemapError) as err:
        write_outputs(broken, tmp_path / "out", formats=["geojson"])
    assert isinstance(err.value, SpillError) and "movemap-spill-x.sqlite" in str(err.value)
    # the run stops: route.geojson absent, no temporary file left, no report of a run that failed
    assert not list((tmp_path / "out").iterdir())
