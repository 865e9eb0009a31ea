"""Where did each event happen? A locative in the event's clause, else a non-actor place in the
sentence, else the country of a place that is the event's own source ("Moscow extended asylum",
"Russia granted asylum": the act happens in Russia), else the article's dominant country
(dateline first), at a lower precision.

A place that is an actor of the event or that the actor stage marked as metonymy is never the
event's location itself; one that hangs from a locative preposition ("asylum in Russia") is a
setting even when the actor stage read the source from it.

Cost is linear in the document: places are grouped by sentence, each event looks only at the
places nearest its trigger, actor spans are searched by bisection, and walks up the parse tree
are bounded (a 20,000-token "sentence" has parse chains thousands of tokens deep).
"""
from __future__ import annotations

import dataclasses
import bisect
from collections import Counter
from typing import Sequence

from spacy.tokens import Doc, Token

from newsevents.places.mentions import Spans
from newsevents.records import Article, Event, Place

__all__ = ["place_events"]

_ACTOR_SPANS = "newsevents.places.actor_spans"
#: Prepositions that introduce where something happened ("in Damascus", "near the border").
_LOCATIVE = {"in", "at", "near", "outside", "inside", "across", "throughout", "around", "within",
             "into", "onto", "along", "off", "over", "beyond", "towards", "toward"}
#: Dependencies that make a place a participant, not a setting ("Moscow extended", "Russia's army").
_ACTOR_DEPS = {"nsubj", "nsubjpass", "dobj", "dative", "poss", "agent", "attr", "appos", "iobj"}
_IMPLIED_SCORE = 0.5  # implied places are only as good as the article's main country guess
#: Places considered per event on each side of its trigger, and steps walked up the parse tree.
_NEAREST = 8
_MAX_DEPTH = 40


def _ancestors(tok: Token) -> list[Token]:
    out = []
    t = tok
    while t.head.i != t.i and len(out) < _MAX_DEPTH:
        t = t.head
        out.append(t)
    return out


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


_CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "parataxis", "acl", "xcomp", "conj"}


def _same_clause(trigger: Token, prep: Token) -> bool:
    """True unless ``prep`` sits in a subordinate/other clause below the common ancestor.

    "Trump remarked, referencing Russia's struggles in Ukraine": "in Ukraine" is inside the
    "referencing" clause, so it is not where the remark was made.
    """
    anc = {t.i for t in _ancestors(trigger)} | {trigger.i}
    t = prep
    for _ in range(_MAX_DEPTH):
        if t.i in anc or t.head.i == t.i:
            break
        if t.dep_ in _CLAUSE_DEPS and t.pos_ in ("VERB", "AUX"):
            return False
        t = t.head
    return True


def _tree_distance(a: Token, b: Token) -> int:
    anc_a = [a] + _ancestors(a)
    anc_b = [b] + _ancestors(b)
    pos_b = {t.i: k for k, t in enumerate(anc_b)}
    for k, t in enumerate(anc_a):
        if t.i in pos_b:
            return k + pos_b[t.i]
    return 99


def _is_actor(p: Place, ev: Event, doc: Doc, metonymy: Spans) -> bool:
    head = _head_token(doc, p)
    if head is not None and _locative_prep(head) is not None:
        return False  # "granted asylum in Russia": a setting, whatever the actor stage read from it
    for ref in ev.source + ev.target:
        if ref.start is not None and ref.end is not None and ref.start < p.end and p.start < ref.end:
            return True
    if metonymy.overlaps(p.start, p.end):
        return True
    # A subject/object/possessor of this event's own predicate is a participant ("Moscow
    # extended asylum"); the subject of another clause may still be where this event happened
    # ("Damascus had fallen, prompting government forces to withdraw").
    trig = doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
    if head is None or head.dep_ not in _ACTOR_DEPS:
        return False
    return trig is None or head.head.i in {t.i for t in trig} or head.head.i == trig.root.i


def _country_place(cc: str, like: Place) -> Place | None:
    """The country ``cc`` (ISO3) as a Place at the offsets of ``like``, implied-level score."""
    from newsevents.places.index import gazetteer
    from newsevents.places.mentions import to_place as _to_place

    gaz = gazetteer()
    iso2 = next((k for k, v in gaz.iso3.items() if v == cc), None)
    c = gaz.country(iso2) if iso2 else None
    if c is None:
        return None
    place = _to_place(c, like.start, like.end, like.text, like.sentence, 0.0)
    return dataclasses.replace(place, score=round(place.score * _IMPLIED_SCORE, 3))


