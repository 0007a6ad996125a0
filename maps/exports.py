"""Column-based exports: CSV, GeoPackage and KML, carrying the same fields as route.geojson.

Lists (sources, surface forms, count values, evidence) become JSON strings in CSV and
GeoPackage columns; the GeoPackage also has an ``evidence`` table (one row per sentence) and
a ``documents`` table. Every file is written through ``maps.atomic``: complete or absent.
"""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from geo.model import Route
from movemap.errors import OutputError

from .atomic import atomic_path, atomic_write
from .geojson import _lonlat, document_meta, leg_geometry, leg_properties, place_properties, sorted_legs
from .popups import leg_popup, place_popup

__all__ = ["write_csv", "write_gpkg", "write_kml", "place_rows", "leg_rows", "PLACE_COLUMNS", "LEG_COLUMNS"]

_LIST_FIELDS = {"sources", "surface_forms", "count_values", "evidence"}

PLACE_COLUMNS = [
    "id", "name", "geonameid", "country_code", "admin1", "kind", "role", "geo_precision", "first_date", "last_date",
    "sources", "mention_count", "surface_forms", "evidence", "lon", "lat", "wkt",
]
LEG_COLUMNS = [
    "id", "sequence", "from_place", "to_place", "from_name", "to_name", "start", "end", "time_precision", "mode",
    "actor", "count", "count_values", "status", "sources", "source_count", "confidence", "evidence",
    "from_lon", "from_lat", "to_lon", "to_lat", "wkt",
]


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def _fmt(x: float) -> str:
    return repr(float(x)) if float(x) != int(x) else f"{int(x)}.0"


def _wkt(geom: dict) -> str:
    t, c = geom["type"], geom["coordinates"]
    if t == "Point":
        return f"POINT ({_fmt(c[0])} {_fmt(c[1])})"
    line = lambda pts: "(" + ", ".join(f"{_fmt(x)} {_fmt(y)}" for x, y in pts) + ")"  # noqa: E731
    if t == "LineString":
        return "LINESTRING " + line(c)
    if t == "MultiLineString":
        return "MULTILINESTRING (" + ", ".join(line(p) for p in c) + ")"
    raise OutputError(f"unexpected geometry type {t}")


def place_rows(route: Route) -> list[dict]:
    """One dict per place: the GeoJSON properties (lists as JSON) plus lon, lat, wkt."""
    rows = []
    for rp in route.places:
        props = place_properties(rp)
        props.pop("feature_type")
        lon, lat = _lonlat(rp.place)
        row = {k: (_json(v) if k in _LIST_FIELDS else v) for k, v in props.items()}
        row.update(lon=lon, lat=lat, wkt=_wkt({"type": "Point", "coordinates": [lon, lat]}))
        rows.append(row)
    return rows


def leg_rows(route: Route) -> list[dict]:
    """One dict per leg (by sequence): properties (lists as JSON) plus end coordinates and wkt."""
    rows = []
    for leg in sorted_legs(route):
        props = leg_properties(leg)
        props.pop("feature_type")
        row = {k: (_json(v) if k in _LIST_FIELDS else v) for k, v in props.items()}
        (flon, flat), (tlon, tlat) = _lonlat(leg.origin), _lonlat(leg.destination)
        row.update(from_lon=flon, from_lat=flat, to_lon=tlon, to_lat=tlat, wkt=_wkt(leg_geometry(leg)))
        rows.append(row)
    return rows


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return buf.getvalue()


def write_csv(route: Route, legs_path: str | os.PathLike, places_path: str | os.PathLike) -> tuple[Path, Path]:
    """Write legs.csv and places.csv (UTF-8, RFC 4180, empty cell for null, lists as JSON)."""
    legs_text = _csv_text(LEG_COLUMNS, leg_rows(route))
    places_text = _csv_text(PLACE_COLUMNS, place_rows(route))
    return atomic_write(legs_path, legs_text), atomic_write(places_path, places_text)


