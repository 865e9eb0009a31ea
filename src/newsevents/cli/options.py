"""Options, checked values, output helpers and error handling shared by every command.

Every option value is checked when it is parsed: a bad one stops the command with exit code 2
and one line naming the option and the form it accepts (``newsevents: error: Invalid value for
'--since': '2024-13' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD ...``). The checks live in
``newsevents.store.checks`` so the Python API gives the same answers; the callbacks here only
turn their ``UsageError`` into click's ``BadParameter``.
"""
from __future__ import annotations

import functools
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from newsevents.errors import NewsEventsError, StoreError, UsageError, printable
from newsevents.store.filters import FilterError
from newsevents.store import DEFAULT_DB
from newsevents.store import checks as F

FORMATS = ("table", "json", "csv")

#: Exit code for an interrupted command (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


# ---------------------------------------------------------------------------- one-line errors
class OneLineGroup(click.Group):
    """A group whose usage errors are one line (``newsevents: error: ...``, exit 2), whose
    ClickExceptions keep their exit code, and where Ctrl-C exits 130, not 1."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            say_error(exc.format_message())
            sys.exit(2)
        except click.ClickException as exc:
            say_error(exc.format_message())
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            say_error("interrupted")
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(rv if isinstance(rv, int) else 0)


def say_error(message: str) -> None:
    """One line on stderr, control characters escaped."""
    click.echo(f"newsevents: error: {printable(' '.join(str(message).split()))}", err=True)


def handle_errors(f: Callable) -> Callable:
    """Turn our exceptions into one line on stderr and the exception's exit code (docs/cli.md)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from exc
        except FilterError as exc:  # a bad option value is a usage error
            raise click.UsageError(f"--{exc.name.replace('_', '-')}: {exc.value!r} is not {exc.accepted}") from exc
        except NewsEventsError as exc:
            say_error(str(exc))
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            say_error("interrupted")
            sys.exit(EXIT_INTERRUPTED)

    return wrapper


