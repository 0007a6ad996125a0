"""Benchmark: `movemap build` on the seeds, against a baseline measured in the same run.

The baseline is a Python process that only reads the same files (interpreter start-up plus I/O),
so the ratio shows what the pipeline itself costs. Figures are medians of several runs.

Usage: python bench/bench_build.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    seeds = ROOT / "seeds"
    with tempfile.TemporaryDirectory() as tmp:
        # warm the gazetteer (first use builds it)
        subprocess.run([sys.executable, "-m", "movemap.cli", "build", str(seeds), "--out", tmp, "--quiet"], check=True)
        baseline = timed([sys.executable, "-c",
                          f"import pathlib; [p.read_text() for p in sorted(pathlib.Path({str(seeds)!r}).glob('*'))]"],
                         args.runs)
        full = timed([sys.executable, "-m", "movemap.cli", "build", str(seeds), "--out", tmp, "--quiet"], args.runs)
        geojson = timed([sys.executable, "-m", "movemap.cli", "build", str(seeds), "--out", tmp, "--quiet",
                         "--formats", "geojson"], args.runs)
    print(f"baseline (read files)        {baseline:7.3f} s")
    print(f"build seeds, all formats     {full:7.3f} s   ratio {full / baseline:6.1f}x")
    print(f"build seeds, geojson only    {geojson:7.3f} s   ratio {geojson / baseline:6.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
