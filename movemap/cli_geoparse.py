"""``movemap geoparse``: batch toponym recognition and resolution over JSON Lines."""

from __future__ import annotations

import sys

import click


@click.command("geoparse")
@click.argument("source", default="-", metavar="[FILE.jsonl|-]")
@click.option("--given-spans", is_flag=True,
              help="Resolve exactly the toponym spans each line gives instead of finding them.")
@click.option("--demonyms/--no-demonyms", default=True, show_default=True,
              help="Also report adjectival toponyms ('Russian', 'Sri Lankan') resolved to their country.")
@click.option("--out", "out_path", default="-", metavar="FILE", help="Write here instead of standard output.")
def geoparse(source: str, given_spans: bool, demonyms: bool, out_path: str) -> None:
    """Find and resolve the toponyms of each JSON line {"doc_id", "text"[, "toponyms"]}.

    Writes one JSON line per input line, in the same order:
    {"doc_id", "toponyms": [{"start", "end", "name", "lat", "lon", "geonameid",
    "country_code", "kind", "score"}]}. A line that cannot be read gets
    {"doc_id", "toponyms": [], "error"} and the run goes on (exit status 1 at the end).
    """
    from gazetteer.store import Gazetteer
    from geo.geoparse import run
    from movemap.errors import MovemapError

    try:
        inp = sys.stdin if source == "-" else open(source, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot read {source}: {exc.strerror}") from None
    try:
        out = sys.stdout if out_path == "-" else open(out_path, "w", encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot write {out_path}: {exc.strerror}") from None
    try:
        failed = run(inp, out, Gazetteer(quiet=False), given_spans=given_spans, demonyms=demonyms)
    except MovemapError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if inp is not sys.stdin:
            inp.close()
        if out is not sys.stdout:
            out.close()
    if failed:
        click.echo(f"movemap geoparse: {failed} line(s) could not be geoparsed (see their 'error')", err=True)
        sys.exit(1)
