"""Shared fixtures: a tiny in-memory gazetteer for unit tests, the real one for end-to-end tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gazetteer.normalize import name_key
from gazetteer.place import Place

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MOVEMAP_SHARED", ROOT.parent / "shared"))


def P(pid, name, lat, lon, kind="city", cc=None, adm=None, pop=0, alts=()):
    return Place(id=pid, name=name, lat=lat, lon=lon, kind=kind, country_code=cc, admin1_code=adm,
                 population=pop, geonameid=None, feature_code={"region": "ADM1", "country": "PCLI"}.get(kind, "PPL")), alts


class FakeGazetteer:
    """Dict-backed stand-in with the interface geo/ asks for (``geo.gazetteer_port``)."""

    version = "fake-1"

    def __init__(self, entries):
        self._by_key: dict[str, list[Place]] = {}
        self._places = []
        for place, alts in entries:
            self._places.append(place)
            for n in (place.name, *alts):
                self._by_key.setdefault(name_key(n), []).append(place)
        for k in self._by_key:
            # like the real gazetteer: a place's own name before an alternate name, then population
            self._by_key[k].sort(key=lambda p, k=k: (name_key(p.name) != k, -p.population, p.id))

    def lookup_keys(self, keys):
        return {k: list(self._by_key[k]) for k in keys if k in self._by_key}

    def admin1_place(self, code):
        return next((p for p in self._places if p.kind == "region" and p.admin1_code == code), None)

    def country_place(self, cc):
        return next((p for p in self._places if p.kind == "country" and p.country_code == cc), None)


# Invented or approximate entries: enough geography to exercise the rules, not real data.
FAKE_ENTRIES = [
    P("t:russia", "Russia", 60.0, 90.0, "country", "RU", pop=144_000_000),
    P("t:korea-n", "North Korea", 40.0, 127.0, "country", "KP", pop=25_000_000, alts=("DPRK",)),
    P("t:ukraine", "Ukraine", 49.0, 32.0, "country", "UA", pop=41_000_000),
    P("t:us", "United States", 39.8, -98.6, "country", "US", pop=327_000_000, alts=("U.S.", "US", "USA")),
    P("t:portcity", "Portgrad", 43.1, 131.9, "city", "RU", "RU.59", 600_000),
    P("t:baseton", "Baseton", 43.8, 131.9, "city", "RU", "RU.59", 170_000),
    P("t:rivertown", "Rivertown", 48.5, 135.1, "city", "RU", "RU.30", 590_000),
    P("t:blag-amur", "Blagoveshchensk", 50.3, 127.5, "city", "RU", "RU.05", 225_000),
    P("t:blag-bash", "Blagoveshchensk", 55.0, 56.0, "city", "RU", "RU.08", 34_000),
    P("t:amur", "Amur Oblast", 53.0, 128.0, "region", "RU", "RU.05", 800_000, alts=("Amur", "Amur region")),
    P("t:bash", "Bashkortostan Republic", 54.5, 56.0, "region", "RU", "RU.08", 4_000_000, alts=("Bashkortostan",)),
    P("t:kursk", "Kursk", 51.7, 36.2, "city", "RU", "RU.41", 440_000),
    P("t:kursk-obl", "Kursk Oblast", 51.6, 36.1, "region", "RU", "RU.41", 800_000, alts=("Kursk", "Kursk region")),
    P("t:voronezh", "Voronezh", 51.7, 39.2, "city", "RU", "RU.86", 1_000_000),
    P("t:kyiv", "Kyiv", 50.45, 30.5, "city", "UA", "UA.12", 2_800_000, alts=("Kiev",)),
    P("t:hamhung", "Hamhung", 39.9, 127.5, "city", "KP", "KP.03", 560_000),
    P("t:chongjin", "Chongjin", 41.8, 129.8, "city", "KP", "KP.09", 330_000),
    P("t:brussels", "Brussels", 50.85, 4.35, "city", "BE", "BE.11", 1_000_000),
    P("t:vladimir", "Vladimir", 56.1, 40.4, "city", "RU", "RU.83", 350_000),
    P("t:kirby", "Kirby", 30.6, -98.5, "city", "US", "US.TX", 8_000),
    P("t:sunday", "Sunday", 10.0, 10.0, "city", "NG", "NG.01", 600),
    P("t:un", "Un", 20.0, 80.0, "city", "IN", "IN.01", 3_000),
    P("t:york-new", "New York", 40.7, -74.0, "city", "US", "US.NY", 8_000_000),
    P("t:york", "York", 53.96, -1.08, "city", "GB", "GB.ENG", 150_000),
    P("t:canadian", "Canadian", 35.9, -100.4, "city", "US", "US.TX", 2_000),
]


@pytest.fixture(scope="session")
def fake_gazetteer():
    return FakeGazetteer(FAKE_ENTRIES)


@pytest.fixture(scope="session")
def fake_places():
    """The fake gazetteer's places by name (first of each name)."""
    out = {}
    for place, _ in FAKE_ENTRIES:
        out.setdefault(place.name, place)
    return out


@pytest.fixture(scope="session")
def real_gazetteer():
    """The embedded GeoNames gazetteer (built once into the cache folder if needed)."""
    from gazetteer import default_gazetteer

    return default_gazetteer()


@pytest.fixture(scope="session")
def shared_dir():
    if not SHARED.is_dir():
        pytest.fail(f"the shared data folder is missing: {SHARED} (set MOVEMAP_SHARED)")
    return SHARED
