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
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from newsevents import ontology
from newsevents.records import ActorRef, Article, Event

__all__ = ["evaluate", "actor_code", "pick", "score", "gold_event", "predicted_event"]


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


def _code_record(text: str, rid: str, title: str = "", published: Any = None) -> list[Event]:
    from newsevents.events import rules as events
    from newsevents import nlp

    doc = nlp.parse(text)
    # the headline and date the annotators saw (wikinews-events CODING-GUIDE: "If the country
    # cannot be known from the sentence, its headline and its date, use null")
    article = Article(id=rid, text=text, title=title if isinstance(title, str) else "",
                      published=_published(published))
    try:
        from newsevents import actors
    except ImportError:  # pragma: no cover - the actors stage is written concurrently
        mentions: list = []
    else:
        mentions, _ = actors.extract(doc, article)
    return events.code(doc, article, mentions)


def evaluate(path: str | Path, *, limit: int | None = None,
             errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Run the coder on every record of ``path`` and score it (see module docstring)."""
    pairs = []
    from newsevents.evaluate import read_jsonl

    if True:  # one JSON object per line, split at \n only
        for rec in read_jsonl(path):
            if not rec.get("expected_events"):
                continue
            if limit is not None and len(pairs) >= limit:
                break
            evs = _code_record(rec["text"], rec.get("id", str(len(pairs))), rec.get("title") or "",
                               rec.get("published"))
            gold, pred = gold_event(rec), predicted_event(pick(evs))
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
    return score(pairs)
