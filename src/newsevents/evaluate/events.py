"""Score the events stage on gold data in the ``events`` format (shared/data/FORMATS.md).

For each record the pipeline runs end to end (``nlp.parse`` -> ``actors.extract`` ->
``events.code``) on the text, and one predicted event is compared with the record's first gold
event. The predicted event is the most confident one with a PLOVER type (ties: the earliest in
the text); statements (CAMEO 01, no PLOVER type) count as "no event".

Metrics (fractions 0-1; ``n`` records):

- ``type_accuracy``: predicted PLOVER type == gold type after mapping the 2016 draft labels
  (``ontology.GSR_2016_TO_PLOVER``); no prediction is wrong.
- ``type_macro_f1``: per-type F1 averaged over the current PLOVER types that occur in the gold or
  the predictions (types with neither have no defined F1).
- ``source_code_accuracy`` / ``target_code_accuracy``: the set of predicted actor codes equals
  the gold set. An actor's comparable code is its ISO3 country, else the first three letters of
  its code (IGO, NGO, IMG ...), as in the gold. When the gold has no target, the prediction is
  right only if it has no target either (the same for sources).
- ``sector_accuracy``: over gold actors (source and target) with a sector (``***`` excluded):
  a predicted actor in the same role with the same code has the sector's first three letters
  (gold ``REBkur`` -> ``REB``).
- ``exact_match``: type, source set and target set all right.

Where the file has records with ``expected_events: []`` (sentences reporting no event), every
record also counts for detection: a record is predicted positive when the coder returns at least
one event with a PLOVER type. ``detection_precision`` / ``detection_recall`` / ``detection_f1``
over records, and ``false_event_rate`` = the share of no-event records with a predicted event;
``n_records`` counts all records, ``n_no_event`` those without an event.

``per_type`` (not floored): per PLOVER type, over records with an event, the gold and predicted
counts, correct ones, precision, recall and F1. ``coder`` names the event coder that ran
(``--coder``; default ``newsevents.events.DEFAULT_CODER``).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from newsevents import ontology
from newsevents.records import ActorRef, Article, Event

__all__ = ["evaluate", "actor_code", "pick", "score", "gold_event", "predicted_event", "detection", "per_type"]


def actor_code(code: str | None, country: str | None = None) -> str | None:
    """The comparable code of an actor: ISO3 country, else the code's 3-letter prefix."""
    if country:
        return country.upper()
    if code:
        return code[:3].upper()
    return None


def _sector(s: str | None) -> str | None:
    if not s or s.strip("*") == "":
        return None
    return s[:3].upper()


def gold_event(rec: dict[str, Any]) -> dict[str, Any]:
    g = rec["expected_events"][0]
    return {
        "type": ontology.plover_from_gsr(g.get("event") or ""),
        "source": [(actor_code(a.get("code")), _sector(a.get("sector"))) for a in g.get("source") or []],
        "target": [(actor_code(a.get("code")), _sector(a.get("sector"))) for a in g.get("target") or []],
    }


def pick(events: Sequence[Event]) -> Event | None:
    """The predicted event to compare with a one-event gold record (see module docstring)."""
    typed = [(i, e) for i, e in enumerate(events) if e.plover_type]
    if not typed:
        return None
    return max(typed, key=lambda ie: (ie[1].confidence, -ie[0]))[1]


def _refs(refs: Iterable[ActorRef]) -> list[tuple[str | None, str | None]]:
    return [(actor_code(r.code, r.country), _sector(r.sector)) for r in refs]


def predicted_event(ev: Event | None) -> dict[str, Any]:
    if ev is None:
        return {"type": None, "source": [], "target": [], "cameo": None, "coder": None}
    return {"type": ev.plover_type, "source": _refs(ev.source), "target": _refs(ev.target),
            "cameo": ev.cameo_code, "coder": ev.coder, "trigger": ev.trigger,
            "modality": ev.modality}


def _codes(actors: list[tuple[str | None, str | None]]) -> set[str]:
    return {c for c, _ in actors if c}


def score(pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """Metrics over (gold, predicted) pairs of normalised events (see module docstring)."""
    n = len(pairs)
    if n == 0:
        return {"n": 0, "type_accuracy": 0.0, "type_macro_f1": 0.0, "source_code_accuracy": 0.0,
                "target_code_accuracy": 0.0, "sector_accuracy": 0.0, "exact_match": 0.0}
    type_ok = src_ok = tgt_ok = exact = 0
    sec_total = sec_ok = 0
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold, pred in pairs:
        t_ok = gold["type"] is not None and pred["type"] == gold["type"]
        s_ok = _codes(gold["source"]) == _codes(pred["source"])
        g_ok = _codes(gold["target"]) == _codes(pred["target"])
        type_ok += t_ok
        src_ok += s_ok
        tgt_ok += g_ok
        exact += t_ok and s_ok and g_ok
        if t_ok:
            tp[gold["type"]] += 1
        else:
            if gold["type"]:
                fn[gold["type"]] += 1
            if pred["type"]:
                fp[pred["type"]] += 1
        for role in ("source", "target"):
            for code, sector in gold[role]:
                if sector is None or code is None:
                    continue
                sec_total += 1
                sec_ok += any(c == code and s == sector for c, s in pred[role])
    f1s = []
    for t in ontology.PLOVER_TYPES:
        if tp[t] + fp[t] + fn[t] == 0:
            continue
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return {
        "n": n,
        "type_accuracy": type_ok / n,
        "type_macro_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "source_code_accuracy": src_ok / n,
        "target_code_accuracy": tgt_ok / n,
        "sector_accuracy": sec_ok / sec_total if sec_total else 0.0,
        "exact_match": exact / n,
    }


def _published(value: Any):
    """A record's ``published`` date (wikinews-events: the article's date) as the Article
    field; None when absent or not a date (PLOVER-GSR's placeholders stay undated)."""
    import datetime as dt

    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        d = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc)


