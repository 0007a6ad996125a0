"""report.json: inputs, per-document status, counts, gazetteer; deterministic bytes."""

from __future__ import annotations

import json
from datetime import date

import pytest

from maps.report import build_report, write_report
from movemap.errors import OutputError


def test_report_contents(route, tmp_path):
    p = write_report(route, tmp_path / "report.json", inputs=["seeds/", "extra.txt"])
    rep = json.loads(p.read_text(encoding="utf-8"))
    assert rep["inputs"] == ["seeds/", "extra.txt"]
    assert [d["id"] for d in rep["documents"]] == ["a/000_vlad.txt", "b/001_khab.txt", "c/broken.html"]
    first = rep["documents"][0]
    assert list(first) == ["id", "path", "status", "error", "published", "published_basis", "mentions", "events"]
    assert first == {
        "id": "a/000_vlad.txt", "path": "/in/a/000_vlad.txt", "status": "ok", "error": None,
        "published": "2024-10-16", "published_basis": "catalog", "mentions": 9, "events": 3,
    }
    broken = rep["documents"][2]
    assert broken["status"] == "error" and "not UTF-8" in broken["error"] and broken["published"] is None
    c = rep["counts"]
    assert (c["documents"], c["documents_ok"], c["documents_error"]) == (3, 2, 1)
    assert (c["places"], c["places_route"], c["places_mention"]) == (6, 4, 2)
    assert c["legs"] == 4 and c["legs_by_status"] == {"reported": 2, "expected": 1, "inferred": 1}
    assert rep["gazetteer"] == {"name": "movemap-geonames", "version": "2024-10-01+test"}
    assert "time" not in p.read_text() and "generated" not in rep


def test_report_is_deterministic_and_utf8(route, tmp_path):
    a = write_report(route, tmp_path / "a.json", ["x"], extra={"formats": ["html", "geojson"], "when": date(2024, 1, 2)})
    b = write_report(route, tmp_path / "b.json", ["x"], extra={"formats": ["html", "geojson"], "when": date(2024, 1, 2)})
    assert a.read_bytes() == b.read_bytes()
    raw = a.read_bytes()
    assert raw.endswith(b"}\n")
    assert json.loads(raw)["when"] == "2024-01-02" and json.loads(raw)["formats"] == ["html", "geojson"]


def test_report_non_ascii_not_escaped(route, tmp_path):
    from dataclasses import replace

    r = replace(route, title="Хабаровск — Ch'ŏngjin")
    text = write_report(r, tmp_path / "r.json", []).read_text(encoding="utf-8")
    assert "Хабаровск — Ch'ŏngjin" in text


def test_empty_route_report(empty_route, tmp_path):
    rep = json.loads(write_report(empty_route, tmp_path / "r.json", []).read_text())
    assert rep["documents"] == [] and rep["counts"]["legs"] == 0 and rep["counts"]["documents_error"] == 0


def test_extra_cannot_overwrite_standard_fields(route, tmp_path):
    with pytest.raises(OutputError):
        write_report(route, tmp_path / "r.json", [], extra={"counts": {}})
    assert not (tmp_path / "r.json").exists()


def test_report_identical_across_hash_seeds(subprocess_runner, tmp_path):
    outs = []
    for seed in ("0", "4242"):
        out = tmp_path / f"r{seed}.json"
        res = subprocess_runner(
            f"from maps.report import write_report\nwrite_report(sample_route(), {str(out)!r}, ['in'], extra={{'formats': {{'kml', 'csv', 'html'}}}})\n",
            seed,
        )
        assert res.returncode == 0, res.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_build_report_keys(route):
    assert list(build_report(route, ["a"])) == ["report_version", "title", "inputs", "documents", "counts", "gazetteer"]
