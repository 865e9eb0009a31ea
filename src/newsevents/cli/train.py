"""`newsevents train events`: rebuild the shipped event model from coded sentences."""
from __future__ import annotations

import json
from pathlib import Path

import click

from newsevents.cli.options import handle_errors


@click.group()
def train() -> None:
    """Train a learned component from coded data (see docs/model-card.md)."""


@train.command("events")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Directory for event_model.npz/.json (default: the package's own events/data).")
@click.option("--dev", "dev_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Score the new model on this events file and record the figures in its metadata.")
@click.option("--coder", "coders", multiple=True, default=("learned", "hybrid"), show_default=True,
              help="Coders whose --dev figures are recorded (repeatable).")
@handle_errors
def events(data: str, out_dir: str | None, dev_path: str | None, coders: tuple[str, ...]) -> None:
    """Train the event detector and typer on DATA (events JSON Lines with expected_events,
    e.g. wikinews-events/train.jsonl) and write it where the `learned` and `hybrid` coders
    read it. The same data gives the same model."""
    from newsevents.events import model as M
    from newsevents.events.training import train as train_model

    def log(msg: str) -> None:
        click.echo(msg, err=True)

    m = train_model(data, log=log)
    target = Path(out_dir) if out_dir else M.DEFAULT_DIR
    npz, meta_path = m.save(target)
    M.clear_cache()
    if dev_path:
        from newsevents.evaluate import events as ev

        m.meta["dev"] = {"path": Path(dev_path).name, "sha256": _sha(dev_path), "scores": {}}
        for name in coders:
            with M.use(target):
                scores = ev.evaluate(dev_path, coder=name)
            m.meta["dev"]["scores"][name] = {k: round(v, 4) if isinstance(v, float) else v
                                             for k, v in scores.items() if not isinstance(v, (dict, list))}
            log(f"{name} on {Path(dev_path).name}: " + json.dumps(m.meta["dev"]["scores"][name]))
        m.save(target)
    click.echo(f"wrote {npz} and {meta_path}")


def _sha(path: str) -> str:
    from newsevents.evaluate.gate import sha256_file

    return sha256_file(path)
