"""`newsevents run`: ingest and code inputs into the store."""
from __future__ import annotations

import sys
from typing import Any

import click

from newsevents.cli.options import (
    EXIT_INTERRUPTED, check_coder, check_published, check_scheduler, check_text, checked, db_option, handle_errors,
    say_error,
)
from newsevents.errors import printable


@click.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("-j", "--processes", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0 = one per core this process may use).")
@click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True, help="Articles per batch.")
@click.option("--force", is_flag=True, help="Re-code articles already in the store.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no per-article listing.")
@click.option("--no-fuse", is_flag=True, help="Skip linking events across reports after the run.")
@click.option("--scheduler", callback=checked(check_scheduler),
              help="Code on a Dask cluster: tcp://host:8786, or 'local[:N]' for N local "
              "worker processes (needs newsevents[dask]). Workers write Parquet parts, loaded at the end.")
@click.option("--parts", "parts_dir", type=click.Path(file_okay=False),
              help="With --scheduler: directory for the workers' Parquet parts (shared by all "
                   "machines; default DB.parts). Load them again with `newsevents load`.")
@click.option("--published", callback=checked(check_published),
              help="Publication date for documents that state none (plain text, stdin): YYYY-MM-DD.")
@click.option("--source", callback=checked(check_text),
              help="Outlet name for documents that state none (plain text, stdin).")
@click.option("--coder", default=None, callback=checked(check_coder),
              help="Event coder by name: hybrid (default), learned, rules, or a registered plugin.")
@handle_errors
def run(paths: tuple[str, ...], db: str, processes: int, batch_size: int, force: bool,
        quiet: bool, no_fuse: bool, scheduler: str | None, parts_dir: str | None,
        published: str | None, source: str | None, coder: str | None) -> None:
    """Ingest and code PATHS (files, directories, '-' for stdin) into the store.

    Reads plain text, HTML, JSON Lines, JSON, CSV/TSV, RSS/Atom feeds and WARC files.
    """
    from newsevents.cli.report import render_summary
    from newsevents.pipeline import PipelineConfig
    from newsevents.pipeline.runner import run_paths

    config = PipelineConfig(coder=coder).check() if coder else None

    with _Progress(enabled=not quiet and sys.stderr.isatty()) as bar:
        try:
            summary = run_paths(
                list(paths), db=db, n_process=processes, batch_size=batch_size, force=force,
                progress=bar.update, fuse=not no_fuse, scheduler=scheduler, parts_dir=parts_dir,
                published=published, config=config,
                source=source, on_failure=bar.failure, notify=bar.note,
            )
        except KeyboardInterrupt:
            bar.stop()
            say_error(f"interrupted; what was coded is stored in {db}: run the same command again to resume")
            sys.exit(EXIT_INTERRUPTED)
    click.echo(render_summary(summary, details=not quiet))
    if summary.coded == 0 and summary.skipped == 0 and summary.failed:
        sys.exit(3)
    sys.exit(1 if summary.failed else 0)


class _Progress:
    """A progress bar on stderr (documents done of the estimated total, rate, time left) when
    stderr is a terminal; failure lines and notes go above it. Without a terminal, only the
    failure lines and notes are printed, one per line."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> "_Progress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                TextColumn("failed {task.fields[failed]}"), TimeElapsedColumn(), TextColumn("left"),
                TimeRemainingColumn(), console=Console(stderr=True, highlight=False), transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("coding", total=None, rate="", failed=0)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def update(self, summary: Any) -> None:
        if self._progress is None:
            return
        task = self._progress.tasks[0]
        rate = summary.done / task.elapsed if task.elapsed else 0.0
        self._progress.update(self._task, completed=summary.done, total=summary.total,
                              rate=f"{rate:,.1f} docs/s", failed=summary.failed)

    def _say(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line, err=True)

    def failure(self, f: Any) -> None:
        self._say(f"newsevents: skipped {printable(f.message)}")

    def note(self, message: str) -> None:
        self._say(f"newsevents: {printable(message)}")
