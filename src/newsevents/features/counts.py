"""Counts of people affected: "at least 12 people were killed", "dozens arrested", "killing five".

Reads the dependency parse: a number run -> the noun it counts (nummod, or "dozens of X") -> the
predicate governing that noun phrase (passive subject / object of "kill", "30 injured",
"three were missing", "left 12 dead", "the death toll rose to 45"), or a noun that names the
kind itself ("5,000 protesters", "12 deaths"). The kind lexicon is data/features_counts.json.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from spacy.tokens import Doc, Span, Token

from newsevents.features.common import link_event, load_json, number_runs
from newsevents.features.numbers import APPROX_WORDS, parse_number
from newsevents.records import Count, Event

__all__ = ["extract_counts"]

#: Entity types whose numbers are not counts of people (dates, money, percentages, ranks).
_SKIP_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}
#: Multi-word approximators read left of the number ("at least 12", "as many as 40").
_APPROX_PHRASES = ("at least", "more than", "up to", "as many as", "upwards of", "close to",
                   "in excess of", "an estimated", "at most", "fewer than", "less than")
#: Event roots a count kind usually belongs to, to pick the event when the verb is not one.
_KIND_ROOTS = {
    "killed": frozenset({"18", "19", "20"}), "wounded": frozenset({"18", "19", "20"}),
    "injured": frozenset({"18", "19", "20"}), "casualties": frozenset({"18", "19", "20"}),
    "arrested": frozenset({"17"}), "detained": frozenset({"17"}), "kidnapped": frozenset({"18"}),
    "protesters": frozenset({"14"}), "displaced": frozenset({"17", "18", "19", "20"}),
}


@lru_cache(maxsize=1)
def _lex() -> dict:
    data = load_json("features_counts.json")
    return {
        "verbs": data["verbs"], "transitive": frozenset(data["transitive"]),
        "adjectives": data["adjectives"], "nouns": data["nouns"], "tolls": data["tolls"],
        "toll_heads": frozenset(data["toll_heads"]), "of_nouns": data["of_nouns"],
        "time_units": frozenset(data["time_units"]),
    }


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod", "conj", "relcl", "advcl")
    )


def _adj_kind(head: Token) -> tuple[str, Token] | None:
    """A kind adjective attached to ``head`` ("were missing", "left 12 dead", "shot dead")."""
    lex = _lex()
    for c in head.children:
        if c.dep_ in ("acomp", "oprd", "xcomp", "attr", "ccomp") and (
            c.lower_ in lex["adjectives"] or c.lemma_ in lex["adjectives"]
        ):
            return lex["adjectives"].get(c.lower_) or lex["adjectives"][c.lemma_], c
    return None


def _toll_kind(verb: Token) -> tuple[str, Token] | None:
    """ "the death toll rose to 45" / "the number of dead stands at 12"."""
    lex = _lex()
    for c in verb.children:
        # "the death toll rose to 45", "took the death toll to 312", "put the number of displaced at"
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lemma_ in lex["toll_heads"]:
            for m in c.subtree:
                if m.lemma_ in lex["tolls"] or m.lower_ in lex["tolls"]:
                    return lex["tolls"].get(m.lemma_) or lex["tolls"][m.lower_], verb
    return None


#: Auxiliaries and adverbs between a count and its predicate ("230 were reportedly injured").
_BETWEEN = {"were", "was", "are", "is", "have", "has", "had", "been", "be", "reportedly", "also",
            "still", "later", "allegedly", "confirmed", "reported", "now", "all", "others", "more"}


def _following_predicate(last: Token) -> tuple[str, Token] | None:
    """ "230 were injured", "44 hurt": a kind word right after the count, read off the surface.

    A fallback for coordinations the parser attaches to the wrong conjunct ("killed 51 people
    and more than 230 were injured" parses 230 as a conjunct of "people").
    """
    lex = _lex()
    doc = last.doc
    i = last.i + 1
    while i < len(doc) and i <= last.i + 4 and doc[i].lower_ in _BETWEEN:
        i += 1
    if i >= len(doc) or doc[i].is_sent_start:
        return None
    tok = doc[i]
    if tok.lower_ in lex["adjectives"]:
        return lex["adjectives"][tok.lower_], tok
    if tok.tag_ == "VBN" and tok.lemma_ in lex["verbs"] and i > last.i + 1:
        return lex["verbs"][tok.lemma_], tok
    return None


def _preceding_verb(phrase: Token) -> tuple[str, Token] | None:
    """ "killed at least 51 people and ...": a transitive kind verb just left of the phrase that
    the parser left without an object (it made the phrase the subject of a later verb)."""
    lex = _lex()
    doc = phrase.doc
    i = min(t.i for t in phrase.subtree) - 1
    while i >= 0 and (doc[i].lower_ in APPROX_WORDS or doc[i].lower_ in ("at", "the", "a", "an")):
        i -= 1
    if i < 0:
        return None
    verb = doc[i]
    finite = verb.tag_ in ("VBD", "VBG", "VBZ", "VBP")
    if verb.pos_ == "VERB" and verb.lemma_ in lex["transitive"] and finite and not any(
        c.dep_ == "dobj" for c in verb.children
    ):
        return lex["verbs"][verb.lemma_], verb
    return None


def _kind(phrase: Token, obj: Token | None) -> tuple[str, Token] | None:
    """The count kind of the noun phrase headed by ``phrase`` and the token that showed it.

    The predicate wins over the counted noun: "100 rioters were arrested" counts arrests;
    the noun alone ("5,000 protesters gathered", "12 deaths") names the kind otherwise.
    """
    lex = _lex()
    if obj is not None and obj.lower_ in lex["adjectives"]:
        return lex["adjectives"][obj.lower_], obj  # "10 hurt", "25 dead" parsed as noun phrases
    noun_kind = None
    if obj is not None:
        k = lex["nouns"].get(obj.lemma_) or lex["nouns"].get(obj.lower_)
        if k:
            noun_kind = (k, obj)
        elif obj.lemma_ in lex["time_units"]:
            return None
    pred = _predicate_kind(phrase)
    if pred is None or (noun_kind is not None and pred[0] in _NARROWER.get(noun_kind[0], ())):
        return noun_kind  # "2.5 million refugees fled": "refugees" says more than "displaced"
    return pred


#: Noun kinds that are more specific than a predicate kind of the same family.
_NARROWER = {"refugees": ("displaced",), "casualties": ("killed", "injured", "wounded")}


def _predicate_kind(phrase: Token) -> tuple[str, Token] | None:
    """The kind given by the predicate governing the count's noun phrase."""
    lex = _lex()
    # modifiers of the phrase: "displaced people", "people killed in", "12 dead"
    for c in phrase.children:
        if c.dep_ in ("amod", "acl", "relcl", "appos") and c.i != phrase.i:
            if c.lemma_ in lex["verbs"] and (c.tag_ in ("VBN", "JJ") or c.dep_ == "amod"):
                return lex["verbs"][c.lemma_], c
            if c.lower_ in lex["adjectives"]:
                return lex["adjectives"][c.lower_], c
    node = phrase
    if node.dep_ in ("nsubj", "nsubjpass", "conj"):
        before = _preceding_verb(phrase)
        if before is not None:
            return before
    if node.dep_ == "conj":
        after = _following_predicate(max(node.subtree, key=lambda t: t.i) if node.n_rights else node)
        if after is not None:
            return after
    while node.dep_ == "conj" and node.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        node = node.head  # "killed 5 soldiers and 3 civilians": the first conjunct's role
    head, dep = node.head, node.dep_
    if head.i == node.i:
        return None
    if dep == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        # "the death of 200,000 people", "the arrest of 12 activists", "claimed the lives of 2"
        noun = head.head
        if noun.lemma_ in lex["of_nouns"]:
            return lex["of_nouns"][noun.lemma_], noun
        if noun.lemma_ == "life" and noun.head.lemma_ in ("claim", "take", "cost"):
            return "killed", noun.head
    if dep == "pobj" and head.lower_ in ("to", "at") and head.head.pos_ in ("VERB", "AUX"):
        return _toll_kind(head.head)
    if dep in ("attr",) and head.lemma_ == "be":
        return _toll_kind(head)
    if dep in ("nsubj", "nsubjpass") and head.lower_ in lex["adjectives"] and (
        head.lemma_ not in lex["verbs"]
    ):
        return lex["adjectives"][head.lower_], head  # "22 miners are still missing" (VERB "miss")
    if dep in ("nsubjpass", "dobj", "nsubj", "conj", "appos", "npadvmod", "oprd"):
        lemma = head.lemma_
        if lemma in lex["verbs"]:
            active_subject = (
                dep == "nsubj" and lemma in lex["transitive"] and head.tag_ != "VBN"
                and not _is_passive(head)
            )
            if not active_subject:
                return lex["verbs"][lemma], head
        # "three were missing", "left 12 dead", "four were shot dead", "bodies found dead"
        return _adj_kind(head)
    return None


def _partitive(number: Token, obj: Token) -> bool:
    """ "one of the protesters": the number picks members out of a definite group."""
    return obj.head.lower_ == "of" and obj.head.head.i == number.i and any(
        c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an") for c in obj.children
    )


def _approximate(run: list[Token], sent: Span) -> bool:
    doc = sent.doc
    first = run[0]
    left = doc[max(sent.start, first.i - 3):first.i]
    text = " ".join(t.lower_ for t in left)
    # a range: "5 to 11 people", "between 10 and 28", "10-12"
    if len(left) >= 2 and left[-1].lower_ in ("to", "-", "and", "or") and left[-2].like_num:
        return True
    if any(text.endswith(p) for p in _APPROX_PHRASES):
        return True
    if left and left[-1].lower_ in APPROX_WORDS - {"than", "least", "as", "many", "up", "more"}:
        return True
    return any(c.lower_ in APPROX_WORDS for t in run for c in t.children if c.dep_ in (
        "advmod", "quantmod", "amod"))


def extract_counts(
    doc: Doc, sents: list[Span], events: Sequence[Event], runs: list[list[list[Token]]] | None = None
) -> list[Count]:
    """All counts of affected people in ``doc``, linked to the event of their sentence."""
    out: list[Count] = []
    for s_idx, sent in enumerate(sents):
        for run in (runs[s_idx] if runs is not None else number_runs(sent)):
            if any(t.ent_type_ in _SKIP_ENTS for t in run):
                continue
            nxt = doc[run[-1].i + 1] if run[-1].i + 1 < len(doc) else None
            if nxt is not None and nxt.text in ("%", "per", "percent"):
                continue
            parsed = parse_number(run)
            if parsed is None:
                continue
            value, vague = parsed
            ids = {t.i for t in run}
            top = next((t for t in run if t.head.i not in ids or t.head.i == t.i), run[-1])
            obj: Token | None = None
            phrase = top
            if top.dep_ in ("nummod", "quantmod", "compound", "amod") and top.head.pos_ in (
                "NOUN", "PROPN", "ADJ"
            ) and top.head.i not in ids:
                obj = phrase = top.head
            else:
                pobj = [g for c in top.children if c.lower_ == "of" for g in c.children
                        if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")]
                if pobj:
                    obj = pobj[0]  # "dozens of protesters": the quantity noun keeps the role
            found = _kind(phrase, obj)
            if found is None:
                continue
            kind, trigger = found
            if obj is not None and trigger.i == obj.i and _partitive(top, obj):
                continue  # "one of the protesters" names a member, it does not count a group
            if obj is not None and obj.lower_ in _lex()["adjectives"]:
                obj = None  # "25 dead": "dead" is the kind, not the counted noun
            span_toks = [t.i for t in run] + ([obj.i] if obj is not None else [])
            if trigger.i > max(span_toks) and trigger.i - max(span_toks) <= 4:
                span_toks.append(trigger.i)  # "12 people were killed": keep the predicate in text
            lo, hi = min(span_toks), max(span_toks)
            # "at least 12": the approximator belongs to the count's text
            held = set(ids)
            while lo > sent.start and (
                doc[lo - 1].dep_ in ("advmod", "quantmod") or doc[lo - 1].lower_ in APPROX_WORDS
            ) and doc[lo - 1].head.i in held:
                lo -= 1
                held.add(lo)
            span = doc[lo:hi + 1]
            anchor = (trigger.idx, trigger.idx + len(trigger.text))
            out.append(
                Count(
                    kind=kind,
                    number=int(round(value)),
                    object=obj.lower_ if obj is not None else "",
                    text=span.text,
                    start=span.start_char,
                    end=span.end_char,
                    sentence=s_idx,
                    approximate=vague or _approximate(run, sent),
                    event_id=link_event(events, s_idx, span.start_char, span.end_char, anchor,
                                        _KIND_ROOTS.get(kind, frozenset())),
                )
            )
    return out
