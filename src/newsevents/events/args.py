"""Finding the source and target phrases of a predicate, and its modality, on a spaCy parse."""
from __future__ import annotations

from typing import Iterable, Iterator

from spacy.tokens import Span, Token

__all__ = [
    "OBJECT_CONTROL",
    "ACCUSING",
    "SPEECH",
    "is_passive",
    "subject_of",
    "object_of",
    "patient",
    "phrase",
    "prep_objects",
    "modality",
]

#: Verbs whose object is the understood subject of their infinitive ("urged Iran to release").
OBJECT_CONTROL = frozenset({
    "urge", "ask", "order", "force", "prompt", "allow", "permit", "help", "persuade", "compel",
    "invite", "encourage", "tell", "call", "lead", "cause", "enable", "press", "pressure",
    "require", "demand", "request", "oblige", "pressurize", "implore", "appeal", "warn",
})
#: Reporting verbs: their clausal complement is a reported event.
SPEECH = frozenset({
    "say", "state", "announce", "declare", "tell", "add", "report", "claim", "confirm",
    "reiterate", "stress", "insist", "conclude", "remark", "note", "argue", "assert", "affirm",
    "emphasize", "emphasise", "write", "quote", "believe", "allege", "warn", "accord", "suggest",
})
#: Verbs whose "of/for" complement is what the object is said to have done ("accused X of Y").
ACCUSING = frozenset({"accuse", "charge", "blame", "suspect", "indict", "convict", "condemn",
                      "criticize", "criticise", "arrest", "sentence", "prosecute", "sue"})
_TARGET_PREPS = ("to", "with", "against", "on", "upon", "at", "into", "toward", "towards",
                 "from", "for", "over", "of", "between")
_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "its", "their", "his", "her",
                       "who", "which", "that", "them", "him"})
_CUT = ("relcl", "acl", "advcl", "ccomp", "punct", "parataxis", "cc")


def is_passive(tok: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in tok.children) or (
        tok.dep_ == "acl" and tok.tag_ == "VBN" and _verbless_root(tok) is None)


def _child(tok: Token, *deps: str) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _antecedent(tok: Token) -> Token:
    """A pronoun subject stands for the subject of a governing clause ("Syria says it will")."""
    if tok.lower_ not in _PRONOUNS:
        return tok
    if tok.lower_ in ("who", "which", "that") and tok.head.dep_ == "relcl":
        return tok.head.head
    for anc in tok.head.ancestors:
        s = _child(anc, "nsubj", "nsubjpass")
        if s is not None and s.lower_ not in _PRONOUNS and s.pos_ in ("PROPN", "NOUN"):
            return s
    # nearest preceding proper noun in the sentence
    for t in reversed(list(tok.sent[: tok.i - tok.sent.start])):
        if t.pos_ == "PROPN" and t.ent_type_ in ("GPE", "NORP", "ORG", "PERSON"):
            return t
    return tok


def _accused_act(pred: Token) -> bool:
    """``pred`` is what someone is accused / charged of ("accused X of shelling")."""
    if pred.dep_ != "pcomp" or pred.head.lower_ not in ("of", "for"):
        return False
    h = pred.head.head
    return h.lemma_ in ACCUSING or (h.dep_ in ("dobj", "nsubjpass") and h.head.lemma_ in ACCUSING)


