"""Fixtures for the maps/ tests: a small hand-built Route exercising every output path.

Places: Vladivostok, Ussuriysk, Хабаровск (Khabarovsk), Anchorage (the antimeridian pair with
Vladivostok) and a mentioned-only Ch'ŏngjin. Legs of every status, evidence carrying an HTML
injection payload, non-ASCII names.

``sample_route()`` is a plain function too, so a subprocess can build the same route
(see ``run_in_subprocess``) to check byte determinism across PYTHONHASHSEED values.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from gazetteer.place import Place
from geo.model import DocumentMeta, DocumentStatus, Evidence, Leg, Route, RoutePlace

XSS = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert('pwned')</script>"
REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

VLADIVOSTOK = Place(
    id="gn:2013348", name="Vladivostok", lat=43.10562, lon=131.87353, kind="city", country_code="RU",
    admin1_code="RU.59", admin1="Primorye", population=604901, geonameid=2013348, feature_code="PPLA",
)
USSURIYSK = Place(
    id="gn:2014006", name="Ussuriysk", lat=43.80129, lon=131.94578, kind="city", country_code="RU",
    admin1_code="RU.59", admin1="Primorye", population=162000, geonameid=2014006, feature_code="PPL",
)
KHABAROVSK = Place(
    id="gn:2022890", name="Хабаровск", lat=48.48271, lon=135.08379, kind="city", country_code="RU",
    admin1_code="RU.30", admin1="Khabarovsk Krai", population=579000, geonameid=2022890, feature_code="PPLA",
)
ANCHORAGE = Place(
    id="gn:5879400", name="Anchorage", lat=61.21806, lon=-149.90028, kind="city", country_code="US",
    admin1_code="US.AK", admin1="Alaska", population=291826, geonameid=5879400, feature_code="PPLA2",
)
CHONGJIN = Place(
    id="gn:2044757", name="Ch'ŏngjin", lat=41.79556, lon=129.77583, kind="city", country_code="KP",
    admin1="Hamgyŏng-bukto", geonameid=2044757,
)
USER_PLACE = Place(id="user:depot-7", name=f"Depot {XSS}", lat=44.0, lon=132.5, kind="site", source="user")

DOC_A = "a/000_vlad.txt"
DOC_B = "b/001_khab.txt"


def sample_route() -> Route:
    ev_payload = Evidence(DOC_A, f"Troops left Vladivostok by train {XSS} on 13 October.", 120, 171)
    ev_khab = Evidence(DOC_B, "Колонна прибудет в Хабаровск 20 октября, сообщает «Вести».", 5, 61)
    ev_air = Evidence(DOC_A, 'A charter flew from Vladivostok to Anchorage "for talks" & more.', 300, 362)
    ev_chong = Evidence(DOC_B, f"Ships were seen off Ch'ŏngjin {SCRIPT}.", 400, 440)
    places = (
        RoutePlace(VLADIVOSTOK, "route", 1, date(2024, 10, 13), date(2024, 10, 15), (DOC_A,), 3, ("Vladivostok", "Владивосток"), (ev_payload,)),
        RoutePlace(USSURIYSK, "route", 1, date(2024, 10, 14), date(2024, 10, 14), (DOC_A,), 1, ("Ussuriysk",), ()),
        RoutePlace(KHABAROVSK, "route", 2, None, date(2024, 10, 20), (DOC_A, DOC_B), 2, ("Хабаровск", "Khabarovsk"), (ev_khab,)),
        RoutePlace(ANCHORAGE, "route", 1, date(2024, 10, 15), None, (DOC_A,), 1, ("Anchorage",), (ev_air,)),
        RoutePlace(CHONGJIN, "mention", 3, None, None, (DOC_B,), 1, ("Ch'ŏngjin", "Chongjin"), (ev_chong,)),
        RoutePlace(USER_PLACE, "mention", 2, None, None, (DOC_A,), 1, (f"depot {XSS}",), ()),
    )
    legs = (
        # given out of sequence order on purpose: outputs sort by sequence
        Leg("leg-3", 3, USSURIYSK, KHABAROVSK, date(2024, 10, 18), date(2024, 10, 20), 2, "road", "convoy", None,
            "expected", (DOC_B,), 0.6, (ev_khab,)),
        Leg("leg-1", 1, VLADIVOSTOK, USSURIYSK, date(2024, 10, 13), date(2024, 10, 14), 1, "rail", f"5th Army {XSS}", 1200,
            "reported", (DOC_A, DOC_B), 0.9, (ev_payload,), (1200, 1500),
            ((date(2024, 10, 13), date(2024, 10, 14)), (date(2024, 10, 15), date(2024, 10, 15)))),
        Leg("leg-2", 2, VLADIVOSTOK, ANCHORAGE, date(2024, 10, 15), None, 1, "air", None, 12,
            "reported", (DOC_A,), 0.75, (ev_air,), (12,)),
        Leg("leg-4", 4, KHABAROVSK, VLADIVOSTOK, None, None, 3, "unknown", None, None,
            "inferred", (), 0.3, ()),
    )
    documents = (
        DocumentMeta(DOC_A, f"Troops on the move {XSS}", "Example Times", date(2024, 10, 16), "https://example.org/a?x=1&y=2"),
        DocumentMeta(DOC_B, "Колонна идёт на север", "Вести «ДВ»", date(2024, 10, 17), None),
    )
    statuses = (
        DocumentStatus(DOC_A, "/in/a/000_vlad.txt", "ok", None, date(2024, 10, 16), "catalog", 9, 3),
        DocumentStatus(DOC_B, "/in/b/001_khab.txt", "ok", None, date(2024, 10, 17), "text", 4, 1),
        DocumentStatus("c/broken.html", "/in/c/broken.html", "error", "/in/c/broken.html: not UTF-8 text (byte 12)"),
    )
    return Route(
        places=places, legs=legs, documents=documents, title=f"Far East movements {XSS}",
        gazetteer_name="movemap-geonames", gazetteer_version="2024-10-01+test", statuses=statuses,
    )


@pytest.fixture
def route() -> Route:
    return sample_route()


@pytest.fixture
def empty_route() -> Route:
    return Route(title="Nothing found", gazetteer_version="v0")


def run_in_subprocess(code: str, seed: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter with PYTHONHASHSEED=seed.

    The code may use ``sample_route()``; it is loaded from this file by path (not as
    ``conftest``, which would clash with the lead's tests/conftest.py).
    """
    prelude = (
        "import importlib.util, sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        f"_spec = importlib.util.spec_from_file_location('maps_test_fixtures', {str(HERE / 'conftest.py')!r})\n"
        "_mod = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(_mod)\n"
        "sample_route = _mod.sample_route\n"
    )
    env = dict(os.environ, PYTHONHASHSEED=seed)
    return subprocess.run(
        [sys.executable, "-c", prelude + code], env=env, cwd=cwd or REPO, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def subprocess_runner():
    return run_in_subprocess
