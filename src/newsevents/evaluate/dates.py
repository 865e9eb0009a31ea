"""TIMEX3 evaluation over the dates format of shared/data/FORMATS.md (e.g. MEANTIME English).

TempEval-3 style: span precision/recall/F1 strict (identical offsets) and relaxed (any overlap,
each gold and each prediction matched at most once, largest overlap first); ``type_accuracy``
and ``value_accuracy`` over relaxed matches; ``value_f1`` end to end (a prediction is correct
when it overlaps a gold span and has the gold value). Each document is resolved against its
``dct``; predictions outside ``eval_window`` are not scored (only that part was annotated).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

__all__ = ["evaluate", "match_relaxed", "score_document", "Counts", "metrics", "parse_dct"]


@dataclass
class Counts:
    gold: int = 0
    pred: int = 0
    strict_tp: int = 0
    relaxed_tp: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def add(self, other: "Counts") -> None:
        for f in ("gold", "pred", "strict_tp", "relaxed_tp", "type_ok", "value_ok"):
            setattr(self, f, getattr(self, f) + getattr(other, f))


def _f1(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def match_relaxed(gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs of overlapping spans, largest overlap first."""
    pairs = []
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(pred):
            ov = min(ge, pe) - max(gs, ps)
            if ov > 0:
                pairs.append((-ov, gi, pi))
    pairs.sort()
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return sorted(out)


def _norm(v: Any) -> str:
    return str(v or "").strip().upper()


def score_document(gold: Sequence[dict], pred: Sequence[dict]) -> tuple[Counts, list[tuple[int, int]]]:
    """Counts for one document; items are dicts with start, end, type, value."""
    gs = [(g["start"], g["end"]) for g in gold]
    ps = [(p["start"], p["end"]) for p in pred]
    c = Counts(gold=len(gold), pred=len(pred), strict_tp=len(set(gs) & set(ps)))
    pairs = match_relaxed(gs, ps)
    c.relaxed_tp = len(pairs)
    for gi, pi in pairs:
        c.type_ok += _norm(gold[gi]["type"]) == _norm(pred[pi]["type"])
        c.value_ok += _norm(gold[gi]["value"]) == _norm(pred[pi]["value"])
    return c, pairs


def metrics(c: Counts, n: int) -> dict[str, Any]:
    sp, sr, sf = _f1(c.strict_tp, c.pred, c.gold)
    rp, rr, rf = _f1(c.relaxed_tp, c.pred, c.gold)
    vp, vr, vf = _f1(c.value_ok, c.pred, c.gold)
    return {
        "span_precision": sp, "span_recall": sr, "span_f1_strict": sf,
        "span_precision_relaxed": rp, "span_recall_relaxed": rr, "span_f1_relaxed": rf,
        "type_accuracy": c.type_ok / c.relaxed_tp if c.relaxed_tp else 0.0,
        "value_accuracy": c.value_ok / c.relaxed_tp if c.relaxed_tp else 0.0,
        "value_precision": vp, "value_recall": vr, "value_f1": vf,
        "n_gold": c.gold, "n_pred": c.pred, "n": n,
    }


def parse_dct(s: str | None) -> _dt.date | None:
    """'2008-03-01' -> date; also the day-first '03-02-2009' one MEANTIME document carries."""
    if not s:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return _dt.date.fromisoformat(s)
    m = re.fullmatch(r"(\d{2})-(\d{2})-(\d{4})", s)
    return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


def evaluate(path: str | Path, *, limit: int | None = None, errors: list[dict] | None = None) -> dict:
    """Run nlp + when.extract on each gold text and score the TIMEX3 found (see module doc)."""
    from newsevents import nlp, dates as when
    from newsevents.records import Article

    total = Counts()
    n = 0
    from newsevents.evaluate import read_jsonl

    rows = list(read_jsonl(path))  # one JSON object per line, split at \n only
    for row in rows[:limit] if limit else rows:
        text = row["text"]
        dct = parse_dct(row.get("dct"))
        w0, w1 = row.get("eval_window") or (0, len(text))
        published = _dt.datetime(dct.year, dct.month, dct.day, tzinfo=_dt.timezone.utc) if dct else None
        article = Article(id=str(row.get("id")), text=text, title=row.get("title", ""), published=published)
        found = when.extract(nlp.parse(text), article)
        pred = [t.to_dict() for t in found if t.start >= w0 and t.end <= w1]
        gold = [g for g in row.get("timex3", []) if g.get("end", 0) > g.get("start", 0)
                and g["start"] >= w0 and g["end"] <= w1]
        c, pairs = score_document(gold, pred)
        total.add(c)
        n += 1
        if errors is not None:
            _collect(errors, row, text, gold, pred, pairs)
    return metrics(total, n)


def _collect(errors: list[dict], row: dict, text: str, gold: list[dict], pred: list[dict],
             pairs: list[tuple[int, int]]) -> None:
    def ctx(s: int, e: int) -> str:
        return text[max(0, s - 60):s] + "[[" + text[s:e] + "]]" + text[e:e + 40]

    def brief(x: dict) -> dict:
        return {k: x.get(k) for k in ("start", "end", "text", "type", "value")}

    mg, mp = {g for g, _ in pairs}, {p for _, p in pairs}
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        if _norm(g["value"]) != _norm(p["value"]) or (g["start"], g["end"]) != (p["start"], p["end"]):
            kind = "wrong_value" if _norm(g["value"]) != _norm(p["value"]) else "span"
            errors.append({"id": row.get("id"), "dct": row.get("dct"), "kind": kind,
                           "gold": brief(g), "pred": brief(p), "context": ctx(g["start"], g["end"])})
    for gi, g in enumerate(gold):
        if gi not in mg:
            errors.append({"id": row.get("id"), "dct": row.get("dct"), "kind": "missed",
                           "gold": brief(g), "pred": None, "context": ctx(g["start"], g["end"])})
    for pi, p in enumerate(pred):
        if pi not in mp:
            errors.append({"id": row.get("id"), "dct": row.get("dct"), "kind": "spurious",
                           "gold": None, "pred": brief(p), "context": ctx(p["start"], p["end"])})
