import hashlib
import json
import sqlite3
import threading

import pytest

from gazetteer import build as gbuild
from gazetteer.build import build_database, ensure_database, region_name_variants
from movemap.errors import GazetteerError


def _q(db, sql, *params):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _keys_for(db, place_id):
    return {k for (k,) in _q(db, "SELECT n.key FROM names n JOIN places p ON p.rowid = n.place WHERE p.id = ?",
                             place_id)}


def test_tiny_build_schema_and_meta(tiny_db):
    tables = {r[0] for r in _q(tiny_db, "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    assert {"places", "names", "meta", "places_latlon"} <= tables
    # the names primary key is the index on key: lookups by key must use it
    plan = " ".join(str(r) for r in _q(tiny_db, "EXPLAIN QUERY PLAN SELECT place FROM names WHERE key = 'kursk'"))
    assert "USING PRIMARY KEY" in plan or "USING INDEX" in plan
    meta = dict(_q(tiny_db, "SELECT key, value FROM meta"))
    assert meta["version"].startswith("geonames-cities500+admin1@")
    assert len(meta["version"].split("@")[1]) == 12
    assert int(meta["cities"]) == 10
    kinds = dict(_q(tiny_db, "SELECT kind, COUNT(*) FROM places GROUP BY kind"))
    assert kinds == {"city": 10, "region": 9, "country": 3}


def test_city_rows(tiny_db):
    (row,) = _q(tiny_db, "SELECT id, geonameid, name, kind, country_code, admin1_code, admin1, population, "
                         "feature_code, source, raw FROM places WHERE id = 'gn:2013348'")
    assert row[:10] == ("gn:2013348", 2013348, "Vladivostok", "city", "RU", "RU.59", "Primorye", 604901, "PPL",
                        "geonames")
    assert json.loads(row[10])["timezone"] == "UTC"
    keys = _keys_for(tiny_db, "gn:2013348")
    assert {"vladivostok", "wladiwostok"} <= keys
    assert "haicanwai" not in keys  # CJK names are not indexed
    prim = _q(tiny_db, "SELECT key, is_primary FROM names n JOIN places p ON p.rowid = n.place "
                       "WHERE p.id = 'gn:2013348' ORDER BY key")
    assert ("vladivostok", 1) in prim and ("wladiwostok", 0) in prim


def test_region_rows(tiny_db):
    (row,) = _q(tiny_db, "SELECT kind, feature_code, population, admin1_code, lat, lon FROM places "
                         "WHERE id = 'gn:538555'")
    assert row[:4] == ("region", "ADM1", 448733, "RU.41")
    assert row[4] == pytest.approx(51.73733, abs=1e-3) and row[5] == pytest.approx(36.18735, abs=1e-3)
    assert {"kursk oblast", "kursk", "kursk region", "kursk province"} <= _keys_for(tiny_db, "gn:538555")
    # Chukotka straddles the antimeridian: the centroid must not land near longitude 0
    ((lat, lon),) = _q(tiny_db, "SELECT lat, lon FROM places WHERE id = 'gn:2126099'")
    assert abs(lon) > 170 and 64 < lat < 67
    # regions without cities500 places are skipped (no location)
    assert not _q(tiny_db, "SELECT 1 FROM places WHERE admin1_code = 'XX.01'")


def test_country_rows(tiny_db):
    rows = {r[0]: r[1:] for r in _q(tiny_db, "SELECT country_code, id, lat, lon, population, feature_code FROM "
                                             "places WHERE kind = 'country'")}
    # France comes from the Natural Earth polygon (ISO_A2 -99 is mapped through ADM0_A3)
    assert rows["FR"][0] == "gn:3017382" and -4 < rows["FR"][2] < 8 and 43 < rows["FR"][1] < 51
    # Russia is not in the tiny Natural Earth file: capital-city coordinates
    assert rows["RU"][1:3] == pytest.approx((55.75222, 37.61556), abs=1e-4)
    assert rows["RU"][3] == 144478050 and rows["RU"][4] == "PCLI"
    assert {"us", "usa", "united states"} <= _keys_for(tiny_db, "gn:6252001")
    assert "french republic" in _keys_for(tiny_db, "gn:3017382")


def test_build_is_deterministic(tmp_path, tiny_sources):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    build_database(a, **tiny_sources)
    build_database(b, **tiny_sources)
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()


def test_version_follows_content(tmp_path, tiny_sources):
    a = tmp_path / "a.sqlite"
    build_database(a, **tiny_sources)
    v1 = dict(_q(a, "SELECT key, value FROM meta"))["version"]
    p = tiny_sources["admin1_source"]
    p.write_text(p.read_text() + "RU.99\tNowhere\tNowhere\t1\n")
    build_database(a, **tiny_sources)
    v2 = dict(_q(a, "SELECT key, value FROM meta"))["version"]
    assert v1 != v2


def test_failed_build_keeps_old_database(tmp_path, tiny_sources):
    dest = tmp_path / "db.sqlite"
    build_database(dest, **tiny_sources)
    before = dest.read_bytes()
    tiny_sources["cities_source"].write_text("{not json", encoding="utf-8")
    with pytest.raises(GazetteerError):
        build_database(dest, **tiny_sources)
    assert dest.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["db.sqlite"]  # no temp file left


def test_missing_source_is_a_gazetteer_error(tmp_path, tiny_sources):
    tiny_sources["admin1_source"] = tmp_path / "nope.txt"
    with pytest.raises(GazetteerError, match="admin1"):
        build_database(tmp_path / "x.sqlite", **tiny_sources)


def test_concurrent_ensure_builds_once(tmp_path, tiny_sources, monkeypatch):
    calls = []
    real = gbuild.build_database

    def counting(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(gbuild, "build_database", counting)
    dest = tmp_path / "shared" / "db.sqlite"
    errors = []

    def worker():
        try:
            assert ensure_database(dest, **tiny_sources) == dest
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(calls) == 1
    assert _q(dest, "SELECT COUNT(*) FROM places")[0][0] == 22


def test_default_db_path_uses_cache_env(tmp_path, monkeypatch):
    monkeypatch.setenv("MOVEMAP_CACHE_DIR", str(tmp_path / "c"))
    assert gbuild.default_db_path() == tmp_path / "c" / gbuild.DB_FILENAME


def test_default_sources_found_via_package():
    src = gbuild.default_sources()
    assert src["cities"].name == "cities500.json" and src["cities"].is_file()
    assert src["admin1"].is_file() and src["ne_countries"].is_file() and src["aliases"].is_file()
    assert (gbuild.DATA_DIR / "CREDITS.md").read_text().count("CC BY 4.0")


@pytest.mark.parametrize(
    "name, cc, expected",
    [
        ("Kursk Oblast", "RU", ["Kursk", "Kursk region", "Kursk province"]),
        ("Krasnodar Krai", "RU", ["Krasnodar", "Krasnodar kray"]),
        ("Bashkortostan Republic", "RU", ["Bashkortostan", "Republic of Bashkortostan"]),
        ("Khanty-Mansiyskiy Avtonomnyy Okrug", "RU", ["Khanty-Mansiyskiy"]),
        ("Łódź Voivodeship", "PL", ["Łódź"]),
        ("Idlib Governorate", "SY", ["Idlib"]),
        ("Republic of Adygeya", "RU", ["Adygeya"]),
        ("Texas", "US", ["Texas state"]),
    ],
)
def test_region_name_variants(name, cc, expected):
    got = region_name_variants(name, cc)
    for e in expected:
        assert e in got


def test_real_database(real_db_path):
    meta = gbuild.read_meta(real_db_path)
    assert meta["version"].startswith("geonames-cities500+admin1@")
    assert int(meta["cities"]) > 200_000 and int(meta["regions"]) > 3000 and int(meta["countries"]) > 200
    # the stamp side file lets the next process skip the rebuild
    if real_db_path == gbuild.default_db_path():
        assert ensure_database() == real_db_path


def test_default_ensure_rebuilds_only_on_content_change(tmp_path, tiny_sources, monkeypatch):
    srcs = {"cities": tiny_sources["cities_source"], "countries": tiny_sources["countries_source"],
            "admin1": tiny_sources["admin1_source"], "ne_countries": tiny_sources["ne_countries_source"],
            "aliases": tiny_sources["aliases_source"]}
    monkeypatch.setattr(gbuild, "default_sources", lambda: dict(srcs))
    monkeypatch.setenv("MOVEMAP_CACHE_DIR", str(tmp_path / "cache"))
    calls = []
    real = gbuild.build_database
    monkeypatch.setattr(gbuild, "build_database", lambda *a, **k: calls.append(1) or real(*a, **k))
    db = ensure_database()
    assert db == tmp_path / "cache" / gbuild.DB_FILENAME and len(calls) == 1
    assert ensure_database() == db and len(calls) == 1  # stamp matches: no rebuild
    import os

    st = srcs["admin1"].stat()
    os.utime(srcs["admin1"], ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # touched, same content
    ensure_database()
    assert len(calls) == 1
    srcs["admin1"].write_text(srcs["admin1"].read_text() + "RU.98\tElsewhere\tElsewhere\t2\n")
    ensure_database()  # content changed: rebuilt
    assert len(calls) == 2
