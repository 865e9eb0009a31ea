"""Finding and resolving the actors of a reading: source, target, and the conventions for
actors the text leaves implicit (role nouns without a country, unidentified attackers)."""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from spacy.tokens import Span, Token

from newsevents.events.args import SPEECH, patient, phrase, prep_objects
from newsevents.events.dictionary import match
from newsevents.events.read import Reading, pos_of
from newsevents.records import ActorMention, ActorRef
from newsevents.nlp.spans import index_of

__all__ = ["resolver", "resolve", "situate", "unidentified_attacker", "governing_subject",
           "adopt_country", "victims_where", "place_of", "is_place", "in_office",
           "stated_country",
           "noun_actor", "same_side", "key", "targets"]


def resolver():
    try:
        from newsevents.actors import resolve_phrase
    except ImportError:  # the actors stage is optional for the coder: fall back to mentions
        return None
    return resolve_phrase


def _from_mentions(span: Span, mentions: Sequence[ActorMention]) -> list[ActorRef]:
    return [m.ref() for m in index_of(mentions, span.doc.user_data).overlapping(span.start_char, span.end_char)
            if m.code or m.country]


def resolve(tok: Token | None, mentions: Sequence[ActorMention], resolver,
             depth: int = 0, places: bool = False) -> list[ActorRef]:
    """Actors a phrase headed by ``tok`` denotes; when its head names none ("calls by Kofi
    Annan", "an Indian proposal", "Serbia's suppression"), the actor it is about: possessor,
    'by/of/from/to' complement, or an actor modifier (looked for two levels deep)."""
    if tok is None:
        return []
    for core in (True, False):
        span = phrase(tok, core=core)
        refs = resolver(span, mentions) if resolver is not None else _from_mentions(span, mentions)
        refs = [r for r in refs if r.code or r.country or r.sector]
        if refs or span == phrase(tok):
            break
    if refs or depth >= 2 or tok.pos_ not in ("NOUN", "PROPN"):
        return refs
    for c in _inner_actor_slots(tok, places):
        refs = resolve(c, mentions, resolver, depth + 1, places)
        if refs:
            return refs
    return []


def _inner_actor_slots(tok: Token, places: bool = False) -> list[Token]:
    slots = [c for c in tok.children if c.dep_ == "poss" and c.pos_ != "PRON"]
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            slots.extend(g for g in c.children if g.dep_ == "pobj")
        if c.dep_ == "acl" and c.tag_ == "VBN":  # "the demonstration staged by students"
            for a in c.children:
                if a.dep_ == "agent":
                    slots.extend(g for g in a.children if g.dep_ == "pobj")
    # "the US-led war": the leader named before "-led" is whose it is
    for c in tok.children:
        if c.dep_ == "amod" and c.lemma_ == "lead" and c.tag_ == "VBN":
            slots.extend(g for g in c.children if g.dep_ in ("npadvmod", "compound", "nmod")
                         and g.pos_ in ("PROPN", "NOUN", "ADJ"))
    # an actor modifier names whose thing it is ("an Indian proposal", "the US-led war")
    slots.extend(c for c in tok.children if c.dep_ in ("amod", "compound", "nmod")
                 and c.pos_ in ("ADJ", "PROPN", "NOUN"))
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "of", "to", "for", "with", "against", "on",
                                             "between"):
            slots.extend(g for g in c.children if g.dep_ == "pobj")
    for c in tok.children:  # "an invitation to attend a meeting of X"
        if c.dep_ == "acl" and c.pos_ == "VERB":
            slots.extend(g for g in c.children if g.dep_ == "dobj")
    # last, for acts aimed at a thing somewhere: where it is ("condemned the coup in Bolivia")
    for c in tok.children:
        if places and c.dep_ == "prep" and c.lower_ in ("in", "inside"):
            slots.extend(g for g in c.children if g.dep_ == "pobj")
    return slots


def situate(refs: list[ActorRef], sent: Span, mentions: Sequence[ActorMention]) -> list[ActorRef]:
    """Give a country to actors known only by their role ("President Omar El Bashir", "the
    opposition coalition"): the country of the nearest country-bearing mention in the same
    sentence, as a human coder infers it from the place named. Actors that stay without any
    code are dropped."""
    out = []
    local = [m for m in index_of(mentions, sent.doc.user_data).inside(sent.start_char, sent.end_char)
             if m.country]
    for r in refs:
        bare_role = r.code is None or r.code[:3] == (r.sector or "")[:3]
        if r.country is None and r.sector == "ELI":
            # "Analysts argue that Russia ...": commentators are nobody's elite unless the
            # text says whose; the country nearby is what they talk about
            continue
        if r.country is None and bare_role and local:
            pos = r.start if r.start is not None else sent.start_char
            country = min(local, key=lambda m: abs(m.start - pos)).country
            r = replace(r, country=country, code=country + (r.sector or ""))
        if r.code or r.country:
            out.append(r)
    return out


