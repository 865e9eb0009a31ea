"""How fusion's cost grows with the store: the curve in benchmarks/README.md (issue 11, item 2).

Fusion alone, on stores coded once (coding 6,359 articles costs ~25 min of one core here; the
fusion figures do not depend on how the store was coded):

    newsevents run ../shared/data/wikinews-text/wikinews_articles.jsonl --db wn.duckdb --no-fuse -q
    python benchmarks/fusion_curve.py wn.duckdb --sizes 1000 5000 0 --new 200

For each size N (0 = every article) the script copies the first N articles of the coded store
(file order, read from ``articles.origin``) into a fresh store and measures

- ``full``: fusing all N articles from nothing (every article pending);
- ``incremental``: with the first N - NEW articles fused, fusing the NEW last ones - the cost a
  run adding NEW articles to a store of that size pays.

It prints wall and CPU seconds (the machine is shared: CPU time is the steadier figure), events,
comparisons made and the per-article cost.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from newsevents.fusion import fuse_store
from newsevents.store import Store

_TABLES = ("results", "events", "mentions", "article_actors", "dates", "places", "quotes", "features")


def _line(origin: str) -> tuple[str, int]:
    path, _, n = (origin or "").rpartition(":")
    return (path, int(n)) if n.isdigit() else (origin or "", 0)


def subset(src: str, dst: str, n: int | None) -> list[str]:
    """Copy ``src`` to ``dst`` keeping the first ``n`` articles by input position; return their
    ids in that order."""
    shutil.copy(src, dst)
    con = duckdb.connect(dst)
    rows = con.execute("SELECT id, origin, published FROM articles").fetchall()
    # file order: the origin's line number (path:line), then the id
    rows.sort(key=lambda r: (_line(r[1])[1], r[0]))
    keep = [r[0] for r in rows[:n]] if n else [r[0] for r in rows]
    con.execute("CREATE TEMP TABLE keep AS SELECT unnest(?::VARCHAR[]) AS id", [keep])
    con.execute("DELETE FROM articles WHERE id NOT IN (SELECT id FROM keep)")
    for t in _TABLES:
        con.execute(f"DELETE FROM {t} WHERE article_id NOT IN (SELECT id FROM keep)")
    con.execute("CHECKPOINT")
    con.close()
    return keep


def _timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


def measure(src: str, n: int | None, new: int, workdir: str) -> dict:
    db = str(Path(workdir) / f"fusion-{n or 'all'}.duckdb")
    ids = subset(src, db, n)
    with Store(db) as store:  # migrations mark every article pending
        full, wall, cpu = _timed(lambda: fuse_store(store))
        # incremental: unfuse the last NEW articles (mark them pending again), fuse the rest
        # from scratch, then time fusing the NEW ones against it
        store.con.execute("DELETE FROM fusion_events")
        store.con.execute("DELETE FROM cluster_summary")
        store.con.execute("DELETE FROM fusion_pending")
        store.con.execute("INSERT INTO fusion_pending SELECT unnest(?::VARCHAR[])", [ids[:-new]])
        fuse_store(store)
        store.con.execute("INSERT INTO fusion_pending SELECT unnest(?::VARCHAR[])", [ids[-new:]])
        inc, iwall, icpu = _timed(lambda: fuse_store(store))
    Path(db).unlink(missing_ok=True)
    return dict(
        articles=len(ids), events=full["events"],
        full_wall_s=round(wall, 2), full_cpu_s=round(cpu, 2),
        full_cpu_ms_per_article=round(1000 * cpu / len(ids), 2),
        full_comparisons=full["comparisons"], multi_report_clusters=full["multi_report_clusters"],
        new_articles=new, new_events=inc["events"],
        incremental_wall_s=round(iwall, 2), incremental_cpu_s=round(icpu, 2),
        incremental_cpu_ms_per_article=round(1000 * icpu / new, 2),
        incremental_comparisons_per_event=round(inc["comparisons"] / max(inc["events"], 1), 1),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("store", help="a store coded with `newsevents run ... --no-fuse`")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 0], help="store sizes (0 = all)")
    ap.add_argument("--new", type=int, default=200, help="articles added for the incremental figure")
    ap.add_argument("--format", choices=["table", "json"], default="table")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(args.store, n or None, args.new, tmp) for n in args.sizes]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return
    cols = list(rows[0])
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join(str(r[c]) for c in cols))


if __name__ == "__main__":
    main()
