"""Score cross-report linking on gold data in the ``linking`` format (shared/data/FORMATS.md).

Each record is a pair of sentences from two articles, ``a`` and ``b`` (``article``, ``title``,
``published``, ``sentence``), with a gold ``relation`` (``same`` event, ``related``, ``different``,
``no_event``) and, for ``same`` pairs, the ``conflicts`` between the two reports
(``{"field": "date" | "place" | "count" | "actor", "a", "b"}``).

Both sides are coded as one-sentence articles (title, published, sentence) by the full pipeline,
written to a store of their own (in memory) and fused (``newsevents.fusion.fuse_store``). The pair
is *linked* when one cluster holds an event of each side.

Metrics (fractions 0-1; ``n`` pairs):

- ``link_precision`` / ``link_recall`` / ``link_f1``: ``same`` is the positive class, every
  other relation negative;
- ``conflict_precision``: of the linked pairs flagged with a conflict, the share whose gold
  relation is ``same`` with a conflict on the flagged field (1.0 when nothing is flagged);
- ``conflict_recall``: of the gold ``same`` pairs with a conflict, the share linked and flagged on
  that field;
- ``false_links`` / ``false_conflicts``: counts of linked non-``same`` pairs and of flagged pairs
  that are wrong (the issue's targets are stated in these).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsevents.errors import EvalError

__all__ = ["evaluate", "load", "pair_outcome", "score"]

_RELATIONS = ("same", "related", "different", "no_event")


def load(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The pairs of a linking file; one clear error for a file of another format."""
    path = Path(path)
    pairs = []
    with open(path, encoding="utf-8", newline="") as fh:
        for n, line in enumerate(fh.read().split("\n"), 1):  # JSON Lines break only at \n
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalError(f"{path}:{n}: not JSON ({exc.msg})") from None
            ok = isinstance(rec, dict) and all(
                isinstance(rec.get(s), dict) and isinstance(rec[s].get("sentence"), str) for s in ("a", "b")
            ) and rec.get("relation") in _RELATIONS
            if not ok:
                raise EvalError(f"{path}:{n}: not a linking record (needs a, b with a sentence, and a relation"
                                f" among {', '.join(_RELATIONS)}; see FORMATS.md)")
            pairs.append(rec)
            if limit is not None and len(pairs) >= limit:
                break
    if not pairs:
        raise EvalError(f"{path}: no linking records")
    return pairs


def _article(side: dict[str, Any], pair_id: str, which: str):
    from newsevents.ingest import make_article

    art = side.get("article")
    return make_article(side["sentence"], title=side.get("title") or "", published=side.get("published"),
                        source=f"article {art}" if art is not None else f"{pair_id}:{which}",
                        url=f"urn:linking:{pair_id}:{which}", language="en", origin=f"{pair_id}:{which}")


def pair_outcome(res_a, res_b, store=None) -> dict[str, Any]:
    """Fuse two coded one-sentence articles in a store of their own (``store``: an empty store
    to reuse; it is emptied again after); whether they are linked, the conflicts flagged on the
    shared cluster(s), and the evidence."""
    from newsevents.fusion import cluster_rows, fuse_store
    from newsevents.store import Store

    own = store is None
    if own:
        store = Store(":memory:")
    try:
        store.add([res_a, res_b] if res_a.article.id != res_b.article.id else [res_a])
        fuse_store(store)
        clusters = cluster_rows(store, min_articles=1)
    finally:
        if own:
            store.close()
        else:
            _empty(store)
    ida, idb = res_a.article.id, res_b.article.id
    shared = [c for c in clusters
              if {r["article_id"] for r in c["reports"]} >= {ida, idb} and ida != idb]
    return dict(
        linked=bool(shared),
        conflicts=sorted({c["field"] for s in shared for c in s["conflicts"]}),
        evidence=[link["evidence"] for s in shared for link in s["links"]],
        events_a=len(res_a.events), events_b=len(res_b.events),
    )


def _empty(store) -> None:
    """Delete every row of every table (a fresh store without re-running the migrations)."""
    con = store.con
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        " AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'").fetchall()]
    for t in tables:
        con.execute(f'DELETE FROM "{t}"')


def score(outcomes: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """Metrics from (gold record, outcome) pairs."""
    tp = fp = fn = 0
    c_flag = c_right = c_gold = c_found = 0
    for gold, out in outcomes:
        same = gold["relation"] == "same"
        gold_fields = {c.get("field") for c in gold.get("conflicts") or ()} if same else set()
        if out["linked"] and same:
            tp += 1
        elif out["linked"]:
            fp += 1
        elif same:
            fn += 1
        if gold_fields:
            c_gold += 1
            if out["linked"] and gold_fields & set(out["conflicts"]):
                c_found += 1
        if out["linked"] and out["conflicts"]:
            c_flag += 1
            if set(out["conflicts"]) <= gold_fields:
                c_right += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return dict(
        n=len(outcomes),
        link_precision=round(p, 4), link_recall=round(r, 4),
        link_f1=round(2 * p * r / (p + r), 4) if p + r else 0.0,
        conflict_precision=round(c_right / c_flag, 4) if c_flag else 1.0,
        conflict_recall=round(c_found / c_gold, 4) if c_gold else 0.0,
        linked_same=tp, same=tp + fn, false_links=fp, flagged=c_flag, false_conflicts=c_flag - c_right,
    )


def evaluate(path: str | Path, *, limit: int | None = None, errors: list[dict] | None = None) -> dict[str, Any]:
    """Code both sides of every pair, fuse each pair alone, and score (see module docstring)."""
    from newsevents.pipeline import process_many
    from newsevents.records import Failure

    pairs = load(path, limit)
    articles = []
    for rec in pairs:
        pid = str(rec.get("id", len(articles) // 2))
        articles += [_article(rec["a"], pid, "a"), _article(rec["b"], pid, "b")]
    from newsevents.store import Store

    results = list(process_many(articles))
    outcomes = []
    store = Store(":memory:")  # one store, emptied after each pair: each pair is fused alone
    for i, rec in enumerate(pairs):
        ra, rb = results[2 * i], results[2 * i + 1]
        if isinstance(ra, Failure) or isinstance(rb, Failure):
            out = dict(linked=False, conflicts=[], evidence=[], events_a=0, events_b=0)
        else:
            out = pair_outcome(ra, rb, store)
        outcomes.append((rec, out))
        if errors is not None:
            same = rec["relation"] == "same"
            gold_fields = sorted({c.get("field") for c in rec.get("conflicts") or ()})
            kind = None
            if out["linked"] and not same:
                kind = "false_link"
            elif same and not out["linked"]:
                kind = "missed_link" if out["events_a"] and out["events_b"] else "missed_link_no_event"
            elif out["linked"] and set(out["conflicts"]) != set(gold_fields):
                kind = "conflict_mismatch"
            if kind:
                errors.append(dict(id=rec.get("id"), kind=kind, relation=rec["relation"],
                                   gold_conflicts=gold_fields, predicted_conflicts=out["conflicts"],
                                   events=[out["events_a"], out["events_b"]], evidence=out["evidence"],
                                   a=rec["a"].get("sentence"), b=rec["b"].get("sentence")))
    store.close()
    return score(outcomes)
