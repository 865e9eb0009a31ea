"""Training the event model (``newsevents train events``): coded sentences -> ``data/event_model.*``.

Input: JSON Lines in the events format (shared/data/FORMATS.md), e.g. wikinews-events
``train.jsonl``: ``text``, optional ``published``, and ``expected_events`` (possibly ``[]``), each
with ``event`` (PLOVER type) and ``event_text`` (the trigger words, copied from the text).

Each record (with its ``title`` and ``published`` date, when given) is parsed with the pipeline's
spaCy model and read by the actors stage and the rule coder exactly as at run time (``learned.sentence_rows``), then

- the **sentence** classifier learns NONE vs the record's main type from the pooled features;
- the **trigger** classifier learns, per candidate token, the type of the gold event whose
  trigger words have it as syntactic head; the other tokens of a gold trigger are left out
  (neither trigger nor non-trigger); every other candidate is NONE.

Both are softmax regressions with an L2 penalty, fitted by L-BFGS (scipy) from zero weights on
features seen at least ``min_count`` times, in a fixed order: the same data and options give
the same model. Weights ship as float16.
"""
from __future__ import annotations

import datetime as _dt
import json
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from newsevents import ontology
from newsevents.evaluate.gate import sha256_file
from newsevents.events.model import LABELS, LinearModel, EventModel

__all__ = ["TrainOptions", "prepare", "fit", "train", "DEFAULT_OPTIONS"]

DEFAULT_OPTIONS: dict[str, Any] = {
    "l2": 1.0,  # L2 penalty on the weights (binary features)
    "min_count": 2,  # features seen fewer times in training are dropped
    "max_iter": 150,  # L-BFGS iterations per classifier
    # decision thresholds: P(event) >= 0.5 is the Bayes decision of a calibrated classifier;
    # a further event needs a clearer trigger (0.6). Set a priori, not tuned on dev.
    "thresholds": {"sentence": 0.5, "extra": 0.6},
}

TrainOptions = dict


def _published(value: Any) -> _dt.datetime | None:
    if not value:
        return None
    try:
        d = _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    return _dt.datetime(d.year, d.month, d.day, tzinfo=_dt.timezone.utc)


