"""Geocoding evaluation over the geo format of shared/data/FORMATS.md (e.g. GeoVirus).

Two measurements on every document:

(a) resolution on gold spans (``where.resolve_spans``): ``acc_at_161km`` (share of toponyms within
    161 km = 100 miles of gold), ``median_km``, ``mean_km`` and ``auc``: the area under the curve of
    sorted log-errors, each ``log(1 + km) / log(1 + 20039)`` (20,039 km = half the Earth's
    circumference, the largest possible error), integrated with the trapezoid rule over the
    toponyms and divided by ``n - 1`` — Gritta et al. (2018), "What's missing in geographical
    parsing?"; 0 is perfect, 1 is the worst, smaller is better. Unresolved toponyms count as the
    maximal error 20,039 km.
(b) end to end (``where.extract``): ``span_precision``/``span_recall``/``span_f1`` on exact
    character spans; also ``span_f1_overlap`` (a prediction overlapping a gold span matches it,
    each at most once) and ``e2e_acc_at_161km`` over exactly matched spans.
"""
from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from typing import Any, Iterable, Sequence

__all__ = ["evaluate", "auc_log_error", "span_prf", "accuracy_at", "MAX_KM", "read_jsonl", "half"]

MAX_KM = 20039.0  # half the Earth's circumference: the largest great-circle error


def auc_log_error(errors_km: Sequence[float]) -> float:
    """Gritta et al. (2018) AUC of log(1 + error) scaled to 0..1 (smaller is better)."""
    if not errors_km:
        return 0.0
    ys = sorted(math.log1p(min(max(e, 0.0), MAX_KM)) / math.log1p(MAX_KM) for e in errors_km)
    if len(ys) == 1:
        return ys[0]
    area = sum((a + b) / 2 for a, b in zip(ys, ys[1:]))
    return area / (len(ys) - 1)


def accuracy_at(errors_km: Sequence[float], km: float = 161.0) -> float:
    return sum(1 for e in errors_km if e <= km) / len(errors_km) if errors_km else 0.0


def span_prf(gold: Iterable[tuple[int, int]], pred: Iterable[tuple[int, int]], *,
             overlap: bool = False) -> tuple[int, int, int]:
    """(true positives, number predicted, number gold) for one document."""
    g, p = sorted(set(gold)), sorted(set(pred))
    if not overlap:
        return len(set(g) & set(p)), len(p), len(g)
    used: set[int] = set()
    tp = 0
    for ps, pe in p:
        for k, (gs, ge) in enumerate(g):
            if k not in used and ps < ge and gs < pe:
                used.add(k)
                tp += 1
                break
    return tp, len(p), len(g)


def _prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def read_jsonl(path: str | Path) -> list[dict]:
    """Rows of a JSON Lines file. Lines end at "\\n" only: ``str.splitlines()`` also breaks at
    U+0085, U+2028 and U+2029, which JSON allows unescaped inside strings."""
    from newsevents.errors import EvalError

    rows = []
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})") from None
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"{path}: line {n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not isinstance(row.get("toponyms", []), list):
            raise EvalError(f"{path}: line {n}: not a geo gold record (needs \"text\" and \"toponyms\")")
        rows.append(row)
    return rows


def half(article_id: str) -> str:
    """"a" or "b": a fixed split of a corpus by a hash of the article id, for fitting on one
    half and measuring on the other (scripts/fit_geo_ranker.py, ``eval geo --half``)."""
    import hashlib

    return "ab"[hashlib.sha1(article_id.encode("utf-8")).digest()[0] & 1]


def _located(t: dict) -> bool:
    """A gold toponym with coordinates (LGL, GeoWebNews and TR-News have some without)."""
    lat, lon = t.get("lat"), t.get("lon")
    return isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and not t.get("unresolved")


def _error_km(place: Any, lat: float, lon: float) -> float:
    from newsevents.places.resolve import haversine_km

    if place is None or not place.resolved or place.lat is None:
        return MAX_KM
    return haversine_km(place.lat, place.lon, lat, lon)


