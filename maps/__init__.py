"""maps: everything movemap writes, from a ``geo.model.Route`` and nothing else.

Public API::

    write_outputs(route, out_dir, formats=FORMATS, inputs=(), title=None, extra=None) -> list[Path]
    route_to_geojson(route) -> dict;  write_geojson(route, path);  read_geojson(path) -> Route
    render_html(route, path, title=None)
    write_report(route, path, inputs, extra=None)
    write_csv(route, legs_path, places_path);  write_gpkg(route, path);  write_kml(route, path)
    atomic_write(path, data)

This package knows nothing about text processing: it imports only ``geo.model``,
``gazetteer.place`` and ``movemap.errors`` from the project.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from geo.model import Route
from movemap.errors import OutputError

from .atomic import atomic_write
from .exports import write_csv, write_gpkg, write_kml
from .geojson import read_geojson, route_to_geojson, write_geojson
from .html import render_html
from .report import write_report

__all__ = [
    "FORMATS",
    "FILE_NAMES",
    "write_outputs",
    "atomic_write",
    "route_to_geojson",
    "write_geojson",
    "read_geojson",
    "render_html",
    "write_report",
    "write_csv",
    "write_gpkg",
    "write_kml",
]

FORMATS = ("html", "geojson", "gpkg", "kml", "csv")
FILE_NAMES = {
    "geojson": ("route.geojson",),
    "html": ("route.html",),
    "gpkg": ("route.gpkg",),
    "kml": ("route.kml",),
    "csv": ("legs.csv", "places.csv"),
    "report": ("report.json",),
}
_ORDER = ("geojson", "html", "gpkg", "kml", "csv")


def write_outputs(
    route: Route,
    out_dir: str | os.PathLike,
    formats: Iterable[str] = FORMATS,
    inputs: Iterable[str] = (),
    title: str | None = None,
    extra: dict | None = None,
) -> list[Path]:
    """Write the requested formats into ``out_dir`` and always report.json; return the paths.

    Files: route.geojson, route.html, route.gpkg, route.kml, legs.csv + places.csv, report.json.
    Each is written atomically. If a format fails, the others are still written, report.json
    lists the failure under ``output_errors``, and an OutputError naming every failure is raised.
    ``title`` overrides ``route.title`` in every output. Unknown format names raise ValueError.
    """
    wanted = list(dict.fromkeys(f.strip().lower() for f in formats if f and f.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown output format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    if title is not None:
        route = replace(route, title=title)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the output folder: {exc.strerror or exc}") from exc

    written: list[Path] = []
    errors: list[str] = []
    for fmt in _ORDER:
        if fmt not in wanted:
            continue
        paths = [out / name for name in FILE_NAMES[fmt]]
        try:
            if fmt == "geojson":
                write_geojson(route, paths[0])
            elif fmt == "html":
                render_html(route, paths[0])
            elif fmt == "gpkg":
                write_gpkg(route, paths[0])
            elif fmt == "kml":
                write_kml(route, paths[0])
            elif fmt == "csv":
                write_csv(route, paths[0], paths[1])
        except OutputError as exc:
            errors.append(str(exc))
            continue
        written.extend(paths)

    report_extra = {"formats": [f for f in _ORDER if f in wanted]}
    if errors:
        report_extra["output_errors"] = errors
    if extra:
        report_extra.update(extra)
    report = out / FILE_NAMES["report"][0]
    write_report(route, report, [str(i) for i in inputs], extra=report_extra)
    written.append(report)
    if errors:
        raise OutputError("; ".join(errors))
    return written
