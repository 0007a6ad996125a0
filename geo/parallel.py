"""The map step in several processes: local worker processes (``jobs``) or a Dask cluster.

The parent process reads the inputs lazily (``geo.read.iter_sources``), sends them in small
chunks to the workers, and merges what comes back (``geo.pipeline.RouteMerger``) in whatever
order it finishes; the merge orders documents itself, so 1 process, N processes and Dask give
byte-identical outputs. Only a bounded number of chunks is in flight at any time, so memory
does not grow with the input.

Each worker process opens the gazetteer once (``gazetteer.default_gazetteer()`` is a lazy
per-process global; on Dask a ``WorkerPlugin`` opens it when the worker starts) and it is
never sent with the tasks. Every chunk's result carries the worker's gazetteer version, and a
worker whose gazetteer differs from this machine's stops the run rather than mix two.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from geo.model import DocumentStatus, Route
from movemap.errors import GazetteerError, MovemapError

if TYPE_CHECKING:
    from geo.pipeline import DocumentAnalysis

CHUNK_DOCS = 16  # documents per task: a few hundred ms of work, so task overhead is noise
CHUNK_CHARS = 1 << 20  # ... or about a megabyte of text, whichever comes first

Result = "DocumentAnalysis | DocumentStatus"
# geo.pipeline (and what it imports) is imported where it is used, so that ``start_local`` can
# start the worker processes before this process spends its own start-up importing it.


def default_factory():
    from gazetteer import default_gazetteer

    return default_gazetteer()


# ---------------------------------------------------------------- worker side
_worker_gazetteer = None
_worker_factory: Callable | None = None


def _gazetteer():
    """This process's gazetteer, opened on first use and kept for every later task."""
    global _worker_gazetteer
    if _worker_gazetteer is None:
        _worker_gazetteer = (_worker_factory or default_factory)()
        _worker_gazetteer.version  # noqa: B018 - open now: fail at start, not mid-run
    return _worker_gazetteer


def _init_local_worker(factory: Callable | None) -> None:
    # Ctrl-C goes to the whole process group: the parent handles it and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker_factory
    _worker_factory = factory
    import geo.pipeline  # noqa: F401 - the analysis code, imported now rather than in the first task

    _gazetteer()


def run_chunk(chunk: list[tuple[int, object]]) -> tuple[str, list[tuple[int, Result]]]:
    """Analyse one chunk of (input position, item) in this worker; the gazetteer is the worker's."""
    from geo.pipeline import analyse_item

    gz = _gazetteer()
    return gz.version, [(seq, analyse_item(item, gz)) for seq, item in chunk]


def _plugin_class():
    """``GazetteerPlugin``, made on first use: importing ``distributed`` costs about a second of
    CPU, which neither a local worker process (it imports this module for ``run_chunk``) nor a
    one-process build should pay."""
    try:  # a Dask worker plugin, when distributed is installed
        from distributed.diagnostics.plugin import WorkerPlugin as base
    except ImportError:  # pragma: no cover - dask is optional
        base = object

    class GazetteerPlugin(base):
        """Opens the gazetteer once in each Dask worker process as it starts (or joins later)."""

        name = "movemap-gazetteer"

        def __init__(self, factory: Callable | None = None):
            self.factory = factory

        def setup(self, worker=None):
            global _worker_factory
            _worker_factory = self.factory
            _gazetteer()

    GazetteerPlugin.__qualname__ = "GazetteerPlugin"  # pickled by name: geo.parallel.GazetteerPlugin
    return GazetteerPlugin


def __getattr__(name: str):
    if name == "GazetteerPlugin":
        cls = globals()["GazetteerPlugin"] = _plugin_class()  # later look-ups find it directly
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------- parent side
def _chunks(items: Iterable, size: int, chars: int, prepare=None) -> Iterator[list[tuple[int, object]]]:
    chunk: list[tuple[int, object]] = []
    weight = 0
    for seq, item in enumerate(items):
        if prepare is not None:
            item = prepare(item)
        chunk.append((seq, item))
        weight += len(getattr(item, "text", None) or getattr(item, "data", None) or b"")
        if len(chunk) >= size or weight >= chars:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def _check_version(version: str, expected: str | None, where: str) -> None:
    if expected is not None and version != expected:
        raise GazetteerError(f"{where} uses gazetteer version {version!r}, this machine {expected!r}: "
                             "every worker needs the same gazetteer (see README, 'Running at scale')")


def map_inline(items: Iterable, gazetteer) -> Iterator[tuple[int, Result]]:
    from geo.pipeline import analyse_item

    for seq, item in enumerate(items):
        yield seq, analyse_item(item, gazetteer)


def start_local(jobs: int, factory: Callable | None = None) -> ProcessPoolExecutor:
    """A pool of ``jobs`` local worker processes (spawned: nothing of this process is shared),
    started now. Each takes about a second to import movemap and open its gazetteer; a caller
    that starts them first (``movemap build --jobs N``) lets that overlap its own start-up."""
    import multiprocessing

    ex = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_init_local_worker, initargs=(factory,))
    for _ in range(jobs):
        ex.submit(os.getpid)  # each task that finds no idle worker starts one, up to ``jobs``
    return ex


