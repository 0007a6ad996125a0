"""How often movemap sees a movement in news that is mostly not about one.

    python bench/bench_false_legs.py [SHARED]      # SHARED defaults to ../shared

Runs the map pipeline (recognition, resolution, dates, events) on each of the 256 TimeBank /
AQUAINT news documents of ``SHARED/data/timex-dev/tbaq.jsonl`` (finance, politics, disasters;
a few real journeys) with its publication date, and prints the documents whose events have both
an origin and a destination, with the sentence, for a reader to judge. The figure to watch is
the share of documents with such events: a rise after a change means new false movements.
The same run times the analysis against a plain read of the texts (the baseline).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else ROOT.parent / "shared"
    path = shared / "data" / "timex-dev" / "tbaq.jsonl"
    if not path.is_file():
        print(f"bench_false_legs: {path} is missing (pass the shared folder)", file=sys.stderr)
        return 2
    from gazetteer import default_gazetteer
    from geo.model import Document
    from geo.pipeline import analyse_document

    gazetteer = default_gazetteer()
    t0 = time.perf_counter()
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = []
    for r in rows:
        doc = Document(r["doc_id"], r["text"], date.fromisoformat(r["dct"][:10]))
        for ev in analyse_document(doc, gazetteer).events:
            if ev.origins and ev.destinations:
                found.append((r["doc_id"], ev))
    work_s = time.perf_counter() - t0
    docs = sorted({d for d, _ in found})
    for doc_id, ev in found:
        sentence = " ".join(ev.evidence[0].sentence.split())[:160]
        print(f"{doc_id:24} {', '.join(p.name for p in ev.origins)} -> "
              f"{', '.join(p.name for p in ev.destinations)} | {sentence}")
    print(f"\n{len(docs)} of {len(rows)} documents ({len(docs) / len(rows):.1%}) have a movement with both ends; "
          f"{len(found)} such events")
    print(f"analysis {work_s:.2f} s vs reading the texts {read_s:.3f} s (x{work_s / max(read_s, 1e-9):.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
