"""Attribution cues found on the dependency parse: speech/belief verbs with their clause,
stance verbs with their object ("X criticized Y", "X called for Y", "X is critical of Y"),
"according to", "quoted X as saying", and report nouns ("X's statement that ...").

Each cue carries its speaker token (head of the source noun phrase, or None when agentless),
an optional channel token (the outlet in "TASS quoted X as saying"), and the content spans the
parse gives it (complement clauses). Direct quotations are linked to cues in ``quotes.py``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

__all__ = ["Cue", "SPEECH_LEMMAS", "BELIEF_LEMMAS", "REPORT_NOUNS", "find_cues", "subject_of",
           "is_speech_verb", "paragraph_of"]

#: Verbs of saying: a complement clause of one of these is reported speech.
SPEECH_LEMMAS = frozenset(
    """say tell add state remark note warn argue claim insist explain announce declare write
    tweet post ask reply respond confirm deny acknowledge admit emphasise emphasize stress urge
    report recall observe complain contend assert maintain allege charge testify predict
    promise pledge vow concede counter caution suggest estimate indicate reveal disclose
    mention joke quip boast brag lament acknowledge reiterate repeat conclude describe
    continue proclaim shout tout retort opine signal chant comment yell scream exclaim
    whisper cry plead""".split()
)

#: Verbs of belief / evidence: PolNeAR also annotates these as attributions (think, believe,
#: show, find); only their clausal complements count.
BELIEF_LEMMAS = frozenset("show find agree estimate predict conclude".split())
# Left out after counting matches on the first 40 polnear dev articles: think (1 of 32
# predictions matched), know (4/17), believe (2/11), hope (1/9), feel, guess - mostly "I think"
# inside quotations, which PolNeAR does not annotate.

#: Nouns whose "that"-clause is reported content ("his claim that ...").
REPORT_NOUNS = frozenset(
    """statement claim remark comment announcement warning assertion argument allegation
    suggestion promise pledge belief view insistence contention admission testimony
    declaration report accusation charge""".split()
)

#: Stance verbs whose *object* is the attributed content (PolNeAR annotates "X criticized Y",
#: "X called for Y", "X urged Y to Z" as attributions): direct object, infinitive complement
#: or the object of a governed preposition ("called for", "warned against", "spoke about").
OBJECT_LEMMAS = frozenset(
    """criticize criticise attack blast slam praise condemn denounce reject dismiss defend
    endorse support oppose back welcome applaud question cite mention discuss outline
    propose demand accuse blame deny announce advocate tout push unveil recommend urge
    promise vow threaten offer hail mock decry lament acknowledge admit highlight emphasize
    emphasise stress encourage call decline refuse intend agree insist predict reveal explain
    signal""".split()
)
# Left out after counting on the first 40 polnear dev articles: want (8 of 31 predictions
# matched), plan (3/11), pledge (1/6), seek, hope, raise, describe (0/3); on all 84: promote
# (1/5), focus on (0/4). A cue pays for itself in F1 only above ~F1/2 precision.
#: (verb lemma, preposition) pairs whose prepositional object is the content.
PREP_OBJECT = frozenset(
    """call:for call:on warn:against warn:of speak:about talk:about complain:about argue:for
    argue:against push:for advocate:for testify:about worry:about ask:for apologize:for
    apologise:for rail:against campaign:for campaign:against vote:for vote:against
    comment:on insist:on speak:of talk:of brag:about boast:about wonder:about ask:about
    speak:on press:on plead:for accuse:of
    critical:of supportive:of concerned:about worried:about skeptical:of sceptical:of
    wary:of vague:about clear:about confident:about optimistic:about pessimistic:about
    passionate:about silent:on adamant:about""".split()
)
#: Phrasal verbs (verb:particle) of saying whose clause or object is the content.
PHRASAL = frozenset("point:out lay:out speak:out single:out call:out spell:out".split())

_EXPLETIVES = frozenset({"it", "there"})
_CONTENT_DEPS = frozenset({"ccomp"})
_PARTICIPLE_DEPS = frozenset({"advcl", "xcomp", "acl", "conj", "pcomp", "dep"})


@dataclass
class Cue:
    """One attribution cue with what the parse says about its source and content."""

    tokens: list[Token]
    speaker: Token | None
    via: Token | None = None
    contents: list[tuple[int, int]] = field(default_factory=list)
    kind: str = "verb"  # verb | according | quoted | noun
    agentless: bool = False
    strong: bool = True  # a verb of saying (not belief)
    listener: Token | None = None  # the addressee of "tell"/"say to" (a possible channel)

    @property
    def start(self) -> int:
        return min(t.idx for t in self.tokens)

    @property
    def end(self) -> int:
        return max(t.idx + len(t.text) for t in self.tokens)

    def text(self, doc: Doc) -> str:
        """Surface form; gaps shown as "..." ("quoted ... as saying")."""
        runs: list[list[Token]] = []
        for t in sorted(self.tokens, key=lambda t: t.i):
            if runs and t.i == runs[-1][-1].i + 1:
                runs[-1].append(t)
            else:
                runs.append([t])
        return " ... ".join(doc[r[0].i : r[-1].i + 1].text for r in runs)


def is_speech_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in SPEECH_LEMMAS


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].is_punct or tokens[0].is_space or tokens[0].dep_ == "cc"):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        if tokens[-1].text in ".?!" and len(tokens) > 1 and not tokens[-2].is_quote:
            break
        tokens = tokens[:-1]
    return tokens


def _runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """Contiguous character spans of a token list (punctuation may bridge gaps)."""
    toks = sorted(tokens, key=lambda t: t.i)
    runs: list[list[Token]] = []
    for t in toks:
        if runs and t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    out = []
    for run in runs:
        run = _trim(run)
        if run and any(not t.is_punct for t in run):
            out.append((run[0].idx, run[-1].idx + len(run[-1].text)))
    return out


def paragraph_of(tok: Token) -> int:
    """Index of the paragraph (newline-separated) holding ``tok``; cached per doc."""
    doc = tok.doc
    breaks = doc.user_data.get("_quote_newlines")
    if breaks is None:
        breaks = [i for i, ch in enumerate(doc.text) if ch == "\n"]
        doc.user_data["_quote_newlines"] = breaks
    return bisect_right(breaks, tok.idx)


def _clause_span(
    head: Token, exclude: set[int] = frozenset(), anchor: Token | None = None  # type: ignore[assignment]
) -> list[tuple[int, int]]:
    """Character runs of ``head``'s clause, kept to the paragraph of ``anchor`` (the cue):
    the parser sometimes hangs a whole next paragraph under a cue."""
    # a trailing ", <participle> ..." adjunct is the writer's gloss, not the content (PolNeAR
    # leaves "..., contradicting X" out of the attributed clause; so does a quotation ending
    # '...,” emphasizing X')
    for c in head.rights:
        if c.dep_ == "advcl" and c.tag_ == "VBG" and c.left_edge.i > 0 and \
                head.doc[c.left_edge.i - 1].text in (",", "”", '"', "’", "'"):
            exclude = set(exclude) | {t.i for t in c.subtree}
    # a trailing non-restrictive relative clause (", which forced her to ...") is the writer's
    # aside; PolNeAR contents stop before it
    right = head.right_edge.i
    for t in head.subtree:
        if t.dep_ == "relcl" and t.right_edge.i == right and t.left_edge.i > 0 and \
                head.doc[t.left_edge.i - 1].text == "," and t.left_edge.lower_ in ("which", "who"):
            exclude = set(exclude) | {x.i for x in t.subtree}
            break
    # "... and warned against X": a conjoined cue verb starts its own attribution
    for t in head.subtree:
        if t.dep_ == "conj" and t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_LEMMAS and t.i > head.i:
            cut = {x.i for x in t.subtree} | {c.i for c in t.head.children if c.dep_ == "cc" and c.i < t.i}
            exclude = set(exclude) | cut
    para = paragraph_of(anchor if anchor is not None else head)
    toks = [t for t in head.subtree if t.i not in exclude and paragraph_of(t) == para]
    # the complementiser is not part of what was said ("said [that] ...")
    toks = [t for t in toks if not (t.dep_ == "mark" and t.lower_ == "that" and t.head.i == head.i)]
    return _runs(toks)


def _fronted_span(content: Token, verb: Token) -> list[tuple[int, int]]:
    """"<content>, X said": everything from the clause's start up to the frame counts; the
    parser often hangs trailing adverbials of the content ("until 1999") on "said"."""
    if content.i > verb.i:
        return []
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    frame = min(verb.i, subj.left_edge.i) if subj is not None else verb.i
    doc = verb.doc
    end = frame - 1
    while end > content.left_edge.i and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    start = content.left_edge.i
    if end <= start or doc[start : end + 1].text.count("\n"):
        return []
    if paragraph_of(doc[start]) != paragraph_of(verb):
        return []
    toks = [t for t in doc[start : end + 1]
            if not (t.dep_ == "mark" and t.lower_ == "that" and t.head.i == content.i)]
    return _runs(toks)


def subject_of(verb: Token, _depth: int = 0) -> tuple[Token | None, bool]:
    """(speaker head token, agentless) for a verb, climbing conjunctions and participles."""
    if _depth > 4:
        return None, False
    for c in verb.children:
        if c.dep_ == "nsubj":
            # "an architect who said ...": the speaker mention is "who" (PolNeAR's source
            # span); the speaker resolver names it after the antecedent
            if c.lower_ in _EXPLETIVES and any(k.dep_ == "ccomp" for k in verb.children) and \
                    c.i < verb.i and verb.lemma_ in ("seem", "appear"):
                return None, True
            return c, False
        if c.dep_ == "nsubjpass":
            agent = next((a for a in verb.children if a.dep_ == "agent"), None)
            if agent is not None:
                pobj = next((p for p in agent.children if p.dep_ == "pobj"), None)
                return pobj, False
            # "it was reported that ..." / "X was told that ...": no source in the text
            return None, True
    if verb.dep_ in _PARTICIPLE_DEPS and verb.head.i != verb.i:
        return subject_of(verb.head, _depth + 1)
    # "..., after saying that ...": through the preposition to the verb it modifies
    if verb.pos_ == "ADP" and verb.dep_ == "prep" and verb.head.pos_ in ("VERB", "AUX"):
        return subject_of(verb.head, _depth + 1)
    return None, False


def _ccomps(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in _CONTENT_DEPS]


def _listener(verb: Token) -> Token | None:
    if verb.lemma_ == "tell":
        for c in verb.children:
            if c.dep_ in ("dobj", "dative"):
                return c
    for c in verb.children:
        if c.dep_ in ("prep", "dative") and c.lower_ == "to":
            pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def _quoted_chain(verb: Token) -> Cue | None:
    """"A quoted/cited B as saying ...": speaker B, via A."""
    if verb.lemma_ not in ("quote", "cite"):
        return None
    as_prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    saying = None
    if as_prep is not None:
        saying = next((c for c in as_prep.children if c.lemma_ in SPEECH_LEMMAS), None)
    if saying is None:
        saying = next(
            (c for c in verb.children if c.dep_ in ("xcomp", "advcl", "ccomp") and c.tag_ == "VBG"
             and c.lemma_ in SPEECH_LEMMAS), None)
    if saying is None:
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    subj, _ = subject_of(verb)
    if obj is None and any(c.dep_ == "nsubjpass" for c in verb.children):
        # "B was quoted (by A) as saying": the passive subject speaks
        obj = next(c for c in verb.children if c.dep_ == "nsubjpass")
        agent = next((a for a in verb.children if a.dep_ == "agent"), None)
        subj = next((p for p in agent.children if p.dep_ == "pobj"), None) if agent else None
    toks = [verb] + ([as_prep] if as_prep is not None else []) + [saying]
    contents = [sp for c in _ccomps(saying) for sp in _clause_span(c, anchor=saying)]
    return Cue(tokens=toks, speaker=obj, via=subj, contents=contents, kind="quoted")


def _according(tok: Token) -> Cue | None:
    if tok.lower_ != "according":
        return None
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None:
        return None
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    head = tok.head
    while head.pos_ not in ("VERB", "AUX") and head.dep_ != "ROOT" and head.head.i != head.i:
        head = head.head
    contents: list[tuple[int, int]] = []
    if head.i != tok.i:
        contents = _clause_span(head, {t.i for t in tok.subtree}, anchor=tok)
    return Cue(tokens=[tok, to], speaker=src, contents=contents, kind="according")


def _report_noun(tok: Token) -> Cue | None:
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in REPORT_NOUNS:
        return None
    clause = next(
        (c for c in tok.children if c.dep_ in ("acl", "ccomp", "appos", "relcl")
         and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)),
        None,
    )
    if clause is None:
        return None
    speaker = next((c for c in tok.children if c.dep_ == "poss"), None)
    if speaker is None:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
                speaker = next((p for p in c.children if p.dep_ == "pobj"), None)
                if speaker is not None:
                    break
    if speaker is None and tok.dep_ in ("dobj", "nsubjpass") and tok.head.pos_ == "VERB":
        speaker, _ = subject_of(tok.head)
    return Cue(tokens=[tok], speaker=speaker, contents=_clause_span(clause, anchor=tok), kind="noun")


def _comma_frame(verb: Token) -> bool:
    """", he said" / ", said the minister": a comma (or closing mark) right before the frame."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    first = min(verb.i, subj.left_edge.i) if subj is not None else verb.i
    doc = verb.doc
    i = first - 1
    while i >= 0 and doc[i].is_quote:
        i -= 1
    return i >= 0 and doc[i].text in (",", "—", "–")