def map_local(items: Iterable, jobs: int, factory: Callable | None = None, expected_version: str | None = None,
              chunk_size: int = CHUNK_DOCS, executor: ProcessPoolExecutor | None = None
              ) -> Iterator[tuple[int, Result]]:
    """The map step in ``jobs`` local processes, or in those of ``executor`` (from
    ``start_local``; shut down at the end like a pool made here)."""
    ex = executor if executor is not None else start_local(jobs, factory)
    window = 2 * jobs + 1
    clean = False
    try:
        chunks = _chunks(items, chunk_size, CHUNK_CHARS)
        pending: set = set()
        more = True
        while True:
            while more and len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    more = False
                else:
                    pending.add(ex.submit(run_chunk, chunk))
            if not pending:
                break
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=id):
                try:
                    version, results = fut.result()
                except BrokenProcessPool as exc:
                    raise MovemapError(f"a worker process died ({exc}); out of memory? Try fewer --jobs") from None
                _check_version(version, expected_version, "a worker process")
                yield from results
        clean = True
    finally:
        if not clean:
            stop_local(ex)
        ex.shutdown(wait=True, cancel_futures=True)


def stop_local(ex: ProcessPoolExecutor) -> None:
    """Stop the worker processes now (on Ctrl-C or an error), not after their current chunk."""
    procs = list((getattr(ex, "_processes", None) or {}).values())
    ex.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
    for p in procs:
        try:
            p.join(timeout=5)
        except Exception:  # noqa: BLE001
            pass


def dask_client(address: str, workers: int | None = None):
    """A client for ``address`` (``tcp://host:8786``, a scheduler file path) or, for ``local``,
    for a new ``LocalCluster`` of ``workers`` single-threaded worker processes; returns
    (client, cluster or None)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise MovemapError("--dask needs dask.distributed: pip install 'movemap[dask]'") from None
    if address == "local":
        import warnings

        with warnings.catch_warnings():
            # No dashboard; the scheduler's health endpoint just takes another port if 8787 is busy.
            warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        return Client(cluster), cluster
    try:
        if address.endswith(".json") and os.path.isfile(address):
            return Client(scheduler_file=address), None
        return Client(address, timeout="30s"), None
    except OSError as exc:
        raise MovemapError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def map_dask(items: Iterable, client, factory: Callable | None = None, expected_version: str | None = None,
             chunk_size: int = CHUNK_DOCS) -> Iterator[tuple[int, Result]]:
    """The map step as Dask futures, one per chunk, a bounded number in flight.

    File contents are read here and sent with the tasks, so workers need not see this
    machine's files; they need movemap installed and the same gazetteer."""
    from distributed import as_completed

    from geo.read import Source

    import geo.parallel as here

    client.register_plugin(here.GazetteerPlugin(factory), name=here.GazetteerPlugin.name)
    threads = sum(client.nthreads().values()) or 1
    window = 2 * threads + 1

    def prepare(item):
        return item.with_data() if isinstance(item, Source) else item

    chunks = _chunks(items, chunk_size, CHUNK_CHARS, prepare)
    running = as_completed()
    n = 0
    more = True
    clean = False

    def submit() -> bool:
        nonlocal n
        chunk = next(chunks, None)
        if chunk is None:
            return False
        running.add(client.submit(run_chunk, chunk, pure=False))
        n += 1
        return True

    try:
        while more and running.count() < window:
            more = submit()
        for fut in running:
            version, results = fut.result()
            fut.release()
            _check_version(version, expected_version, "a Dask worker")
            yield from results
            if more:
                more = submit()
        clean = True
    finally:
        if not clean:
            for fut in list(running.futures):
                fut.cancel()


def map_results(items: Iterable, gazetteer, *, jobs: int = 1, client=None,
                factory: Callable | None = None, executor: ProcessPoolExecutor | None = None
                ) -> Iterator[tuple[int, Result]]:
    """(input position, compact analysis or error status) for every item, in completion order."""
    expected = gazetteer.version if gazetteer is not None else None
    if client is not None:
        return map_dask(items, client, factory, expected)
    if jobs > 1 or executor is not None:
        return map_local(items, jobs, factory, expected, executor=executor)
    if gazetteer is None:
        gazetteer = (factory or default_factory)()
    return map_inline(items, gazetteer)


def build_parallel(items: Iterable, gazetteer, title: str | None = None, *, jobs: int = 1, client=None,
                   factory: Callable | None = None,
                   on_result: Callable[[Result], None] | None = None,
                   on_mapped: Callable[[], None] | None = None,
                   executor: ProcessPoolExecutor | None = None) -> Route:
    """``geo.pipeline.build`` with the map step in ``jobs`` processes or on a Dask ``client``.

    ``gazetteer`` is this process's (its version goes in the outputs and every worker's must
    match); ``factory`` opens a worker's (default ``gazetteer.default_gazetteer``; it must be
    picklable, e.g. a module-level function); ``executor``, local worker processes already
    started (``start_local``), is used instead of starting ``jobs`` of them.
    """
    from geo.pipeline import RouteMerger

    merger = RouteMerger(title, gazetteer.version)
    with closing(map_results(items, gazetteer, jobs=jobs, client=client, factory=factory,
                             executor=executor)) as results:
        for seq, result in results:
            merger.add(result, seq)
            if on_result:
                on_result(result)
    if on_mapped:
        on_mapped()  # every article analysed; what is left is chaining the events into legs
    return merger.route()


__all__ = ["GazetteerPlugin", "build_parallel", "dask_client", "map_dask", "map_local", "map_results", "run_chunk",
           "start_local", "stop_local"]
