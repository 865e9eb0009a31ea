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
from typing import Any, Iterator

from newsevents.errors import EvalError, UsageError

__all__ = ["TASKS", "read_jsonl", "run"]

TASKS = ("events", "geo", "dates", "quotes", "linking")


def run(
    task: str, path: str | Path, *, limit: int | None = None, errors_path: str | Path | None = None,
    half: str | None = None, adjectival: bool = False, coder: str | None = None,
) -> dict[str, Any]:
    """Score ``task`` on the gold file ``path``; write every miss to ``errors_path`` (JSONL).

    ``half`` ("a"/"b", geo only) scores one fixed half of the articles: the geo ranker is fitted
    on half "a" of LGL, so half "b" is the held-out measurement. ``coder`` names the event coder
    (events only; default: the package default)."""
    if task not in TASKS:
        raise EvalError(f"unknown eval task {task!r}: choose one of {', '.join(TASKS)}")
    path = Path(path)
    if not path.is_file():
        raise EvalError(f"{path}: gold file not found")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise UsageError("--limit", f"{limit!r}: use a whole number >= 0 (0 = all)")
    _check_jsonl(path)
    module = importlib.import_module(f"{__name__}.{task}")
    errors: list[dict[str, Any]] | None = [] if errors_path else None
    if (half is not None or adjectival) and task != "geo":
        raise EvalError(f"--half and --adjectival apply to the geo task only, not {task!r}")
    if coder is not None and task != "events":
        raise EvalError(f"--coder applies to the events task, not {task!r}")
    extra: dict[str, Any] = {"which": half} if half is not None else {}
    if adjectival:
        extra["adjectival"] = True
    if coder is not None:
        extra["coder"] = coder
    try:
        metrics = module.evaluate(path, limit=limit or None, errors=errors, **extra)
    except (EvalError, UsageError):
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # a record without the fields this task scores: a file of another task or format
        raise EvalError(f"{path}: not a {task} gold file ({type(exc).__name__}: {' '.join(str(exc).split())[:120]}); "
                        "the formats are in docs/evaluation.md") from None
    if not metrics.get("n"):
        raise EvalError(f"{path}: no {task} gold records found (n = 0): a file of another task or format? "
                        "See docs/evaluation.md")
    if errors_path and errors is not None:
        with open(errors_path, "w", encoding="utf-8") as fh:
            for row in errors:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return metrics


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file, one per line.

    Lines end at ``\\n`` only: ``str.splitlines()`` (and text mode's universal newlines) also
    break at U+0085, U+2028 and a bare ``\\r``, which may stand unescaped inside JSON strings
    (LGL holds one). A line that is not a JSON object is an ``EvalError`` naming ``path:line``.
    """
    with open(path, encoding="utf-8", newline="\n") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalError(f"{path}:{lineno}: not JSON Lines ({exc.msg}, column {exc.colno}); "
                                "gold files are one JSON object per line (docs/evaluation.md)") from None
            if not isinstance(rec, dict):
                raise EvalError(f"{path}:{lineno}: a JSON {type(rec).__name__}, not an object; "
                                "gold files are one JSON object per line (docs/evaluation.md)")
            yield rec


def _check_jsonl(path: Path) -> None:
    """Fail early, in one line, on a file that is not JSON Lines (a CSV, a JSON array, binary)."""
    try:
        first = next(read_jsonl(path), None)
    except UnicodeDecodeError:
        raise EvalError(f"{path}: not UTF-8 text; gold files are JSON Lines (docs/evaluation.md)") from None
    if first is None:
        raise EvalError(f"{path}: no records (empty file)")
