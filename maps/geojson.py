"""route.geojson: the route as an RFC 7946 FeatureCollection (schema fixed in CONTRACT.md).

Writing is deterministic: fixed key order, places in the route's order then legs by
sequence, coordinates rounded to 5 decimals, UTF-8 without ASCII escaping, one feature a
line, a trailing newline and nothing about the run itself (no timestamps). ``read_geojson``
reads such a file back into a ``Route`` so that write -> read -> write gives the same bytes.
"""

from __future__ import annotations

import json
import math
import os
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from gazetteer.place import Place
from geo.model import DocumentMeta, Evidence, Leg, Route, RoutePlace
from movemap.errors import InputError, OutputError

from .atomic import atomic_write_chunks

__all__ = [
    "route_to_geojson",
    "dumps_geojson",
    "iter_geojson",
    "write_geojson",
    "read_geojson",
    "geojson_to_route",
    "leg_geometry",
    "split_antimeridian",
    "COORD_DECIMALS",
]

COORD_DECIMALS = 5
CONFIDENCE_DECIMALS = 6


# --------------------------------------------------------------------------- helpers


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def date_interval(start: date | None, end: date | None) -> str:
    """An ISO 8601 date or interval ("2024-10-08", "2024-10-08/2024-10-13", "../2024-10-13")."""
    if start is not None and end is not None and start == end:
        return start.isoformat()
    return f"{_iso(start) or '..'}/{_iso(end) or '..'}"


def parse_date_interval(text: str) -> tuple[date | None, date | None]:
    """The inverse of :func:`date_interval`; raises ValueError on anything else."""
    if "/" not in text:
        d = date.fromisoformat(text)
        return d, d
    a, b = text.split("/", 1)
    out = (None if a == ".." else date.fromisoformat(a), None if b == ".." else date.fromisoformat(b))
    if out == (None, None):
        raise ValueError(text)
    return out


def _num(x: float, nd: int = COORD_DECIMALS) -> float:
    v = round(float(x), nd)
    return 0.0 if v == 0 else v  # no "-0.0"


def _lonlat(place: Place) -> tuple[float, float]:
    """A place's (lon, lat), validated, longitude wrapped into [-180, 180], rounded."""
    try:
        lon, lat = float(place.lon), float(place.lat)
    except (TypeError, ValueError) as exc:
        raise OutputError(f"place {place.id!r}: coordinates are not numbers ({place.lon!r}, {place.lat!r})") from exc
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise OutputError(f"place {place.id!r}: coordinates are not finite ({lon}, {lat})")
    if not -90.0 <= lat <= 90.0:
        raise OutputError(f"place {place.id!r}: latitude {lat} outside -90..90")
    if not -180.0 <= lon <= 180.0:
        lon = ((lon + 180.0) % 360.0) - 180.0
    return _num(lon), _num(lat)


def split_antimeridian(a: tuple[float, float], b: tuple[float, float]) -> list[list[tuple[float, float]]]:
    """Split the segment a -> b (lon, lat) where it crosses the antimeridian.

    A segment whose longitudes differ by more than 180 degrees is taken to go the short
    way round, across ±180. It is cut there, with the crossing latitude interpolated
    linearly, into two parts: a -> ±180 and ∓180 -> b. Otherwise the segment is returned
    whole. Parts that shrink to a point (an end lying on ±180) are dropped.
    """
    (lon1, lat1), (lon2, lat2) = a, b
    if abs(lon2 - lon1) <= 180.0:
        return [[a, b]]
    if lon1 > lon2:  # eastwards across +180
        lon2u = lon2 + 360.0
        edge = 180.0
    else:  # westwards across -180
        lon2u = lon2 - 360.0
        edge = -180.0
    t = (edge - lon1) / (lon2u - lon1)
    latc = _num(lat1 + t * (lat2 - lat1))
    parts = [[a, (edge, latc)], [(-edge, latc), b]]
    parts = [p for p in parts if p[0] != p[1]]
    return parts or [[a, b]]


