"""`newsevents eval`, `gate` and `bench`: accuracy against gold data, floors, throughput."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from newsevents.cli.options import check_coder, checked, emit, handle_errors
from newsevents.errors import EvalError, UsageError
from newsevents.evaluate import TASKS


@click.command("eval")
@click.argument("task", type=click.Choice(list(TASKS)))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Score only the first N documents (0 = all).")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), help="Write every miss to this JSONL file.")
@click.option("--half", type=click.Choice(["a", "b"]), default=None,
              help="geo: score one fixed half of the articles (by a hash of the id); the ranker is fitted on half a of LGL.")
@click.option("--adjectival", is_flag=True,
              help="geo: count demonyms (\"Sudanese\") as toponyms, as LGL's annotation guidelines do.")
@click.option("--coder", default=None, callback=checked(check_coder),
              help="events: the event coder to score (hybrid, learned, rules, ...; default hybrid).")
@handle_errors
def eval_cmd(task: str, path: str, fmt: str, limit: int | None, errors_path: str | None, half: str | None,
             adjectival: bool, coder: str | None) -> None:
    """Score a stage against gold data (formats: docs/evaluation.md)."""
    from newsevents.evaluate import run as run_eval

    if coder is not None:
        from newsevents.registry import event_coders

        event_coders.get(coder)  # an unknown name fails here, naming the choices
    metrics = run_eval(task, path, limit=limit, errors_path=errors_path, half=half, adjectival=adjectival,
                       coder=coder)
    if fmt == "json":
        click.echo(json.dumps(metrics, ensure_ascii=False))
    else:
        table = metrics.pop("per_type", None)
        emit([{"metric": k, "value": v} for k, v in metrics.items()], "table")
        if table:
            click.echo("")
            emit([{"type": t, **row} for t, row in table.items()], "table")


@click.command()
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="Baseline file (default: eval_baseline.json at the repository root).")
@click.option("--data", "data_root", type=click.Path(file_okay=False), default=None,
              help="Root of the development data (default: $NEWSEVENTS_DATA or ../shared/data).")
@click.option("--task", "tasks", multiple=True, type=click.Choice(list(TASKS) + ["events-wikinews"]),
              help="Gate only these entries (repeatable; events-wikinews: events on wikinews-events dev).")
@click.option("--update", is_flag=True, help="Raise floors to the current scores.")
@click.option("--allow-lower", is_flag=True, help="With --update: allow a floor to go down (needs --reason).")
@click.option("--reason", help="Why a floor is lowered (recorded in the baseline).")
@handle_errors
def gate(baseline: str | None, data_root: str | None, tasks: tuple[str, ...], update: bool,
         allow_lower: bool, reason: str | None) -> None:
    """Check the development-set scores against the floors in the baseline (or raise them)."""
    from newsevents.evaluate import gate as g

    if allow_lower and not update:
        raise UsageError("--allow-lower", "only with --update (it lets --update lower a floor)")
    if allow_lower and not (reason and reason.strip()):
        raise UsageError("--allow-lower", "needs --reason TEXT saying why the floor may go down")
    baseline = baseline or str(g.default_baseline_path())
    if not update and not Path(baseline).is_file():
        # nothing to check against must not pass: a CI job with a mistyped path would go green
        raise EvalError(f"{baseline}: no such baseline file; pass --baseline FILE (or create one with --update)")
    root = data_root or g.default_data_root()
    if root is None:
        raise EvalError("no development data found: set NEWSEVENTS_DATA or pass --data")
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


@click.command()
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--limit", type=click.IntRange(min=0), default=1000, show_default=True, help="First N articles (0 = all).")
@click.option("-j", "--processes", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--whole/--no-whole", default=True, show_default=True,
              help="Also time whole processes: `newsevents run` vs a bare spaCy script.")
@click.option("--whole-rounds", type=click.IntRange(min=1), default=2, show_default=True,
              help="Alternating rounds of the whole-process comparison (best of each side).")
@handle_errors
def bench(corpus: str | None, limit: int, processes: int, fmt: str, whole: bool, whole_rounds: int) -> None:
    """Throughput of the full pipeline vs bare spaCy on the same texts, in one run."""
    from newsevents.evaluate.bench import format_table, run_bench

    result = run_bench(corpus, limit=limit or None, n_process=processes, whole=whole,
                       whole_rounds=whole_rounds)
    click.echo(json.dumps(result, default=str) if fmt == "json" else format_table(result))
