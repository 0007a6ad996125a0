"""Temporal expressions: movemap's errors on TBAQ-cleaned, by category.

Reads the TempEval-3 training corpus from ../shared/data/timex-dev/tbaq.jsonl (never copied
into this repository), runs ``geo.timex.extract`` over every document against its creation
date, pairs predictions with gold timexes the way ../shared/tools/score_timex.py does
(relaxed: overlapping spans, largest overlap first) and sorts what went wrong:

* missed      gold timexes no prediction overlaps, by gold type and by what they look like;
* spurious    predictions that overlap no gold timex, by rule;
* value       paired, but the value differs, by rule and kind of difference (granularity,
              year, day, reference word, type ...);
* extent      paired and value right, but the span differs (a word more or less at either end).

    python bench/timex_errors.py [--gold PATH] [--type DATE|TIME|DURATION|SET|ALL]
                                 [--examples N] [--only missed|spurious|value|extent]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
GOLD = ROOT.parent / "shared" / "data" / "timex-dev" / "tbaq.jsonl"

_LOOKS = [  # what a missed timex looks like, first match wins
    ("month name", re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b")),
    ("weekday", re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day", re.I)),
    ("year digits", re.compile(r"\b(?:1[6-9]|20)\d\d")),
    ("other digits", re.compile(r"\d")),
    ("today/yesterday", re.compile(r"\b(?:today|yesterday|tomorrow|tonight)\b", re.I)),
    ("now/current/recent", re.compile(r"\b(?:now|current(?:ly)?|recent(?:ly)?|present|past|future|former|once|then|soon|later|earlier|previously|time)\b", re.I)),
    ("unit word", re.compile(r"\b(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|centur(?:y|ies))s?\b", re.I)),
    ("season", re.compile(r"\b(?:spring|summer|fall|autumn|winter)\b", re.I)),
    ("part of day", re.compile(r"\b(?:morning|afternoon|evening|night|noon|midnight)\b", re.I)),
]


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def pair(gold: list[dict], pred: list) -> tuple[list[tuple[dict, object]], list[dict], list]:
    """Relaxed one-to-one pairing as in score_timex.py: largest overlap, then closest start,
    then closest end. Returns (pairs, unpaired gold, unpaired predictions)."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = min(g["end"], p.end) - max(g["start"], p.start)
            if ov > 0:
                cands.append((-ov, abs(g["start"] - p.start), abs(g["end"] - p.end), gi, pi))
    cands.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, _, _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gold[gi], pred[pi]))
    return (pairs, [g for i, g in enumerate(gold) if i not in used_g],
            [p for i, p in enumerate(pred) if i not in used_p])


def looks(text: str) -> str:
    for name, pat in _LOOKS:
        if pat.search(text):
            return name
    return "other"


def value_kind(gold: str, pred: str, gtype: str, ptype: str) -> str:
    """A name for how a predicted value differs from the gold one."""
    g, p = gold.upper(), pred.upper()
    if gtype != ptype:
        return f"type {gtype}->{ptype}"
    refs = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")
    if g in refs or p in refs:
        return f"ref {g if g in refs else 'date'}->{p if p in refs else 'date'}"
    if g.startswith("P") or p.startswith("P"):
        return "duration"
    if "X" in g or "X" in p:
        return "unanchored (X)"

    def shape(v: str) -> str:
        v = re.sub(r"T.*", "T", v)
        return re.sub(r"\d", "9", v)

    if shape(g) != shape(p):
        return f"granularity {shape(g)}->{shape(p)}"
    if g[:4] != p[:4]:
        return "year off" if g[4:] == p[4:] else "year and more off"
    return "same granularity, other value"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--type", default="DATE", help="gold type in scope (DATE, TIME, DURATION, SET, ALL)")
    ap.add_argument("--examples", type=int, default=4, help="examples per category")
    ap.add_argument("--only", choices=["missed", "spurious", "value", "extent"])
    args = ap.parse_args()
    if not args.gold.exists():
        print(f"timex_errors: needs {args.gold} (the team's shared folder)", file=sys.stderr)
        return 2
    from geo.timex import extract

    scope = args.type.upper()
    missed, spurious, values, extents = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    n_gold = n_ok = 0
    for d in load(args.gold):
        text, dct = d["text"], date.fromisoformat(d["dct"][:10])
        hits = extract(text, dct)
        pairs, lone_gold, lone_pred = pair(d["timexes"], hits)

        def ctx(s: int, e: int) -> str:
            left = text[max(0, s - 40):s].replace("\n", " ")
            right = text[e:e + 30].replace("\n", " ")
            return f"{d['doc_id']} {d['dct']}: ...{left}[{text[s:e]}]{right}..."

        for g in lone_gold:
            if scope in ("ALL", g["type"]):
                n_gold += 1
                missed[f"{g['type']} / {looks(g['text'])}"].append(f"{g['value']:<12} {ctx(g['start'], g['end'])}")
        for p in lone_pred:
            if scope in ("ALL", p.type):
                spurious[f"{p.type} / {p.rule}"].append(f"{p.value:<12} {ctx(p.start, p.end)}")
        for g, p in pairs:
            if scope not in ("ALL", g["type"]):
                continue
            n_gold += 1
            if g["value"].upper() != p.value.upper():
                kind = value_kind(g["value"], p.value, g["type"], p.type)
                values[f"{p.rule}: {kind}"].append(f"gold {g['value']:<12} pred {p.value:<12} {ctx(g['start'], g['end'])}")
                continue
            n_ok += 1
            if (g["start"], g["end"]) != (p.start, p.end):
                gs = text[g["start"]:g["end"]]
                ps = text[p.start:p.end]
                side = "pred longer" if len(ps) > len(gs) else "pred shorter" if len(ps) < len(gs) else "shifted"
                extents[f"{p.rule}: {side}"].append(f"gold [{gs}] pred [{ps}]  {ctx(min(g['start'], p.start), max(g['end'], p.end))}")

    print(f"scope {scope}: {n_gold} gold timexes, {n_ok} paired with the right value\n")
    for title, table in (("missed", missed), ("spurious", spurious), ("value", values), ("extent", extents)):
        if args.only and args.only != title:
            continue
        total = sum(len(v) for v in table.values())
        print(f"=== {title}: {total}")
        for key, items in sorted(table.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(items):4d}  {key}")
            for ex in items[:args.examples]:
                print(f"          {ex}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
