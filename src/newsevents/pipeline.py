"""The orchestrator: runs the stages of one article in order. It holds no logic of its own.

``process_doc`` is a pure function of (article, parsed Doc): the single-process path, the
multi-process path and the Dask path all call it, so they give identical results.

Stage contracts (each stage is one module):

- ``actors.extract(doc, article) -> (list[ActorMention], list[Actor])``
- ``events.code(doc, article, mentions) -> list[Event]``            (no date / place yet)
- ``when.extract(doc, article) -> list[TimeExpr]``
- ``when.date_events(events, dates, doc, article) -> list[Event]``   (fills Event.date)
- ``where.extract(doc, article, mentions) -> list[Place]``
- ``where.place_events(events, places, doc, article) -> list[Event]`` (fills Event.place)
- ``quotes.extract(doc, article, mentions) -> list[Quote]``
- ``features.extract(doc, article, events) -> DocFeatures``
"""
from __future__ import annotations

import datetime as _dt
from typing import Iterable, Iterator

from spacy.tokens import Doc

from . import actors, events, features, nlp, quotes, when, where
from .records import Article, ArticleResult, Failure

__all__ = ["process", "process_doc", "process_many"]


def process_doc(article: Article, doc: Doc) -> ArticleResult:
    """Run every stage after parsing on one article."""
    mentions, actor_list = actors.extract(doc, article)
    evs = events.code(doc, article, mentions)
    dates = when.extract(doc, article)
    evs = when.date_events(evs, dates, doc, article)
    places = where.extract(doc, article, mentions)
    evs = where.place_events(evs, places, doc, article)
    qs = quotes.extract(doc, article, mentions)
    feats = features.extract(doc, article, evs)
    warnings = tuple(
        f"weekday mismatch: {t.text!r} at {t.start} does not fall on that weekday ({t.value})"
        for t in dates if t.weekday_mismatch
    )
    return ArticleResult(
        article=article,
        sentences=tuple((s.start_char, s.end_char) for s in doc.sents),
        mentions=tuple(mentions),
        actors=tuple(actor_list),
        events=tuple(evs),
        dates=tuple(dates),
        places=tuple(places),
        quotes=tuple(qs),
        features=feats,
        warnings=warnings,
    )


def process(
    text: str,
    published: str | _dt.date | _dt.datetime | None = None,
    *,
    title: str = "",
    url: str | None = None,
    source: str | None = None,
    model: str = nlp.DEFAULT_MODEL,
) -> ArticleResult:
    """Code one article held in memory; touches no database.

    >>> r = process("Russia granted asylum to Bashar al-Assad.", published="2024-12-09")
    >>> r.events[0].cameo_code  # doctest: +SKIP
    '075'
    """
    from .ingest import make_article

    article = make_article(text, title=title, url=url, source=source, published=published)
    return process_doc(article, nlp.parse(article.text, model))


def process_many(
    articles: Iterable[Article],
    *,
    model: str = nlp.DEFAULT_MODEL,
    batch_size: int = 16,
    n_process: int = 1,
    scheduler: str | None = None,
) -> Iterator[ArticleResult | Failure]:
    """Code many articles in input order, over ``n_process`` processes or a Dask cluster.

    Yields an ``ArticleResult`` per article, or a ``Failure`` when coding that article raised
    (the others go on). All paths call ``process_doc`` and give identical results.
    """
    from .parallel import batched, code_batch, process_dask, process_parallel

    if scheduler:
        yield from process_dask(articles, scheduler, model=model, batch_size=batch_size)
        return
    if n_process > 1:
        yield from process_parallel(articles, model=model, batch_size=batch_size, n_process=n_process)
        return
    for batch in batched(articles, batch_size):
        yield from code_batch(batch, model)
