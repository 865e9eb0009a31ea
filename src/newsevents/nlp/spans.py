"""Offset lookups over a document's mentions in logarithmic time.

Stages ask "which mention covers this token / lies inside this phrase / this sentence" once per
phrase, event or quote. A scan of every mention per question made coding quadratic in document
length (issue 10: 2.4 s of a 150,000-character article was ``_mention_at`` alone), so the
mentions are sorted once per document and the questions are answered by bisection.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any, Generic, Iterator, Sequence, TypeVar

__all__ = ["SpanIndex", "index_of"]

T = TypeVar("T")

_KEY = "newsevents.span_index"


class SpanIndex(Generic[T]):
    """Items with ``start``/``end`` character offsets, sorted by start."""

    def __init__(self, items: Sequence[T]):
        self.items = sorted(items, key=lambda m: (m.start, m.end))  # type: ignore[attr-defined]
        self.starts = [m.start for m in self.items]  # type: ignore[attr-defined]
        self.max_len = max((m.end - m.start for m in self.items), default=0)  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.items)

    def overlapping(self, start: int, end: int) -> Iterator[T]:
        """Items that share at least one character with [start, end), in start order."""
        lo = bisect_left(self.starts, start - self.max_len)
        hi = bisect_left(self.starts, end)
        for m in self.items[lo:hi]:
            if m.end > start:  # type: ignore[attr-defined]
                yield m

    def inside(self, start: int, end: int) -> Iterator[T]:
        """Items that lie within [start, end), in start order."""
        lo = bisect_left(self.starts, start)
        hi = bisect_left(self.starts, end)
        for m in self.items[lo:hi]:
            if m.end <= end:  # type: ignore[attr-defined]
                yield m

    def covering(self, pos: int) -> list[T]:
        """Items whose [start, end) holds character ``pos``."""
        lo = bisect_left(self.starts, pos - self.max_len)
        hi = bisect_right(self.starts, pos)
        return [m for m in self.items[lo:hi] if m.end > pos]  # type: ignore[attr-defined]

    def before(self, pos: int) -> Iterator[T]:
        """Items that end at or before ``pos``, the nearest first."""
        for k in range(bisect_left(self.starts, pos) - 1, -1, -1):
            m = self.items[k]
            if m.end <= pos:  # type: ignore[attr-defined]
                yield m


def index_of(items: Sequence[Any], cache: dict[str, Any] | None = None) -> SpanIndex:
    """The index of ``items``, built once and kept in ``cache`` (a ``Doc.user_data``) while
    the same, unchanged sequence is asked about."""
    if cache is None:
        return SpanIndex(items)
    held = cache.setdefault(_KEY, {})
    entry = held.get(id(items))
    if entry is not None and entry[0] is items and entry[1] == len(items):
        return entry[2]
    idx = SpanIndex(items)
    held[id(items)] = (items, len(items), idx)  # holding ``items`` keeps its id unique
    return idx
