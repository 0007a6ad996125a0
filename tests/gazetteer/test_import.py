"""``movemap gazetteer import``: GeoNames dump files and CSV lists join every lookup."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gazetteer.imported import ImportStore, geonames_kind
from gazetteer.store import Gazetteer
from movemap.errors import GazetteerError

ROOT = Path(__file__).resolve().parents[2]


def _row(gid, name, alts, lat, lon, fclass, fcode, cc, a1, pop):
    cols = [str(gid), name, name, ",".join(alts), str(lat), str(lon), fclass, fcode, cc, "", a1, "", "", "",
            str(pop), "", "100", "Europe/Paris", "2024-01-01"]
    return "\t".join(cols) + "\n"


DUMP = (_row(9000001, "Zorbaville", ["Zorba Town", "Зорбавиль"], 44.5, 5.25, "P", "PPL", "FR", "93", 1234)
        + _row(9000002, "Lac de Zorba", ["Lake Zorba"], 44.6, 5.3, "H", "LK", "FR", "93", 0)
        + _row(2013348, "Vladivostok", ["Wladiwostok"], 43.10562, 131.87353, "P", "PPLA", "RU", "59", 604901)
        + "this line is not a record\n")


@pytest.fixture
def dump(tmp_path):
    p = tmp_path / "FR.txt"
    p.write_text(DUMP, encoding="utf-8")
    return p


def test_geonames_kinds():
    assert geonames_kind("P", "PPLC") == "city"
    assert geonames_kind("A", "PCLI") == "country" and geonames_kind("A", "ADM2") == "region"
    assert geonames_kind("H", "STM") == "water" and geonames_kind("S", "AIRP") == "site"
    assert geonames_kind("T", "MT") == "other"


def test_geonames_dump_plain_gz_and_zip(tmp_path, dump):
    gz_path = tmp_path / "FR.txt.gz"
    gz_path.write_bytes(gzip.compress(dump.read_bytes()))
    zip_path = tmp_path / "FR.zip"
    with zipfile.ZipFile(zip_path, "w") as zf:
        zf.writestr("FR.txt", DUMP)
        zf.writestr("readme.txt", "not data")
    for src in (dump, gz_path, zip_path):
        store = ImportStore(tmp_path / f"imp-{src.name}.sqlite")
        counts = store.import_files([src])
        assert list(counts.values()) == [3]
        hits = store.lookup(["zorba town", "zorbavil", "lake zorba"])
        (place, primary), = hits["zorba town"]
        assert place.id == "gn:9000001" and place.kind == "city" and place.admin1_code == "FR.93" and primary == 0
        assert place.admin1 == "Provence-Alpes-Côte d'Azur" and place.population == 1234
        assert hits["lake zorba"][0][0].kind == "water"
        assert "zorbavil" in hits  # Cyrillic names are indexed through anyascii


def test_reimport_replaces(tmp_path, dump):
    store = ImportStore(tmp_path / "imp.sqlite")
    store.import_files([dump])
    dump.write_text(_row(9000003, "Newtown", [], 1.0, 2.0, "P", "PPL", "FR", "93", 5), encoding="utf-8")
    store.import_files([dump])
    assert store.count() == 1 and store.lookup(["zorbaville"]) == {}


def test_csv_with_and_without_header(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("name,lat,lon,country,kind\nCamp Qwerty,50.1,30.2,UA,site\nDepot 7,51,31,,\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("# my places\nForward Base,48.5,35.0\n", encoding="utf-8")
    store = ImportStore(tmp_path / "imp.sqlite")
    assert list(store.import_files([a, b]).values()) == [2, 1]
    (camp, _), = store.lookup(["camp qwerty"])["camp qwerty"]
    assert camp.source == "user" and camp.country_code == "UA" and camp.kind == "site"
    assert store.lookup(["forward base"])["forward base"][0][0].lat == 48.5


def test_bad_csv_row_is_an_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Somewhere,91,0\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="bad.csv:1"):
        ImportStore(tmp_path / "imp.sqlite").import_files([bad])


def test_imported_places_join_every_lookup(gaz, dump, tmp_path):
    user_path = tmp_path / "home" / "user.sqlite"
    store = ImportStore(user_path.with_name("imported.sqlite"))
    store.import_files([dump])
    g = Gazetteer(gaz.path, user_path=user_path)
    try:
        (z,) = g.candidates("Zorbaville")
        assert z.id == "gn:9000001"
        # a record the built-in database holds too stays one place
        assert [p.id for p in g.candidates("Vladivostok")].count("gn:2013348") == 1
        assert g.get("gn:9000001").name == "Zorbaville"
        assert g.info()["imported_entries"] == 3
    finally:
        g.close()


def test_cli_import(tmp_path, dump, _private_home):
    env = dict(os.environ, MOVEMAP_HOME=str(_private_home))
    res = subprocess.run([sys.executable, "-m", "movemap.cli", "gazetteer", "import", str(dump), "--quiet"],
                         capture_output=True, text=True, cwd=ROOT, env=env)
    assert res.returncode == 0, res.stderr
    assert "imported 3 places" in res.stdout
    assert (_private_home / "imported.sqlite").is_file()
    res = subprocess.run([sys.executable, "-m", "movemap.cli", "gazetteer", "import", str(tmp_path / "missing.txt")],
                         capture_output=True, text=True, cwd=ROOT, env=env)
    assert res.returncode == 2
