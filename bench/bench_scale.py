"""Scale benchmark: articles/s and peak memory of `movemap build` on a synthetic news archive.

    python bench/bench_scale.py                       # the full run (see --help for smaller ones)
    python bench/bench_scale.py --throughput-docs 600 --memory-sizes 2000,10000 --memory-modes jobs2

The corpus is synthetic but shaped like the real thing: articles of 3-5 KB (JSON Lines, one
article a line, ``{"doc_id", "text", "published", "title", "outlet"}``), about a third reporting
movements between real places ("Troops were moved from {A} to {B} on {date}.", convoys, ships,
arrivals) among filler sentences that name places without movement (statements, weather,
markets), the rest filler only. Generation is deterministic (seeded).

What it measures, each in a fresh `movemap build ... --quiet` process:
- throughput: articles/s with 1 process, ``--jobs 2`` and ``--dask local --jobs 2`` (a Dask
  LocalCluster of two single-threaded worker processes, started by the command), on the same
  corpus; the three outputs are checked to be byte-identical;
- memory: peak RSS of the whole process tree (the command, its worker processes, the Dask
  scheduler and nanny/worker processes), sampled with psutil every 0.2 s, for two corpus sizes.
  Workers keep nothing between chunks, so their RSS is flat; the parent keeps the merged route.
- the merge alone: ``RouteMerger`` and ``build_route`` on analyses of the throughput corpus
  replicated to the memory sizes (to separate reduce cost from map cost).
Results are printed and written to bench/out/bench_scale.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLACES = [
    "Kursk", "Voronezh", "Belgorod", "Rostov-on-Don", "Vladivostok", "Khabarovsk", "Novosibirsk", "Kazan",
    "Samara", "Warsaw", "Krakow", "Lviv", "Odesa", "Kharkiv", "Dnipro", "Berlin", "Hamburg", "Munich",
    "Lyon", "Marseille", "Madrid", "Barcelona", "Milan", "Naples", "Vienna", "Prague", "Budapest",
    "Bucharest", "Sofia", "Athens", "Istanbul", "Ankara", "Alexandria", "Tunis", "Casablanca", "Lagos",
    "Nairobi", "Mombasa", "Mumbai", "Chennai", "Karachi", "Lahore", "Dhaka", "Bangkok", "Hanoi", "Manila",
    "Surabaya", "Busan", "Osaka", "Shanghai", "Guangzhou", "Melbourne", "Toronto", "Montreal", "Chicago",
    "Houston", "Denver", "Seattle", "Lima", "Santiago", "Recife", "Rotterdam", "Gdansk", "Riga", "Tallinn",
]
COUNTRIES = ["Russia", "Ukraine", "Poland", "Germany", "France", "Turkey", "Egypt", "Kenya", "India", "Japan",
             "Brazil", "Canada", "Spain", "Italy", "Romania"]
OUTLETS = ["Daily Wire Service", "The Evening Post", "Global Desk", "Harbour Herald", "Continental Times"]
UNITS = ["troops", "soldiers", "marines", "engineers", "paratroopers", "reservists"]
MOVES = [
    "{Unit} were moved from {A} to {B} on {date}.",
    "About {n} {unit} were transported from {A} to {B} by train on {date}.",
    "A convoy of {n} trucks left {A} for {B} on {date}, officials said.",
    "The landing ship sailed from {A} to {B} between {d1} and {d2}.",
    "{n} {unit} arrived in {B} from {A} on {date}.",
    "On {date}, a column of armoured vehicles was seen heading from {A} toward {B}.",
    "The battalion was redeployed from {A} to {B} in late {month}.",
    "{Unit} stationed in {A} were sent to {B} on {date}, according to the ministry.",
]
FILLER = [
    "The ministry said in a statement that talks would continue next week.",
    "Officials in {C} declined to comment on the reports.",
    "Prices of grain rose sharply in {C} last week, traders said.",
    "The weather in {C} remained cold, with snow expected over the weekend.",
    "Analysts cautioned that the figures could not be independently verified.",
    "Residents of {C} described long queues at petrol stations.",
    "The foreign minister of {K} met his counterpart in {C} on Tuesday.",
    "Markets in {C} closed slightly higher after a volatile session.",
    "A spokesperson for the government of {K} said the situation was under control.",
    "Local media in {C} reported power cuts in several districts.",
    "The report, published by a think tank based in {C}, runs to more than 80 pages.",
    "Diplomats said the meeting had been planned for months.",
    "The company, headquartered in {C}, said exports to {K} fell by a fifth.",
    "Earlier this year, the parliament of {K} passed a law on military service.",
    "Satellite images reviewed by reporters appear to show new construction near {C}.",
    "The statement did not say how many people were involved.",
    "Schools in {C} reopened after a two-week closure.",
    "Farmers near {C} said the harvest was the worst in a decade.",
]


def _article(rng: random.Random, i: int, movement: bool) -> dict:
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 365))
    sentences = []
    target = rng.randrange(3000, 5000)
    size = 0
    moves_left = rng.randrange(2, 5) if movement else 0
    while size < target:
        if moves_left and rng.random() < 0.25:
            a, b = rng.sample(PLACES, 2)
            d = published - timedelta(days=rng.randrange(1, 20))
            d2 = d + timedelta(days=rng.randrange(1, 5))
            unit = rng.choice(UNITS)
            s = rng.choice(MOVES).format(
                A=a, B=b, unit=unit, Unit=unit.capitalize(), n=rng.randrange(2, 40) * 50,
                date=f"{d:%B} {d.day}", d1=f"{d.day} {d:%B}", d2=f"{d2.day} {d2:%B}", month=f"{d:%B}")
            moves_left -= 1
        else:
            s = rng.choice(FILLER).format(C=rng.choice(PLACES), K=rng.choice(COUNTRIES))
        sentences.append(s)
        size += len(s) + 1
    paragraphs = [" ".join(sentences[k:k + 4]) for k in range(0, len(sentences), 4)]
    title = f"Report {i}: {'movements near ' + rng.choice(PLACES) if movement else 'news from ' + rng.choice(PLACES)}"
    return {"doc_id": f"a{i:07d}", "text": title + "\n\n" + "\n\n".join(paragraphs), "published": published.isoformat(),
            "title": title, "outlet": rng.choice(OUTLETS)}


def write_corpus(path: Path, n: int, seed: int = 9) -> Path:
    """``n`` synthetic articles as JSON Lines (gzipped if ``path`` ends with .gz)."""
    rng = random.Random(seed)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(_article(rng, i, rng.random() < 0.35), ensure_ascii=False) + "\n")
    return path


# ---------------------------------------------------------------- measuring
def _tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _workers(proc) -> list:
    """The command's worker processes (spawned; not multiprocessing's resource tracker)."""
    import psutil

    out = []
    try:
        for p in proc.children(recursive=True):
            try:
                if "spawn_main" in " ".join(p.cmdline()):
                    out.append(p)
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return out


def run_build(corpus: Path, out: Path, mode: str) -> dict:
    """One `movemap build` in a fresh process; wall time and the process tree's peak RSS."""
    import psutil

    extra = {"one": [], "jobs2": ["--jobs", "2"], "dask2": ["--dask", "local", "--jobs", "2"]}[mode]
    cmd = [sys.executable, "-m", "movemap.cli", "build", str(corpus), "--out", str(out), "--quiet", *extra]
    import resource

    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = {"tree": 0, "parent": 0, "parent_map": 0, "map_end": None}
    worker_cpu: dict[int, float] = {}
    stop = threading.Event()

    progress = out.parent / f"progress-{out.name}.json"
    last_note = [time.perf_counter()]

    def note():
        # the peaks so far, every 10 s: a run stopped early still tells how far it got
        if time.perf_counter() - last_note[0] >= 10:
            last_note[0] = time.perf_counter()
            try:
                progress.write_text(json.dumps({"elapsed_s": round(last_note[0] - t0, 1),
                                                "peak_rss_tree_mb": round(peak["tree"] / 2**20, 1),
                                                "peak_rss_parent_mb": round(peak["parent"] / 2**20, 1),
                                                "peak_rss_parent_map_mb": round(peak["parent_map"] / 2**20, 1)}))
            except OSError:
                pass

    def sample():
        while not stop.is_set():
            note()
            peak["tree"] = max(peak["tree"], _tree_rss(proc))
            try:
                rss = proc.memory_info().rss
                peak["parent"] = max(peak["parent"], rss)
                workers = _workers(proc) if mode != "one" else []
                if workers:
                    # Worker processes alive: the map step (reading, analysing, merging as results come).
                    peak["parent_map"] = max(peak["parent_map"], rss)
                    peak["map_end"] = time.perf_counter()
                for w in workers:
                    try:
                        t = w.cpu_times()
                        worker_cpu[w.pid] = t.user + t.system
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            stop.wait(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out_b, err_b = proc.communicate()
    stop.set()
    th.join()
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err_b.decode()[-2000:]}")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {"mode": mode, "docs": report["counts"]["documents"], "ok": report["counts"]["documents_ok"],
            "legs": report["counts"]["legs"], "places": report["counts"]["places"], "wall_s": round(wall, 2),
            "docs_per_s": round(report["counts"]["documents"] / wall, 1), "cpu_s": round(cpu, 1),
            "docs_per_cpu_s": round(report["counts"]["documents"] / max(cpu, 0.01), 1),
            "peak_rss_tree_mb": round(peak["tree"] / 2**20, 1), "peak_rss_parent_mb": round(peak["parent"] / 2**20, 1),
            # parallel modes: the parent's peak while workers ran (before the route is built and written),
            # and the time spent after the workers stopped (build_route + writing the outputs)
            "peak_rss_parent_map_mb": round(peak["parent_map"] / 2**20, 1) if peak["parent_map"] else None,
            "after_map_s": round(t0 + wall - peak["map_end"], 1) if peak["map_end"] else None,
            # CPU seconds of each worker process (dask: the nannies' and workers'): the balance of the map step
            "worker_cpu_s": sorted(round(v, 1) for v in worker_cpu.values())}