def leg_geometry(leg: Leg) -> dict:
    """LineString origin -> destination, or a MultiLineString when it crosses the antimeridian."""
    a, b = _lonlat(leg.origin), _lonlat(leg.destination)
    parts = split_antimeridian(a, b)
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": [list(p) for p in parts[0]]}
    return {"type": "MultiLineString", "coordinates": [[list(p) for p in part] for part in parts]}


def _evidence(ev: Iterable[Evidence]) -> list[dict]:
    return [{"document": e.document, "sentence": e.sentence, "start": int(e.start), "end": int(e.end)} for e in ev]


def _confidence(x: float) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError) as exc:
        raise OutputError(f"confidence {x!r} is not a number") from exc
    if not math.isfinite(v):
        raise OutputError(f"confidence {x!r} is not finite")
    return _num(v, CONFIDENCE_DECIMALS)


def _opt_int(x: Any) -> int | None:
    return None if x is None else int(x)


def place_properties(rp: RoutePlace) -> dict:
    p = rp.place
    return {
        "feature_type": "place",
        "id": p.id,
        "name": p.name,
        "geonameid": _opt_int(p.geonameid),
        "country_code": p.country_code,
        "admin1": p.admin1,
        "kind": p.kind,
        "role": rp.role,
        "geo_precision": int(rp.geo_precision),
        "first_date": _iso(rp.first_date),
        "last_date": _iso(rp.last_date),
        "sources": list(rp.sources),
        "mention_count": int(rp.mention_count),
        "surface_forms": list(rp.surface_forms),
        "evidence": _evidence(rp.evidence),
    }


def leg_properties(leg: Leg) -> dict:
    return {
        "feature_type": "leg",
        "id": leg.id,
        "sequence": int(leg.sequence),
        "from_place": leg.origin.id,
        "to_place": leg.destination.id,
        "from_name": leg.origin.name,
        "to_name": leg.destination.name,
        "start": _iso(leg.start),
        "end": _iso(leg.end),
        "time_precision": int(leg.time_precision),
        "mode": leg.mode,
        "actor": leg.actor,
        "count": _opt_int(leg.count),
        "count_values": [int(c) for c in leg.count_values],
        "date_values": [date_interval(a, b) for a, b in leg.date_values],
        "status": leg.status,
        "sources": list(leg.sources),
        "source_count": len(leg.sources),
        "confidence": _confidence(leg.confidence),
        "evidence": _evidence(leg.evidence),
    }


def sorted_legs(route: Route) -> list[Leg]:
    """Legs in the order every output uses: by sequence, then id (stable for ties)."""
    return sorted(route.legs, key=lambda leg: (int(leg.sequence), str(leg.id)))


def document_meta(d: DocumentMeta) -> dict:
    return {"id": d.id, "title": d.title, "outlet": d.outlet, "published": _iso(d.published), "url": d.url}


def route_metadata(route: Route) -> dict:
    return {
        "documents": [document_meta(d) for d in route.documents],
        "gazetteer": {"name": route.gazetteer_name, "version": route.gazetteer_version},
        "title": route.title,
    }


# --------------------------------------------------------------------------- writing


