"""GIS exports read back with real readers: GDAL (pyogrio, ogrinfo, validate_gpkg.py), GeoPandas,
the csv module and an XML parser. Every column-based output must carry the GeoJSON's values.

Each cross-format check runs on the hand-built route of ``conftest.py`` (antimeridian leg,
non-ASCII names, HTML payloads, every status) and on the seed build through the CLI.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

import maps
from geo.model import Route
from maps import exports
from maps.exports import gpkg_timestamp, write_gpkg, write_kml
from maps.frames import DOCUMENT_SCHEMA, EVIDENCE_SCHEMA, LEG_SCHEMA, PLACE_SCHEMA
from movemap.errors import InputError, OutputError

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
KML = "{http://www.opengis.net/kml/2.2}"
NON_ASCII = ("Хабаровск", "Ch'ŏngjin")
SYSTEM_PYTHON = "/usr/bin/python3"
VALIDATE_GPKG = (
    "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py",
    "/usr/share/doc/python3-gdal/examples/validate_gpkg.py",
)


# --------------------------------------------------------------------------- fixtures


def _sample_route() -> Route:
    """tests/maps/conftest.py's route, loaded by path (``conftest`` is also tests/conftest.py)."""
    spec = importlib.util.spec_from_file_location("maps_test_fixtures", Path(__file__).with_name("conftest.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.sample_route()


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("gis-sample")
    maps.write_outputs(_sample_route(), out, inputs=["sample"])
    return out


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory, real_gazetteer):
    out = tmp_path_factory.mktemp("gis-seeds")
    res = subprocess.run([sys.executable, "-m", "movemap.cli", "build", str(SEEDS), "--out", str(out), "--quiet"],
                         capture_output=True, text=True, cwd=REPO, timeout=600)
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(params=["sample", "seeds"])
def out(request):
    return request.getfixturevalue(f"{request.param}_out")


def _geojson(out: Path) -> tuple[dict, list[dict], list[dict]]:
    fc = json.loads((out / "route.geojson").read_text(encoding="utf-8"))
    places = [f for f in fc["features"] if f["properties"]["feature_type"] == "place"]
    legs = [f for f in fc["features"] if f["properties"]["feature_type"] == "leg"]
    return fc, places, legs


def _null(v) -> bool:
    if v is None or v is pd.NaT:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _typed(value, kind: str):
    """A value read back by GDAL/pandas, as the GeoJSON writes it."""
    if _null(value):
        return None
    if kind == "json":
        return json.loads(value)
    if kind == "date":
        return (value.date() if hasattr(value, "date") else value).isoformat()
    if kind == "int":
        assert float(value).is_integer(), value
        return int(value)
    if kind == "real":
        return float(value)
    return str(value)


def _assert_frame_matches(df, features, schema, extra_ok=("lon", "lat", "from_lon", "from_lat", "to_lon", "to_lat")):
    assert len(df) == len(features)
    for i, f in enumerate(features):
        props = f["properties"]
        for col in schema:
            if col.name in extra_ok:
                continue
            got = _typed(df[col.name].iloc[i], col.kind)
            want = props[col.name]
            if col.kind == "json" and want is None:
                want = []
            assert got == want, (props["id"], col.name, got, want)
        geom = df.geometry.iloc[i]
        want_geom = shape(f["geometry"])
        assert geom.equals(want_geom), (props["id"], geom.wkt, want_geom.wkt)
        assert sorted(map(tuple, shapely.get_coordinates(geom))) == sorted(map(tuple, shapely.get_coordinates(want_geom)))


# --------------------------------------------------------------------------- route.geojson (the contract)


def test_geojson_is_rfc7946_and_gdal_reads_it(out):
    fc, places, legs = _geojson(out)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    ids = [f["properties"]["id"] for f in fc["features"]]
    assert len(ids) == len(set(ids))
    assert [f["properties"]["sequence"] for f in legs] == sorted(f["properties"]["sequence"] for f in legs)
    for f in fc["features"]:
        for x, y in shapely.get_coordinates(shape(f["geometry"])):
            assert -180 <= x <= 180 and -90 <= y <= 90
            assert round(x, 5) == x and round(y, 5) == y  # rounded to 5 decimals (about a metre)
        if f["geometry"]["type"] == "MultiLineString":  # only ever an antimeridian split
            (a, b), (c, d) = f["geometry"]["coordinates"]
            assert abs(b[0]) == 180 and c[0] == -b[0] and b[1] == c[1]
    info = pyogrio.read_info(out / "route.geojson")
    assert info["features"] == len(places) + len(legs)
    df = gpd.read_file(out / "route.geojson")
    assert df.crs.to_epsg() == 4326 and list(df["id"]) == ids


def test_geojson_antimeridian_leg_is_split(sample_out):
    _, _, legs = _geojson(sample_out)
    air = next(f for f in legs if f["properties"]["id"] == "leg-2")  # Vladivostok -> Anchorage
    g = air["geometry"]
    assert g["type"] == "MultiLineString"
    (west, east_edge), (west_edge, anchorage) = g["coordinates"]
    assert west == [131.87353, 43.10562] and anchorage == [-149.90028, 61.21806]
    assert east_edge[0] == 180.0 and west_edge[0] == -180.0 and east_edge[1] == west_edge[1]
    assert 43.10562 < east_edge[1] < 61.21806


# --------------------------------------------------------------------------- GeoPackage


def test_gpkg_layers_equal_geojson(out):
    _, places, legs = _geojson(out)
    p = out / "route.gpkg"
    assert dict(pyogrio.list_layers(p)) == {"places": "Point", "legs": "MultiLineString", "evidence": None,
                                            "documents": None, "layer_styles": None}
    gp = gpd.read_file(p, layer="places")
    gl = gpd.read_file(p, layer="legs")
    assert gp.crs.to_epsg() == 4326 and gl.crs.to_epsg() == 4326
    _assert_frame_matches(gp, places, PLACE_SCHEMA)
    _assert_frame_matches(gl, legs, LEG_SCHEMA)
    for i, f in enumerate(places):
        assert (gp["lon"].iloc[i], gp["lat"].iloc[i]) == tuple(f["geometry"]["coordinates"])


def test_gpkg_evidence_table_one_row_per_claim(out):
    fc, places, legs = _geojson(out)
    p = out / "route.gpkg"
    ev = pyogrio.read_dataframe(p, layer="evidence")
    want = []
    for f in places:
        for e in f["properties"]["evidence"]:
            want.append(("place", f["properties"]["id"], None, f["properties"]["id"], e["document"], e["sentence"],
                         e["start"], e["end"]))
    for f in legs:
        for e in f["properties"]["evidence"]:
            want.append(("leg", f["properties"]["id"], f["properties"]["id"], None, e["document"], e["sentence"],
                         e["start"], e["end"]))
    got = [tuple(_typed(row[c.name], c.kind) for c in EVIDENCE_SCHEMA) for _, row in ev.iterrows()]
    assert got == want
    # joins: every leg_id / place_id is a feature of its layer
    leg_ids = {f["properties"]["id"] for f in legs}
    place_ids = {f["properties"]["id"] for f in places}
    assert set(ev["leg_id"].dropna()) <= leg_ids and set(ev["place_id"].dropna()) <= place_ids
    docs = pyogrio.read_dataframe(p, layer="documents")
    assert [tuple(_typed(r[c.name], c.kind) for c in DOCUMENT_SCHEMA) for _, r in docs.iterrows()] == [
        (d["id"], d["title"], d["outlet"], d["published"], d["url"]) for d in fc["movemap"]["documents"]]


def _ogrinfo_fields(path: Path, layer: str) -> dict[str, str]:
    res = subprocess.run(["ogrinfo", "-so", "-nomd", str(path), layer], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "Warning" not in res.stderr, res.stderr  # e.g. "user_version ... may only be partially supported"
    fields = {}
    for line in res.stdout.splitlines():
        m = re.match(r"^(\w+): (\w+(?:\(\w+\))?) \(", line)
        if m:
            fields[m.group(1)] = m.group(2)
    return fields


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) not installed")
def test_gpkg_field_types_with_ogrinfo(sample_out):
    p = sample_out / "route.gpkg"
    gdal_type = {"str": "String", "json": "String", "int": "Integer", "real": "Real", "date": "Date"}
    for layer, schema in (("places", PLACE_SCHEMA), ("legs", LEG_SCHEMA), ("evidence", EVIDENCE_SCHEMA),
                          ("documents", DOCUMENT_SCHEMA)):
        fields = _ogrinfo_fields(p, layer)
        assert fields == {c.name: gdal_type[c.kind] for c in schema}, layer
    legs = _ogrinfo_fields(p, "legs")
    assert legs["start"] == legs["end"] == "Date" and legs["count"] == legs["sequence"] == "Integer"
    styles = _ogrinfo_fields(p, "layer_styles")
    assert styles["useAsDefault"] == "Integer(Boolean)" and styles["styleQML"] == "String"
    # the declared SQLite types, as ArcGIS and other SQLite readers see them
    with contextlib.closing(sqlite3.connect(p)) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200  # GeoPackage 1.2
        cols = {r[1]: r[2] for r in db.execute('PRAGMA table_info("legs")')}
        assert cols["start"] == "DATE" and cols["count"] == "MEDIUMINT" and cols["geom"] == "MULTILINESTRING"
        assert db.execute('SELECT "start", "end" FROM legs ORDER BY sequence LIMIT 1').fetchone() == (
            "2024-10-13", "2024-10-14")


def test_gpkg_wide_integers_become_integer64(route, tmp_path):
    big = replace(route, legs=tuple(replace(leg, count=3_000_000_000) if leg.id == "leg-1" else leg
                                    for leg in route.legs))
    p = write_gpkg(big, tmp_path / "big.gpkg")
    info = pyogrio.read_info(p, layer="legs")
    dtypes = dict(zip(info["fields"], info["dtypes"]))
    assert dtypes["count"] == "int64" and dtypes["sequence"] == "int32"  # only the column that needs it
    gl = gpd.read_file(p, layer="legs")
    assert int(gl.loc[0, "count"]) == 3_000_000_000 and _null(gl.loc[3, "count"])


def _system_python_with(module: str) -> bool:
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", f"import {module}"], capture_output=True,
                          env=_system_env(), timeout=60).returncode == 0


