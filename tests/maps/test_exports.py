"""CSV, GeoPackage, KML and write_outputs: readable by standard tools, same fields as GeoJSON."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import geopandas as gpd
import pyogrio
import pytest
import shapely

import maps
from maps.exports import LEG_COLUMNS, PLACE_COLUMNS, write_csv, write_gpkg, write_kml
from movemap.errors import OutputError

KML = "{http://www.opengis.net/kml/2.2}"


def _read_csv(p):
    with open(p, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv(route, tmp_path):
    legs_p, places_p = write_csv(route, tmp_path / "legs.csv", tmp_path / "places.csv")
    places = _read_csv(places_p)
    legs = _read_csv(legs_p)
    assert list(places[0]) == PLACE_COLUMNS and list(legs[0]) == LEG_COLUMNS
    assert [p["id"] for p in places] == [rp.place.id for rp in route.places]
    assert places[2]["name"] == "Хабаровск" and places[4]["name"] == "Ch'ŏngjin"
    assert float(places[0]["lon"]) == 131.87353 and float(places[0]["lat"]) == 43.10562
    assert shapely.from_wkt(places[0]["wkt"]).equals(shapely.Point(131.87353, 43.10562))
    assert json.loads(places[0]["surface_forms"]) == ["Vladivostok", "Владивосток"]
    assert json.loads(places[0]["evidence"])[0]["start"] == 120
    assert places[2]["first_date"] == "" and places[-1]["geonameid"] == ""
    assert [leg["sequence"] for leg in legs] == ["1", "2", "3", "4"]
    l1 = legs[0]
    assert json.loads(l1["count_values"]) == [1200, 1500] and json.loads(l1["sources"]) == ["a/000_vlad.txt", "b/001_khab.txt"]
    assert l1["actor"] == "5th Army <img src=x onerror=alert(1)>"  # data, unchanged
    air = shapely.from_wkt(legs[1]["wkt"])
    assert air.geom_type == "MultiLineString" and len(air.geoms) == 2
    assert (float(legs[1]["to_lon"]), float(legs[1]["to_lat"])) == (-149.90028, 61.21806)
    assert "\\u" not in places_p.read_text(encoding="utf-8")


def test_csv_readable_by_pandas(route, tmp_path):
    import pandas as pd

    write_csv(route, tmp_path / "legs.csv", tmp_path / "places.csv")
    df = pd.read_csv(tmp_path / "legs.csv")
    assert len(df) == 4 and df["confidence"].between(0, 1).all()


def test_gpkg(route, tmp_path):
    p = write_gpkg(route, tmp_path / "route.gpkg")
    layers = {name: gtype for name, gtype in pyogrio.list_layers(p)}
    assert layers == {"places": "Point", "legs": "MultiLineString", "evidence": None, "documents": None,
                      "layer_styles": None}
    places = gpd.read_file(p, layer="places")
    assert places.crs.to_epsg() == 4326
    assert list(places["id"]) == [rp.place.id for rp in route.places]
    assert places.loc[2, "name"] == "Хабаровск"
    assert places.geometry.iloc[0].equals(shapely.Point(131.87353, 43.10562))
    legs = gpd.read_file(p, layer="legs")
    assert list(legs["sequence"]) == [1, 2, 3, 4]
    assert len(legs.geometry.iloc[1].geoms) == 2  # antimeridian split kept
    assert json.loads(legs.loc[0, "count_values"]) == [1200, 1500]
    for col in LEG_COLUMNS:
        if col != "wkt":
            assert col in legs.columns, col
    ev = pyogrio.read_dataframe(p, layer="evidence")
    assert len(ev) == sum(len(rp.evidence) for rp in route.places) + sum(len(leg.evidence) for leg in route.legs)
    assert set(ev["owner_type"]) == {"place", "leg"}
    assert "<img src=x onerror=alert(1)>" in ev.loc[0, "sentence"]
    docs = pyogrio.read_dataframe(p, layer="documents")
    assert list(docs["id"]) == ["a/000_vlad.txt", "b/001_khab.txt"]
    assert [x.name for x in tmp_path.iterdir()] == ["route.gpkg"]


def test_gpkg_empty_route(empty_route, tmp_path):
    p = write_gpkg(empty_route, tmp_path / "e.gpkg")
    assert len(gpd.read_file(p, layer="places")) == 0 and len(gpd.read_file(p, layer="legs")) == 0


def test_gpkg_overwrites_existing(route, tmp_path):
    p = tmp_path / "route.gpkg"
    p.write_bytes(b"not a geopackage")
    write_gpkg(route, p)
    assert len(gpd.read_file(p, layer="legs")) == 4


def test_kml(route, tmp_path):
    p = write_kml(route, tmp_path / "route.kml")
    root = ET.parse(p).getroot()
    assert root.tag == f"{KML}kml"
    folders = {f.find(f"{KML}name").text: f for f in root.iter(f"{KML}Folder")}
    assert set(folders) == {"Route places", "Mentioned places", "Legs"}
    legs = folders["Legs"].findall(f"{KML}Placemark")
    assert len(legs) == 4
    l1 = legs[0]
    assert l1.find(f"{KML}name").text == "1. Vladivostok → Ussuriysk"
    ts = l1.find(f"{KML}TimeSpan")
    assert ts.find(f"{KML}begin").text == "2024-10-13" and ts.find(f"{KML}end").text == "2024-10-14"
    assert legs[3].find(f"{KML}TimeSpan") is None  # no dates, no TimeSpan
    air = legs[1]
    assert air.find(f"{KML}MultiGeometry") is not None and len(air.findall(f".//{KML}LineString")) == 2
    data = {d.get("name"): d.find(f"{KML}value").text for d in l1.iter(f"{KML}Data")}
    assert data["status"] == "reported" and json.loads(data["count_values"]) == [1200, 1500]
    # the description is HTML whose article text is escaped: the payload is text, not markup
    desc = l1.find(f"{KML}description").text
    assert "<img src=x" not in desc and "&lt;img src=x onerror=alert(1)&gt;" in desc
    names = [pm.find(f"{KML}name").text for pm in folders["Route places"].findall(f"{KML}Placemark")]
    assert "Хабаровск" in names
    raw = p.read_text(encoding="utf-8")
    assert raw.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "<img" not in raw


def test_kml_readable_by_gdal(route, tmp_path):
    p = write_kml(route, tmp_path / "route.kml")
    layers = [name for name, _ in pyogrio.list_layers(p)]
    assert "Legs" in layers
    df = gpd.read_file(p, layer="Legs")
    assert len(df) == 4


def test_exports_deterministic(route, tmp_path):
    for i in (1, 2):
        write_kml(route, tmp_path / f"k{i}.kml")
        write_csv(route, tmp_path / f"l{i}.csv", tmp_path / f"p{i}.csv")
    assert (tmp_path / "k1.kml").read_bytes() == (tmp_path / "k2.kml").read_bytes()
    assert (tmp_path / "l1.csv").read_bytes() == (tmp_path / "l2.csv").read_bytes()


def test_write_outputs_all(route, tmp_path):
    paths = maps.write_outputs(route, tmp_path / "out", inputs=["seeds/"], title="Custom title")
    names = [p.name for p in paths]
    assert names == ["route.geojson", "route.html", "route.gpkg", "route.kml", "legs.csv", "places.csv", "report.json"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert sorted(x.name for x in (tmp_path / "out").iterdir()) == sorted(names)  # no temp files left
    rep = json.loads((tmp_path / "out" / "report.json").read_text())
    assert rep["inputs"] == ["seeds/"] and rep["formats"] == ["geojson", "html", "gpkg", "kml", "csv"]
    assert rep["title"] == "Custom title"
    assert json.loads((tmp_path / "out" / "route.geojson").read_text())["movemap"]["title"] == "Custom title"


def test_write_outputs_subset_always_report(route, tmp_path):
    paths = maps.write_outputs(route, tmp_path, formats=["geojson"], inputs=[])
    assert [p.name for p in paths] == ["route.geojson", "report.json"]
    assert sorted(x.name for x in tmp_path.iterdir()) == ["report.json", "route.geojson"]


def test_write_outputs_unknown_format(route, tmp_path):
    with pytest.raises(ValueError, match="shp"):
        maps.write_outputs(route, tmp_path, formats=["geojson", "shp"])
    assert list(tmp_path.iterdir()) == []


def test_write_outputs_failure_is_reported_and_others_written(route, tmp_path):
    (tmp_path / "route.kml").mkdir()  # cannot be replaced by a file
    with pytest.raises(OutputError, match="route.kml"):
        maps.write_outputs(route, tmp_path, formats=["geojson", "kml", "csv"])
    rep = json.loads((tmp_path / "report.json").read_text())
    assert rep["output_errors"] and "route.kml" in rep["output_errors"][0]
    assert (tmp_path / "route.geojson").is_file() and (tmp_path / "legs.csv").is_file()
    assert not any(x.name.startswith(".") for x in tmp_path.iterdir())
