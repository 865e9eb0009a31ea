"""The eval gate: score floors on the development sets that may only rise.

``eval_baseline.json`` (repo root) pins, per task, the gold file (path relative to the shared data
root and its SHA-256) and a floor per metric with its direction and tolerance. ``check`` re-runs
``newsevents.evaluate.run`` on each gold file and fails a task when a metric falls below its floor
by more than the tolerance, or when the gold file is not the one the floors were set on.
``raise_floors`` moves floors up after an improvement; moving one down needs ``allow_lower=True``
and a reason, which is kept in the file's history.

The pattern follows trafilatura's ``tests/eval_gate.py`` (floors plus a pinned corpus), with the
floors in a data file so that raising them is a reviewed one-line diff, not a code edit.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import os
import shlex
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from newsevents.errors import EvalError
from newsevents.evaluate import TASKS, run

__all__ = [
    "DEFAULT_TASK_FILES",
    "REQUIRED_METRICS",
    "GateResult",
    "MetricCheck",
    "check",
    "compare",
    "default_baseline_path",
    "default_data_root",
    "format_results",
    "metric_direction",
    "metric_epsilon",
    "raise_floors",
    "sha256_file",
]

#: The development set each gated entry is scored on, relative to the shared data root. An entry is
#: a scorer (``newsevents.evaluate.TASKS``) on one gold file; a scorer may have several entries,
#: named ``<task>-<set>`` (the entry's ``task`` key, else the name before the first '-', names
#: the scorer).
DEFAULT_TASK_FILES = {
    "events": "plover-gsr/plover-gsr-dev.jsonl",
    "events-wikinews": "wikinews-events/dev.jsonl",
    "geo": "geovirus/geovirus-dev.jsonl",
    "dates": "meantime-en/meantime_en.jsonl",
    "quotes": "polnear/polnear_dev.jsonl",
    "linking": "wikinews-linking/dev.jsonl",
}

# Tolerances. 0.005 absolute for fractions: the scorers are deterministic on one machine, so the
# slack only has to absorb float differences between BLAS kernels / spaCy builds that flip a parse
# here and there; it is just under the weight of one document on the smallest set (1/179 = 0.0056
# on plover-gsr), so losing a whole document's worth of accuracy fails.  0.5 km for error
# distances: median/mean errors over ~1,250 GeoVirus toponyms move by tens of km when a single
# toponym flips to a wrong continent, and by well under 0.5 km from coordinate rounding alone.
EPSILON_FRACTION = 0.005
EPSILON_KM = 0.5

# Metric names the gate floors: the FORMATS.md names, and extra keys a scorer adds when their name
# says what they are (a rate or a distance), read word by word so that qualified names such as
# ``direct_content_f1_overlap`` or ``e2e_acc_at_161km`` are recognised. Counts (n, n_gold...) and
# timings are reported, never floored: they are not "better when higher".
_HIGHER_WORDS = frozenset({"accuracy", "acc", "f1", "precision", "recall", "match"})
_LOWER_WORDS = frozenset({"auc"})  # AUC of log error (Gritta et al. 2018): lower is better
_LOWER_NAMES = frozenset({"false_event_rate"})  # share of no-event sentences given an event

#: The metrics FORMATS.md requires of each scorer (all floored once a scorer reports them).
REQUIRED_METRICS = {
    "events": ("type_accuracy", "type_macro_f1", "source_code_accuracy", "target_code_accuracy",
               "sector_accuracy", "exact_match"),
    "events-wikinews": ("type_accuracy", "type_macro_f1", "source_code_accuracy", "target_code_accuracy",
                        "sector_accuracy", "exact_match", "detection_precision", "detection_recall",
                        "detection_f1", "false_event_rate"),
    "geo": ("acc_at_161km", "median_km", "mean_km", "auc", "span_precision", "span_recall",
            "span_f1"),
    "dates": ("span_f1_strict", "span_f1_relaxed", "type_accuracy", "value_accuracy", "value_f1"),
    "quotes": ("content_f1_exact", "content_f1_overlap", "speaker_accuracy",
               "direct_content_f1_overlap", "direct_speaker_accuracy"),
    "linking": ("link_precision", "link_recall", "link_f1", "conflict_precision", "conflict_recall"),
}


def metric_direction(name: str) -> str | None:
    """``"higher"``/``"lower"`` is better for a floored metric, None for a metric not floored."""
    words = name.lower().split("_")
    if name.lower() in _LOWER_NAMES or words[-1] == "km" or _LOWER_WORDS.intersection(words):
        return "lower"
    if _HIGHER_WORDS.intersection(words):
        return "higher"
    return None


def metric_epsilon(name: str) -> float:
    """Default tolerance for ``name`` (see EPSILON_* above)."""
    return EPSILON_KM if name.endswith("_km") else EPSILON_FRACTION


@dataclass(frozen=True)
class MetricCheck:
    """One metric compared with its floor."""

    metric: str
    floor: float
    value: float | None
    direction: str  # "higher" | "lower"
    epsilon: float
    ok: bool
    #: value - floor, signed so that positive means better in either direction.
    margin: float | None


@dataclass(frozen=True)
class GateResult:
    """The gate verdict for one task."""

    task: str
    #: pass | fail | data_changed | no_floors | error
    status: str
    message: str
    path: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    checks: tuple[MetricCheck, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status in ("pass", "no_floors")

    def __str__(self) -> str:
        return format_results([self])

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ok"] = self.ok
        return d


# --------------------------------------------------------------------------- locations
def _repo_root() -> Path:
    # src/newsevents/evaluate/gate.py -> repo root (editable install / source checkout)
    return Path(__file__).resolve().parents[3]


def default_baseline_path() -> Path:
    """``eval_baseline.json`` at the repo root (or in the working directory when not found)."""
    cand = _repo_root() / "eval_baseline.json"
    return cand if cand.is_file() else Path.cwd() / "eval_baseline.json"


def default_data_root(baseline_path: str | Path | None = None) -> Path | None:
    """$NEWSEVENTS_DATA, else ``../shared/data`` next to the repo; None when neither exists."""
    env = os.environ.get("NEWSEVENTS_DATA")
    if env:
        return Path(env)
    bases = [Path(baseline_path).resolve().parent] if baseline_path else []
    bases.append(_repo_root())
    for base in bases:
        cand = base.parent / "shared" / "data"
        if cand.is_dir():
            return cand
    return None


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- baseline file
def _load(baseline_path: str | Path) -> dict[str, Any]:
    path = Path(baseline_path)
    if not path.is_file():
        return {"schema": 1, "tasks": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise EvalError(f"{path}: not valid JSON ({exc}); restore it from git") from exc
    if not isinstance(data.get("tasks"), dict):
        raise EvalError(f"{path}: no 'tasks' object; restore it from git")
    return data


def _save(baseline_path: str | Path, data: dict[str, Any]) -> None:
    path = Path(baseline_path)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # atomic: a crash never leaves half a baseline


def scorer_of(name: str, entry: dict[str, Any] | None = None) -> str:
    """The scorer (an ``evaluate`` task) of a gate entry: its ``task`` key, else ``name`` up to
    the first '-' ("events-wikinews" -> "events")."""
    return (entry or {}).get("task") or name.split("-", 1)[0]


def known_entries(data: dict[str, Any] | None = None) -> list[str]:
    """Entry names the gate knows: the baseline's, then the default ones, in a stable order."""
    names = list((data or {}).get("tasks", {}))
    names += [t for t in DEFAULT_TASK_FILES if t not in names]
    return names


