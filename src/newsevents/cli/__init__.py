"""The `newsevents` command: a thin layer over the library (every command calls a typed function).

Exit codes (docs/cli.md): 0 all good; 1 some documents failed (the rest were coded and stored);
2 bad usage (one line naming the option); 3 nothing could be done (no store, no usable input, a
store / config / data error); 5 an evaluation gate failed; 130 interrupted (Ctrl-C).
"""
from __future__ import annotations

from typing import Sequence

import click

from newsevents import __version__
from newsevents.cli import evaluate, export, load, query, run, serve, stories, summary, train
from newsevents.cli.options import OneLineGroup


@click.group(cls=OneLineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsevents")
def cli() -> None:
    """Turn news reports into coded political events (CAMEO/PLOVER) with actors, dates,
    places and quotes, stored in an embedded DuckDB file."""


cli.add_command(run.run)
cli.add_command(query.events)
cli.add_command(query.actors)
cli.add_command(query.quotes)
cli.add_command(query.places)
cli.add_command(query.articles)
cli.add_command(query.failures)
cli.add_command(stories.stories)
cli.add_command(summary.summary)
cli.add_command(export.export)
cli.add_command(load.load)
cli.add_command(evaluate.eval_cmd, "eval")
cli.add_command(evaluate.gate)
cli.add_command(evaluate.bench)
cli.add_command(serve.serve)
cli.add_command(train.train)


def main(argv: Sequence[str] | None = None) -> None:
    cli.main(args=argv, prog_name="newsevents")


if __name__ == "__main__":  # pragma: no cover
    main()
