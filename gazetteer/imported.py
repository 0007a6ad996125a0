"""Imported gazetteers: GeoNames dump files and simple CSV lists, indexed for every lookup.

``movemap gazetteer import FILE...`` streams each file (any size: ``allCountries.txt``,
a country file such as ``US.txt``, ``cities1000.txt``, also inside ``.zip`` or ``.gz``) into
``imported.sqlite`` beside the user gazetteer (``$MOVEMAP_HOME``).  Its places join every
lookup of :class:`gazetteer.store.Gazetteer`:

* GeoNames rows keep their ids (``gn:<geonameid>``), so a place that the built-in database
  also holds is one place, not two; they rank like built-in places;
* CSV rows (``name,lat,lon[,country,kind]``, header optional) are your own places
  (``source = "user"``, ids ``imp:<slug>@<lat>,<lon>``) and rank like ``gazetteer add`` entries.

The file survives rebuilds of the built-in database.  Re-importing a file replaces its rows.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sqlite3
import threading
import zipfile
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from movemap.errors import GazetteerError

from .normalize import is_indexable_name, name_key
from .place import KINDS, Place
from .user import default_user_path, validate_entry

IMPORT_DB_FILENAME = "imported.sqlite"
BATCH = 20_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    geonameid INTEGER,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    kind TEXT NOT NULL,
    country_code TEXT,
    admin1_code TEXT,
    admin1 TEXT,
    population INTEGER NOT NULL DEFAULT 0,
    feature_code TEXT,
    source TEXT NOT NULL,
    origin TEXT
);
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL,
    place INTEGER NOT NULL,
    is_primary INTEGER NOT NULL,
    PRIMARY KEY (key, place)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_place ON names(place);
"""

_COUNTRY_CODES = {"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"}


def default_import_path() -> Path:
    return default_user_path().with_name(IMPORT_DB_FILENAME)


def geonames_kind(fclass: str, fcode: str) -> str:
    """movemap kind of a GeoNames feature class and code."""
    if fclass == "P":
        return "city"
    if fclass == "A":
        return "country" if fcode in _COUNTRY_CODES else "region"
    if fclass in ("H", "U"):
        return "water"
    if fclass == "L":
        return "region" if fcode in ("RGN", "RGNE", "AREA", "CONT", "ZN") else "site"
    if fclass in ("S", "R"):
        return "site"
    return "other"


