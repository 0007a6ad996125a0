"""``movemap geoparse``: the JSON Lines contract and the hard cases of news geoparsing.

Every text here is written for the test (never taken from an evaluation corpus).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.geoparse import geoparse_lines, geoparse_record
from geo.toponyms import recognise

ROOT = Path(__file__).resolve().parents[2]


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def parse(text, gz, **kw):
    return geoparse_record({"doc_id": "t", "text": text}, gz, **kw)["toponyms"]


def by_name(text, gz, **kw):
    return {t["name"]: t for t in parse(text, gz, **kw)}


def near(t, lat, lon, within=161):
    return t["lat"] is not None and km(t["lat"], t["lon"], lat, lon) <= within


# --------------------------------------------------------------------------- the contract
def test_lines_in_order_with_error_lines(fake_gazetteer):
    lines = [
        json.dumps({"doc_id": "a", "text": "Ships reached Portgrad."}),
        "{not json",
        "",
        json.dumps({"doc_id": "c", "text": 5}),
        json.dumps(["a list"]),
        json.dumps({"doc_id": "d", "text": "Nothing here."}),
    ]
    out = [json.loads(x) for x in geoparse_lines(lines, fake_gazetteer)]
    assert [o["doc_id"] for o in out] == ["a", None, "c", None, "d"]
    assert [t["name"] for t in out[0]["toponyms"]] == ["Portgrad"]
    assert "error" in out[1] and "line 2" in out[1]["error"] and out[1]["toponyms"] == []
    assert "error" in out[2] and "'text'" in out[2]["error"]
    assert "error" in out[3]
    assert out[4] == {"doc_id": "d", "toponyms": []}


def test_output_fields_and_character_offsets(fake_gazetteer):
    text = "Über Nacht — «Schiffe» erreichten Portgrad 🚢 und Kursk."
    out = parse(text, fake_gazetteer)
    assert [text[t["start"]:t["end"]] for t in out] == ["Portgrad", "Kursk"]
    for t in out:
        assert set(t) == {"start", "end", "name", "lat", "lon", "geonameid", "country_code", "kind", "score"}
        assert t["name"] == text[t["start"]:t["end"]] and 0 <= t["score"] <= 1


def test_given_spans_are_resolved_exactly(fake_gazetteer):
    text = "From Portgrad to Nowhereville and Kursk."
    spans = [{"start": 5, "end": 13}, {"start": 17, "end": 29}, {"start": 34, "end": 39}]
    out = geoparse_record({"doc_id": "g", "text": text, "toponyms": spans}, fake_gazetteer, given_spans=True)
    got = [(t["start"], t["end"]) for t in out["toponyms"]]
    assert got == [(5, 13), (17, 29), (34, 39)]
    names = {t["name"]: t for t in out["toponyms"]}
    assert names["Portgrad"]["lat"] == pytest.approx(43.1)
    assert names["Kursk"]["lat"] is not None
    # unknown to the gazetteer: placed at the nearest local toponym, with no geonameid or kind
    assert names["Nowhereville"]["geonameid"] is None and names["Nowhereville"]["kind"] is None


def test_given_spans_without_any_place_stay_null(fake_gazetteer):
    out = geoparse_record({"doc_id": "g", "text": "Nowhereville", "toponyms": [{"start": 0, "end": 12}]},
                          fake_gazetteer, given_spans=True)
    assert out["toponyms"][0]["lat"] is None and out["toponyms"][0]["lon"] is None


@pytest.mark.parametrize("bad", [[{"start": 5, "end": 2}], [{"start": 0, "end": 999}], [{"start": "0", "end": 3}],
                                 "nope", [{"begin": 0}]])
def test_bad_given_spans_are_an_error_line(fake_gazetteer, bad):
    line = json.dumps({"doc_id": "x", "text": "Portgrad", "toponyms": bad})
    (out,) = [json.loads(x) for x in geoparse_lines([line], fake_gazetteer, given_spans=True)]
    assert out["doc_id"] == "x" and "error" in out and out["toponyms"] == []


def test_cli_streams_stdin_and_reports_errors(real_gazetteer):
    lines = [json.dumps({"doc_id": "1", "text": "Troops left Vladivostok for Kursk."}), "oops",
             json.dumps({"doc_id": "2", "text": "No places."})]
    res = subprocess.run([sys.executable, "-m", "movemap.cli", "geoparse", "-"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, cwd=ROOT, env=dict(os.environ))
    assert res.returncode == 1, res.stderr
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert [o["doc_id"] for o in out] == ["1", None, "2"]
    assert [t["name"] for t in out[0]["toponyms"]] == ["Vladivostok", "Kursk"]
    assert "error" in out[1] and "could not be geoparsed" in res.stderr


def test_cli_file_and_given_spans(real_gazetteer, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"doc_id": "s", "text": "Paris, Texas is small.",
                               "toponyms": [{"start": 0, "end": 5}, {"start": 7, "end": 12}]}) + "\n")
    res = subprocess.run([sys.executable, "-m", "movemap.cli", "geoparse", str(src), "--given-spans"],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    (row,) = [json.loads(x) for x in res.stdout.splitlines()]
    paris, texas = row["toponyms"]
    assert paris["country_code"] == "US" and near(paris, 33.66, -95.55)
    assert texas["kind"] == "region"


# --------------------------------------------------------------------------- resolution by context
def test_odessa_by_context(real_gazetteer):
    ua = by_name("Drones struck a fuel depot near Odessa, officials in Kyiv said.", real_gazetteer)["Odessa"]
    assert ua["country_code"] == "UA" and near(ua, 46.48, 30.73)
    tx = by_name("The oil boom brought new jobs to Midland and Odessa, Texas.", real_gazetteer)["Odessa"]
    assert tx["country_code"] == "US"
    # out of context, news mean the Ukrainian city
    alone = by_name("He moved to Odessa last year.", real_gazetteer)["Odessa"]
    assert alone["country_code"] == "UA"


def test_spelling_variants(real_gazetteer):
    got = by_name("Shelling hit Kharkov and Dnipro while ships waited in Odesa and Kiev slept.", real_gazetteer)
    assert near(got["Kharkov"], 49.99, 36.23) and near(got["Dnipro"], 48.45, 34.98)
    assert near(got["Odesa"], 46.48, 30.73) and near(got["Kiev"], 50.45, 30.52)


def test_qualifiers(real_gazetteer):
    s = by_name("The governor spoke in Springfield, Illinois, before flying home.", real_gazetteer)["Springfield"]
    assert near(s, 39.80, -89.64)
    p = by_name("A man from Paris, Tenn. was arrested on Friday.", real_gazetteer)
    assert near(p["Paris"], 36.30, -88.33) and p["Tenn."]["kind"] == "region"
    ky = by_name("The crash happened near London, Ky., on Monday.", real_gazetteer)["London"]
    assert near(ky, 37.13, -84.08)


def test_st_petersburg_follows_the_story(real_gazetteer):
    ru = by_name("Flights from St. Petersburg to Moscow were cancelled, the Russian airline said.", real_gazetteer)
    assert ru["St. Petersburg"]["country_code"] == "RU"
    fl = by_name("Tampa and St. Petersburg braced for the hurricane as Florida declared an emergency.",
                 real_gazetteer)
    assert fl["St. Petersburg"]["country_code"] == "US"


def test_countries_win_over_hamlets(real_gazetteer):
    got = by_name("Farmers in Ohio and Indiana watched prices as Russia and Georgia talked.", real_gazetteer)
    assert got["Russia"]["kind"] == "country"
    us = by_name("Atlanta, Macon and Savannah: Georgia voters went to the polls.", real_gazetteer)["Georgia"]
    assert us["country_code"] == "US" and us["kind"] == "region"


def test_water_bodies_and_regions(real_gazetteer):
    text = ("Ships sailed from the Black Sea through the Bosphorus into the Mediterranean, past the Gulf of "
            "Aden to the Red Sea. Troops crossed Siberia to the Far East and Yakutia, far from the Middle East.")
    got = by_name(text, real_gazetteer)
    for name in ("Black Sea", "Bosphorus", "Gulf of Aden", "Red Sea"):
        assert got[name]["kind"] == "water", name
    for name in ("Siberia", "Far East", "Yakutia", "Middle East"):
        assert got[name]["kind"] == "region", name
    assert near(got["Bosphorus"], 41.1, 29.05, 50)


def test_abbreviations_and_counties(real_gazetteer):
    got = by_name("Officials from the U.S., UK and DPRK met. The US and the EU disagreed.", real_gazetteer)
    assert got["U.S."]["country_code"] == "US" and got["UK"]["country_code"] == "GB"
    assert got["DPRK"]["country_code"] == "KP"
    c = by_name("Laurel County deputies said a bridge in Kentucky was closed.", real_gazetteer)["Laurel County"]
    assert c["country_code"] == "US" and near(c, 37.11, -84.12, 60)


# --------------------------------------------------------------------------- recognition
def test_demonyms_are_toponyms_in_geoparse_only(real_gazetteer):
    text = "North Korean troops joined Russian units, a Sri Lankan diplomat said."
    got = by_name(text, real_gazetteer)
    assert got["North Korean"]["country_code"] == "KP" and got["Russian"]["country_code"] == "RU"
    assert got["Sri Lankan"]["country_code"] == "LK"
    assert by_name(text, real_gazetteer, demonyms=False) == {}
    assert recognise(text, real_gazetteer) == []  # the map pipeline never maps demonyms


def test_people_and_organisations_are_not_places(real_gazetteer):
    text = ("Paris Hilton met Jordan Smith in Denver. Sen. Jane Harman said Harman would stay. "
            "The Kyiv Independent and the Korean Central News Agency reported it on Monday.")
    names = set(by_name(text, real_gazetteer))
    assert "Denver" in names
    assert not names & {"Paris", "Jordan", "Harman", "Kyiv", "Korean", "Monday"}


def test_streets_and_named_features(real_gazetteer):
    got = by_name("The fire broke out on Darby Street near Highway 19 in Dublin, Ohio.", real_gazetteer)
    assert {"Darby Street", "Highway 19", "Dublin", "Ohio"} <= set(got)
    assert near(got["Dublin"], 40.10, -83.11)


def test_places_opening_a_name_count_in_geoparse(real_gazetteer):
    got = by_name("The Texas Forest Service said Georgia Bureau of Investigation agents helped.", real_gazetteer)
    assert {"Texas", "Georgia"} <= set(got)
    assert [s.surface for s in recognise("The Texas Forest Service said so.", real_gazetteer)] == []
