"""The one value the gazetteer hands out: a place, with enough of its record to rank it."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("city", "region", "country", "site", "water", "other")


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry.

    ``id`` is stable across builds (``gn:<geonameid>`` for GeoNames records, ``user:<slug>``
    for user entries) so that routes written today still join with tomorrow's gazetteer.
    """

    id: str
    name: str
    lat: float
    lon: float
    kind: str = "city"  # one of KINDS
    country_code: str | None = None
    admin1_code: str | None = None  # e.g. "RU.59"
    admin1: str | None = None  # admin1 name, e.g. "Primorye"
    population: int = 0
    geonameid: int | None = None
    feature_code: str | None = None  # GeoNames feature code (PPL, ADM1, PCLI, ...)
    source: str = "geonames"  # "geonames" or "user"

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat, self.lon)
