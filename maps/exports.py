"""Column-based exports: CSV, GeoPackage and KML, carrying the same fields as route.geojson.

Lists (sources, surface forms, count values, evidence) become JSON strings in CSV and
GeoPackage columns; the GeoPackage also has an ``evidence`` table (one row per claim), a
``documents`` table and QGIS default styles (``layer_styles``, see ``maps.qgis_style``); its
columns are typed (``maps.frames``: dates DATE, integers INTEGER). KML carries TimeSpans and
styles by status. Every file is written through ``maps.atomic``: complete or absent.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from geo.model import Route
from movemap.errors import OutputError

from .atomic import atomic_open, atomic_path, write_chunks
from .frames import gpkg_columns, shapely_geometries, table_batches
from .geojson import _lonlat, leg_geometry, leg_properties, place_properties, sorted_legs
from .popups import MAX_EVIDENCE, MAX_POPUP_SOURCES, leg_popup, place_popup
from .qgis_style import LAYER_STYLES_FIELDS, layer_style_rows

__all__ = ["write_csv", "write_gpkg", "write_kml", "kml_text", "place_rows", "leg_rows", "gpkg_timestamp",
           "PLACE_COLUMNS", "LEG_COLUMNS"]

_LIST_FIELDS = {"sources", "surface_forms", "count_values", "date_values", "evidence"}

PLACE_COLUMNS = [
    "id", "name", "geonameid", "country_code", "admin1", "kind", "role", "geo_precision", "first_date", "last_date",
    "sources", "mention_count", "surface_forms", "evidence", "lon", "lat", "wkt",
]
LEG_COLUMNS = [
    "id", "sequence", "from_place", "to_place", "from_name", "to_name", "start", "end", "time_precision", "mode",
    "actor", "count", "count_values", "date_values", "status", "sources", "source_count", "confidence", "evidence",
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


def iter_place_rows(route: Route):
    """One dict per place, as they are needed: the GeoJSON properties (lists as JSON) plus lon,
    lat, wkt."""
    for rp in route.places:
        props = place_properties(rp)
        props.pop("feature_type")
        lon, lat = _lonlat(rp.place)
        row = {k: (_json(v) if k in _LIST_FIELDS else v) for k, v in props.items()}
        row.update(lon=lon, lat=lat, wkt=_wkt({"type": "Point", "coordinates": [lon, lat]}))
        yield row


def iter_leg_rows(route: Route):
    """One dict per leg (by sequence), as they are needed: properties (lists as JSON) plus end
    coordinates and wkt."""
    for leg in sorted_legs(route):
        props = leg_properties(leg)
        props.pop("feature_type")
        row = {k: (_json(v) if k in _LIST_FIELDS else v) for k, v in props.items()}
        (flon, flat), (tlon, tlat) = _lonlat(leg.origin), _lonlat(leg.destination)
        row.update(from_lon=flon, from_lat=flat, to_lon=tlon, to_lat=tlat, wkt=_wkt(leg_geometry(leg)))
        yield row


def place_rows(route: Route) -> list[dict]:
    """One dict per place: the GeoJSON properties (lists as JSON) plus lon, lat, wkt."""
    return list(iter_place_rows(route))


def leg_rows(route: Route) -> list[dict]:
    """One dict per leg (by sequence): properties (lists as JSON) plus end coordinates and wkt."""
    return list(iter_leg_rows(route))


def _write_csv_rows(fh, columns: list[str], rows) -> None:
    w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    buf = io.StringIO(newline="")
    _write_csv_rows(buf, columns, rows)
    return buf.getvalue()


def write_csv(route: Route, legs_path: str | os.PathLike, places_path: str | os.PathLike) -> tuple[Path, Path]:
    """Write legs.csv and places.csv (UTF-8, RFC 4180, empty cell for null, lists as JSON), a
    row at a time; both files are replaced only once both are complete."""
    with atomic_open(legs_path, "w", encoding="utf-8", newline="") as legs_fh, \
            atomic_open(places_path, "w", encoding="utf-8", newline="") as places_fh:
        _write_csv_rows(legs_fh, LEG_COLUMNS, iter_leg_rows(route))
        _write_csv_rows(places_fh, PLACE_COLUMNS, iter_place_rows(route))
    return Path(legs_path), Path(places_path)


# --------------------------------------------------------------------------- GeoPackage

# GeoPackage 1.2: the GDAL bundled with pyogrio would write 1.4, which GDAL < 3.7 (QGIS 3.22 LTR
# on Debian 12) reads with a "may only be partially supported" warning and whose validator
# rejects its R-tree triggers; 1.2 is what older GDAL wrote by default and every GIS reads.
GPKG_VERSION = "1.2"
GPKG_LAYER_DESCRIPTIONS = {
    "places": "movemap places (role route: origin, stop or destination; role mention: only named)",
    "legs": "movemap legs, one per movement (status reported, expected or inferred), by sequence",
    "evidence": "movemap evidence: one row per claim (sentence quoted for a leg or a place)",
    "documents": "movemap source articles",
}
# No dataset metadata: GDAL would mirror it into a route.gpkg.aux.xml next to the file
# whenever the GeoPackage is merely read.


def _gpkg_errors() -> tuple[type[BaseException], ...]:
    import pyogrio.errors as pe

    return (pe.DataSourceError, pe.DataLayerError, pe.FieldError, pe.GeometryError, pe.CRSError,
            ValueError, TypeError)


def gpkg_timestamp(route: Route) -> str:
    """The file's one timestamp (``gpkg_contents.last_change``, ``layer_styles.update_time``):
    the newest article's publication date, so the same inputs give the same bytes."""
    published = [d.published for d in route.documents if d.published is not None]
    day = max(published).isoformat() if published else "1970-01-01"
    return f"{day}T00:00:00.000Z"


