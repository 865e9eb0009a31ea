"""The `newsevents` command: a thin layer over the library (every command calls a typed function).

Exit codes: 0 all good; 1 some documents failed (the rest were coded and stored); 2 bad usage;
3 nothing could be processed or a store / config error; 5 an evaluation gate failed.
"""
from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from . import __version__
from .errors import NewsEventsError
from .store import DEFAULT_DB

FORMATS = ("table", "json", "csv")


# ---------------------------------------------------------------------------- shared options
def db_option(f: Callable) -> Callable:
    return click.option(
        "--db", "db", default=DEFAULT_DB, show_default=True, envvar="NEWSEVENTS_DB",
        type=click.Path(dir_okay=False), help="DuckDB file to write / read (env NEWSEVENTS_DB).",
    )(f)


def format_option(f: Callable) -> Callable:
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="Output format.",
    )(f)


def limit_option(f: Callable) -> Callable:
    return click.option("--limit", type=int, default=None, help="Show at most N rows.")(f)


def handle_errors(f: Callable) -> Callable:
    """Turn our exceptions into one line on stderr and the exception's exit code."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except NewsEventsError as exc:
            click.echo(f"newsevents: error: {exc}", err=True)
            sys.exit(exc.exit_code if exc.exit_code != 2 else 3)

    return wrapper


def open_store(db: str, *, must_exist: bool = True):
    from .store import Store

    if must_exist and not Path(db).exists():
        raise click.ClickException(f"{db}: no such store; create it with `newsevents run PATH --db {db}`")
    return Store(db, read_only=must_exist)


# ---------------------------------------------------------------------------- output
def emit(rows: list[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> None:
    """Print rows as an aligned table, a JSON array or CSV."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    columns = list(columns or (rows[0].keys() if rows else []))
    flat = [{c: _cell(r.get(c)) for c in columns} for r in rows]
    if fmt == "csv":
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(flat)
        return
    click.echo(render_table(flat, columns))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:.0f}"
    if isinstance(v, (list, tuple)):
        return "; ".join(_cell(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}={_cell(x)}" for k, x in v.items() if x is not None)
    return str(v).replace("\n", " ")


def render_table(rows: list[dict[str, str]], columns: Sequence[str], max_width: int = 60) -> str:
    if not rows:
        return "(none)"
    widths = {c: min(max_width, max(len(c), *(len(r[c]) for r in rows))) for c in columns}

    def fit(s: str, w: int) -> str:
        return s if len(s) <= w else s[: w - 1] + "…"

    lines = ["  ".join(c.ljust(widths[c]) for c in columns).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in columns))
    for r in rows:
        lines.append("  ".join(fit(r[c], widths[c]).ljust(widths[c]) for c in columns).rstrip())
    return "\n".join(lines)


def actors_cell(actors: list[dict[str, Any]]) -> str:
    return "; ".join(f"{a.get('name')}" + (f" [{a['code']}]" if a.get("code") else "") for a in actors)