def subject_of(pred: Token, *, _depth: int = 0) -> Token | None:
    """The logical subject (agent) of ``pred``: nsubj, 'by X' in passives, controllers of
    infinitives, the subject shared by a conjoined verb, the noun a participle modifies."""
    if _depth > 6:
        return None
    root = _verbless_root(pred)
    if root is not None:
        return root
    if is_passive(pred):
        agent = _child(pred, "agent")
        if agent is not None:
            pobj = _child(agent, "pobj")
            if pobj is not None:
                return _antecedent(pobj)
        if pred.dep_ not in ("xcomp", "conj", "advcl", "pcomp"):
            return None
    s = _child(pred, "nsubj")
    if s is not None and s.pos_ == "VERB" and s.tag_ in ("VBG", "VBN"):
        # "The Red Cross operating in Iraq said ...": the parser made the participle clause
        # the subject; the noun it modifies is the one that speaks
        inner = _child(s, "nsubj")
        if inner is not None and inner.pos_ in ("NOUN", "PROPN"):
            s = inner
    if s is not None:
        return _antecedent(s)
    if pred.pos_ == "NOUN" or pred.pos_ == "PROPN":
        poss = _child(pred, "poss")
        if poss is not None:
            return _antecedent(poss)
        agent = next((c for c in pred.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        if agent is not None and _child(agent, "pobj") is not None:
            return _child(agent, "pobj")
        if pred.dep_ in ("dobj", "pobj", "attr") and pred.head.pos_ in ("VERB", "AUX"):
            return subject_of(pred.head if pred.dep_ != "pobj" else pred.head.head,
                              _depth=_depth + 1)
        return None
    head = pred.head
    if head.i == pred.i:
        return None
    if pred.dep_ == "xcomp" or (pred.dep_ == "ccomp" and head.lemma_ in OBJECT_CONTROL):
        if head.lemma_ in OBJECT_CONTROL:
            o = _child(head, "dobj")
            if o is not None:
                return o
            on = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")), None)
            if on is not None and _child(on, "pobj") is not None:
                return _child(on, "pobj")
        if head.pos_ in ("ADJ",):
            return subject_of(head.head, _depth=_depth + 1) if head.dep_ == "acomp" else None
        return subject_of(head, _depth=_depth + 1)
    if _accused_act(pred):
        # "accused Israel of shelling ...": the accused is the alleged doer
        if head.head.lemma_ in ACCUSING:
            o = _child(head.head, "dobj", "nsubjpass")
            return _antecedent(o) if o is not None else None
        return head.head  # the parser hung "of shelling" on the object itself
    if pred.dep_ in ("conj", "advcl", "pcomp", "xcomp"):
        if pred.dep_ == "pcomp":
            head = head.head
        return subject_of(head, _depth=_depth + 1) if head.pos_ in ("VERB", "AUX", "ADJ") else None
    if pred.dep_ == "acl" and pred.tag_ in ("VBG", "VBD", "VBZ", "VBP"):
        return head  # "forces taking control"; a finite verb the parser hung on a noun
    if pred.dep_ == "relcl":
        return head
    if pred.dep_ == "acomp":
        return subject_of(head, _depth=_depth + 1)
    return None


def _verbless_root(pred: Token) -> Token | None:
    """A sentence the parser rooted on its subject noun ("Doctors from two aid groups donated
    and delivered goods to X" with "donated" as a participle of "groups"): the root noun is
    the subject of the verbs hung in its phrase. Only when the sentence has no finite verb of
    its own, the participle (or its conjunct) takes a direct object, and a past-tense
    conjunct shows it is finite, so real reduced relatives ("aid donated by X") are kept."""
    root = pred.sent.root
    if root.pos_ not in ("NOUN", "PROPN") or pred.i <= root.i:
        return None
    p = pred.head if pred.dep_ == "conj" else pred
    if p.dep_ != "acl" or p.tag_ != "VBN" or root not in p.ancestors:
        return None
    group = [p] + list(p.conjuncts)
    if any(_child(t, "agent") for t in group):
        return None
    finite = any(t.tag_ == "VBD" for t in group) and any(_child(t, "dobj") for t in group)
    # "An official newspaper called Thursday on Arabs to ...": the verb right after the root
    # noun of a sentence with no other verb can only be its predicate
    adjacent = p.head == root and p.i == root.i + 1 and not any(
        t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "ccomp", "conj") and t.head == root
        for t in pred.sent if t != p)
    return root if finite or adjacent else None


def object_of(pred: Token) -> Token | None:
    """The patient: direct object; passive subject; the noun a passive participle modifies."""
    o = _child(pred, "dobj")
    if o is not None:
        return o
    o = _child(pred, "nsubjpass")
    if o is not None:
        return _antecedent(o)
    if pred.dep_ == "acl" and pred.tag_ == "VBN" and _verbless_root(pred) is None:
        return pred.head
    if is_passive(pred) and pred.dep_ in ("xcomp", "conj", "advcl", "pcomp"):
        # "arrived ... after being granted asylum": the governing clause's subject
        head = pred.head.head if pred.dep_ == "pcomp" else pred.head
        s = _child(head, "nsubj", "nsubjpass")
        return _antecedent(s) if s is not None else None
    return None


def patient(pred: Token) -> Token | None:
    """Who undergoes the act: the passive subject (own or inherited) or the direct object."""
    if is_passive(pred):
        s = _child(pred, "nsubjpass")
        if s is not None:
            return _antecedent(s)
        if pred.dep_ in ("xcomp", "conj", "advcl", "pcomp"):
            head = pred.head.head if pred.dep_ == "pcomp" else pred.head
            s = _child(head, "nsubj", "nsubjpass")
            if s is not None:
                return _antecedent(s)
        if pred.dep_ == "acl" and pred.tag_ == "VBN" and _verbless_root(pred) is None:
            return pred.head
    return _child(pred, "dobj")


def prep_objects(tok: Token, preps: Iterable[str] = _TARGET_PREPS) -> Iterator[Token]:
    """Objects of the given prepositions under ``tok`` ("talks with X", "asylum to X")."""
    want = set(preps)
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in want:
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if not objs and c.dep_ == "prep":
                objs = _orphan_object(c)
            yield from objs
        elif c.dep_ == "dative" and c.pos_ in ("PROPN", "NOUN"):
            yield c


_LOCATIVE = frozenset({"in", "at", "near", "within", "inside", "across", "throughout", "during",
                       "after", "before", "since", "following", "amid", "amidst", "under"})


def _orphan_object(prep: Token) -> list[Token]:
    """A preposition the parser left without object ("granted asylum to five officers holed up
    ...", with "officers" parsed as the next clause's subject): the noun right after it."""
    for t in prep.doc[prep.i + 1 : prep.sent.end]:
        if t.pos_ in ("DET", "NUM", "ADJ") or t.dep_ in ("compound", "amod", "nummod", "det", "poss"):
            continue
        return [t] if t.pos_ in ("NOUN", "PROPN") else []
    return []


_BASED = frozenset({"base", "operate", "station", "headquarter"})


def phrase(tok: Token, *, core: bool = False) -> Span:
    """The noun phrase headed by ``tok``: its subtree without clauses hanging off it; with
    ``core``, also without locative/temporal prepositional phrases ("asylum in Russia")."""
    left = tok.left_edge.i
    right = tok.i
    for c in tok.children:
        if core and c.dep_ == "prep" and c.lower_ in _LOCATIVE:
            continue
        if c.i > tok.i and c.dep_ == "acl" and c.lemma_ in _BASED and c.i == right + 1 and any(
                g.dep_ == "prep" and g.lower_ in ("in", "inside", "from") for g in c.children):
            # "a group based in Trinidad", "guerrillas operating in Macedonia": where an armed
            # group is based says whose it is, as "rebels in X" does
            right = max(right, c.right_edge.i)
            continue
        if c.i > tok.i and c.dep_ not in _CUT:
            if c.left_edge.i > right + 2:
                break  # a dependent far from the phrase is a misattachment ("Serbia eased X
                # in Y, the scene of ...": the apposition is not about Serbia)
            right = max(right, c.right_edge.i)
        elif c.i < tok.i and c.dep_ in _CUT and c.dep_ != "punct":
            left = max(left, c.right_edge.i + 1) if c.right_edge.i < tok.i else left
    if tok.dep_ == "ROOT" and tok.pos_ in ("NOUN", "PROPN"):
        # a verbless parse (see _verbless_root): the subject phrase ends before its verb
        for t in tok.doc[tok.i + 1 : right + 1]:
            if t.dep_ == "acl" and _verbless_root(t) == tok:
                right = t.i - 1
                break
    return tok.doc[left : right + 1]


def modality(chain: list[Token], neg: bool, future: bool) -> str:
    """asserted | reported | negated | hypothetical | future for a predicate chain
    (outermost predicate first)."""
    if neg:
        return "negated"
    top = chain[0]
    toks = list(chain)
    speech = None
    for anc in top.ancestors:
        if anc.lemma_ in SPEECH:
            speech = anc
            break
    auxes = {c.lower_ for t in toks for c in t.children if c.dep_ == "aux"}
    marks = {c.lower_ for t in toks for c in t.children if c.dep_ == "mark"}
    marks |= {c.lower_ for c in top.head.children if c.dep_ == "mark"} if top.dep_ == "advcl" else set()
    if top.dep_ == "advcl" and any(c.lower_ in ("if", "unless") for c in top.children):
        return "hypothetical"
    if marks & {"if", "unless", "whether"}:
        return "hypothetical"
    if auxes & {"could", "may", "might", "should"} or ("would" in auxes and speech is None):
        return "hypothetical"
    if future or auxes & {"will", "shall", "'ll"} or "would" in auxes:
        return "future"
    if any(t.lower_ == "going" for t in top.children if t.dep_ == "aux"):
        return "future"
    advs = {c.lower_ for t in toks for c in t.children if c.dep_ == "advmod"}
    if advs & {"reportedly", "allegedly", "purportedly", "apparently", "supposedly"}:
        return "reported"
    if speech is not None:
        return "reported"
    if _accused_act(top):
        return "reported"  # an accusation reports an alleged act
    sent = top.sent
    if any(t.lower_ == "according" and t.nbor().lower_ == "to" for t in sent if t.i + 1 < len(t.doc)):
        return "reported"
    return "asserted"
