"""`newsevents run`: ingest and code inputs into the store."""
from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from newsevents.cli.options import (
    FORMATS, actors_cell, db_option, emit, format_option, handle_errors, limit_option, open_store,
)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("-j", "--processes", type=int, default=1, show_default=True,
              help="Worker processes (use 2 on a 2-core machine; 0 = all cores).")
@click.option("--batch-size", type=int, default=16, show_default=True, help="Articles per batch.")
@click.option("--force", is_flag=True, help="Re-code articles already in the store.")
@click.option("--quiet", "-q", is_flag=True, help="No progress line and no per-article listing.")
@click.option("--no-fuse", is_flag=True, help="Skip linking events across reports after the run.")
@click.option("--scheduler", help="Code on a Dask cluster: tcp://host:8786, or 'local' (needs newsevents[dask]).")
@click.option("--coder", default=None,
              help="Event coder by name: hybrid (default), learned, rules, or a registered plugin.")
@handle_errors
def run(paths: tuple[str, ...], db: str, processes: int, batch_size: int, force: bool,
        quiet: bool, no_fuse: bool, scheduler: str | None, coder: str | None) -> None:
    """Ingest and code PATHS (files, directories, '-' for stdin) into the store.

    Reads plain text, HTML, JSON Lines, JSON, CSV/TSV, RSS/Atom feeds and WARC files.
    """
    from newsevents.cli.report import render_summary
    from newsevents.pipeline import PipelineConfig
    from newsevents.pipeline.runner import run_paths

    config = PipelineConfig(coder=coder).check() if coder else None

    status = None if quiet or not sys.stderr.isatty() else _status_line
    summary = run_paths(
        list(paths), db=db, n_process=processes, batch_size=batch_size, force=force,
        progress=status, fuse=not no_fuse, scheduler=scheduler, config=config,
        on_failure=lambda f: click.echo(f"newsevents: skipped {f.message}", err=True),
    )
    if status:
        click.echo("", err=True)
    click.echo(render_summary(summary, details=not quiet))
    if summary.coded == 0 and summary.skipped == 0 and summary.failed:
        sys.exit(3)
    sys.exit(1 if summary.failed else 0)


def _status_line(done: int, failed: int, started: float) -> None:
    rate = done / max(time.monotonic() - started, 1e-9)
    click.echo(f"\r  coded {done:,} articles  {rate:,.1f}/s  failed {failed:,}", nl=False, err=True)