def _mentions(doc: Any, article: Any) -> list:
    try:
        from newsevents import actors
    except ImportError:  # the actor stage is optional for geocoding
        return []
    return list(actors.extract(doc, article)[0])


def evaluate(path: str | Path, *, limit: int | None = None, errors: list[dict] | None = None,
             which: str | None = None, adjectival: bool = False) -> dict:
    """Score ``where`` on a geo gold file; see the module docstring for the metrics.

    ``which`` ("a" or "b") scores one half of the articles (``half``). Gold toponyms without
    coordinates count for span recognition and are left out of the distance metrics;
    ``toponyms_without_coordinates`` says how many. ``adjectival`` counts demonyms ("Sudanese")
    as predicted toponyms, as LGL's guidelines do.
    """
    from newsevents import nlp, places as where
    from newsevents.records import Article

    rows = read_jsonl(path)
    if which:
        rows = [r for r in rows if half(str(r.get("id", ""))) == which]
    rows = rows[:limit] if limit else rows
    errs: list[float] = []
    e2e_errs: list[float] = []
    exact = [0, 0, 0]
    over = [0, 0, 0]
    unlocated = 0
    for row in rows:
        article = Article(id=str(row.get("id", "")), text=row["text"])
        doc = nlp.parse(article.text)
        mentions = _mentions(doc, article)
        gold = [t for t in row.get("toponyms", [])
                if isinstance(t, dict) and isinstance(t.get("start"), int) and isinstance(t.get("end"), int)]
        spans = [(t["start"], t["end"]) for t in gold]
        for t, p in zip(gold, where.resolve_spans(doc, article, spans, mentions)):
            if not _located(t):
                unlocated += 1
                continue
            km = _error_km(p, t["lat"], t["lon"])
            errs.append(km)
            if errors is not None and km > 161:
                errors.append({"id": row.get("id"), "kind": "resolution", "text": t.get("text"), "start": t["start"],
                               "gold": [t["lat"], t["lon"]], "km": round(km, 1),
                               "pred": None if p is None else p.to_dict(),
                               "context": row["text"][max(0, t["start"] - 80): t["end"] + 80]})
        pred = where.extract(doc, article, mentions, adjectival=adjectival)
        pspans = [(p.start, p.end) for p in pred]
        for acc, ov in ((exact, False), (over, True)):
            for k, v in enumerate(span_prf(spans, pspans, overlap=ov)):
                acc[k] += v
        by_span = {(p.start, p.end): p for p in pred}
        for t in gold:
            p = by_span.get((t["start"], t["end"]))
            if p is not None and _located(t):
                e2e_errs.append(_error_km(p, t["lat"], t["lon"]))
        if errors is not None:
            gset = set(spans)
            for p in pred:
                if (p.start, p.end) not in gset:
                    errors.append({"id": row.get("id"), "kind": "span_fp", "text": p.text, "start": p.start,
                                   "context": row["text"][max(0, p.start - 60): p.end + 60]})
            pset = set(pspans)
            for t in gold:
                if (t["start"], t["end"]) not in pset:
                    errors.append({"id": row.get("id"), "kind": "span_fn", "text": t.get("text"), "start": t["start"],
                                   "context": row["text"][max(0, t["start"] - 60): t["end"] + 60]})
    p, r, f = _prf(*exact)
    _, _, fo = _prf(*over)
    return {
        "n": len(rows),
        "toponyms": len(errs),
        "toponyms_without_coordinates": unlocated,
        "acc_at_161km": round(accuracy_at(errs), 4),
        "median_km": round(statistics.median(errs), 2) if errs else 0.0,
        "mean_km": round(statistics.fmean(errs), 2) if errs else 0.0,
        "auc": round(auc_log_error(errs), 4),
        "span_precision": round(p, 4),
        "span_recall": round(r, 4),
        "span_f1": round(f, 4),
        "span_f1_overlap": round(fo, 4),
        "e2e_acc_at_161km": round(accuracy_at(e2e_errs), 4),
    }
