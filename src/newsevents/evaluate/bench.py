"""Throughput benchmark: the full pipeline against bare spaCy on the same texts, in one run.

Phases, on a fixed subset (the first N articles of the Wikinews corpus):

(a) bare spaCy: the same model, all components, ``nlp.pipe(texts, n_process, batch_size)``;
(b) newsevents: ``pipeline.process_many(articles, n_process, batch_size)`` (parse + every stage);
(c) latency: one process, article by article, on the first ``latency_sample`` articles: parse
    time and coding time (all stages after the parse) per article, p50/p95;
(d) optionally, the time to write (b)'s results to a fresh DuckDB store.

Both (a) and (b) start from the same warm state: the model and every stage are loaded and run
once in this process before any clock starts, and the workers are forked from it, so neither
phase pays first-use costs the other does not. Both include starting their worker processes,
which a user pays too. Words are whitespace-separated tokens of ``Article.text``.

Memory is sampled from /proc every 0.2 s during each phase (this process and its descendants):
the sum of RSS (over-counts pages forked workers share with the parent) and the sum of PSS
(shared pages split between sharers: the honest total). ``getrusage`` figures are reported too:
for children it gives the largest child only, not the sum (getrusage(2)).
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from newsevents import nlp
from newsevents.records import Article

__all__ = ["DEFAULT_CORPUS", "DEFAULT_LIMIT", "default_corpus", "format_table", "load_articles",
           "run_bench", "run_whole"]

#: The benchmark corpus, relative to the shared data root.
DEFAULT_CORPUS = "wikinews-text/wikinews_articles.jsonl"
#: Subset for a quick run: the first 1,000 articles (~330k words; ~1 min per phase on 2 cores).
DEFAULT_LIMIT = 1000
#: 32 articles (~10k words) per batch keeps both workers busy on small subsets (spaCy's default
#: of 1,000 docs would hand a 1,000-article subset to a single worker) and is the same for (a)
#: and (b), so batching does not favour either side.
DEFAULT_BATCH_SIZE = 32
_WARMUP = 8
_SAMPLE_EVERY_S = 0.2


def default_corpus() -> Path:
    """The Wikinews corpus under $NEWSEVENTS_DATA or ../shared/data."""
    from newsevents.evaluate.gate import default_data_root

    root = default_data_root()
    if root is None:
        from newsevents.errors import ConfigError

        raise ConfigError("no benchmark corpus given and no shared data root: set NEWSEVENTS_DATA")
    return root / DEFAULT_CORPUS


def load_articles(path: str | Path, limit: int | None = None) -> list[Article]:
    """The first ``limit`` records of a JSONL corpus (title/date/url/text) as Articles."""
    try:
        from newsevents.ingest import make_article
    except ImportError:  # ingest not importable (partial checkout): the benchmark only needs text
        make_article = _plain_article
    from newsevents.errors import EvalError

    out: list[Article] = []
    what = "a benchmark corpus is JSON Lines with a 'text' string per line"
    if not Path(path).is_file():
        raise EvalError(f"{path}: no such corpus file ({what})")
    with open(path, encoding="utf-8", errors="strict", newline="\n") as fh:
        for lineno, line in enumerate(_lines(fh, path, what), 1):
            if limit is not None and len(out) >= limit:
                break
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalError(f"{path}:{lineno}: not JSON ({exc.msg}); {what}") from None
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise EvalError(f"{path}:{lineno}: no 'text' string in this record; {what}")
            src = rec.get("source")  # wikinews: provenance dict, not a publisher name
            out.append(make_article(rec["text"], title=rec.get("title", ""), url=rec.get("url"),
                                    source=src if isinstance(src, str) else "Wikinews",
                                    published=rec.get("date")))
    return out


def _lines(fh: Any, path: str | Path, what: str) -> Iterator[str]:
    try:
        yield from fh
    except UnicodeDecodeError:
        from newsevents.errors import EvalError

        raise EvalError(f"{path}: not UTF-8 text; {what}") from None


def _plain_article(text: str, *, title: str = "", url: str | None = None,
                   source: str | None = None, published: str | None = None) -> Article:
    import datetime as _dt
    import hashlib

    when = _dt.datetime.fromisoformat(published).replace(tzinfo=_dt.timezone.utc) if published else None
    return Article(id=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], text=text, title=title,
                   url=url, source=source, published=when)


# --------------------------------------------------------------------------- memory
def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                kids.extend(int(p) for p in fh.read().split())
    except OSError:
        pass
    return kids


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _mem_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; (0, 0) once it has exited."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class _MemSampler:
    """Peak of the summed RSS/PSS of a process tree (default: this process and its descendants;
    ``children_only``: only its descendants), sampled in a background thread."""

    def __init__(self, children_only: bool = False) -> None:
        self.children_only = children_only
        self.peak_rss_kb = self.peak_pss_kb = self.max_procs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        pids = _tree(os.getpid())
        if self.children_only:
            pids = pids[1:]
        mems = [_mem_kb(p) for p in pids]
        self.peak_rss_kb = max(self.peak_rss_kb, sum(m[0] for m in mems))
        self.peak_pss_kb = max(self.peak_pss_kb, sum(m[1] for m in mems))
        self.max_procs = max(self.max_procs, sum(1 for m in mems if m[0]))

    def _loop(self) -> None:
        while not self._stop.wait(_SAMPLE_EVERY_S):
            self._sample()

    def __enter__(self) -> "_MemSampler":
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _rusage_mb() -> dict[str, float]:
    # ru_maxrss is in kB on Linux; for RUSAGE_CHILDREN it is the largest (waited-for) child.
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self_maxrss_mb": round(self_mb, 1), "largest_child_maxrss_mb": round(child_mb, 1)}


# --------------------------------------------------------------------------- phases
def _timed(prefix: str, fn: Callable[[], int], n_articles: int, n_words: int) -> dict[str, Any]:
    """Run ``fn`` (returns how many outputs it consumed) under the clock and the memory sampler."""
    with _MemSampler() as mem:
        t0 = time.perf_counter()
        produced = fn()
        secs = time.perf_counter() - t0
    if produced != n_articles:  # a phase that drops documents is not a throughput figure
        raise RuntimeError(f"{prefix}: {produced} outputs for {n_articles} articles")
    return {
        f"{prefix}_seconds": round(secs, 2),
        f"{prefix}_articles_per_s": round(n_articles / secs, 2),
        f"{prefix}_words_per_s": round(n_words / secs),
        f"{prefix}_peak_rss_mb": round(mem.peak_rss_kb / 1024, 1),
        f"{prefix}_peak_pss_mb": round(mem.peak_pss_kb / 1024, 1),
        f"{prefix}_max_processes": mem.max_procs,
    }


def _pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


#: The stage functions ``pipeline.process_doc`` calls (its documented contract), timed one by one.
_STAGES = (("actors", "extract"), ("events", "code"), ("dates", "extract"), ("dates", "date_events"),
           ("places", "extract"), ("places", "place_events"), ("quotes", "extract"),
           ("features", "extract"))


@contextmanager
def _stage_clock(totals: dict[str, float]) -> Iterator[None]:
    """Time each stage by wrapping the module attributes the orchestrator looks up at call time;
    the originals are put back on exit, so nothing outside this block is affected."""
    import importlib

    saved = []
    for mod_name, fn_name in _STAGES:
        mod = importlib.import_module(f"newsevents.{mod_name}")
        fn = getattr(mod, fn_name)
        key = f"{mod_name}.{fn_name}"
        totals.setdefault(key, 0.0)

        def timed(*a: Any, _fn: Callable[..., Any] = fn, _key: str = key, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return _fn(*a, **k)
            finally:
                totals[_key] += time.perf_counter() - t

        saved.append((mod, fn_name, fn))
        setattr(mod, fn_name, timed)
    try:
        yield
    finally:
        for mod, fn_name, fn in saved:
            setattr(mod, fn_name, fn)


def _latency(articles: list[Article], model: str) -> dict[str, Any]:
    """Per-article parse and coding times in this process (no batching, no workers), and the
    share of coding time each stage takes."""
    from newsevents.pipeline import process_doc

    language = nlp.load(model)
    parse_ms, code_ms, total_ms = [], [], []
    stages: dict[str, float] = {}
    with _stage_clock(stages):
        for a in articles:
            t0 = time.perf_counter()
            doc = language(a.text)
            t1 = time.perf_counter()
            process_doc(a, doc)
            t2 = time.perf_counter()
            parse_ms.append((t1 - t0) * 1000)
            code_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
    coding_s = sum(code_ms) / 1000
    out = {
        "latency_articles": len(articles),
        "latency_p50_ms": round(_pct(total_ms, 50), 1),
        "latency_p95_ms": round(_pct(total_ms, 95), 1),
        "latency_parse_p50_ms": round(_pct(parse_ms, 50), 1),
        "latency_coding_p50_ms": round(_pct(code_ms, 50), 1),
        "latency_coding_p95_ms": round(_pct(code_ms, 95), 1),
        # share of single-process time spent after the parse: what our stages cost on top of spaCy
        "coding_share": round(sum(code_ms) / sum(total_ms), 3),
        # coding time per unit of parse time (one process: ratio ~ 1 / (1 + this))
        "coding_per_parse": round(sum(code_ms) / sum(parse_ms), 3),
    }
    for key, secs in sorted(stages.items(), key=lambda kv: -kv[1]):
        out[f"stage_share_{key}"] = round(secs / coding_s, 3) if coding_s else 0.0
    return out


def run_bench(
    corpus_path: str | Path | None = None,
    limit: int | None = None,
    n_process: int = 2,
    batch_size: int = DEFAULT_BATCH_SIZE,
    model: str = nlp.DEFAULT_MODEL,
    *,
    latency_sample: int = 100,
    store: bool = True,
    rounds: int = 1,
    progress: Callable[[str], None] | None = None,
    whole: bool = False,
    whole_rounds: int = 2,
) -> dict[str, Any]:
    """Benchmark bare spaCy against the full pipeline on the first ``limit`` articles (None: all).

    With ``whole`` (on in ``newsevents bench`` and ``benchmarks/run_bench.py``), also the
    whole-process figure (``run_whole``: ``newsevents run`` against a bare spaCy script, each a
    fresh process, ``whole_rounds`` alternating rounds).

    Returns a flat JSON-ready dict (see ``format_table``); the ratio ``pipeline_vs_spacy`` is
    the pipeline's throughput divided by bare spaCy's on the same texts, processes and batches.
    """
    say = progress or (lambda msg: None)
    limit = limit or None  # 0 means all, as on the command line
    corpus = Path(corpus_path) if corpus_path else default_corpus()
    t0 = time.perf_counter()
    articles = load_articles(corpus, limit)
    load_s = time.perf_counter() - t0
    if not articles:
        from newsevents.errors import EvalError

        raise EvalError(f"{corpus}: no articles to benchmark")
    texts = [a.text for a in articles]
    n_words = sum(len(t.split()) for t in texts)
    n = len(articles)
    out: dict[str, Any] = {
        "corpus": str(corpus),
        "subset": f"first {n} articles" + ("" if limit else " (all)"),
        "articles": n,
        "words": n_words,
        "n_process": n_process,
        "batch_size": batch_size,
        "model": model,
        "cpu_count": os.cpu_count(),
        "load_articles_seconds": round(load_s, 2),
    }
    # Warm-up, before any clock: model, stage data (gazetteers, lexicons) and code paths.
    say("warm-up")
    language = nlp.load(model)
    try:
        from newsevents.pipeline import process_doc, process_many
    except ImportError as exc:  # a stage not written yet: measure the spaCy side alone
        process_doc = process_many = None  # type: ignore[assignment]
        out["pipeline_error"] = f"{type(exc).__name__}: {exc}"
    for a in articles[:_WARMUP]:
        doc = language(a.text)
        if process_doc is not None:
            process_doc(a, doc)

    def _spacy() -> int:
        return sum(1 for _ in language.pipe(texts, n_process=n_process, batch_size=batch_size))

    results: list[Any] = []

    def _pipeline() -> int:
        results.clear()
        results.extend(process_many(articles, model=model, batch_size=batch_size, n_process=n_process))
        return len(results)

    phases: dict[str, Callable[[], int]] = {"spacy": _spacy}
    if process_many is not None:
        phases["pipeline"] = _pipeline
    labels = {"spacy": "(a) bare spaCy", "pipeline": "(b) newsevents pipeline"}
    best: dict[str, dict[str, Any]] = {}
    # Rounds alternate the order (ab, ba, ...) and keep each side's fastest run, so load from
    # other users of a shared machine during one phase does not decide the ratio.
    for r in range(max(1, rounds)):
        order = list(phases) if r % 2 == 0 else list(reversed(phases))
        for name in order:
            say(f"{labels[name]} on {n} articles, {n_process} processes (round {r + 1})")
            got = _timed(name, phases[name], n, n_words)
            if name not in best or got[f"{name}_seconds"] < best[name][f"{name}_seconds"]:
                best[name] = got
    out["rounds"] = max(1, rounds)
    for got in best.values():
        out.update(got)
    if process_many is None:
        out.update({f"rusage_{k}": v for k, v in _rusage_mb().items()})
        return out

    ok = [r for r in results if hasattr(r, "events")]
    out["pipeline_failures"] = n - len(ok)
    out["pipeline_events"] = sum(len(r.events) for r in ok)
    out["pipeline_vs_spacy"] = round(out["pipeline_words_per_s"] / out["spacy_words_per_s"], 3)

    if latency_sample:
        say(f"(c) per-article latency on {min(latency_sample, n)} articles, 1 process")
        out.update(_latency(articles[:latency_sample], model))
    if store:
        say("(d) store write")
        out.update(_store_write(results))
    out.update({f"rusage_{k}": v for k, v in _rusage_mb().items()})
    if whole:
        out.update(run_whole(corpus, limit, n_process=n_process, batch_size=batch_size, model=model,
                             rounds=whole_rounds, progress=progress))
    return out


def _store_write(results: list[Any]) -> dict[str, Any]:
    from newsevents.records import Failure
    from newsevents.store import Store

    good = [r for r in results if not isinstance(r, Failure)]
    bad = [r for r in results if isinstance(r, Failure)]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with Store(Path(tmp) / "bench.duckdb") as st:
            t1 = time.perf_counter()  # creating the file and running migrations: paid once
            st.add(good, bad)
            t2 = time.perf_counter()
        t3 = time.perf_counter()
    add_s = t2 - t1
    return {"store_open_seconds": round(t1 - t0, 2), "store_add_seconds": round(add_s, 2),
            "store_close_seconds": round(t3 - t2, 2),
            "store_articles_per_s": round(len(results) / add_s, 1) if add_s else None}


# --------------------------------------------------------------------------- whole process
#: Bare spaCy as a user runs it: a fresh interpreter that reads the same JSON Lines file, loads
#: the model (all components) and parses every text with ``n_process`` processes.
_BARE_SCRIPT = """
import json, sys
import spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
nlp = spacy.load(sys.argv[2])
n = sum(1 for _ in nlp.pipe(texts, n_process=int(sys.argv[3]), batch_size=int(sys.argv[4])))
assert n == len(texts), (n, len(texts))
"""


def _run_timed(cmd: list[str], env: dict[str, str] | None = None, expect: str = "") -> dict[str, Any]:
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with _MemSampler(children_only=True) as mem:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        secs = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1) or (expect and expect not in proc.stdout):  # 1: some failed
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": round(secs, 2), "cpu_seconds": round(cpu, 2),
            "peak_pss_mb": round(mem.peak_pss_kb / 1024, 1), "max_processes": mem.max_procs,
            "stdout": proc.stdout}


def run_whole(
    corpus_path: str | Path | None = None,
    limit: int | None = None,
    *,
    n_process: int = 2,
    batch_size: int = DEFAULT_BATCH_SIZE,
    model: str = nlp.DEFAULT_MODEL,
    rounds: int = 2,
    run_args: tuple[str, ...] = (),
    run_pythonpath: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Whole processes, as a user runs them, on the same JSON Lines file of the first ``limit``
    articles: ``newsevents run FILE --db NEW -q`` with default options (start-up, reading, every
    stage, the store, fusion) against bare spaCy in a fresh interpreter (start-up, model load,
    ``nlp.pipe(texts, n_process=n_process)``). Rounds alternate the order (ab, ba, ...); each
    side keeps its fastest run. ``whole_ratio`` = bare seconds / newsevents seconds.
    ``run_pythonpath``: run the ``newsevents`` found there instead (another checkout's ``src``,
    e.g. to measure a "before" row in the same conditions)."""
    import subprocess
    import sys as _sys

    say = progress or (lambda msg: None)
    limit = limit or None
    corpus = Path(corpus_path) if corpus_path else default_corpus()
    out: dict[str, Any] = {"whole_rounds": max(1, rounds), "whole_run_args": " ".join(run_args) or "(defaults)"}
    if run_pythonpath:
        out["whole_run_pythonpath"] = run_pythonpath
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "articles.jsonl"
        n = 0
        with open(corpus, encoding="utf-8") as src, open(data, "w", encoding="utf-8") as dst:
            for line in src:
                if limit is not None and n >= limit:
                    break
                if line.strip():
                    dst.write(line)
                    n += 1
        out["whole_articles"] = n
        sides = {
            "bare": lambda: [_sys.executable, "-c", _BARE_SCRIPT, str(data), model, str(n_process), str(batch_size)],
            "newsevents": lambda: [_sys.executable, "-c", "from newsevents.cli import main; main()", "run", str(data), "--db",
                                   str(Path(tmp) / f"run-{time.monotonic_ns()}.duckdb"), "-q", *run_args],
        }
        best: dict[str, dict[str, Any]] = {}
        for r in range(max(1, rounds)):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))
            for name in order:
                say(f"whole process: {name} on {n} articles (round {r + 1})")
                load = os.getloadavg()[0]
                env = None
                if name == "newsevents" and run_pythonpath:
                    env = dict(os.environ, PYTHONPATH=run_pythonpath)
                got = _run_timed(sides[name](), env, "Coded " if name == "newsevents" else "")
                got["load_avg_1m"] = round(load, 2)
                if name not in best or got["seconds"] < best[name]["seconds"]:
                    best[name] = got
        summary = best["newsevents"].pop("stdout", "")
        best["bare"].pop("stdout", None)
        for name, got in best.items():
            out.update({f"whole_{name}_{k}": v for k, v in got.items()})
        out["whole_newsevents_summary"] = " ".join(summary.split())[:300]
    out["whole_ratio"] = round(out["whole_bare_seconds"] / out["whole_newsevents_seconds"], 3)
    return out


