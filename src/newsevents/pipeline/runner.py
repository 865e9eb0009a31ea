"""`newsevents run` as a library function: ingest -> code -> store -> fuse, with a summary.

Resumable: articles whose content-hash id is already stored are skipped (unless ``force``), and
results are committed every ``commit_every`` articles, so an interrupted run loses at most the
uncommitted batch and a re-run picks up where it stopped.
"""
from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from newsevents import nlp
from newsevents.records import ArticleResult, Failure

if TYPE_CHECKING:
    from newsevents.pipeline.core import PipelineConfig
    from newsevents.pipeline.parallel import Coded

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
    #: documents the inputs hold, estimated before the run (None when it cannot be known
    #: cheaply: stdin, WARC, compressed or JSON files); for progress bars
    total: int | None = None

    @property
    def done(self) -> int:
        """Documents dealt with so far: coded, already stored or failed."""
        return self.coded + self.skipped + self.failed

    parts_dir: str | None = None  # the cluster path's Parquet parts
    parts_loaded: int = 0

    def count_coded(self, coded: "Coded", keep_results: int = 3) -> None:
        """Add one coded article (``parallel.Coded``) to the counts."""
        self.coded += 1
        self.events += coded.events
        self.actors += coded.actors
        self.places += coded.places
        self.dates += coded.dates
        self.quotes += coded.quotes


