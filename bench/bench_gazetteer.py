"""Benchmark the gazetteer: CLI cold start, full build, batch lookups, centroid choice.

    python bench/bench_gazetteer.py [--runs 7] [--skip-build]

* cold start of ``movemap geocode Vladivostok`` (a fresh interpreter each run, database
  already built) against baselines measured in the same run (``python -c pass`` and
  ``python -c "import geopy"``): wall time (median of runs) and peak RSS (per child via
  ``os.wait4``).  Targets: < 0.5 s and < 300 MB.
* full database build into a temporary folder (target < 60 s);
* ``lookup_keys`` throughput (keys per second; half of them misses);
* region centroid method: for the Natural Earth countries, distance from the unweighted
  and the population-weighted mean of cities500 places to the polygon's visual centre.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_WALL_S = 0.5
TARGET_RSS_MB = 300


def run_child(argv: list[str], env: dict) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB, exit code) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = ru.ru_maxrss / 1024 if sys.platform != "darwin" else ru.ru_maxrss / 1024 / 1024
    return wall, rss_mb, proc.returncode


def measure(label: str, argv: list[str], env: dict, runs: int) -> dict:
    run_child(argv, env)  # warm the OS file cache: "cold" means a fresh interpreter, not a cold disk
    walls, rss, rc = [], [], 0
    for _ in range(runs):
        w, r, rc = run_child(argv, env)
        walls.append(w)
        rss.append(r)
    res = {"label": label, "wall_median_s": statistics.median(walls), "wall_min_s": min(walls),
           "rss_max_mb": max(rss), "exit_code": rc}
    print(f"  {label:42} median {res['wall_median_s']:.3f} s  min {res['wall_min_s']:.3f} s  "
          f"peak RSS {res['rss_max_mb']:.1f} MB  rc={rc}")
    return res


def geocode_command() -> list[str]:
    """`movemap geocode` through the main CLI if the lead has wired it, else standalone."""
    try:
        import movemap.cli  # noqa: F401

        return [sys.executable, "-m", "movemap.cli", "geocode", "Vladivostok"]
    except Exception:
        return [sys.executable, "-m", "movemap.cli_gazetteer", "geocode", "Vladivostok"]


def bench_cold_start(runs: int) -> dict:
    from gazetteer.build import ensure_database

    ensure_database(quiet=False)  # the benchmark measures lookups, not the first build
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.setdefault("MOVEMAP_HOME", tempfile.mkdtemp(prefix="movemap-bench-home-"))
    print("cold start (fresh interpreter per run):")
    base = measure("python -c pass", [sys.executable, "-c", "pass"], env, runs)
    geopy = measure('python -c "import geopy"', [sys.executable, "-c", "import geopy"], env, runs)
    cmd = geocode_command()
    geo = measure(" ".join(["movemap"] + cmd[3:]) + f"  [{cmd[2]}]", cmd, env, runs)
    print(f"  ratio vs python -c pass:   wall x{geo['wall_median_s'] / base['wall_median_s']:.1f}, "
          f"RSS x{geo['rss_max_mb'] / base['rss_max_mb']:.1f}")
    print(f"  ratio vs import geopy:     wall x{geo['wall_median_s'] / geopy['wall_median_s']:.2f}, "
          f"RSS x{geo['rss_max_mb'] / geopy['rss_max_mb']:.2f}")
    ok = geo["wall_median_s"] < TARGET_WALL_S and geo["rss_max_mb"] < TARGET_RSS_MB and geo["exit_code"] == 0
    print(f"  target < {TARGET_WALL_S} s and < {TARGET_RSS_MB} MB: {'OK' if ok else 'MISSED'}")
    return {"baseline": base, "import_geopy": geopy, "geocode": geo, "ok": ok}


def bench_build() -> dict:
    from gazetteer.build import build_database

    d = tempfile.mkdtemp(prefix="movemap-bench-build-")
    try:
        t = time.perf_counter()
        stats = build_database(Path(d) / "g.sqlite", quiet=True)
        dt = time.perf_counter() - t
        size = (Path(d) / "g.sqlite").stat().st_size / 1e6
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print(f"full build: {dt:.1f} s ({stats['places']} places, {stats['names']} name keys, {size:.0f} MB)"
          f"  target < 60 s: {'OK' if dt < 60 else 'MISSED'}")
    return {"seconds": dt, "places": stats["places"], "names": stats["names"], "size_mb": size}


def bench_lookup_keys(n: int = 20000) -> dict:
    import sqlite3

    from gazetteer import LocalGazetteer

    g = LocalGazetteer(user_path=Path(tempfile.mkdtemp()) / "u.sqlite")
    con = sqlite3.connect(g.path)
    hits = [k for (k,) in con.execute("SELECT DISTINCT key FROM names LIMIT ? OFFSET 1000", (n // 2,))]
    con.close()
    keys = hits + [f"no such place {i}" for i in range(n - len(hits))]
    g.lookup_keys(keys[:10])  # open the database
    cold = time.perf_counter()
    g.lookup_keys(keys)
    dt_cold = time.perf_counter() - cold
    warm = time.perf_counter()
    g.lookup_keys(keys)
    dt_warm = time.perf_counter() - warm
    print(f"lookup_keys: {len(keys)} keys ({len(hits)} hits): {len(keys) / dt_cold:,.0f} keys/s first pass, "
          f"{len(keys) / dt_warm:,.0f} keys/s with warm Place cache")
    return {"keys": len(keys), "keys_per_s_first": len(keys) / dt_cold, "keys_per_s_warm": len(keys) / dt_warm}


def centroid_check() -> dict:
    """Which city mean approximates an area's centre better: unweighted or population-weighted?"""
    from gazetteer.build import _mean_point, _unit, _visual_centre, default_sources
    from gazetteer.store import haversine_km

    src = default_sources()
    cities = json.load(open(src["cities"], encoding="utf-8"))
    ne = json.load(open(src["ne_countries"], encoding="utf-8"))
    acc: dict[str, list] = {}
    for r in cities.values():
        v = _unit(float(r["latitude"]), float(r["longitude"]))
        w = max(int(r.get("population") or 0), 1)
        a = acc.setdefault(r["countrycode"], [[0.0] * 3, 0, [0.0] * 3, 0])
        for i in range(3):
            a[0][i] += v[i]
            a[2][i] += v[i] * w
        a[1] += 1
        a[3] += w
    plain, weighted = [], []
    for f in ne["features"]:
        cc = f["properties"].get("ISO_A2")
        if cc not in acc or acc[cc][1] < 5:
            continue
        lat, lon = _visual_centre(f["geometry"])
        a = acc[cc]
        plain.append(haversine_km(lat, lon, *_mean_point(tuple(a[0]), a[1])))
        weighted.append(haversine_km(lat, lon, *_mean_point(tuple(a[2]), a[3])))
    better = sum(p < w for p, w in zip(plain, weighted))
    print(f"centroid check ({len(plain)} countries, distance to the polygon's visual centre): "
          f"unweighted median {statistics.median(plain):.0f} km, population-weighted median "
          f"{statistics.median(weighted):.0f} km; unweighted closer for {better}/{len(plain)}")
    return {"countries": len(plain), "unweighted_median_km": statistics.median(plain),
            "weighted_median_km": statistics.median(weighted), "unweighted_better": better}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--skip-build", action="store_true", help="skip the full build timing (~30 s)")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    out = {"cold_start": bench_cold_start(args.runs)}
    out["lookup_keys"] = bench_lookup_keys()
    out["centroid"] = centroid_check()
    if not args.skip_build:
        out["build"] = bench_build()
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    return 0 if out["cold_start"]["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