# --------------------------------------------------------------------------- report
def format_table(result: dict[str, Any]) -> str:
    """A readable report: the two phases side by side, then latency, store and memory lines."""
    lines = [f"corpus  {result['corpus']} ({result['subset']}, {result['words']:,} words)",
             f"config  model={result['model']} n_process={result['n_process']} "
             f"batch_size={result['batch_size']} cpus={result['cpu_count']} "
             f"rounds={result.get('rounds', 1)}", "",
             f"{'':<16}{'bare spaCy':>14}{'newsevents':>14}"]
    for key in ("articles_per_s", "words_per_s", "seconds", "peak_pss_mb", "peak_rss_mb",
                "max_processes"):
        a, b = result.get(f"spacy_{key}"), result.get(f"pipeline_{key}")
        lines.append(f"{key:<16}{_fmt(a):>14}{_fmt(b):>14}")
    lines.append(f"\nratio newsevents / bare spaCy: {result.get('pipeline_vs_spacy')}"
                 f"   (failures {result.get('pipeline_failures')}, events {result.get('pipeline_events')})")
    if result.get("pipeline_error"):
        lines.append(f"pipeline not measured: {result['pipeline_error']}")
    if "whole_ratio" in result:
        lines.append(f"\nwhole process (fresh processes, start-up included; best of "
                     f"{result['whole_rounds']} alternating rounds, {result['whole_articles']:,} articles):")
        lines.append(f"{'':<16}{'bare spaCy':>14}{'newsevents run':>16}")
        for key in ("seconds", "cpu_seconds", "peak_pss_mb", "max_processes", "load_avg_1m"):
            a, b = result.get(f"whole_bare_{key}"), result.get(f"whole_newsevents_{key}")
            lines.append(f"{key:<16}{_fmt(a):>14}{_fmt(b):>16}")
        lines.append(f"whole-process ratio bare seconds / newsevents seconds: {result['whole_ratio']}"
                     f"   (in-process ratio above: {result.get('pipeline_vs_spacy')})")
        lines.append(f"newsevents run printed: {result.get('whole_newsevents_summary', '')}")
    rest = [k for k in result if k.startswith(("latency_", "coding_", "stage_", "store_", "rusage_"))]
    for k in rest:
        lines.append(f"{k:<34}{_fmt(result[k]):>10}")
    return "\n".join(lines)


