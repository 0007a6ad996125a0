"""What the default build adds beyond cities500/admin1: admin2 units, curated water bodies and
regions, state abbreviations, conventional country centres."""

from __future__ import annotations

import math

import pytest

from gazetteer.build import admin2_name_variants


def km(a, lat, lon):
    p1, p2 = math.radians(a.lat), math.radians(lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon - a.lon) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_admin2_variants():
    assert admin2_name_variants("Laurel County") == ["Laurel", "Laurel Co.", "Laurel Cty"]
    assert admin2_name_variants("Rapides Parish") == ["Rapides"]
    assert admin2_name_variants("Hamburg") == []


def test_admin2_national_type_prefixes_give_the_bare_name_and_the_english_type_word():
    assert admin2_name_variants("Kabupaten Aceh Utara") == ["Aceh Utara", "Aceh Utara regency"]
    assert admin2_name_variants("Powiat zgorzelecki") == ["zgorzelecki", "zgorzelecki county"]
    assert admin2_name_variants("Municipio de Tijuana") == ["Tijuana"]
    assert admin2_name_variants("Kota") == []


def test_us_counties_have_positions(gaz):
    (c,) = [p for p in gaz.candidates("Laurel County") if p.admin1_code == "US.KY"]
    assert c.feature_code == "ADM2" and c.kind == "region" and km(c, 37.11, -84.12) < 60
    assert any(p.feature_code == "ADM2" for p in gaz.candidates("Laurel Co."))
    # admin1_place still returns the first-level region, not one of its counties
    assert gaz.admin1_place("US.KY").feature_code == "ADM1"


@pytest.mark.parametrize("name,kind,lat,lon", [
    ("Black Sea", "water", 43.0, 34.0), ("Gulf of Aden", "water", 12.5, 48.0), ("Bosporus", "water", 41.1, 29.1),
    ("Siberia", "region", 60.0, 100.0), ("Middle East", "region", 29.0, 42.0), ("Yakutia", "region", 66, 129),
    # a directional part of a sea is its own region, well away from the sea's centre
    ("Eastern Mediterranean", "water", 34.0, 31.0), ("Straits of Florida", "water", 24.2, -81.0),
    ("Western Pacific", "water", 15.0, 140.0),
])
def test_curated_water_and_regions(gaz, name, kind, lat, lon):
    top = gaz.candidates(name)[0]
    assert top.kind == kind and km(top, lat, lon) < 300


def test_state_abbreviations(gaz):
    assert gaz.candidates("W.Va.")[0].admin1_code == "US.WV"
    assert gaz.candidates("Tenn.")[0].admin1_code == "US.TN"


def test_country_centres_follow_the_geonames_convention(gaz):
    ru = gaz.country_place("RU")
    assert km(ru, 60.0, 100.0) < 50
    assert km(gaz.country_place("US"), 39.76, -98.5) < 50
