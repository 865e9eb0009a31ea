"""Money amounts: "$40 billion", "€2m", "40 billion dollars", "5 million euros", "HK$10".

The surface is read from tokens (currency symbol or ISO code before a number run, or a currency
word after it, optionally qualified: "300 million Australian dollars"); what the money is for is
read from the dependency parse around the amount ("a $2.5 billion loan", "$40 billion in aid",
"aid worth $40 billion", "pledged $40 billion for reconstruction").
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from spacy.tokens import Doc, Span, Token

from newsevents.features.common import link_event, load_json, number_runs
from newsevents.features.numbers import MAGNITUDES, parse_number
from newsevents.records import Amount, Event

__all__ = ["extract_amounts"]

#: "HK$10", "$5bn", "€2m": a currency symbol glued to its number in one token.
_GLUED = re.compile(
    r"^([A-Za-z]{0,3}\$|€|£|¥|₹|₽|₩|₺|₪|₦|₱|₴)(\d[\d,]*(?:\.\d+)?)(bn|mn|m|k|b|tn)?$"
)
_SYMBOL_STARTS = frozenset("€£¥₹₽₩₺₪₦₱₴")
#: Currencies written with a dollar sign; a bare "$" may stand for any of them.
_DOLLARS = frozenset({"USD", "AUD", "CAD", "HKD", "NZD", "SGD", "TWD", "ZWL", "JMD", "FJD", "NAD",
                      "LRD", "BZD", "XCD"})
#: Prepositions that introduce what money is for ("$40 billion in aid", "for reconstruction").
_FOR_PREPS = ("in", "of", "for", "worth")
#: Nouns that say nothing about what money is for.
_EMPTY_OBJECTS = {"total", "sum", "amount", "year", "month", "week", "day", "cost", "value", "worth"}


@lru_cache(maxsize=1)
def _cur() -> dict:
    data = load_json("features_currencies.json")
    return {"symbols": data["symbols"], "codes": frozenset(data["codes"]), "words": data["words"],
            "qualifiers": data["qualifiers"]}


def _prefix_currency(doc: Doc, i: int, sent: Span) -> tuple[str, int] | None:
    """Currency written just before token ``i``: ("USD", index of its first token)."""
    cur = _cur()
    if i <= sent.start:
        return None
    prev = doc[i - 1]
    code = cur["symbols"].get(prev.text) or (prev.text if prev.text in cur["codes"] else None)
    if code is None:
        return None
    start = i - 1
    # "US $5", "A$" split as "A" + "$": a country letter glued to the symbol
    if prev.text == "$" and start > sent.start and not doc[start - 1].whitespace_:
        glued = doc[start - 1].text + "$"
        if glued in cur["symbols"]:
            return cur["symbols"][glued], start - 1
    return code, start


def _suffix_currency(doc: Doc, j: int, sent: Span) -> tuple[str, int] | None:
    """Currency written from token ``j`` on ("Australian dollars", "euros", "USD"): (code, last)."""
    cur = _cur()
    if j >= sent.end:
        return None
    tok = doc[j]
    if tok.text in cur["codes"]:
        return tok.text, j
    for width in (2, 1):  # "new zealand dollars", "australian dollars"
        if j + width < sent.end:
            qual = " ".join(t.lower_ for t in doc[j:j + width])
            word = doc[j + width]
            is_word = word.lemma_.lower() in cur["words"] or word.lower_ in cur["words"]
            if qual in cur["qualifiers"] and is_word:
                return cur["qualifiers"][qual], j + width
    word = cur["words"].get(tok.lemma_.lower()) or cur["words"].get(tok.lower_)
    if word:
        if tok.lower_ == "won" and tok.pos_ == "VERB":
            return None
        end = j
        if tok.lemma_.lower() == "pound" and end + 1 < sent.end and doc[end + 1].lower_ == "sterling":
            end += 1
        return word, end
    return None


def _noun_phrase(tok: Token, skip: set[int] = frozenset()) -> str | None:  # type: ignore[assignment]
    """ "sanctions relief", "military aid": the noun with its compound / adjective modifiers."""
    if not tok.text.replace("-", "").isalpha():  # markup debris ("year,&quot") is no object
        return None
    start = tok.i
    for c in reversed(list(tok.lefts)):  # contiguous modifiers, nearest first, not the amount
        sub = list(c.subtree)  # "Russian central bank assets": a modifier brings its own
        if c.right_edge.i != start - 1 or c.dep_ not in ("compound", "amod") or c.pos_ not in (
            "NOUN", "ADJ", "PROPN"
        ) or any(t.i in skip or not t.is_alpha or t.dep_ in ("det", "poss") for t in sub):
            break
        start = c.left_edge.i
    return tok.doc[start:tok.i + 1].text.lower()


def _object(span_ids: set[int], root: Token) -> str | None:
    """What the money is for, read from the parse around the amount's head token."""
    head = root.head
    # "a $2.5 billion loan": the amount modifies a noun
    modifies = root.dep_ in ("nummod", "compound", "amod", "nmod", "quantmod")
    if modifies and head.i not in span_ids and head.pos_ == "NOUN":
        if head.lemma_ not in _EMPTY_OBJECTS:
            return _noun_phrase(head, span_ids)
    # "$40 billion in aid", "40 billion dollars worth of sanctions relief"
    for c in root.children:
        if c.i in span_ids:
            continue
        targets = [c] if c.lower_ in _FOR_PREPS else []
        if c.lower_ == "worth":
            targets += [g for g in c.children if g.lower_ == "of"]
        for prep in targets:
            for g in prep.children:
                if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN") and g.lemma_ not in _EMPTY_OBJECTS:
                    return _noun_phrase(g)
    # "profits of €269m", "a surplus of $3bn": the amount measures the noun it completes
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN" and (
        head.head.lemma_ not in _EMPTY_OBJECTS
    ):
        return _noun_phrase(head.head)
    # "250 million dollars worth of trade credits"
    if head.lower_ == "worth":
        for prep in head.children:
            if prep.lower_ == "of":
                for g in prep.children:
                    if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN"):
                        return _noun_phrase(g)
    # "aid worth $40 billion"
    if head.lower_ == "worth" and head.head.pos_ in ("NOUN", "PROPN"):
        return _noun_phrase(head.head)
    # "pledged $40 billion for reconstruction", "spent $3m on the dam", "approved €2m in aid"
    if head.pos_ == "VERB" and root.dep_ in ("dobj", "nsubjpass", "attr"):
        for c in head.children:
            if c.lower_ in ("for", "on", "in") and c.dep_ == "prep":
                for g in c.children:
                    if g.dep_ == "pobj" and g.pos_ == "NOUN" and g.lemma_ not in _EMPTY_OBJECTS:
                        return _noun_phrase(g)
    return None


