"""The server's read access to the store: one read-only DuckDB connection shared by the
requests in flight (a cursor each), opened on demand and closed as soon as no request needs it
while a writer waits (see ``newsevents.store.access``). Opening costs ~50 ms, so between writes
the connection stays open and requests pay nothing for it.
"""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from typing import Any, Iterator

from newsevents.store import Store, access

__all__ = ["ReadPool", "ResponseCache"]


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


class ResponseCache:
    """Rendered API answers, keyed by URL, valid while the store file is unchanged.

    The server never writes, so an answer can only change when a writer commits, which changes
    the store file or its write-ahead log: their size and modification time are the version.
    A page load asks the same few questions each time; a repeated question costs two ``stat``
    calls instead of its queries.
    """

    def __init__(self, db: str, size: int = 512):
        self.db, self.size = db, size
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[Any, bytes]] = OrderedDict()

    def version(self) -> Any:
        out = []
        for path in (self.db, self.db + ".wal"):
            try:
                st = os.stat(path)
                out.append((st.st_mtime_ns, st.st_size, st.st_ino))
            except OSError:
                out.append(None)
        return tuple(out)

    def get(self, key: str, version: Any) -> bytes | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] != version:
                return None
            self._items.move_to_end(key)
            return hit[1]

    def put(self, key: str, version: Any, body: bytes) -> None:
        with self._lock:
            self._items[key] = (version, body)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
