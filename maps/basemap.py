"""The offline base layer: Natural Earth 1:110m country outlines, simplified.

``maps/data/countries_110m_simplified.geojson`` is derived from Natural Earth's
``ne_110m_admin_0_countries.geojson`` (public domain) by :func:`simplify_countries`
(Douglas-Peucker 0.1 degree, coordinates on a 0.01 degree grid, only the country name kept),
so the map draws recognisable outlines without any tile server and stays small.
When that file is missing the gazetteer's copy of the original is simplified on the fly;
without either the map simply has no outline layer.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

__all__ = ["SIMPLIFIED", "simplify_countries", "load_countries"]

_HERE = Path(__file__).resolve().parent
SIMPLIFIED = _HERE / "data" / "countries_110m_simplified.geojson"
_ORIGINALS = (
    _HERE.parent / "gazetteer" / "data" / "ne_110m_admin_0_countries.geojson",
    _HERE / "data" / "ne_110m_admin_0_countries.geojson",
)


def _simplified_fc(src: str | os.PathLike, tolerance: float = 0.1, grid: float = 0.01) -> dict:
    import shapely

    data = json.loads(Path(src).read_text(encoding="utf-8"))
    features = []
    for f in data.get("features", []):
        props = f.get("properties") or {}
        name = props.get("NAME") or props.get("name") or props.get("ADMIN") or ""
        geom = shapely.geometry.shape(f["geometry"]) if f.get("geometry") else None
        if geom is None or geom.is_empty:
            continue
        geom = shapely.set_precision(geom.simplify(tolerance, preserve_topology=True), grid)
        if geom.is_empty:
            continue
        features.append({"type": "Feature", "properties": {"name": name}, "geometry": json.loads(shapely.to_geojson(geom))})
    features.sort(key=lambda f: f["properties"]["name"])
    return {"type": "FeatureCollection", "features": features}


def simplify_countries(src: str | os.PathLike, dst: str | os.PathLike, tolerance: float = 0.1, grid: float = 0.01) -> Path:
    """Write the simplified outline file ``dst`` from a Natural Earth countries GeoJSON."""
    from .atomic import atomic_write

    fc = _simplified_fc(src, tolerance, grid)
    return atomic_write(dst, json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n")


@functools.lru_cache(maxsize=1)
def _load() -> str | None:
    if SIMPLIFIED.is_file():
        return SIMPLIFIED.read_text(encoding="utf-8").strip()
    for src in _ORIGINALS:
        if src.is_file():
            try:
                return json.dumps(_simplified_fc(src), ensure_ascii=False, separators=(",", ":"))
            except (OSError, ValueError, KeyError):
                continue
    return None


def load_countries() -> str | None:
    """The simplified outlines as compact GeoJSON text, or None when no source is available."""
    return _load()


if __name__ == "__main__":  # python -m maps.basemap SRC [DST]
    import sys

    src = sys.argv[1]
    dst = sys.argv[2] if len(sys.argv) > 2 else SIMPLIFIED
    print(simplify_countries(src, dst))
