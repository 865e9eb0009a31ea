"""Speaker phrases for quotes and a cheap rule-based coreference for pronouns and titles.

Coreference (coreferee cannot run offline): "he"/"she" go to the most recent sentence holding a
compatible named person, preferring that sentence's subject; gender comes from honorifics,
gendered role nouns and the pronouns that follow a person's own sentences. A title noun ("the
minister", "the spokesman") goes to the last named person introduced with that title.
"""
from __future__ import annotations

import dataclasses
from bisect import bisect_right
from typing import Callable, Sequence

from spacy.tokens import Doc, Span, Token

from newsevents.quotes.cues import paragraph_of
from newsevents.nlp import entity_of
from newsevents.records import ActorMention, ActorRef
from newsevents.nlp.spans import index_of

__all__ = ["SpeakerResolver", "speaker_span"]

_DROP_DEPS = frozenset({"relcl", "acl", "appos", "punct", "advcl", "parataxis", "cc", "case"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_HONORIFIC = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f",
              "sir": "m", "lady": "f", "madam": "f"}
_GENDERED_NOUNS = {
    "spokesman": "m", "spokeswoman": "f", "chairman": "m", "chairwoman": "f",
    "congressman": "m", "congresswoman": "f", "businessman": "m", "businesswoman": "f",
    "king": "m", "queen": "f", "husband": "m", "wife": "f", "father": "m", "mother": "f",
    "son": "m", "daughter": "f", "brother": "m", "sister": "f", "prince": "m", "princess": "f",
}
#: Nouns standing for an organisation named earlier ("the company said").
_ORG_NOUNS = frozenset(
    """company agency group ministry department campaign committee organization organisation
    firm bank council commission network newspaper union party administration
    government""".split()
)
#: Role nouns a speaker may be named by after being introduced ("the senator said").
TITLE_NOUNS = frozenset(
    """president minister spokesman spokeswoman spokesperson secretary senator governor
    chairman chairwoman chair candidate nominee leader chief director ambassador general mayor
    representative congressman congresswoman lawmaker aide adviser advisor official commander
    premier chancellor king queen envoy prosecutor judge attorney manager strategist
    analyst professor economist founder ceo executive""".split()
)

Resolve = Callable[[Span, Sequence[ActorMention]], list[ActorRef]]


def _newline_between(doc: Doc, a: Token, b: Token) -> bool:
    return paragraph_of(a) != paragraph_of(b)


def _out_of_parenthesis(head: Token) -> Token:
    """"Rep. Jane Roe (D-Md.) said": a head inside a parenthesis moves to the name before it."""
    doc = head.doc
    for i in range(head.i - 1, max(-1, head.i - 6), -1):
        if doc[i].text == ")":
            return head
        if doc[i].text == "(":
            if i > 0 and doc[i - 1].pos_ in ("PROPN", "NOUN"):
                return doc[i - 1]
            return head
    return head


def speaker_span(head: Token) -> Span:
    """The noun phrase of a speaker head, without relative clauses and appositions."""
    head = _out_of_parenthesis(head)
    keep = [head]
    stack = [c for c in head.children if c.dep_ not in _DROP_DEPS]
    while stack:
        t = stack.pop()
        keep.append(t)
        stack.extend(t.children)
    doc = head.doc
    # stay in the head's paragraph: a dateline or timestamp line above is not the speaker
    keep = [t for t in keep if not _newline_between(doc, t, head)]
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    while lo < head.i and (doc[lo].is_punct or doc[lo].is_quote):
        lo += 1
    while hi > head.i and (doc[hi].is_punct or doc[hi].is_quote):
        hi -= 1
    return doc[lo : hi + 1]


#: Words a title-case headline glues to a name ("Obama Says ...", "Obama Speech").
_HEADLINE_TAIL = frozenset({"says", "said", "tells", "told", "speaks", "speech", "slams", "warns"})


def _strip_possessive(span: Span) -> Span:
    while len(span) > 1 and (span[-1].lower_ in ("'s", "’s", "'", "’") or span[-1].is_punct
                             or span[-1].lower_ in _HEADLINE_TAIL):
        span = span[:-1]
    return span


class SpeakerResolver:
    """Turns speaker tokens into ActorRefs, resolving pronouns and titles within one doc."""

    def __init__(
        self,
        doc: Doc,
        mentions: Sequence[ActorMention],
        resolve: Resolve | None,
        quoted: Sequence[tuple[int, int]] = (),
    ):
        self.doc = doc
        #: character ranges inside quotation marks: people named there are talked about, not
        #: talking, so they are no antecedents for a speaker pronoun outside the quotation
        self.quoted = list(quoted)
        # the same ranges merged and sorted, for a bisection per question (issue 10)
        self._quoted_starts, self._quoted_ends = _merged(self.quoted)
        self.mentions = list(mentions)
        self.resolve = resolve
        self.persons = [e for e in doc.ents if e.label_ == "PERSON"]
        self.orgs = [e for e in doc.ents if e.label_ == "ORG"]
        self._names: dict[tuple[int, int], Span] = {}
        self.sent_starts = [s.start for s in doc.sents]
        self.gender = self._genders()

    # ------------------------------------------------------------------ names
    def _key(self, ent: Span) -> str:
        toks = [t for t in ent if not t.is_punct and t.lower_ not in ("'s", "’s")]
        return (toks[-1] if toks else ent[-1]).lower_

    def _full_name(self, ent: Span) -> Span:
        """The fullest name of this person: the entity itself when it has a first name, else
        the most recent earlier multi-word name with the same surname ("Clarke" -> "Tom
        Clarke"), preferring names outside quotations ("Crooked Hillary" is a taunt). Most
        recent, not longest, so that "Clinton" after "Bill Clinton" is Bill, not Hillary."""
        cached = self._names.get((ent.start, ent.end))
        if cached is not None:
            return cached
        found = self._find_full_name(ent)
        self._names[(ent.start, ent.end)] = found
        return found

    def _find_full_name(self, ent: Span) -> Span:
        ent = _strip_possessive(ent)
        if len(ent) >= 2:
            return ent
        key = self._key(ent)
        fallback = None
        for e in reversed(self.persons):
            if e.start >= ent.start:
                continue
            e = _strip_possessive(e)
            if len(e) < 2 or self._key(e) != key:
                continue
            if not self._in_quote(e.start_char):
                return e
            fallback = fallback or e
        return fallback or ent

    def _genders(self) -> dict[str, str]:
        votes: dict[str, dict[str, int]] = {}
        doc = self.doc
        for e in self.persons:
            g = None
            prev = doc[e.start - 1].lower_ if e.start > 0 else ""
            if prev in _HONORIFIC:
                g = _HONORIFIC[prev]
            for t in doc[max(0, e.start - 3) : e.start]:
                g = _GENDERED_NOUNS.get(t.lower_, g)
            if g is None:
                # the next 3rd-person pronoun in the same sentence, with no other person between
                sent_end = e.sent.end
                for t in doc[e.end : sent_end]:
                    if t.ent_type_ == "PERSON":
                        break
                    if t.lower_ in _MALE:
                        g = "m"
                        break
                    if t.lower_ in _FEMALE:
                        g = "f"
                        break
            if g:
                v = votes.setdefault(self._full_name(e).text, {})
                v[g] = v.get(g, 0) + 1
        return {k: max(v, key=v.get) for k, v in votes.items()}  # type: ignore[arg-type]

    def _person_at(self, i: int) -> Span | None:
        """The PERSON entity holding token ``i`` (entities do not overlap: one bisection)."""
        starts = self.__dict__.get("_person_starts")
        if starts is None or len(starts) != len(self.persons):
            starts = self._person_starts = [e.start for e in self.persons]
        k = bisect_right(starts, i) - 1
        return self.persons[k] if k >= 0 and i < self.persons[k].end else None

    def _in_quote(self, char: int) -> bool:
        k = bisect_right(self._quoted_starts, char) - 1
        return k >= 0 and char < self._quoted_ends[k]

    # ------------------------------------------------------------------ coreference
    def _antecedent_pronoun(self, tok: Token) -> Span | None:
        want = "m" if tok.lower_ in _MALE else "f" if tok.lower_ in _FEMALE else None
        if want is None:
            return None
        outside = not self._in_quote(tok.idx)

        def fits(e: Span) -> bool:
            return (self.gender.get(self._full_name(e).text, want) == want
                    and not (outside and self._in_quote(e.start_char)))

        # The candidates of the sentence of the last fitting person before ``tok``, walking back
        # from ``tok`` (persons do not overlap, so those ending before it are a prefix): a
        # filter over every person per pronoun made long articles quadratic (issue 10).
        sent_of = lambda i: bisect_right(self.sent_starts, i)  # noqa: E731
        ends = self.__dict__.get("_person_ends")
        if ends is None or len(ends) != len(self.persons):
            ends = self._person_ends = [e.end for e in self.persons]
        same: list[Span] = []
        last_sent = None
        for k in range(bisect_right(ends, tok.i) - 1, -1, -1):
            e = self.persons[k]
            if last_sent is not None and sent_of(e.start) != last_sent:
                break
            if fits(e):
                if last_sent is None:
                    last_sent = sent_of(e.start)
                same.append(e)
        if not same:
            return None
        same.reverse()
        subj = [e for e in same if e.root.dep_ in ("nsubj", "nsubjpass")]
        return (subj or same)[0]

    def _antecedent_org(self, span: Span) -> Span | None:
        """"the company said" -> the last organisation named within three sentences; "it
        said" -> an organisation that was the subject of this or the previous sentence (a
        stricter rule: "it" is as often a report or an advert)."""
        root = span.root
        pronoun = root.lower_ == "it" and len(span) == 1
        noun = (root.pos_ == "NOUN" and root.lemma_.lower() in _ORG_NOUNS and root.tag_ != "NNS"
                and len(span) <= 3 and any(t.lower_ == "the" for t in span))
        if not (pronoun or noun):
            return None
        surnames = {self._key(p) for p in self.persons}
        lemma = root.lemma_.lower()
        sent_of = lambda i: bisect_right(self.sent_starts, i)  # noqa: E731
        here = sent_of(root.i)
        outside = not self._in_quote(root.idx)
        for e in reversed(self.orgs):
            if e.end > span.start or (outside and self._in_quote(e.start_char)):
                continue
            gap = here - sent_of(e.start)
            if gap > (1 if pronoun else 3):
                return None
            if self._key(e) in surnames:
                continue  # a person the tagger called an organisation ("Trump")
            if pronoun and e.root.dep_ not in ("nsubj", "nsubjpass"):
                continue
            # "the campaign" is the Clinton campaign, not the last organisation named; only
            # "the company"/"the firm" stand for any organisation
            if noun and lemma not in ("company", "firm") and lemma not in e.text.lower():
                continue
            return e
        return None

    def _antecedent_title(self, span: Span) -> Span | None:
        head = span.root
        if head.pos_ != "NOUN" or head.lemma_.lower() not in TITLE_NOUNS or head.tag_ == "NNS":
            return None
        if any(t.ent_type_ == "PERSON" for t in span):
            return None
        title = head.lemma_.lower()
        modifiers = {t.lemma_.lower() for t in span
                     if t.i < head.i and t.dep_ in ("amod", "compound") and t.lower_ != "former"}
        doc = self.doc
        for e in reversed(self.persons):
            if e.end > span.start:
                continue
            # the name's own premodifiers: up to 6 tokens back, stopping at a verb or comma
            window = []
            for t in reversed(doc[max(0, e.start - 6) : e.start]):
                if t.pos_ in ("VERB", "AUX") or t.text in (",", ";", ":") or "\n" in t.text:
                    break
                window.append(t)
            appos = [t for t in e.root.children if t.dep_ == "appos"] + (
                [e.root.head] if e.root.dep_ == "appos" else [])
            words = {t.lemma_.lower() for t in window} | {
                t.lemma_.lower() for a in appos for t in a.subtree}
            # "the Republican nominee" is not the "vice presidential nominee" named before:
            # the title's own modifiers must come with the name too
            if title in words and modifiers <= words:
                return e
        for m in reversed(self.mentions):
            if m.end <= span.start_char and m.kind == "person" and m.role and title in m.role.lower():
                found = doc.char_span(m.start, m.end, alignment_mode="expand")
                if found is not None:
                    return found
        return None

    # ------------------------------------------------------------------ refs
    def _ref_for(self, span: Span) -> ActorRef:
        if self.resolve is not None:
            try:
                refs = self.resolve(span, self.mentions)
            except Exception:  # the actors stage must not take quotes down with it
                refs = []
            if refs:
                return refs[0]
        covering = index_of(self.mentions, self.doc.user_data).covering(span.root.idx)
        if covering:
            return covering[0].ref()
        ent = entity_of(span.root)
        if ent is not None and ent.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
            ent = None
        name = self._full_name(ent).text if ent is not None and ent.label_ == "PERSON" else (
            ent.text if ent is not None else span.text)
        return ActorRef(name=name, start=span.start_char, end=span.end_char, text=span.text)

    def ref(self, head: Token) -> ActorRef:
        """ActorRef for the speaker whose head token is ``head`` (offsets: the surface phrase)."""
        span = speaker_span(head)
        target = span
        if head.lower_ in _RELATIVE and head.head.dep_ == "relcl" and head.head.head.i != head.i:
            # "an architect who said": the relative pronoun stands for its antecedent
            target = speaker_span(head.head.head)
        org = self._antecedent_org(target)
        if org is not None:
            target = org
        else:
            if target.root.pos_ == "PRON":
                ante = self._antecedent_pronoun(target.root)
            else:
                ante = self._antecedent_title(target)
            if ante is not None:
                target = self._full_name(ante)
        ref = self._ref_for(target)
        ent = self._person_at(target.root.i)
        if ent is not None:
            # the resolver may name a person by the surface form ("Lopez"); the longest name the
            # article gives that person is more useful to a reader
            full = self._full_name(ent).text
            if len(full) > len(ref.name) and ref.name in full:
                ref = dataclasses.replace(ref, name=full)
        return dataclasses.replace(ref, start=span.start_char, end=span.end_char, text=span.text)


def _merged(ranges: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted starts and ends of the union of ``ranges`` (disjoint, in order)."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(ranges):
        if starts and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        elif s < e:
            starts.append(s)
            ends.append(e)
    return starts, ends
