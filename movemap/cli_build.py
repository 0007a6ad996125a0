"""``movemap build`` and ``movemap render``."""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
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
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=0),
              help="Local processes for the per-article work and for writing the outputs (0: one per core).")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Run the per-article work on a Dask cluster: a scheduler address (tcp://host:8786), "
                   "a scheduler file (.json), or 'local' for a LocalCluster of --jobs workers.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def build(inputs, out_dir, published, catalog, formats, title, jobs, dask_address, quiet):
    """Map the movements reported in INPUT files or folders (`-` reads standard input).

    An INPUT may also be a JSON Lines archive (.jsonl, .jsonl.gz: one {"doc_id", "text",
    "published", "title", "outlet", "url"} object a line) or a CSV with a text column
    (.csv, .csv.gz); inputs are read as a stream, so their size is not limited by memory.
    """
    from geo.read import check_paths, parse_day

    fmts = _formats(formats)
    try:
        check_paths(inputs)
        pub = parse_day(published, "--published") if published else None
        if catalog and not Path(catalog).is_file():
            raise InputError(f"catalog not found: {catalog}")
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    if jobs == 0:
        jobs = os.cpu_count() or 1

    from gazetteer.build import ensure_database
    from geo.parallel import start_local, stop_local

    try:
        ensure_database(quiet=quiet)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    except MovemapError as exc:
        raise click.ClickException(str(exc)) from None
    # Local workers start first: their start-up (imports, gazetteer) overlaps this process's.
    pool = start_local(jobs) if jobs > 1 and not dask_address else None
    done = False
    try:
        _build(inputs, out_dir, pub, catalog, fmts, title, jobs, dask_address, quiet, pool)
        done = True
    except KeyboardInterrupt:  # before the map step (while this process was still starting)
        click.echo("movemap: interrupted; no outputs written", err=True)
        sys.exit(130)
    finally:
        if pool is not None:  # the map step shut it down, unless the run stopped before or in it
            if not done:
                stop_local(pool)
            pool.shutdown(wait=True, cancel_futures=True)


def _build(inputs, out_dir, pub, catalog, fmts, title, jobs, dask_address, quiet, pool) -> None:
    from gazetteer import default_gazetteer
    from geo.parallel import build_parallel, dask_client
    from geo.pipeline import unresolved_relative_dates
    from geo.read import count_sources, iter_sources
    from maps import write_outputs
    from movemap.progress import progress

    try:
        gz = default_gazetteer()
        gz.version  # noqa: B018 - open it now: a broken gazetteer is reported before any work
        sources = iter_sources(inputs, Path(catalog) if catalog else None, pub)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    except MovemapError as exc:
        raise click.ClickException(str(exc)) from None

    client = cluster = None
    try:
        with _sigterm_interrupts():
            if dask_address:
                if not quiet:
                    click.echo(f"movemap: connecting to Dask ({dask_address})", err=True)
                client, cluster = dask_client(dask_address, jobs if jobs > 1 else None)
            with progress(None, "articles", quiet) as bar:
                if not quiet and "-" not in inputs:
                    _count_in_background(bar, inputs, count_sources)
                route = build_parallel(sources, gz, title=title, jobs=jobs, client=client, executor=pool,
                                       on_result=lambda _r: bar.update(1),
                                       on_mapped=lambda: bar.set_postfix_str("merging events into legs"))
    except KeyboardInterrupt:
        click.echo("movemap: interrupted; no outputs written", err=True)
        sys.exit(130)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    except MovemapError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        _close_dask(client, cluster)

    failed = [s for s in route.statuses if s.status == "error"]
    for s in failed:
        click.echo(f"movemap: {s.error}", err=True)
    undated = unresolved_relative_dates(route)
    if undated and not quiet:
        for doc_id in undated[:MAX_LISTED]:
            click.echo(f"movemap: {doc_id}: no publication date (catalog, --published or dateline); "
                       "relative dates left unresolved", err=True)
        if len(undated) > MAX_LISTED:
            click.echo(f"movemap: ... and {len(undated) - MAX_LISTED} more article(s) without a publication date "
                       "(report.json: published null)", err=True)
    try:
        with _sigterm_interrupts():
            written = write_outputs(route, Path(out_dir), formats=fmts, inputs=list(inputs), title=title,
                                    processes=jobs)
    except KeyboardInterrupt:
        click.echo(f"movemap: interrupted while writing {out_dir}; each file there is complete or absent",
                   err=True)
        sys.exit(130)
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


MAX_LISTED = 20


def _count_in_background(bar, inputs, count) -> None:
    """Give the progress bar its total (hence an ETA) without delaying the start of the work."""
    import threading

    def run():
        try:
            bar.total = count(inputs)
        except Exception:  # noqa: BLE001 - a progress bar without a total is fine
            pass

    threading.Thread(target=run, name="movemap-count", daemon=True).start()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


@contextmanager
def _sigterm_interrupts():
    """SIGTERM (a job scheduler stopping the run) is handled like Ctrl-C while the block runs."""
    try:
        old = signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old if old is not None else signal.SIG_DFL)


def _close_dask(client, cluster) -> None:
    for thing in (client, cluster):
        if thing is not None:
            try:
                thing.close()
            except Exception:  # noqa: BLE001 - closing after an error or Ctrl-C
                pass
    if client is not None:
        # distributed's offload thread outlives the client; this process has no more use for it,
        # and with no other thread left the outputs can be written in forked processes (maps.forked).
        try:
            import distributed.utils

            distributed.utils._offload_executor.shutdown(wait=True)
        except Exception:  # noqa: BLE001 - another version of distributed: the outputs are written here
            pass


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