def _task_list(data: dict[str, Any], tasks: Iterable[str] | None) -> list[str]:
    known = known_entries(data)
    names = list(tasks) if tasks is not None else [t for t in known if t in data["tasks"]]
    for t in names:
        if t not in known or scorer_of(t, data["tasks"].get(t)) not in TASKS:
            raise EvalError(f"unknown eval task {t!r}: choose one of {', '.join(known)}")
    return names


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


# --------------------------------------------------------------------------- comparison
def compare(task: str, entry: dict[str, Any], metrics: dict[str, Any], sha256: str | None) -> GateResult:
    """Compare measured ``metrics`` (and the gold file's hash) with one task's baseline entry.

    Pure: no scoring, no I/O; the unit tests drive it with hand-made baselines.
    """
    path = entry.get("path")
    pinned = entry.get("sha256")
    if pinned and sha256 and pinned != sha256:
        return GateResult(
            task, "data_changed",
            f"{task}: gold file {path} changed (sha256 {sha256[:12]}..., floors were set on "
            f"{pinned[:12]}...); the floors no longer apply: re-set them with "
            "raise_floors(..., allow_lower=True, reason='new gold data ...')",
            path, dict(metrics),
        )
    floors = entry.get("floors") or {}
    if not floors:
        note = entry.get("note") or "no floors set yet"
        return GateResult(task, "no_floors", f"{task}: {note}", path, dict(metrics))
    checks = []
    for name, spec in floors.items():
        floor = float(spec["value"])
        direction = spec.get("direction") or metric_direction(name) or "higher"
        eps = float(spec.get("epsilon", metric_epsilon(name)))
        value = metrics.get(name)
        if not _is_number(value):
            checks.append(MetricCheck(name, floor, None, direction, eps, False, None))
            continue
        margin = (value - floor) if direction == "higher" else (floor - value)
        # round away float noise in the margin itself (0.1+0.2 style) before comparing
        checks.append(MetricCheck(name, floor, float(value), direction, eps,
                                  round(margin, 9) >= -eps, round(margin, 6)))
    bad = [c for c in checks if not c.ok]
    if not bad:
        return GateResult(task, "pass", f"{task}: {len(checks)} metrics at or above their floors",
                          path, dict(metrics), tuple(checks))
    parts = []
    for c in bad:
        if c.value is None:
            parts.append(f"{c.metric} missing from the scorer output (floor {c.floor:g})")
        else:
            word = "below" if c.direction == "higher" else "above"
            parts.append(f"{c.metric}={c.value:.4g} is {word} floor {c.floor:.4g} by "
                         f"{-c.margin:.4g} (> epsilon {c.epsilon:g})")
    return GateResult(task, "fail", f"{task}: regression: " + "; ".join(parts),
                      path, dict(metrics), tuple(checks))


