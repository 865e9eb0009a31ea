"""Options, output helpers and error handling shared by every command."""
from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from newsevents.errors import NewsEventsError
from newsevents.store.filters import FilterError
from newsevents.store import DEFAULT_DB

FORMATS = ("table", "json", "csv")




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
        except FilterError as exc:  # a bad option value is a usage error
            click.echo(f"newsevents: error: --{exc.name.replace('_', '-')}: {exc.value!r} is not {exc.accepted}",
                       err=True)
            sys.exit(2)
        except NewsEventsError as exc:
            click.echo(f"newsevents: error: {exc}", err=True)
            sys.exit(exc.exit_code if exc.exit_code != 2 else 3)

    return wrapper


def open_store(db: str, *, must_exist: bool = True):
    from newsevents.store import Store

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
