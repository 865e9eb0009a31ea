"""Score the quotes stage against PolNeAR-style attribution gold (FORMATS.md, "quotes").

How spans are compared (documented because PolNeAR contents are often discontinuous and keep
quotation marks and the complementiser "that", which our ``Quote.text`` leaves out):

- A content is the *set of word tokens* (``\\w+`` runs, by character offsets) covered by all of
  its spans. Punctuation and quotation marks therefore never count, and a split quote ("A," he
  said, "B") is one set. A leading complementiser "that" is dropped from both sides.
- Predicted ``Quote`` records that share a cue (same cue offsets) form one predicted
  attribution (union of their token sets), mirroring PolNeAR's one-attribution-many-spans.
- *exact*: token sets are equal. *overlap*: ``|G & P| >= 0.5 * max(|G|, |P|)`` (each side
  covers at least half of the larger one). Matching is one-to-one, greedy by best overlap.
- Speaker accuracy: over matched pairs whose gold attribution has a source span; correct when
  the predicted speaker mention's offsets overlap a gold source span.
  ``speakerless_accuracy`` reports matched pairs with no gold source (correct = no speaker).
- Direct quotes: a gold content is direct when its first span starts with (or directly follows)
  a quotation mark. Direct recall counts gold-direct contents matched by any prediction; direct
  precision counts predictions with ``direct=True`` matched to any gold content (a predicted
  quotation that matches a gold paraphrase-with-quote is not a false alarm).
- One annotator per article: the first record in file order for each ``article``.
- A record's ``eval_window`` (FORMATS.md) limits scored predictions to that stretch.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

__all__ = [
    "Attribution",
    "evaluate",
    "gold_attributions",
    "in_window",
    "match",
    "predicted_attributions",
    "prf",
    "score_document",
    "token_set",
]

_WORD = re.compile(r"\w+")
_QUOTE_CHARS = "\"“”„«»‘’'‹›"
OVERLAP = 0.5


@dataclass(frozen=True)
class Attribution:
    """One content (as a token set) with its speaker span(s), for scoring."""

    tokens: frozenset[tuple[int, int]]
    sources: tuple[tuple[int, int], ...] = ()
    direct: bool = False
    text: str = ""
    source_text: str = ""
    cue: str = ""


def token_set(text: str, spans: Iterable[Sequence[int]]) -> frozenset[tuple[int, int]]:
    """Word tokens (char offsets) covered by ``spans``, without a leading "that"."""
    toks: list[tuple[int, int]] = []
    for s, e in sorted((int(a), int(b)) for a, b in spans):
        toks.extend((s + m.start(), s + m.end()) for m in _WORD.finditer(text[s:e]))
    toks.sort()
    if toks and text[toks[0][0] : toks[0][1]].lower() == "that" and len(toks) > 1:
        toks = toks[1:]
    return frozenset(toks)


def _is_direct(text: str, spans: Sequence[Sequence[int]]) -> bool:
    s, e = min((int(a), int(b)) for a, b in spans)
    seg = text[s:e].lstrip()
    if seg[:1] in _QUOTE_CHARS:
        return True
    return s > 0 and text[s - 1] in _QUOTE_CHARS


def gold_attributions(record: dict[str, Any]) -> list[Attribution]:
    """The scorable attributions of one gold record (those with a content span)."""
    text = record["text"]
    out = []
    for a in record.get("attributions", []):
        content = a.get("content")
        if not content or not content.get("spans"):
            continue
        toks = token_set(text, content["spans"])
        if not toks:
            continue
        src = a.get("source") or {}
        out.append(
            Attribution(
                tokens=toks,
                sources=tuple((int(s), int(e)) for s, e in src.get("spans", [])),
                direct=_is_direct(text, content["spans"]),
                text=content.get("text", ""),
                source_text=src.get("text", ""),
                cue=(a.get("cue") or {}).get("text", ""),
            )
        )
    return out


def predicted_attributions(text: str, quotes: Sequence[Any]) -> list[Attribution]:
    """Group ``Quote`` records by cue offsets into attributions."""
    groups: dict[Any, list[Any]] = {}
    for i, q in enumerate(quotes):
        key = (q.cue_start, q.cue_end) if q.cue_start is not None else ("solo", i)
        groups.setdefault(key, []).append(q)
    out = []
    for qs in groups.values():
        toks = token_set(text, [(q.start, q.end) for q in qs])
        if not toks:
            continue
        spk = next((q.speaker for q in qs if q.speaker is not None), None)
        sources = ()
        if spk is not None and spk.start is not None and spk.end is not None:
            sources = ((spk.start, spk.end),)
        out.append(
            Attribution(
                tokens=toks,
                sources=sources,
                direct=any(q.direct for q in qs),
                text=" | ".join(q.text for q in qs),
                source_text=(spk.text or spk.name) if spk is not None else "",
                cue=qs[0].cue or "",
            )
        )
    return out


def _overlap(g: frozenset, p: frozenset) -> float:
    if not g or not p:
        return 0.0
    return len(g & p) / max(len(g), len(p))


def match(
    gold: Sequence[Attribution], pred: Sequence[Attribution], *, exact: bool = False
) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs, greedy by best token overlap."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if exact:
                if g.tokens == p.tokens:
                    pairs.append((1.0, gi, pi))
            else:
                ov = _overlap(g.tokens, p.tokens)
                if ov >= OVERLAP:
                    pairs.append((ov, gi, pi))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def _spans_overlap(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def score_document(gold: Sequence[Attribution], pred: Sequence[Attribution]) -> dict[str, int]:
    """Raw counts for one document (summed over the corpus by ``evaluate``)."""
    m_exact = match(gold, pred, exact=True)
    m_over = match(gold, pred)
    c = {
        "gold": len(gold),
        "pred": len(pred),
        "tp_exact": len(m_exact),
        "tp_overlap": len(m_over),
        "spk_n": 0,
        "spk_ok": 0,
        "nospk_n": 0,
        "nospk_ok": 0,
        "d_gold": sum(g.direct for g in gold),
        "d_pred": sum(p.direct for p in pred),
        "d_tp_gold": 0,
        "d_tp_pred": 0,
        "d_spk_n": 0,
        "d_spk_ok": 0,
    }
    for gi, pi in m_over:
        g, p = gold[gi], pred[pi]
        if g.sources:
            ok = _spans_overlap(g.sources, p.sources)
            c["spk_n"] += 1
            c["spk_ok"] += ok
            if g.direct:
                c["d_spk_n"] += 1
                c["d_spk_ok"] += ok
        else:
            c["nospk_n"] += 1
            c["nospk_ok"] += not p.sources
        c["d_tp_gold"] += g.direct
        c["d_tp_pred"] += p.direct
    return c


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (0 when undefined)."""
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _metrics(c: dict[str, int], n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("exact", "overlap"):
        tp = c[f"tp_{kind}"]
        p, r, f = prf(tp, c["pred"], tp, c["gold"])
        out[f"content_precision_{kind}"] = p
        out[f"content_recall_{kind}"] = r
        out[f"content_f1_{kind}"] = f
    out["speaker_accuracy"] = c["spk_ok"] / c["spk_n"] if c["spk_n"] else 0.0
    out["speakerless_accuracy"] = c["nospk_ok"] / c["nospk_n"] if c["nospk_n"] else 0.0
    p, r, f = prf(c["d_tp_pred"], c["d_pred"], c["d_tp_gold"], c["d_gold"])
    out["direct_content_precision_overlap"] = p
    out["direct_content_recall_overlap"] = r
    out["direct_content_f1_overlap"] = f
    out["direct_speaker_accuracy"] = c["d_spk_ok"] / c["d_spk_n"] if c["d_spk_n"] else 0.0
    out["n"] = n
    out["n_gold"] = c["gold"]
    out["n_pred"] = c["pred"]
    out["n_gold_direct"] = c["d_gold"]
    return out


def in_window(quotes: Sequence[Any], window: Sequence[int] | None) -> list[Any]:
    """Predictions inside a record's ``eval_window`` (only that part was annotated)."""
    if not window:
        return list(quotes)
    ws, we = int(window[0]), int(window[1])
    return [q for q in quotes if ws <= q.start and q.end <= we]


def _load(path: Path, limit: int | None) -> list[dict[str, Any]]:
    seen: set[str] = set()
    records = []
    from newsevents.evaluate import read_jsonl

    if True:  # one JSON object per line, split at \n only
        for rec in read_jsonl(path):
            key = rec.get("article") or rec["id"]
            if key in seen:
                continue
            seen.add(key)
            records.append(rec)
            if limit is not None and len(records) >= limit:
                break
    return records


def _predict(rec: dict[str, Any]) -> list[Any]:
    from newsevents import nlp, quotes
    from newsevents.records import Article

    published = None
    if rec.get("publication_date"):
        try:
            published = _dt.datetime.fromisoformat(rec["publication_date"]).replace(
                tzinfo=_dt.timezone.utc
            )
        except ValueError:
            published = None
    article = Article(id=rec["id"], text=rec["text"], title=rec.get("title", ""), published=published)
    doc = nlp.parse(article.text)
    mentions: list[Any] = []
    try:
        from newsevents import actors

        mentions = list(actors.extract(doc, article)[0])
    except Exception:  # actors stage missing or failing: quotes still work without codes
        mentions = []
    return quotes.extract(doc, article, mentions)


def evaluate(path: str | Path, *, limit: int | None = None, errors: list[dict] | None = None) -> dict:
    """Run the quotes stage on each gold article and score it (see module docstring)."""
    total: dict[str, int] = {}
    records = _load(Path(path), limit)
    for rec in records:
        text = rec["text"]
        gold = gold_attributions(rec)
        pred = predicted_attributions(text, in_window(_predict(rec), rec.get("eval_window")))
        counts = score_document(gold, pred)
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
        if errors is not None:
            errors.extend(_errors(rec["id"], gold, pred))
    return _metrics(total, len(records))


def _errors(doc_id: str, gold: Sequence[Attribution], pred: Sequence[Attribution]) -> list[dict]:
    out = []
    pairs = match(gold, pred)
    mg = {gi: pi for gi, pi in pairs}
    mp = {pi for _, pi in pairs}
    for gi, g in enumerate(gold):
        if gi not in mg:
            out.append({"doc": doc_id, "kind": "missed", "gold": g.text, "gold_source": g.source_text,
                        "gold_cue": g.cue, "direct": g.direct})
            continue
        p = pred[mg[gi]]
        if g.sources and not _spans_overlap(g.sources, p.sources):
            out.append({"doc": doc_id, "kind": "wrong_speaker", "gold": g.text,
                        "gold_source": g.source_text, "pred_source": p.source_text,
                        "gold_cue": g.cue, "pred_cue": p.cue, "direct": g.direct})
    for pi, p in enumerate(pred):
        if pi not in mp:
            out.append({"doc": doc_id, "kind": "spurious", "pred": p.text,
                        "pred_source": p.source_text, "pred_cue": p.cue, "direct": p.direct})
    return out
