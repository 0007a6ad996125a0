"""Shared fixtures for the gazetteer tests.

* every test gets a private, empty ``MOVEMAP_HOME`` (user entries never leak between tests
  or into the developer's real user gazetteer);
* ``gaz`` is a session-wide ``LocalGazetteer`` on the real default database (built once
  into the cache folder if it is not there yet, ~30 s);
* ``tiny_sources`` writes a handful of GeoNames-shaped records for quick builds.
"""

from __future__ import annotations

import json

import pytest


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    home = tmp_path / "movemap-home"
    monkeypatch.setenv("MOVEMAP_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def real_db_path():
    from gazetteer.build import ensure_database

    return ensure_database(quiet=True)


@pytest.fixture(scope="session")
def gaz(real_db_path, tmp_path_factory):
    from gazetteer import LocalGazetteer

    g = LocalGazetteer(real_db_path, user_path=tmp_path_factory.mktemp("gaz-user") / "user.sqlite")
    yield g
    g.close()


def _city(gid, name, lat, lon, cc, a1, pop, alts=()):
    return {"geonameid": gid, "name": name, "latitude": lat, "longitude": lon, "countrycode": cc,
            "population": pop, "timezone": "UTC", "admin1code": a1, "alternatenames": list(alts)}


TINY_CITIES = [
    _city(2013348, "Vladivostok", 43.10562, 131.87353, "RU", "59", 604901, ["Владивосток", "Wladiwostok", "海参崴"]),
    _city(2026609, "Blagoveshchensk", 50.27593, 127.52637, "RU", "05", 225091, ["Благовещенск"]),
    _city(576116, "Blagoveshchensk", 55.0352, 55.97703, "RU", "08", 34238, []),
    _city(538560, "Kursk", 51.73733, 36.18735, "RU", "41", 448733, ["Курск"]),
    _city(524901, "Moscow", 55.75222, 37.61556, "RU", "48", 10381222, ["Moskva", "Москва"]),
    _city(5128581, "New York City", 40.71427, -74.00597, "US", "NY", 8804190, ["New York", "NYC"]),
    _city(2971316, "Us", 49.1, 1.96667, "FR", "11", 1248, []),
    _city(4164138, "Miami", 25.77427, -80.19366, "US", "FL", 442241, []),
    _city(2122311, "Anadyr", 64.73424, 177.5103, "RU", "15", 13045, []),
    _city(4031574, "Chukotka Edge", 66.0, -179.9, "RU", "15", 10, []),
]

TINY_ADMIN1 = """RU.59\tPrimorye\tPrimorye\t2017623
RU.05\tAmur Oblast\tAmur Oblast\t2027748
RU.08\tBashkortostan Republic\tBashkortostan Republic\t578853
RU.41\tKursk Oblast\tKursk Oblast\t538555
RU.48\tMoscow\tMoscow\t524894
RU.15\tChukotka\tChukotka\t2126099
US.NY\tNew York\tNew York\t5128638
US.FL\tFlorida\tFlorida\t4155751
FR.11\tÎle-de-France\tIle-de-France\t3012874
"""

TINY_COUNTRIES = {
    "RU": {"geonameid": 2017370, "name": "Russia", "iso": "RU", "iso3": "RUS", "capital": "Moscow",
           "population": 144478050},
    "US": {"geonameid": 6252001, "name": "United States", "iso": "US", "iso3": "USA", "capital": "Washington",
           "population": 327167434},
    "FR": {"geonameid": 3017382, "name": "France", "iso": "FR", "iso3": "FRA", "capital": "Paris",
           "population": 66987244},
}

TINY_NE = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature",
         "properties": {"NAME": "France", "NAME_LONG": "France", "ADMIN": "France", "FORMAL_EN": "French Republic",
                        "ISO_A2": "-99", "ADM0_A3": "FRA", "ISO_A3": "-99", "POP_EST": 1},
         "geometry": {"type": "Polygon", "coordinates": [[[-4, 43], [8, 43], [8, 51], [-4, 51], [-4, 43]]]}},
    ],
}

TINY_ALIASES = "country_code,alias\nUS,U.S.\nUS,USA\nRU,Russian Federation\n"


@pytest.fixture
def tiny_sources(tmp_path):
    d = tmp_path / "src"
    d.mkdir()
    cities = {str(c["geonameid"]): c for c in TINY_CITIES}
    (d / "cities.json").write_text(json.dumps(cities, ensure_ascii=False), encoding="utf-8")
    (d / "admin1.txt").write_text(TINY_ADMIN1, encoding="utf-8")
    (d / "countries.json").write_text(json.dumps(TINY_COUNTRIES), encoding="utf-8")
    (d / "ne.geojson").write_text(json.dumps(TINY_NE), encoding="utf-8")
    (d / "aliases.csv").write_text(TINY_ALIASES, encoding="utf-8")
    return {
        "cities_source": d / "cities.json",
        "admin1_source": d / "admin1.txt",
        "countries_source": d / "countries.json",
        "ne_countries_source": d / "ne.geojson",
        "aliases_source": d / "aliases.csv",
    }


@pytest.fixture
def tiny_db(tmp_path, tiny_sources):
    from gazetteer.build import build_database

    dest = tmp_path / "db" / "tiny.sqlite"
    build_database(dest, **tiny_sources)
    return dest