_LOC_PREPS = ("in", "near", "outside", "at", "inside", "around")


def unidentified_attacker(sent: Span, rd: Reading, mentions: Sequence[ActorMention],
                           resolver) -> list[ActorRef]:
    """An attack with no named perpetrator ("a roadside bomb killed ...", "was killed in a car
    bomb explosion in X") is coded, as ICEWS and PETRARCH do, to unidentified armed forces (UAF)
    of the country where it happened: the first place phrase of the sentence that resolves."""
    r = place_of(sent, mentions, resolver)
    if r is None:
        return []
    c = r.country
    return [ActorRef(name=f"unidentified armed group in {c}", code=c + "UAF", country=c,
                     sector="UAF", start=r.start, end=r.end, text=r.text)]


_PLACE_NOUNS = frozenset("city town village capital port stronghold".split())


def is_place(tok: Token | None, refs: Sequence[ActorRef], mentions: Sequence[ActorMention]) -> bool:
    """``tok`` names a city (a capital standing for its government, or a city standing for its
    people), not a state or an organisation: as the subject of "fall" it is territory."""
    if tok is None or not refs or (tok.ent_type_ not in ("GPE", "LOC", "FAC")
                                   and tok.lemma_.lower() not in _PLACE_NOUNS):
        return False
    idx = index_of(mentions, tok.doc.user_data)

    def basis(r: ActorRef) -> str | None:
        # the basis of the last mention with exactly these offsets (as a dict built over all
        # mentions would keep)
        found = [m.basis for m in idx.inside(r.start, r.end) if m.start == r.start and m.end == r.end]
        return found[-1] if found else None
    return all(r.country and r.start is not None and basis(r) in ("metonymy", "city", "place")
               for r in refs)


def in_office(refs: list[ActorRef], doc) -> list[ActorRef]:
    """Who resigns is the office-holder: a person coded as a former official (xxxELI) on the
    article's date is coded with the office the resignation ends."""
    try:
        from newsevents.actors import office_left
    except ImportError:  # pragma: no cover - the actors stage is optional for the coder
        return refs
    out = []
    for r in refs:
        if r.code and r.code.endswith("ELI"):
            left = office_left(doc, r.actor_id)
            if left is not None:
                r = replace(r, code=left[0], country=left[1] or r.country, sector=left[2])
        out.append(r)
    return out


#: armed actors act across borders: "rebels shelled Russian bases" are not Russian rebels
_CROSS_BORDER = frozenset({"REB", "MIL", "UAF", "SPY", "IMG"})


def stated_country(r: ActorRef, mentions: Sequence[ActorMention], cache: dict | None = None) -> bool:
    """The phrase of ``r`` names its country itself (a state, demonym, city, listed
    organisation or known person inside it), rather than having it guessed from the article:
    only then may a target share its attacker's code ("military sites" near a city, guessed
    to be the Israeli jets' own, may not)."""
    if r.start is None or r.end is None:
        return False
    return any(m.country and m.basis not in ("agent+context", "agent")
               for m in index_of(mentions, cache).inside(r.start, r.end))


def adopt_country(refs: list[ActorRef], others: Sequence[ActorRef]) -> list[ActorRef]:
    """Role-only actors still without a country ("a group of refugees ... the Russian
    government's refusal") take the country of the nearest other actor of the same event that
    has one: the same convention as ``situate``, for phrases the actors stage did not list."""
    known = [o for o in others if o.country]
    if not known:
        return refs
    out = []
    for r in refs:
        if r.country is None and r.sector and (r.code or "")[:3] == r.sector[:3] \
                and r.sector not in _CROSS_BORDER:
            pos = r.start or 0
            c = min(known, key=lambda o: abs((o.start or 0) - pos)).country
            r = replace(r, country=c, code=c + r.sector)
        out.append(r)
    return out