# ---------------------------------------------------------------------------- the group
@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsevents")
def cli() -> None:
    """Turn news reports into coded political events (CAMEO/PLOVER) with actors, dates,
    places and quotes, stored in an embedded DuckDB file."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("-j", "--processes", type=int, default=1, show_default=True,
              help="Worker processes (use 2 on a 2-core machine; 0 = all cores).")
@click.option("--batch-size", type=int, default=16, show_default=True, help="Articles per batch.")
@click.option("--force", is_flag=True, help="Re-code articles already in the store.")
@click.option("--quiet", "-q", is_flag=True, help="No progress line and no per-article listing.")
@click.option("--no-fuse", is_flag=True, help="Skip linking events across reports after the run.")
@click.option("--scheduler", help="Code on a Dask cluster: tcp://host:8786, or 'local' (needs newsevents[dask]).")
@handle_errors
def run(paths: tuple[str, ...], db: str, processes: int, batch_size: int, force: bool,
        quiet: bool, no_fuse: bool, scheduler: str | None) -> None:
    """Ingest and code PATHS (files, directories, '-' for stdin) into the store.

    Reads plain text, HTML, JSON Lines, JSON, CSV/TSV, RSS/Atom feeds and WARC files.
    """
    from .runner import run_paths

    status = None if quiet or not sys.stderr.isatty() else _status_line
    summary = run_paths(
        list(paths), db=db, n_process=processes, batch_size=batch_size, force=force,
        progress=status, fuse=not no_fuse, scheduler=scheduler,
        on_failure=lambda f: click.echo(f"newsevents: skipped {f.message}", err=True),
    )
    if status:
        click.echo("", err=True)
    click.echo(summary.render(details=not quiet))
    if summary.coded == 0 and summary.skipped == 0 and summary.failed:
        sys.exit(3)
    sys.exit(1 if summary.failed else 0)


def _status_line(done: int, failed: int, started: float) -> None:
    rate = done / max(time.monotonic() - started, 1e-9)
    click.echo(f"\r  coded {done:,} articles  {rate:,.1f}/s  failed {failed:,}", nl=False, err=True)


@cli.command()
@db_option
@format_option
@limit_option
@click.option("--actor", help="Source or target actor code prefix (SYR, RUSGOV) or actor id.")
@click.option("--root", help="CAMEO root or code prefix (19, 0874).")
@click.option("--plover", help="PLOVER type (ASSAULT, AID, ...).")
@click.option("--since", help="Event date on or after (YYYY[-MM[-DD]]).")
@click.option("--until", help="Event date on or before (YYYY[-MM[-DD]]).")
@click.option("--modality", type=click.Choice(["asserted", "reported", "negated", "hypothetical", "future"]))
@click.option("--article", help="Article id (prefix).")
@handle_errors
def events(db: str, fmt: str, limit: int | None, **filters: Any) -> None:
    """Show coded events."""
    with open_store(db) as store:
        rows = store.events(limit=limit, **filters)
    if fmt == "json":
        return emit(rows, fmt)
    flat = [
        dict(
            date=(r["date"] or {}).get("value"), source=actors_cell(r["source"]),
            cameo=r["cameo_code"], plover=r["plover_type"], target=actors_cell(r["target"]),
            place=(r["place"] or {}).get("name"), modality=r["modality"],
            conf=r["confidence"], trigger=r["trigger"]["text"], evidence=r["evidence"],
        )
        for r in rows
    ]
    emit(flat, fmt)


@cli.command()
@db_option
@format_option
@limit_option
@click.option("--code", help="Actor code prefix (SYR, RUSGOV, IGOUNO).")
@click.option("--name", help="Name or alias contains.")
@handle_errors
def actors(db: str, fmt: str, limit: int | None, code: str | None, name: str | None) -> None:
    """Show resolved actors with their roles over time."""
    with open_store(db) as store:
        rows = store.actors(code=code, name=name)[:limit]
    if fmt != "json":
        rows = [dict(id=r["id"], name=r["name"], kind=r["kind"], code=r["code"], country=r["country"],
                     sector=r["sector"], articles=r["n_articles"],
                     roles="; ".join(_role_text(x) for x in r["roles"])) for r in rows]
    emit(rows, fmt)


def _role_text(role: dict[str, Any]) -> str:
    span = f"{role.get('start') or '?'}..{role.get('end') or ''}"
    return f"{role.get('status', '')} {role.get('title')} {role.get('organisation') or ''} ({span})".strip()


@cli.command()
@db_option
@format_option
@limit_option
@click.option("--speaker", help="Speaker name (contains), code prefix or actor id.")
@click.option("--article", help="Article id (prefix).")
@handle_errors
def quotes(db: str, fmt: str, limit: int | None, speaker: str | None, article: str | None) -> None:
    """Show quotations with their speakers."""
    with open_store(db) as store:
        rows = store.quotes(speaker=speaker, article=article)[:limit]
    if fmt != "json":
        rows = [dict(speaker=(r["speaker"] or {}).get("name"), code=(r["speaker"] or {}).get("code"),
                     via=(r["via"] or {}).get("name"), cue=r["cue"], direct=r["direct"], text=r["text"])
                for r in rows]
    emit(rows, fmt)


@cli.command()
@db_option
@format_option
@limit_option
@click.option("--country", help="ISO3 country code.")
@handle_errors
def places(db: str, fmt: str, limit: int | None, country: str | None) -> None:
    """Show places mentioned, resolved to the gazetteer (unresolved ones last)."""
    with open_store(db) as store:
        rows = store.places(country=country)[:limit]
    emit(rows, fmt, ["name", "country", "admin1", "lat", "lon", "feature", "mentions", "articles", "gazetteer_id"]
         if fmt != "json" else None)


@cli.command()
@db_option
@format_option
@limit_option
@click.option("--theme", help="Only articles with this theme (ARMED_CONFLICT, PROTEST, ...; docs/themes.md).")
@click.option("--since", help="Published on or after (YYYY-MM-DD).")
@click.option("--until", help="Published on or before (YYYY-MM-DD).")
@handle_errors
def articles(db: str, fmt: str, limit: int | None, theme: str | None, since: str | None,
             until: str | None) -> None:
    """Show stored articles with themes, tone, counts and what was coded from each."""
    with open_store(db) as store:
        rows = store.articles(theme=theme, since=since, until=until)[:limit]
    if fmt != "json":
        rows = [dict(id=r["id"], published=r["published"], source=r["source"], title=r["title"],
                     events=r["events"], quotes=r["quotes"], tone=r["tone"],
                     themes=", ".join(r["themes"] or []),
                     counts="; ".join(f"{c['number']} {c['kind']}" for c in r["counts"] or []),
                     warnings="; ".join(r["warnings"] or []))
                for r in rows]
    emit(rows, fmt)


@cli.command()
@db_option
@format_option
@handle_errors
def failures(db: str, fmt: str) -> None:
    """Show documents that could not be coded, and why."""
    with open_store(db) as store:
        emit(store.failures(), fmt)


@cli.command()
@db_option
@format_option
@limit_option
@click.option("--contested", is_flag=True, help="Only clusters with conflicting reports.")
@handle_errors
def stories(db: str, fmt: str, limit: int | None, contested: bool) -> None:
    """Show events linked across reports, with corroboration and conflicts."""
    with open_store(db) as store:
        from .fuse import cluster_rows

        rows = cluster_rows(store, contested=contested)[:limit]
    if fmt != "json":
        rows = [dict(id=r["id"], event=r["label"], cameo=r["cameo_code"], articles=r["num_articles"],
                     sources=r["num_sources"], first=r["first_seen"], last=r["last_seen"],
                     conflicts="; ".join(f"{c['field']}: " + " vs ".join(f"{v['value']} ({', '.join(v['sources'])})" for v in c["values"]) for c in r["conflicts"]))
                for r in rows]
    emit(rows, fmt)


@cli.command()
@db_option
@click.option("--format", "fmt", required=True,
              type=click.Choice(["parquet", "jsonl", "csv", "gdelt-events", "gdelt-mentions", "gdelt-gkg"]),
              help="Export format.")
@click.option("--out", "out", required=True, type=click.Path(), help="Output directory (parquet/jsonl/csv) or file (gdelt-*).")
@handle_errors
def export(db: str, fmt: str, out: str) -> None:
    """Export the store: tables as Parquet / JSONL / CSV, or GDELT 2.0 TSVs."""
    from .export import export_store

    with open_store(db) as store:
        written = export_store(store, fmt, out)
    for path, n in written:
        click.echo(f"wrote {n:,} rows to {path}")


@cli.command("eval")
@click.argument("task", type=click.Choice(["events", "geo", "dates", "quotes"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=int, default=None, help="Score only the first N documents.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), help="Write every miss to this JSONL file.")
@handle_errors
def eval_cmd(task: str, path: str, fmt: str, limit: int | None, errors_path: str | None) -> None:
    """Score a stage against gold data (formats: docs/evaluation.md)."""
    from .evaluate import run as run_eval

    metrics = run_eval(task, path, limit=limit, errors_path=errors_path)
    if fmt == "json":
        click.echo(json.dumps(metrics, ensure_ascii=False))
    else:
        emit([{"metric": k, "value": v} for k, v in metrics.items()], "table")


@cli.command()
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="Baseline file (default: eval_baseline.json at the repository root).")
@click.option("--data", "data_root", type=click.Path(file_okay=False), default=None,
              help="Root of the development data (default: $NEWSEVENTS_DATA or ../shared/data).")
@click.option("--task", "tasks", multiple=True, type=click.Choice(["events", "geo", "dates", "quotes"]))
@click.option("--update", is_flag=True, help="Raise floors to the current scores.")
@click.option("--allow-lower", is_flag=True, help="With --update: allow a floor to go down (needs --reason).")
@click.option("--reason", help="Why a floor is lowered (recorded in the baseline).")
@handle_errors
def gate(baseline: str | None, data_root: str | None, tasks: tuple[str, ...], update: bool,
         allow_lower: bool, reason: str | None) -> None:
    """Check the development-set scores against the floors in the baseline (or raise them)."""
    from .evaluate import gate as g

    baseline = baseline or str(g.default_baseline_path())
    root = data_root or g.default_data_root()
    if root is None:
        raise click.ClickException("no development data found: set NEWSEVENTS_DATA or pass --data")
    if update:
        g.raise_floors(baseline, root, tasks=list(tasks) or None, allow_lower=allow_lower, reason=reason)
        click.echo(f"floors updated in {baseline}")
        return
    results = g.check(baseline, root, tasks=list(tasks) or None)
    failed = False
    for r in results:
        click.echo(str(r))
        failed |= not r.ok
    sys.exit(5 if failed else 0)


@cli.command()
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--limit", type=int, default=1000, show_default=True, help="First N articles (0 = all).")
@click.option("-j", "--processes", type=int, default=2, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def bench(corpus: str | None, limit: int, processes: int, fmt: str) -> None:
    """Throughput of the full pipeline vs bare spaCy on the same texts, in one run."""
    from .bench import format_table, run_bench

    result = run_bench(corpus, limit=limit or None, n_process=processes)
    click.echo(json.dumps(result, default=str) if fmt == "json" else format_table(result))


def main(argv: Sequence[str] | None = None) -> None:
    cli.main(args=argv, prog_name="newsevents")


if __name__ == "__main__":  # pragma: no cover
    main()
