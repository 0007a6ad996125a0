"""User gazetteer entries: a small separate SQLite file that survives DB rebuilds.

Location: ``$MOVEMAP_HOME/user_gazetteer.sqlite`` if ``MOVEMAP_HOME`` is set, else
``platformdirs.user_data_dir("movemap")/user_gazetteer.sqlite``.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from pathlib import Path
from typing import Iterable

from movemap.errors import GazetteerError

from .normalize import name_key
from .place import KINDS, Place

USER_DB_FILENAME = "user_gazetteer.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS user_places (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    kind TEXT NOT NULL,
    country_code TEXT,
    alternates TEXT NOT NULL DEFAULT '[]'
);
"""


def default_user_path() -> Path:
    env = os.environ.get("MOVEMAP_HOME")
    if env:
        return Path(env).expanduser() / USER_DB_FILENAME
    import platformdirs

    return Path(platformdirs.user_data_dir("movemap")) / USER_DB_FILENAME


def slugify(name: str) -> str:
    return name_key(name).replace("&", "and").replace(" ", "-")


def _coord(value, what: str, lo: float, hi: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise GazetteerError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(v) or not lo <= v <= hi:
        raise GazetteerError(f"{what} must be between {lo:g} and {hi:g}, got {value!r}")
    return v


def validate_entry(name, lat, lon, country, kind, alternates) -> tuple:
    if not isinstance(name, str) or not name_key(name):
        raise GazetteerError(f"place name must be a non-empty name with letters or digits, got {name!r}")
    lat = _coord(lat, "latitude", -90.0, 90.0)
    lon = _coord(lon, "longitude", -180.0, 180.0)
    if kind not in KINDS:
        raise GazetteerError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if country is not None:
        if not isinstance(country, str) or len(country.strip()) != 2 or not country.strip().isalpha():
            raise GazetteerError(f"country must be a two-letter ISO code such as 'RU', got {country!r}")
        country = country.strip().upper()
    if isinstance(alternates, str):
        alternates = [alternates]
    alts = []
    for a in alternates or ():
        if not isinstance(a, str):
            raise GazetteerError(f"alternate names must be strings, got {a!r}")
        if name_key(a):
            alts.append(a.strip())
    return name.strip(), lat, lon, country, kind, alts


class UserStore:
    """The user's own places, loaded whole into memory (they are few)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path).expanduser() if path is not None else default_user_path()
        self._loaded = False
        self.places: dict[str, Place] = {}
        self.by_key: dict[str, list[tuple[Place, int]]] = {}

    # -- reading
    def _load(self) -> None:
        if self._loaded:
            return
        self.places, self.by_key = {}, {}
        if self.path.is_file():
            try:
                con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
                try:
                    rows = con.execute(
                        "SELECT id, name, lat, lon, kind, country_code, alternates FROM user_places ORDER BY id"
                    ).fetchall()
                finally:
                    con.close()
            except sqlite3.Error as exc:
                raise GazetteerError(f"user gazetteer {self.path} is unreadable: {exc}") from exc
            for pid, nm, lat, lon, kind, cc, alts in rows:
                self._index(Place(id=pid, name=nm, lat=lat, lon=lon, kind=kind, country_code=cc,
                                  source="user", feature_code=None), json.loads(alts or "[]"))
        self._loaded = True

    def _index(self, place: Place, alternates: Iterable[str]) -> None:
        self.places[place.id] = place
        seen = set()
        for is_primary, nm in [(1, place.name)] + [(0, a) for a in alternates]:
            k = name_key(nm)
            if k and k not in seen:
                seen.add(k)
                self.by_key.setdefault(k, []).append((place, is_primary))

    def lookup(self, key: str) -> list[tuple[Place, int]]:
        self._load()
        return self.by_key.get(key, [])

    def lookup_many(self, keys: Iterable[str]) -> dict[str, list[tuple[Place, int]]]:
        """``lookup`` of each of ``keys`` that has places (most have none: a dict test each)."""
        self._load()
        by_key = self.by_key
        return {k: by_key[k] for k in keys if k in by_key} if by_key else {}

    def all(self) -> list[Place]:
        self._load()
        return [self.places[k] for k in sorted(self.places)]

    def get(self, place_id: str) -> Place | None:
        self._load()
        return self.places.get(place_id)

    # -- writing
    def _connect_rw(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=30)
            con.executescript(_SCHEMA)
            return con
        except (OSError, sqlite3.Error) as exc:
            raise GazetteerError(f"cannot open the user gazetteer {self.path}: {exc}") from exc

    def add(self, name, lat, lon, country=None, kind="site", alternates=()) -> Place:
        name, lat, lon, country, kind, alts = validate_entry(name, lat, lon, country, kind, alternates)
        place = Place(id=f"user:{slugify(name)}", name=name, lat=lat, lon=lon, kind=kind,
                      country_code=country, source="user", feature_code=None)
        con = self._connect_rw()
        try:
            with con:
                con.execute(
                    "INSERT OR REPLACE INTO user_places VALUES (?,?,?,?,?,?,?)",
                    (place.id, name, lat, lon, kind, country, json.dumps(alts, ensure_ascii=False)),
                )
        except sqlite3.Error as exc:
            raise GazetteerError(f"cannot write the user gazetteer {self.path}: {exc}") from exc
        finally:
            con.close()
        self._loaded = False  # re-read on next use (another entry may have been replaced)
        return place

    def remove(self, place_id: str) -> bool:
        if not self.path.is_file():
            return False
        con = self._connect_rw()
        try:
            with con:
                n = con.execute("DELETE FROM user_places WHERE id = ?", (place_id,)).rowcount
        finally:
            con.close()
        self._loaded = False
        return n > 0