def victims_where(target: list[ActorRef], sent: Span, mentions: Sequence[ActorMention],
                  resolver) -> list[ActorRef]:
    """Victims named only as people ("killed 23 people in Tel Aviv") whose country the actors
    stage guessed from the article take the country where the attack happened: the attackers'
    nationality says nothing about their victims'."""
    idx = index_of(mentions, sent.doc.user_data)
    guessed = {(m.start, m.end) for r in target if r.start is not None and r.end is not None
               for m in idx.inside(r.start, r.end) if m.basis == "agent+context"}
    if not any((r.start, r.end) in guessed and r.sector == "CVL" for r in target):
        return target
    where = place_of(sent, mentions, resolver)
    if where is None:
        return target
    c = where.country
    return [replace(r, country=c, code=c + "CVL")
            if (r.start, r.end) in guessed and r.sector == "CVL" else r for r in target]


def place_of(sent: Span, mentions: Sequence[ActorMention], resolver) -> ActorRef | None:
    """The first place phrase of the sentence ("in X", "near X") that resolves to a country."""
    for tok in sent:
        if tok.dep_ in ("prep", "advmod") and tok.lower_ in _LOC_PREPS:
            objs = [g for g in tok.children if g.dep_ == "pobj"]
            for p2 in tok.children:  # "outside of X"
                if p2.dep_ == "prep":
                    objs.extend(g for g in p2.children if g.dep_ == "pobj")
            for g in objs:
                for r in resolve(g, mentions, resolver, places=True):
                    if r.country and (r.code or "")[:3] not in ("IGO", "NGO"):
                        return r
    return None


def governing_subject(tok: Token) -> Token | None:
    """The subject of the nearest clause above ``tok`` (purpose and participle clauses: "students
    staged rallies to protest ..."); reporting verbs are not crossed."""
    for anc in tok.ancestors:
        if anc.lemma_ in SPEECH:
            return None
        if anc.pos_ in ("VERB", "AUX"):
            s = next((c for c in anc.children if c.dep_ == "nsubj"), None)
            if s is not None:
                return s
    return None


def noun_actor(noun: Token) -> Token | None:
    """An event noun's own actor: its possessor ("Israel's offensive"), a 'by' phrase, or an
    actor modifier ("the rebel offensive"); pronoun possessors are not trusted."""
    for c in noun.children:
        if c.dep_ == "poss" and c.pos_ != "PRON":
            return c
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    for c in noun.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.pos_ in ("PROPN", "NOUN", "ADJ"):
            return c
    return None


def same_side(r: ActorRef, source: list[ActorRef]) -> bool:
    """``r`` is (part of) the source itself: same country and no distinguishing sector
    ("Kostunica promised to democratize Serbia"; "Jordan and Britain ... a Jordanian official")."""
    # a state acting on its own people, police on students, ... stay (different sectors)
    return any(s.country and s.country == r.country and (not r.sector or r.sector == s.sector)
               for s in source)


def key(r: ActorRef) -> tuple:
    return (r.code, r.country, r.start)


def _theme(rd: Reading, obj: Token) -> bool:
    """The object is what is given/imposed/shared, not whom it is done to: it is the noun the
    dictionary row was chosen for ("provided military intelligence to X", "granted asylum")."""
    e = rd.entry
    if e is not None and e.frame and len(rd.chain) > 1 and pos_of(rd.inner) == "V":
        # a frame row ("refused to deploy peacekeepers") says nothing about the object: the
        # inner act's own row does
        e = match(rd.inner, "V", obj)
    if e is None or not e.obj or obj.dep_ != "dobj" or not e.code:
        return False
    # transfers and impositions take a thing as object; releases, arrests, attacks a patient
    if e.code[:2] not in ("05", "06", "07") and e.code not in _THEME_CODES:
        return False
    return obj.lemma_.lower() in e.obj or obj.lower_ in e.obj


_THEME_CODES = frozenset({"163", "1723", "1724", "0813", "0814", "085", "0863", "162", "114", "139",
                          "194", "195"})  # artillery / air strikes are launched at someone


#: where a material act is done ("struck sites near Damascus"): the place's country is acted on
_PLACE_PREPS = ("in", "inside", "across", "throughout", "near", "outside", "around")


def _talks(noun: Token) -> bool:
    """``noun`` is a consultation (a CAMEO 04 event noun: talks, negotiations, meeting)."""
    from newsevents.events.dictionary import entries

    rows = entries().get((noun.lemma_.lower(), "N"), ())
    return any(e.code and e.code[:2] == "04" for e in rows)


