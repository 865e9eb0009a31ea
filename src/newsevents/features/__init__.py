"""The features stage: themes, tone, counts of people affected, money amounts.

``extract(doc, article, events)`` reads the shared spaCy parse (nothing re-parses text) and the
coded events, and returns one :class:`~newsevents.records.DocFeatures`:

- themes: the taxonomy of docs/themes.md matched on lemmas, with evidence terms and a score;
- tone: VADER per sentence and per article (see ``features.tone``);
- counts: "at least 12 people were killed" -> Count(killed, 12, people, approximate);
- amounts: "$40 billion in aid" -> Amount(4e10, USD, aid).

Counts and amounts carry the id of the event coded in the same sentence when there is one.
"""
from __future__ import annotations

from typing import Sequence

from spacy.tokens import Doc

from newsevents.features.amounts import extract_amounts
from newsevents.features.common import number_runs, sentence_index
from newsevents.features.counts import extract_counts
from newsevents.features.themes import extract_themes, taxonomy
from newsevents.features.tone import article_tone, sentence_tones
from newsevents.records import Article, DocFeatures, Event

__all__ = ["extract", "taxonomy"]


def extract(doc: Doc, article: Article, events: Sequence[Event]) -> DocFeatures:
    """All document features of one parsed article."""
    del article  # the parse carries the text; the signature is the stage contract
    sents = sentence_index(doc)
    tones = sentence_tones(sents)
    runs = [number_runs(s) for s in sents]  # read by both counts and amounts
    return DocFeatures(
        themes=tuple(extract_themes(doc, events)),
        tone=article_tone(tones),
        sentence_tone=tuple(t for t, _ in tones),
        counts=tuple(extract_counts(doc, sents, events, runs)),
        amounts=tuple(extract_amounts(doc, sents, events, runs)),
    )