def _features(route: Route):
    """The features one at a time: places in the route's order, then legs by sequence."""
    for rp in route.places:
        lon, lat = _lonlat(rp.place)
        yield {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": place_properties(rp)}
    for leg in sorted_legs(route):
        yield {"type": "Feature", "geometry": leg_geometry(leg), "properties": leg_properties(leg)}


def route_to_geojson(route: Route) -> dict:
    """The route as a GeoJSON FeatureCollection dict (key order is the file's order)."""
    return {"type": "FeatureCollection", "movemap": route_metadata(route), "features": list(_features(route))}


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def iter_geojson(route: Route):
    """The file's text in pieces (one feature a line, trailing newline), so that a route with
    many sources and much evidence is written without holding the whole file in memory; the
    pieces joined are exactly :func:`dumps_geojson`. The ``movemap`` line lists the documents
    one at a time, as ``_dump`` of the whole metadata object would."""
    try:
        yield '{"type": "FeatureCollection",\n"movemap": {"documents": ['
        for i, d in enumerate(route.documents):
            yield (", " if i else "") + _dump(document_meta(d))
        yield ('], "gazetteer": ' + _dump({"name": route.gazetteer_name, "version": route.gazetteer_version})
               + ', "title": ' + _dump(route.title) + '},\n"features": [')
        first = True
        for f in _features(route):
            yield ("\n" if first else ",\n") + _dump(f)
            first = False
        yield "]}\n" if first else "\n]}\n"
    except (TypeError, ValueError) as exc:
        raise OutputError(f"route cannot be written as GeoJSON: {exc}") from exc


def dumps_geojson(route: Route) -> str:
    """The file's text: one feature a line, trailing newline."""
    return "".join(iter_geojson(route))


def write_geojson(route: Route, path: str | os.PathLike) -> Path:
    """Write route.geojson atomically, a feature at a time; return its path."""
    try:
        return atomic_write_chunks(path, iter_geojson(route))
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc}") from exc


# --------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, problem: str) -> InputError:
        return InputError(f"{self.source}: {where}: {problem}" if where else f"{self.source}: {problem}")

    def get(self, obj: dict, key: str, kinds: tuple, where: str, *, required: bool = True, nullable: bool = False):
        if key not in obj:
            if required:
                raise self.fail(where, f"missing property {key!r}")
            return None
        v = obj[key]
        if v is None:
            if nullable:
                return None
            raise self.fail(where, f"property {key!r} is null")
        # bool is an int subclass: never accept it for numbers
        if isinstance(v, bool) and bool not in kinds:
            raise self.fail(where, f"property {key!r} should be {_kind_names(kinds)}, not {v!r}")
        if not isinstance(v, kinds):
            raise self.fail(where, f"property {key!r} should be {_kind_names(kinds)}, not {type(v).__name__} {v!r}"[:300])
        return v

    def date(self, obj: dict, key: str, where: str) -> date | None:
        v = self.get(obj, key, (str,), where, required=False, nullable=True)
        if v is None:
            return None
        try:
            return date.fromisoformat(v)
        except ValueError:
            raise self.fail(where, f"property {key!r} is not an ISO date: {v!r}") from None

    def str_list(self, obj: dict, key: str, where: str) -> tuple[str, ...]:
        v = self.get(obj, key, (list,), where, required=False, nullable=True) or []
        for x in v:
            if not isinstance(x, str):
                raise self.fail(where, f"property {key!r} should list strings, found {x!r}")
        return tuple(v)

    def evidence(self, obj: dict, where: str) -> tuple[Evidence, ...]:
        v = self.get(obj, "evidence", (list,), where, required=False, nullable=True) or []
        out = []
        for i, e in enumerate(v):
            w = f"{where}, evidence {i}"
            if not isinstance(e, dict):
                raise self.fail(w, f"should be an object, not {e!r}"[:300])
            out.append(
                Evidence(
                    document=self.get(e, "document", (str,), w),
                    sentence=self.get(e, "sentence", (str,), w),
                    start=self.get(e, "start", (int,), w),
                    end=self.get(e, "end", (int,), w),
                )
            )
        return tuple(out)

    def position(self, c: Any, where: str) -> tuple[float, float]:
        if (
            not isinstance(c, list)
            or len(c) < 2
            or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in c[:2])
        ):
            raise self.fail(where, f"bad position {c!r}"[:300])
        lon, lat = float(c[0]), float(c[1])
        if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise self.fail(where, f"position out of range {c!r}"[:300])
        return lon, lat

    def line_ends(self, geom: Any, where: str) -> tuple[tuple[float, float], tuple[float, float]]:
        if not isinstance(geom, dict):
            raise self.fail(where, "leg has no geometry")
        t, coords = geom.get("type"), geom.get("coordinates")
        if t == "LineString":
            if not isinstance(coords, list) or len(coords) < 2:
                raise self.fail(where, "LineString needs at least two positions")
            return self.position(coords[0], where), self.position(coords[-1], where)
        if t == "MultiLineString":
            if not isinstance(coords, list) or not coords or not all(isinstance(p, list) and p for p in coords):
                raise self.fail(where, "MultiLineString has no lines")
            return self.position(coords[0][0], where), self.position(coords[-1][-1], where)
        raise self.fail(where, f"a leg needs a LineString or MultiLineString, not {t!r}")


