"""movemap's offline gazetteer: GeoNames cities500 + admin1 regions + Natural Earth countries.

Public API::

    from gazetteer import LocalGazetteer, Place, name_key, default_gazetteer

Importing the package is cheap: ``LocalGazetteer`` (which needs geopy) and the SQLite
store are imported on first attribute access.  Data credit: GeoNames (geonames.org),
CC BY 4.0; Natural Earth (public domain); military air bases from airportsdata (MIT,
Copyright (c) 2020- Mike Borsetti).
"""

from __future__ import annotations

from .normalize import name_key
from .place import KINDS, Place

__all__ = ["Gazetteer", "KINDS", "LocalGazetteer", "Place", "default_gazetteer", "name_key"]


def __getattr__(name: str):
    if name in ("LocalGazetteer", "default_gazetteer"):
        from . import geocoder

        return getattr(geocoder, name)
    if name == "Gazetteer":
        from .store import Gazetteer

        return Gazetteer
    raise AttributeError(f"module 'gazetteer' has no attribute {name!r}")