def startup_cost(mode: str, tmp: Path) -> float:
    """Wall time of the same command on a 1-article corpus: interpreter, gazetteer, workers, writing."""
    corpus = write_corpus(tmp / "one.jsonl", 1, seed=1)
    return run_build(corpus, tmp / f"start-{mode}", mode)["wall_s"]


def merge_only(corpus: Path, sizes: list[int], work: Path | None = None) -> list[dict]:
    """The reduce step alone, each size in a fresh process (``--merge-child``): analyses of
    ``corpus`` replicated (new doc ids) to the size, merged, the route built and every output
    written; the process's peak RSS above what it held before the merge (the gazetteer and
    the 200 analyses), during the merge, the route building and the writing."""
    rows = []
    for n in sizes:
        out = Path(work or tempfile.mkdtemp(prefix="movemap-merge-")) / f"out-merge-{n}"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--merge-child", str(n), "--merge-corpus", str(corpus),
               "--merge-out", str(out)]
        res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(f"merge-only {n} failed: {res.stderr[-2000:]}")
        rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return rows


def _merge_child(n: int, corpus: Path, out: Path) -> dict:
    from dataclasses import replace

    import psutil

    from gazetteer import default_gazetteer
    from geo.pipeline import RouteMerger, analyse_item
    from geo.read import iter_sources
    from maps import write_outputs

    gz = default_gazetteer()
    base = [analyse_item(s, gz) for s, _ in zip(iter_sources([str(corpus)]), range(200))]
    proc = psutil.Process()
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            stop.wait(0.05)

    def phase() -> float:
        v = max(peak[0], proc.memory_info().rss)
        peak[0] = 0
        return round(v / 2**20, 1)

    import gc

    gc.collect()
    rss0 = proc.memory_info().rss
    threading.Thread(target=sample, daemon=True).start()
    merger = RouteMerger(None, gz.version)
    t0 = time.perf_counter()
    for k in range(n):
        a = base[k % len(base)]
        doc_id = f"r{k:07d}"
        meta = replace(a.meta, id=doc_id)
        status = replace(a.status, id=doc_id)
        events = tuple(replace(e, document=doc_id, evidence=tuple(replace(v, document=doc_id) for v in e.evidence))
                       for e in a.events)
        mentions = tuple(replace(m, document=doc_id) for m in a.mentions)
        ev = tuple(((doc_id, key[1], key[2]), replace(v, document=doc_id)) for key, v in a.place_evidence)
        merger.add(replace(a, meta=meta, status=status, events=events, mentions=mentions, place_evidence=ev))
    t_add = time.perf_counter() - t0
    peak_add = phase()
    t0 = time.perf_counter()
    route = merger.route()
    t_route = time.perf_counter() - t0
    peak_route = phase()
    del merger
    t0 = time.perf_counter()
    write_outputs(route, out)
    t_write = time.perf_counter() - t0
    peak_write = phase()
    stop.set()
    mb0 = round(rss0 / 2**20, 1)
    sizes = {p.name: round(p.stat().st_size / 2**20, 1) for p in sorted(out.iterdir())}
    return {"docs": n, "add_s": round(t_add, 2), "route_s": round(t_route, 2), "write_s": round(t_write, 1),
            "legs": len(route.legs), "places": len(route.places), "rss_before_mb": mb0,
            "peak_add_mb": peak_add, "peak_route_mb": peak_route, "peak_write_mb": peak_write,
            "peak_above_before_mb": round(max(peak_add, peak_route, peak_write) - mb0, 1),
            "output_mb": sizes}


