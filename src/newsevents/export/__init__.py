"""Exports: every table as Parquet / JSONL / CSV files, or GDELT 2.0-compatible TSVs.

JSONL exports of events, quotes, places and actors use the documented JSON shapes
(docs/schema.md) — the same as `newsevents events --format json`; Parquet and CSV export the
stored tables column for column.
"""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["export_store", "TABLES"]

TABLES = ("articles", "events", "mentions", "actors", "dates", "places", "quotes", "features",
          "failures", "clusters", "cluster_summary")


def export_store(store, fmt: str, out: str | Path) -> list[tuple[str, int]]:
    """Write the store in ``fmt``; return (path, rows) for each file written."""
    out = Path(out)
    if fmt.startswith("gdelt-"):
        return [_export_gdelt(store, fmt, out)]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        n = store.count(table)
        if fmt == "parquet":
            path = out / f"{table}.parquet"
            store.con.execute(f"COPY {table} TO '{_sql_path(path)}' (FORMAT parquet)")
        elif fmt == "csv":
            path = out / f"{table}.csv"
            store.con.execute(f"COPY {table} TO '{_sql_path(path)}' (FORMAT csv, HEADER true)")
        elif fmt == "jsonl":
            path = out / f"{table}.jsonl"
            shaped = {"events": store.events, "quotes": store.quotes, "places": store.places,
                      "actors": store.actors}.get(table)
            if shaped is not None:
                rows = shaped()
                n = len(rows)
                with open(path, "w", encoding="utf-8") as fh:
                    for row in rows:
                        fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            else:
                store.con.execute(f"COPY {table} TO '{_sql_path(path)}' (FORMAT json)")
        else:
            raise ValueError(f"unknown export format {fmt!r}")
        written.append((str(path), n))
    return written


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _export_gdelt(store, fmt: str, out: Path) -> tuple[str, int]:
    from newsevents.export import gdelt, gkg

    out.parent.mkdir(parents=True, exist_ok=True)
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
    n = gdelt.write_tsv(rows, out)
    return str(out), n if isinstance(n, int) else sum(1 for _ in open(out, encoding="utf-8"))
