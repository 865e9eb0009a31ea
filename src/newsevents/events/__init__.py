"""The events stage: predicates -> CAMEO/PLOVER events with source and target actors, modality
and evidence.

Coders are named parts (``newsevents.registry.event_coders``): ``rules`` is the dependency and
dictionary coder in :mod:`newsevents.events.rules`; ``learned`` and ``hybrid`` (the default,
best measured on real news: docs/model-card.md) are in :mod:`newsevents.events.learned`.
``code`` runs the one a pipeline config names.

- ``rules``        the coder: predicates read from the parse, matched against the dictionary
- ``read``         one predicate (verb or noun) -> dictionary reading with frame and polarity
- ``dictionary``   data/events_verbs.tsv, the predicate patterns -> CAMEO code and frame
- ``frames``       complement frames (appeal to, demand that, threaten to, refuse to)
- ``args``         arguments of a predicate from the dependency parse
- ``participants`` arguments -> source/target actors
- ``learned``      the learned coders; ``features``, ``model`` (shipped in data/event_model.*),
                   ``training`` (``newsevents train events``)
"""
from __future__ import annotations

from typing import Sequence

from spacy.tokens import Doc

from newsevents.records import ActorMention, Article, Event

__all__ = ["code", "DEFAULT_CODER"]

#: The coder ``newsevents run`` and ``newsevents eval events`` use unless told otherwise.
DEFAULT_CODER = "hybrid"


def code(doc: Doc, article: Article, mentions: Sequence[ActorMention], *, coder: str = DEFAULT_CODER) -> list[Event]:
    """Code the events of one parsed article with the event coder named ``coder``."""
    from newsevents.registry import event_coders

    return event_coders.get(coder)(doc, article, mentions)