# ---------------------------------------------------------------------------- checked values
def checked(fn: Callable[[Any, str], Any]) -> Callable:
    """A click callback that checks a value with ``fn(value, option)`` from store.checks."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None:
            return None
        try:
            return fn(value, param.opts[0] if param.opts else str(param.name))
        except UsageError as exc:
            raise click.BadParameter(str(exc).split(": ", 1)[-1], ctx=ctx, param=param) from None

    return callback


def check_published(value: str, option: str) -> str:
    """A publication date for ``run --published``: a day ("2024-12-09", "9 December 2024")."""
    from newsevents.ingest.dates import parse_published

    if parse_published(value) is None:
        raise UsageError(option, f"{value!r} is not a publication date: use YYYY-MM-DD, an ISO 8601 time "
                         "or a date such as '9 December 2024'")
    return value


def check_scheduler(value: str, option: str) -> str:
    """A Dask scheduler address (tcp://host:8786) or 'local' (``pipeline.parallel.check_scheduler``)."""
    from newsevents.pipeline.parallel import check_scheduler as check

    try:
        return check(value)
    except UsageError as exc:
        raise UsageError(option, str(exc).split(": ", 1)[-1]) from None


def check_coder(value: str, option: str) -> str:
    """An event coder registered in ``newsevents.registry.event_coders`` (hybrid, learned, rules, ...)."""
    from newsevents.registry import event_coders

    if value not in event_coders:
        raise UsageError(option, f"unknown event coder {value!r}; choose one of: {', '.join(event_coders.names())}")
    return value


def check_text(value: str, option: str) -> str:
    if not str(value).strip():
        raise UsageError(option, "empty value: give some text")
    return str(value).strip()


def date_option(name: str, help: str) -> Callable:
    return click.option(name, callback=checked(F.normalize_date),
                        help=f"{help} ({F.DATE_FORMS}).")


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
    return click.option("--limit", type=int, default=None, callback=checked(F.row_limit),
                        help="Show at most N rows (0 = no limit).")(f)


def open_store(db: str, *, must_exist: bool = True):
    from newsevents.store import Store

    if must_exist and not Path(db).exists():
        raise StoreError(f"{db}: no such store; create it with `newsevents run PATH --db {db}`")
    return Store(db, read_only=must_exist)


# ---------------------------------------------------------------------------- output
def emit(rows: list[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> None:
    """Print rows as a table that fits the terminal, a JSON array or CSV (a header even when
    there are no rows, when ``columns`` are given). Control characters are escaped in all three."""
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2, default=str)
        click.echo(_escape_c1(text))
        return
    columns = list(columns or (rows[0].keys() if rows else []))
    flat = [{c: _cell(r.get(c)) for c in columns} for r in rows]
    if fmt == "csv":
        import csv

        if not columns:
            return
        w = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(flat)
        return
    click.echo(render_table(flat, columns))


def _escape_c1(text: str) -> str:
    # json.dumps escapes C0 controls itself; C1 (U+0080-U+009F, e.g. U+009B, a one-character
    # CSI) and the bidi overrides pass through with ensure_ascii=False.
    if text.isascii():
        return text
    return re.sub("[\u0080-\u009f\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:.0f}"
    if isinstance(v, (list, tuple)):
        return "; ".join(_cell(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}={_cell(x)}" for k, x in v.items() if x is not None)
    return printable(" ".join(str(v).split()) if "\n" in str(v) else str(v))


def terminal_width() -> int:
    """Columns of the terminal (``$COLUMNS`` when set)."""
    return shutil.get_terminal_size((100, 24)).columns


def render_table(rows: list[dict[str, str]], columns: Sequence[str], max_width: int | None = None) -> str:
    """An aligned table. On a terminal (or with ``max_width``) it fits the width (``events`` was
    200+ characters wide, ``articles`` ~400): short columns (dates, codes, numbers) keep up to 16
    characters and are cut with an ellipsis, long ones (evidence, titles) share the rest and wrap
    inside their column. Output that is not a terminal keeps every cell whole, one row per line,
    for pipes and files."""
    if not rows:
        return "(none)"
    width = max_width or (terminal_width() if sys.stdout.isatty() else None)
    natural = {c: max(len(c), *(len(r[c]) for r in rows)) for c in columns}
    gaps = 2 * (len(columns) - 1)
    if width is None or sum(natural.values()) + gaps <= width:
        return _plain_table(rows, columns)
    import textwrap

    widths = {c: min(natural[c], max(len(c), 16)) for c in columns}
    long_cols = [c for c in columns if natural[c] > widths[c] or natural[c] > 40]
    fixed = sum(widths[c] for c in columns if c not in long_cols)
    room = width - gaps - fixed
    # water-filling: the narrowest long columns take what they need up to a fair share, the
    # widest (evidence) gets the rest; never under 8 characters (then the table overflows)
    by_need = sorted(long_cols, key=lambda c: natural[c])
    for i, c in enumerate(by_need):
        fair = room // (len(by_need) - i)
        widths[c] = max(8, min(natural[c], fair))
        room -= widths[c]

    def cut(text: str, w: int) -> str:
        return text if len(text) <= w else text[: w - 1] + "…"

    lines = ["  ".join(cut(c, widths[c]).ljust(widths[c]) for c in columns).rstrip(),
             "  ".join("-" * widths[c] for c in columns)]
    for r in rows:
        cells = {c: (textwrap.wrap(r[c], widths[c], break_long_words=True) or [""]) if c in long_cols
                 else [cut(r[c], widths[c])] for c in columns}
        for k in range(max(len(v) for v in cells.values())):
            lines.append("  ".join((cells[c][k] if k < len(cells[c]) else "").ljust(widths[c])
                                   for c in columns).rstrip())
    return "\n".join(lines)


def _plain_table(rows: list[dict[str, str]], columns: Sequence[str]) -> str:
    widths = {c: max(len(c), *(len(r[c]) for r in rows)) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in columns))
    for r in rows:
        lines.append("  ".join(r[c].ljust(widths[c]) for c in columns).rstrip())
    return "\n".join(lines)


def actors_cell(actors: list[dict[str, Any]]) -> str:
    return "; ".join(f"{a.get('name')}" + (f" [{a['code']}]" if a.get("code") else "") for a in actors)
