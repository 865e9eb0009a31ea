"""The WHERE stage: find toponyms, resolve them to gazetteer entries, and place events.

Recognition: spaCy GPE/LOC (and FAC when the gazetteer knows the name) entities, plus
capitalised multiword gazetteer names spaCy missed. Resolution: ``_geo_resolve`` (context
scoring over GeoNames + our regions). Event location: ``_geo_events``.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

from spacy.tokens import Doc, Span

from ._geo_events import place_events
from ._geo_index import Candidate, gazetteer, norm
from ._geo_resolve import Context, Mention, demonym_country, resolve_all
from .records import ActorMention, Article, Place

__all__ = ["extract", "place_events", "geocode", "resolve_spans"]

_LABELS = {"GPE", "LOC", "FAC"}
_PRECISION = {"continent": "region", "region": "region", "country": "country", "admin1": "admin1",
              "capital": "city", "city": "city"}
#: doc.user_data key where extract() leaves actor spans for place_events (metonymy filter).
ACTOR_SPANS = "newsevents.where.actor_spans"
#: Small words that may sit inside a multiword place name ("Bosnia and Herzegovina").
_INNER = {"of", "and", "de", "del", "la", "el", "al", "upon", "on", "du", "des"}
# Gazetteer-only matches (no spaCy entity) must be multiword or a name of at least this
# importance: single capitalised words matching some village are mostly not toponyms.
_GAZ_MIN_POP = 100_000
_LOC_PREPS = {"in", "at", "near", "from", "outside", "across", "throughout", "around", "to", "into"}


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token span without a leading "the" or a trailing possessive / punctuation."""
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _qualifier(doc: Doc, end: int) -> str | None:
    """"Paris, Texas": the capitalised name right after a comma following the toponym.

    Not in a list: "China, Japan and Korea" / "China, Japan, Korea" qualify nothing (this made
    China a Japanese village on geovirus-dev).
    """
    if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].is_title:
        j = end + 1
        while j < len(doc) and j < end + 4 and (doc[j].is_title or doc[j].text == "."):
            j += 1
        nxt = doc[j] if j < len(doc) else None
        if nxt is not None and (nxt.lower_ in ("and", "or") or
                                nxt.text == "," and j + 1 < len(doc) and doc[j + 1].is_title and doc[j + 1].ent_type_ in ("GPE", "LOC")):
            return None
        return doc[end + 1 : j].text
    return None


def _mention(doc: Doc, start: int, end: int, label: str) -> Mention:
    span = doc[start:end]
    sent = span.sent
    sent_i = _sent_index(doc, sent)
    return Mention(span.start_char, span.end_char, span.text, sent_i, label, _qualifier(doc, end))


def _sent_index(doc: Doc, sent: Span) -> int:
    starts = doc.user_data.setdefault("newsevents.where.sent_starts", [s.start for s in doc.sents])
    import bisect

    return bisect.bisect_right(starts, sent.start) - 1


def _misread_place(doc: Doc, ent: Span) -> bool:
    """A place the small model tagged ORG/PERSON: "the blast in Hyderabad" (ORG).

    Only after a locative preposition and only for a name of some importance (country, admin1,
    region, or a city of >= 100k people), so "in Hyderabad" counts but "by Jordan" does not.
    """
    if ent.start == 0 or doc[ent.start - 1].lower_ not in _LOC_PREPS:
        return False
    cands = gazetteer().candidates(ent.text, fuzzy=False)
    return any(not c.alt and (c.feat != "city" or c.pop >= _GAZ_MIN_POP) for c in cands)