def _open_text(path: Path) -> Iterator[tuple[str, TextIO]]:
    """(member name, text stream) of a plain, .gz or .zip file (every .txt/.csv member)."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.is_dir() or info.filename.lower().startswith(("readme", "__macosx")):
                    continue
                with zf.open(info) as raw:
                    yield info.filename, io.TextIOWrapper(raw, encoding="utf-8", newline="")
        return
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
            yield path.stem, f
        return
    with open(path, encoding="utf-8", newline="") as f:
        yield path.name, f


def _sniff(first: str) -> str:
    parts = first.rstrip("\r\n").split("\t")
    if len(parts) >= 15 and parts[0].isdigit():
        return "geonames"
    return "csv"


def _geonames_rows(f: TextIO, origin: str, admin1_names: dict[str, str]) -> Iterator[tuple[tuple, list]]:
    for no, line in enumerate(f, 1):
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) < 15 or not parts[0].isdigit():
            continue
        try:
            lat, lon = float(parts[4]), float(parts[5])
        except ValueError:
            continue
        gid = int(parts[0])
        fclass, fcode, cc, a1 = parts[6], parts[7], parts[8] or None, parts[10] or None
        code = f"{cc}.{a1}" if cc and a1 and a1 != "00" else None
        try:
            pop = int(parts[14] or 0)
        except ValueError:
            pop = 0
        place = (f"gn:{gid}", gid, parts[1], lat, lon, geonames_kind(fclass, fcode), cc, code,
                 admin1_names.get(code), pop, fcode or None, "geonames", origin)
        alts = [a for a in parts[3].split(",") if a] if parts[3] else []
        yield place, [parts[1], parts[2]], alts


def _csv_rows(f: TextIO, origin: str) -> Iterator[tuple[tuple, list]]:
    reader = csv.reader(f)
    header = None
    for no, row in enumerate(reader, 1):
        if not row or not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in row]
        if header is None and no == 1 or (header is None and cells[0].lower() == "name"):
            low = [c.lower() for c in cells]
            if "name" in low and ("lat" in low or "latitude" in low):
                header = {c: i for i, c in enumerate(low)}
                continue
        if header:
            def get(*names):
                for n in names:
                    if n in header and header[n] < len(cells) and cells[header[n]]:
                        return cells[header[n]]
                return None
            name, lat, lon = get("name"), get("lat", "latitude"), get("lon", "lng", "longitude")
            cc, kind = get("country", "country_code", "cc"), get("kind") or "site"
        else:
            if len(cells) < 3:
                raise GazetteerError(f"{origin}:{no}: expected name,lat,lon[,country,kind], got {row!r}")
            name, lat, lon = cells[0], cells[1], cells[2]
            cc = cells[3] if len(cells) > 3 and cells[3] else None
            kind = cells[4] if len(cells) > 4 and cells[4] else "site"
        try:
            name, lat, lon, cc, kind, _ = validate_entry(name, lat, lon, cc, kind, ())
        except GazetteerError as exc:
            raise GazetteerError(f"{origin}:{no}: {exc}") from None
        pid = f"imp:{name_key(name).replace(' ', '-')}@{lat:.4f},{lon:.4f}"
        yield (pid, None, name, lat, lon, kind, cc, None, None, 0, None, "user", origin), [name], []


class ImportStore:
    """The imported places (SQLite, read lazily; absent file = no imports)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path).expanduser() if path is not None else default_import_path()
        self._con: sqlite3.Connection | None = None
        self._checked = False
        self._lock = threading.RLock()

    # -- reading
    def _db(self) -> sqlite3.Connection | None:
        with self._lock:
            if self._con is None and not self._checked:
                self._checked = True
                if self.path.is_file():
                    try:
                        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                        self._con.execute("SELECT 1 FROM names LIMIT 1").fetchall()
                    except sqlite3.Error as exc:
                        raise GazetteerError(f"imported gazetteer {self.path} is unreadable: {exc}") from exc
            return self._con

    def lookup(self, keys: list[str]) -> dict[str, list[tuple[Place, int]]]:
        con = self._db()
        out: dict[str, list[tuple[Place, int]]] = {}
        if con is None or not keys:
            return out
        with self._lock:
            for i in range(0, len(keys), 900):
                chunk = keys[i:i + 900]
                rows = con.execute(
                    "SELECT n.key, n.is_primary, p.id, p.geonameid, p.name, p.lat, p.lon, p.kind, p.country_code, "
                    "p.admin1_code, p.admin1, p.population, p.feature_code, p.source FROM names n "
                    f"JOIN places p ON p.rowid = n.place WHERE n.key IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
                for r in rows:
                    out.setdefault(r[0], []).append((_place(r[2:]), r[1]))
        return out

    def get(self, place_id: str) -> Place | None:
        con = self._db()
        if con is None:
            return None
        with self._lock:
            r = con.execute("SELECT id, geonameid, name, lat, lon, kind, country_code, admin1_code, admin1, "
                            "population, feature_code, source FROM places WHERE id = ?", (place_id,)).fetchone()
        return _place(r) if r else None

    def count(self) -> int:
        con = self._db()
        if con is None:
            return 0
        with self._lock:
            return con.execute("SELECT COUNT(*) FROM places").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con, self._checked = None, False

    # -- writing
    def import_files(self, paths: Iterable[str | os.PathLike], progress=None) -> dict[str, int]:
        """Stream each file into the store; returns {file: places imported}."""
        from .build import DATA_DIR, ADMIN1_FILE

        admin1_names: dict[str, str] = {}
        try:
            with open(DATA_DIR / ADMIN1_FILE, encoding="utf-8") as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) >= 2:
                        admin1_names[parts[0]] = parts[1]
        except OSError:
            pass
        self.close()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=60)
            con.execute("PRAGMA synchronous=OFF")
            con.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise GazetteerError(f"cannot open the imported gazetteer {self.path}: {exc}") from exc
        counts: dict[str, int] = {}
        try:
            for p in paths:
                path = Path(p)
                if not path.is_file():
                    raise GazetteerError(f"no such file: {path}")
                for member, f in _open_text(path):
                    origin = f"{path.name}:{member}" if member != path.name else path.name
                    first = f.readline()
                    if not first:
                        continue
                    kind = _sniff(first)
                    lines = _chain(first, f)
                    rows = (_geonames_rows(lines, origin, admin1_names) if kind == "geonames"
                            else _csv_rows(lines, origin))
                    counts[origin] = self._write(con, origin, rows, progress)
        finally:
            con.close()
        return counts

    def _write(self, con: sqlite3.Connection, origin: str, rows, progress) -> int:
        with con:
            old = [r[0] for r in con.execute("SELECT rowid FROM places WHERE origin = ?", (origin,))]
            for i in range(0, len(old), 900):
                chunk = old[i:i + 900]
                marks = ",".join("?" * len(chunk))
                con.execute(f"DELETE FROM names WHERE place IN ({marks})", chunk)
                con.execute(f"DELETE FROM places WHERE rowid IN ({marks})", chunk)
        n = 0
        batch: list = []
        for item in rows:
            batch.append(item)
            if len(batch) >= BATCH:
                n += self._flush(con, batch)
                batch = []
                if progress:
                    progress(origin, n)
        n += self._flush(con, batch)
        if progress:
            progress(origin, n)
        return n

    @staticmethod
    def _flush(con: sqlite3.Connection, batch: list) -> int:
        if not batch:
            return 0
        with con:
            for place, primary, alts in batch:
                old = con.execute("SELECT rowid FROM places WHERE id = ?", (place[0],)).fetchone()
                if old:
                    con.execute("DELETE FROM names WHERE place = ?", (old[0],))
                    con.execute("DELETE FROM places WHERE rowid = ?", (old[0],))
                cur = con.execute("INSERT INTO places (id, geonameid, name, lat, lon, kind, country_code, admin1_code, "
                                  "admin1, population, feature_code, source, origin) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", place)
                rid = cur.lastrowid
                seen: set[str] = set()
                rows = []
                for is_primary, names in ((1, primary), (0, alts)):
                    for nm in names:
                        if not nm or not is_indexable_name(nm):
                            continue
                        k = name_key(nm)
                        if k and k not in seen and (is_primary or (len(k) >= 2 and any(c.isalpha() for c in k))):
                            seen.add(k)
                            rows.append((k, rid, is_primary))
                con.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", rows)
        return len(batch)


def _chain(first: str, rest: TextIO) -> Iterator[str]:
    yield first
    yield from rest


def _place(r) -> Place:
    kind = r[5] if r[5] in KINDS else "other"
    return Place(id=r[0], geonameid=r[1], name=r[2], lat=r[3], lon=r[4], kind=kind, country_code=r[6],
                 admin1_code=r[7], admin1=r[8], population=r[9] or 0, feature_code=r[10], source=r[11])


__all__ = ["ImportStore", "default_import_path", "geonames_kind"]
