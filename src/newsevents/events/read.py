"""Reading a predicate: its CAMEO code, composed through frames along its complements.

A :class:`Reading` is what one predicate (with the infinitives, clauses and event nouns it
governs) means: "agreed to meet" -> 036, "launched an offensive" -> 190, "failed to intervene"
-> negated 19x. Dictionary rows come from ``data/events_verbs.tsv`` (see ``events.dictionary``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from newsevents.events.args import object_of, prep_objects
from newsevents.events.dictionary import Entry, entries, match
from newsevents.events.frames import compose

__all__ = ["Reading", "read", "pos_of", "has_noun_entry", "CODE_FRAMES", "ACCEPTING"]

CODE_FRAMES = ("intent", "threat", "refuse", "demand", "appeal")
ACCEPTING = frozenset({"accept", "agree", "allow", "permit", "support", "recognize", "recognise",
                        "comply", "cooperate", "approve", "endorse", "back"})


@dataclass
class Reading:
    code: str
    rule: str
    chain: list[Token]  # predicates from outermost to the one that carries the content
    entry: Entry | None
    noun: Token | None = None  # event noun under a light verb
    neg: bool = False
    future: bool = False
    frames: list[str] = field(default_factory=list)
    controller: Token | None = None  # for demands/appeals: who is asked
    scope: list[Token] = field(default_factory=list)  # uncoded complements ("refused to respond to X")
    act: str = ""  # the innermost act's own code, before frames ("threatened to ban" -> 172)
    obj: Token | None = None  # an object the parser misattached (see _object_parsed_as_subject)

    @property
    def inner(self) -> Token:
        return self.chain[-1]


def pos_of(tok: Token) -> str | None:
    if tok.pos_ in ("VERB", "AUX"):
        return "V"
    if tok.pos_ in ("NOUN", "PROPN"):
        return "N"
    if tok.pos_ == "ADJ":
        return "A"
    return None


def has_noun_entry(tok: Token) -> bool:
    return (tok.lemma_.lower(), "N") in entries() or (tok.lower_, "N") in entries()


def _complement(tok: Token, frame: str | None) -> Token | None:
    """The predicate a frame governs: an infinitive, a 'that'-clause for demands, an event noun."""
    for c in tok.children:
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
            # "agreed to re-open": the parser splits a hyphenated verb into several xcomps;
            # the last piece is the verb
            while c.i + 2 < len(c.doc) and c.nbor().text == "-" and c.nbor(2).head == tok \
                    and c.nbor(2).dep_ == "xcomp":
                c = c.nbor(2)
            return c
    has_obj = any(c.dep_ == "dobj" for c in tok.children)
    if not has_obj and (frame in CODE_FRAMES or frame in ("neg", "try", "future", "prepare", "aspect")):
        # the parser often labels the infinitive of "vowed to fight" as an adverbial clause (with
        # an object, "continued the strike to demand ...", it is a purpose clause)
        for c in tok.children:
            if (c.dep_ == "advcl" and c.pos_ == "VERB" and c.i > tok.i
                    and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)):
                return c
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ == "acl" and c.pos_ == "VERB" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                return c
            if c.dep_ == "prep" and c.lower_ in ("to", "for", "of"):
                for g in c.children:
                    if g.dep_ == "pcomp" and g.pos_ == "VERB":
                        return g
                    if g.dep_ == "pobj" and has_noun_entry(g):
                        return g
    if frame == "speech" and not any(c.dep_ == "ccomp" for c in tok.children):
        o = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if o is not None and _demand_noun(o):
            return o  # "reiterated its demand that ..."
    if frame in ("demand", "appeal", "speech"):
        for c in tok.children:
            if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX"):
                return c
            if frame != "speech" and tok.pos_ == "NOUN" and c.dep_ == "acl" and any(
                    g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                return c  # "its demand that Israel ease ...": the noun's content clause
    if frame in ("demand", "appeal", "intent", "refuse", "light", "aspect", "threat", "future",
                 "prepare", "neg", "try"):
        o = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if o is None and tok.dep_ == "acl" and tok.tag_ == "VBN":
            o = tok.head  # "an offensive launched by X"
        if o is not None and has_noun_entry(o):
            return o
        if o is not None:
            # "launched a mediation effort", "ten days of war games", "a series of attacks"
            for c in o.children:
                if c.dep_ == "compound" and has_noun_entry(c):
                    return c
                if c.dep_ == "prep" and c.lower_ == "of":
                    g = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if g is not None and has_noun_entry(g):
                        return g
        for p in tok.children:
            if p.dep_ == "prep" and p.lower_ in ("in", "to", "for", "on", "from"):
                for g in p.children:
                    if g.dep_ == "pobj" and has_noun_entry(g):
                        return g
                    if g.dep_ == "pcomp" and g.pos_ == "VERB":
                        return g
    if tok.pos_ == "ADJ":
        for c in tok.children:
            if c.dep_ in ("xcomp", "prep"):
                return c if c.dep_ == "xcomp" else next((g for g in c.children if g.dep_ in ("pcomp", "pobj")), None)
    return None


def _demand_noun(tok: Token) -> str | None:
    """The frame of a demand/appeal noun ("its demand", "their call"), else None."""
    for e in entries().get((tok.lemma_.lower(), "N"), ()):
        if e.frame in ("demand", "appeal"):
            return e.frame
    return None


def _object_parsed_as_subject(tok: Token) -> Token | None:
    """"shortened by one hour the curfew imposed in X after a coup toppled ...": the parser
    made the verb's late object the subject of a following clause. The candidate is that
    clause's subject when the clause has no complementiser ("that", "whether", "if")."""
    for c in tok.children:
        if c.dep_ == "ccomp" and c.i > tok.i and not any(
                g.dep_ == "mark" for g in c.children):
            s = next((g for g in c.children if g.dep_ == "nsubj" and g.i > tok.i), None)
            if s is not None and s.pos_ == "NOUN":
                return s
    return None


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def read(tok: Token, depth: int = 0) -> Reading | None:
    """The code a predicate carries, composed with its complement."""
    pos = pos_of(tok)
    if pos is None or depth > 4:
        return None
    obj = object_of(tok) if pos == "V" else None
    e = match(tok, pos, obj)
    if pos == "V" and obj is None and (e is None or not e.obj):
        shifted = _object_parsed_as_subject(tok)
        e2 = match(tok, pos, shifted) if shifted is not None else None
        if e2 is not None and e2.obj:
            e, obj = e2, shifted  # the dictionary's object constraint confirms the repair
    frame = e.frame if e else None
    comp = _complement(tok, frame)
    inner = read(comp, depth + 1) if comp is not None else None
    lemma = tok.lemma_.lower()
    if comp is not None and frame == "speech" and comp.dep_ == "ccomp":
        modals = {c.lower_ for c in comp.children if c.dep_ == "aux"}
        # "reiterated its demand that Israel ease ...": the content clause of a demand noun,
        # which the parser hangs on the verb (the subjunctive has no modal)
        asked = next((f for f in (_demand_noun(c) for c in tok.children if c.dep_ == "dobj")
                      if f), None)
        if (modals & {"must", "should"} or asked) and not (inner and inner.neg):
            # "X said Y must do Z": a demand on Y (CAMEO 10)
            c = compose(asked or "demand", inner.code) if inner else "100"
            subj = next((x for x in comp.children if x.dep_ in ("nsubj", "nsubjpass")), None)
            chain = [tok] + (inner.chain if inner else [comp])
            return Reading(c, f"{lemma}>must>{inner.rule if inner else comp.lemma_}", chain, e,
                           inner.noun if inner else None, False, False,
                           ["demand"] + (inner.frames if inner else []), controller=subj)
    if frame == "speech" and inner is not None and comp.dep_ == "dobj" and inner.frames[:1] in (
            ["demand"], ["appeal"]):
        # "reiterated its demand that X ...": the demand is what was said
        return replace(inner, chain=[tok] + inner.chain, rule=f"{lemma}>{inner.rule}")
    if frame == "speech":
        inner = None  # a reported clause is coded on its own
    if inner is not None and frame is not None:
        chain = [tok] + inner.chain
        rule = f"{lemma}>{inner.rule}"
        if frame in CODE_FRAMES:
            if inner.neg:
                if frame in ("intent",):
                    return None
                return Reading(e.code or "120", rule, chain, e, inner.noun, False, False, [frame])
            ctrl = None
            if frame in ("demand", "appeal"):
                ctrl = next((c for c in tok.children if c.dep_ in ("dobj",)), None)
                if ctrl is None and comp.dep_ in ("ccomp", "acl"):
                    ctrl = next((x for x in comp.children if x.dep_ in ("nsubj", "nsubjpass")), None)
                if ctrl is None:
                    ctrl = next(prep_objects(tok, ("on", "upon")), None)
            return Reading(compose(frame, inner.code) or inner.code, rule, chain, e, inner.noun,
                           False, inner.future, [frame] + inner.frames, controller=ctrl,
                           act=inner.act or inner.code, scope=inner.scope)
        if frame == "neg":
            return replace(inner, chain=chain, rule=rule, neg=True)
        if frame == "try":
            c = "185" if inner.code == "186" else inner.code
            return replace(inner, code=c, chain=chain, rule=rule)
        if frame == "prepare" and int(inner.code[:2]) >= 18:
            # readying an attack is a show of force (CAMEO 15), not yet the attack
            return replace(inner, code="150", chain=chain, rule=rule)
        if frame in ("future", "prepare"):
            return replace(inner, chain=chain, rule=rule, future=True, frames=["future"] + inner.frames)
        if frame in ("aspect", "light"):
            noun = inner.noun if inner.noun is not None else (comp if pos_of(comp) == "N" else None)
            return replace(inner, chain=chain if noun is None or comp != noun else [tok, comp],
                           rule=rule, noun=noun)
    if e is not None and e.code:
        ctrl = None
        if frame in ("demand", "appeal"):
            ctrl = next((c for c in tok.children if c.dep_ == "dobj" and not has_noun_entry(c)), None)
            if ctrl is None and comp is not None and comp.dep_ in ("ccomp", "acl"):
                ctrl = next((x for x in comp.children if x.dep_ in ("nsubj", "nsubjpass")), None)
            if ctrl is None:
                ctrl = next(prep_objects(tok, ("on", "upon")), None)
        return Reading(e.code, e.rule, [tok], e, noun=tok if pos == "N" else None,
                       frames=[frame] if frame in ("demand", "appeal") else [], controller=ctrl,
                       scope=[comp] if comp is not None and pos_of(comp) == "V" else [],
                       obj=obj if pos == "V" and obj is not None and object_of(tok) is None else None)
    return None
