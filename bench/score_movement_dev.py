"""Score movemap on the movement-dev articles (../shared/data/movement-dev): one build per article.

Usage: python bench/score_movement_dev.py [SHARED_DIR] [-v] [--set DIR]
Reads the evaluation data from shared/ (never copied into the repo); prints each article's
score line from shared/tools/score_route.py and the mean.

--set DIR scores another folder laid out the same way (NN-slug.txt next to NN-slug.gold.json),
e.g. the held-out set bench/heldout; each article is built on its own with the publication
date that DIR/catalog.csv (columns file,published,...) gives it, as `movemap build --published`.
The scorer is still taken from SHARED_DIR/tools.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from gazetteer import default_gazetteer
from geo.pipeline import build
from geo.read import read_inputs
from maps.geojson import write_geojson


def _published_dates(folder: Path) -> dict[str, date]:
    """file name -> publication date from folder/catalog.csv (empty when there is none)."""
    cat = folder / "catalog.csv"
    if not cat.exists():
        return {}
    with cat.open(newline="", encoding="utf-8") as f:
        return {row["file"]: date.fromisoformat(row["published"]) for row in csv.DictReader(f) if row.get("published")}


def main() -> int:
    argv = sys.argv[1:]
    data = None
    if "--set" in argv:
        i = argv.index("--set")
        if i + 1 >= len(argv):
            print("--set needs a folder", file=sys.stderr)
            return 2
        data = Path(argv[i + 1])
        del argv[i:i + 2]
    positional = [a for a in argv if not a.startswith("-")]
    shared = Path(positional[0] if positional else Path(__file__).resolve().parents[2] / "shared")
    if data is None:
        data = shared / "data" / "movement-dev"
    published = _published_dates(data)
    scorer = shared / "tools" / "score_route.py"
    gz = default_gazetteer()
    scores = []
    verbose = "-v" in argv
    with tempfile.TemporaryDirectory() as tmp:
        for txt in sorted(data.glob("*.txt")):
            gold = txt.with_suffix(".gold.json")
            if not gold.exists():
                continue
            route = build(read_inputs([str(txt)], published=published.get(txt.name)), gz)
            out = Path(tmp) / (txt.stem + ".geojson")
            write_geojson(route, out)
            res = subprocess.run([sys.executable, str(scorer), str(gold), str(out)], capture_output=True, text=True)
            lines = res.stdout.strip().splitlines()
            last = lines[-1] if lines else res.stderr.strip()
            if verbose:
                print("\n".join(lines[:-1]))
                for leg in route.legs:
                    print("   out:", leg.status, leg.origin.name, "->", leg.destination.name, leg.start, leg.end)
            print(f"{txt.stem:40s} {last}")
            try:
                scores.append(float(last.rsplit("score=", 1)[1]))
            except (IndexError, ValueError):
                scores.append(0.0)
    print(f"mean score {sum(scores) / max(len(scores), 1):.3f} over {len(scores)} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
