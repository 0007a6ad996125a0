"""Fit the resolver's feature weights (``geo.resolve.WEIGHTS``) on a geoparsing corpus.

Conditional logit over each span's candidates: the target is the candidate nearest to the
gold point when it lies within 161 km; spans without such a candidate are skipped.  The
article context of each candidate (the other spans' choices) comes from running the
resolver with the current weights, so fitting alternates with re-resolving (``--iters``).

Only the *training half* of the corpus is used: documents whose ``doc_id`` hashes (md5) to
an even number; the other half stays held out and is scored at the end.  Reproduce the
shipped weights with::

    python -m geo.geoparse_train ../shared/data/geoparse-dev/lgl.jsonl

which prints the weights to paste into ``geo/resolve.py`` and the held-out acc@161, and the
recognition filter's weights (``geo/geoparse_filter.py``) with::

    python -m geo.geoparse_train ../shared/data/geoparse-dev/lgl.jsonl --recognition
"""

from __future__ import annotations

import hashlib
import json
import math
import sys

from geo import resolve as R
from geo.toponyms import spans_for


#: hand-set starting point of the fit (the weights before any fitting)
INITIAL = {"rank": 1.0, "pop": 0.6, "country": 2.0, "admin1": 1.6, "inside": 1.5, "near": 1.4, "near_far": 0.6,
           "qualified": 4.0, "qualifier_miss": -1.0, "is_country": 0.5, "is_admin1": 0.3, "is_admin2": -0.2}


def in_train(doc_id: str) -> bool:
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % 2 == 0


