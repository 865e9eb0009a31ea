"""Learned event coders: ``learned`` (model alone) and ``hybrid`` (model + dependency rules).

Both read every sentence with the shipped :mod:`newsevents.events.model` (trained on coded real
news: ``newsevents train events``, see docs/model-card.md):

1. the **sentence** classifier gives P(the sentence reports an event) and a type distribution;
   below the model's threshold the sentence carries no event;
2. the **trigger** classifier scores every candidate token (verbs, content nouns/adjectives);
   the candidate most likely to be a trigger is the main event and its most likely PLOVER type
   is the event's type; another candidate of a different type whose P(trigger) reaches the extra
   threshold is a further event (at most three per sentence).

The rules' own readings are features of both classifiers (``newsevents.events.features``).

``learned`` builds each event from its trigger alone: the type's base CAMEO code
(``BASE_CODE``), the trigger's subject as source and its object / patient / "against|on|to X" as
target, resolved with the actors stage. An event whose actors are not named is emitted with an
empty source (unknown), not dropped.

``hybrid`` keeps what the dependency coder does well. For each learned event:

- a rule event of the same PLOVER type in the sentence (on the same trigger preferred) is kept
  as the rules coded it: CAMEO code, source/target, modality, frames;
- otherwise a rule event on the learned trigger (or, failing that, the sentence's most confident
  rule event) lends its source, target and modality; the code becomes the rule's code only if it
  has the learned type, else the learned type's base code;
- otherwise the event is built as ``learned`` builds it.

Rule events in a sentence the detector calls event-free are dropped (the rules alone fire on
descriptions and background), except statements (CAMEO 01, no PLOVER type) and rule events of
confidence >= ``RULE_KEEP`` (a constrained dictionary row or frame with a resolved source). The
main event's type follows ``decide``: the model's type, unless the rules' type is close behind it
(``RULE_RATIO``) or read by a ``specific`` row.
``Event.coder`` says which path coded each event: ``hybrid:rules+model|<rule>`` (a rule row the
model agrees with), ``hybrid:model+rule-args|TYPE@p|<rule>`` (the model's type, the rule's
actors), ``hybrid:model:TYPE@p`` (the model alone), ``hybrid:rules|<rule>`` (a sure rule reading
the model did not confirm), ``learned:TYPE@p``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from spacy.tokens import Doc, Span, Token

from newsevents import ontology
from newsevents.events import participants as A
from newsevents.events import rules
from newsevents.events.args import modality, patient, prep_objects, subject_of
from newsevents.events.dictionary import match
from newsevents.events.read import pos_of
from newsevents.events.features import candidates, rule_readings, sentence_context, sentence_features, token_features
from newsevents.events.model import LABELS, EventModel, load, softmax
from newsevents.records import ActorMention, ActorRef, Article, Event

__all__ = ["code_learned", "code_hybrid", "read_sentences", "SentenceReading", "BASE_CODE", "decide"]

#: The CAMEO code an event of a PLOVER type gets when no dictionary row of that type read it:
#: the most general code of that type (``ontology`` maps each back to the type).
BASE_CODE: dict[str, str] = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
    "CONCEDE": "080", "RETREAT": "084", "REQUEST": "020", "ACCUSE": "110", "REJECT": "120",
    "THREATEN": "130", "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170",
    "ASSAULT": "180",
}

MAX_EVENTS = 3
#: hybrid: the rules' type wins when the model gives it at least this share of its best type's
#: weight (see ``decide``).
RULE_RATIO = 0.1
#: hybrid: a rule event this confident (a constrained row or frame, with a resolved source) is kept
#: in a sentence the model calls event-free.
RULE_KEEP = 0.8
_TARGET_PREPS = ("against", "on", "to", "with", "at", "from")


@dataclass
class SentenceReading:
    """What the model reads in one sentence."""

    index: int
    sent: Span
    p_event: float
    sentence_probs: np.ndarray  # (17,) over LABELS
    candidates: list[Token]
    trigger_probs: np.ndarray  # (n_candidates, 17)
    rule_events: list[Event]


def sentence_rows(sent: Span, rule_events: Sequence[Event]
                  ) -> tuple[list[Token], list[list[str]], list[str], list[str]]:
    """Candidates of ``sent``, their own feature lists, the sentence's feature list and the
    sentence context every candidate shares (one function for training and run time, so the model
    sees at run time exactly what it was trained on)."""
    readings = rule_readings(sent, rule_events)
    context = sentence_context(sent, rule_events)
    cands = candidates(sent)
    rows = [token_features(t, readings) for t in cands]
    return cands, rows, sentence_features(rows, context), context


def read_sentences(doc: Doc, article: Article, mentions: Sequence[ActorMention],
                   model: EventModel | None = None) -> list[SentenceReading]:
    """Run the rules and both classifiers over every sentence of ``doc`` (all sentences of the
    article in one pass through each classifier)."""
    model = model or load()
    by_sent: dict[int, list[Event]] = {}
    for e in rules.code(doc, article, mentions):
        by_sent.setdefault(e.sentence, []).append(e)
    sents = list(doc.sents)
    if not sents:
        return []
    parts = [sentence_rows(sent, by_sent.get(i, [])) for i, sent in enumerate(sents)]
    s_probs = softmax(model.sentence.logits([p[2] for p in parts]) + model.sentence.bias)
    rows = [r for p in parts for r in p[1]]
    owner = np.fromiter((i for i, p in enumerate(parts) for _ in p[1]), dtype=np.intp, count=len(rows))
    if rows:
        shared = model.trigger.logits([p[3] for p in parts])
        t_probs = softmax(model.trigger.logits(rows) + shared[owner] + model.trigger.bias)
    else:
        t_probs = np.zeros((0, len(LABELS)), dtype=np.float32)
    out = []
    for i, (sent, (cands, _, _, _)) in enumerate(zip(sents, parts)):
        sp = s_probs[i]
        out.append(SentenceReading(i, sent, float(1.0 - sp[0]), sp, cands, t_probs[owner == i],
                                   by_sent.get(i, [])))
    return out


def decide(r: SentenceReading, threshold: float, extra_threshold: float,
           rule_ratio: float | None = None) -> list[tuple[Token, str, float]]:
    """The events the model reads in one sentence: (trigger token, PLOVER type, confidence),
    main event first (see module docstring).

    The main event's type is the best of the trigger's and the sentence's type distributions
    (each normalised over the 16 types, then added). With ``rule_ratio`` (the hybrid coder), a
    type the rules proposed in the sentence wins when they read the very token the model chose as
    trigger (both see an act there; the dictionary row knows its code), when the model gives their
    most confident event's type at least that share of its best type's weight, or when that
    rule is ``specific``: a
    dictionary row that matched is precise, and the model's doubt between close types
    (ACCUSE/REJECT, COERCE/SANCTION) is where the rules read the frame."""
    if r.p_event < threshold:
        return []
    stype = r.sentence_probs[1:] / max(float(r.sentence_probs[1:].sum()), 1e-9)
    if not r.candidates:
        return [(r.sent.root, LABELS[1 + int(stype.argmax())], round(r.p_event, 3))]
    p_trig = 1.0 - r.trigger_probs[:, 0]
    order = sorted(range(len(r.candidates)), key=lambda k: (-p_trig[k], k))
    out: list[tuple[Token, str, float]] = []
    seen: set[str] = set()
    first = True
    for k in order:
        if not first and p_trig[k] < extra_threshold:
            break
        if negated(r.candidates[k]):
            continue
        dist = r.trigger_probs[k, 1:] / max(float(p_trig[k]), 1e-9)
        rank = 0 if first else 1
        first = False
        if rank == 0:
            dist = dist + stype
            proposed = [e for e in r.rule_events if e.plover_type]
            if rule_ratio is not None and proposed:
                on_trigger = [e for e in proposed if _covers(e, r.candidates[k])]
                best_rule = max(on_trigger or proposed, key=lambda e: e.confidence)
                j = LABELS.index(best_rule.plover_type) - 1
                if on_trigger or specific(best_rule) or dist[j] >= rule_ratio * dist.max():
                    dist = dist.copy()
                    dist[j] = dist.max() + 1.0
        ptype = LABELS[1 + int(dist.argmax())]
        if ptype in seen:
            continue
        seen.add(ptype)
        # the main event carries the sentence's P(event); further ones their own, below it
        conf = r.p_event if rank == 0 else min(float(p_trig[k]), r.p_event) * 0.9
        out.append((r.candidates[k], ptype, round(conf, 3)))
        if len(out) >= MAX_EVENTS:
            break
    return out


def negated(tok: Token) -> bool:
    """The act did not happen: a negation on the trigger ("did not attack") or a negating frame
    above it ("failed to intervene", "Russia's failure to intervene"; dictionary rows with frame
    ``neg``). As the rules do, the learned coders emit no event for it (docs/plover-map.md)."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    t = tok
    for _ in range(2):
        if t.dep_ not in ("xcomp", "acl", "ccomp", "pcomp", "pobj", "prep", "advcl") or t.head.i == t.i:
            return False
        t = t.head
        pos = pos_of(t)
        e = match(t, pos, None) if pos else None
        if e is not None and e.frame == "neg":
            return True
    return False


