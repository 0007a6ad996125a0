"""Outputs written side by side in forked processes (``maps.forked``, ``--jobs N``): the same bytes
as one process, failures reported per file, a writer's bug raised, Ctrl-C leaves no temporary
file, and no fork while another thread runs."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

import maps
from maps import forked
from maps.atomic import atomic_write_chunks
from movemap.errors import OutputError

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="writers fork only where os.fork exists")


@pytest.fixture
def forking(monkeypatch):
    """Fork even if an earlier test left an idle thread behind (a Dask client's, say): these
    tests are about the forked writers, not about when forking is allowed."""
    monkeypatch.setattr(forked, "can_fork", lambda: True)


def test_groups_share_the_weight_out_and_keep_the_order():
    weights = {"html": 3, "kml": 2.5, "gpkg": 2, "csv": 1, "geojson": 1}
    parts = forked.groups(["geojson", "html", "gpkg", "kml", "csv"], weights, 2)
    assert sorted(n for p in parts for n in p) == ["csv", "geojson", "gpkg", "html", "kml"]
    assert len(parts) == 2 and all(p == sorted(p, key=["geojson", "html", "gpkg", "kml", "csv"].index) for p in parts)
    totals = [sum(weights[n] for n in p) for p in parts]
    assert max(totals) - min(totals) <= 1 and totals[0] <= totals[1]
    assert forked.groups(["a"], {}, 4) == [["a"]]
    assert forked.groups(["a", "b"], {}, 1) == [["a", "b"]]


def test_side_by_side_writes_the_bytes_of_one_process(forking, real_gazetteer, tmp_path):
    from geo.pipeline import build
    from geo.read import iter_sources

    route = build(iter_sources([str(ROOT / "seeds")]), real_gazetteer, title="Seeds")
    a = maps.write_outputs(route, tmp_path / "one", inputs=["seeds"])
    b = maps.write_outputs(route, tmp_path / "two", inputs=["seeds"], processes=3)
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 7
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    assert sorted(x.name for x in (tmp_path / "two").iterdir()) == sorted(p.name for p in b)


def test_a_file_that_fails_in_a_child_is_reported_and_the_others_written(forking, route, tmp_path):
    (tmp_path / "route.kml").mkdir()  # cannot be replaced by a file
    with pytest.raises(OutputError, match="route.kml"):
        maps.write_outputs(route, tmp_path, formats=["geojson", "kml", "csv", "html"], processes=2)
    rep = json.loads((tmp_path / "report.json").read_text())
    assert len(rep["output_errors"]) == 1 and "route.kml" in rep["output_errors"][0]
    assert all((tmp_path / n).is_file() for n in ("route.geojson", "legs.csv", "places.csv", "route.html"))
    assert not any(x.name.startswith(".") for x in tmp_path.iterdir())


def test_outcomes_come_back_by_name_whichever_process_ran_them(forking):
    def fail():
        raise OutputError("b: disk full")

    tasks = [("a", lambda: None), ("b", fail), ("c", lambda: None)]
    assert forked.run_tasks(tasks, {"a": 1, "b": 1, "c": 1}, 3) == {"a": None, "b": "b: disk full", "c": None}


def test_a_writer_bug_in_a_child_is_raised_with_its_traceback(forking):
    def bug():
        raise ZeroDivisionError("boom in the writer")

    with pytest.raises(RuntimeError, match="boom in the writer"):
        forked.run_tasks([("light", lambda: None), ("heavy", bug)], {"light": 1, "heavy": 5}, 2)


def test_an_interrupted_child_leaves_no_temporary_file(forking, tmp_path):
    def pieces():
        yield "half a file"
        raise KeyboardInterrupt  # what Ctrl-C does to a child in the middle of its file

    tasks = [("parent", lambda: atomic_write_chunks(tmp_path / "a.txt", ["whole"])),
             ("child", lambda: atomic_write_chunks(tmp_path / "b.txt", pieces()))]
    with pytest.raises(KeyboardInterrupt):
        forked.run_tasks(tasks, {"parent": 1, "child": 2}, 2)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt"]


def test_no_fork_while_another_thread_runs(tmp_path):
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not forked.can_fork()
        pids = set()
        forked.run_tasks([("a", lambda: pids.add(os.getpid())), ("b", lambda: pids.add(os.getpid()))],
                         {}, 2)
        assert pids == {os.getpid()}  # both ran here, one after the other
    finally:
        stop.set()
        t.join()