def _docs(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def collect(docs, gazetteer, names):
    """Training groups: (feature matrix of a key's candidates, index of the right one)."""
    import numpy as np

    groups = []
    for d in docs:
        text = d["text"]
        gold = [t for t in d["toponyms"]]
        spans = spans_for(text, [(t["start"], t["end"]) for t in gold], gazetteer)
        # context = the resolver's own choices with the current weights
        choice = None
        doc = R._Doc(text, spans)
        for rnd in range(R.ROUNDS):
            cands, by_key, feats = R.candidate_features(text, spans, choice, rnd, doc)
            if rnd < R.ROUNDS - 1:
                choice = {k: cands[k][max(range(len(fs)), key=lambda j: (R._score(fs[j]), -j))]
                          for k, fs in feats.items()}
        for k, idxs in by_key.items():
            g = gold[idxs[0]]
            if g.get("lat") is None:
                continue
            cs = cands[k]
            dist = [R.km_between(g["lat"], g["lon"], c.lat, c.lon) for c in cs]
            best = min(range(len(cs)), key=lambda j: dist[j])
            if dist[best] > 161 or len(cs) < 2:
                continue
            X = np.array([[f.get(n, 0.0) for n in names] for f in feats[k]])
            groups.append((X, best, len(idxs)))
    return groups


def fit(groups, names, w0, l2=0.01, steps=400, lr=0.5):
    import numpy as np

    w = np.array([w0.get(n, 0.0) for n in names], dtype=float)
    for _ in range(steps):
        grad = l2 * w
        loss = 0.0
        total = 0
        for X, y, n in groups:
            s = X @ w
            s -= s.max()
            p = np.exp(s)
            p /= p.sum()
            grad += n * (X.T @ p - X[y])
            loss -= n * math.log(p[y] + 1e-12)
            total += n
        w -= lr * grad / total
    return {n: round(float(v), 3) for n, v in zip(names, w)}, loss / max(total, 1)


def recognition(docs, gz):
    """Fit ``geo.geoparse_filter.WEIGHTS`` (logistic regression on recognised spans)."""
    import numpy as np

    from geo import geoparse_filter as F
    from geo import toponyms as T

    def rows(part):
        X, y = [], []
        for d in part:
            text = d["text"]
            gold = {(t["start"], t["end"]) for t in d["toponyms"]}
            spans = T.recognise(text, gz, demonyms=True, modifiers=True, learned_filter=False)
            persons = T._LAST_PERSONS[0]
            ctx = F._DocContext(text, spans)
            for sp in spans:
                X.append(F.features(text, sp, persons, spans, ctx))
                y.append(float((sp.start, sp.end) in gold))
        return X, y

    train = [d for d in docs if in_train(d["doc_id"])]
    test = [d for d in docs if not in_train(d["doc_id"])]
    Xtr, ytr = rows(train)
    names = sorted({k for f in Xtr for k in f})
    A = np.array([[f.get(n, 0.0) for n in names] for f in Xtr])
    y = np.array(ytr)
    w = np.zeros(len(names))
    l2 = 1e-3
    for _ in range(20000):
        p = 1 / (1 + np.exp(-(A @ w)))
        grad = A.T @ (p - y) / len(y) + l2 * w
        w -= 2.0 * grad
    F.WEIGHTS.clear()
    F.WEIGHTS.update({n: round(float(v), 3) for n, v in zip(names, w)})
    # threshold: best span-level F1 on the training half
    p = 1 / (1 + np.exp(-(A @ w)))
    ngold = sum(len(d["toponyms"]) for d in train)
    best = (0.0, 0.5)
    for t in np.arange(0.2, 0.71, 0.02):
        keep = p >= t
        tp = float(y[keep].sum())
        prec, rec = tp / max(keep.sum(), 1), tp / ngold
        best = max(best, (2 * prec * rec / max(prec + rec, 1e-9), round(float(t), 2)))
    F.THRESHOLD = best[1]
    print(f"threshold {F.THRESHOLD} (train span F1 {best[0]:.3f})", file=sys.stderr)

    def f1(part):
        tp = npred = ngold = 0
        for d in part:
            gold = {(t["start"], t["end"]) for t in d["toponyms"]}
            pred = {(sp.start, sp.end) for sp in T.recognise(d["text"], gz, demonyms=True, modifiers=True)}
            tp += len(gold & pred)
            npred += len(pred)
            ngold += len(gold)
        p, r = tp / max(npred, 1), tp / max(ngold, 1)
        return p, r, 2 * p * r / max(p + r, 1e-9)

    for label, part in (("train", train), ("held-out", test)):
        print(f"{label}: P {f1(part)[0]:.3f} R {f1(part)[1]:.3f} F1 {f1(part)[2]:.3f}", file=sys.stderr)
    saved = dict(F.WEIGHTS)
    F.WEIGHTS.clear()
    print(f"held-out without the filter: F1 {f1(test)[2]:.3f}", file=sys.stderr)
    F.WEIGHTS.update(saved)
    print(f"THRESHOLD = {F.THRESHOLD}")
    print("WEIGHTS = {")
    for k in names:
        print(f"    {k!r}: {F.WEIGHTS[k]},")
    print("}")
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    from gazetteer.store import Gazetteer

    if "--recognition" in argv:
        return recognition(list(_docs(argv[0])), Gazetteer())

    iters = 3
    if "--iters" in argv:
        iters = int(argv[argv.index("--iters") + 1])
    gz = Gazetteer()
    docs = list(_docs(argv[0]))
    train = [d for d in docs if in_train(d["doc_id"])]
    test = [d for d in docs if not in_train(d["doc_id"])]
    names = sorted({"rank", "top", "pop", "pop_rel", "big", "is_country", "is_admin1", "is_admin2", "is_water",
                    "qualified", "qualifier_miss", "country", "country_cnt", "admin1", "admin1_cnt", "inside",
                    "inside_cnt", "near", "near_far", "admin1_any", "near_any"})
    R.WEIGHTS.clear()
    R.WEIGHTS.update(INITIAL)  # start from the same hand-set weights every time: reproducible
    for it in range(iters):
        groups = collect(train, gz, names)
        w, loss = fit(groups, names, R.WEIGHTS)
        R.WEIGHTS.clear()
        R.WEIGHTS.update(w)
        print(f"iter {it}: {len(groups)} groups, loss {loss:.4f}", file=sys.stderr)
    for label, part in (("train", train), ("held-out", test)):
        hits = n = 0
        for d in part:
            spans = spans_for(d["text"], [(t["start"], t["end"]) for t in d["toponyms"]], gz)
            for t, m in zip(d["toponyms"], R.resolve(d["doc_id"], d["text"], spans)):
                if t.get("lat") is None:
                    continue
                n += 1
                if m.place is not None and R.km_between(t["lat"], t["lon"], m.place.lat, m.place.lon) <= 161:
                    hits += 1
        print(f"{label}: acc@161 {hits / max(n, 1):.3f} (n={n})", file=sys.stderr)
    print("WEIGHTS = {")
    for k in names:
        print(f"    {k!r}: {w[k]},")
    print("}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
