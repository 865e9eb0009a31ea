"""`newsevents eval`: score each stage against gold data in the formats of shared/data/FORMATS.md.

Each task is one module ``newsevents.evaluate.<task>`` exposing::

    evaluate(path, *, limit: int | None = None, errors: list[dict] | None = None) -> dict

which runs the pipeline end to end on the gold texts and returns one flat dict of metrics (the
FORMATS.md names, fractions 0-1 or kilometres, plus ``n``). Misses are appended to ``errors`` (gold
vs predicted, with the text) when a list is given.
"""
from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from newsevents.errors import EvalError

__all__ = ["TASKS", "run"]

TASKS = ("events", "geo", "dates", "quotes", "linking")


def run(
    task: str, path: str | Path, *, limit: int | None = None, errors_path: str | Path | None = None
) -> dict[str, Any]:
    """Score ``task`` on the gold file ``path``; write every miss to ``errors_path`` (JSONL)."""
    if task not in TASKS:
        raise EvalError(f"unknown eval task {task!r}: choose one of {', '.join(TASKS)}")
    path = Path(path)
    if not path.is_file():
        raise EvalError(f"{path}: gold file not found")
    module = importlib.import_module(f"{__name__}.{task}")
    errors: list[dict[str, Any]] | None = [] if errors_path else None
    metrics = module.evaluate(path, limit=limit, errors=errors)
    if errors_path and errors is not None:
        with open(errors_path, "w", encoding="utf-8") as fh:
            for row in errors:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return metrics