def _bare_dollar(doc: Doc, first: int, last: int) -> bool:
    """A "$" or "dollars" with no country mark: its currency depends on the article."""
    span = doc[first:last + 1]
    if span[0].text.startswith("$"):
        return True
    qualified = len(span) >= 2 and span[-2].lower_ in _cur()["qualifiers"]
    return span[-1].lemma_.lower() in ("dollar", "buck") and not qualified


def extract_amounts(
    doc: Doc, sents: list[Span], events: Sequence[Event], runs: list[list[list[Token]]] | None = None
) -> list[Amount]:
    """All money amounts in ``doc`` with their currency and, where the parse shows it, purpose.

    A bare "$" takes the first explicitly marked dollar currency of the article ("AU$714
    million ... $430 million" are both AUD); with none it is USD.
    """
    found: list[tuple[int, int, int, float, str]] = []  # (sentence, first, last, value, code)
    for s_idx, sent in enumerate(sents):
        used: set[int] = set()
        for tok in sent:  # glued forms first: "HK$10 million", "$5bn"
            if not (tok.text[:1] in _SYMBOL_STARTS or "$" in tok.text):
                continue
            m = _GLUED.match(tok.text)
            if not m or m.group(1) not in _cur()["symbols"]:
                continue
            value = float(m.group(2).replace(",", "")) * (MAGNITUDES[m.group(3)] if m.group(3) else 1)
            last = tok.i
            while not m.group(3) and last + 1 < sent.end:
                nxt = doc[last + 1].lower_.rstrip(".")
                if nxt == "-" and last + 2 < sent.end and doc[last + 2].lower_ in MAGNITUDES:
                    last += 1  # "US$26-billion"
                    continue
                if nxt not in MAGNITUDES or (nxt == "-"):
                    break
                last += 1
                value *= MAGNITUDES[nxt]
            found.append((s_idx, tok.i, last, value, _cur()["symbols"][m.group(1)]))
            used.update(range(tok.i, last + 1))
        for run in (runs[s_idx] if runs is not None else number_runs(sent)):
            if any(t.i in used for t in run):
                continue
            parsed = parse_number(run)
            if parsed is None or parsed[1]:  # vague ("millions of dollars") is not a precise amount
                continue
            pre = _prefix_currency(doc, run[0].i, sent)
            suf = None if pre else _suffix_currency(doc, run[-1].i + 1, sent)
            if pre:
                found.append((s_idx, pre[1], run[-1].i, parsed[0], pre[0]))
            elif suf:
                found.append((s_idx, run[0].i, suf[1], parsed[0], suf[0]))
    found.sort(key=lambda f: f[1])
    bare = [_bare_dollar(doc, f[1], f[2]) for f in found]
    marked = [f[4] for f, b in zip(found, bare) if not b and f[4] in _DOLLARS]
    out: list[Amount] = []
    for (s_idx, first, last, value, code), is_bare in zip(found, bare):
        if is_bare and code == "USD" and marked:
            code = marked[0]
        span = doc[first:last + 1]
        ids = set(range(first, last + 1))
        root = next((t for t in span if t.head.i not in ids or t.head.i == t.i), span.root)
        verb = root.head
        anchor = (verb.idx, verb.idx + len(verb.text)) if verb.pos_ == "VERB" else None
        out.append(Amount(
            value=value, unit=code, object=_object(ids, root), text=span.text,
            start=span.start_char, end=span.end_char, sentence=s_idx,
            event_id=link_event(events, s_idx, span.start_char, span.end_char, anchor),
        ))
    return out
