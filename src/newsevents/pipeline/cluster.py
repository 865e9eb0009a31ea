"""The cluster path: code on Dask workers that write Parquet parts; load the parts into a store.

``newsevents run PATH --scheduler tcp://host:8786 --parts DIR`` (or ``--scheduler local[:N]``)
sends batches of work units (see ``parallel.Worker``) to Dask workers. Each task reads, screens,
parses and codes its batch, then writes every store table of its batch as one Parquet file,
``DIR/<table>/part-<run>-<batch>.parquet``, through an in-memory store (``Store(":memory:")``):
the same rows, types and schema as the store file. Nothing is written to the DuckDB file while
the cluster codes: the parent only collects small summaries (counts, failures). At the end (or
later, with ``newsevents load DIR --db FILE``) ``load_parts`` loads the parts into the store in
one transaction.

Loading is idempotent: an article's rows are replaced (deleted, then inserted), actors are
merged as ``Store.add`` merges them (aliases and roles unioned, first/last seen widened, article
counts recounted), and a failure already recorded is not recorded twice. Loading the same parts
twice, or parts that overlap a store, leaves the store as one load would.

On a real cluster ``DIR`` must be a directory every worker and the loading machine can reach
(a shared file system); ``--scheduler local`` uses worker processes on this machine.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from newsevents.records import ArticleResult, Failure

__all__ = ["PartSummary", "client_for", "write_part", "code_on_cluster", "process_dask", "load_parts",
           "part_files"]

#: Tables a run does not fill (fusion recomputes its tables over the loaded store; the parts'
#: ``fusion_pending`` rows mark the loaded articles as not fused yet).
_NOT_PARTS = frozenset({"schema_migrations", "clusters", "cluster_summary", "fusion_events"})
_PART = re.compile(r"^part-(?P<run>[0-9a-z]+)-(?P<batch>\d+)\.parquet$")


@dataclass
class PartSummary:
    """What a task sends back: counts and failures, never the coded rows."""

    part: str
    coded: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    results: list[ArticleResult] = field(default_factory=list)  # the first few, to print them
    seconds: float = 0.0


@contextlib.contextmanager
def client_for(scheduler: str) -> Iterator[Any]:
    """A Dask client for ``scheduler``: an address ("tcp://host:8786"), or "local" / "local:N"
    for a LocalCluster of N single-threaded worker processes (default: all cores)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the install
        from newsevents.errors import ConfigError

        raise ConfigError(
            "Dask is not installed: run `pip install 'newsevents[dask]'` to use --scheduler"
        ) from exc
    cluster = None
    if scheduler == "local" or scheduler.startswith("local:"):
        from newsevents.pipeline.parallel import cpu_count

        n = int(scheduler.partition(":")[2] or 0) or cpu_count()
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=40)  # a free port, never 8787
    from newsevents.pipeline.parallel import CONNECT_TIMEOUT_S, check_scheduler

    check_scheduler(scheduler)
    try:
        client = Client(cluster if cluster is not None else scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, ValueError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        from newsevents.errors import ConfigError

        raise ConfigError(f"--scheduler {scheduler}: cannot connect ({' '.join(str(exc).split())}); "
                          "is `dask scheduler` running there? (docs/scaling.md)") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def write_part(units: list[Any], worker: Any, parts_dir: str, part: str,
               keep_results: int = 0) -> PartSummary:
    """Code one batch on this (worker) machine and write its tables as Parquet parts."""
    from newsevents.pipeline.parallel import Skipped
    from newsevents.store import Store

    t0 = time.perf_counter()
    out = worker(units)
    coded = [r for r in out if isinstance(r, ArticleResult)]
    failures = [r for r in out if isinstance(r, Failure)]
    summary = PartSummary(part=part, coded=len(coded), skipped=sum(isinstance(r, Skipped) for r in out),
                          failures=failures, results=coded[:keep_results])
    for key in ("events", "actors", "places", "dates", "quotes"):
        summary.counts[key] = sum(len(getattr(r, key)) for r in coded)
    with Store(":memory:") as mem:
        mem.add(coded, failures)
        for table in _tables(mem):
            if not mem.count(table):
                continue
            folder = Path(parts_dir) / table
            folder.mkdir(parents=True, exist_ok=True)
            final = folder / f"part-{part}.parquet"
            tmp = folder / f".tmp-{part}-{uuid.uuid4().hex[:8]}.parquet"
            mem.con.execute(f"COPY (SELECT * FROM {table}) TO '{_sql_path(tmp)}' (FORMAT parquet)")
            os.replace(tmp, final)  # a part appears whole or not at all
    summary.seconds = time.perf_counter() - t0
    return summary


def _tables(store: Any) -> list[str]:
    rows = store.con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows if r[0] not in _NOT_PARTS]


def _sql_path(p: Path | str) -> str:
    return str(p).replace("'", "''")


