"""Military air bases (data/airbases.csv from airportsdata, see gazetteer/make_airbases.py)."""

from __future__ import annotations

import csv
import math

import pytest

from gazetteer.build import DATA_DIR, build_database
from gazetteer.make_airbases import classify, names_of, split_town
from gazetteer.normalize import name_key


def km(a, lat, lon):
    p1, p2 = math.radians(a.latitude), math.radians(lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon - a.longitude) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def rows():
    with open(DATA_DIR / "airbases.csv", newline="", encoding="utf-8") as f:
        return {r["icao"]: r for r in csv.DictReader(line for line in f if not line.startswith("#"))}


def _airport(name, country="US", city=""):
    return {"name": name, "country": country, "city": city}


@pytest.mark.parametrize("raw,country,kind,stem", [
    ("Dyess Afb Airport", "US", "afb", "Dyess"),
    ("Moron Air Base", "ES", "ab", "Moron"),
    ("Lask Military Air Base", "PL", "ab", "Lask"),
    ("RAF Fairford", "GB", "raf", "Fairford"),
    ("Pensacola Nas (Forrest Sherman Field) Airport", "US", "nas", "Pensacola"),
    ("Scott Afb/Midamerica St Louis Airport", "US", "afb", "Scott"),
    ("Mc Connell Afb Airport", "US", "afb", "McConnell"),
    ("Cazaux (BA 120) Air Base", "FR", "ab", "Cazaux"),
    ("Iwakuni Marine Corps Air Station", "JP", "mcas", "Iwakuni"),
    ("Hunter Army Air Field", "US", "aaf", "Hunter"),
    ("Mc Guire Field (Joint Base Mc Guire Dix Lakehurst) Airport", "US", "jb", "McGuire Dix Lakehurst"),
])
def test_military_airfields_are_kept_and_named(raw, country, kind, stem):
    got = classify(_airport(raw, country))
    assert got is not None and got[:2] == (kind, stem)


@pytest.mark.parametrize("raw,country", [
    ("Djibouti-Ambouli Airport", "DJ"),  # civil (Camp Lemonnier is no airfield of its own)
    ("Tara Airbase Airport", "US"),  # a private strip calling itself an air base
    ("Brandes Air Field", "US"),
    ("Macdill Afb Aux Field", "US"),  # auxiliary field
    ("Yoakum-Defrenn Army Heliport", "US"),
    ("Zombie Air Force Airport", "US"),
    ("Derby Airfield", "GB"),
])
def test_civil_fields_heliports_and_aux_fields_are_left_out(raw, country):
    assert classify(_airport(raw, country)) is None


def test_full_names_and_variants():
    full, alts = names_of("afb", "Dyess", [])
    assert full == "Dyess Air Force Base" and {"Dyess AFB", "Dyess air base", "Dyess airbase"} <= set(alts)
    full, alts = names_of("ab", "Ramstein", [])
    assert full == "Ramstein Air Base" and {"Ramstein AB", "Ramstein airbase"} <= set(alts)
    full, alts = names_of("nas", "Pensacola", [])
    assert full == "Naval Air Station Pensacola" and {"NAS Pensacola", "Pensacola Naval Air Station"} <= set(alts)
    full, alts = names_of("ab", "Abu Dhabi-Al Dhafra", [], split_town("Abu Dhabi-Al Dhafra", lambda h: h == "Abu Dhabi"))
    assert "Al Dhafra Air Base" in alts
    assert split_town("Saint-Dizier-Robinson", lambda h: False) is None


def test_generated_rows_for_known_bases(rows):
    assert len(rows) > 450
    d = rows["KDYS"]
    assert (d["name"], d["bare_name"], d["country_code"], d["admin1_code"]) == ("Dyess Air Force Base", "Dyess", "US", "US.TX")
    assert "Dyess AFB" in d["alternates"].split("|")
    assert abs(float(d["lat"]) - 32.42) < 0.05 and abs(float(d["lon"]) + 99.86) < 0.05
    assert rows["ETAR"]["name"] == "Ramstein Air Base" and "Ramstein AB" in rows["ETAR"]["alternates"].split("|")
    assert rows["EGVA"]["name"] == "RAF Fairford"
    assert rows["LTAG"]["bare_name"] == "Incirlik"
    assert rows["OTBH"]["bare_name"] == "Al Udeid"
    assert rows["LEMO"]["name"] == "Moron Air Base"
    # Dyess Army Airfield on Kwajalein does not share the bare name "Dyess"
    assert rows["PKRO"]["bare_name"] == ""


