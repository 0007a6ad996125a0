"""Per-article analysis speed: articles/s on one core for the map step of `movemap build`.

    python bench/bench_analyse.py [--docs N] [--repeat R] [--seed S]

Runs ``geo.pipeline.analyse_document`` (place recognition and resolution, sentences, movement
events, and dates for the articles with a sentence that may claim a movement) in this process, with the gazetteer warm, on the synthetic 3-5 KB articles
of ``bench/bench_scale.py`` (same generator, so the same corpus as its throughput run), and
reports CPU time per article, articles/s, and the share of each stage.

Baseline, measured in the same run on the same texts: a plain scan that any analysis must at
least do -- split into sentences at ``[.!?]`` and find the capitalised words with one regex.
The ratio (analysis time / baseline time) says how many plain scans one analysis costs, a
figure that, unlike articles/s, does not depend on how fast or busy the machine is.
Each figure is the best of ``--repeat`` runs (CPU time, pinned to one core), the two taking turns.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CAPITALISED = re.compile(r"\b[A-Z][\w'-]*")


def one_core() -> None:
    try:
        import os

        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    except (AttributeError, OSError):
        pass


def corpus(n: int, seed: int) -> list:
    """``n`` synthetic articles as ``Document``s (bench_scale's generator and seeding)."""
    from bench_scale import _article

    from geo.model import Document

    rng = random.Random(seed)
    docs = []
    for i in range(n):
        a = _article(rng, i, rng.random() < 0.35)
        docs.append(Document(id=a["doc_id"], text=a["text"], published=date.fromisoformat(a["published"]),
                             title=a["title"], outlet=a["outlet"]))
    return docs


def baseline(docs) -> int:
    """The plain scan: sentences and capitalised words."""
    found = 0
    for d in docs:
        for sentence in _SENTENCE_END.split(d.text):
            found += len(_CAPITALISED.findall(sentence))
    return found


def best_cpu(fns, repeat: int) -> list[float]:
    """The least CPU time of each of ``fns`` over ``repeat`` rounds; the functions take turns
    within a round, so that a busy machine slows them alike and their ratio holds."""
    best = [math.inf] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0 = time.process_time()
            fn()
            best[i] = min(best[i], time.process_time() - t0)
    return best


def stages(docs, gazetteer) -> dict[str, float]:
    """CPU seconds of each stage of ``analyse_document`` over ``docs`` (the same calls)."""
    from geo.dates import find_timexes
    from geo.events import extract_events
    from geo.prominence import prefer_prominent
    from geo.resolve import resolve
    from geo.text import split_sentences
    from geo.toponyms import recognise

    spent = dict.fromkeys(("recognise", "resolve", "prominence", "sentences", "dates", "events"), 0.0)
    clock = time.process_time
    for d in docs:
        t0 = clock()
        spans = recognise(d.text, gazetteer)
        t1 = clock()
        mentions = resolve(d.id, d.text, spans)
        t2 = clock()
        mentions = prefer_prominent(d.text, mentions, spans)
        t3 = clock()
        sentences = split_sentences(d.text)
        t4 = clock()
        dating = [0.0]

        def timexes(d=d, dating=dating):  # as analyse_document: asked for only where a claim may be
            t = clock()
            found = find_timexes(d.text, d.published)
            dating[0] += clock() - t
            return found

        extract_events(d, sentences, mentions, timexes, gazetteer.country_place)
        t6 = clock()
        for name, dt in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, dating[0], t6 - t4 - dating[0])):
            spent[name] += dt
    return spent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=9, help="corpus seed (bench_scale's default)")
    args = ap.parse_args(argv)
    one_core()

    from gazetteer import default_gazetteer
    from geo.pipeline import analyse_document

    gz = default_gazetteer()
    docs = corpus(args.docs, args.seed)
    for d in docs[:20]:  # warm: gazetteer pages, memos, imports
        analyse_document(d, gz)
    failed = [d.id for d in docs if analyse_document(d, gz).status.status != "ok"]
    if failed:
        print(f"bench_analyse: {len(failed)} articles failed, e.g. {failed[0]}", file=sys.stderr)
        return 1

    t_base, t_analyse = best_cpu([lambda: baseline(docs), lambda: [analyse_document(d, gz) for d in docs]],
                                 args.repeat)
    spent = stages(docs, gz)
    n = len(docs)
    kb = sum(len(d.text) for d in docs) / n / 1000
    print(f"{n} synthetic articles, {kb:.1f} KB on average; one core, CPU time, best of {args.repeat}")
    print(f"plain scan (baseline)  {n / t_base:9.1f} articles/s  {1000 * t_base / n:7.3f} ms/article")
    print(f"analyse_document       {n / t_analyse:9.1f} articles/s  {1000 * t_analyse / n:7.3f} ms/article")
    print(f"analysis time / plain scan time = {t_analyse / t_base:.1f}")
    total = sum(spent.values())
    print("stages: " + ", ".join(f"{k} {1000 * v / n:.2f} ms ({100 * v / total:.0f}%)" for k, v in spent.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
