"""The shipped event model: two linear (softmax) classifiers over string features, numpy only.

``data/event_model.npz`` holds, for each of ``sentence`` (does the sentence report an event,
and of which type) and ``trigger`` (is this candidate token the trigger of an event, and of
which type), the feature names and a weight matrix over the 17 labels (``NONE`` + the 16
PLOVER types); ``data/event_model.json`` holds how it was made (training data and its sha256,
options, thresholds, dev figures). ``newsevents train events`` rebuilds both
(``newsevents.events.training``).
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from newsevents import ontology

__all__ = ["LABELS", "LinearModel", "EventModel", "load", "use", "clear_cache", "DEFAULT_DIR", "MODEL_NAME"]

#: Label 0 is "no event"; labels 1..16 are the PLOVER types in ``ontology.PLOVER_TYPES`` order.
LABELS: tuple[str, ...] = ("NONE",) + tuple(ontology.PLOVER_TYPES)

DEFAULT_DIR = Path(__file__).resolve().parent / "data"
MODEL_NAME = "event_model"


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass
class LinearModel:
    """Softmax regression over binary string features: p = softmax(sum of feature rows + bias)."""

    features: list[str]
    weights: np.ndarray  # (n_features, n_labels) float32
    bias: np.ndarray  # (n_labels,) float32
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {f: i for i, f in enumerate(self.features)}
        self.weights = np.asarray(self.weights, dtype=np.float32)
        self.bias = np.asarray(self.bias, dtype=np.float32)

    def indices(self, row: Sequence[str]) -> list[int]:
        ii = set(map(self.index.get, row))
        ii.discard(None)
        return sorted(ii)

    def logits(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """Summed feature weights per row (no bias): one gather and one segmented sum for all
        rows, so an article's sentences cost a few numpy calls, not a few per sentence."""
        get = self.index.get
        flat: list[int] = []
        offsets: list[int] = []
        for row in rows:
            offsets.append(len(flat))
            ii = set(map(get, row))  # each feature once (binary features, as in training)
            ii.discard(None)
            flat.extend(ii)
        z = np.zeros((len(rows), len(self.bias)), dtype=np.float32)
        if flat:
            ends = offsets[1:] + [len(flat)]
            filled = np.fromiter((e > o for o, e in zip(offsets, ends)), dtype=bool, count=len(rows))
            starts = [o for o, e in zip(offsets, ends) if e > o]
            z[filled] = np.add.reduceat(self.weights[flat], starts, axis=0)
        return z

    def predict(self, rows: Sequence[Sequence[str]], shared: Sequence[str] = ()) -> np.ndarray:
        """Label probabilities, one row per feature list; ``shared`` features belong to every
        row (e.g. the sentence context of each candidate)."""
        z = self.logits(rows) + self.bias
        if shared:
            z += self.logits([shared])[0]
        return softmax(z)


@dataclass
class EventModel:
    sentence: LinearModel
    trigger: LinearModel
    meta: dict[str, Any]

    @property
    def threshold(self) -> float:
        """A sentence reports an event when P(event) reaches this."""
        return float(self.meta.get("thresholds", {}).get("sentence", 0.5))

    @property
    def extra_threshold(self) -> float:
        """A further trigger in a reporting sentence is a further event when its P(event) reaches this."""
        return float(self.meta.get("thresholds", {}).get("extra", 0.6))

    def save(self, directory: str | Path, name: str = MODEL_NAME) -> tuple[Path, Path]:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        for part in ("sentence", "trigger"):
            m: LinearModel = getattr(self, part)
            arrays[f"{part}_features"] = np.frombuffer("\n".join(m.features).encode("utf-8"), dtype=np.uint8)
            arrays[f"{part}_weights"] = m.weights.astype(np.float16)
            arrays[f"{part}_bias"] = m.bias.astype(np.float32)
        npz = d / f"{name}.npz"
        with open(npz, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        meta = d / f"{name}.json"
        meta.write_text(json.dumps(self.meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return npz, meta

    @classmethod
    def read(cls, directory: str | Path, name: str = MODEL_NAME) -> "EventModel":
        d = Path(directory)
        parts = {}
        with np.load(d / f"{name}.npz") as z:
            for part in ("sentence", "trigger"):
                feats = bytes(z[f"{part}_features"]).decode("utf-8")
                parts[part] = LinearModel(feats.split("\n") if feats else [],
                                          z[f"{part}_weights"].astype(np.float32),
                                          z[f"{part}_bias"])
        meta = json.loads((d / f"{name}.json").read_text(encoding="utf-8"))
        return cls(parts["sentence"], parts["trigger"], meta)


_OVERRIDE: list[Path] = []


def load(directory: str | Path | None = None) -> EventModel:
    """The model in ``directory`` (default: the one :func:`use` names, else the one shipped in
    the package), loaded once per process."""
    return _read(str(directory or (_OVERRIDE[-1] if _OVERRIDE else DEFAULT_DIR)))


@lru_cache(maxsize=4)
def _read(directory: str) -> EventModel:
    return EventModel.read(directory)


def clear_cache() -> None:
    """Forget loaded models (after a model file was rewritten)."""
    _read.cache_clear()


@contextmanager
def use(directory: str | Path) -> Iterator[None]:
    """Within the block, the learned coders of this process read the model in ``directory``."""
    _OVERRIDE.append(Path(directory))
    clear_cache()
    try:
        yield
    finally:
        _OVERRIDE.pop()
        clear_cache()