def _measure(task: str, entry: dict[str, Any], data_root: Path) -> tuple[dict[str, Any], str, Path]:
    rel = entry.get("path") or DEFAULT_TASK_FILES[task]
    gold = data_root / rel
    if not gold.is_file():
        raise EvalError(f"{task}: gold file {gold} not found; set NEWSEVENTS_DATA to the shared data root")
    digest = sha256_file(gold)
    return run(scorer_of(task, entry), gold), digest, gold


def _scorer_missing(task: str, exc: ImportError) -> bool:
    return getattr(exc, "name", None) == f"newsevents.evaluate.{scorer_of(task)}"


def check(
    baseline_path: str | Path, data_root: str | Path | None = None, tasks: Iterable[str] | None = None
) -> list[GateResult]:
    """Score each task's dev set and compare it with the floors in ``baseline_path``."""
    data = _load(baseline_path)
    root = Path(data_root) if data_root else default_data_root(baseline_path)
    if root is None or not root.is_dir():
        raise EvalError(f"data root {root} not found: set NEWSEVENTS_DATA to the shared data folder")
    results = []
    for task in _task_list(data, tasks if tasks is not None else known_entries(data)):
        entry = data["tasks"].get(task, {"path": DEFAULT_TASK_FILES.get(task), "floors": {}})
        if not entry.get("floors"):  # nothing to guard: do not spend minutes scoring
            results.append(compare(task, entry, {}, None))
            continue
        pinned = entry.get("sha256")
        gold = root / (entry.get("path") or DEFAULT_TASK_FILES[task])
        # Check the hash before spending minutes scoring data the floors do not apply to.
        if pinned and gold.is_file() and sha256_file(gold) != pinned:
            results.append(compare(task, entry, {}, sha256_file(gold)))
            continue
        try:
            metrics, digest, _ = _measure(task, entry, root)
        except ImportError as exc:
            if not _scorer_missing(task, exc):
                raise
            status = "error" if entry.get("floors") else "no_floors"
            results.append(GateResult(task, status, f"{task}: scorer newsevents.evaluate.{task} "
                                      "is not installed", entry.get("path")))
            continue
        except EvalError as exc:
            results.append(GateResult(task, "error", str(exc), entry.get("path")))
            continue
        except Exception as exc:  # a stage crashing on the dev set fails this task, not the rest
            results.append(GateResult(task, "error", f"{task}: scoring crashed: "
                                      f"{type(exc).__name__}: {exc}", entry.get("path")))
            continue
        results.append(compare(task, entry, metrics, digest))
    return results


# --------------------------------------------------------------------------- raising floors
def _floor_value(value: float, direction: str) -> float:
    """``value`` to 4 decimals, rounded towards the worse side so the score itself passes."""
    scaled = round(float(value) * 1e4, 6)  # 0.7933 * 1e4 is 7932.999...: undo that first
    return (math.floor(scaled) if direction == "higher" else math.ceil(scaled)) / 1e4


def _new_floor(name: str, value: float, old: dict[str, Any] | None) -> dict[str, Any]:
    spec = dict(old or {})
    spec.setdefault("direction", metric_direction(name) or "higher")
    spec.setdefault("epsilon", metric_epsilon(name))
    spec["value"] = _floor_value(value, spec["direction"])
    return spec