def _verb_cue(tok: Token) -> Cue | None:
    lemma = tok.lemma_.lower()
    strong = lemma in SPEECH_LEMMAS
    if tok.pos_ not in ("VERB", "AUX") or not (strong or lemma in BELIEF_LEMMAS):
        return None
    # "saying" under "quoted ... as" belongs to the quoted chain
    if tok.dep_ == "pcomp" and tok.head.lower_ == "as" and tok.head.head.lemma_ in ("quote", "cite"):
        return None
    ccomps = _ccomps(tok)
    contents = [sp for c in ccomps for sp in _fronted_span(c, tok) or _clause_span(c, anchor=tok)]
    if not contents and tok.dep_ in ("parataxis", "ccomp", "conj", "advcl") and \
            tok.head.i < tok.i and strong and _comma_frame(tok):
        # "The deal is dead, he said": the parser may hang "said" under the content verb
        excl = {t.i for t in tok.subtree}
        contents = _clause_span(tok.head, excl, anchor=tok)
    if not contents:
        # no complement here: the quotation-mark linker may still use this verb as a cue
        # (``quotes._cue_for_token``), and its object may be content (``_object_cue``)
        return None
    speaker, agentless = subject_of(tok)
    toks = [tok] + [c for c in tok.children if c.dep_ == "prt"]
    return Cue(tokens=toks, speaker=speaker, contents=contents, kind="verb", agentless=agentless,
               strong=strong, listener=_listener(tok))