# --------------------------------------------------------------------------- GeoPackage


def write_gpkg(route: Route, path: str | os.PathLike) -> Path:
    """Write a GeoPackage with layers places (Point), legs (MultiLineString) and tables
    evidence (owner_type, owner_id, document, sentence, start, end) and documents."""
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    import shapely

    places = place_rows(route)
    legs = leg_rows(route)
    for r in places:
        r.pop("wkt")
    for r in legs:
        r.pop("wkt")
    place_geoms = [shapely.Point(r["lon"], r["lat"]) for r in places]
    leg_geoms = []
    for leg in sorted_legs(route):
        g = leg_geometry(leg)
        parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        leg_geoms.append(shapely.MultiLineString(parts))

    def frame(rows: list[dict], columns: list[str], geoms: list) -> "gpd.GeoDataFrame":
        df = pd.DataFrame(rows, columns=[c for c in columns if c != "wkt"])
        for col in ("geonameid", "count", "sequence", "geo_precision", "mention_count", "time_precision", "source_count"):
            if col in df.columns:
                df[col] = df[col].astype("Int64")
        return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"), crs="EPSG:4326")

    evidence = []
    for rp in route.places:
        for e in rp.evidence:
            evidence.append({"owner_type": "place", "owner_id": rp.place.id, "document": e.document,
                             "sentence": e.sentence, "start": e.start, "end": e.end})
    for leg in sorted_legs(route):
        for e in leg.evidence:
            evidence.append({"owner_type": "leg", "owner_id": leg.id, "document": e.document,
                             "sentence": e.sentence, "start": e.start, "end": e.end})
    ev_df = pd.DataFrame(evidence, columns=["owner_type", "owner_id", "document", "sentence", "start", "end"])
    ev_df["start"] = ev_df["start"].astype("Int64")
    ev_df["end"] = ev_df["end"].astype("Int64")
    doc_df = pd.DataFrame([document_meta(d) for d in route.documents], columns=["id", "title", "outlet", "published", "url"])

    with atomic_path(path, suffix=".gpkg") as tmp:
        try:
            pyogrio.write_dataframe(frame(places, PLACE_COLUMNS, place_geoms), tmp, layer="places",
                                    driver="GPKG", geometry_type="Point")
            pyogrio.write_dataframe(frame(legs, LEG_COLUMNS, leg_geoms), tmp, layer="legs",
                                    driver="GPKG", geometry_type="MultiLineString", append=False)
            pyogrio.write_dataframe(ev_df, tmp, layer="evidence", driver="GPKG")
            pyogrio.write_dataframe(doc_df, tmp, layer="documents", driver="GPKG")
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
                pyogrio.errors.GeometryError, pyogrio.errors.CRSError, ValueError, TypeError) as exc:
            raise OutputError(f"{path}: cannot write GeoPackage: {exc}") from exc
    return Path(path)


# --------------------------------------------------------------------------- KML

_KML_NS = "http://www.opengis.net/kml/2.2"
_KML_LEG_COLOURS = {"reported": "ff2b39c0", "expected": "ff227ee6", "inferred": "ff897a6c"}  # aabbggrr


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrib)
    if text is not None:
        el.text = str(text)
    return el


def _ext_data(pm: ET.Element, props: dict) -> None:
    ed = _sub(pm, "ExtendedData")
    for k, v in props.items():
        if k == "feature_type":
            continue
        d = _sub(ed, "Data", name=k)
        if isinstance(v, (list, dict)):
            v = _json(v)
        _sub(d, "value", "" if v is None else v)


def _timespan(pm: ET.Element, begin, end) -> None:
    if begin is None and end is None:
        return
    ts = _sub(pm, "TimeSpan")
    if begin is not None:
        _sub(ts, "begin", begin.isoformat())
    if end is not None:
        _sub(ts, "end", end.isoformat())