def _labels(doc, rec: dict[str, Any], cands) -> tuple[list[int], int]:
    """Trigger labels per candidate (0 none, 1.. type, -1 left out) and the sentence label."""
    lab = {t.i: 0 for t in cands}
    text = rec["text"]
    evs = rec.get("expected_events") or []
    for e in evs:
        et = (e.get("event_text") or "").strip()
        ptype = ontology.plover_from_gsr(e.get("event") or "")
        i = text.find(et) if et else -1
        if i < 0 or ptype is None:
            continue
        span = doc.char_span(i, i + len(et), alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            if lab.get(t.i) == 0:
                lab[t.i] = -1
        head = next((t for t in span if t.head.i == t.i or not (span.start <= t.head.i < span.end)), None)
        if head is not None and head.i in lab:
            lab[head.i] = LABELS.index(ptype)
    main = ontology.plover_from_gsr(evs[0].get("event") or "") if evs else None
    return [lab[t.i] for t in cands], (LABELS.index(main) if main else 0)


def prepare(records: Iterable[dict[str, Any]], log: Callable[[str], None] | None = None
            ) -> tuple[list[list[list[str]]], list[list[int]], list[list[str]], list[int]]:
    """Parse and featurise records: per record the candidates' feature lists and labels, the
    sentence feature list and label."""
    from newsevents import nlp
    from newsevents.events import rules
    from newsevents.events.learned import sentence_rows
    from newsevents.records import Article
    from newsevents.registry import actor_resolvers

    resolve_actors = actor_resolvers.get("default")
    cand_rows, cand_labels, sent_rows, sent_labels = [], [], [], []
    t0 = time.time()
    for n, rec in enumerate(records, 1):
        doc = nlp.parse(rec["text"])
        title = rec.get("title") if isinstance(rec.get("title"), str) else ""
        # the headline and date, as the actors stage sees them at run time (and in eval)
        article = Article(id=str(rec.get("id", n)), text=rec["text"], title=title,
                          published=_published(rec.get("published")))
        mentions, _ = resolve_actors(doc, article)
        revs = rules.code(doc, article, mentions)
        cands, rows, srow, context = sentence_rows(doc[:], revs)
        rows = [r + context for r in rows]
        labs, slab = _labels(doc, rec, cands)
        cand_rows.append(rows)
        cand_labels.append(labs)
        sent_rows.append(srow)
        sent_labels.append(slab)
        if log and n % 500 == 0:
            log(f"  {n} records read ({time.time() - t0:.0f} s)")
    return cand_rows, cand_labels, sent_rows, sent_labels


def fit(rows: Sequence[Sequence[str]], labels: Sequence[int], *, l2: float, min_count: int,
        max_iter: int) -> LinearModel:
    """Softmax regression with an L2 penalty over binary features (L-BFGS from zero)."""
    try:
        import scipy.sparse as sp
        from scipy.optimize import minimize
    except ImportError as exc:  # running the model needs numpy only; fitting it needs scipy
        from newsevents.errors import ConfigError

        raise ConfigError("training the event model needs scipy: pip install 'newsevents[train]'") from exc

    from collections import Counter

    counts = Counter(f for r in rows for f in set(r))
    features = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(features)}
    ind: list[int] = []
    ptr = [0]
    for r in rows:
        ind += sorted({index[f] for f in r if f in index})
        ptr.append(len(ind))
    n, d, k = len(rows), len(features), len(LABELS)
    X = sp.csr_matrix((np.ones(len(ind)), ind, ptr), shape=(n, d))
    XT = X.T.tocsr()
    y = np.asarray(labels)
    Y = np.zeros((n, k))
    Y[np.arange(n), y] = 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W = theta[: d * k].reshape(d, k)
        b = theta[d * k:]
        Z = X @ W + b
        Z -= Z.max(axis=1, keepdims=True)
        logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        P = np.exp(logp)
        value = -logp[np.arange(n), y].sum() + 0.5 * l2 * float((W * W).sum())
        G = P - Y
        gW = XT @ G + l2 * W
        return value, np.concatenate([np.asarray(gW).ravel(), G.sum(axis=0)])

    res = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    W = res.x[: d * k].reshape(d, k)
    return LinearModel(features, W, res.x[d * k:])


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def train(data: str | Path, *, options: dict[str, Any] | None = None,
          log: Callable[[str], None] | None = None) -> EventModel:
    """Train both classifiers on the coded sentences in ``data`` (see module docstring)."""
    opts = {**DEFAULT_OPTIONS, **(options or {})}
    records = read_jsonl(data)
    if log:
        log(f"reading {len(records)} records of {data}")
    cand_rows, cand_labels, sent_rows, sent_labels = prepare(records, log)
    t0 = time.time()
    sentence = fit(sent_rows, sent_labels, l2=opts["l2"], min_count=opts["min_count"], max_iter=opts["max_iter"])
    if log:
        log(f"sentence classifier: {len(sentence.features)} features ({time.time() - t0:.0f} s)")
    rows = [r for rs, ls in zip(cand_rows, cand_labels) for r, lab in zip(rs, ls) if lab >= 0]
    labs = [lab for ls in cand_labels for lab in ls if lab >= 0]
    t0 = time.time()
    trigger = fit(rows, labs, l2=opts["l2"], min_count=opts["min_count"], max_iter=opts["max_iter"])
    if log:
        log(f"trigger classifier: {len(trigger.features)} features, {len(rows)} candidates ({time.time() - t0:.0f} s)")
    from newsevents import nlp

    meta = {
        "schema": 1,
        "labels": list(LABELS),
        "training_data": {"path": Path(data).name, "sha256": sha256_file(data), "records": len(records),
                          "with_events": sum(1 for r in records if r.get("expected_events"))},
        "spacy_model": nlp.DEFAULT_MODEL,
        "options": {k: v for k, v in opts.items() if k != "thresholds"},
        "thresholds": opts["thresholds"],
        "trigger_candidates": len(rows),
    }
    return EventModel(sentence, trigger, meta)