def _object_cue(tok: Token) -> Cue | None:
    """Stance verbs with their object as content ("X called for Y", "X urged Y to Z")."""
    lemma = tok.lemma_.lower()
    adjective = tok.pos_ == "ADJ" and tok.dep_ == "acomp"
    if tok.pos_ != "VERB" and not adjective:
        return None
    spans: list[tuple[int, int]] = []
    prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), "")
    if f"{lemma}:{prt}" in PHRASAL:
        ccomp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        target = ccomp if ccomp is not None else dobj
        if target is not None:
            spans = _clause_span(target, anchor=tok)
    if not spans and lemma in OBJECT_LEMMAS and not adjective:
        if any(c.dep_ == "ccomp" for c in tok.children):
            return None  # a clausal complement: the verb cue handles it
        dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        xcomp = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")
                      and any(a.lower_ == "to" for a in c.children)), None)
        if dobj is not None and xcomp is not None and dobj.i < xcomp.i:
            spans = [(dobj.left_edge.idx, xcomp.right_edge.idx + len(xcomp.right_edge.text))]
        elif xcomp is not None:
            spans = _clause_span(xcomp, anchor=tok)
        elif dobj is not None and dobj.pos_ != "PRON":
            # "called X a fraud": the object predicate belongs to the content
            oprd = next((c for c in tok.children if c.dep_ in ("oprd", "ccomp") and c.i > dobj.i), None)
            if oprd is not None:
                spans = [(dobj.left_edge.idx, oprd.right_edge.idx + len(oprd.right_edge.text))]
            else:
                spans = _clause_span(dobj, anchor=tok)
    if not spans:
        for c in tok.children:
            if c.dep_ == "prep" and f"{lemma}:{c.lower_}" in PREP_OBJECT:
                pobj = next((p for p in c.children if p.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    spans = _clause_span(pobj, anchor=tok)
                    break
    if not spans:
        return None
    # "X is critical of Y": the subject of the copula holds the stance
    speaker, agentless = subject_of(tok.head if adjective else tok)
    if speaker is None or speaker.lower_ in _EXPLETIVES or agentless:
        return None
    toks = [tok] + [c for c in tok.children if c.dep_ == "prt"]
    return Cue(tokens=toks, speaker=speaker, contents=_runs_trimmed(spans), kind="object",
               strong=False)


def _runs_trimmed(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(s, e) for s, e in spans if e > s]


def find_cues(doc: Doc | Span) -> list[Cue]:
    """Every attribution cue in ``doc`` in text order."""
    cues: list[Cue] = []
    for tok in doc:
        cue = (_quoted_chain(tok) or _according(tok) or _report_noun(tok) or _verb_cue(tok)
               or _object_cue(tok))
        if cue is not None:
            cues.append(cue)
    return cues
