"""The route as typed tables: one schema for the GeoPackage layers and the GeoDataFrames.

``route.geojson`` is the contract; this module lays the same properties out as columns
(``place_table``, ``leg_table``, ``evidence_table``, ``document_table``), each column with
a type, so that every column-based output agrees with the GeoJSON value for value:

- dates are dates (GeoPackage ``DATE``, pandas ``datetime64``), not strings;
- integers are integers (GeoPackage ``MEDIUMINT``, i.e. 32-bit, which ArcGIS reads as Long;
  a column only becomes 64-bit ``INTEGER`` if a value needs it), with nulls kept null;
- lists (sources, surface forms, count values, evidence) are JSON strings, as in the CSV;
  the evidence is also a table of its own, one row per claim.

Values come from ``maps.geojson`` (``place_properties``, ``leg_properties``, ``leg_geometry``)
so the rounding, the antimeridian split and the order (places as in the route, legs by
sequence) are the GeoJSON's.

``route_geodataframe(route, "legs"|"places")`` is what ``Route.to_geodataframe`` returns;
``gpkg_columns`` turns a table into the arrays ``pyogrio.raw.write`` takes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from geo.model import Route

from .geojson import _lonlat, document_meta, leg_geometry, leg_properties, place_properties, sorted_legs

__all__ = [
    "Column",
    "Table",
    "PLACE_SCHEMA",
    "LEG_SCHEMA",
    "EVIDENCE_SCHEMA",
    "DOCUMENT_SCHEMA",
    "place_table",
    "leg_table",
    "evidence_table",
    "document_table",
    "route_geodataframe",
    "gpkg_columns",
    "table_batches",
    "LAYERS",
]

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True)
class Column:
    """A column: ``kind`` is ``str``, ``json`` (a list as a JSON string), ``int``, ``real`` or ``date``."""

    name: str
    kind: str


def _schema(spec: str) -> tuple[Column, ...]:
    return tuple(Column(*item.split(":")) for item in spec.split())


PLACE_SCHEMA = _schema(
    "id:str name:str geonameid:int country_code:str admin1:str kind:str role:str geo_precision:int "
    "first_date:date last_date:date sources:json mention_count:int surface_forms:json evidence:json lon:real lat:real"
)
LEG_SCHEMA = _schema(
    "id:str sequence:int from_place:str to_place:str from_name:str to_name:str start:date end:date "
    "time_precision:int mode:str actor:str count:int count_values:json date_values:json status:str sources:json source_count:int "
    "confidence:real evidence:json from_lon:real from_lat:real to_lon:real to_lat:real"
)
EVIDENCE_SCHEMA = _schema(
    "owner_type:str owner_id:str leg_id:str place_id:str document:str sentence:str start:int end:int"
)
DOCUMENT_SCHEMA = _schema("id:str title:str outlet:str published:date url:str")


@dataclass
class Table:
    """Columns of one layer: ``data[name]`` is a list of Python values (None for null, dates as
    ISO strings); ``geometry`` is a list of GeoJSON geometry dicts, or None for a plain table."""

    name: str
    schema: tuple[Column, ...]
    data: dict[str, list] = field(default_factory=dict)
    geometry: list[dict] | None = None
    geometry_type: str | None = None

    def __len__(self) -> int:
        return len(self.data[self.schema[0].name]) if self.schema else 0


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json(v: Any) -> str:
    return "[]" if isinstance(v, list) and not v else _ENCODER.encode(v)


def _fill(table: Table, records: list[dict]) -> Table:
    for col in table.schema:
        if col.kind == "json":
            table.data[col.name] = [_json(r[col.name]) for r in records]
        else:
            table.data[col.name] = [r[col.name] for r in records]
    return table


def _place_records(route: Route):
    for rp in route.places:
        props = place_properties(rp)
        lon, lat = _lonlat(rp.place)
        props["lon"], props["lat"] = lon, lat
        yield props, {"type": "Point", "coordinates": [lon, lat]}


def _leg_records(route: Route):
    for leg in sorted_legs(route):
        props = leg_properties(leg)
        (props["from_lon"], props["from_lat"]), (props["to_lon"], props["to_lat"]) = (
            _lonlat(leg.origin), _lonlat(leg.destination))
        yield props, leg_geometry(leg)


def _evidence_records(route: Route):
    for rp in route.places:
        for e in rp.evidence:
            yield {"owner_type": "place", "owner_id": rp.place.id, "leg_id": None, "place_id": rp.place.id,
                   "document": e.document, "sentence": e.sentence, "start": int(e.start), "end": int(e.end)}, None
    for leg in sorted_legs(route):
        for e in leg.evidence:
            yield {"owner_type": "leg", "owner_id": leg.id, "leg_id": leg.id, "place_id": None,
                   "document": e.document, "sentence": e.sentence, "start": int(e.start), "end": int(e.end)}, None


def _document_records(route: Route):
    for d in route.documents:
        yield document_meta(d), None


def _table(name: str, schema, geometry_type, records) -> Table:
    records = list(records)
    geoms = [g for _, g in records] if geometry_type else None
    return _fill(Table(name, schema, geometry=geoms, geometry_type=geometry_type), [r for r, _ in records])


def place_table(route: Route) -> Table:
    """Places in the route's order: the GeoJSON properties plus lon, lat; Point geometries."""
    return _table("places", PLACE_SCHEMA, "Point", _place_records(route))


