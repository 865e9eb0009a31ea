"""Running the per-article function over many articles: one process, a pool of workers, or Dask.

A worker does everything that can run in parallel: reading a file named by the parent (HTML
extraction), normalising and hashing the text, the language check, skipping articles already in
the store, parsing (``nlp.parse_many``) and every coding stage. The parent only lists the inputs,
streams record files (JSON Lines, CSV) and writes the store. Each worker loads the spaCy model
once (``nlp.load`` caches it per process); with the ``fork`` start method the workers inherit
the parent's loaded model and stage data instead of loading their own copy.

The Dask path is in ``newsevents.pipeline.cluster``. A document whose coding raises becomes a ``Failure`` record (reason ``pipeline_error``); the
batch goes on.
"""
from __future__ import annotations

import itertools
import re
import multiprocessing as mp
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Union

from newsevents import nlp
from newsevents.errors import printable
from newsevents.pipeline.core import DEFAULT_CONFIG, PipelineConfig, process_doc
from newsevents.records import Article, ArticleResult, Failure

__all__ = ["Coded", "Skipped", "Unit", "WorkBatch", "Worker", "batched", "code_batch", "process_parallel",
           "run_units", "cpu_count"]


@dataclass(frozen=True)
class Skipped:
    """An article a worker did not code because the store already holds it (or, with
    ``duplicate``, because the same batch held it twice)."""

    article_id: str
    duplicate: bool = False


@dataclass(frozen=True)
class Coded:
    """An article a worker coded, as the parent sees it: its id and how much was found."""

    article_id: str
    events: int = 0
    actors: int = 0
    places: int = 0
    dates: int = 0
    quotes: int = 0


@dataclass
class WorkBatch:
    """A batch done by a worker: one outcome per unit, and the coded rows ready to store."""

    outputs: list[Any]  # Coded | Failure | Skipped, in input order
    prepared: Any  # newsevents.store.Prepared


#: What a worker is handed: an Article, a document a reader found (``ingest.common.RawDoc``), a
#: ``Failure`` to pass through, or a ``Path`` to read (see ``ingest.inputs.iter_sources``).
Unit = Union[Article, Failure, Path, Any]
Output = Union[ArticleResult, Failure, Skipped]


def cpu_count() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


def code_batch(batch: list[Article], model: str = nlp.DEFAULT_MODEL,
               config: PipelineConfig = DEFAULT_CONFIG) -> list[ArticleResult | Failure]:
    """Parse and code one batch of articles; never raises for one bad document."""
    from newsevents.ingest import MAX_CHARS

    out: list[ArticleResult | Failure] = []
    # Articles built by hand skip ingest's screen: an over-long one is not parsed (spaCy's E088
    # or minutes of work) but reported, in its place in the batch
    texts = [a.text if len(a.text) <= MAX_CHARS else "" for a in batch]
    try:
        docs: list[Any] = list(nlp.parse_many(texts, model, batch_size=len(batch) or 1))
    except Exception:  # a parser failure on one text: fall back to one at a time
        docs = []
        for text in texts:
            try:
                docs.append(nlp.parse(text, model))
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


@dataclass
class Worker:
    """Turns a batch of units into results: read, screen, skip stored ids, parse, code."""

    model: str = nlp.DEFAULT_MODEL
    config: PipelineConfig = DEFAULT_CONFIG
    known: frozenset[str] = field(default_factory=frozenset)  # article ids already stored
    max_bytes: int | None = None
    min_chars: int | None = None
    #: ``run --published/--source``: values for documents that state none
    defaults: dict[str, Any] = field(default_factory=dict)

    def articles(self, units: list[Unit]) -> list[Article | Failure | Skipped]:
        from newsevents.ingest import MAX_BYTES, MIN_CHARS, to_article
        from newsevents.ingest.inputs import read_path

        max_bytes = self.max_bytes or MAX_BYTES
        min_chars = self.min_chars or MIN_CHARS
        out: list[Article | Failure | Skipped] = []

        def add(a: Article | Failure) -> None:
            if isinstance(a, Article) and a.id in self.known:
                out.append(Skipped(a.id))
            else:
                out.append(a)

        for unit in units:
            if isinstance(unit, (Article, Failure)):
                add(unit)
            elif isinstance(unit, Path):
                for item in read_path(unit, max_bytes=max_bytes):
                    add(to_article(item, min_chars, self.defaults))
            else:
                add(to_article(unit, min_chars, self.defaults))
        return out

    def __call__(self, units: list[Unit]) -> list[Output]:
        staged = self.articles(units)
        todo = [a for a in staged if isinstance(a, Article)]
        coded = iter(code_batch(todo, self.model, self.config)) if todo else iter(())
        return [next(coded) if isinstance(a, Article) else a for a in staged]

    def batch(self, units: list[Unit]) -> WorkBatch:
        """Like calling the worker, but the rows to store are built here (in the worker
        process) and only ids and counts go back with them."""
        from newsevents.store import prepare

        outputs: list[Any] = []
        keep: list[ArticleResult] = []
        seen: set[str] = set()
        for out in self(units):
            if isinstance(out, ArticleResult):
                aid = out.article.id
                if aid in seen:
                    outputs.append(Skipped(aid, duplicate=True))
                    continue
                seen.add(aid)
                keep.append(out)
                out = Coded(aid, len(out.events), len(out.actors), len(out.places), len(out.dates),
                            len(out.quotes))
            outputs.append(out)
        return WorkBatch(outputs, prepare(keep))


