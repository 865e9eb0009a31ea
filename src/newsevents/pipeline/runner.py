"""`newsevents run` as a library function: ingest -> code -> store -> fuse, with a summary.

Resumable: articles whose content-hash id is already stored are skipped (unless ``force``), and
results are committed every ``commit_every`` articles, so an interrupted run loses at most the
uncommitted batch and a re-run picks up where it stopped.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

from newsevents import nlp
from newsevents.records import Article, ArticleResult, Failure

__all__ = ["RunSummary", "run_paths", "code_into_store"]


@dataclass
class RunSummary:
    db: str
    coded: int = 0
    skipped: int = 0  # already in the store
    failed: int = 0
    failure_reasons: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    events: int = 0
    actors: int = 0
    places: int = 0
    dates: int = 0
    quotes: int = 0
    seconds: float = 0.0
    results: list[ArticleResult] = field(default_factory=list)  # kept only for small runs
    clusters: int = 0
    contested: int = 0


def code_into_store(
    items: Iterable[Article | Failure],
    store,
    *,
    n_process: int = 1,
    batch_size: int = 16,
    force: bool = False,
    commit_every: int = 64,
    model: str = nlp.DEFAULT_MODEL,
    scheduler: str | None = None,
    config=None,
    summary: RunSummary,
    progress: Callable[[int, int, float], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    keep_results: int = 3,
) -> RunSummary:
    from newsevents.pipeline import process_many

    started = time.monotonic()
    pending_fail: list[Failure] = []

    def note_failure(f: Failure) -> None:
        summary.failed += 1
        summary.failure_reasons[f.reason] += 1
        summary.failures.append(f)
        pending_fail.append(f)
        if on_failure:
            on_failure(f)

    def articles() -> Iterator[Article]:
        seen: set[str] = set()
        chunk: list[Article] = []

        def flush() -> Iterator[Article]:
            done = set() if force else store.has([a.id for a in chunk])
            for a in chunk:
                if a.id in done or a.id in seen:
                    summary.skipped += 1
                    continue
                seen.add(a.id)
                yield a

        for item in items:
            if isinstance(item, Failure):
                note_failure(item)
                continue
            chunk.append(item)
            if len(chunk) >= 256:
                yield from flush()
                chunk = []
        if chunk:
            yield from flush()

    buffer: list[ArticleResult] = []

    def commit() -> None:
        store.add(buffer, pending_fail)
        buffer.clear()
        pending_fail.clear()

    try:
        for res in process_many(articles(), model=model, batch_size=batch_size, n_process=n_process,
                                scheduler=scheduler, config=config):
            if isinstance(res, Failure):
                note_failure(res)
            else:
                buffer.append(res)
                summary.coded += 1
                summary.events += len(res.events)
                summary.actors += len(res.actors)
                summary.places += len(res.places)
                summary.dates += len(res.dates)
                summary.quotes += len(res.quotes)
                # Small runs print every extraction; large ones only the counts.
                if summary.coded <= keep_results:
                    summary.results.append(res)
                else:
                    summary.results.clear()
            if len(buffer) >= commit_every:
                commit()
            if progress:
                progress(summary.coded, summary.failed, started)
    finally:
        commit()  # what was coded before an interruption is kept
        summary.seconds += time.monotonic() - started
    return summary


def run_paths(
    paths: Sequence[str],
    *,
    db: str,
    n_process: int = 1,
    batch_size: int = 16,
    force: bool = False,
    fuse: bool = True,
    scheduler: str | None = None,
    progress: Callable[[int, int, float], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    config=None,
) -> RunSummary:
    """Ingest ``paths`` and code them into the store ``db``; ``config`` (a
    ``pipeline.PipelineConfig``) names the parts that run, e.g. the event coder."""
    import os

    from newsevents.ingest import iter_articles
    from newsevents.store import Store

    if n_process == 0:
        n_process = os.cpu_count() or 1
    summary = RunSummary(db=db)
    with Store(db) as store:
        code_into_store(
            iter_articles(paths), store, n_process=n_process, batch_size=batch_size, force=force,
            summary=summary, progress=progress, on_failure=on_failure, scheduler=scheduler,
            config=config,
        )
        if fuse and summary.coded:
            from newsevents.fusion import fuse_store

            stats = fuse_store(store)
            summary.clusters = stats["multi_report_clusters"]
            summary.contested = stats["contested"]
    return summary
