"""Check the hand-made gold of a held-out set (no movemap code involved).

Usage: python bench/check_heldout.py DIR [SHARED_DIR]

DIR is a held-out set such as bench/heldout3 (NN-slug.txt, NN-slug.gold.json, catalog.csv);
SHARED_DIR defaults to ../shared next to the repository. For every NN-slug.gold.json in DIR:
- the article NN-slug.txt has a headline, a blank line and a body whose first line is one of the
  openers used across the sets (OPENERS below), and a word count within the set's range
  (WORD_RANGES, keyed by the folder name; a set not listed there gets no word-count check);
- catalog.csv has a row for it with the same published date;
- place names and surfaces are unique; every surface / other_surfaces string and every evidence
  quote occurs in the text (whitespace-normalised);
- every leg's from/to is null or the name of a listed movement place; dates are ISO or null;
- (informational) mention points that lie inside a route place's tolerance are listed: they cannot leak;
- a GeoJSON built from the gold itself (place Points with feature_type "place" and role
  route/mention, one LineString per scored leg with feature_type "leg" and the gold dates) scores
  1.000 with SHARED_DIR/tools/score_route.py.
Exit status 0 when everything passes.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

MONTHS = r"(Jan|Feb|March|April|May|June|July|Aug|Sept|Oct|Nov|Dec)"
FULL_MONTHS = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
OPENERS = [
    re.compile(r"^[A-Z][A-Z .'-]+(, [A-Z][A-Za-z ]+)?, " + MONTHS + r"\w* \d{1,2} \([A-Z]{3}\) - "),  # wire dateline
    re.compile(r"^By [A-Za-z]"),  # byline (feature, analysis, explainer)
    re.compile(r"^Live updates "),  # live blog header
    re.compile(r"^[A-Z][a-z]+, \d{1,2} " + FULL_MONTHS + r" \d{4} \([^)]+\) - "),  # regional dateline
    re.compile(r"^Published \d+ (minutes|hours) ago$"),  # broadcaster page furniture
    re.compile(r"^PRESS RELEASE - "),  # military press release
    re.compile(r"^[A-Z][A-Za-z& ]+ \| "),  # live-blog / newsletter header "Outlet | ..."
    re.compile(r"^[A-Z]{3,}, " + MONTHS + r"\w* \d{1,2}: "),  # Indian regional dateline
    re.compile(r"^CORRECTION, \d{1,2} [A-Z][a-z]+ \d{4}: "),  # correction notice above the story
]
# Article length (words) per set, keyed by the set's folder name.
WORD_RANGES = {"heldout2": (250, 600), "heldout3": (250, 700), "heldout4": (300, 800), "heldout5": (150, 1200), "heldout6": (150, 1200), "heldout7": (150, 1200), "heldout8": (150, 1200)}


def norm(s: str) -> str:
    return " ".join(s.split())


def km(a, b):
    (lat1, lon1), (lat2, lon2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def check_one(gold_path: Path, catalog: dict, words_range, scorer: Path, tmp: Path):
    errs, info = [], []
    g = json.loads(gold_path.read_text(encoding="utf-8"))
    txt_path = gold_path.parent / g["text_file"]
    raw = txt_path.read_text(encoding="utf-8")
    text = norm(raw)
    lines = raw.split("\n")
    if len(lines) < 3 or not lines[0].strip() or lines[1].strip():
        errs.append("layout: headline, blank line, body expected")
    elif not any(o.match(lines[2]) for o in OPENERS):
        errs.append(f"no known opener at the start of the body: {lines[2][:50]!r}")
    words = len(raw.split())
    if words_range and not words_range[0] <= words <= words_range[1]:
        errs.append(f"{words} words (want {words_range[0]}-{words_range[1]})")
    row = catalog.get(g["text_file"])
    if row is None:
        errs.append("no catalog row")
    elif row["published"] != g["published"]:
        errs.append(f"catalog date {row['published']} != gold {g['published']}")
    date.fromisoformat(g["published"])

    names, surfaces, movement = set(), set(), set()
    for p in g["places"]:
        for k in ("surface", "name", "lat", "lon", "country", "kind", "role", "tolerance_km"):
            if k not in p:
                errs.append(f"place {p.get('surface')}: missing {k}")
        if p["role"] not in ("movement", "mention"):
            errs.append(f"place {p['surface']}: role {p['role']}")
        if p["name"] in names:
            errs.append(f"duplicate place name {p['name']}")
        names.add(p["name"])
        for s in [p["surface"], *p.get("other_surfaces", [])]:
            if s in surfaces:
                errs.append(f"duplicate surface {s}")
            surfaces.add(s)
            if norm(s) not in text:
                errs.append(f"surface not in text: {s!r}")
        if p["role"] == "movement":
            movement.update({p["name"], p["surface"]})
    route = [p for p in g["places"] if p["role"] == "movement"]
    for p in g["places"]:
        if p["role"] == "mention":
            inside = [r["name"] for r in route if km((p["lat"], p["lon"]), (r["lat"], r["lon"])) <= r["tolerance_km"]]
            if inside:
                info.append(f"mention {p['name']} lies inside {', '.join(inside)} (cannot leak)")
    features = []
    for p in g["places"]:
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                         "properties": {"feature_type": "place", "name": p["name"],
                                        "role": "route" if p["role"] == "movement" else "mention"}})
    by_name = {p["name"]: p for p in g["places"]} | {p["surface"]: p for p in g["places"]}
    for leg in g["legs"]:
        for k in ("id", "from", "to", "start", "end", "mode", "status", "count", "actor", "evidence"):
            if k not in leg:
                errs.append(f"leg {leg.get('id')}: missing {k}")
        for end in ("from", "to"):
            v = leg[end]
            if v is not None and v not in movement:
                errs.append(f"leg {leg['id']}: {end} {v!r} is not a movement place")
        for d in ("start", "end"):
            if leg[d] is not None:
                date.fromisoformat(leg[d])
        if leg["start"] and leg["end"] and leg["start"] > leg["end"]:
            errs.append(f"leg {leg['id']}: start after end")
        if leg["mode"] not in ("ship", "rail", "road", "air", "foot", "unknown"):
            errs.append(f"leg {leg['id']}: mode {leg['mode']}")
        if leg["status"] not in ("reported", "expected"):
            errs.append(f"leg {leg['id']}: status {leg['status']}")
        if not leg["evidence"]:
            errs.append(f"leg {leg['id']}: no evidence")
        for q in leg["evidence"]:
            if norm(q) not in text:
                errs.append(f"leg {leg['id']}: evidence not in text: {q[:60]!r}")
        if leg["from"] is None or leg["to"] is None:
            continue
        a, b = by_name[leg["from"]], by_name[leg["to"]]
        features.append({"type": "Feature",
                         "geometry": {"type": "LineString", "coordinates": [[a["lon"], a["lat"]], [b["lon"], b["lat"]]]},
                         "properties": {"feature_type": "leg", "from_name": a["name"], "to_name": b["name"],
                                        "start": leg["start"], "end": leg["end"]}})
    out = tmp / (gold_path.name.replace(".gold.json", ".self.geojson"))
    out.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    res = subprocess.run([sys.executable, str(scorer), str(gold_path), str(out)], capture_output=True, text=True)
    last = (res.stdout.strip().splitlines() or [res.stderr.strip()])[-1]
    if not last.endswith("score=1.000"):
        errs.append(f"self-score: {last}\n{res.stdout}")
    return errs, last, info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path, help="held-out set folder, e.g. bench/heldout3")
    ap.add_argument("shared", type=Path, nargs="?", default=Path(__file__).resolve().parents[2] / "shared",
                    help="shared data folder (default: ../shared next to the repository)")
    args = ap.parse_args(argv)
    here = args.dir.resolve()
    scorer = args.shared / "tools" / "score_route.py"
    if not scorer.is_file():
        print(f"FAIL: no scorer at {scorer}")
        return 1
    words_range = WORD_RANGES.get(here.name)
    if words_range is None:
        print(f"note: no word range known for {here.name!r}; word counts are not checked")
    with (here / "catalog.csv").open(newline="", encoding="utf-8") as f:
        catalog = {row["file"]: row for row in csv.DictReader(f)}
    golds = sorted(here.glob("*.gold.json"))
    txts = sorted(here.glob("*.txt"))
    bad = 0
    if not golds:
        print(f"FAIL: no *.gold.json in {here}")
        bad += 1
    if len(golds) != len(txts) or set(catalog) != {t.name for t in txts}:
        print("FAIL: texts, gold files and catalog rows do not correspond")
        bad += 1
    with tempfile.TemporaryDirectory() as tmp:
        for gp in golds:
            errs, last, info = check_one(gp, catalog, words_range, scorer, Path(tmp))
            print(f"{'ok  ' if not errs else 'FAIL'} {gp.name:48s} {last}")
            for e in errs:
                print("     -", e)
            for i in info:
                print("     .", i)
            bad += bool(errs)
    print(f"{len(golds) - bad}/{len(golds)} gold files pass" if bad == 0 else f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
