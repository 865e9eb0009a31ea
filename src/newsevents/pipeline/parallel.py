"""Running the per-article function over many articles: one process, or a pool of workers.

Each worker loads the spaCy model once (module-level cache in ``nlp.load``) and codes whole
batches: parse with ``nlp.pipe`` then the later stages, so the coding stages run on every core
too (running only spaCy in parallel would leave our stages on one core). A document whose coding
raises becomes a ``Failure`` record (reason ``pipeline_error``); the batch goes on.
"""
from __future__ import annotations

import itertools
import re
import multiprocessing as mp
import traceback
from typing import Iterable, Iterator

from newsevents import nlp
from newsevents.errors import printable
from newsevents.pipeline.core import DEFAULT_CONFIG, PipelineConfig, process_doc
from newsevents.records import Article, ArticleResult, Failure

__all__ = ["code_batch", "process_parallel", "batched"]

_MODEL = nlp.DEFAULT_MODEL
_CONFIG = DEFAULT_CONFIG


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


def code_batch(batch: list[Article], model: str = nlp.DEFAULT_MODEL,
               config: PipelineConfig = DEFAULT_CONFIG) -> list[ArticleResult | Failure]:
    """Parse and code one batch; never raises for one bad document."""
    from newsevents.ingest import MAX_CHARS

    out: list[ArticleResult | Failure] = []
    # Articles built by hand skip ingest's screen: an over-long one is not parsed (spaCy's E088
    # or minutes of work) but reported, in its place in the batch
    texts = [a.text if len(a.text) <= MAX_CHARS else "" for a in batch]
    language = nlp.load(model)
    try:
        docs = list(language.pipe(texts))
    except Exception:  # a parser failure on one text: fall back to one at a time
        docs = []
        for text in texts:
            try:
                docs.append(language(text))
            except Exception as exc:
                docs.append(exc)
    for article, doc in zip(batch, docs):
        if len(article.text) > MAX_CHARS:
            where = article.origin or article.id
            out.append(Failure(where, "too_large", printable(
                f"{where}: text is {len(article.text):,} characters, over the {MAX_CHARS:,}-character limit"),
                article.id))
            continue
        if isinstance(doc, Exception):
            out.append(_failure(article, doc))
            continue
        try:
            out.append(process_doc(article, doc, config))
        except Exception as exc:  # a bug in a stage must not lose the batch
            out.append(_failure(article, exc))
    return out


def _failure(article: Article, exc: BaseException) -> Failure:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    loc = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    return Failure(
        origin=article.origin or article.id,
        reason="pipeline_error",
        message=printable(f"{article.origin or article.id}: coding failed: {type(exc).__name__}: {exc}{loc}"),
        article_id=article.id,
    )


def _init_worker(model: str, config: PipelineConfig) -> None:
    global _MODEL, _CONFIG
    _MODEL, _CONFIG = model, config
    nlp.load(model)


def _work(batch: list[Article]) -> list[ArticleResult | Failure]:
    return code_batch(batch, _MODEL, _CONFIG)


def process_parallel(
    articles: Iterable[Article],
    *,
    model: str = nlp.DEFAULT_MODEL,
    batch_size: int = 16,
    n_process: int = 2,
    config: PipelineConfig = DEFAULT_CONFIG,
) -> Iterator[ArticleResult | Failure]:
    """Code articles over ``n_process`` worker processes, in input order."""
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(n_process, initializer=_init_worker, initargs=(model, config)) as pool:
        for results in pool.imap(_work, batched(articles, batch_size)):
            yield from results


#: Seconds to wait for a Dask scheduler to answer (dask's own default is 30).
CONNECT_TIMEOUT_S = 10

_SCHEDULER = re.compile(r"(?:tcp|tls|ucx|ws|wss|inproc)://[^\s/]+")


def check_scheduler(address: str) -> str:
    """``address`` when it has the form of a Dask scheduler address (or is "local"); else
    ``UsageError`` (exit 2) saying the accepted form. Does not connect."""
    from newsevents.errors import UsageError

    text = str(address).strip()
    if text == "local" or _SCHEDULER.fullmatch(text):
        return text
    raise UsageError("--scheduler", f"{address!r} is not a scheduler address: use tcp://HOST:PORT "
                     "(or tls://, ucx://, ws://) or 'local'")


def process_dask(
    articles: Iterable[Article],
    scheduler: str,
    *,
    model: str = nlp.DEFAULT_MODEL,
    batch_size: int = 64,
    window: int = 32,
    config: PipelineConfig = DEFAULT_CONFIG,
) -> Iterator[ArticleResult | Failure]:
    """Code articles on a Dask cluster (``scheduler``: "tcp://host:8786" or "local").

    Each task codes one batch with ``code_batch``; workers cache the model per process. At most
    ``window`` batches are in flight, so memory stays bounded on huge inputs; results come back in
    input order so the store is written exactly as by the local paths.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the install
        from newsevents.errors import ConfigError

        raise ConfigError(
            "Dask is not installed: run `pip install 'newsevents[dask]'` to use --scheduler"
        ) from exc
    import collections

    check_scheduler(scheduler)
    cluster = LocalCluster(n_workers=1, processes=False, dashboard_address=None) if scheduler == "local" else None
    try:
        client = Client(cluster if cluster is not None else scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, ValueError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        from newsevents.errors import ConfigError

        raise ConfigError(f"--scheduler {scheduler}: cannot connect ({' '.join(str(exc).split())}); "
                          "is `dask scheduler` running there? (docs/scaling.md)") from None
    try:
        pending: collections.deque = collections.deque()
        for batch in batched(articles, batch_size):
            pending.append(client.submit(code_batch, batch, model, config, pure=False))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
