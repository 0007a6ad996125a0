import json

import pytest
from click.testing import CliRunner

from gazetteer import build
from movemap.cli_gazetteer import gazetteer, geocode


@pytest.fixture(autouse=True)
def _use_real_db(real_db_path, monkeypatch):
    monkeypatch.setattr(build, "default_db_path", lambda: real_db_path)


@pytest.fixture
def run():
    runner = CliRunner()
    return lambda cmd, args: runner.invoke(cmd, args)


def test_geocode_json_vladivostok(run):
    r = run(geocode, ["Vladivostok", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert rows[0]["geonameid"] == 2013348
    assert set(rows[0]) == {"id", "geonameid", "name", "lat", "lon", "kind", "country_code", "admin1",
                            "population", "score"}


def test_geocode_table_kursk(run):
    r = run(geocode, ["Kursk"])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].split()[0] == "id" and lines[1].startswith("gn:538560 ")


def test_geocode_country_limit(run):
    r = run(geocode, ["Blagoveshchensk", "--country", "RU", "--limit", "2", "--json"])
    assert [x["geonameid"] for x in json.loads(r.output)] == [2026609, 576116]
    r = run(geocode, ["Blagoveshchensk", "--country", "RU", "--limit", "2"])
    assert "gn:2026609" in r.output and "gn:576116" in r.output


def test_geocode_near(run):
    r = run(geocode, ["Moscow", "--near", "46.73,-117.0", "--json", "--limit", "1"])
    assert json.loads(r.output)[0]["country_code"] == "US"


def test_geocode_not_found(run):
    r = run(geocode, ["Xyzzyqwv"])
    assert r.exit_code == 1 and "no place called" in r.output


@pytest.mark.parametrize(
    "args, msg",
    [
        (["Kursk", "--country", "Russia"], "two-letter"),
        (["Kursk", "--near", "north"], "--near"),
        (["Kursk", "--near", "95,0"], "range"),
        (["Kursk", "--limit", "0"], "--limit"),
        (["..."], "no letters"),
    ],
)
def test_geocode_bad_input(run, args, msg):
    r = run(geocode, args)
    assert r.exit_code == 2 and msg in r.output


def test_gazetteer_info(run):
    r = run(gazetteer, ["info", "--json"])
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data["version"].startswith("geonames-cities500+admin1@") and data["counts"]["city"] > 200_000
    r = run(gazetteer, ["info"])
    assert r.exit_code == 0 and "version" in r.output


def test_gazetteer_add_then_geocode(run, _private_home):
    r = run(gazetteer, ["add", "Forward Base Kilo", "48.5", "37.9", "--country", "UA", "--kind", "site"])
    assert r.exit_code == 0 and "user:forward-base-kilo" in r.output
    r = run(geocode, ["Forward Base Kilo", "--json"])
    assert json.loads(r.output)[0]["id"] == "user:forward-base-kilo"
    r = run(gazetteer, ["add", "South Camp", "--", "-33.9", "18.4"])
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize(
    "args, msg",
    [
        (["add", "X", "91", "0"], "latitude"),
        (["add", "X", "0", "200"], "longitude"),
        (["add", "X", "abc", "0"], "LAT"),
        (["add", "X", "0", "0", "--kind", "village"], "--kind"),
        (["add", "X", "0", "0", "--country", "RUS"], "two-letter"),
    ],
)
def test_gazetteer_add_bad_input(run, args, msg):
    r = run(gazetteer, args)
    assert r.exit_code == 2 and msg in r.output, r.output
