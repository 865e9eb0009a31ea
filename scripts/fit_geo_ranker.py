"""Fit the toponym ranker's weights (``places/data/geo_ranker.json``) on gold geo files.

A conditional logit over each gold toponym's candidate readings: the resolver scores every
reading as w . f (features in ``newsevents.places.resolve.FEATURES``), and we maximise the
log-probability of the reading nearest the gold point (when one lies within 161 km; toponyms
without such a reading or without gold coordinates teach nothing and are skipped). Because the
context features (anchors, list classes, one sense per discourse) depend on the weights, the fit
is repeated a few rounds, each tracing the resolver with the previous round's weights.

Usage (what produced the shipped weights):

    python scripts/fit_geo_ranker.py ../shared/data/geovirus/geovirus-dev.jsonl \
        ../shared/data/lgl/lgl.jsonl:a --out src/newsevents/places/data/geo_ranker.json

``PATH:a`` / ``PATH:b`` takes one half of a file's articles (``newsevents.evaluate.geo.half``,
a hash of the article id), so the other half stays held out: `newsevents eval geo PATH --half b`.
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import pickle
import sys
from pathlib import Path

import numpy as np


def _parsed(spec: str, cache: Path | None):
    from spacy.tokens import DocBin

    from newsevents import actors, nlp
    from newsevents.evaluate.geo import half, read_jsonl
    from newsevents.records import Article

    path, _, which = spec.partition(":")
    rows = read_jsonl(path)
    docs = ments = None
    key = Path(path).stem
    if cache is not None and (cache / f"{key}.spacy").exists():
        docs = list(DocBin().from_disk(cache / f"{key}.spacy").get_docs(nlp.load().vocab))
        ments = pickle.loads((cache / f"{key}.pkl").read_bytes())
    if docs is None:
        docs, ments = [], []
        for r in rows:
            a = Article(id=str(r.get("id", "")), text=r["text"])
            d = nlp.parse(a.text)
            docs.append(d)
            ments.append(actors.extract(d, a)[0])
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            db = DocBin(store_user_data=False)
            for d in docs:
                db.add(d)
            db.to_disk(cache / f"{key}.spacy")
            (cache / f"{key}.pkl").write_bytes(pickle.dumps(ments))
    out = []
    for r, d, m in zip(rows, docs, ments):
        if which and half(str(r.get("id", ""))) != which:
            continue
        out.append((spec, r, d, m))
    return out


def _groups(data) -> list[tuple[np.ndarray, int, float]]:
    """(features of each reading, index of the right one, weight) per gold toponym, tracing the
    resolver. Each file weighs the same in all: LGL's many toponyms do not drown geovirus."""
    from newsevents.places import resolve, resolve_spans
    from newsevents.records import Article

    groups = []
    for src, r, doc, ments in data:
        gold = {(t["start"], t["end"]): t for t in r.get("toponyms", []) if t.get("lat") is not None}
        resolve.TRACE = []
        try:
            resolve_spans(doc, Article(id=str(r.get("id", "")), text=r["text"]), list(gold), ments)
            trace = resolve.TRACE
        finally:
            resolve.TRACE = None
        for m, feats in trace:
            t = gold.get((m.start, m.end))
            if t is None or len(feats) < 2:
                continue
            km = [resolve.haversine_km(c.lat, c.lon, t["lat"], t["lon"]) for _, c in feats]
            best = min(range(len(km)), key=km.__getitem__)
            if km[best] <= 161:
                groups.append((np.array([f for f, _ in feats], dtype=float), best, src))
    sizes: dict[str, int] = {}
    for g in groups:
        sizes[g[2]] = sizes.get(g[2], 0) + 1
    return [(X, y, len(groups) / (len(sizes) * sizes[src])) for X, y, src in groups]


def _stack(groups):
    X = np.vstack([g[0] for g in groups])
    wt = np.array([g[2] for g in groups], dtype=float)
    sizes = np.array([len(g[0]) for g in groups])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    gold = starts + np.array([g[1] for g in groups])
    return X, starts, gold, wt / wt.mean()


def _softmax(X, starts, w):
    s = X @ w
    mx = np.maximum.reduceat(s, starts)
    e = np.exp(s - np.repeat(mx, np.diff(np.append(starts, len(s)))))
    z = np.add.reduceat(e, starts)
    return s, mx, z, e / np.repeat(z, np.diff(np.append(starts, len(s))))


def _fit(groups, w0: np.ndarray, l2: float = 1e-3, steps: int = 50) -> np.ndarray:
    """Maximise mean log softmax(X w)[gold] - l2 |w|^2 by Newton's method (convex, 28 weights)."""
    X, starts, gold, gw = _stack(groups)
    n, d = len(groups), X.shape[1]
    rw = np.repeat(gw, np.diff(np.append(starts, len(X))))  # each row carries its toponym's weight
    w = w0.copy()
    for _ in range(steps):
        _, _, _, p = _softmax(X, starts, w)
        grad = (X.T @ (p * rw) - (X[gold] * gw[:, None]).sum(axis=0)) / n + 2 * l2 * w
        M = np.add.reduceat(X * p[:, None], starts)
        H = ((X * (p * rw)[:, None]).T @ X - (M * gw[:, None]).T @ M) / n + 2 * l2 * np.eye(d)
        step = np.linalg.solve(H, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def _loglik(groups, w) -> float:
    X, starts, gold, gw = _stack(groups)
    s, mx, z, _ = _softmax(X, starts, w)
    return float(np.mean(gw * (s[gold] - mx - np.log(z))))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", help="geo gold JSONL files, PATH or PATH:a / PATH:b (one half)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--cache", type=Path, help="keep parses here between runs (outside the repo)")
    args = ap.parse_args(argv)
    from newsevents.places import resolve

    data = [x for spec in args.files for x in _parsed(spec, args.cache)]
    w = np.array(resolve.WEIGHTS, dtype=float)
    for k in range(args.rounds):
        groups = _groups(data)
        w = _fit(groups, w, args.l2)
        print(f"round {k + 1}: {len(groups)} toponyms, mean log-likelihood {_loglik(groups, w):.4f}",
              file=sys.stderr)
        resolve.set_weights(list(w))
    out = {
        "features": list(resolve.FEATURES),
        "weights": [round(float(x), 4) for x in w],
        "fitted": {
            "on": [Path(s.partition(":")[0]).name + (f" (half {s.partition(':')[2]})" if ":" in s else "")
                   for s in args.files],
            "toponyms": len(groups),
            "method": f"conditional logit over each toponym's readings, L2 {args.l2}, {args.rounds} rounds",
            "date": datetime.date.today().isoformat(),
            "command": "python scripts/fit_geo_ranker.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        },
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    for f, x in zip(resolve.FEATURES, w):
        print(f"{f:22s} {x:+.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