def _system_env() -> dict:
    """The environment for Debian's /usr/bin/python3: without the venv's paths."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    return env


def test_gpkg_passes_gdal_validator(out):
    script = next((s for s in VALIDATE_GPKG if os.path.exists(s)), None)
    if script is None or not _system_python_with("osgeo.gdal"):
        pytest.skip("validate_gpkg.py (Debian python3-gdal) not installed")
    res = subprocess.run([SYSTEM_PYTHON, script, str(out / "route.gpkg")], capture_output=True, text=True,
                         env=_system_env(), timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr


def test_gpkg_layer_styles_hold_valid_qgis_styles(out):
    p = out / "route.gpkg"
    geom_col = pyogrio.read_info(p, layer="legs")["geometry_name"]
    with contextlib.closing(sqlite3.connect(p)) as db:
        db.row_factory = sqlite3.Row
        registered = db.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'").fetchone()
        assert registered["data_type"] == "attributes"
        rows = {r["f_table_name"]: dict(r) for r in db.execute("SELECT * FROM layer_styles")}
    assert set(rows) == {"legs", "places"}
    for name, row in rows.items():
        # exactly what QGIS matches on, or the style is silently ignored
        assert row["f_table_catalog"] == "" and row["f_table_schema"] == ""
        assert row["f_geometry_column"] == geom_col == "geom"
        assert row["useAsDefault"] == 1 and len(row["styleName"]) <= 30
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", row["update_time"])

    root = ET.fromstring(rows["legs"]["styleQML"])
    assert root.tag == "qgis"
    r = root.find("renderer-v2")
    assert r.get("type") == "categorizedSymbol" and r.get("attr") == "status"
    cats = {c.get("value"): c.get("symbol") for c in r.find("categories")}
    assert set(cats) == {"reported", "expected", "inferred"}
    symbols = {s.get("name"): s for s in r.find("symbols").findall("symbol")}
    pens = {}
    for status, sym_name in cats.items():
        sym = symbols[sym_name]
        assert sym.get("type") == "line"
        line, arrows = sym.findall("layer")
        props = {p.get("k"): p.get("v") for p in line.findall("prop")}
        option_props = {o.get("name"): o.get("value") for o in line.find("Option").findall("Option")}
        assert props == option_props  # old (<prop>) and new (<Option>) QGIS read the same
        assert line.get("class") == "SimpleLine"
        pens[status] = props["line_style"]
        assert arrows.get("class") == "MarkerLine"
        aprops = {p.get("k"): p.get("v") for p in arrows.findall("prop")}
        assert aprops["rotate"] == "1" and aprops["placement"] == "centralpoint"
        marker = arrows.find("symbol")
        assert marker.get("type") == "marker" and marker.get("name") == f"@{sym_name}@1"
        assert {p.get("k"): p.get("v") for p in marker.find("layer").findall("prop")}["name"] == "filled_arrowhead"
    assert pens == {"reported": "solid", "expected": "dash", "inferred": "dot"}
    assert root.find("temporal").get("startField") == "start" and root.find("temporal").get("endField") == "end"

    proot = ET.fromstring(rows["places"]["styleQML"])
    pr = proot.find("renderer-v2")
    assert pr.get("type") == "categorizedSymbol" and pr.get("attr") == "role"
    assert {c.get("value") for c in pr.find("categories")} == {"route", "mention"}
    assert proot.get("labelsEnabled") == "1" and proot.find("labeling").get("type") == "simple"


def test_gpkg_is_reproducible_across_hash_seeds(tmp_path, subprocess_runner):
    hashes = []
    for seed in ("0", "777"):
        res = subprocess_runner(
            "import hashlib, sys\n"
            "from maps.exports import write_gpkg\n"
            f"p = write_gpkg(sample_route(), {str(tmp_path / ('r' + seed + '.gpkg'))!r})\n"
            "print(hashlib.sha256(p.read_bytes()).hexdigest())\n", seed)
        assert res.returncode == 0, res.stderr
        hashes.append(res.stdout.strip())
    assert hashes[0] == hashes[1]


def test_gpkg_timestamp_is_the_newest_article(route, empty_route):
    assert gpkg_timestamp(route) == "2024-10-17T00:00:00.000Z"
    assert gpkg_timestamp(empty_route) == "1970-01-01T00:00:00.000Z"


def test_gpkg_empty_route_still_valid_and_styled(empty_route, tmp_path):
    p = write_gpkg(empty_route, tmp_path / "e.gpkg")
    assert dict(pyogrio.list_layers(p))["legs"] == "MultiLineString"
    assert len(pyogrio.read_dataframe(p, layer="layer_styles")) == 2
    assert len(pyogrio.read_dataframe(p, layer="evidence")) == 0


@pytest.mark.parametrize("failing", ["_write_layer_styles", "_write_layer"])
def test_gpkg_written_completely_or_not_at_all(route, tmp_path, monkeypatch, failing):
    target = tmp_path / "route.gpkg"
    calls = []
    real = getattr(exports, failing)

    def boom(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2 or failing == "_write_layer_styles":  # after a layer has been written
            raise pyogrio.errors.DataLayerError("disk full (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(exports, failing, boom)
    with pytest.raises(OutputError, match="route.gpkg.*disk full"):
        write_gpkg(route, target)
    assert list(tmp_path.iterdir()) == []  # no file, no temporary, no journal
    # an existing file is left untouched
    monkeypatch.setattr(exports, failing, real)
    write_gpkg(route, target)
    before = target.read_bytes()
    calls.clear()
    monkeypatch.setattr(exports, failing, boom)
    with pytest.raises(OutputError):
        write_gpkg(replace(route, legs=()), target)
    assert target.read_bytes() == before and [x.name for x in tmp_path.iterdir()] == ["route.gpkg"]
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None  # config restored


def test_gpkg_unexpected_error_leaves_nothing(route, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(exports, "_write_layer_styles", boom)
    with pytest.raises(RuntimeError):
        write_gpkg(route, tmp_path / "route.gpkg")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- KML


def _kml_placemarks(out: Path) -> dict[str, ET.Element]:
    root = ET.parse(out / "route.kml").getroot()
    out_ = {}
    for pm in root.iter(f"{KML}Placemark"):
        data = {d.get("name"): (d.find(f"{KML}value").text or "") for d in pm.iter(f"{KML}Data")}
        out_[data["id"]] = pm
    return out_


def _kml_data(pm: ET.Element) -> dict[str, str]:
    return {d.get("name"): (d.find(f"{KML}value").text or "") for d in pm.iter(f"{KML}Data")}


def _as_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    return str(v)


def test_kml_equals_geojson_with_times_and_styles(out):
    fc, places, legs = _geojson(out)
    root = ET.parse(out / "route.kml").getroot()
    styles = {s.get("id"): s for s in root.iter(f"{KML}Style")}
    pms = _kml_placemarks(out)
    assert len(pms) == len(places) + len(legs)
    for f in places + legs:
        props = f["properties"]
        pm = pms[props["id"]]
        data = _kml_data(pm)
        for k, v in props.items():
            if k != "feature_type":
                assert data[k] == _as_text(v), (props["id"], k)
        style = pm.find(f"{KML}styleUrl").text.lstrip("#")
        assert style in styles
        if props["feature_type"] == "leg":
            assert style == f"leg-{props['status']}"
            ts = pm.find(f"{KML}TimeSpan")
            if props["start"] or props["end"]:  # every dated leg carries a TimeSpan
                assert ts is not None
                assert (ts.findtext(f"{KML}begin"), ts.findtext(f"{KML}end")) == (props["start"], props["end"])
            else:
                assert ts is None
            lines = pm.findall(f".//{KML}LineString")
            want = shape(f["geometry"])
            assert len(lines) == (len(want.geoms) if want.geom_type == "MultiLineString" else 1)
        else:
            assert style == f"place-{props['role']}"
            first, last = props["first_date"], props["last_date"]
            if first and first == last:
                assert pm.find(f"{KML}TimeStamp").findtext(f"{KML}when") == first
            elif first or last:
                ts = pm.find(f"{KML}TimeSpan")
                assert (ts.findtext(f"{KML}begin"), ts.findtext(f"{KML}end")) == (first, last)
    # GDAL reads it too: one layer per folder
    counts = {name: pyogrio.read_info(out / "route.kml", layer=name)["features"]
              for name, _ in pyogrio.list_layers(out / "route.kml")}
    assert counts.get("Legs", 0) == len(legs)
    assert counts.get("Route places", 0) + counts.get("Mentioned places", 0) == len(places)


def test_kml_descriptions_escaped_with_evidence(sample_out):
    pms = _kml_placemarks(sample_out)
    desc = pms["leg-2"].find(f"{KML}description").text
    # the description is HTML for the balloon; the article's quote is in it, escaped
    assert "A charter flew from" in desc and "&quot;for talks&quot; &amp; more" in desc
    assert "<script" not in (sample_out / "route.kml").read_text(encoding="utf-8")
    air = pms["leg-2"].findall(f".//{KML}LineString")
    coords = [c.findtext(f"{KML}coordinates").split() for c in air]
    assert coords[0][-1].startswith("180.0,") and coords[1][0].startswith("-180.0,")
    styles = ET.parse(sample_out / "route.kml").getroot().findall(f".//{KML}Style")
    assert all(s.find(f"{KML}BalloonStyle/{KML}text").text == "$[description]" for s in styles)


def test_kml_survives_characters_xml_cannot_carry(route, tmp_path):
    bad = "Convoy\x0c left \x00Хабаровск\x1b at dawn & <fast>"
    legs = tuple(replace(leg, actor=bad, evidence=(replace(leg.evidence[0], sentence=bad),)) if leg.id == "leg-1"
                 else leg for leg in route.legs)
    p = write_kml(replace(route, legs=legs), tmp_path / "r.kml")
    root = ET.parse(p).getroot()  # would raise on a raw control character
    pm = next(pm for pm in root.iter(f"{KML}Placemark") if pm.get("id") == "leg-leg-1")
    assert _kml_data(pm)["actor"] == "Convoy\ufffd left \ufffdХабаровск\ufffd at dawn & <fast>"
    assert "Convoy\ufffd left" in pm.findtext(f"{KML}description")
    assert len(gpd.read_file(p, layer="Legs")) == 4


def test_kml_timestamp_for_one_day_place(sample_out):
    ussuriysk = _kml_placemarks(sample_out)["gn:2014006"]
    assert ussuriysk.find(f"{KML}TimeStamp").findtext(f"{KML}when") == "2024-10-14"
    assert ussuriysk.find(f"{KML}TimeSpan") is None


# --------------------------------------------------------------------------- CSV


def _csv(path: Path) -> tuple[list[str], list[dict]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM: the first header is "id"
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, r, strict=True)) for r in reader]
    return header, rows


def _csv_value(cell: str, kind: str):
    if cell == "":
        return [] if kind == "json" else None
    return {"json": json.loads, "int": int, "real": float}.get(kind, str)(cell)


def test_csv_equals_geojson(out):
    _, places, legs = _geojson(out)
    for name, feats, schema in (("places.csv", places, PLACE_SCHEMA), ("legs.csv", legs, LEG_SCHEMA)):
        header, rows = _csv(out / name)
        assert header == [c.name for c in schema] + ["wkt"]
        assert len(rows) == len(feats)
        for row, f in zip(rows, feats):
            for c in schema:
                if c.name in f["properties"]:
                    assert _csv_value(row[c.name], c.kind) == f["properties"][c.name], (name, c.name)
            assert shapely.from_wkt(row["wkt"]).equals(shape(f["geometry"]))
        # QGIS/GDAL read the WKT column as geometry
        df = pyogrio.read_dataframe(out / name, GEOM_POSSIBLE_NAMES="wkt", KEEP_GEOM_COLUMNS="NO")
        assert len(df) == len(feats) and df.geometry.notna().all() and "wkt" not in df.columns
        assert [g.equals(shape(f["geometry"])) for g, f in zip(df.geometry, feats)] == [True] * len(feats)


# --------------------------------------------------------------------------- every format


def test_non_ascii_names_survive_every_format(sample_out):
    text = {n: (sample_out / n).read_text(encoding="utf-8")
            for n in ("route.geojson", "route.kml", "legs.csv", "places.csv")}
    for name in NON_ASCII:
        for fname, t in text.items():
            assert name in t or fname == "legs.csv" and name == "Ch'ŏngjin", (fname, name)  # a mention: no leg
        assert name in set(gpd.read_file(sample_out / "route.gpkg", layer="places")["name"])
        assert name in set(gpd.read_file(sample_out / "route.geojson")["name"])
        assert name in {pm.findtext(f"{KML}name") for pm in _kml_placemarks(sample_out).values()}
    assert "Хабаровск" in set(gpd.read_file(sample_out / "route.gpkg", layer="legs")["to_name"])
    assert "Хабаровск" in text["legs.csv"]


def test_formats_select_outputs_each_complete(route, tmp_path):
    paths = maps.write_outputs(route, tmp_path, formats=["gpkg", "kml"])
    assert [p.name for p in paths] == ["route.gpkg", "route.kml", "report.json"]
    assert sorted(x.name for x in tmp_path.iterdir()) == ["report.json", "route.gpkg", "route.kml"]


def test_cli_formats_gpkg_only(tmp_path, real_gazetteer):
    out = tmp_path / "o"
    res = subprocess.run([sys.executable, "-m", "movemap.cli", "build", str(SEEDS), "--out", str(out),
                          "--formats", "gpkg", "--quiet"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "route.gpkg"]
    assert len(gpd.read_file(out / "route.gpkg", layer="legs")) > 0


# --------------------------------------------------------------------------- Python API


@pytest.mark.parametrize("layer", ["legs", "places"])
def test_to_geodataframe_equals_geojson_and_gpkg(out, layer):
    route = Route.from_geojson(out / "route.geojson")
    gdf = route.to_geodataframe(layer)
    assert isinstance(gdf, gpd.GeoDataFrame) and gdf.crs.to_epsg() == 4326
    _, places, legs = _geojson(out)
    feats, schema = (legs, LEG_SCHEMA) if layer == "legs" else (places, PLACE_SCHEMA)
    _assert_frame_matches(gdf, feats, schema)
    assert list(gdf.columns) == [c.name for c in schema] + ["geometry"]
    dates = [c.name for c in schema if c.kind == "date"]
    assert all(str(gdf[c].dtype).startswith("datetime64") for c in dates)
    from_gpkg = gpd.read_file(out / "route.gpkg", layer=layer)
    assert list(from_gpkg.columns) == list(gdf.columns)
    for c in schema:
        assert [_typed(v, c.kind) for v in gdf[c.name]] == [_typed(v, c.kind) for v in from_gpkg[c.name]], c.name


def test_to_geodataframe_antimeridian_and_types(route):
    legs = route.to_geodataframe("legs")
    assert list(legs["id"]) == ["leg-1", "leg-2", "leg-3", "leg-4"]
    air = legs.geometry.iloc[1]
    assert air.geom_type == "MultiLineString"
    assert air.geoms[0].coords[-1][0] == 180.0 and air.geoms[1].coords[0][0] == -180.0
    assert str(legs["count"].dtype) == "Int32" and legs["count"].isna().sum() == 2
    assert legs.loc[0, "start"] == pd.Timestamp("2024-10-13") and pd.isna(legs.loc[3, "start"])
    assert json.loads(legs.loc[0, "count_values"]) == [1200, 1500]
    places = route.to_geodataframe("places")
    assert list(places["name"])[2] == "Хабаровск" and places.geometry.iloc[0].equals(shapely.Point(131.87353, 43.10562))
    with pytest.raises(ValueError, match="evidence"):
        route.to_geodataframe("evidence")


def test_from_geojson_round_trip(sample_out, tmp_path):
    route = Route.from_geojson(sample_out / "route.geojson")
    assert isinstance(route, Route) and len(route.legs) == 4
    assert route.legs[0].start == date(2024, 10, 13) and route.places[2].place.name == "Хабаровск"
    maps.write_geojson(route, tmp_path / "again.geojson")
    assert (tmp_path / "again.geojson").read_bytes() == (sample_out / "route.geojson").read_bytes()
    with pytest.raises(InputError, match="no such file"):
        Route.from_geojson(tmp_path / "missing.geojson")


def test_geo_does_not_import_maps():
    code = "import sys, geo.model; assert not any(m == 'maps' or m.startswith('maps.') for m in sys.modules); print('ok')"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr

