"""Temporal expressions: movemap's extractor vs a plain dateparser search, on TBAQ-cleaned.

Reads the TempEval-3 training corpus from ../shared/data/timex-dev/tbaq.jsonl (never copied
into this repository), runs both extractors over every document against its creation date,
scores them with ../shared/tools/score_timex.py and prints the scorer's figures (all types
and DATE) and the throughput (documents per second) of each, measured in the same run.

    python bench/bench_timex.py [--gold PATH] [--scorer PATH] [--errors N] [--no-baseline]
                                [--repeat N] [--pred-out PATH] [--check-fast]

Throughput is measured over whole passes of the corpus: wall clock and process CPU time of
the best of --repeat passes (CPU time is the steadier figure on a loaded machine). --check-fast
also checks that the fast candidate search (triggers, then patterns tried near them) finds
exactly what scanning the whole text with every pattern finds, document by document.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "data" / "timex-dev" / "tbaq.jsonl"
SCORER = SHARED / "tools" / "score_timex.py"


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_movemap(docs: list[dict], repeat: int = 1) -> tuple[list[dict], float, float]:
    """Predictions, and the best wall-clock and CPU seconds of ``repeat`` passes."""
    from geo.timex import tempeval

    args = [(d["doc_id"], d["text"], date.fromisoformat(d["dct"][:10])) for d in docs]
    best_wall = best_cpu = float("inf")
    out: list[dict] = []
    for _ in range(max(1, repeat)):
        t0, c0 = time.perf_counter(), time.process_time()
        out = [{"doc_id": doc_id, "timexes": tempeval(text, dct)} for doc_id, text, dct in args]
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return out, best_wall, best_cpu


def check_fast(docs: list[dict]) -> int:
    """Documents where the fast candidate search and the full scan disagree (printed)."""
    from geo.timex import RULES, _candidates, _candidates_full

    bad = 0
    for d in docs:
        fast = sorted((s, e, p) for s, e, p, _, _ in _candidates(d["text"]))
        full = sorted((s, e, p) for s, e, p, _, _ in _candidates_full(d["text"]))
        if fast != full:
            bad += 1
            missing = [(d["text"][s:e], RULES[p][0]) for s, e, p in sorted(set(full) - set(fast))]
            extra = [(d["text"][s:e], RULES[p][0]) for s, e, p in sorted(set(fast) - set(full))]
            print(f"  {d['doc_id']}: missing {missing[:5]} extra {extra[:5]}")
    return bad


def run_dateparser(docs: list[dict]) -> tuple[list[dict], float]:
    """The README's reference point: search_dates over the whole text, spans found forward."""
    from datetime import datetime

    from dateparser.search import search_dates

    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    out = []
    for d in docs:
        base = datetime.fromisoformat(d["dct"][:10])
        found = search_dates(d["text"], languages=["en"], settings={"RELATIVE_BASE": base}) or []
        pos, tx = 0, []
        for s, dt in found:
            i = d["text"].find(s, pos)
            if i < 0:
                continue
            pos = i + len(s)
            tx.append({"start": i, "end": i + len(s), "value": dt.date().isoformat(), "type": "DATE"})
        out.append({"doc_id": d["doc_id"], "timexes": tx})
    return out, time.perf_counter() - t0


def run_dateparser_on_spans(docs: list[dict]) -> tuple[list[dict], float]:
    """dateparser as a normaliser only: ``dateparser.parse`` on each span movemap finds,
    the day it returns as the value (type DATE), the span dropped when it parses nothing."""
    from datetime import datetime

    import dateparser

    from geo.timex import extract

    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    out = []
    for d in docs:
        base = datetime.fromisoformat(d["dct"][:10])
        tx = []
        for h in extract(d["text"], base.date()):
            dt = dateparser.parse(d["text"][h.start:h.end], languages=["en"],
                                  settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
            if dt is not None:
                tx.append({"start": h.start, "end": h.end, "value": dt.date().isoformat(), "type": "DATE"})
        out.append({"doc_id": d["doc_id"], "timexes": tx})
    return out, time.perf_counter() - t0


def score(gold: Path, scorer: Path, pred: list[dict], errors: int = 0) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for p in pred:
            f.write(json.dumps(p) + "\n")
        name = f.name
    try:
        cmd = [sys.executable, str(scorer), str(gold), name]
        if errors:
            cmd += ["--errors", str(errors)]
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    finally:
        Path(name).unlink(missing_ok=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--scorer", type=Path, default=SCORER)
    ap.add_argument("--errors", type=int, default=0, help="list up to N of movemap's errors")
    ap.add_argument("--no-baseline", action="store_true", help="skip the (slow) dateparser baseline")
    ap.add_argument("--pred-out", type=Path, help="also write movemap's predictions here")
    ap.add_argument("--repeat", type=int, default=1, help="time the best of N passes over the corpus")
    ap.add_argument("--check-fast", action="store_true", help="check the fast candidate search against the full scan")
    args = ap.parse_args()
    if not args.gold.exists() or not args.scorer.exists():
        print(f"bench_timex: needs {args.gold} and {args.scorer} (the team's shared folder)", file=sys.stderr)
        return 2
    docs = load(args.gold)
    print(f"TBAQ-cleaned: {len(docs)} documents, {sum(len(d['timexes']) for d in docs)} gold timexes")

    pred, secs, cpu = run_movemap(docs, args.repeat)
    if args.pred_out:
        args.pred_out.write_text("".join(json.dumps(p) + "\n" for p in pred), encoding="utf-8")
    print(f"\n== movemap geo.timex   {len(docs) / secs:8.1f} docs/s ({secs:.2f} s wall), "
          f"{len(docs) / cpu:8.1f} docs/s ({cpu:.2f} s CPU), best of {max(1, args.repeat)}")
    print(score(args.gold, args.scorer, pred, args.errors))
    if args.check_fast:
        bad = check_fast(docs)
        print(f"fast candidate search: {len(docs) - bad}/{len(docs)} documents as the full scan")
        if bad:
            return 1
    if not args.no_baseline:
        bpred, bsecs = run_dateparser(docs)
        print(f"== dateparser search_dates (baseline)   {len(docs) / bsecs:8.1f} docs/s ({bsecs:.2f} s)")
        print(score(args.gold, args.scorer, bpred))
        spred, ssecs = run_dateparser_on_spans(docs)
        print(f"== dateparser.parse on movemap's spans (normaliser only)   {len(docs) / ssecs:8.1f} docs/s ({ssecs:.2f} s)")
        print(score(args.gold, args.scorer, spred))
    return 0


if __name__ == "__main__":
    sys.exit(main())
