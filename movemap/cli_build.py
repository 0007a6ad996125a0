"""``movemap build`` and ``movemap render``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from movemap.errors import InputError, MovemapError

ALL_FORMATS = ("html", "geojson", "gpkg", "kml", "csv")


def _formats(value: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [v for v in items if v not in ALL_FORMATS]
    if bad or not items:
        raise click.BadParameter(f"unknown format(s) {', '.join(bad) or '(none)'}; choose from {','.join(ALL_FORMATS)}")
    return items


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", default="movemap-out", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the outputs.")
@click.option("--published", default=None, help="Publication date (YYYY-MM-DD) for every input.")
@click.option("--catalog", default=None, type=click.Path(dir_okay=False), help="CSV with file,published[,outlet,title,url].")
@click.option("--formats", default=",".join(ALL_FORMATS), show_default=True, help="Outputs to write.")
@click.option("--title", default=None, help="Map title.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def build(inputs, out_dir, published, catalog, formats, title, quiet):
    """Map the movements reported in INPUT files or folders (`-` reads standard input)."""
    from geo.read import check_paths, parse_day, read_inputs

    fmts = _formats(formats)
    try:
        check_paths(inputs)
        pub = parse_day(published, "--published") if published else None
        if catalog and not Path(catalog).is_file():
            raise InputError(f"catalog not found: {catalog}")
    except InputError as exc:
        raise click.UsageError(str(exc)) from None

    from gazetteer import default_gazetteer
    from geo.model import DocumentStatus
    from geo.pipeline import build as build_route, unresolved_relative_dates
    from maps import write_outputs
    from movemap.progress import progress

    try:
        from gazetteer.build import ensure_database

        ensure_database(quiet=quiet)
        gz = default_gazetteer()
        items = list(read_inputs(inputs, Path(catalog) if catalog else None, pub))
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    except MovemapError as exc:
        raise click.ClickException(str(exc)) from None

    with progress(len(items), "articles", quiet) as bar:
        route = build_route(items, gz, title=title, on_document=lambda _item: bar.update(1))
    failed = [s for s in route.statuses if s.status == "error"]
    for s in failed:
        click.echo(f"movemap: {s.error}", err=True)
    for doc_id in unresolved_relative_dates(route):
        if not quiet:
            click.echo(f"movemap: {doc_id}: no publication date (catalog, --published or dateline); "
                       "relative dates left unresolved", err=True)
    try:
        written = write_outputs(route, Path(out_dir), formats=fmts, inputs=list(inputs), title=title)
    except MovemapError as exc:
        raise click.ClickException(str(exc)) from None
    if not quiet:
        ok = sum(1 for s in route.statuses if s.status == "ok")
        click.echo(f"movemap: {ok} article(s) mapped, {len(failed)} failed; {len(route.legs)} legs, "
                   f"{sum(1 for p in route.places if p.role == 'route')} route places -> {out_dir}", err=True)
        for path in written:
            click.echo(f"  {path}", err=True)
    if failed:
        sys.exit(1)


@click.command()
@click.argument("route_file", type=click.Path(dir_okay=False))
@click.option("--out", "out_file", default=None, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--title", default=None, help="Map title.")
def render(route_file, out_file, title):
    """Re-render a (possibly hand-edited) route.geojson as an HTML map."""
    if not Path(route_file).is_file():
        raise click.UsageError(f"route file not found: {route_file}")
    from maps.geojson import read_geojson
    from maps.html import render_html

    try:
        route = read_geojson(route_file)
        target = Path(out_file) if out_file else Path(route_file).with_suffix(".html")
        render_html(route, target, title=title or route.title)
    except MovemapError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(str(target), err=True)