def targets(rd: Reading, source_toks: set[int]) -> list[Token]:
    """Candidate target heads, best first."""
    cands: list[Token] = []
    if rd.controller is not None:
        cands.append(rd.controller)
    inner = rd.inner
    if rd.noun is not None:
        cands.extend(prep_objects(rd.noun, ("against", "on", "upon", "with", "to", "for", "of", "into", "toward", "towards", "from", "between")))
        if rd.noun.head.dep_ in ("dobj", "pobj") and rd.noun.dep_ in ("compound", "pobj"):
            cands.extend(prep_objects(rd.noun.head, ("against", "on", "with", "to", "between")))
        cands.extend(c for c in rd.noun.children if c.dep_ == "poss")
        verb = rd.noun.head if rd.noun.dep_ in ("dobj",) else rd.noun.head.head if rd.noun.dep_ == "pobj" else None
        if verb is not None:
            cands.extend(prep_objects(verb))
            o = next((c for c in verb.children if c.dep_ in ("dative",)), None)
            if o is not None:
                cands.append(o)
    else:
        o = patient(inner) if pos_of(inner) == "V" else None
        if o is not None:
            if not _theme(rd, o):
                cands.append(o)
            cands.extend(prep_objects(o, ("against", "on", "to", "with", "of", "for", "from")))
            # "launched artillery, mortar and rocket fire against X": the aim hangs on the
            # last conjunct of the object
            for cj in o.conjuncts:
                cands.extend(prep_objects(cj, ("against", "on", "upon", "at")))
        elif pos_of(inner) == "V":
            # heavy object shifted behind an "as" phrase, parsed as its apposition ("denounced
            # as an ugly crime Serbia's suppression of ..."): the apposition is the object
            for p_ in inner.children:
                if p_.dep_ == "prep" and p_.lower_ == "as":
                    for g in p_.children:
                        if g.dep_ == "pobj":
                            cands.extend(a for a in g.children if a.dep_ == "appos")
        cands.extend(c for c in inner.children if c.dep_ == "dative")
        if rd.code[:2] == "11":
            # complaints and accusations are addressed *to* a third party ("complained to the
            # UN over Israeli raids"): what it is about names the target, the addressee does not
            cands.extend(prep_objects(inner, ("over", "about", "against", "of", "for")))
        cands.extend(prep_objects(inner))
    for t in rd.chain[:-1]:
        cands.extend(c for c in t.children if c.dep_ in ("dobj", "dative") and c not in cands
                     and not (rd.noun is not None and c == rd.noun))
        cands.extend(prep_objects(t, ("to", "with", "against", "on")))
    # a threat is aimed at whoever must act to avert it ("... unless the Kremlin closes the base")
    if rd.code[:2] == "13":
        for t in rd.chain:
            for c in t.children:
                if c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children):
                    cands.extend(g for g in c.children if g.dep_ == "nsubj")
    # a purpose clause names who a material act was aimed at ("opened fire to disperse X")
    if int(rd.code[:2]) >= 14:
        for c in inner.children:
            if c.dep_ == "advcl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                o = patient(c)
                if o is not None:
                    cands.append(o)
    for t in rd.scope:
        o = patient(t)
        if o is not None:
            cands.append(o)
        cands.extend(prep_objects(t))
    # right-node raising: "donated and delivered goods to X" shares the object and its aim
    if pos_of(inner) == "V" and rd.noun is None and patient(inner) is None:
        for cj in inner.conjuncts:
            if pos_of(cj) == "V" and cj.i > inner.i:
                o = patient(cj)
                if o is not None:
                    cands.extend(prep_objects(o, ("to", "for")))
                cands.extend(prep_objects(cj, ("to", "for", "against", "with")))
    # "called off the strike after deliberations with the government": the counterpart of
    # the talks that led to the act is whom it was done towards
    for p_ in inner.children:
        if p_.dep_ == "prep" and p_.lower_ in ("after", "following", "in"):
            for g in p_.children:
                if g.dep_ == "pobj" and _talks(g):
                    cands.extend(prep_objects(g, ("with", "between")))
    # last resort: where the act is done to a place ("lifted the curfew in X", "will evacuate
    # settlements in X"): the place's country is the one acted upon
    loc_from = len(cands)
    cands.extend(prep_objects(inner, _PLACE_PREPS))
    if rd.noun is not None:
        cands.extend(prep_objects(rd.noun, _PLACE_PREPS))
    o = patient(inner) if pos_of(inner) == "V" else None
    o = o if o is not None else rd.obj
    if o is not None:
        cands.extend(prep_objects(o, _PLACE_PREPS))
        # "lifted the curfew imposed in X": where the thing acted on applies
        for a in o.children:
            if a.dep_ == "acl" and a.tag_ == "VBN":
                cands.extend(prep_objects(a, ("in", "inside", "across", "throughout")))
    return [(c, k >= loc_from) for k, c in enumerate(cands) if c.i not in source_toks]
