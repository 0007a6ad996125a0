"""The one small interface ``geo/`` asks of a gazetteer.

Anything with these methods works: ``gazetteer.LocalGazetteer`` in production, a dict-backed
fake in unit tests. Keeping it this narrow keeps ``geo/`` free of SQLite and GeoNames details.
"""

from __future__ import annotations

from typing import Iterable, Protocol

from gazetteer.place import Place


class GazetteerPort(Protocol):
    def lookup_keys(self, keys: Iterable[str]) -> dict[str, list[Place]]:
        """Ranked candidates for each already-normalised name key that has any."""

    def admin1_place(self, admin1_code: str) -> Place | None:
        """The region place of an admin1 code such as ``RU.59``."""

    def country_place(self, country_code: str) -> Place | None:
        """The country place of an ISO 3166 alpha-2 code."""

    @property
    def version(self) -> str: ...
