"""The WHERE stage: find toponyms, resolve them to gazetteer entries, and place events.

Recognition: ``places.recognise`` (spaCy entities, places inside organisation names, gazetteer
names spaCy missed). Resolution: ``places.names`` (what the text says about a name), ``places.resolve`` (context scoring
over GeoNames + our regions), ``places.fallback`` (names the gazetteer lacks, placed through the
places beside them; low confidence).
Event location: ``places.events``. The gazetteer index: ``places.index`` (built once, cached on disk).
"""
from __future__ import annotations

import math
from typing import Sequence

from spacy.tokens import Doc

from newsevents.places.events import place_events
from newsevents.places.index import Candidate, gazetteer
from newsevents.places.recognise import hint as _hint
from newsevents.places.recognise import qualifier as _qualifier
from newsevents.places.recognise import recognise as _recognise
from newsevents.places.recognise import sent_index as _sent_index
from newsevents.places.mentions import Context, Mention
from newsevents.places.mentions import to_place as _to_place
from newsevents.places.resolve import demonym_country, resolve_all
from newsevents.records import ActorMention, Article, Place

__all__ = ["extract", "place_events", "geocode", "resolve_spans"]

#: doc.user_data key where extract() leaves actor spans for place_events (metonymy filter).
ACTOR_SPANS = "newsevents.places.actor_spans"


def _context(doc: Doc, mentions: Sequence[ActorMention]) -> Context:
    """Country evidence from demonyms (spaCy NORP) and the actor stage's mentions."""
    gaz = gazetteer()
    iso2 = {v: k for k, v in gaz.iso3.items()}
    ctx = Context()
    for ent in doc.ents:
        if ent.label_ == "NORP":
            cc = demonym_country(ent.text, gaz)
            if cc:
                ctx.add(cc, _sent_index(doc, ent.sent))
    for m in mentions:
        cc = iso2.get(m.country or "")
        if cc and m.basis == "demonym":
            ctx.add(cc, m.sentence)
    return ctx


def _place(m: Mention) -> Place:
    c = m.choice
    if c is None:
        return Place(m.start, m.end, m.text, m.sentence, None, None, None, None, None, None, None, None, 0.0, False)
    return _to_place(c, m.start, m.end, m.text, m.sentence, m.margin)


def extract(doc: Doc, article: Article, mentions: Sequence[ActorMention], *,
            adjectival: bool = False) -> list[Place]:
    """Every toponym in ``doc``, resolved where the gazetteer allows, unresolved otherwise.

    ``adjectival`` also returns adjectival place references ("Sudanese", "the Israeli side") as
    places of their country, as LGL's annotation guidelines count them (GeoVirus does not)."""
    doc.user_data[ACTOR_SPANS] = [(m.start, m.end, m.basis, m.kind) for m in mentions]
    found = _recognise(doc, mentions, adjectival=adjectival)
    resolve_all(found, _context(doc, mentions), gazetteer(), doc.text)
    return [_place(m) for m in found]


def resolve_spans(doc: Doc, article: Article, spans: list[tuple[int, int]],
                  mentions: Sequence[ActorMention] = ()) -> list[Place]:
    """Resolve given character spans (e.g. gold toponyms) with the whole article as context."""
    found = _recognise(doc, mentions)
    given: list[Mention] = []
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        sent = _sent_index(doc, span.sent) if span is not None else 0
        label = span.ents[0].label_ if span is not None and span.ents else "GAZ"
        q = _qualifier(doc, span.end) if span is not None else None
        h = _hint(doc, span.end, span.start) if span is not None else None
        given.append(Mention(s, e, doc.text[s:e], sent, label, q, hint=h))
    keys = {(m.start, m.end) for m in given}
    others = [m for m in found if (m.start, m.end) not in keys]
    resolve_all(given + others, _context(doc, mentions), gazetteer(), doc.text)
    return [_place(m) for m in given]


def geocode(name: str, context: Sequence[str] = ()) -> Place | None:
    """Resolve one place name; ``context`` are other names (places, demonyms) that disambiguate it.

    >>> geocode("Paris", ["Texas"]).country
    'USA'
    """
    gaz = gazetteer()
    ctx = Context()
    anchors: list[Mention] = []
    for c in context:
        cc = demonym_country(c, gaz)
        if cc:
            ctx.add(cc)
        else:
            anchors.append(Mention(0, 0, c, 0, "GPE"))
    # The first place given is read as a qualifier, like "Paris, Texas" in running text.
    m = Mention(0, len(name), name, 0, "GPE", anchors[0].text if anchors else None)
    resolve_all([m] + anchors, ctx, gaz)
    return None if m.choice is None else _place(m)
