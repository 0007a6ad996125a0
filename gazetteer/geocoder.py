"""``LocalGazetteer``: the offline gazetteer behind geopy's ``Geocoder`` interface.

Works anywhere a geopy geocoder does, e.g.
``geopandas.tools.geocode(["Vladivostok", "Kursk"], provider=LocalGazetteer)``
(geopandas calls ``LocalGazetteer()`` then ``.geocode(s)`` / ``.reverse((lat, lon))``).
No network access ever happens: the geopy adapter is replaced by one that refuses.
"""

from __future__ import annotations

import os
import threading
from typing import Iterable

from geopy.adapters import BaseSyncAdapter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from movemap.errors import GazetteerError

from .normalize import name_key
from .place import Place
from .store import Gazetteer, parse_latlon

__all__ = ["LocalGazetteer", "default_gazetteer", "place_address"]


class _OfflineAdapter(BaseSyncAdapter):
    """geopy adapter that never talks to the network (the gazetteer is local)."""

    def get_json(self, url, *, timeout, headers):  # pragma: no cover - never called
        raise GazetteerError("LocalGazetteer is offline; it makes no HTTP requests")

    def get_text(self, url, *, timeout, headers):  # pragma: no cover - never called
        raise GazetteerError("LocalGazetteer is offline; it makes no HTTP requests")


def place_address(place: Place) -> str:
    """``"Name, Admin1, CC"`` (parts that are missing or repeat the name are left out)."""
    parts = [place.name]
    if place.admin1 and place.admin1 != place.name:
        parts.append(place.admin1)
    if place.country_code:
        parts.append(place.country_code)
    return ", ".join(parts)


class LocalGazetteer(Gazetteer, Geocoder):
    """Offline GeoNames gazetteer usable as a geopy geocoder.

    ``LocalGazetteer(path=None, user_path=None, *, quiet=True, **geopy_kwargs)``: *path*
    is the database (default: built on first use in the cache folder), *user_path* the
    user-entries database (default ``$MOVEMAP_HOME/user_gazetteer.sqlite``).
    """

    name = "movemap-geonames"

    def __init__(self, path: str | os.PathLike | None = None, user_path: str | os.PathLike | None = None,
                 *, quiet: bool = True, **geopy_kwargs):
        geopy_kwargs.setdefault("adapter_factory", _OfflineAdapter)
        Geocoder.__init__(self, **geopy_kwargs)
        Gazetteer.__init__(self, path, user_path, quiet=quiet)

    def _location(self, place: Place, score: float | None = None, distance_km: float | None = None) -> Location:
        raw = dict(self.raw(place))
        raw.update(id=place.id, kind=place.kind, feature_code=place.feature_code,
                   country_code=place.country_code, admin1_code=place.admin1_code, admin1=place.admin1,
                   source=place.source)
        if score is not None:
            raw["score"] = score
        if distance_km is not None:
            raw["distance_km"] = round(distance_km, 3)
        return Location(place_address(place), (place.lat, place.lon, 0.0), raw)

    def _qualified(self, query: str, country_codes, near, limit):
        """``"Kursk, Russia"`` / ``"Blagoveshchensk, Amur"``: the name, filtered by the rest."""
        res = self.scored_candidates(query, country_codes, None, near)
        if res or "," not in query:
            return res
        head, *quals = [q.strip() for q in query.split(",")]
        res = self.scored_candidates(head, country_codes, None, near)
        for q in quals:
            if not name_key(q) or not res:
                continue
            if len(q) == 2 and q.isalpha():
                ccs = {q.upper()}
            else:
                ccs = {p.country_code for p in self.candidates(q, kinds=("country",))}
            if ccs & {p.country_code for p, _ in res}:
                res = [ps for ps in res if ps[0].country_code in ccs]
                continue
            codes = {p.admin1_code for p in self.candidates(q, kinds=("region",))}
            if codes & {p.admin1_code for p, _ in res}:
                res = [ps for ps in res if ps[0].admin1_code in codes]
        return res

    def geocode(self, query, exactly_one: bool = True, country_codes=None, limit: int | None = None,
                near=None, timeout=None):
        """Location of the best place called *query* (or a ranked list), None if unknown.

        *query* may carry qualifiers after commas ("Kursk, Russia"). ``timeout`` is
        accepted for geopy compatibility and ignored (everything is local).
        """
        if isinstance(query, dict):
            query = ", ".join(str(v) for v in query.values() if v)
        if not isinstance(query, str):
            raise GazetteerError(f"geocode query must be a string, got {type(query).__name__}")
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise GazetteerError(f"limit must be a positive integer, got {limit!r}")
        res = self._qualified(query, country_codes, near, limit)
        if not res:
            return None
        if exactly_one:
            return self._location(*res[0])
        return [self._location(p, s) for p, s in res[:limit]]

    def reverse(self, query, exactly_one: bool = True, timeout=None, limit: int | None = None,
                kinds: Iterable[str] | None = ("city", "site", "water", "other")):
        """Nearest place(s) to *query* ((lat, lon), "lat, lon" or a geopy Point)."""
        lat, lon = parse_latlon(query)
        n = 1 if exactly_one else (limit or 10)
        found = self.nearest(lat, lon, limit=n, kinds=kinds)
        if not found:
            return None
        locs = [self._location(p, distance_km=d) for p, d in found]
        return locs[0] if exactly_one else locs


_default: LocalGazetteer | None = None
_default_lock = threading.Lock()


def default_gazetteer() -> LocalGazetteer:
    """The process-wide shared gazetteer (created lazily on first call, then cached)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = LocalGazetteer()
    return _default
