"""newsevents: news reports in, coded political events out.

>>> import newsevents
>>> result = newsevents.process(text, published="2024-12-09")   # doctest: +SKIP
>>> with newsevents.Store("newsevents.duckdb") as store:          # doctest: +SKIP
...     store.events(actor="SYR")

Heavy modules (spaCy, the gazetteer) load on first use, so `import newsevents` stays fast.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

# A library stays quiet unless its user configures logging: without a handler, Python's
# last-resort handler printed a reader bug's full traceback under every one-line failure.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "process",
    "process_many",
    "Store",
    "Article",
    "ArticleResult",
    "Event",
    "ActorMention",
    "ActorRef",
    "Actor",
    "Role",
    "TimeExpr",
    "EventDate",
    "Place",
    "Quote",
    "DocFeatures",
    "Failure",
    "make_article",
    "iter_articles",
    "run_paths",
    "NewsEventsError",
    "InputError",
    "StoreError",
]

_LAZY = {
    "process": "pipeline",
    "process_many": "pipeline",
    "Store": "store",
    "make_article": "ingest",
    "iter_articles": "ingest",
    "run_paths": "pipeline.runner",
    "NewsEventsError": "errors",
    "InputError": "errors",
    "StoreError": "errors",
}
_RECORDS = {"Article", "ArticleResult", "Event", "ActorMention", "ActorRef", "Actor", "Role",
            "TimeExpr", "EventDate", "Place", "Quote", "DocFeatures", "Failure"}

if TYPE_CHECKING:  # pragma: no cover
    from .errors import InputError, NewsEventsError, StoreError
    from .ingest import iter_articles, make_article
    from .pipeline import process, process_many
    from .records import (Actor, ActorMention, ActorRef, Article, ArticleResult, DocFeatures,
                          Event, EventDate, Failure, Place, Quote, Role, TimeExpr)
    from .pipeline.runner import run_paths
    from .store import Store


def __getattr__(name: str) -> Any:
    import importlib

    if name in _RECORDS:
        return getattr(importlib.import_module(".records", __name__), name)
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'newsevents' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