def _coords(pts) -> str:
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pts)


def kml_text(route: Route) -> str:
    """The KML document as text. Names and descriptions are XML-escaped by ElementTree;
    descriptions are HTML whose untrusted parts are HTML-escaped first (so a KML viewer
    shows them as text)."""
    docs = {d.id: d for d in route.documents}
    kml = ET.Element("kml", xmlns=_KML_NS)
    doc = _sub(kml, "Document")
    _sub(doc, "name", route.title or "movemap route")
    _sub(doc, "description", "Places: GeoNames (CC BY 4.0). Made with movemap.")
    for status, colour in _KML_LEG_COLOURS.items():
        st = _sub(doc, "Style", id=f"leg-{status}")
        ls = _sub(st, "LineStyle")
        _sub(ls, "color", colour)
        _sub(ls, "width", 3 if status != "inferred" else 2)
    for role, colour in (("route", "ffd9904a"), ("mention", "ffdb9db3")):
        st = _sub(doc, "Style", id=f"place-{role}")
        ics = _sub(st, "IconStyle")
        _sub(ics, "color", colour)
        _sub(ics, "scale", "1.0" if role == "route" else "0.7")
        icon = _sub(ics, "Icon")
        _sub(icon, "href", "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png")

    folders = {
        "route": _sub(doc, "Folder"),
        "mention": None,
    }
    _sub(folders["route"], "name", "Route places")
    for rp in route.places:
        role = "route" if rp.role == "route" else "mention"
        if folders[role] is None:
            folders[role] = _sub(doc, "Folder")
            _sub(folders[role], "name", "Mentioned places")
            _sub(folders[role], "visibility", 0)
        pm = _sub(folders[role], "Placemark", id=_xml_id("place", rp.place.id))
        _sub(pm, "name", rp.place.name)
        if role == "mention":
            _sub(pm, "visibility", 0)
        _sub(pm, "description", place_popup(rp, docs))
        _timespan(pm, rp.first_date, rp.last_date)
        _sub(pm, "styleUrl", f"#place-{role}")
        _ext_data(pm, place_properties(rp))
        lon, lat = _lonlat(rp.place)
        pt = _sub(pm, "Point")
        _sub(pt, "coordinates", _coords([(lon, lat)]))

    legs_folder = _sub(doc, "Folder")
    _sub(legs_folder, "name", "Legs")
    for leg in sorted_legs(route):
        pm = _sub(legs_folder, "Placemark", id=_xml_id("leg", leg.id))
        _sub(pm, "name", f"{leg.sequence}. {leg.origin.name} → {leg.destination.name}")
        _sub(pm, "description", leg_popup(leg, docs))
        _timespan(pm, leg.start, leg.end)
        _sub(pm, "styleUrl", f"#leg-{leg.status}" if leg.status in _KML_LEG_COLOURS else "#leg-reported")
        _ext_data(pm, leg_properties(leg))
        g = leg_geometry(leg)
        parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        holder = pm if len(parts) == 1 else _sub(pm, "MultiGeometry")
        for part in parts:
            ls = _sub(holder, "LineString")
            _sub(ls, "tessellate", 1)
            _sub(ls, "coordinates", _coords(part))
    ET.indent(kml, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(kml, encoding="unicode") + "\n"


def _xml_id(kind: str, raw: str) -> str:
    """A valid XML id (NCName) from a place or leg id, stable and readable."""
    out = []
    for ch in str(raw):
        out.append(ch if (ch.isalnum() and ch.isascii()) or ch in "-_." else f"_{ord(ch):x}_")
    return f"{kind}-" + "".join(out)


def write_kml(route: Route, path: str | os.PathLike) -> Path:
    """Write route.kml atomically (folders Route places / Mentioned places / Legs, TimeSpans
    from the dates, every field in ExtendedData)."""
    return atomic_write(path, kml_text(route))