def _kind_names(kinds: tuple) -> str:
    names = {str: "a string", int: "an integer", float: "a number", list: "a list", dict: "an object", bool: "true/false"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def geojson_to_route(data: Any, source: str = "<geojson>") -> Route:
    """Build a Route from a parsed route.geojson (``source`` names it in error messages)."""
    r = _Reader(source)
    if not isinstance(data, dict):
        raise r.fail("", "not a GeoJSON object")
    if data.get("type") != "FeatureCollection":
        raise r.fail("", f"not a GeoJSON FeatureCollection (type is {data.get('type')!r})")
    features = data.get("features")
    if not isinstance(features, list):
        raise r.fail("", "'features' is missing or not a list")

    meta = data.get("movemap")
    documents: list[DocumentMeta] = []
    title = None
    gz_name, gz_version = "movemap-geonames", ""
    if meta is not None:
        if not isinstance(meta, dict):
            raise r.fail("'movemap'", "should be an object")
        docs = r.get(meta, "documents", (list,), "'movemap'", required=False, nullable=True) or []
        for i, d in enumerate(docs):
            w = f"'movemap' document {i}"
            if not isinstance(d, dict):
                raise r.fail(w, "should be an object")
            documents.append(
                DocumentMeta(
                    id=r.get(d, "id", (str,), w),
                    title=r.get(d, "title", (str,), w, required=False, nullable=True),
                    outlet=r.get(d, "outlet", (str,), w, required=False, nullable=True),
                    published=r.date(d, "published", w),
                    url=r.get(d, "url", (str,), w, required=False, nullable=True),
                )
            )
        gz = r.get(meta, "gazetteer", (dict,), "'movemap'", required=False, nullable=True) or {}
        gz_name = r.get(gz, "name", (str,), "'movemap' gazetteer", required=False, nullable=True) or gz_name
        gz_version = r.get(gz, "version", (str,), "'movemap' gazetteer", required=False, nullable=True) or ""
        title = r.get(meta, "title", (str,), "'movemap'", required=False, nullable=True)

    places: list[RoutePlace] = []
    by_id: dict[str, Place] = {}
    raw_legs: list[tuple[str, dict, Any]] = []
    for i, f in enumerate(features):
        where = f"feature {i}"
        if not isinstance(f, dict) or f.get("type") != "Feature":
            raise r.fail(where, "not a GeoJSON Feature")
        props = f.get("properties")
        if not isinstance(props, dict):
            raise r.fail(where, "has no properties object")
        ft = props.get("feature_type")
        if ft == "place":
            fid = r.get(props, "id", (str,), where)
            where = f"feature {i} (place {fid!r})"
            geom = f.get("geometry")
            if not isinstance(geom, dict) or geom.get("type") != "Point":
                raise r.fail(where, "a place needs a Point geometry")
            lon, lat = r.position(geom.get("coordinates"), where)
            place = Place(
                id=fid,
                name=r.get(props, "name", (str,), where),
                lat=lat,
                lon=lon,
                kind=r.get(props, "kind", (str,), where, required=False, nullable=True) or "other",
                country_code=r.get(props, "country_code", (str,), where, required=False, nullable=True),
                admin1=r.get(props, "admin1", (str,), where, required=False, nullable=True),
                geonameid=r.get(props, "geonameid", (int,), where, required=False, nullable=True),
                source="user" if fid.startswith("user:") else "geonames",
            )
            if fid in by_id:
                raise r.fail(where, f"place id {fid!r} appears twice")
            by_id[fid] = place
            role = r.get(props, "role", (str,), where)
            if role not in ("route", "mention"):
                raise r.fail(where, f"role should be 'route' or 'mention', not {role!r}")
            places.append(
                RoutePlace(
                    place=place,
                    role=role,
                    geo_precision=r.get(props, "geo_precision", (int,), where, required=False) or 1,
                    first_date=r.date(props, "first_date", where),
                    last_date=r.date(props, "last_date", where),
                    sources=r.str_list(props, "sources", where),
                    mention_count=r.get(props, "mention_count", (int,), where, required=False) or 0,
                    surface_forms=r.str_list(props, "surface_forms", where),
                    evidence=r.evidence(props, where),
                )
            )
        elif ft == "leg":
            raw_legs.append((where, props, f.get("geometry")))
        elif ft == "area":
            continue  # drawn from the place; nothing in a Route to restore
        else:
            raise r.fail(where, f"unknown feature_type {ft!r} (expected 'place', 'leg' or 'area')")

    legs: list[Leg] = []
    seen_legs: set[str] = set()
    for where, props, geom in raw_legs:
        lid = r.get(props, "id", (str,), where)
        where = f"{where} (leg {lid!r})"
        if lid in seen_legs:
            raise r.fail(where, f"leg id {lid!r} appears twice")
        seen_legs.add(lid)
        a, b = r.line_ends(geom, where)
        ends = []
        for key, name_key, (lon, lat) in (("from_place", "from_name", a), ("to_place", "to_name", b)):
            pid = r.get(props, key, (str,), where)
            place = by_id.get(pid)
            if place is None:  # a leg to a place without its own feature: rebuild it from the line
                place = Place(
                    id=pid,
                    name=r.get(props, name_key, (str,), where, required=False, nullable=True) or pid,
                    lat=lat,
                    lon=lon,
                    kind="other",
                    source="user" if pid.startswith("user:") else "geonames",
                )
            ends.append(place)
        status = r.get(props, "status", (str,), where)
        if status not in ("reported", "expected", "inferred"):
            raise r.fail(where, f"status should be reported, expected or inferred, not {status!r}")
        count_values = r.get(props, "count_values", (list,), where, required=False, nullable=True) or []
        if not all(isinstance(c, int) and not isinstance(c, bool) for c in count_values):
            raise r.fail(where, f"count_values should list integers, not {count_values!r}"[:300])
        date_values = []
        for v in r.get(props, "date_values", (list,), where, required=False, nullable=True) or []:
            try:
                date_values.append(parse_date_interval(v))
            except (TypeError, ValueError):
                raise r.fail(where, f"date_values should list ISO dates or date intervals, not {v!r}"[:300]) from None
        conf = r.get(props, "confidence", (int, float), where, required=False, nullable=True)
        legs.append(
            Leg(
                id=lid,
                sequence=r.get(props, "sequence", (int,), where),
                origin=ends[0],
                destination=ends[1],
                start=r.date(props, "start", where),
                end=r.date(props, "end", where),
                time_precision=r.get(props, "time_precision", (int,), where, required=False, nullable=True) or 3,
                mode=r.get(props, "mode", (str,), where, required=False, nullable=True) or "unknown",
                actor=r.get(props, "actor", (str,), where, required=False, nullable=True),
                count=r.get(props, "count", (int,), where, required=False, nullable=True),
                status=status,
                sources=r.str_list(props, "sources", where),
                confidence=0.5 if conf is None else float(conf),
                evidence=r.evidence(props, where),
                count_values=tuple(count_values),
                date_values=tuple(date_values),
            )
        )

    return Route(
        places=tuple(places),
        legs=tuple(legs),
        documents=tuple(documents),
        title=title,
        gazetteer_name=gz_name,
        gazetteer_version=gz_version,
    )


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def read_geojson(path: str | os.PathLike) -> Route:
    """Read a route.geojson back into a Route. A malformed file raises InputError naming it."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a folder, not a GeoJSON file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):
            raise InputError(f"{p}: not valid JSON: {exc}") from None
        raise InputError(f"{p}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise InputError(f"{p}: JSON nested too deeply") from None
    return geojson_to_route(data, str(p))