def _ratios(rows: list[dict], keys: tuple[str, ...], size_key: str = "docs") -> dict:
    """Largest size over smallest: how much each figure grew with the corpus."""
    rows = [r for r in rows if all(r.get(k) for k in keys)]
    if len(rows) < 2:
        return {}
    lo, hi = min(rows, key=lambda r: r[size_key]), max(rows, key=lambda r: r[size_key])
    out = {"sizes": [lo[size_key], hi[size_key]]}
    for k in keys:
        out[k] = round(hi[k] / lo[k], 2)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--throughput-docs", type=int, default=600, help="corpus size for the articles/s comparison")
    ap.add_argument("--modes", default="one,jobs2,dask2", help="modes for the throughput run")
    ap.add_argument("--repeat", type=int, default=2, help="throughput runs per mode (the fastest counts)")
    ap.add_argument("--memory-sizes", default="10000,30000,100000", help="corpus sizes for peak RSS")
    ap.add_argument("--memory-modes", default="jobs2", help="modes for the memory runs")
    ap.add_argument("--merge-sizes", default="10000,30000,100000", help="sizes for the merge-only measurement")
    ap.add_argument("--work", default=None, help="folder for corpora and outputs (default: a temp folder)")
    ap.add_argument("--json", default=str(ROOT / "bench" / "out" / "bench_scale.json"))
    ap.add_argument("--merge-child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--merge-corpus", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--merge-out", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.merge_child is not None:
        print(json.dumps(_merge_child(args.merge_child, Path(args.merge_corpus), Path(args.merge_out))))
        return 0
    work = Path(args.work or tempfile.mkdtemp(prefix="movemap-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"cpus": os.cpu_count()}, "throughput": [], "memory": [], "merge_only": [],
                     "startup_s": {}}

    def save():
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    modes = [m for m in args.modes.split(",") if m]
    if args.throughput_docs:
        corpus = write_corpus(work / f"corpus-{args.throughput_docs}.jsonl", args.throughput_docs)
        print(f"corpus: {args.throughput_docs} articles, {corpus.stat().st_size / 2**20:.1f} MB", flush=True)
        outs = {}
        for mode in modes:
            results["startup_s"][mode] = startup_cost(mode, work)
            outs[mode] = work / f"out-{mode}"
            # The fastest of --repeat runs: other load on the machine only ever slows a run down.
            r = min((run_build(corpus, outs[mode], mode) for _ in range(args.repeat)), key=lambda x: x["wall_s"])
            r["docs_per_s_excl_startup"] = round(r["docs"] / max(0.01, r["wall_s"] - results["startup_s"][mode]), 1)
            results["throughput"].append(r)
            print(json.dumps(r), flush=True)
            save()
        names = ("route.geojson", "route.html", "report.json", "legs.csv", "places.csv", "route.kml")
        same = all((outs[modes[0]] / n).read_bytes() == (outs[m] / n).read_bytes() for m in modes[1:] for n in names)
        results["identical_outputs"] = same
        print(f"outputs byte-identical across {', '.join(modes)}: {same}", flush=True)
        one = next((r for r in results["throughput"] if r["mode"] == "one"), None)
        for r in results["throughput"]:
            if one:
                r["speedup"] = round(r["docs_per_s_excl_startup"] / one["docs_per_s_excl_startup"], 2)
        save()
    merge_sizes = [int(x) for x in args.merge_sizes.split(",") if x]
    if merge_sizes:
        for n in merge_sizes:
            row = merge_only(write_corpus(work / "corpus-merge.jsonl", 200), [n], work)[0]
            results["merge_only"].append(row)
            print(json.dumps(row), flush=True)
            results["merge_only_ratio"] = _ratios(results["merge_only"], ("peak_above_before_mb",))
            save()
    for n in [int(x) for x in args.memory_sizes.split(",") if x]:
        corpus = work / f"corpus-{n}.jsonl.gz"
        if not corpus.exists():  # deterministic: a corpus left in --work is the same corpus
            write_corpus(work / f"corpus-{n}.part.jsonl.gz", n).rename(corpus)
        for mode in [m for m in args.memory_modes.split(",") if m]:
            r = run_build(corpus, work / f"out-mem-{mode}-{n}", mode)
            results["memory"].append(r)
            print(json.dumps(r), flush=True)
            results["memory_ratio"] = {
                m: _ratios([x for x in results["memory"] if x["mode"] == m],
                           ("peak_rss_tree_mb", "peak_rss_parent_mb", "peak_rss_parent_map_mb"))
                for m in {x["mode"] for x in results["memory"]}}
            save()
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
