import pytest

from gazetteer import LocalGazetteer
from gazetteer.user import UserStore, default_user_path
from movemap.errors import GazetteerError


@pytest.fixture
def g(real_db_path, _private_home):
    return LocalGazetteer(real_db_path)  # user entries in the test's private MOVEMAP_HOME


def test_user_path_from_env(_private_home):
    assert default_user_path() == _private_home / "user_gazetteer.sqlite"


def test_add_and_lookup_everywhere(g, _private_home):
    p = g.add_user_place("Kursk", 51.5, 36.5, country="ru", kind="site", alternates=["Kursk Depot", "Курск-Депо"])
    assert p.id == "user:kursk" and p.source == "user" and p.country_code == "RU"
    assert (_private_home / "user_gazetteer.sqlite").is_file()
    # user entries come first in candidates, lookup_keys and geocode
    assert g.candidates("Kursk")[0] == p
    assert g.candidates("Kursk")[1].geonameid == 538560
    assert g.lookup_keys(["kursk depot"])["kursk depot"] == [p]
    assert g.candidates("Kursk-Depo")[0] == p
    assert g.geocode("Kursk").raw["id"] == "user:kursk"
    assert g.get("user:kursk") == p
    # reverse sees them too
    assert g.reverse((51.5, 36.5)).raw["id"] == "user:kursk"
    # country filter applies to user entries as well
    assert all(x.source != "user" for x in g.candidates("Kursk", country_codes=["US"]))
    assert g.info()["user_entries"] == 1


def test_user_entries_persist_and_replace(g, real_db_path):
    g.add_user_place("Camp Alpha", 10, 20)
    g.add_user_place("Camp  alpha", 11, 21, kind="other")  # same slug: replaced
    g2 = LocalGazetteer(real_db_path)
    (p,) = [x for x in g2.user_places()]
    assert (p.id, p.lat, p.lon, p.kind) == ("user:camp-alpha", 11, 21, "other")
    assert g2.remove_user_place("user:camp-alpha") and not g2.user_places()


@pytest.mark.parametrize(
    "args, kwargs, msg",
    [
        (("X", 91, 0), {}, "latitude"),
        (("X", -90.5, 0), {}, "latitude"),
        (("X", 0, 181), {}, "longitude"),
        (("X", "north", 0), {}, "latitude must be a number"),
        (("X", float("nan"), 0), {}, "latitude"),
        (("", 0, 0), {}, "name"),
        (("...", 0, 0), {}, "name"),
        (("X", 0, 0), {"kind": "village"}, "kind must be one of"),
        (("X", 0, 0), {"country": "Russia"}, "two-letter"),
    ],
)
def test_validation(g, args, kwargs, msg):
    with pytest.raises(GazetteerError, match=msg):
        g.add_user_place(*args, **kwargs)
    assert g.user_places() == []


def test_userstore_alone(tmp_path):
    s = UserStore(tmp_path / "u.sqlite")
    assert s.all() == []
    s.add("Pier 7", 1, 2, alternates="Pier Seven")
    assert [p.id for p, _ in s.lookup("pier seven")] == ["user:pier-7"]