def _source_place(ev: Event, near: Sequence[Place]) -> Place | None:
    """The country of a place that is the event's source: "Moscow extended asylum", "Russia
    granted asylum to Assad" happen in Russia, not in the article's main country."""
    for ref in ev.source:
        if ref.start is None or ref.end is None:
            continue
        for p in near:
            if p.resolved and p.country and ref.start < p.end and p.start < ref.end:
                return _country_place(p.country, p)
    return None


def _implied(places: Sequence[Place], article: Article, doc: Doc | None = None,
             metonymy: Spans | None = None) -> Place | None:
    """Dateline place ("DAMASCUS, Dec 1 (Reuters) -") first, else the most mentioned country."""
    resolved = [p for p in places if p.resolved]
    if not resolved:
        return None
    first = resolved[0]
    if first.start < 40 and article.text[first.end : first.end + 2] in (", ", " (", " -", " —"):
        head = article.text[: first.start].strip()
        if not head or head.isupper():
            return dataclasses.replace(first, score=round(first.score * _IMPLIED_SCORE, 3))
    # The article's main country: locative mentions ("in Syria") count double, mentions that are
    # actors (metonymy, subjects/objects) half. On the seed report Russia (the asylum giver,
    # mostly a subject) otherwise outnumbered Syria, where the offensive happened.
    counts: Counter = Counter()
    for p in resolved:
        if not p.country:
            continue
        head = _head_token(doc, p) if doc is not None else None
        w = 1.0
        if head is not None and _locative_prep(head) is not None:
            w = 2.0
        elif (metonymy is not None and metonymy.overlaps(p.start, p.end)) or (
            head is not None and head.dep_ in ("nsubj", "nsubjpass", "dobj", "agent")
        ):
            w = 0.5
        counts[p.country] += w
    if not counts:
        return None
    cc = counts.most_common(1)[0][0]
    for p in resolved:
        if p.country == cc and p.feature == "country":
            return dataclasses.replace(p, score=round(p.score * _IMPLIED_SCORE, 3))
    return _country_place(cc, next(p for p in resolved if p.country == cc))


def place_events(events: list[Event], places: list[Place], doc: Doc, article: Article) -> list[Event]:
    """Return ``events`` with ``place`` set where the text states or implies it."""
    if not events:
        return events
    metonymy = Spans([(s, e) for s, e, basis, _kind in doc.user_data.get(_ACTOR_SPANS, []) if basis == "metonymy"])
    by_sentence: dict[int, list[Place]] = {}
    for p in sorted(places, key=lambda p: p.start):
        if p.resolved:
            by_sentence.setdefault(p.sentence, []).append(p)
    starts = {k: [p.start for p in v] for k, v in by_sentence.items()}
    implied: Place | None | bool = False  # computed lazily
    out = []
    for ev in events:
        in_sentence = by_sentence.get(ev.sentence, [])
        k = bisect.bisect_left(starts.get(ev.sentence, []), ev.trigger_start)
        near = in_sentence[max(0, k - _NEAREST): k + _NEAREST]  # the places around the trigger
        cands = [p for p in near if not _is_actor(p, ev, doc, metonymy)]
        trig = doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
        chosen: Place | None = None
        if cands and trig is not None:
            root = trig.root
            locs = [(p, _head_token(doc, p)) for p in cands]
            locs = [(p, h) for p, h in locs if h is not None and _locative_prep(h) is not None
                    and _same_clause(root, _locative_prep(h))]
            if locs:
                chosen = min(locs, key=lambda ph: (_tree_distance(root, ph[1]), abs(ph[0].start - ev.trigger_start)))[0]
        if chosen is None and cands:
            # Otherwise a place that takes no role in any clause (a dateline-like aside);
            # subjects, objects and possessors of other verbs are other events' participants,
            # and a country modifying a noun is a nationality ("U.S. soldiers were wounded").
            free = [p for p in cands if (h := _head_token(doc, p)) is not None and h.dep_ not in _ACTOR_DEPS
                    and not (p.feature == "country" and h.dep_ in ("compound", "amod", "nmod"))]
            if free:
                chosen = min(free, key=lambda p: abs(p.start - ev.trigger_start))
        if chosen is None:
            chosen = _source_place(ev, near)
        if chosen is None:
            if implied is False:
                implied = _implied(places, article, doc, metonymy)
            chosen = implied or None
        out.append(dataclasses.replace(ev, place=chosen) if chosen is not None else ev)
    return out
