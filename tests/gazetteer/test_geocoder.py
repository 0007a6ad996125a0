import time

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

import gazetteer
from gazetteer import LocalGazetteer, Place, name_key
from movemap.errors import GazetteerError


# ---------------------------------------------------------------- ranking (real database)
def test_vladivostok(gaz):
    assert gaz.candidates("Vladivostok")[0].geonameid == 2013348


def test_kursk_city_beats_region(gaz):
    c = gaz.candidates("Kursk")
    assert c[0].geonameid == 538560 and c[0].kind == "city"
    assert any(p.kind == "region" and p.admin1_code == "RU.41" for p in c)


def test_blagoveshchensk_both(gaz):
    ids = [p.geonameid for p in gaz.candidates("Blagoveshchensk", country_codes=["RU"])]
    assert 2026609 in ids and 576116 in ids
    assert ids[0] == 2026609  # larger population first


def test_region_by_full_name(gaz):
    c = gaz.candidates("Kursk Oblast")
    assert c[0].kind == "region" and c[0].geonameid == 538555 and c[0].feature_code == "ADM1"
    assert gaz.candidates("Kursk region")[0].geonameid == 538555


def test_country_beats_city(gaz):
    c = gaz.candidates("Russia")
    assert c[0].kind == "country" and c[0].country_code == "RU" and c[0].feature_code == "PCLI"
    assert any(p.kind == "city" for p in c)  # Russia, Ohio is still a candidate


@pytest.mark.parametrize("alias, cc", [("U.S.", "US"), ("USA", "US"), ("America", "US"), ("UK", "GB"),
                                       ("Britain", "GB"), ("DPRK", "KP"), ("Republic of Korea", "KR"),
                                       ("Russian Federation", "RU"), ("Czechia", "CZ"), ("Ivory Coast", "CI")])
def test_country_aliases(gaz, alias, cc):
    top = gaz.candidates(alias)[0]
    assert top.kind == "country" and top.country_code == cc


def test_transliterated_and_cyrillic(gaz):
    assert gaz.candidates("Хабаровск")[0].geonameid == gaz.candidates("Khabarovsk")[0].geonameid
    assert gaz.candidates("Ch'ŏngjin")[0].country_code == "KP"


def test_shadowed_names(gaz):
    # regions named after their main city, and states vs hamlets of the same name
    assert gaz.candidates("Kiev")[0].kind == "city"
    assert gaz.candidates("Texas")[0].kind == "region" and gaz.candidates("Texas")[0].country_code == "US"
    assert gaz.candidates("Zaporizhzhia")[0].population > 500_000


def test_country_filter_and_limit(gaz):
    c = gaz.candidates("Moscow", country_codes=["US"])
    assert c and all(p.country_code == "US" for p in c)
    assert len(gaz.candidates("Moscow", limit=2)) == 2
    assert gaz.candidates("Moscow", country_codes="ru")[0].geonameid == 524901


def test_near_reranks(gaz):
    assert gaz.candidates("Moscow")[0].country_code == "RU"
    assert gaz.candidates("Moscow", near=(46.73, -117.0))[0].country_code == "US"  # Moscow, Idaho
    assert gaz.candidates("Blagoveshchensk", near=(54.7, 55.9))[0].geonameid == 576116  # near Ufa


def test_deterministic(gaz):
    a = gaz.candidates("San Jose")
    b = LocalGazetteer(gaz.path, user_path=gaz.user.path).candidates("San Jose")
    assert [p.id for p in a] == [p.id for p in b] and len(a) > 5
    scored = gaz.scored_candidates("San Jose")
    assert scored == sorted(scored, key=lambda ps: (-ps[1], ps[0].id))


def test_unknown_and_empty(gaz):
    assert gaz.candidates("Xyzzyqwv") == []
    assert gaz.candidates("...") == []
    assert gaz.geocode("Xyzzyqwv") is None


def test_bad_input(gaz):
    with pytest.raises(GazetteerError, match="country codes"):
        gaz.candidates("Kursk", country_codes=["Russia"])
    with pytest.raises(GazetteerError, match="limit"):
        gaz.candidates("Kursk", limit=0)
    with pytest.raises(GazetteerError, match="string"):
        gaz.candidates(42)
    with pytest.raises(GazetteerError, match="range"):
        gaz.reverse((95, 0))
    with pytest.raises(GazetteerError):
        gaz.reverse("not a position")


# ---------------------------------------------------------------- batch lookups
def test_lookup_keys(gaz):
    res = gaz.lookup_keys(["vladivostok", "kursk", "xyzzyqwv", name_key("U.S."), ""])
    assert res["vladivostok"][0].geonameid == 2013348
    assert res["kursk"] == gaz.candidates("Kursk")
    assert res["us"][0].country_code == "US"
    assert "xyzzyqwv" not in res and "" not in res


