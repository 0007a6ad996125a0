"""Geoparsing speed and quality on LGL (../shared/data/geoparse-dev/lgl.jsonl).

Speed: articles per second on one core for ``movemap geoparse`` (recognition + resolution,
in process, warm gazetteer) next to a plain Aho-Corasick scan (pyahocorasick) of the same
texts for every gazetteer name, measured in the same run; the automaton's build time is
reported apart and not counted.  Quality: runs ``score_geoparse.py`` on the end-to-end and
the given-spans output unless ``--speed-only``.

    python bench/bench_geoparse.py [SHARED_DIR] [--speed-only] [--repeat N]

The corpus is read from the shared folder, never copied into the repository.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def one_core() -> None:
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    except (AttributeError, OSError):
        pass


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    shared = Path(next((a for a in argv if not a.startswith("--")), ROOT.parent / "shared"))
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    corpus = shared / "data" / "geoparse-dev" / "lgl.jsonl"
    if not corpus.is_file():
        print(f"bench_geoparse: {corpus} not found", file=sys.stderr)
        return 2
    one_core()
    with open(corpus, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    texts = [d["text"] for d in docs]

    from gazetteer.store import Gazetteer
    from geo.geoparse import geoparse_record

    gz = Gazetteer(quiet=False)
    geoparse_record({"doc_id": "warm", "text": "Warm up in Paris, Texas."}, gz)
    # Aho-Corasick over every gazetteer name key, on the lowercased texts.
    import ahocorasick

    t0 = time.perf_counter()
    auto = ahocorasick.Automaton()
    con = sqlite3.connect(f"file:{gz.path}?mode=ro", uri=True)
    for (key,) in con.execute("SELECT DISTINCT key FROM names"):
        auto.add_word(key, len(key))
    con.close()
    auto.make_automaton()
    build_s = time.perf_counter() - t0

    def ac_scan():
        hits = 0
        for t in texts:
            low = t.lower()
            n = len(low)
            for end, length in auto.iter(low):
                s = end - length + 1
                if (s == 0 or not low[s - 1].isalnum()) and (end + 1 == n or not low[end + 1].isalnum()):
                    hits += 1
        return hits

    def geoparse_all():
        return sum(len(geoparse_record({"doc_id": d["doc_id"], "text": d["text"]}, gz)["toponyms"]) for d in docs)

    best = {}
    for name, fn in (("aho-corasick scan", ac_scan), ("movemap geoparse", geoparse_all)):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t0)
        best[name] = (min(times), out)
    print(f"LGL: {len(docs)} articles, {sum(map(len, texts)) / len(texts):.0f} characters on average; one core")
    print(f"automaton: {len(auto):,} gazetteer names, built in {build_s:.1f} s (not counted)")
    for name, (t, out) in best.items():
        print(f"{name:20s} {len(docs) / t:8.1f} articles/s  ({t:.2f} s, {out} matches/toponyms)")
    ratio = best["aho-corasick scan"][0] / best["movemap geoparse"][0]
    print(f"geoparse speed / Aho-Corasick speed = {ratio:.3f} "
          f"(geoparse takes {1 / ratio:.1f}x the time of the plain scan)")
    if "--speed-only" in argv:
        return 0
    score = shared / "tools" / "score_geoparse.py"
    with tempfile.TemporaryDirectory() as tmp:
        for label, extra in (("end to end", []), ("given spans", ["--given-spans"])):
            out = Path(tmp) / "pred.jsonl"
            subprocess.run([sys.executable, "-m", "movemap.cli", "geoparse", str(corpus), "--out", str(out), *extra],
                           check=True, cwd=ROOT)
            res = subprocess.run([sys.executable, str(score), str(corpus), str(out)], capture_output=True, text=True,
                                 check=True)
            print(f"{label:12s} {res.stdout.strip().splitlines()[-1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
