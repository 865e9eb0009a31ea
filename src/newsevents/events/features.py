"""Features of the learned event detector and typer (``newsevents.events.learned``).

Two views of a sentence, both read from the spaCy parse the pipeline already made:

- **candidates**: every verb, and every content noun, adjective or auxiliary, is a possible
  trigger. Its features are its lemma, part of speech and dependency, its head ("gov=xcomp|
  refuse"), its children by relation (direct object, particle, xcomp, negation, auxiliaries,
  "prep|pobj" pairs with the object's entity type, the entity type of its subject/agent), and
  the dictionary coder's reading of that token, when it made one ("r_type=ASSAULT",
  "r_code=190"): the rules' proposal is one feature among others, weighed by training.
- **sentence**: the candidates' lexical features pooled, the types the rules proposed anywhere
  in the sentence, and the entity labels it contains (a sentence naming no country, person or
  organisation seldom reports a political event).

Features are plain strings; ``newsevents.events.model.LinearModel`` maps them to weights. A
feature the training data did not contain is ignored, so the features generalise through the
dependency context and the rules' proposal when a trigger word was never seen.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from spacy.tokens import Span, Token

__all__ = ["candidates", "token_features", "sentence_features", "rule_readings", "POOLED"]

#: Parts of speech a trigger can have ("attacked", "the raid", "highly critical", "is").
CAND_POS = frozenset({"VERB", "AUX", "NOUN", "ADJ"})

#: Child relations read as features of a candidate (prepositions are read with their object).
KEEP_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "prt", "neg", "aux", "auxpass", "xcomp", "ccomp",
                       "agent", "amod", "compound", "poss", "attr", "acomp", "advmod", "dative", "oprd",
                       "acl", "relcl"})

#: Feature prefixes pooled from the candidates into the sentence view.
POOLED = ("l=", "lc=", "lprep=", "pp=", "c=", "r_type=", "r_code=", "ld=", "gov=", "s_", "ce=")


def _lem(t: Token) -> str:
    return t.lemma_.lower()


def candidates(sent: Span) -> list[Token]:
    """Tokens of ``sent`` that may trigger an event: verbs, and non-stop-word content words."""
    return [t for t in sent if t.pos_ == "VERB" or (t.pos_ in CAND_POS and not t.is_stop)]


def rule_readings(sent: Span, events: Iterable) -> dict[int, list[tuple[str | None, str]]]:
    """Token index -> (PLOVER type, CAMEO code) of the rule events whose trigger covers it."""
    out: dict[int, list[tuple[str | None, str]]] = {}
    doc = sent.doc
    for e in events:
        span = doc.char_span(e.trigger_start, e.trigger_end, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            out.setdefault(t.i, []).append((e.plover_type, e.cameo_code))
    return out


def sentence_context(sent: Span, events: Iterable) -> list[str]:
    """Features of the whole sentence shared by its candidates: the rules' proposals anywhere
    in it and the entity labels it holds."""
    f = []
    typed = [e.plover_type for e in events if e.plover_type]
    f += [f"s_rtype={t}" for t in sorted(set(typed))]
    if not typed:
        f.append("s_rnone")
    f += [f"s_ent={label}" for label in sorted({t.ent_type_ for t in sent if t.ent_type_ and t.ent_iob_ == "B"})]
    return f


def token_features(t: Token, readings: dict[int, list[tuple[str | None, str]]]) -> list[str]:
    """The features of one candidate trigger (see module docstring); the sentence context
    (``sentence_context``) belongs to every candidate too and is added by the caller."""
    L = _lem(t)
    f = [f"l={L}", f"p={t.pos_}", f"d={t.dep_}", f"ld={L}|{t.dep_}", f"tag={t.tag_}", "bias"]
    h = t.head
    if h.i != t.i:
        f += [f"h={_lem(h)}", f"hd={t.dep_}|{_lem(h)}", f"hp={h.pos_}"]
    else:
        f.append("root")
    for c in t.children:
        d = c.dep_
        if d == "prep":
            f += [f"prep={_lem(c)}", f"lprep={L}|{_lem(c)}"]
            for g in c.children:
                if g.dep_ == "pobj":
                    f.append(f"pp={_lem(c)}|{_lem(g)}")
                    if g.ent_type_:
                        f.append(f"ppe={_lem(c)}|{g.ent_type_}")
        elif d in KEEP_DEPS:
            f += [f"c={d}", f"c={d}|{_lem(c)}"]
            if d in ("dobj", "prt", "xcomp", "nsubjpass", "acomp", "attr"):
                f.append(f"lc={L}|{d}|{_lem(c)}")
            if d in ("nsubj", "nsubjpass", "dobj", "poss", "agent", "compound", "amod"):
                et = c.ent_type_
                if d == "agent":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            et = g.ent_type_ or "X"
                f.append(f"ce={d}|{et or '-'}")
    if t.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "acl", "pobj", "dobj", "conj", "nsubj", "nsubjpass"):
        f.append(f"gov={t.dep_}|{_lem(h)}")
        if t.dep_ == "pobj" and h.head.i != h.i:
            f.append(f"gov2={_lem(h)}|{_lem(h.head)}")
    if t.ent_type_:
        f.append(f"ent={t.ent_type_}")
    for ptype, code in readings.get(t.i, ()):
        if ptype:
            f += [f"r_type={ptype}", f"r_root={code[:2]}", f"r_code={code}"]
        else:
            f.append("r_stmt")
    return f


def sentence_features(rows: Sequence[Sequence[str]], context: Sequence[str]) -> list[str]:
    """The sentence view: the candidates' lexical features pooled, plus the sentence context."""
    f = {x for r in rows for x in r}
    f = {x for x in f if x.startswith(POOLED)}
    f.update(context)
    f.add("bias")
    return sorted(f)
