"""Where did each event happen? A locative in the event's clause, else a non-actor place in the
sentence, else the article's dominant country (dateline first), at a lower precision.

A place that is an actor of the event ("Moscow extended asylum": Moscow is the source) or that the
actor stage marked as metonymy is never the event's location.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Sequence

from spacy.tokens import Doc, Token

from .records import Article, Event, Place

__all__ = ["place_events"]

_ACTOR_SPANS = "newsevents.where.actor_spans"
#: Prepositions that introduce where something happened ("in Damascus", "near the border").
_LOCATIVE = {"in", "at", "near", "outside", "inside", "across", "throughout", "around", "within",
             "into", "onto", "along", "off", "over", "beyond", "towards", "toward"}
#: Dependencies that make a place a participant, not a setting ("Moscow extended", "Russia's army").
_ACTOR_DEPS = {"nsubj", "nsubjpass", "dobj", "dative", "poss", "agent", "attr", "appos", "iobj"}
_IMPLIED_SCORE = 0.5  # implied places are only as good as the article's main country guess


def _head_token(doc: Doc, p: Place) -> Token | None:
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    return span.root if span is not None else None


def _locative_prep(tok: Token) -> Token | None:
    """The preposition a place hangs from: "in Damascus", "in the city of Damascus", "near X and Y"."""
    t = tok
    for _ in range(4):
        if t.dep_ == "pobj" and t.head.dep_ == "prep":
            return t.head if t.head.lower_ in _LOCATIVE else None
        if t.dep_ in ("compound", "conj", "appos", "amod", "nmod") or (t.dep_ == "pobj" and t.head.lower_ == "of"):
            t = t.head if t.dep_ != "pobj" else t.head.head
            continue
        return None
    return None


def _tree_distance(a: Token, b: Token) -> int:
    anc_a = [a] + list(a.ancestors)
    anc_b = [b] + list(b.ancestors)
    pos_b = {t.i: k for k, t in enumerate(anc_b)}
    for k, t in enumerate(anc_a):
        if t.i in pos_b:
            return k + pos_b[t.i]
    return 99


def _is_actor(p: Place, ev: Event, doc: Doc, actor_spans: Sequence[tuple]) -> bool:
    for ref in ev.source + ev.target:
        if ref.start is not None and ref.end is not None and ref.start < p.end and p.start < ref.end:
            return True
    for s, e, basis, _kind in actor_spans:
        if basis == "metonymy" and s < p.end and p.start < e:
            return True
    head = _head_token(doc, p)
    return head is not None and head.dep_ in _ACTOR_DEPS and _locative_prep(head) is None


def _implied(places: Sequence[Place], article: Article) -> Place | None:
    """Dateline place ("DAMASCUS, Dec 1 (Reuters) -") first, else the most mentioned country."""
    resolved = [p for p in places if p.resolved]
    if not resolved:
        return None
    first = resolved[0]
    if first.start < 40 and article.text[first.end : first.end + 2] in (", ", " (", " -", " —"):
        head = article.text[: first.start].strip()
        if not head or head.isupper():
            return dataclasses.replace(first, score=round(first.score * _IMPLIED_SCORE, 3))
    counts = Counter(p.country for p in resolved if p.country)
    if not counts:
        return None
    cc = counts.most_common(1)[0][0]
    for p in resolved:
        if p.country == cc and p.feature == "country":
            return dataclasses.replace(p, score=round(p.score * _IMPLIED_SCORE, 3))
    from ._geo_index import gazetteer
    from .where import _to_place

    gaz = gazetteer()
    iso2 = {v: k for k, v in gaz.iso3.items()}.get(cc)
    c = gaz.country(iso2) if iso2 else None
    if c is None:
        return None
    p0 = next(p for p in resolved if p.country == cc)
    place = _to_place(c, p0.start, p0.end, p0.text, p0.sentence, 0.0)
    return dataclasses.replace(place, score=round(place.score * _IMPLIED_SCORE, 3))


def place_events(events: list[Event], places: list[Place], doc: Doc, article: Article) -> list[Event]:
    """Return ``events`` with ``place`` set where the text states or implies it."""
    if not events:
        return events
    actor_spans = doc.user_data.get(_ACTOR_SPANS, [])
    implied: Place | None | bool = False  # computed lazily
    out = []
    for ev in events:
        cands = [p for p in places if p.sentence == ev.sentence and p.resolved
                 and not _is_actor(p, ev, doc, actor_spans)]
        trig = doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
        chosen: Place | None = None
        if cands and trig is not None:
            root = trig.root
            locs = [(p, _head_token(doc, p)) for p in cands]
            locs = [(p, h) for p, h in locs if h is not None and _locative_prep(h) is not None]
            if locs:
                chosen = min(locs, key=lambda ph: (_tree_distance(root, ph[1]), abs(ph[0].start - ev.trigger_start)))[0]
        if chosen is None and cands:
            chosen = min(cands, key=lambda p: abs(p.start - ev.trigger_start))
        if chosen is None:
            if implied is False:
                implied = _implied(places, article)
            chosen = implied or None
        out.append(dataclasses.replace(ev, place=chosen) if chosen is not None else ev)
    return out