def code_into_store(
    items: Iterable[Any],
    store,
    *,
    n_process: int = 1,
    batch_size: int = 16,
    force: bool = False,
    commit_every: int = 64,
    model: str = nlp.DEFAULT_MODEL,
    scheduler: str | None = None,
    summary: RunSummary,
    progress: Callable[[RunSummary], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    keep_results: int = 3,
    config: PipelineConfig | None = None,
    parts_dir: str | None = None,
    defaults: dict[str, Any] | None = None,
) -> RunSummary:
    """Code ``items`` (Articles, Failures, documents found by a reader, or paths to read; see
    ``parallel.Unit``) into ``store``, skipping articles it already holds unless ``force``;
    ``progress(summary)`` is called after each document.

    The workers read, screen, skip, parse and code; this process only writes the store (one
    transaction per ``commit_every`` articles). With ``scheduler`` the work goes to a Dask
    cluster whose workers write Parquet parts, loaded here at the end
    (``newsevents.pipeline.cluster``)."""
    from newsevents.pipeline.core import DEFAULT_CONFIG
    from newsevents.pipeline.parallel import Skipped, Worker, run_units

    config = (config or DEFAULT_CONFIG).check()
    started = time.monotonic()
    pending_fail: list[Failure] = []

    def note_failure(f: Failure) -> None:
        summary.failed += 1
        summary.failure_reasons[f.reason] += 1
        summary.failures.append(f)
        pending_fail.append(f)
        if on_failure:
            on_failure(f)

    # Ids already stored, read once: the workers skip those articles after hashing them.
    known = frozenset() if force else frozenset(store.article_ids())
    worker = Worker(model=model, config=config, known=known,
                    defaults={k: v for k, v in (defaults or {}).items() if v is not None})
    if scheduler:
        from newsevents.pipeline.cluster import code_on_cluster

        try:
            return code_on_cluster(items, store, worker, scheduler, batch_size=batch_size,
                                   summary=summary, note_failure=note_failure,
                                   keep_results=keep_results, progress=progress, parts_dir=parts_dir)
        finally:
            summary.seconds += time.monotonic() - started

    from newsevents.store import Prepared

    seen: list[str] = []
    seen_set: set[str] = set()
    pending = Prepared()
    pending_ids: set[str] = set()

    def commit() -> None:
        nonlocal pending
        if pending.ids or pending_fail:
            pending.failures.extend(
                dict(origin=f.origin, reason=f.reason, message=f.message, article_id=f.article_id,
                     failed_at=_now()) for f in pending_fail)
            store.write(pending)
        pending = Prepared()
        pending_ids.clear()
        pending_fail.clear()

    try:
        for wb in run_units(items, worker, batch_size=batch_size, n_process=n_process, prepared=True):
            fresh = []
            for out in wb.outputs:
                if isinstance(out, Skipped):
                    summary.skipped += 1
                elif isinstance(out, Failure):
                    note_failure(out)
                else:
                    if out.article_id in seen_set:  # the same article twice in one run
                        summary.skipped += 1
                    else:
                        seen_set.add(out.article_id)
                        seen.append(out.article_id)
                        summary.count_coded(out, keep_results)
                    fresh.append(out.article_id)
                if progress:
                    progress(summary)
            if pending_ids.intersection(fresh):
                commit()  # a batch must not hold one article twice: write the first copy first
            pending.extend(wb.prepared)
            pending_ids.update(fresh)
            if len(pending.ids) >= commit_every:
                commit()
    finally:
        commit()  # what was coded before an interruption is kept
        summary.seconds += time.monotonic() - started
    if 0 < summary.coded <= keep_results:  # small runs print what was found
        by_id = {r.article.id: r for r in store.results(seen)}
        summary.results = [by_id[i] for i in seen if i in by_id]
    return summary


def _now():
    import datetime as _dt

    return _dt.datetime.now(_dt.timezone.utc)


def run_paths(
    paths: Sequence[str],
    *,
    db: str,
    n_process: int = 0,
    batch_size: int = 16,
    force: bool = False,
    fuse: bool = True,
    scheduler: str | None = None,
    published: str | None = None,
    source: str | None = None,
    progress: Callable[[RunSummary], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    notify: Callable[[str], None] | None = None,
    config: PipelineConfig | None = None,
    parts_dir: str | None = None,
) -> RunSummary:
    """Ingest ``paths`` and code them into the store ``db``.

    ``published``/``source`` are used for documents that state none (plain text, stdin).
    ``notify(message)`` is told about slow one-time work (building the gazetteer index).
    A store this call creates is removed again when the run fails before storing anything
    (e.g. an unreachable ``scheduler``), so no empty store is left behind.
    """
    from pathlib import Path

    from newsevents.errors import UsageError
    from newsevents.ingest.inputs import IngestStats, iter_sources
    from newsevents.pipeline.parallel import cpu_count
    from newsevents.store import Store

    if isinstance(n_process, bool) or not isinstance(n_process, int) or n_process < 0:
        raise UsageError("processes", f"{n_process!r}: use a whole number >= 0 (0 = all cores)")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise UsageError("batch-size", f"{batch_size!r}: use a whole number >= 1")
    if n_process == 0:
        n_process = cpu_count()
    if published is not None:
        from newsevents.ingest.dates import parse_published

        if parse_published(published) is None:
            raise UsageError("published", f"{published!r} is not a publication date: use YYYY-MM-DD")
    if scheduler:
        from newsevents.pipeline.parallel import check_scheduler

        check_scheduler(scheduler)  # before any store is created
    prepare(notify)
    summary = RunSummary(db=db, total=estimate_documents(paths))
    if progress:
        progress(summary)  # the total is known before the first document is done
    stats = IngestStats()

    def units() -> Iterator[Any]:
        for p in paths:
            yield from iter_sources(p, max_bytes=_max_bytes(), stats=stats)

    created = not Path(db).exists()
    try:
        # hold=False: the file is open only while a batch is written (and during fusion), so
        # `newsevents events`, `serve` etc. can read the store while the run goes on.
        with Store(db, hold=False) as store:
            code_into_store(
                units(), store, n_process=n_process, batch_size=batch_size, force=force,
                summary=summary, progress=progress, on_failure=on_failure, scheduler=scheduler,
                config=config, parts_dir=parts_dir, defaults={"published": published, "source": source},
            )
            from newsevents.fusion import fuse_store, is_stale

            # fuse what this run coded - and what an interrupted run or `--no-fuse` left pending
            with store.session():
                stale = is_stale(store)
                if fuse and (summary.coded or stale):
                    stats_ = fuse_store(store)
                    summary.clusters = stats_["multi_report_clusters"]
                    summary.contested = stats_["contested"]
    except BaseException:
        if created:
            _drop_if_empty(db)
        raise
    return summary


def prepare(notify: Callable[[str], None] | None = None) -> None:
    """Build the gazetteer index now if it is not cached yet (one time, 20-30 s), saying so,
    and before worker processes start: each would otherwise build its own."""
    from newsevents.places.index import cache_path

    if cache_path().exists():
        return
    if notify:
        notify("building the gazetteer index (one time only, about 30 s)...")
    from newsevents.places.index import gazetteer

    gazetteer()


def estimate_documents(paths: Sequence[str]) -> int | None:
    """How many documents ``paths`` hold, from file names and line counts (no parsing); None
    when that cannot be known cheaply (stdin, WARC, JSON, compressed files, > 2 GB to count)."""
    from newsevents.ingest.inputs import count_documents

    try:
        return count_documents(paths)
    except OSError:
        return None


def _drop_if_empty(db: str) -> None:
    import duckdb

    from newsevents.store import Store

    try:
        with Store(db, read_only=True) as store:
            if store.count("articles") or store.count("failures"):
                return
    except (duckdb.Error, Exception):  # noqa: BLE001 - a half-made file is removed too
        pass
    for path in (db, db + ".wal"):
        try:
            os.remove(path)
        except OSError:
            pass


def _max_bytes() -> int:
    from newsevents.ingest import MAX_BYTES

    return MAX_BYTES