@pytest.mark.parametrize("icao", ["KLUF", "KSSC", "KHIF", "KVAD", "KSUU", "KBLV", "KDOV", "KCBM", "OEDR", "FLND", "KGRK"])
def test_no_bare_name_that_is_a_word_a_person_or_a_town_elsewhere(rows, icao):
    # Luke, Shaw, Hill, Moody, Travis, Scott (given names, surnames, words); Dover, Columbus (towns
    # elsewhere); King Abdulaziz, Peter Zuze, Robert Gray (people)
    assert rows[icao]["bare_name"] == ""


def test_no_bare_name_is_a_common_word_or_given_name(rows):
    common = {w.strip() for w in open(DATA_DIR / "common_words.txt", encoding="utf-8") if not w.startswith("#")}
    given = {w.strip() for w in open(DATA_DIR / "first_names.txt", encoding="utf-8") if not w.startswith("#")}
    bare = {name_key(r["bare_name"]) for r in rows.values() if r["bare_name"]}
    assert len(bare) > 200
    assert not bare & (common | given)


def test_the_file_is_sorted_and_unique(rows):
    keys = list(rows)
    assert keys == sorted(keys)
    assert len({name_key(r["name"]) for r in rows.values()}) == len(rows)


@pytest.mark.parametrize("query,icao,lat,lon", [
    ("Dyess", "KDYS", 32.42, -99.86),
    ("Dyess AFB", "KDYS", 32.42, -99.86),
    ("Ramstein Air Base", "ETAR", 49.44, 7.60),
    ("Morón Air Base", "LEMO", 37.17, -5.62),
    ("Al Udeid airbase", "OTBH", 25.12, 51.32),
    ("Łask air base", "EPLK", 51.55, 19.18),
    ("RAF Fairford", "EGVA", 51.68, -1.79),
    ("Incirlik", "LTAG", 37.00, 35.43),
    ("NAS Pensacola", "KNPA", 30.35, -87.32),
])
def test_bases_geocode_to_sites(gaz, query, icao, lat, lon):
    loc = gaz.geocode(query)
    assert loc is not None and km(loc, lat, lon) < 5
    assert loc.raw["icao"] == icao
    p = gaz.candidates(query)[0]
    assert (p.kind, p.feature_code, p.source, p.id) == ("site", "AIRB", "airportsdata", f"icao:{icao}")


def test_the_town_keeps_its_name_over_its_base(gaz):
    # "Ramstein" and "Aviano" are the towns (a few km from the bases), not the sites
    assert gaz.candidates("Ramstein")[0].kind == "city"
    assert gaz.candidates("Aviano")[0].kind == "city"


def test_common_words_and_people_are_not_bases(gaz):
    for word in ("Luke", "Hill", "Scott", "Shaw", "Moody", "Travis"):
        assert not any(p.feature_code == "AIRB" for p in gaz.candidates(word)), word
    assert not any(p.feature_code == "AIRB" for p in gaz.candidates("Camp Lemonnier"))


def test_a_build_without_airbases_has_none_and_one_with_them_counts_them(tmp_path, tiny_sources):
    stats = build_database(tmp_path / "a.sqlite", **tiny_sources)
    assert stats["airbases"] == 0
    src = tmp_path / "airbases.csv"
    src.write_text("icao,name,alternates,bare_name,lat,lon,country_code,admin1_code,importance,source_name\n"
                   "KDYS,Dyess Air Force Base,Dyess AFB,Dyess,32.41848,-99.85654,US,US.TX,1000,Dyess Afb Airport\n",
                   encoding="utf-8")
    stats = build_database(tmp_path / "b.sqlite", airbases_source=src, **tiny_sources)
    assert stats["airbases"] == 1
    from gazetteer import LocalGazetteer

    g = LocalGazetteer(tmp_path / "b.sqlite", user_path=tmp_path / "u.sqlite")
    try:
        (p,) = g.candidates("Dyess")
        assert (p.id, p.population, p.kind) == ("icao:KDYS", 1000, "site")
        assert g.candidates("Dyess AFB")[0].id == "icao:KDYS"
    finally:
        g.close()
