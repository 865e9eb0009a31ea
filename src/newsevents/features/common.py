"""Shared helpers of the features stage: data loading, number runs, event linking."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator, Sequence

from spacy.tokens import Doc, Span, Token

from newsevents.features.numbers import MAGNITUDES, UNITS, VAGUE, is_number_token
from newsevents.records import Event

__all__ = ["load_json", "number_runs", "link_event", "sentence_index"]


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    """Load a JSON data file shipped in ``newsevents/data`` (cached per process)."""
    text = resources.files("newsevents.features").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def sentence_index(doc: Doc) -> list[Span]:
    """The doc's sentences in order (index = ``Event.sentence``)."""
    return list(doc.sents)


def _joins(doc: Doc, i: int) -> bool:
    """Whether the token at ``i`` ("-", "of", "and") joins two parts of one written number."""
    if i == 0 or i + 1 >= len(doc):
        return False
    prev, tok, nxt = doc[i - 1].lower_, doc[i].lower_, doc[i + 1].lower_
    if tok == "-":  # "twenty-five", "US$26-billion"
        return (prev in UNITS and nxt in UNITS) or (
            doc[i - 1].text[:1].isdigit() and nxt in MAGNITUDES and len(nxt) > 2
        )
    if tok == "of":  # "hundreds of thousands", "tens of millions"
        return prev in VAGUE and (nxt in VAGUE or nxt in MAGNITUDES)
    if tok == "and":  # "one hundred and fifty"
        return prev in ("hundred", "thousand") and nxt in UNITS
    return False


def number_runs(sent: Span) -> list[list[Token]]:
    """The runs of tokens that write one number in ``sent`` ("2.5 million", "a dozen")."""
    return list(_number_runs(sent))


def _number_runs(sent: Span) -> Iterator[list[Token]]:
    doc = sent.doc
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        starts = is_number_token(tok)
        # "a dozen", "a hundred", "half a million": the article only counts before a magnitude
        if not starts and tok.lower_ in ("a", "an", "half") and i + 1 < sent.end:
            nxt = doc[i + 1].lower_
            starts = nxt in ("dozen", "hundred", "thousand", "million", "billion") or (
                tok.lower_ == "half" and nxt in ("a", "an")
            )
        if not starts:
            i += 1
            continue
        run = [tok]
        j = i + 1
        while j < sent.end:
            cur = doc[j]
            if cur.lower_ in ("a", "an") and run[-1].lower_ == "half":
                run.append(cur)
            elif is_number_token(cur) and not _is_new_digit_number(run[-1], cur):
                run.append(cur)
            elif _joins(doc, j) and j + 1 < sent.end:
                run.append(cur)
            else:
                break
            j += 1
        while run and run[-1].lower_ in ("-", "of", "and", "a", "an"):
            run.pop()
        if run:
            yield run
        i = j


def _is_new_digit_number(prev: Token, cur: Token) -> bool:
    """Two digit tokens side by side ("1990 12") are two numbers, not one."""
    return prev.like_num and cur.like_num and any(c.isdigit() for c in prev.text) and any(
        c.isdigit() for c in cur.text
    )


def link_event(
    events: Sequence[Event], sentence: int, start: int, end: int, anchor: tuple[int, int] | None = None,
    roots: frozenset[str] = frozenset(),
) -> str | None:
    """The id of the event a feature in ``sentence`` belongs to, if any.

    Preference: an event whose trigger is ``anchor`` (the governing verb), then an event of a
    matching CAMEO root in the sentence, then the event whose trigger is nearest.
    """
    cands = [e for e in events if e.sentence == sentence]
    if not cands:
        return None
    if anchor is not None:
        for e in cands:
            if e.trigger_start < anchor[1] and anchor[0] < e.trigger_end:
                return e.id
    if roots:
        typed = [e for e in cands if e.cameo_root in roots]
        cands = typed or cands
    mid = (start + end) / 2
    return min(cands, key=lambda e: abs((e.trigger_start + e.trigger_end) / 2 - mid)).id