_WORKER: Worker | None = None


def _init_worker(worker: Worker) -> None:
    global _WORKER
    _WORKER = worker
    nlp.load(worker.model)


def _work(units: list[Unit]) -> list[Output]:
    assert _WORKER is not None
    return _WORKER(units)


def _work_batch(units: list[Unit]) -> WorkBatch:
    assert _WORKER is not None
    return _WORKER.batch(units)


def warm_up(model: str = nlp.DEFAULT_MODEL, config: PipelineConfig = DEFAULT_CONFIG) -> None:
    """Load the model and every stage's data in this process (so forked workers share them)."""
    from newsevents.ingest import make_article

    # English enough for the language check's function-word test: its model is not loaded here.
    article = make_article(
        "The President of France met the Prime Minister of Japan in Paris on Monday, officials "
        "said. It was the first visit of a Japanese leader to the city since the election, and "
        "the two leaders said that they would sign a trade agreement with the European Union.",
        title="Leaders meet in Paris", published="2024-01-01", language="en")
    code_batch([article], model, config)


def run_units(
    units: Iterable[Unit],
    worker: Worker,
    *,
    batch_size: int = 16,
    n_process: int = 1,
    prepared: bool = False,
) -> Iterator[Any]:
    """Results of ``worker`` over ``units``, in input order, in this process or ``n_process``
    worker processes: one ``Output`` per unit, or with ``prepared`` one ``WorkBatch`` per batch.
    Small inputs (one batch) are done here: starting workers would cost more."""
    batches = batched(units, batch_size)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if n_process <= 1 or second is None:
        for batch in itertools.chain([first], [second] if second is not None else [], batches):
            if prepared:
                yield worker.batch(batch)
            else:
                yield from worker(batch)
        return
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    if ctx.get_start_method() == "fork":
        warm_up(worker.model, worker.config)  # loaded once here, shared copy-on-write
    with ctx.Pool(n_process, initializer=_init_worker, initargs=(worker,)) as pool:
        # imap reads ``units`` in a pool thread: the generator must not touch the store.
        work = _work_batch if prepared else _work
        for results in pool.imap(work, itertools.chain([first, second], batches)):
            if prepared:
                yield results
            else:
                yield from results


def process_parallel(
    articles: Iterable[Article],
    *,
    model: str = nlp.DEFAULT_MODEL,
    batch_size: int = 16,
    n_process: int = 2,
    config: PipelineConfig = DEFAULT_CONFIG,
) -> Iterator[ArticleResult | Failure]:
    """Code articles over ``n_process`` worker processes, in input order."""
    worker = Worker(model=model, config=config)
    for out in run_units(articles, worker, batch_size=batch_size, n_process=max(2, n_process)):
        assert not isinstance(out, Skipped)
        yield out


#: Seconds to wait for a Dask scheduler to answer (dask's own default is 30).
CONNECT_TIMEOUT_S = 10

_SCHEDULER = re.compile(r"(?:tcp|tls|ucx|ws|wss|inproc)://[^\s/]+|local(?::\d+)?")


def check_scheduler(address: str) -> str:
    """``address`` when it has the form of a Dask scheduler address (or is "local[:N]"); else
    ``UsageError`` (exit 2) saying the accepted form. Does not connect."""
    from newsevents.errors import UsageError

    text = str(address).strip()
    if _SCHEDULER.fullmatch(text):
        return text
    raise UsageError("--scheduler", f"{address!r} is not a scheduler address: use tcp://HOST:PORT "
                     "(or tls://, ucx://, ws://) or local[:N]")
