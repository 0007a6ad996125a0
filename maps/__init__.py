"""maps: everything movemap writes, from a ``geo.model.Route`` and nothing else.

Public API::

    write_outputs(route, out_dir, formats=FORMATS, inputs=(), title=None, extra=None, processes=1) -> list[Path]
    route_to_geojson(route) -> dict;  write_geojson(route, path);  read_geojson(path) -> Route
    render_html(route, path, title=None)
    write_report(route, path, inputs, extra=None)
    write_csv(route, legs_path, places_path);  write_gpkg(route, path);  write_kml(route, path)
    atomic_write(path, data)

This package knows nothing about text processing: it imports only ``geo.model``,
``gazetteer.place`` and ``movemap.errors`` from the project.
"""

from __future__ import annotations

import functools
import os
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from geo.model import Route
from movemap.errors import OutputError

from .atomic import atomic_write
from .exports import write_csv, write_gpkg, write_kml
from .forked import run_tasks
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
# Relative writing time of each format (CPU for 2,000 synthetic news articles: html 1.1-1.5 s,
# kml 1.1 s, gpkg 0.9 s, csv 0.4 s, geojson 0.4 s), to share them out between processes.
_WEIGHTS = {"html": 3.0, "kml": 2.5, "gpkg": 2.0, "csv": 1.0, "geojson": 1.0}


def write_outputs(
    route: Route,
    out_dir: str | os.PathLike,
    formats: Iterable[str] = FORMATS,
    inputs: Iterable[str] = (),
    title: str | None = None,
    extra: dict | None = None,
    processes: int = 1,
) -> list[Path]:
    """Write the requested formats into ``out_dir`` and always report.json; return the paths.

    Files: route.geojson, route.html, route.gpkg, route.kml, legs.csv + places.csv, report.json.
    Each is written atomically. If a format fails, the others are still written, report.json
    lists the failure under ``output_errors``, and an OutputError naming every failure is raised.
    ``title`` overrides ``route.title`` in every output. Unknown format names raise ValueError.
    ``processes`` > 1 writes independent files side by side in that many processes
    (``maps.forked``; same bytes), report.json last, once the others are done.
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

    writers = {"geojson": write_geojson, "html": render_html, "gpkg": write_gpkg, "kml": write_kml, "csv": write_csv}
    paths = {fmt: [out / name for name in FILE_NAMES[fmt]] for fmt in _ORDER if fmt in wanted}
    outcomes = run_tasks([(fmt, functools.partial(writers[fmt], route, *paths[fmt])) for fmt in paths],
                         _WEIGHTS, processes)
    written = [p for fmt, error in outcomes.items() if error is None for p in paths[fmt]]
    errors = [error for error in outcomes.values() if error is not None]

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