def _recognise(doc: Doc, mentions: Sequence[ActorMention]) -> list[Mention]:
    gaz = gazetteer()
    people = {(m.start, m.end) for m in mentions if m.kind in ("person",)}
    out: list[Mention] = []
    taken = [False] * len(doc)
    for ent in doc.ents:
        if ent.label_ in ("ORG", "PERSON") and _misread_place(doc, ent):
            s, e = _trim(doc, ent.start, ent.end)
            out.append(_mention(doc, s, e, "GAZ"))
            for t in range(ent.start, ent.end):
                taken[t] = True
            continue
        if ent.label_ not in _LABELS:
            if ent.label_ in ("PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "LAW"):
                for t in range(ent.start, ent.end):
                    taken[t] = True
            continue
        s, e = _trim(doc, ent.start, ent.end)
        if s >= e:
            continue
        span = doc[s:e]
        if (span.start_char, span.end_char) in people:
            continue
        if ent.label_ == "FAC" and not gaz.has(norm(span.text)):
            continue
        out.append(_mention(doc, s, e, ent.label_))
        for t in range(ent.start, ent.end):
            taken[t] = True
    # Gazetteer names spaCy did not tag, longest first.
    i = 0
    while i < len(doc):
        if taken[i] or not doc[i].is_title or doc[i].is_sent_start and doc[i].pos_ != "PROPN":
            i += 1
            continue
        hit = None
        for n in (4, 3, 2, 1):
            j = i + n
            if j > len(doc) or any(taken[t] for t in range(i, j)) or not doc[j - 1].is_title:
                continue
            if not all(t.is_title or t.lower_ in _INNER for t in doc[i:j]):
                continue
            cands = gaz.candidates(doc[i:j].text, fuzzy=False)
            if not cands:
                continue
            if n == 1 and not any(c.feat != "city" and not c.alt or c.pop >= _GAZ_MIN_POP for c in cands):
                continue
            if n == 1 and doc[i].pos_ != "PROPN":
                continue
            hit = j
            break
        if hit:
            out.append(_mention(doc, i, hit, "GAZ"))
            i = hit
        else:
            i += 1
    out.sort(key=lambda m: m.start)
    return out


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


def _to_place(c: Candidate, start: int, end: int, text: str, sentence: int, margin: float) -> Place:
    gaz = gazetteer()
    admin1 = gaz.admin1_names.get(f"{c.cc}.{c.adm1}", c.adm1 or None) if c.adm1 else None
    if c.feat == "admin1":
        admin1 = c.name
    # Confidence: the margin over the runner-up through a logistic (margin 0 -> 0.5).
    score = round(1.0 / (1.0 + math.exp(-margin)), 3)
    return Place(start, end, text, sentence, c.name, c.gid, gaz.iso3.get(c.cc) if c.cc else None, admin1,
                 round(c.lat, 5), round(c.lon, 5), c.feat, _PRECISION[c.feat], score, True)


def extract(doc: Doc, article: Article, mentions: Sequence[ActorMention]) -> list[Place]:
    """Every toponym in ``doc``, resolved where the gazetteer allows, unresolved otherwise."""
    doc.user_data[ACTOR_SPANS] = [(m.start, m.end, m.basis, m.kind) for m in mentions]
    found = _recognise(doc, mentions)
    resolve_all(found, _context(doc, mentions), gazetteer())
    return [_place(m) for m in found]


def resolve_spans(doc: Doc, article: Article, spans: list[tuple[int, int]],
                  mentions: Sequence[ActorMention] = ()) -> list[Place]:
    """Resolve given character spans (e.g. gold toponyms) with the whole article as context."""
    found = [m for m in _recognise(doc, mentions)]
    given: list[Mention] = []
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        sent = _sent_index(doc, span.sent) if span is not None else 0
        label = span.ents[0].label_ if span is not None and span.ents else "GAZ"
        q = _qualifier(doc, span.end) if span is not None else None
        given.append(Mention(s, e, doc.text[s:e], sent, label, q))
    keys = {(m.start, m.end) for m in given}
    others = [m for m in found if (m.start, m.end) not in keys]
    resolve_all(given + others, _context(doc, mentions), gazetteer())
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
    m = Mention(0, len(name), name, 0, "GPE")
    resolve_all([m] + anchors, ctx, gaz)
    return None if m.choice is None else _place(m)


def dominant_country(places: Sequence[Place]) -> str | None:
    """ISO3 of the country most places in the article lie in (None when there are none)."""
    counts = Counter(p.country for p in places if p.resolved and p.country)
    return counts.most_common(1)[0][0] if counts else None