def test_lookup_keys_throughput(gaz):
    import sqlite3

    con = sqlite3.connect(gaz.path)
    keys = [k for (k,) in con.execute("SELECT DISTINCT key FROM names LIMIT 3000 OFFSET 200000")]
    con.close()
    keys += [f"nosuchplace{i}" for i in range(2000)]
    gaz.lookup_keys(keys[:10])
    t = time.perf_counter()
    res = gaz.lookup_keys(keys)
    dt = time.perf_counter() - t
    assert len(res) == 3000
    assert len(keys) / dt > 2000, f"{len(keys) / dt:.0f} keys/s"


# ---------------------------------------------------------------- get / admin1 / country / info
def test_get_and_helpers(gaz):
    p = gaz.get("gn:2013348")
    assert isinstance(p, Place) and p.name == "Vladivostok" and p.admin1 == "Primorye" and p.admin1_code == "RU.59"
    assert gaz.get("gn:0") is None
    r = gaz.admin1_place("RU.59")
    assert r.kind == "region" and r.name == "Primorye" and r.population > p.population
    assert 42 < r.lat < 47 and 130 < r.lon < 139
    ru = gaz.country_place("RU")
    assert ru.geonameid == 2017370 and ru.population > 100_000_000
    assert 50 < ru.lat < 70 and 40 < ru.lon < 140  # inside Russia, not in the Arctic sea
    assert gaz.country_place("ru") == ru
    assert gaz.admin1_place("XX.99") is None and gaz.country_place("XX") is None


def test_info_and_version(gaz):
    info = gaz.info()
    assert info["counts"]["city"] > 200_000 and info["counts"]["region"] > 3000
    assert info["version"] == gaz.version and gaz.version.startswith("geonames-cities500+admin1@")
    assert gaz.name == "movemap-geonames" and info["path"] == str(gaz.path)
    assert "user_entries" in info


def test_lazy_open(tmp_path):
    g = LocalGazetteer(tmp_path / "not-built-yet.sqlite")
    assert g._con is None and not (tmp_path / "not-built-yet.sqlite").exists()


def test_import_is_light():
    import subprocess
    import sys

    code = "import sys, gazetteer; print('geopy' in sys.modules, 'sqlite3' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_default_gazetteer_is_shared():
    a, b = gazetteer.default_gazetteer(), gazetteer.default_gazetteer()
    assert a is b and isinstance(a, LocalGazetteer)


# ---------------------------------------------------------------- geopy / geopandas interop
def test_geopy_location(gaz):
    assert isinstance(gaz, Geocoder)
    loc = gaz.geocode("Vladivostok")
    assert isinstance(loc, Location)
    assert loc.address == "Vladivostok, Primorye, RU"
    assert loc.latitude == pytest.approx(43.10562) and loc.longitude == pytest.approx(131.87353)
    assert loc.raw["geonameid"] == 2013348 and loc.raw["id"] == "gn:2013348"
    assert loc.raw["kind"] == "city" and loc.raw["feature_code"] == "PPL"
    address, (lat, lon) = loc  # geopandas unpacks Locations this way
    assert address == loc.address


def test_geocode_list_and_qualifiers(gaz):
    locs = gaz.geocode("Blagoveshchensk", exactly_one=False, country_codes=["RU"], limit=2)
    assert [l.raw["geonameid"] for l in locs] == [2026609, 576116]
    assert gaz.geocode("Blagoveshchensk, Bashkortostan").raw["geonameid"] == 576116
    assert gaz.geocode("Kursk, Russia").raw["geonameid"] == 538560
    assert gaz.geocode("Moscow, US").raw["country_code"] == "US"
    assert gaz.geocode("Kursk Oblast").address == "Kursk Oblast, RU"


def test_reverse(gaz):
    loc = gaz.reverse((43.11, 131.87))
    assert loc.raw["geonameid"] == 2013348 and loc.raw["distance_km"] < 2
    locs = gaz.reverse("55.7522, 37.6156", exactly_one=False, limit=3)
    assert len(locs) == 3 and locs[0].raw["geonameid"] == 524901
    assert locs[0].raw["distance_km"] <= locs[1].raw["distance_km"] <= locs[2].raw["distance_km"]
    # open ocean and across the antimeridian still answer
    assert gaz.reverse((0.0, -140.0)) is not None
    far = gaz.reverse((65.0, 179.99))
    assert far.raw["country_code"] in ("RU", "US")
    assert gaz.reverse((51.7, 36.0), kinds=("region",)).raw["kind"] == "region"


def test_geopandas_tools_geocode(real_db_path, monkeypatch):
    import geopandas.tools

    from gazetteer import build

    monkeypatch.setattr(build, "default_db_path", lambda: real_db_path)
    df = geopandas.tools.geocode(["Vladivostok", "Kursk", "Xyzzyqwv"], provider=LocalGazetteer)
    assert list(df["address"][:2]) == ["Vladivostok, Primorye, RU", "Kursk, Kursk Oblast, RU"]
    assert df.geometry[0].x == pytest.approx(131.87353) and df.geometry[0].y == pytest.approx(43.10562)
    assert df.geometry[2].is_empty
    rev = geopandas.tools.reverse_geocode(df.geometry[:1], provider=LocalGazetteer)
    assert rev["address"][0] == "Vladivostok, Primorye, RU"