def _format_whole(result: dict[str, Any]) -> str:
    lines = [f"{'':<16}{'bare spaCy':>14}{'newsevents run':>16}"]
    for key in ("seconds", "cpu_seconds", "peak_pss_mb", "max_processes", "load_avg_1m"):
        a, b = result.get(f"whole_bare_{key}"), result.get(f"whole_newsevents_{key}")
        lines.append(f"{key:<16}{_fmt(a):>14}{_fmt(b):>16}")
    lines.append(f"whole-process ratio (bare seconds / newsevents seconds, {result['whole_articles']:,} "
                 f"articles, best of {result['whole_rounds']} alternating rounds; run args "
                 f"{result['whole_run_args']}): {result['whole_ratio']}")
    lines.append(f"newsevents run printed: {result.get('whole_newsevents_summary', '')}")
    return "\n".join(lines)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}" if v < 1000 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m newsevents.bench [CORPUS] [--limit N] [-j N] [--format table|json]``."""
    import argparse

    p = argparse.ArgumentParser(prog="newsevents-bench", description=main.__doc__)
    p.add_argument("corpus", nargs="?", default=None)
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="first N articles (0 = all)")
    p.add_argument("-j", "--processes", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    p.add_argument("--latency-sample", type=int, default=100)
    p.add_argument("--no-store", action="store_true")
    p.add_argument("--rounds", type=int, default=1, help="alternate a/b this many times; keep the best")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--no-whole", action="store_true", help="skip the whole-process comparison")
    p.add_argument("--whole-only", action="store_true", help="only the whole-process comparison")
    p.add_argument("--whole-rounds", type=int, default=2)
    p.add_argument("--run-arg", action="append", default=[],
                   help="extra argument for `newsevents run` in the whole-process phase (repeatable)")
    p.add_argument("--run-pythonpath", help="whole-process phase: run the newsevents package found "
                   "in this directory (another checkout's src/) instead of this one")
    args = p.parse_args(list(argv) if argv is not None else None)
    say = lambda m: print(m, file=sys.stderr)  # noqa: E731
    if args.whole_only:
        res = run_whole(args.corpus, args.limit or None, n_process=args.processes, batch_size=args.batch_size,
                        rounds=args.whole_rounds, run_args=tuple(args.run_arg),
                        run_pythonpath=args.run_pythonpath, progress=say)
        print(json.dumps(res) if args.format == "json" else _format_whole(res))
        return 0
    res = run_bench(args.corpus, limit=args.limit or None, n_process=args.processes,
                    batch_size=args.batch_size, latency_sample=args.latency_sample,
                    store=not args.no_store, rounds=args.rounds, progress=say,
                    whole=not args.no_whole, whole_rounds=args.whole_rounds)
    print(json.dumps(res) if args.format == "json" else format_table(res))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
