"""The server's read access to the store: one read-only DuckDB connection shared by the
requests in flight (a cursor each), opened on demand and closed as soon as no request needs it
while a writer waits (see ``newsevents.store.access``). Opening costs ~50 ms, so between writes
the connection stays open and requests pay nothing for it.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from newsevents.store import Store, access

__all__ = ["ReadPool"]


class ReadPool:
    def __init__(self, db: str, *, wait: float = access.READ_WAIT, poll: float = 0.05):
        self.db = db
        self.wait = wait
        self._cond = threading.Condition()
        self._con: Any = None
        self._active = 0
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, args=(poll,), name="newsevents-store-watch",
                                         daemon=True)
        self._watcher.start()

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A read-only ``Store`` over a cursor of the shared connection, for one request."""
        deadline = time.monotonic() + self.wait
        with self._cond:
            while access.writer_waiting(self.db):
                self._close_if_idle()
                if time.monotonic() >= deadline:
                    raise access.StoreBusy(f"{self.db}: a `newsevents run` is writing; try again shortly")
                self._cond.wait(0.02)
            if self._con is None:
                self._con = access.connect(self.db, read_only=True,
                                           wait=max(0.0, deadline - time.monotonic()))
            self._active += 1
            cur = self._con.cursor()
        try:
            yield Store.over(cur, self.db)
        finally:
            cur.close()
            with self._cond:
                self._active -= 1
                if self._active == 0 and access.writer_waiting(self.db):
                    self._close_if_idle()
                self._cond.notify_all()

    def _close_if_idle(self) -> None:
        if self._con is not None and self._active == 0:
            self._con.close()
            self._con = None

    def _watch(self, poll: float) -> None:
        # An idle server must not keep the file from a writer that starts later.
        while not self._stop.wait(poll):
            if self._con is not None and access.writer_waiting(self.db):
                with self._cond:
                    self._close_if_idle()

    def close(self) -> None:
        self._stop.set()
        with self._cond:
            self._close_if_idle()
