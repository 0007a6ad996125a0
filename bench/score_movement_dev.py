"""Score movemap on the movement-dev articles (../shared/data/movement-dev): one build per article.

Usage: python bench/score_movement_dev.py [SHARED_DIR]
Reads the evaluation data from shared/ (never copied into the repo); prints each article's
score line from shared/tools/score_route.py and the mean.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from gazetteer import default_gazetteer
from geo.pipeline import build
from geo.read import read_inputs
from maps.geojson import write_geojson


def main() -> int:
    shared = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared")
    data = shared / "data" / "movement-dev"
    scorer = shared / "tools" / "score_route.py"
    gz = default_gazetteer()
    scores = []
    verbose = "-v" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        for txt in sorted(data.glob("*.txt")):
            gold = txt.with_suffix(".gold.json")
            route = build(read_inputs([str(txt)]), gz)
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
    print(f"mean score {sum(scores) / len(scores):.3f} over {len(scores)} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