def _code_record(rec: dict[str, Any], rid: str, coder: str) -> list[Event]:
    """Code one gold record as a one-sentence article with the event coder ``coder``."""
    from newsevents import events, nlp
    from newsevents.registry import actor_resolvers

    text = rec["text"]
    title = rec.get("title") or ""
    doc = nlp.parse(text)
    # the headline and date the annotators saw (wikinews-events CODING-GUIDE: "If the country
    # cannot be known from the sentence, its headline and its date, use null")
    article = Article(id=rid, text=text, title=title if isinstance(title, str) else "",
                      published=_published(rec.get("published")))
    mentions, _ = actor_resolvers.get("default")(doc, article)
    return events.code(doc, article, mentions, coder=coder)


def detection(flags: Sequence[tuple[bool, bool]]) -> dict[str, float]:
    """Detection metrics over (gold has an event, coder returned a typed event) per record."""
    tp = sum(1 for g, p in flags if g and p)
    fp = sum(1 for g, p in flags if p and not g)
    fn = sum(1 for g, p in flags if g and not p)
    neg = sum(1 for g, _ in flags if not g)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {
        "detection_precision": prec,
        "detection_recall": rec,
        "detection_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "false_event_rate": fp / neg if neg else 0.0,
        "n_no_event": neg,
    }


def per_type(pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per gold/predicted PLOVER type over records with an event: gold count, predicted count,
    correct, precision, recall, F1 (a record with no prediction counts against recall only)."""
    table: dict[str, dict[str, Any]] = {}
    for t in ontology.PLOVER_TYPES:
        n_gold = sum(1 for g, _ in pairs if g["type"] == t)
        n_pred = sum(1 for _, p in pairs if p["type"] == t)
        ok = sum(1 for g, p in pairs if g["type"] == t and p["type"] == t)
        if not (n_gold or n_pred):
            continue
        prec = ok / n_pred if n_pred else 0.0
        rec = ok / n_gold if n_gold else 0.0
        table[t] = {"gold": n_gold, "predicted": n_pred, "correct": ok, "precision": round(prec, 4),
                    "recall": round(rec, 4), "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0}
    return table


def evaluate(path: str | Path, *, limit: int | None = None,
             errors: list[dict[str, Any]] | None = None, coder: str | None = None) -> dict[str, Any]:
    """Run the coder named ``coder`` (default: ``events.DEFAULT_CODER``) on every record of
    ``path`` and score it (see module docstring). ``limit`` counts records with an event."""
    from newsevents.events import DEFAULT_CODER

    coder = coder or DEFAULT_CODER
    pairs = []
    flags: list[tuple[bool, bool]] = []
    from newsevents.evaluate import read_jsonl

    if True:  # one JSON object per line, split at \n only
        for rec in read_jsonl(path):
            has_event = bool(rec.get("expected_events"))
            if limit is not None and len(pairs) >= limit:
                break
            evs = _code_record(rec, rec.get("id", str(len(flags))), coder)
            predicted = pick(evs)
            flags.append((has_event, predicted is not None))
            if not has_event:
                if predicted is not None and errors is not None:
                    errors.append({"id": rec.get("id"), "text": rec["text"], "gold": None,
                                   "predicted": predicted_event(predicted), "wrong": ["false_event"],
                                   "all_events": [(e.cameo_code, e.plover_type, e.trigger, e.confidence)
                                                  for e in evs]})
                continue
            gold, pred = gold_event(rec), predicted_event(predicted)
            pairs.append((gold, pred))
            if errors is not None:
                ok_t = gold["type"] == pred["type"]
                ok_s = _codes(gold["source"]) == _codes(pred["source"])
                ok_g = _codes(gold["target"]) == _codes(pred["target"])
                if not (ok_t and ok_s and ok_g):
                    errors.append({"id": rec.get("id"), "text": rec["text"], "gold": gold,
                                   "predicted": pred,
                                   "wrong": [k for k, ok in (("type", ok_t), ("source", ok_s),
                                                             ("target", ok_g)) if not ok],
                                   "all_events": [(e.cameo_code, e.plover_type, e.trigger,
                                                   e.confidence) for e in evs]})
    metrics = score(pairs)
    metrics["n_records"] = len(flags)
    if any(not g for g, _ in flags):
        metrics.update(detection(flags))
    metrics["coder"] = coder
    metrics["per_type"] = per_type(pairs)
    return metrics