def specific(e: Event) -> bool:
    """A rule event read by a constrained dictionary row (an object, modifier or prepositional
    object constraint: "grant+obj=asylum") or a composition through a frame or light verb
    ("launch>offensive", "agree>meet"): the rules' most precise readings."""
    rule = e.coder.split("\u2192", 1)[0]
    return any(m in rule for m in ("+obj=", "+mod=", "+pobj=", ">"))


def _covers(e: Event, tok: Token) -> bool:
    return e.trigger_start <= tok.idx < e.trigger_end or tok.idx <= e.trigger_start < tok.idx + len(tok.text)


def _actors_of(tok: Token, sent: Span, mentions: Sequence[ActorMention], resolver) -> tuple[list[ActorRef], list[ActorRef]]:
    """Source and target of a learned trigger, read from the parse."""
    verb = tok.pos_ in ("VERB", "AUX")
    s_tok = subject_of(tok) if verb else A.noun_actor(tok)
    if s_tok is None and verb:
        s_tok = A.governing_subject(tok)
    source = A.situate(A.resolve(s_tok, mentions, resolver), sent, mentions) if s_tok is not None else []
    t_toks = [patient(tok)] if verb else []
    t_toks += list(prep_objects(tok, _TARGET_PREPS))
    skeys = {A.key(s) for s in source}
    sboth = {(s.code, s.country) for s in source}
    target: list[ActorRef] = []
    for t in t_toks:
        if t is None or (s_tok is not None and t.i == s_tok.i):
            continue
        refs = [r for r in A.situate(A.resolve(t, mentions, resolver), sent, mentions)
                if A.key(r) not in skeys and (r.code, r.country) not in sboth]
        if refs:
            target = refs
            break
    return source, target


