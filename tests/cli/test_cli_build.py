"""End to end: the CLI over the seed articles and the embedded gazetteer."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def run_cli(*args, env=None, cwd=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "movemap.cli", *args], capture_output=True, text=True,
                          env=e, cwd=cwd or ROOT)


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory, real_gazetteer):
    out = tmp_path_factory.mktemp("seed-out")
    res = run_cli("build", str(SEEDS), "--out", str(out), "--quiet")
    assert res.returncode == 0, res.stderr
    return out


def test_build_writes_every_output(seed_build):
    names = sorted(p.name for p in seed_build.iterdir())
    assert names == ["legs.csv", "places.csv", "report.json", "route.geojson", "route.gpkg", "route.html", "route.kml"]


def test_seed_route_scores_against_gold(seed_build, shared_dir):
    res = subprocess.run([sys.executable, str(shared_dir / "tools" / "score_route.py"),
                          str(shared_dir / "gold" / "seed_route.json"), str(seed_build / "route.geojson")],
                         capture_output=True, text=True, check=True)
    last = res.stdout.strip().splitlines()[-1]
    score = float(last.rsplit("score=", 1)[1])
    leaks = int(last.split("mention_leaks=")[1].split()[0])
    assert score >= 0.5 and leaks <= 2, res.stdout


def test_route_contract_fields(seed_build):
    fc = json.loads((seed_build / "route.geojson").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    legs = [f for f in fc["features"] if f["properties"]["feature_type"] == "leg"]
    places = [f for f in fc["features"] if f["properties"]["feature_type"] == "place"]
    assert legs and places
    for f in legs:
        p = f["properties"]
        assert p["status"] in ("reported", "expected", "inferred")
        assert p["mode"] in ("ship", "rail", "road", "air", "foot", "unknown")
        assert p["evidence"] and all({"document", "sentence", "start", "end"} <= set(e) for e in p["evidence"])
        assert p["source_count"] == len(p["sources"])
    routed = {f["properties"]["id"] for f in places if f["properties"]["role"] == "route"}
    assert {p for f in legs for p in (f["properties"]["from_place"], f["properties"]["to_place"])} <= routed
    assert fc["movemap"]["gazetteer"]["version"]


def test_evidence_offsets_point_into_the_articles(seed_build):
    fc = json.loads((seed_build / "route.geojson").read_text(encoding="utf-8"))
    for f in fc["features"]:
        for ev in f["properties"].get("evidence") or []:
            text = (SEEDS / ev["document"]).read_text(encoding="utf-8")
            assert text[ev["start"]:ev["end"]] == ev["sentence"]


def test_mentions_never_become_stops(seed_build):
    fc = json.loads((seed_build / "route.geojson").read_text(encoding="utf-8"))
    roles = {f["properties"]["name"]: f["properties"]["role"] for f in fc["features"]
             if f["properties"]["feature_type"] == "place"}
    for name in ("Brussels", "Kazan", "Seoul", "Pyongyang", "Kherson"):
        assert roles.get(name, "mention") == "mention", name


def test_report_lists_documents(seed_build):
    report = json.loads((seed_build / "report.json").read_text(encoding="utf-8"))
    text = json.dumps(report)
    for f in SEEDS.glob("*.txt"):
        assert f.name in text


def test_byte_identical_across_hash_seeds(tmp_path, real_gazetteer):
    outs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"o{seed}"
        res = run_cli("build", str(SEEDS), "--out", str(out), "--quiet", env={"PYTHONHASHSEED": seed})
        assert res.returncode == 0, res.stderr
        outs.append(out)
    for name in ("route.geojson", "route.html", "report.json", "legs.csv", "places.csv", "route.kml"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_missing_input_is_a_usage_error(tmp_path):
    res = run_cli("build", str(tmp_path / "no-such-folder"), "--out", str(tmp_path / "o"))
    assert res.returncode == 2 and "no-such-folder" in res.stderr
    assert not (tmp_path / "o").exists()


def test_broken_article_in_a_folder_exit_1_others_mapped(tmp_path, real_gazetteer):
    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    (src / "zz_broken.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (src / "zz_empty.txt").write_bytes(b"")
    out = tmp_path / "o"
    res = run_cli("build", str(src), "--out", str(out), "--quiet")
    assert res.returncode == 1, res.stderr
    assert "zz_broken.txt" in res.stderr and "zz_empty.txt" in res.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    text = json.dumps(report)
    assert "binary file" in text and "empty file" in text
    fc = json.loads((out / "route.geojson").read_text(encoding="utf-8"))
    assert any(f["properties"]["feature_type"] == "leg" for f in fc["features"])


def test_formats_option_selects_outputs(tmp_path, real_gazetteer):
    out = tmp_path / "o"
    res = run_cli("build", str(SEEDS / "002_7d19507eaed1f7c2.txt"), "--out", str(out), "--formats", "geojson",
                  "--published", "2024-10-18", "--quiet")
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "route.geojson"]
    res = run_cli("build", str(SEEDS), "--out", str(out), "--formats", "pdf")
    assert res.returncode == 2 and "pdf" in res.stderr


def test_progress_goes_to_stderr_and_quiet_silences_it(tmp_path, real_gazetteer):
    loud = run_cli("build", str(SEEDS), "--out", str(tmp_path / "a"))
    quiet = run_cli("build", str(SEEDS), "--out", str(tmp_path / "b"), "--quiet")
    assert loud.returncode == quiet.returncode == 0
    assert "article" in loud.stderr and quiet.stderr == "" and quiet.stdout == loud.stdout == ""


def test_render_rerenders_a_route(seed_build, tmp_path):
    target = tmp_path / "again.html"
    res = run_cli("render", str(seed_build / "route.geojson"), "--out", str(target))
    assert res.returncode == 0, res.stderr
    assert target.read_bytes().startswith(b"<!DOCTYPE html>") and b"leaflet" in target.read_bytes().lower()
