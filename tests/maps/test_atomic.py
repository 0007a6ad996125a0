"""maps.atomic: an output file is complete or absent, never partial."""

from __future__ import annotations

import os

import pytest

from maps.atomic import atomic_open, atomic_path, atomic_write
from movemap.errors import OutputError


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_atomic_write_bytes_and_str(tmp_path):
    p = tmp_path / "sub" / "out.txt"
    atomic_write(p, "Хабаровск\n")
    assert p.read_bytes() == "Хабаровск\n".encode("utf-8")
    atomic_write(p, b"\x00\x01")
    assert p.read_bytes() == b"\x00\x01"
    assert _leftovers(p.parent) == []


def test_atomic_write_has_normal_permissions(tmp_path):
    p = tmp_path / "out.txt"
    atomic_write(p, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert p.stat().st_mode & 0o777 == 0o666 & ~umask


def test_failure_leaves_no_file_and_no_temp(tmp_path):
    p = tmp_path / "out.geojson"
    with pytest.raises(RuntimeError):
        with atomic_open(p, "w") as fh:
            fh.write('{"type": "FeatureCollection", "features": [')
            raise RuntimeError("writer crashed half way")
    assert not p.exists()
    assert list(tmp_path.iterdir()) == []


def test_failure_keeps_previous_file_intact(tmp_path):
    p = tmp_path / "out.txt"
    atomic_write(p, "old complete content\n")
    with pytest.raises(KeyboardInterrupt):
        with atomic_open(p, "w") as fh:
            fh.write("new partial")
            raise KeyboardInterrupt
    assert p.read_text() == "old complete content\n"
    assert [x.name for x in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_path_for_file_writers(tmp_path):
    p = tmp_path / "route.kml"
    with atomic_path(p) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".kml" and not tmp.exists()
        tmp.write_text("<kml/>")
        assert not p.exists()  # not visible before the block ends
    assert p.read_text() == "<kml/>"
    assert list(tmp_path.iterdir()) == [p]


def test_atomic_path_writer_that_writes_nothing_is_an_error(tmp_path):
    p = tmp_path / "route.gpkg"
    with pytest.raises(OutputError, match="route.gpkg"):
        with atomic_path(p):
            pass
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_failure_removes_temp(tmp_path):
    p = tmp_path / "route.gpkg"
    with pytest.raises(ValueError):
        with atomic_path(p) as tmp:
            tmp.write_bytes(b"half a database")
            raise ValueError("boom")
    assert list(tmp_path.iterdir()) == []


def test_target_is_a_folder(tmp_path):
    (tmp_path / "route.html").mkdir()
    with pytest.raises(OutputError, match="folder"):
        atomic_write(tmp_path / "route.html", "x")


def test_rejects_other_types(tmp_path):
    with pytest.raises(TypeError):
        atomic_write(tmp_path / "x", 42)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