def _event(article: Article, r: SentenceReading, tok_start: int, tok_end: int, trigger: str, code_: str,
           source: Sequence[ActorRef], target: Sequence[ActorRef], mod: str, conf: float, coder: str) -> Event:
    cc = ontology.lookup(code_)
    return Event(
        id=rules.event_id(article.id, r.index, tok_start, tok_end, code_),
        article_id=article.id, sentence=r.index, evidence=r.sent.text, sentence_start=r.sent.start_char,
        trigger=trigger, trigger_start=tok_start, trigger_end=tok_end,
        source=tuple(source), target=tuple(target),
        cameo_code=code_, cameo_root=cc.root, quad_class=cc.quad_class, goldstein=cc.goldstein,
        plover_type=cc.plover_type, plover_mode=cc.plover_mode, plover_context=cc.plover_context,
        modality=mod, confidence=conf, coder=coder, cameo_label=cc.label,
    )


def _learned_event(article: Article, r: SentenceReading, tok: Token, ptype: str, conf: float,
                   mentions: Sequence[ActorMention], resolver, prefix: str) -> Event:
    source, target = _actors_of(tok, r.sent, mentions, resolver)
    neg = any(c.dep_ == "neg" for c in tok.children)
    mod = modality([tok], neg, False)
    return _event(article, r, tok.idx, tok.idx + len(tok.text), tok.text, BASE_CODE[ptype], source, target,
                  mod, conf, f"{prefix}:{ptype}@{conf:.2f}")


