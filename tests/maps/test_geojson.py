"""route.geojson: the CONTRACT.md schema, antimeridian split, round trip, determinism."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from geo.model import Leg, Route
from maps.geojson import dumps_geojson, read_geojson, route_to_geojson, split_antimeridian, write_geojson
from movemap.errors import InputError, OutputError

PLACE_KEYS = [
    "feature_type", "id", "name", "geonameid", "country_code", "admin1", "kind", "role", "geo_precision",
    "first_date", "last_date", "sources", "mention_count", "surface_forms", "evidence",
]
LEG_KEYS = [
    "feature_type", "id", "sequence", "from_place", "to_place", "from_name", "to_name", "start", "end",
    "time_precision", "mode", "actor", "count", "count_values", "date_values", "status", "sources", "source_count",
    "confidence", "evidence",
]


def _features(fc, kind):
    return [f for f in fc["features"] if f["properties"]["feature_type"] == kind]


def test_feature_collection_shape(route, tmp_path):
    p = write_geojson(route, tmp_path / "route.geojson")
    fc = json.loads(p.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    assert "crs" not in fc
    assert list(fc) == ["type", "movemap", "features"]
    assert len(_features(fc, "place")) == len(route.places)
    assert len(_features(fc, "leg")) == len(route.legs)
    for f in fc["features"]:
        assert list(f) == ["type", "geometry", "properties"]
        assert f["type"] == "Feature"


def test_place_properties(route):
    fc = route_to_geojson(route)
    places = _features(fc, "place")
    assert [f["properties"]["id"] for f in places] == [rp.place.id for rp in route.places]  # route order
    for f in places:
        props = f["properties"]
        assert list(props) == PLACE_KEYS
        assert f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert props["geonameid"] is None or type(props["geonameid"]) is int
        assert props["kind"] in ("city", "region", "country", "site", "water", "other")
        assert props["role"] in ("route", "mention")
        assert props["geo_precision"] in (1, 2, 3)
        for k in ("first_date", "last_date"):
            assert props[k] is None or date.fromisoformat(props[k])
        assert all(isinstance(s, str) for s in props["sources"])
        assert type(props["mention_count"]) is int
        assert all(isinstance(s, str) for s in props["surface_forms"])
        for e in props["evidence"]:
            assert list(e) == ["document", "sentence", "start", "end"]
            assert type(e["start"]) is int and type(e["end"]) is int
    vlad = places[0]
    assert vlad["geometry"]["coordinates"] == [131.87353, 43.10562]
    assert vlad["properties"]["id"] == "gn:2013348" and vlad["properties"]["geonameid"] == 2013348
    assert vlad["properties"]["admin1"] == "Primorye"
    assert vlad["properties"]["first_date"] == "2024-10-13"
    khab = places[2]["properties"]
    assert khab["name"] == "Хабаровск" and khab["first_date"] is None and khab["geo_precision"] == 2
    roles = {f["properties"]["id"]: f["properties"]["role"] for f in places}
    assert roles["gn:2044757"] == "mention" and roles["gn:5879400"] == "route"
    user = places[-1]["properties"]
    assert user["id"] == "user:depot-7" and user["geonameid"] is None and user["country_code"] is None


def test_leg_properties(route):
    legs = _features(route_to_geojson(route), "leg")
    assert [f["properties"]["sequence"] for f in legs] == [1, 2, 3, 4]  # sorted though given 3,1,2,4
    by_id = {f["properties"]["id"]: f for f in legs}
    for f in legs:
        props = f["properties"]
        assert list(props) == LEG_KEYS
        assert props["status"] in ("reported", "expected", "inferred")
        assert props["mode"] in ("ship", "rail", "road", "air", "foot", "unknown")
        assert props["time_precision"] in (1, 2, 3)
        assert props["count"] is None or type(props["count"]) is int
        assert props["source_count"] == len(props["sources"])
        assert isinstance(props["confidence"], float) and 0 <= props["confidence"] <= 1
    l1 = by_id["leg-1"]
    assert l1["geometry"] == {"type": "LineString", "coordinates": [[131.87353, 43.10562], [131.94578, 43.80129]]}
    p = l1["properties"]
    assert (p["from_place"], p["to_place"], p["from_name"], p["to_name"]) == ("gn:2013348", "gn:2014006", "Vladivostok", "Ussuriysk")
    assert (p["start"], p["end"], p["mode"], p["count"], p["count_values"]) == ("2024-10-13", "2024-10-14", "rail", 1200, [1200, 1500])
    assert p["date_values"] == ["2024-10-13/2024-10-14", "2024-10-15"]
    assert p["source_count"] == 2 and p["confidence"] == 0.9
    assert p["evidence"][0]["start"] == 120 and "<img" in p["evidence"][0]["sentence"]  # stored raw; escaping is the HTML's job
    l4 = by_id["leg-4"]["properties"]
    assert l4["start"] is None and l4["end"] is None and l4["status"] == "inferred" and l4["sources"] == []


def test_antimeridian_leg_is_split(route):
    leg = {f["properties"]["id"]: f for f in _features(route_to_geojson(route), "leg")}["leg-2"]
    g = leg["geometry"]
    assert g["type"] == "MultiLineString"
    (a0, a1), (b0, b1) = g["coordinates"]
    assert a0 == [131.87353, 43.10562]  # first coordinate = origin
    assert b1 == [-149.90028, 61.21806]  # last coordinate = destination
    assert a1[0] == 180.0 and b0[0] == -180.0
    assert a1[1] == b0[1]
    # crossing latitude interpolated linearly along longitude (131.87353 -> 210.09972)
    t = (180 - 131.87353) / (360 - 149.90028 - 131.87353)
    assert a1[1] == pytest.approx(43.10562 + t * (61.21806 - 43.10562), abs=1e-5)
    assert 43.10562 < a1[1] < 61.21806


def test_split_antimeridian_westwards_and_plain():
    parts = split_antimeridian((-170.0, 10.0), (170.0, 20.0))
    assert parts == [[(-170.0, 10.0), (-180.0, 15.0)], [(180.0, 15.0), (170.0, 20.0)]]
    assert split_antimeridian((10.0, 0.0), (20.0, 5.0)) == [[(10.0, 0.0), (20.0, 5.0)]]
    # exactly 180 apart is not a crossing; an end on the antimeridian gives no empty part
    assert len(split_antimeridian((-90.0, 0.0), (90.0, 0.0))) == 1
    assert split_antimeridian((180.0, 5.0), (-170.0, 5.0)) == [[(-180.0, 5.0), (-170.0, 5.0)]]


def test_coordinates_rounded_to_5_decimals(route):
    p = replace(route.places[0].place, lat=43.123456789, lon=-0.0000001)
    r = Route(places=(replace(route.places[0], place=p),))
    coords = route_to_geojson(r)["features"][0]["geometry"]["coordinates"]
    assert coords == [0.0, 43.12346]
    assert "-0.0" not in dumps_geojson(r)


def test_metadata_member(route):
    meta = route_to_geojson(route)["movemap"]
    assert list(meta) == ["documents", "gazetteer", "title"]
    assert meta["gazetteer"] == {"name": "movemap-geonames", "version": "2024-10-01+test"}
    assert meta["documents"][0] == {
        "id": "a/000_vlad.txt", "title": "Troops on the move <img src=x onerror=alert(1)>", "outlet": "Example Times",
        "published": "2024-10-16", "url": "https://example.org/a?x=1&y=2",
    }
    assert meta["documents"][1]["url"] is None
    assert meta["title"].startswith("Far East movements")


def test_bytes_utf8_no_ascii_escapes_trailing_newline(route, tmp_path):
    raw = write_geojson(route, tmp_path / "r.geojson").read_bytes()
    assert raw.endswith(b"]}\n") and not raw.endswith(b"\n\n")
    text = raw.decode("utf-8")
    assert "Хабаровск" in text and "Ch'ŏngjin" in text and "\\u" not in text
    assert raw == dumps_geojson(route).encode("utf-8")


def test_round_trip_identical_bytes(route, tmp_path):
    first = write_geojson(route, tmp_path / "a.geojson")
    back = read_geojson(first)
    second = write_geojson(back, tmp_path / "b.geojson")
    assert first.read_bytes() == second.read_bytes()
    assert [rp.place.id for rp in back.places] == [rp.place.id for rp in route.places]
    assert back.places[2].place.name == "Хабаровск"
    assert back.places[0].evidence == route.places[0].evidence
    assert sorted(leg.id for leg in back.legs) == ["leg-1", "leg-2", "leg-3", "leg-4"]
    leg2 = next(leg for leg in back.legs if leg.id == "leg-2")
    assert leg2.destination.name == "Anchorage" and leg2.destination.lon == pytest.approx(-149.90028)
    leg1 = next(leg for leg in back.legs if leg.id == "leg-1")
    assert leg1.date_values == next(leg for leg in route.legs if leg.id == "leg-1").date_values != ()
    assert back.documents == route.documents
    assert (back.title, back.gazetteer_name, back.gazetteer_version) == (route.title, "movemap-geonames", "2024-10-01+test")


def test_empty_route(empty_route, tmp_path):
    p = write_geojson(empty_route, tmp_path / "e.geojson")
    fc = json.loads(p.read_text())
    assert fc["features"] == [] and fc["movemap"]["documents"] == []
    assert dumps_geojson(read_geojson(p)) == p.read_text()


def test_identical_across_hash_seeds(subprocess_runner, tmp_path):
    outputs = []
    for seed in ("0", "1", "12345"):
        out = tmp_path / f"route-{seed}.geojson"
        res = subprocess_runner(f"from maps.geojson import write_geojson\nwrite_geojson(sample_route(), {str(out)!r})\n", seed)
        assert res.returncode == 0, res.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) > 1000


def test_bad_coordinates_raise_output_error(route, tmp_path):
    bad = replace(route.places[0], place=replace(route.places[0].place, lat=float("nan")))
    with pytest.raises(OutputError, match="gn:2013348"):
        write_geojson(Route(places=(bad,)), tmp_path / "bad.geojson")
    assert not (tmp_path / "bad.geojson").exists()


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "not valid JSON"),
        (b"{\"type\": \"FeatureCollection\", \"features\": [", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2]", "not a GeoJSON object"),
        (b'{"type": "Feature"}', "FeatureCollection"),
        (b'{"type": "FeatureCollection"}', "'features'"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}', "feature_type"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]},'
         b' "properties": {"feature_type": "place", "id": "gn:1", "name": "X", "role": "route", "mention_count": "many"}}]}',
         "mention_count"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]},'
         b' "properties": {"feature_type": "place", "id": "gn:1", "name": "X", "role": "route", "first_date": "13 Oct"}}]}',
         "ISO date"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [NaN, 2]},'
         b' "properties": {"feature_type": "place", "id": "gn:1", "name": "X", "role": "route"}}]}',
         "not valid JSON"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]},'
         b' "properties": {"feature_type": "leg", "id": "l", "sequence": 1, "from_place": "a", "to_place": "b", "status": "reported"}}]}',
         "LineString"),
    ],
)
def test_malformed_file_raises_input_error(tmp_path, content, problem):
    p = tmp_path / "broken.geojson"
    p.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_geojson(p)
    msg = str(info.value)
    assert str(p) in msg and problem in msg


def test_missing_file_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_geojson(tmp_path / "nope.geojson")


def test_leg_to_place_without_feature_is_rebuilt(route, tmp_path):
    only_leg = Route(legs=(next(leg for leg in route.legs if leg.id == "leg-2"),))
    p = write_geojson(only_leg, tmp_path / "l.geojson")
    back = read_geojson(p)
    assert back.legs[0].origin.id == "gn:2013348" and back.legs[0].destination.name == "Anchorage"
    assert back.legs[0].destination.lon == pytest.approx(-149.90028)
    assert dumps_geojson(back) == p.read_text()


def test_date_values_round_trip(tmp_path):
    from datetime import date

    from geo.model import Route
    from maps.geojson import date_interval, parse_date_interval

    for a, b, text in [(date(2024, 10, 8), date(2024, 10, 13), "2024-10-08/2024-10-13"),
                       (date(2024, 10, 8), date(2024, 10, 8), "2024-10-08"),
                       (None, date(2024, 10, 13), "../2024-10-13"), (date(2024, 10, 8), None, "2024-10-08/..")]:
        assert date_interval(a, b) == text and parse_date_interval(text) == (a, b)
    with pytest.raises(ValueError):
        parse_date_interval("../..")
