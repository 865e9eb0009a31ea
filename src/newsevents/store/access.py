"""Sharing one store file between a writer (``newsevents run``) and readers (``events``,
``serve``, ...).

DuckDB lets one process open a file for writing, or any number open it read-only, never both:
the second gets "Could not set lock on file". So:

* the writer holds the file only while it writes a batch (``Store(hold=False)``), and before it
  opens the file it takes an exclusive ``flock`` on a sidecar file ``<db>.lock``: its *intent*;
* readers open the file read-only and retry on DuckDB's lock for a bounded time; a long-lived
  reader (the web server) checks the intent and closes its connection between requests when a
  writer waits, so the writer is never starved by a stream of requests;
* the writer retries on DuckDB's lock too (a reader finishing its query).

The sidecar is only a lock target (its content does not matter); it is safe to delete when no
``newsevents run`` is active. Without ``fcntl`` (Windows) readers and writer just retry.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import Iterator

import duckdb

from newsevents.errors import StoreError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["StoreBusy", "connect", "writer_intent", "writer_waiting", "lock_path",
           "READ_WAIT", "WRITE_WAIT"]

#: How long a reader waits for a writer's batch: commits take well under a second, fusion at
#: the end of a large run a few seconds.
READ_WAIT = 30.0
#: How long the writer waits for readers to finish their queries before it gives up.
WRITE_WAIT = 120.0
_POLL = 0.02


class StoreBusy(StoreError):
    """The store stayed locked by another process for longer than we wait."""


def lock_path(db: str) -> str:
    return f"{db}.lock"


def _is_lock_error(exc: BaseException) -> bool:
    msg = str(exc)
    return ("Could not set lock" in msg or "Conflicting lock" in msg
            or "different configuration" in msg)


def connect(db: str, *, read_only: bool, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open ``db``, retrying while another process holds a conflicting lock (up to ``wait`` s)."""
    wait = (READ_WAIT if read_only else WRITE_WAIT) if wait is None else wait
    deadline = time.monotonic() + wait
    delay = _POLL
    while True:
        if read_only and writer_waiting(db):
            # let the waiting writer in first instead of racing it for the file
            pass
        else:
            try:
                return duckdb.connect(db, read_only=read_only)
            except (duckdb.IOException, duckdb.ConnectionException) as exc:
                if not _is_lock_error(exc):
                    raise StoreError(f"{db}: cannot open the store ({exc})") from exc
                last = exc
        if time.monotonic() >= deadline:
            who = "a `newsevents run` is writing to it" if read_only else "another program has it open"
            raise StoreBusy(f"{db}: the store stayed busy for {wait:.0f}s ({who}); try again when it finishes")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.2)


def writer_waiting(db: str) -> bool:
    """True while a writer holds (or waits for) the store: its intent lock is taken."""
    if fcntl is None:
        return False
    try:
        fd = os.open(lock_path(db), os.O_RDONLY)
    except OSError:
        return False  # no writer has ever used the sidecar
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@contextmanager
def writer_intent(db: str, *, wait: float = WRITE_WAIT) -> Iterator[None]:
    """Hold the writer's intent lock (exclusive: one writer at a time announces itself)."""
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield  # read-only directory: no sidecar, readers and writer still retry on the lock
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"{db}: another writer holds the store for more than {wait:.0f}s") from None
                time.sleep(_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