def code_learned(doc: Doc, article: Article, mentions: Sequence[ActorMention]) -> list[Event]:
    """The ``learned`` coder: the model decides events, types and triggers; actors come from the
    trigger's own arguments (see module docstring)."""
    model = load()
    resolver = A.resolver()
    out: list[Event] = []
    for r in read_sentences(doc, article, mentions, model):
        for tok, ptype, conf in decide(r, model.threshold, model.extra_threshold):
            out.append(_learned_event(article, r, tok, ptype, conf, mentions, resolver, "learned"))
    return _unique(out)


def code_hybrid(doc: Doc, article: Article, mentions: Sequence[ActorMention]) -> list[Event]:
    """The ``hybrid`` coder: the model decides whether and which events; the rules give code,
    actors and modality where they read the same act (see module docstring)."""
    model = load()
    resolver = A.resolver()
    out: list[Event] = []
    for r in read_sentences(doc, article, mentions, model):
        statements = [e for e in r.rule_events if not e.plover_type]
        typed = [e for e in r.rule_events if e.plover_type]
        decided = decide(r, model.threshold, model.extra_threshold, RULE_RATIO)
        if not decided:
            out += statements
            # a sure rule reading stands even where the model doubts the sentence
            out += [_with(e, e.confidence, f"hybrid:rules|{e.coder}") for e in typed if e.confidence >= RULE_KEEP]
            continue
        used: set[str] = set()
        for tok, ptype, conf in decided:
            same = [e for e in typed if e.plover_type == ptype and e.id not in used]
            same.sort(key=lambda e: (not _covers(e, tok), -e.confidence))
            if same:
                e = same[0]
                used.add(e.id)
                out.append(_with(e, conf, f"hybrid:rules+model|{e.coder}"))
                continue
            lender = next((e for e in typed if _covers(e, tok) and e.id not in used), None)
            if lender is None and len(decided) == 1:
                lender = max((e for e in typed if e.id not in used), key=lambda e: e.confidence, default=None)
            if lender is None:
                out.append(_learned_event(article, r, tok, ptype, conf, mentions, resolver, "hybrid:model"))
                continue
            used.add(lender.id)
            code_ = BASE_CODE[ptype]
            out.append(_event(article, r, lender.trigger_start, lender.trigger_end, lender.trigger, code_,
                              lender.source, lender.target, lender.modality, conf,
                              f"hybrid:model+rule-args|{ptype}@{conf:.2f}|{lender.coder}"))
        # the rules' further readings of the sentence stay, ranked below the model's events
        floor = min(c for _, _, c in decided)
        for e in typed:
            if e.id not in used:
                out.append(_with(e, round(min(e.confidence, floor * 0.9), 3), f"hybrid:rules|{e.coder}"))
    return _unique(out)


def _with(e: Event, conf: float, coder: str) -> Event:
    from dataclasses import replace

    return replace(e, confidence=conf, coder=coder)


def _unique(events: list[Event]) -> list[Event]:
    best: dict[str, Event] = {}
    for e in events:
        if e.id not in best or e.confidence > best[e.id].confidence:
            best[e.id] = e
    return list(best.values())
