"""The gazetteer proper: ranked name lookups, reverse lookups and user entries.

This module does not import geopy (``import geopy`` alone costs ~0.4 s), so the
``movemap geocode`` command can start fast; ``gazetteer.geocoder.LocalGazetteer`` adds the
geopy ``Geocoder`` interface on top of :class:`Gazetteer`.

Ranking (see :func:`score`): user entries, then a match on the place's own (primary)
name over a match on an alternate name (with two exceptions for names GeoNames shares
between a region or hamlet and a big city, see :func:`_demote_shadowed`), then kind (country > city > site > water >
region > other), then -- only with ``near`` -- closeness, then population; equal scores
are ordered by id, so equal inputs always give identical lists.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
from pathlib import Path
from typing import Iterable, Sequence

from movemap.errors import GazetteerError

from .normalize import name_key
from .place import KINDS, Place
from .imported import ImportStore
from .user import UserStore

GAZETTEER_NAME = "movemap-geonames"

#: kind weights; steps (0.1) are larger than the population term (< 0.1)
KIND_WEIGHT = {"country": 0.7, "city": 0.6, "site": 0.5, "water": 0.4, "region": 0.3, "other": 0.2}
USER_WEIGHT = 4.0  # larger than everything below it together
PRIMARY_WEIGHT = 2.0  # larger than kind + near + population together (max 1.4)
NEAR_WEIGHT = 0.6  # with near=: closeness outranks kind but never a primary-name match
NEAR_SCALE_KM = 300.0
_CHUNK = 900  # keys per IN (...) query; below SQLite's historic 999-parameter limit

_PLACE_COLS = "p.rowid, p.id, p.geonameid, p.name, p.lat, p.lon, p.kind, p.country_code, p.admin1_code, p.admin1, p.population, p.feature_code, p.source"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def score(place: Place, is_primary: bool, near: tuple[float, float] | None = None) -> float:
    s = KIND_WEIGHT.get(place.kind, 0.0)
    if place.source == "user":
        s += USER_WEIGHT
    if is_primary:
        s += PRIMARY_WEIGHT
    if near is not None:
        s += NEAR_WEIGHT * math.exp(-haversine_km(near[0], near[1], place.lat, place.lon) / NEAR_SCALE_KM)
    s += 0.1 * min(1.0, math.log10(max(place.population, 0) + 1) / 10.0)
    return round(s, 6)


def parse_latlon(value) -> tuple[float, float]:
    """Accept (lat, lon), "lat,lon", or anything with .latitude/.longitude."""
    if hasattr(value, "latitude") and hasattr(value, "longitude"):
        lat, lon = value.latitude, value.longitude
    elif isinstance(value, str):
        parts = value.replace(";", ",").split(",")
        if len(parts) != 2:
            raise GazetteerError(f"expected a position as 'LAT,LON', got {value!r}")
        lat, lon = parts
    else:
        try:
            lat, lon = value[0], value[1]
        except (TypeError, IndexError, KeyError):
            raise GazetteerError(f"expected a (lat, lon) position, got {value!r}") from None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise GazetteerError(f"expected numeric latitude and longitude, got {value!r}") from None
    if not (-90 <= lat <= 90) or not (-180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
        raise GazetteerError(f"position out of range (lat in [-90, 90], lon in [-180, 180]): {value!r}")
    return lat, lon


def _norm_cc(country_codes) -> frozenset[str] | None:
    if country_codes is None:
        return None
    if isinstance(country_codes, str):
        country_codes = [country_codes]
    out = set()
    for cc in country_codes:
        if not isinstance(cc, str) or len(cc.strip()) != 2 or not cc.strip().isalpha():
            raise GazetteerError(f"country codes must be two-letter ISO codes such as 'RU', got {cc!r}")
        out.add(cc.strip().upper())
    return frozenset(out) or None


def _demote_shadowed(hits: list[tuple[Place, int]], cross_country: bool = True) -> list[tuple[Place, int]]:
    """Treat two kinds of primary-name matches as alternate-name matches.

    GeoNames names many admin1 regions after their main city ("Kiev", "Rostov",
    "New York", "Donetsk") and has hamlets whose own name is the spelling news use for a
    big city ("Zaporizhzhia", pop. 656, vs "Zaporizhzhya", pop. 710,052).  So, within one
    country:

    * a region whose name is also the name of a city of the same country holding at
      least 10 % of the region's population is taken as named after that city;
    * a city or region matched by its own name is outranked when an alternate-name match
      of a city or region is at least 100 times larger (and has >= 100,000 people).

    And across countries, a city matched by its own name is outranked when another
    own-name match is at least 100 times larger (>= 100,000 people): "Texas" is the US
    state, not the hamlet of Texas, Mexico (pop. 993).  This last rule is skipped when the
    caller gives ``near=`` (then closeness decides between, say, the two Moscows).

    Neither rule touches the documented cases (Kursk, Vladivostok, Blagoveshchensk...).
    """
    city_max: dict[str | None, int] = {}
    alt_max: dict[str | None, int] = {}
    for p, prim in hits:
        if p.source == "user":
            continue
        if p.kind == "city":
            city_max[p.country_code] = max(city_max.get(p.country_code, 0), p.population)
        if not prim and p.kind in ("city", "region"):
            alt_max[p.country_code] = max(alt_max.get(p.country_code, 0), p.population)
    prim_max = max((p.population for p, prim in hits if prim and p.source != "user"), default=0)
    if not cross_country:
        prim_max = 0
    if not city_max and not alt_max and prim_max < 100_000:
        return hits
    out = []
    for p, prim in hits:
        if prim and p.source != "user":
            cm = city_max.get(p.country_code, 0)
            am = alt_max.get(p.country_code, 0)
            if p.kind == "region" and cm > 0 and cm >= 0.1 * p.population:
                prim = 0
            elif p.kind in ("city", "region") and am >= max(100 * p.population, 100_000):
                prim = 0
            elif p.kind == "city" and prim_max >= max(100 * p.population, 100_000):
                prim = 0
        out.append((p, prim))
    return out


class Gazetteer:
    """Offline GeoNames gazetteer (SQLite) plus the user's own entries.

    Opens lazily: the database is located (and built on first use) when the first
    lookup runs.  Thread-safe for reads.
    """

    name = GAZETTEER_NAME

    def __init__(self, path: str | os.PathLike | None = None, user_path: str | os.PathLike | None = None,
                 *, quiet: bool = True, import_path: str | os.PathLike | None = None):
        self._path_arg = path
        self._quiet = quiet
        self.user = UserStore(user_path)
        # imported gazetteers (``movemap gazetteer import``) live beside the user entries
        self.imported = ImportStore(import_path if import_path is not None else
                                    (Path(user_path).expanduser().with_name("imported.sqlite")
                                     if user_path is not None else None))
        self._con: sqlite3.Connection | None = None
        self._path: Path | None = None
        self._meta: dict[str, str] = {}
        self._lock = threading.RLock()
        self._cache: dict[int, Place] = {}
        self._key_cache: dict[str, list[tuple[Place, int]]] = {}
        self._ranked: dict[str, list[tuple[Place, float]]] = {}  # built-in rows ranked without filters

    # ------------------------------------------------------------------ opening
    def _db(self) -> sqlite3.Connection:
        con = self._con
        if con is not None:
            return con
        with self._lock:
            if self._con is None:
                from .build import ensure_database

                path = ensure_database(self._path_arg, quiet=self._quiet)
                try:
                    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                    meta = dict(con.execute("SELECT key, value FROM meta"))
                    con.execute("SELECT 1 FROM names LIMIT 1").fetchall()
                except sqlite3.Error as exc:
                    raise GazetteerError(
                        f"the gazetteer database {path} is broken ({exc}); delete it and it will be rebuilt"
                    ) from exc
                self._path, self._meta, self._con = path, meta, con
        return self._con

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
            self._key_cache.clear()
            self._ranked.clear()
            self.imported.close()

    @property
    def path(self) -> Path:
        self._db()
        return self._path

    @property
    def version(self) -> str:
        self._db()
        return self._meta.get("version", "")

    # ------------------------------------------------------------------ rows
    def _place(self, row) -> Place:
        p = self._cache.get(row[0])
        if p is None:
            p = Place(id=row[1], geonameid=row[2], name=row[3], lat=row[4], lon=row[5], kind=row[6],
                      country_code=row[7], admin1_code=row[8], admin1=row[9], population=row[10] or 0,
                      feature_code=row[11], source=row[12])
            if len(self._cache) < 500_000:
                self._cache[row[0]] = p
        return p

    def _query(self, sql: str, params: Sequence = ()) -> list:
        con = self._db()
        with self._lock:
            try:
                return con.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise GazetteerError(f"gazetteer query failed on {self._path}: {exc}") from exc

    # ------------------------------------------------------------------ lookups
    def _rank(self, hits: Iterable[tuple[Place, int]], ccs, near, kinds=None) -> list[tuple[Place, float]]:
        hits = _demote_shadowed(list(hits), cross_country=near is None)
        best: dict[str, tuple[Place, float]] = {}
        for place, is_primary in hits:
            if ccs is not None and place.country_code not in ccs:
                continue
            if kinds is not None and place.kind not in kinds:
                continue
            s = score(place, bool(is_primary), near)
            old = best.get(place.id)
            if old is None or s > old[1]:
                best[place.id] = (place, s)
        return sorted(best.values(), key=lambda ps: (-ps[1], ps[0].id))

    def lookup_keys_scored(self, keys: Iterable[str], country_codes=None, near=None,
                           kinds=None) -> dict[str, list[tuple[Place, float]]]:
        """Like :meth:`lookup_keys` but each place comes with its ranking score."""
        ccs = _norm_cc(country_codes)
        near = parse_latlon(near) if near is not None else None
        kinds = frozenset(kinds) if kinds is not None else None
        uniq = sorted({k for k in keys if k})
        # The built-in database never changes under an open connection: its rows per key, and
        # their plain ranking, are memoised (bounded); user and imported entries are read fresh
        # every time, and a key that has any is ranked afresh.
        cache = self._key_cache
        todo = [k for k in uniq if k not in cache]
        for i in range(0, len(todo), _CHUNK):
            chunk = todo[i:i + _CHUNK]
            rows = self._query(
                f"SELECT n.key, n.is_primary, {_PLACE_COLS} FROM names n JOIN places p ON p.rowid = n.place "
                f"WHERE n.key IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found: dict[str, list[tuple[Place, int]]] = {k: [] for k in chunk}
            for row in rows:
                found[row[0]].append((self._place(row[2:]), row[1]))
            if len(cache) > 300_000:
                cache.clear()
                self._ranked.clear()
            cache.update(found)
        extra: dict[str, list[tuple[Place, int]]] = {}
        for k, hits in self.imported.lookup(uniq).items():
            extra.setdefault(k, []).extend(hits)
        for k, user_hits in self.user.lookup_many(uniq).items():
            extra.setdefault(k, []).extend(user_hits)
        plain = ccs is None and near is None and kinds is None
        out = {}
        for k in uniq:
            base = cache.get(k)
            if k in extra:
                ranked = self._rank((base or []) + extra[k], ccs, near, kinds)
            elif not base:
                continue
            elif plain:
                ranked = self._ranked.get(k)
                if ranked is None:
                    ranked = self._ranked[k] = self._rank(base, None, None)
            else:
                ranked = self._rank(base, ccs, near, kinds)
            if ranked:
                out[k] = list(ranked)
        return out

    def lookup_keys(self, keys: Iterable[str], country_codes=None, near=None, kinds=None) -> dict[str, list[Place]]:
        """Batch lookup of already-normalised keys (see :func:`gazetteer.name_key`).

        Returns ``{key: [Place, ...]}`` ranked like :meth:`candidates`, for the keys that
        matched at least one place; keys without a match are absent.
        """
        return {k: [p for p, _ in v] for k, v in self.lookup_keys_scored(keys, country_codes, near, kinds).items()}

    def scored_candidates(self, name: str, country_codes=None, limit: int | None = None, near=None,
                          kinds=None) -> list[tuple[Place, float]]:
        if not isinstance(name, str):
            raise GazetteerError(f"place name must be a string, got {type(name).__name__}")
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise GazetteerError(f"limit must be a positive integer, got {limit!r}")
        key = name_key(name)
        if not key:
            return []
        res = self.lookup_keys_scored([key], country_codes, near, kinds).get(key, [])
        return res[:limit] if limit is not None else res

    def candidates(self, name: str, country_codes=None, limit: int | None = None, near=None,
                   kinds=None) -> list[Place]:
        """Places called *name*, best first (see the module docstring for the ranking)."""
        return [p for p, _ in self.scored_candidates(name, country_codes, limit, near, kinds)]

    def get(self, place_id: str) -> Place | None:
        if isinstance(place_id, str) and place_id.startswith("user:"):
            return self.user.get(place_id)
        rows = self._query(f"SELECT {_PLACE_COLS} FROM places p WHERE p.id = ?", (place_id,))
        return self._place(rows[0]) if rows else self.imported.get(place_id)

    def raw(self, place: Place | str) -> dict:
        """The source record of a place (the GeoNames JSON record for cities)."""
        place = self.get(place) if isinstance(place, str) else place
        if place is None:
            return {}
        if place.source == "user":
            return {"name": place.name, "latitude": place.lat, "longitude": place.lon,
                    "countrycode": place.country_code}
        rows = self._query("SELECT raw FROM places WHERE id = ?", (place.id,))
        if rows and rows[0][0]:
            return json.loads(rows[0][0])
        return {"geonameid": place.geonameid, "name": place.name, "latitude": place.lat, "longitude": place.lon,
                "countrycode": place.country_code, "feature_code": place.feature_code,
                "population": place.population}

    def admin1_place(self, admin1_code: str) -> Place | None:
        """The region for an admin1 code such as ``"RU.59"``."""
        rows = self._query(f"SELECT {_PLACE_COLS} FROM places p WHERE p.admin1_code = ? AND p.kind = 'region' "
                           "ORDER BY p.feature_code = 'ADM1' DESC, p.id",
                           (admin1_code,))
        return self._place(rows[0]) if rows else None

    def country_place(self, cc: str) -> Place | None:
        if not isinstance(cc, str):
            return None
        rows = self._query(
            f"SELECT {_PLACE_COLS} FROM places p WHERE p.country_code = ? AND p.kind = 'country' ORDER BY p.id",
            (cc.strip().upper(),))
        return self._place(rows[0]) if rows else None

    # ------------------------------------------------------------------ reverse
    def nearest(self, lat: float, lon: float, limit: int = 1,
                kinds: Iterable[str] | None = ("city", "site", "water", "other")) -> list[tuple[Place, float]]:
        """The *limit* places nearest to (lat, lon) as (place, distance_km), nearest first."""
        lat, lon = parse_latlon((lat, lon))
        if not isinstance(limit, int) or limit < 1:
            raise GazetteerError(f"limit must be a positive integer, got {limit!r}")
        kinds = tuple(kinds) if kinds is not None else KINDS
        kind_sql = ",".join("?" * len(kinds))
        d = 0.25
        found: list[tuple[Place, float]] = []
        while True:
            lat0, lat1 = max(-90.0, lat - d), min(90.0, lat + d)
            coslat = min(math.cos(math.radians(lat0)), math.cos(math.radians(lat1)))
            dlon = 181.0 if coslat <= 1e-6 else d / coslat
            if dlon >= 180:
                lon_sql, lon_params = "", []
            else:
                lo, hi = lon - dlon, lon + dlon
                if lo < -180:
                    lon_sql, lon_params = " AND (p.lon >= ? OR p.lon <= ?)", [lo + 360, hi]
                elif hi > 180:
                    lon_sql, lon_params = " AND (p.lon >= ? OR p.lon <= ?)", [lo, hi - 360]
                else:
                    lon_sql, lon_params = " AND p.lon BETWEEN ? AND ?", [lo, hi]
            rows = self._query(
                f"SELECT {_PLACE_COLS} FROM places p WHERE p.lat BETWEEN ? AND ?{lon_sql} AND p.kind IN ({kind_sql})",
                [lat0, lat1, *lon_params, *kinds],
            )
            found = [(self._place(r), haversine_km(lat, lon, r[4], r[5])) for r in rows]
            found += [(p, haversine_km(lat, lon, p.lat, p.lon)) for p in self.user.all() if p.kind in kinds]
            found.sort(key=lambda pd: (pd[1], pd[0].id))
            radius_km = d * 111.19  # everything within this distance is inside the box
            if (len(found) >= limit and found[limit - 1][1] <= radius_km) or d >= 180:
                break
            d *= 4
        return found[:limit]

    # ------------------------------------------------------------------ user entries
    def add_user_place(self, name: str, lat: float, lon: float, country: str | None = None,
                       kind: str = "site", alternates: Iterable[str] = ()) -> Place:
        """Add (or replace) a user entry ``user:<slug>``; it takes part in every lookup."""
        return self.user.add(name, lat, lon, country=country, kind=kind, alternates=alternates)

    def remove_user_place(self, place_id: str) -> bool:
        return self.user.remove(place_id)

    def user_places(self) -> list[Place]:
        return self.user.all()

    # ------------------------------------------------------------------ info
    def info(self) -> dict:
        self._db()
        counts = dict(self._query("SELECT kind, COUNT(*) FROM places GROUP BY kind ORDER BY kind"))
        return {
            "name": self.name,
            "version": self.version,
            "path": str(self._path),
            "places": sum(counts.values()),
            "names": int(self._meta.get("names", 0)),
            "counts": counts,
            "user_path": str(self.user.path),
            "user_entries": len(self.user.all()),
            "imported_path": str(self.imported.path),
            "imported_entries": self.imported.count(),
            "credits": self._meta.get("credits", ""),
        }