def raise_floors(
    baseline_path: str | Path,
    data_root: str | Path | None = None,
    tasks: Iterable[str] | None = None,
    allow_lower: bool = False,
    reason: str | None = None,
    *,
    command: str | None = None,
) -> list[GateResult]:
    """Re-score and move floors up to the measured scores; write ``baseline_path``.

    A metric that fell beyond its tolerance, or a gold file whose hash changed, stops the update
    (nothing is written) unless ``allow_lower=True`` and a ``reason`` are given; the reason, the
    old and the new value are appended to the task's ``history``. A fall within tolerance keeps
    the old floor. Returns the comparison made *before* the update.
    """
    if allow_lower and not (reason and reason.strip()):
        raise EvalError("lowering a floor needs a reason: pass reason='why the score fell'")
    data = _load(baseline_path)
    data.setdefault("schema", 1)
    root = Path(data_root) if data_root else default_data_root(baseline_path)
    if root is None or not root.is_dir():
        raise EvalError(f"data root {root} not found: set NEWSEVENTS_DATA to the shared data folder")
    names = _task_list(data, tasks if tasks is not None else known_entries(data))
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    command = command or shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]])
    results, updates, refused = [], {}, []
    for task in names:
        entry = data["tasks"].get(task) or {"path": DEFAULT_TASK_FILES[task], "floors": {}}
        try:
            metrics, digest, _ = _measure(task, entry, root)
        except ImportError as exc:
            if not _scorer_missing(task, exc):
                raise
            status = "error" if entry.get("floors") else "no_floors"
            results.append(GateResult(task, status, f"{task}: no scorer "
                                      f"newsevents.evaluate.{task}; floors unchanged", entry.get("path")))
            continue
        except EvalError:
            raise
        except Exception as exc:  # all or nothing: a crash leaves the whole file as it was
            refused.append(f"{task}: scoring crashed: {type(exc).__name__}: {exc}")
            continue
        verdict = compare(task, entry, metrics, digest)
        results.append(verdict)
        new = json.loads(json.dumps(entry))  # deep copy
        history = new.setdefault("history", [])
        floors = new.setdefault("floors", {})
        data_changed = verdict.status == "data_changed"
        if data_changed:
            if not allow_lower:
                refused.append(verdict.message)
                continue
            history.append({"date": now, "change": "data", "old_sha256": entry.get("sha256"),
                            "new_sha256": digest, "reason": reason})
            floors = new["floors"] = {}
        lowered = [c for c in verdict.checks if c.value is not None and not c.ok]
        if lowered and not allow_lower and not data_changed:
            refused.append(verdict.message)
            continue
        changed = False
        for name, value in metrics.items():
            if not _is_number(value) or (metric_direction(name) is None and name not in floors):
                continue
            old = floors.get(name)
            if old is None:
                floors[name] = _new_floor(name, value, None)
                changed = True
                continue
            direction = old.get("direction", metric_direction(name) or "higher")
            better = value > old["value"] if direction == "higher" else value < old["value"]
            fell_beyond = any(c.metric == name for c in lowered)
            if better and _floor_value(value, direction) != old["value"]:
                floors[name] = _new_floor(name, value, old)
                changed = True
            elif fell_beyond:
                history.append({"date": now, "change": "lowered", "metric": name,
                                "old": old["value"], "new": _floor_value(value, direction),
                                "reason": reason})
                floors[name] = _new_floor(name, value, old)
                changed = True
        if changed or data_changed or entry.get("sha256") != digest:
            new["path"] = entry.get("path") or DEFAULT_TASK_FILES[task]
            new["sha256"] = digest
            new["n"] = metrics.get("n")
            new["set"] = {"date": now, "command": command}
            new.pop("note", None)
            if not history:
                new.pop("history")
            updates[task] = new
    if refused:
        raise EvalError("floors not raised (nothing written): " + " | ".join(refused)
                        + " (fix it, leave the task out, or for a real fall pass allow_lower=True"
                        " with a reason)")
    if updates:
        data["tasks"].update(updates)
        data["tasks"] = {t: data["tasks"][t] for t in known_entries(data) if t in data["tasks"]}
        _save(baseline_path, data)
    return results


# --------------------------------------------------------------------------- report
def format_results(results: list[GateResult]) -> str:
    """A plain-text table of gate results, one line per metric, for the CLI and test output."""
    lines = []
    for r in results:
        lines.append(f"[{r.status.upper():>12}] {r.message}")
        for c in r.checks:
            arrow = ">=" if c.direction == "higher" else "<="
            val = "missing" if c.value is None else f"{c.value:.4f}"
            mark = "ok " if c.ok else "BAD"
            lines.append(f"    {mark} {c.metric:<34} {val:>10} {arrow} {c.floor:.4f} (eps {c.epsilon:g})")
    return "\n".join(lines)