def code_on_cluster(
    units: Iterable[Any],
    store: Any,
    worker: Any,
    scheduler: str,
    *,
    batch_size: int,
    summary: Any,
    note_failure: Callable[[Failure], None],
    keep_results: int = 3,
    progress: Callable[[Any], None] | None = None,
    parts_dir: str | None = None,
    window: int = 32,
) -> Any:
    """Code ``units`` on the Dask cluster, writing parts to ``parts_dir`` (default: a folder
    named after the store, ``<db>.parts``), then load the parts into ``store``."""
    from newsevents.pipeline.parallel import batched

    parts = parts_dir or f"{store.path}.parts"
    Path(parts).mkdir(parents=True, exist_ok=True)
    run = uuid.uuid4().hex[:8]

    def take(s: PartSummary) -> None:
        summary.skipped += s.skipped
        for f in s.failures:
            note_failure(f)
        summary.coded += s.coded
        for key, n in s.counts.items():
            setattr(summary, key, getattr(summary, key) + n)
        if len(summary.results) < keep_results:
            summary.results.extend(s.results[: keep_results - len(summary.results)])
        if progress:
            progress(summary)

    with client_for(scheduler) as client:
        # Sent once to every worker (it holds the ids already stored), not with every task.
        [shared] = client.scatter([worker], broadcast=True, hash=False)
        pending: list[Any] = []
        for n, batch in enumerate(batched(units, batch_size)):
            pending.append(client.submit(write_part, batch, shared, str(parts), f"{run}-{n:06d}",
                                         keep_results if n == 0 else 0, pure=False))
            if len(pending) >= window:
                take(pending.pop(0).result())
        while pending:
            take(pending.pop(0).result())
    if summary.coded > keep_results:
        summary.results.clear()
    summary.parts_loaded = load_parts(store, parts, runs={run})["parts"]
    summary.parts_dir = str(parts)
    return summary


def process_dask(
    articles: Iterable[Article],
    scheduler: str,
    *,
    model: str | None = None,
    batch_size: int = 64,
    window: int = 32,
    config: Any = None,
) -> Iterator[ArticleResult | Failure]:
    """Code articles on a Dask cluster (``scheduler``: "tcp://host:8786" or "local") and bring
    the results back here, in input order (at most ``window`` batches in flight). To write the
    results on the workers instead (no single writer), see ``code_on_cluster``."""
    from newsevents.pipeline.parallel import batched, code_batch

    from newsevents import nlp
    from newsevents.pipeline.core import DEFAULT_CONFIG

    model = model or nlp.DEFAULT_MODEL
    config = config or DEFAULT_CONFIG
    with client_for(scheduler) as client:
        pending: list = []
        for batch in batched(articles, batch_size):
            pending.append(client.submit(code_batch, batch, model, config, pure=False))
            if len(pending) >= window:
                yield from pending.pop(0).result()
        while pending:
            yield from pending.pop(0).result()


# ----------------------------------------------------------------------------- loading
def part_files(parts_dir: str | Path, runs: set[str] | None = None) -> dict[str, list[Path]]:
    """Parquet part files under ``parts_dir`` by table, in (run, batch) order."""
    out: dict[str, list[Path]] = {}
    root = Path(parts_dir)
    if not root.is_dir():
        return out
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = []
        for f in folder.iterdir():
            m = _PART.match(f.name)
            if m and (runs is None or m["run"] in runs):
                files.append((m["run"], int(m["batch"]), f))
        if files:
            out[folder.name] = [f for _, _, f in sorted(files)]
    return out


def load_parts(store: Any, parts_dir: str | Path, *, runs: set[str] | None = None) -> dict[str, int]:
    """Load Parquet parts (from ``write_part``) into ``store`` in one transaction; idempotent."""
    from newsevents.errors import StoreError

    files = part_files(parts_dir, runs)
    if not files:
        return {"parts": 0, "articles": 0}
    known = set(_tables(store))
    unknown = sorted(set(files) - known)
    if unknown:
        raise StoreError(f"{parts_dir}: parts for tables the store does not have: {', '.join(unknown)}")
    con = store.con

    def src(table: str) -> str:
        names = ", ".join(f"'{_sql_path(f)}'" for f in files[table])
        return f"read_parquet([{names}], union_by_name = true)"

    n_parts = len({f.name for fs in files.values() for f in fs})
    con.execute("BEGIN TRANSACTION")
    try:
        n_articles = 0
        if "articles" in files:
            con.execute(f"CREATE OR REPLACE TEMP TABLE _load_ids AS SELECT DISTINCT id FROM {src('articles')}")
            n_articles = con.execute("SELECT count(*) FROM _load_ids").fetchone()[0]
            con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM _load_ids)")
            for table in known:
                if table not in ("articles", "actors", "failures") and "article_id" in store._columns(table):
                    con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM _load_ids)")
            con.execute("DROP TABLE _load_ids")
        for table, fs in files.items():
            if table in ("actors", "failures"):
                continue
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {src(table)}")
        if "failures" in files:
            con.execute(
                f"INSERT INTO failures BY NAME SELECT * FROM {src('failures')} AS p WHERE NOT EXISTS ("
                " SELECT 1 FROM failures f WHERE f.origin IS NOT DISTINCT FROM p.origin"
                " AND f.reason IS NOT DISTINCT FROM p.reason AND f.message IS NOT DISTINCT FROM p.message"
                " AND f.article_id IS NOT DISTINCT FROM p.article_id)"
            )
        if "actors" in files:
            _merge_actor_parts(store, files["actors"])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {"parts": n_parts, "articles": n_articles}


def _merge_actor_parts(store: Any, files: list[Path]) -> None:
    """Merge the parts' actor rows with the stored ones as ``Store.add`` merges each batch
    (``actors.merge.merge_records``: aliases united, one role per office in date order, code
    and country from the actor's records)."""
    con = store.con
    recs: dict[str, list[tuple[dict[str, Any], Any]]] = {}
    for f in files:
        cur = con.execute(f"SELECT * FROM read_parquet('{_sql_path(f)}')")
        names = [d[0] for d in cur.description]
        for row in cur.fetchall():
            r = dict(zip(names, row))
            r["aliases"] = json.loads(r["aliases"] or "[]")
            r["roles"] = json.loads(r["roles"] or "[]")
            recs.setdefault(r["id"], []).append((r, r.get("last_seen")))
    store._write_actor_records(recs)
