"""Exports: every table as Parquet / JSONL / CSV files, or GDELT 2.0-compatible TSVs.

JSONL exports of events, quotes and actors use the documented JSON shapes (docs/schema.md) — the
same as `newsevents events --format json`; every other table, places included, is exported row
for row (one line per place mention), as Parquet and CSV export the stored tables column for
column.
"""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from newsevents.errors import NewsEventsError, UsageError

__all__ = ["export_store", "ExportError", "FORMATS", "TABLES"]

TABLES = ("articles", "events", "mentions", "actors", "dates", "places", "quotes", "features",
          "failures", "clusters", "cluster_summary")


def export_store(store, fmt: str, out: str | Path) -> list[tuple[str, int]]:
    """Write the store in ``fmt``; return (path, rows) for each file written.

    Each file is written to a temporary name beside it and renamed into place when complete, so
    a failed export never leaves a truncated file, and no output may be the open store itself
    (``--out newsevents.duckdb`` used to truncate the store to 0 bytes). A wrong kind of target
    (a folder for a GDELT file, a file for the per-table formats) is an ``ExportError``.
    """
    if fmt not in FORMATS:
        raise UsageError("--format", f"{fmt!r} is not an export format: use one of {', '.join(FORMATS)}")
    out = Path(out)
    if fmt.startswith("gdelt-"):
        if out.is_dir():
            raise ExportError(f"{out}: is a folder; {fmt} writes one file: give a file name such as {out / (fmt + '.tsv')}")
        _refuse_store(store, out)
        return [_export_gdelt(store, fmt, out)]
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: is a file; {fmt} writes one file per table into a folder: give a folder name")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    written = []
    for table in TABLES:
        path = out / f"{table}.{fmt}"
        _refuse_store(store, path)
        with _atomic(path) as tmp:
            if fmt == "parquet":
                store.con.execute(f"COPY {table} TO '{_sql_path(tmp)}' (FORMAT parquet)")
                n = store.count(table)
            elif fmt == "csv":
                store.con.execute(f"COPY {table} TO '{_sql_path(tmp)}' (FORMAT csv, HEADER true)")
                n = store.count(table)
            else:
                n = _write_jsonl(store, table, tmp)
        written.append((str(path), n))
    return written


FORMATS = ("parquet", "jsonl", "csv", "gdelt-events", "gdelt-mentions", "gdelt-gkg")


class ExportError(NewsEventsError):
    """An export target that cannot be written (exit code 3)."""


def _write_jsonl(store, table: str, path: Path) -> int:
    # events, quotes and actors in their documented JSON shapes; every other table - places
    # included: one line per mention, as in Parquet and CSV - row for row
    shaped = {"events": store.events, "quotes": store.quotes, "actors": store.actors}.get(table)
    if shaped is None:
        store.con.execute(f"COPY {table} TO '{_sql_path(path)}' (FORMAT json)")
        return store.count(table)
    rows = shaped()
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    return len(rows)


def _refuse_store(store, path: Path) -> None:
    """Refuse to write over the open store (or its write-ahead log)."""
    db = Path(store.path)
    for own in (db, Path(str(db) + ".wal")):
        same = False
        try:
            same = path.exists() and own.exists() and os.path.samefile(path, own)
        except OSError:
            pass
        if same or path.resolve() == own.resolve():
            raise ExportError(f"{path}: is the store being exported ({db}); give another output name")


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed to it only when the block succeeds."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    os.unlink(tmp)  # duckdb's COPY wants to create the file itself
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _export_gdelt(store, fmt: str, out: Path) -> tuple[str, int]:
    from newsevents.export import gdelt, gkg

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out.parent}: cannot create the folder ({exc.strerror or exc})") from None
    clusters = {}
    for r in store.query(
        "SELECT c.event_id, s.id, s.num_events, s.num_sources, s.num_articles, s.date"
        " FROM clusters c JOIN cluster_summary s ON s.id = c.id"
    ):
        clusters[r["event_id"]] = dict(cluster_id=r["id"], num_mentions=r["num_events"],
                                       num_sources=r["num_sources"], num_articles=r["num_articles"],
                                       date=r["date"])
    results = store.results()
    if fmt == "gdelt-events":
        rows = gdelt.event_rows(results, clusters)
    elif fmt == "gdelt-mentions":
        rows = gdelt.mention_rows(results, clusters)
    else:
        rows = gkg.gkg_rows(results)
    with _atomic(out) as tmp:
        n = gdelt.write_tsv(rows, tmp)
    return str(out), n
