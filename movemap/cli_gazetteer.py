"""``movemap geocode`` and ``movemap gazetteer`` commands.

Kept light on purpose: this module imports only click and the geopy-free gazetteer
store, so ``movemap geocode NAME`` starts fast.  ``movemap/cli.py`` registers
``geocode`` and ``gazetteer`` in the main group; ``python -m movemap.cli_gazetteer``
runs them standalone.
"""

from __future__ import annotations

import json
import sys

import click

from movemap.errors import GazetteerError


def _store():
    from gazetteer.store import Gazetteer

    return Gazetteer(quiet=False)


def _parse_near(value: str | None):
    if value is None:
        return None
    from gazetteer.store import parse_latlon

    try:
        return parse_latlon(value)
    except GazetteerError as exc:
        raise click.UsageError(f"--near: {exc}") from None


def _parse_country(values: tuple[str, ...]) -> list[str] | None:
    out = []
    for v in values:
        for cc in v.split(","):
            cc = cc.strip()
            if len(cc) != 2 or not cc.isalpha():
                raise click.UsageError(f"--country: expected a two-letter ISO country code such as RU, got {cc!r}")
            out.append(cc.upper())
    return out or None


@click.command("geocode")
@click.argument("name")
@click.option("--country", "country", multiple=True, metavar="CC",
              help="Only places in this country (ISO code; repeat or comma-separate for several).")
@click.option("--near", metavar="LAT,LON", help="Prefer places close to this position.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Show at most N places.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def geocode(name: str, country: tuple[str, ...], near: str | None, limit: int, as_json: bool) -> None:
    """Look NAME up in the offline gazetteer, best match first."""
    from gazetteer.normalize import name_key

    if not name_key(name):
        raise click.UsageError(f"NAME {name!r} has no letters or digits to look up")
    ccs = _parse_country(country)
    near_pt = _parse_near(near)
    try:
        res = _store().scored_candidates(name, country_codes=ccs, limit=limit, near=near_pt)
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from None
    if not res:
        where = f" in {', '.join(ccs)}" if ccs else ""
        click.echo(f"movemap: no place called {name!r}{where} in the gazetteer", err=True)
        sys.exit(1)
    rows = [
        {"id": p.id, "geonameid": p.geonameid, "name": p.name, "lat": p.lat, "lon": p.lon, "kind": p.kind,
         "country_code": p.country_code, "admin1": p.admin1, "population": p.population, "score": s}
        for p, s in res
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    header = ("id", "name", "kind", "cc", "admin1", "lat", "lon", "population", "score")
    table = [header] + [
        (r["id"], r["name"], r["kind"], r["country_code"] or "", r["admin1"] or "", f"{r['lat']:.5f}",
         f"{r['lon']:.5f}", str(r["population"]), f"{r['score']:.3f}")
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())


@click.group("gazetteer")
def gazetteer() -> None:
    """Inspect the offline gazetteer and manage your own places."""


@gazetteer.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info(as_json: bool) -> None:
    """Show the database path, version and counts."""
    try:
        data = _store().info()
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for k, v in data.items():
        if isinstance(v, dict):
            v = ", ".join(f"{kk}={vv}" for kk, vv in v.items())
        click.echo(f"{k:13} {v}")


@gazetteer.command("add")
@click.argument("name")
@click.argument("lat", type=float)
@click.argument("lon", type=float)
@click.option("--country", metavar="CC", help="ISO country code of the place.")
@click.option("--kind", default="site", show_default=True,
              type=click.Choice(["city", "region", "country", "site", "water", "other"]),
              help="Kind of place.")
@click.option("--alt", "alternates", multiple=True, metavar="NAME", help="An alternate name (repeatable).")
def add(name: str, lat: float, lon: float, country: str | None, kind: str, alternates: tuple[str, ...]) -> None:
    """Add (or replace) your own place NAME at LAT LON; it joins every lookup.

    Use `--` before a negative latitude: movemap gazetteer add Camp -- -33.9 18.4
    """
    from gazetteer.user import UserStore

    try:
        place = UserStore().add(name, lat, lon, country=country, kind=kind, alternates=alternates)
    except GazetteerError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"added {place.id}: {place.name} ({place.lat:.5f}, {place.lon:.5f}) kind={place.kind}"
               + (f" country={place.country_code}" if place.country_code else ""))


@gazetteer.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def import_(files: tuple[str, ...], quiet: bool) -> None:
    """Import GeoNames dump files (allCountries.txt, US.txt, cities1000.txt; also .zip/.gz)
    or CSV lists (name,lat,lon[,country,kind]) into your gazetteer; they join every lookup.

    Files are streamed, so any size works. Importing a file again replaces its places.
    """
    from gazetteer.imported import ImportStore

    store = ImportStore()

    shown: list[str] = []

    def progress(origin: str, n: int) -> None:
        if quiet:
            return
        if shown and shown[-1] != origin:
            click.echo("", err=True)
        shown.append(origin)
        click.echo(f"\r{origin}: {n:,} places", nl=False, err=True)

    try:
        counts = store.import_files(files, progress=progress)
    except GazetteerError as exc:
        if not quiet:
            click.echo("", err=True)
        raise click.ClickException(str(exc)) from None
    if not quiet:
        click.echo("", err=True)
    for origin, n in counts.items():
        click.echo(f"imported {n} places from {origin} into {store.path}")


@click.group()
def _standalone() -> None:
    """movemap gazetteer commands (standalone entry point)."""


_standalone.add_command(geocode)
_standalone.add_command(gazetteer)

if __name__ == "__main__":
    _standalone()
