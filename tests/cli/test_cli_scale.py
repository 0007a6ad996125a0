"""At scale: the same corpus through 1 process, --jobs 2 and a Dask cluster gives the same bytes;
archives in, bad records counted, progress on stderr, Ctrl-C writes nothing."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
OUTPUTS = ("route.geojson", "route.html", "report.json", "legs.csv", "places.csv", "route.kml")


def run_cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "movemap.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          **kw)


def seed_records():
    with open(SEEDS / "catalog.csv", newline="", encoding="utf-8") as fh:
        catalog = {row["file"]: row for row in csv.DictReader(fh)}
    for path in sorted(SEEDS.glob("*.txt")):
        row = catalog[path.name]
        yield {"doc_id": path.name, "text": path.read_text(encoding="utf-8"), "published": row["published"],
               "title": row["title"], "outlet": row["outlet"]}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """The seeds as a folder, as JSON Lines and as a CSV."""
    d = tmp_path_factory.mktemp("corpora")
    jsonl = d / "seeds.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in seed_records()), encoding="utf-8")
    table = d / "seeds.csv"
    with open(table, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["doc_id", "title", "outlet", "published", "text"])
        w.writeheader()
        w.writerows(seed_records())
    return {"folder": SEEDS, "jsonl": jsonl, "csv": table}


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():  # no dashboard; a busy port 8787 only moves the health endpoint
        warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.mark.parametrize("kind", ["folder", "jsonl", "csv"])
def test_one_process_jobs_and_dask_give_identical_bytes(kind, corpora, dask_cluster, tmp_path, real_gazetteer):
    runs = {"one": [], "jobs2": ["--jobs", "2"], "dask": ["--dask", dask_cluster.scheduler_address]}
    outs = {}
    for name, extra in runs.items():
        outs[name] = tmp_path / name
        res = run_cli("build", str(corpora[kind]), "--out", str(outs[name]), "--quiet", *extra)
        assert res.returncode == 0, res.stderr
        assert res.stderr == "" and res.stdout == "", res.stderr
    fc = json.loads((outs["one"] / "route.geojson").read_text(encoding="utf-8"))
    assert any(f["properties"]["feature_type"] == "leg" for f in fc["features"])
    assert len(fc["movemap"]["documents"]) == 5
    for name in ("jobs2", "dask"):
        for f in OUTPUTS:
            assert (outs["one"] / f).read_bytes() == (outs[name] / f).read_bytes(), (kind, name, f)


def test_an_archive_maps_like_the_folder_it_came_from(corpora, tmp_path, real_gazetteer):
    outs = {}
    for kind in ("folder", "jsonl"):
        outs[kind] = tmp_path / kind
        res = run_cli("build", str(corpora[kind]), "--out", str(outs[kind]), "--quiet", "--formats", "geojson,csv")
        assert res.returncode == 0, res.stderr
    for f in ("route.geojson", "legs.csv", "places.csv"):
        assert (outs["folder"] / f).read_bytes() == (outs["jsonl"] / f).read_bytes(), f


def test_bad_records_are_counted_listed_and_never_stop_the_run(corpora, tmp_path, real_gazetteer):
    src = tmp_path / "mixed.jsonl"
    good = corpora["jsonl"].read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join([good[0], "{broken", json.dumps({"doc_id": "no-text"}), *good[1:],
                              json.dumps({"doc_id": good and json.loads(good[0])["doc_id"], "text": "dup"})]) + "\n",
                   encoding="utf-8")
    out = tmp_path / "o"
    res = run_cli("build", str(src), "--out", str(out), "--quiet", "--jobs", "2")
    assert res.returncode == 1, res.stderr
    assert "mixed.jsonl:2" in res.stderr and "no-text" in res.stderr and "duplicate doc_id" in res.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["documents"] == 8 and report["counts"]["documents_error"] == 3
    errors = [d for d in report["documents"] if d["status"] == "error"]
    assert all(d["error"] for d in errors)
    assert report["counts"]["legs"] > 0


def test_progress_on_stderr_for_parallel_runs_and_quiet_silences_it(corpora, tmp_path, real_gazetteer):
    loud = run_cli("build", str(corpora["jsonl"]), "--out", str(tmp_path / "a"), "--jobs", "2")
    assert loud.returncode == 0, loud.stderr
    assert "articles" in loud.stderr and "5 article(s) mapped" in loud.stderr and loud.stdout == ""


def test_missing_dask_scheduler_is_an_error_not_a_hang(corpora, tmp_path, real_gazetteer):
    pytest.importorskip("distributed")
    res = run_cli("build", str(corpora["jsonl"]), "--out", str(tmp_path / "o"), "--quiet",
                  "--dask", "tcp://127.0.0.1:9", timeout=120)
    assert res.returncode == 1 and "Dask" in res.stderr
    assert not (tmp_path / "o").exists()


def test_ctrl_c_stops_the_workers_and_writes_nothing(tmp_path, real_gazetteer):
    psutil = pytest.importorskip("psutil")
    text = (SEEDS / "000_ca5d06524411bf58.txt").read_text(encoding="utf-8")
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps({"doc_id": f"d{i:04d}", "text": text, "published": "2024-10-27"}) + "\n"
                           for i in range(4000)), encoding="utf-8")  # minutes of work: the signal lands in the map step
    out = tmp_path / "o"
    proc = psutil.Popen([sys.executable, "-m", "movemap.cli", "build", str(src), "--out", str(out), "--jobs", "2"],
                        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait until the workers are busy (progress shows some articles done).
    deadline = time.time() + 120
    children = []
    while time.time() < deadline:
        children = proc.children(recursive=True)
        if len(children) >= 2 and proc.cpu_times().user > 0.5:
            time.sleep(4)
            break
        time.sleep(0.2)
    children = proc.children(recursive=True)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert not out.exists() or not any(out.iterdir())
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive
