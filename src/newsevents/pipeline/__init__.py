"""Process articles: ``process`` (one text in memory), ``process_many`` (many, over worker
processes or a Dask cluster) and ``process_doc`` (one parsed article; the pure function every path
calls). The batch runner that stores results is ``newsevents.pipeline.runner``.

- ``core``      ``process_doc`` and ``PipelineConfig``: the stages in order, parts chosen by name
- ``parallel``  worker processes and the Dask path
- ``runner``    ingest -> process -> store -> fuse, with progress and failures (``run_paths``)
"""
from __future__ import annotations

import datetime as _dt
from typing import Iterable, Iterator

from newsevents import nlp
from newsevents.pipeline.core import DEFAULT_CONFIG, PipelineConfig, process_doc
from newsevents.records import Article, ArticleResult, Failure

__all__ = ["process", "process_doc", "process_many", "PipelineConfig"]


def process(
    text: str,
    published: str | _dt.date | _dt.datetime | None = None,
    *,
    title: str = "",
    url: str | None = None,
    source: str | None = None,
    model: str = nlp.DEFAULT_MODEL,
    config: PipelineConfig | None = None,
) -> ArticleResult:
    """Code one article held in memory; touches no database.

    >>> r = process("Russia granted asylum to Bashar al-Assad.", published="2024-12-09")
    >>> r.events[0].cameo_code  # doctest: +SKIP
    '075'
    """
    from newsevents.errors import InputError
    from newsevents.ingest import MAX_CHARS, make_article

    if not isinstance(text, str):
        hint = " (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""
        raise TypeError(f"process() needs the article text as str, not {type(text).__name__}{hint}")
    for name, value in (("title", title), ("url", url), ("source", source)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"process(): {name} must be a str or None, not {type(value).__name__}")
    article = make_article(text, title=title, url=url, source=source, published=published)
    if len(article.text) > MAX_CHARS:
        raise InputError("text", "too_large", f"{len(article.text):,} characters, over the {MAX_CHARS:,}-character "
                         "limit per document; split it into articles")
    return process_doc(article, nlp.parse(article.text, model), config or DEFAULT_CONFIG)


def process_many(
    articles: Iterable[Article],
    *,
    model: str = nlp.DEFAULT_MODEL,
    batch_size: int = 16,
    n_process: int = 1,
    scheduler: str | None = None,
    config: PipelineConfig | None = None,
) -> Iterator[ArticleResult | Failure]:
    """Code many articles in input order, over ``n_process`` processes or a Dask cluster.

    Yields an ``ArticleResult`` per article, or a ``Failure`` when coding that article raised
    (the others go on). All paths call ``process_doc`` and give identical results.
    """
    from newsevents.pipeline.parallel import batched, code_batch, process_parallel

    config = (config or DEFAULT_CONFIG).check()
    if scheduler:
        from newsevents.pipeline.cluster import process_dask

        yield from process_dask(articles, scheduler, model=model, batch_size=batch_size, config=config)
        return
    if n_process > 1:
        yield from process_parallel(articles, model=model, batch_size=batch_size, n_process=n_process,
                                    config=config)
        return
    for batch in batched(articles, batch_size):
        yield from code_batch(batch, model, config)