def leg_table(route: Route) -> Table:
    """Legs by sequence: the GeoJSON properties plus end coordinates; the GeoJSON geometry
    (LineString, or MultiLineString split at the antimeridian)."""
    return _table("legs", LEG_SCHEMA, "MultiLineString", _leg_records(route))


def evidence_table(route: Route) -> Table:
    """One row per claim (a sentence quoted for a place or a leg), places first, then legs by
    sequence; ``leg_id``/``place_id`` join it to the layers (``owner_type``/``owner_id`` too)."""
    return _table("evidence", EVIDENCE_SCHEMA, None, _evidence_records(route))


def document_table(route: Route) -> Table:
    """The articles (id, title, outlet, published, url), in the route's order."""
    return _table("documents", DOCUMENT_SCHEMA, None, _document_records(route))


# Small batches: each one is held as Python rows, numpy arrays and GDAL's copy at once (a 20,000-row,
# 16 MB batch cost ~80 MB of memory); GDAL appends them at about the same speed.
BATCH_ROWS = 2_000
BATCH_CHARS = 2 << 20


def _size(record: dict) -> int:
    return sum(len(v) if isinstance(v, str) else 8 for v in record.values())


def table_batches(route: Route, rows: int | None = None, chars: int | None = None):
    """The four GeoPackage tables as batches of at most ``rows`` rows (or about ``chars``
    characters of text): ``(table, first)`` pairs, ``first`` for a table's first batch, which
    also comes, empty, for an empty table. A writer appends them one after the other, so a
    big route is never laid out in memory whole; a route that fits in one batch per table
    gives exactly ``place_table`` etc."""
    rows = BATCH_ROWS if rows is None else rows
    chars = BATCH_CHARS if chars is None else chars
    for name, schema, gtype, records in (
        ("places", PLACE_SCHEMA, "Point", _place_records(route)),
        ("legs", LEG_SCHEMA, "MultiLineString", _leg_records(route)),
        ("evidence", EVIDENCE_SCHEMA, None, _evidence_records(route)),
        ("documents", DOCUMENT_SCHEMA, None, _document_records(route)),
    ):
        batch: list = []
        size = 0
        first = True
        json_cols = {c.name for c in schema if c.kind == "json"}
        for rec in records:
            batch.append(({k: (_json(v) if k in json_cols else v) for k, v in rec[0].items()}, rec[1]))
            size += _size(batch[-1][0])
            if len(batch) >= rows or size >= chars:
                yield _raw_table(name, schema, gtype, batch), first
                batch, size, first = [], 0, False
        if batch or first:
            yield _raw_table(name, schema, gtype, batch), first


def _raw_table(name, schema, gtype, batch) -> Table:
    """A table from records whose list columns are JSON text already."""
    t = Table(name, schema, geometry=[g for _, g in batch] if gtype else None, geometry_type=gtype)
    for col in schema:
        t.data[col.name] = [r[col.name] for r, _ in batch]
    return t


LAYERS = {"places": place_table, "legs": leg_table, "evidence": evidence_table, "documents": document_table}


# --------------------------------------------------------------------------- typed arrays


def _int_dtype(values: list) -> str:
    present = [v for v in values if v is not None]
    if present and (min(present) < INT32_MIN or max(present) > INT32_MAX):
        return "int64"
    return "int32"


