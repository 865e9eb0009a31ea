"""What does letting readers in during `newsevents run` cost? (issue 10, item 14)

Codes the first N articles of a JSON Lines corpus once, then writes the results into a fresh
store twice, the way `run` does (the stored ids read once, a commit per 64 articles, fusion at
the end): once holding the file for the whole run (the old behaviour, ``Store(hold=True)``) and
once opening it only per batch (``Store(hold=False)``, what `run` does now). A reader in another
process opens the store read-only in a loop during the second write and records how long each
open waited. The cost is reported against the whole run (coding + writing).

    python benchmarks/store_sharing.py ../shared/data/wikinews-text/wikinews_articles.jsonl --limit 300
"""
from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

READER = textwrap.dedent("""
    import sys, time, json
    from newsevents.store import Store
    db, stop = sys.argv[1], sys.argv[2]
    import os
    waits = []
    while not os.path.exists(stop):
        t = time.perf_counter()
        try:
            with Store(db, read_only=True, wait=60) as st:
                st.count("events")
        except Exception as exc:  # the store does not exist yet
            time.sleep(0.02)
            continue
        waits.append(time.perf_counter() - t)
        time.sleep(0.01)
    print(json.dumps(waits))
""")


FUSE: list[float] = []


def write(results, db: str, hold: bool, commit_every: int = 64) -> float:
    from newsevents.fusion import fuse_store
    from newsevents.store import Store

    t = time.perf_counter()
    c = time.process_time()
    store = Store(db, hold=hold)
    store.article_ids()  # what `run` reads once before coding
    for i in range(0, len(results), commit_every):
        store.add(results[i:i + commit_every])
    f = time.perf_counter()
    with store.session():
        fuse_store(store)
    FUSE.append(time.perf_counter() - f)
    store.close()
    CPU.setdefault(hold, []).append(time.process_time() - c)
    return time.perf_counter() - t


CPU: dict[bool, list[float]] = {}


def open_close_ms(db: str, n: int = 20) -> float:
    """One writer open + close of a populated store (what each batch adds with hold=False)."""
    from newsevents.store import Store

    store = Store(db, hold=False)
    t = time.perf_counter()
    for _ in range(n):
        with store.session():
            pass
    return (time.perf_counter() - t) / n * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("-j", "--processes", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3, help="write rounds per mode (the median is reported)")
    ap.add_argument("--cache", help="pickle the coded results here and reuse them on the next run")
    args = ap.parse_args(argv)

    from newsevents.ingest import iter_articles
    from newsevents.pipeline import process_many
    from newsevents.records import Failure

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        with open(args.corpus, encoding="utf-8") as fh, open(src, "w", encoding="utf-8") as out:
            for i, line in enumerate(fh):
                if i >= args.limit:
                    break
                out.write(line)
        if args.cache and Path(args.cache).exists():
            with open(args.cache, "rb") as fh:
                results, code_s = pickle.load(fh)
        else:
            articles = [a for a in iter_articles([str(src)]) if not isinstance(a, Failure)]
            t = time.perf_counter()
            results = [r for r in process_many(articles, n_process=args.processes) if not isinstance(r, Failure)]
            code_s = time.perf_counter() - t
            if args.cache:
                with open(args.cache, "wb") as fh:
                    pickle.dump((results, code_s), fh)

        timings = {"hold": [], "per_batch": []}
        for rnd in range(args.rounds):
            for mode in ("hold", "per_batch"):
                db = str(Path(tmp) / f"{mode}{rnd}.duckdb")
                timings[mode].append(write(results, db, hold=(mode == "hold")))

        cycle_ms = open_close_ms(db)

        # the reader's view: a second process opening the store during a per-batch write
        db = str(Path(tmp) / "shared.duckdb")
        stop = Path(tmp) / "stop"
        script = Path(tmp) / "reader.py"
        script.write_text(READER, encoding="utf-8")
        reader = subprocess.Popen([sys.executable, str(script), db, str(stop)], stdout=subprocess.PIPE, text=True)
        time.sleep(1.0)
        shared_s = write(results, db, hold=False)
        stop.touch()
        waits = json.loads(reader.communicate(timeout=120)[0] or "[]")

    med = {k: sorted(v)[len(v) // 2] for k, v in timings.items()}
    run_s = code_s + med["hold"]
    report = {
        "articles": len(results), "events": sum(len(r.events) for r in results),
        "coding_seconds": round(code_s, 2),
        "write_seconds_hold": round(med["hold"], 3), "write_seconds_per_batch": round(med["per_batch"], 3),
        "extra_seconds": round(med["per_batch"] - med["hold"], 3),
        "extra_percent_of_run": round(100 * (med["per_batch"] - med["hold"]) / run_s, 2),
        "rounds": {k: [round(x, 3) for x in v] for k, v in timings.items()},
        "cpu_seconds_hold": round(sorted(CPU[True])[len(CPU[True]) // 2], 3),
        "cpu_seconds_per_batch": round(sorted(CPU[False])[len(CPU[False]) // 2], 3),
        "open_close_ms": round(cycle_ms, 1),
        "batches": -(-len(results) // 64),
        "fusion_seconds_median": round(sorted(FUSE)[len(FUSE) // 2], 3),
        "write_seconds_with_reader": round(shared_s, 3),
        "reader_opens": len(waits),
        "reader_open_ms_median": round(sorted(waits)[len(waits) // 2] * 1000, 1) if waits else None,
        "reader_open_ms_max": round(max(waits) * 1000, 1) if waits else None,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