@contextlib.contextmanager
def _gdal_config(options: dict[str, str]):
    import pyogrio

    old = {k: pyogrio.get_gdal_config_option(k) for k in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(old)


def _write_layer(tmp: Path, table, create: bool, append: bool = False) -> None:
    import shapely
    from pyogrio import raw

    data, names, masks = gpkg_columns(table)
    geometry = None
    if table.geometry is not None:
        geometry = shapely.to_wkb(shapely_geometries(table, multi=True), output_dimension=2)
    raw.write(
        str(tmp), geometry, data, names, field_mask=masks, layer=table.name, driver="GPKG",
        geometry_type=table.geometry_type if table.geometry is not None else None,
        crs="EPSG:4326" if table.geometry is not None else None,
        promote_to_multi=False,
        dataset_options={"VERSION": GPKG_VERSION} if create else None,
        layer_options=None if append else {"DESCRIPTION": GPKG_LAYER_DESCRIPTIONS.get(table.name, "")},
        append=append,
    )


def _write_layer_styles(tmp: Path, rows: list[dict]) -> None:
    import numpy as np
    from pyogrio import raw

    data, names, masks = [], [], []
    for name in LAYER_STYLES_FIELDS:
        values = [r[name] for r in rows]
        if name == "useAsDefault":
            arr = np.array(values, dtype=bool)
        elif name == "update_time":
            arr = np.array([v.rstrip("Z") for v in values], dtype="datetime64[ms]")
        else:
            arr = np.empty(len(values), dtype=object)
            arr[:] = values
        data.append(arr)
        names.append(name)
        masks.append(None)
    raw.write(str(tmp), None, data, names, field_mask=masks, layer="layer_styles", driver="GPKG",
              layer_options={"FID": "id"}, gdal_tz_offsets={"update_time": np.full(len(rows), 100)})  # 100: UTC


def write_gpkg(route: Route, path: str | os.PathLike) -> Path:
    """Write route.gpkg (GeoPackage 1.2, EPSG:4326), complete or not at all.

    Layers ``places`` (Point) and ``legs`` (MultiLineString: a leg across the antimeridian
    has two parts), tables ``evidence`` (one row per claim; ``leg_id``/``place_id`` join it
    to the layers) and ``documents``, and a ``layer_styles`` table whose default styles QGIS
    applies when a layer is opened (``maps.qgis_style``). Columns carry the route.geojson
    properties with their types (``maps.frames``): dates DATE, integers 32-bit integer columns
    (64-bit only where a value needs it), reals REAL, lists JSON strings. The same route gives
    the same bytes: the one timestamp is :func:`gpkg_timestamp`, set through GDAL's
    process-wide ``OGR_CURRENT_DATE`` option for the duration of the write.
    """
    stamp = gpkg_timestamp(route)
    styles = layer_style_rows(stamp)
    errors = _gpkg_errors()
    with atomic_path(path, suffix=".gpkg") as tmp:
        try:
            with _gdal_config({"OGR_CURRENT_DATE": stamp}):
                # a table at a time, in batches (a route with many sources has big tables)
                for i, (table, first) in enumerate(table_batches(route)):
                    _write_layer(tmp, table, create=(i == 0), append=not first)
                _write_layer_styles(tmp, styles)
        except errors as exc:
            raise OutputError(f"{path}: cannot write GeoPackage: {exc}") from exc
        finally:
            for side in ("-journal", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{tmp}{side}").unlink()
    return Path(path)


# --------------------------------------------------------------------------- KML

_KML_NS = "http://www.opengis.net/kml/2.2"
_KML_LEG_COLOURS = {"reported": "ff2b39c0", "expected": "e6227ee6", "inferred": "c0897a6c"}  # aabbggrr
# KML has no dashed lines: expected and inferred legs are told apart by colour, width and opacity.


# Characters XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates, U+FFFE/U+FFFF):
# an article may carry them, and one would make the whole file unreadable.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_ATTR_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


def _xml_text(value: Any) -> str:
    s = value if isinstance(value, str) else str(value)
    if not _XML_SPECIAL.search(s):
        return s
    if _XML_ILLEGAL.search(s):
        s = _XML_ILLEGAL.sub("\ufffd", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(value: Any) -> str:
    s = value if isinstance(value, str) else str(value)
    if not _XML_ATTR_SPECIAL.search(s):
        return s
    return (_xml_text(s).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


class _KmlWriter:
    """A small streaming XML writer (ElementTree's layout: one element a line, one space per
    level), several times faster than building and serialising a tree for 15,000 placemarks.
    With ``sink`` (a text file), what is written so far goes there at every ``flush``, so a
    big route is never held whole in memory."""

    def __init__(self, sink=None) -> None:
        self.parts: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
        self.depth = 0
        self.stack: list[str] = []
        self.sink = sink

    def _indent(self) -> None:
        if self.stack:
            self.parts.append("\n" + " " * self.depth)

    def open(self, tag: str, **attrib: str) -> None:
        self._indent()
        attrs = "".join(f' {k}="{_xml_attr(v)}"' for k, v in attrib.items())
        self.parts.append(f"<{tag}{attrs}>")
        self.stack.append(tag)
        self.depth += 1

    def close(self) -> None:
        tag = self.stack.pop()
        self.depth -= 1
        self.parts.append("\n" + " " * self.depth + f"</{tag}>")

    def leaf(self, tag: str, text: Any = None, **attrib: str) -> None:
        self._indent()
        attrs = "".join(f' {k}="{_xml_attr(v)}"' for k, v in attrib.items())
        body = "" if text is None else _xml_text(text)
        self.parts.append(f"<{tag}{attrs}>{body}</{tag}>" if body else f"<{tag}{attrs} />")

    def flush(self) -> None:
        if self.sink is not None and self.parts:
            write_chunks(self.sink, self.parts)
            self.parts = []

    def text(self) -> str:
        assert not self.stack
        return "".join(self.parts) + "\n"

    def finish(self) -> None:
        assert not self.stack
        self.parts.append("\n")
        self.flush()


def _ext_data(w: _KmlWriter, props: dict) -> None:
    """Every property as ``<Data name=..><value>..</value></Data>`` (lists as JSON)."""
    w.open("ExtendedData")
    ind = "\n" + " " * w.depth
    out = []
    for k, v in props.items():
        if k == "feature_type":
            continue
        if isinstance(v, (list, dict)):
            v = _json(v)
        value = "" if v is None else _xml_text(v)
        value = f"<value>{value}</value>" if value else "<value />"
        out.append(f'{ind}<Data name="{_xml_attr(k)}">{ind} {value}{ind}</Data>')
    w.parts.append("".join(out))
    w.close()


def _documents_by_id(route: Route):
    """id -> DocumentMeta for the popups: the route's own lookup when it has one (a spilled
    route keeps its documents on disk), else a dict of them."""
    lookup = getattr(route.documents, "by_id", None)
    return lookup() if lookup is not None else {d.id: d for d in route.documents}


def _docs_for(docs, ids) -> dict:
    """The documents a popup cites (the popup builds its source list from what it is given)."""
    ids = list(dict.fromkeys(ids))
    many = getattr(docs, "get_many", None)
    if many is not None:
        found = many(ids)
        return {i: found[i] for i in ids if i in found}
    return {i: docs[i] for i in ids if i in docs}


def _cited(sources, evidence) -> list[str]:
    """The documents a capped popup can cite: its first MAX_POPUP_SOURCES sources and the
    documents of its first evidence sentences (the popup quotes at most MAX_EVIDENCE)."""
    return [*itertools.islice(sources, MAX_POPUP_SOURCES),
            *(e.document for e in itertools.islice(evidence, MAX_EVIDENCE * MAX_EVIDENCE))]


def _timespan(w: _KmlWriter, begin, end) -> None:
    """A ``<TimeSpan>`` from the dates (either end may be open); nothing when both are unknown."""
    if begin is None and end is None:
        return
    w.open("TimeSpan")
    if begin is not None:
        w.leaf("begin", begin.isoformat())
    if end is not None:
        w.leaf("end", end.isoformat())
    w.close()


def _place_time(w: _KmlWriter, first, last) -> None:
    """A place seen on one day gets a ``<TimeStamp>``; a range of days a ``<TimeSpan>``."""
    if first is not None and first == last:
        w.open("TimeStamp")
        w.leaf("when", first.isoformat())
        w.close()
    else:
        _timespan(w, first, last)


def _balloon(w: _KmlWriter) -> None:
    """Show just the description in the balloon (no "Directions: To here - From here" links)."""
    w.open("BalloonStyle")
    w.leaf("text", "$[description]")
    w.close()


def _coords(pts) -> str:
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pts)


def kml_text(route: Route) -> str:
    """The KML document as text. Names and descriptions are XML-escaped (characters XML
    cannot carry become U+FFFD); descriptions are HTML whose untrusted parts are HTML-escaped
    first (so a KML viewer shows them as text)."""
    w = _KmlWriter()
    _kml(route, w)
    return w.text()


def _kml(route: Route, w: _KmlWriter) -> None:
    """The KML document into ``w``, flushed after each placemark."""
    docs = _documents_by_id(route)
    w.open("kml", xmlns=_KML_NS)
    w.open("Document")
    w.leaf("name", route.title or "movemap route")
    w.leaf("description", "Places: GeoNames (CC BY 4.0). Made with movemap.")
    for status, colour in _KML_LEG_COLOURS.items():
        w.open("Style", id=f"leg-{status}")
        w.open("LineStyle")
        w.leaf("color", colour)
        w.leaf("width", 3 if status != "inferred" else 2)
        w.close()
        _balloon(w)
        w.close()
    for role, colour in (("route", "ffd9904a"), ("mention", "ffdb9db3")):
        w.open("Style", id=f"place-{role}")
        w.open("IconStyle")
        w.leaf("color", colour)
        w.leaf("scale", "1.0" if role == "route" else "0.7")
        w.open("Icon")
        w.leaf("href", "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png")
        w.close()
        w.close()
        _balloon(w)
        w.close()

    for role, folder in (("route", "Route places"), ("mention", "Mentioned places")):
        members = [rp for rp in route.places if (rp.role == "route") == (role == "route")]
        if role == "mention" and not members:
            continue
        w.open("Folder")
        w.leaf("name", folder)
        if role == "mention":
            w.leaf("visibility", 0)
        for rp in map(_read_once, members):
            w.open("Placemark", id=_xml_id("place", rp.place.id))
            w.leaf("name", rp.place.name)
            if role == "mention":
                w.leaf("visibility", 0)
            w.leaf("description", place_popup(rp, _docs_for(docs, _cited(rp.sources, rp.evidence)), cap=MAX_POPUP_SOURCES))
            _place_time(w, rp.first_date, rp.last_date)
            w.leaf("styleUrl", f"#place-{role}")
            _ext_data(w, place_properties(rp))
            lon, lat = _lonlat(rp.place)
            w.open("Point")
            w.leaf("coordinates", _coords([(lon, lat)]))
            w.close()
            w.close()
            w.flush()
        w.close()

    w.open("Folder")
    w.leaf("name", "Legs")
    for leg in map(_read_once, sorted_legs(route)):
        w.open("Placemark", id=_xml_id("leg", leg.id))
        w.leaf("name", f"{leg.sequence}. {leg.origin.name} → {leg.destination.name}")
        w.leaf("description", leg_popup(leg, _docs_for(docs, _cited(leg.sources, leg.evidence)), cap=MAX_POPUP_SOURCES))
        _timespan(w, leg.start, leg.end)
        w.leaf("styleUrl", f"#leg-{leg.status}" if leg.status in _KML_LEG_COLOURS else "#leg-reported")
        _ext_data(w, leg_properties(leg))
        g = leg_geometry(leg)
        parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        if len(parts) > 1:
            w.open("MultiGeometry")
        for part in parts:
            w.open("LineString")
            w.leaf("tessellate", 1)
            w.leaf("coordinates", _coords(part))
            w.close()
        if len(parts) > 1:
            w.close()
        w.close()
        w.flush()
    w.close()
    w.close()
    w.close()


def _read_once(item):
    """A place or leg with its sources and evidence read into tuples: its placemark uses them
    three times (the description's citations, the description, ExtendedData) and a spilled
    route reads them from disk each time. One item's lists at a time: memory stays flat."""
    return replace(item, sources=tuple(item.sources), evidence=tuple(item.evidence))


def _xml_id(kind: str, raw: str) -> str:
    """A valid XML id (NCName) from a place or leg id, stable and readable."""
    out = []
    for ch in str(raw):
        out.append(ch if (ch.isalnum() and ch.isascii()) or ch in "-_." else f"_{ord(ch):x}_")
    return f"{kind}-" + "".join(out)


def write_kml(route: Route, path: str | os.PathLike) -> Path:
    """Write route.kml atomically: folders Route places / Mentioned places / Legs; styles by leg
    status and place role; a ``<TimeSpan>`` from each dated leg's start/end (a place seen on one
    day a ``<TimeStamp>``); descriptions are the map's popups (escaped, with the evidence);
    every field in ExtendedData. Written a placemark at a time."""
    with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
        w = _KmlWriter(fh)
        _kml(route, w)
        w.finish()
    return Path(path)