def gpkg_columns(table: Table) -> tuple[list, list, list]:
    """``(field_data, fields, field_mask)`` for ``pyogrio.raw.write``: dates as
    ``datetime64[D]`` (GDAL makes them DATE), integers as int32/int64 with a null mask,
    reals as float64 (NaN is null), strings as objects (None is null)."""
    import numpy as np

    data, names, masks = [], [], []
    for col in table.schema:
        values = table.data[col.name]
        mask = None
        if col.kind == "int":
            mask_arr = np.array([v is None for v in values], dtype=bool)
            arr = np.array([0 if v is None else int(v) for v in values], dtype=_int_dtype(values))
            mask = mask_arr if mask_arr.any() else None
        elif col.kind == "real":
            arr = np.array([np.nan if v is None else float(v) for v in values], dtype="float64")
        elif col.kind == "date":
            arr = np.array(["NaT" if v is None else v for v in values], dtype="datetime64[D]")
        else:
            arr = np.empty(len(values), dtype=object)
            arr[:] = values
        data.append(arr)
        names.append(col.name)
        masks.append(mask)
    return data, names, masks


def shapely_geometries(table: Table, multi: bool = False):
    """The table's geometries as an array of shapely objects (built in bulk); ``multi`` makes
    every line a MultiLineString (a GeoPackage layer has one geometry type)."""
    import numpy as np
    import shapely

    geoms = table.geometry or []
    if table.geometry_type == "Point":
        coords = np.array([g["coordinates"] for g in geoms], dtype="float64").reshape(-1, 2)
        return shapely.points(coords)
    parts: list[list] = []
    owner: list[int] = []
    for i, g in enumerate(geoms):
        if g["type"] == "LineString":
            parts.append(g["coordinates"])
            owner.append(i)
        elif g["type"] == "MultiLineString":
            parts.extend(g["coordinates"])
            owner.extend([i] * len(g["coordinates"]))
        else:  # pragma: no cover - the route has no other geometries
            raise ValueError(f"unexpected geometry type {g['type']}")
    out = np.empty(len(geoms), dtype=object)
    if not geoms:
        return out
    sizes = [len(p) for p in parts]
    coords = np.array([xy for p in parts for xy in p], dtype="float64").reshape(-1, 2)
    lines = shapely.linestrings(coords, indices=np.repeat(np.arange(len(parts)), sizes))
    owner_arr = np.array(owner)
    counts = np.bincount(owner_arr, minlength=len(geoms))
    if multi:
        return shapely.multilinestrings(lines, indices=owner_arr)
    single = counts == 1
    out[single] = lines[np.searchsorted(owner_arr, np.flatnonzero(single))]
    if (~single).any():
        keep = ~single[owner_arr]
        out[~single] = shapely.multilinestrings(lines[keep], indices=np.unique(owner_arr[keep], return_inverse=True)[1])
    return out


def route_geodataframe(route: Route, layer: str = "legs"):
    """A ``geopandas.GeoDataFrame`` of ``layer`` (``"legs"`` or ``"places"``) in EPSG:4326.

    Columns are those of the GeoPackage layer (and the GeoJSON properties): strings,
    nullable integers (``Int32``/``Int64``), floats, dates as ``datetime64[ms]`` (NaT for
    null), lists as JSON strings (``json.loads`` gives them back); geometries as in
    route.geojson (a leg across the antimeridian is a MultiLineString).
    """
    if layer not in ("legs", "places"):
        raise ValueError(f"layer should be 'legs' or 'places', not {layer!r}")
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    table = LAYERS[layer](route)
    columns: dict[str, Any] = {}
    for col in table.schema:
        values = table.data[col.name]
        if col.kind == "int":
            columns[col.name] = pd.array(values, dtype="Int32" if _int_dtype(values) == "int32" else "Int64")
        elif col.kind == "real":
            columns[col.name] = pd.array([np.nan if v is None else float(v) for v in values], dtype="float64")
        elif col.kind == "date":
            arr = np.array(["NaT" if v is None else v for v in values], dtype="datetime64[D]").astype("datetime64[ms]")
            columns[col.name] = pd.Series(arr, dtype="datetime64[ms]")
        else:
            columns[col.name] = pd.Series(values, dtype=object)
    df = pd.DataFrame(columns, index=pd.RangeIndex(len(table)))
    geoms = gpd.GeoSeries(shapely_geometries(table), index=df.index, crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")
