"""Readers and a writer share the store (issue 10, item 14): `newsevents run` holds the file only
while it writes a batch, readers (`events`, `serve`) retry briefly on DuckDB's lock, and a
waiting writer is let in before new readers."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from newsevents.store import Store, access
from newsevents.web import BackgroundServer

from .webclient import get


@pytest.fixture
def db(web_db, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copy(web_db, path)
    return str(path)


def test_a_writer_that_does_not_hold_lets_readers_in(db):
    writer = Store(db, hold=False)
    results = list(writer.results())
    with Store(db, read_only=True) as reader:  # the writer is between batches: no lock held
        n = len(reader.events())
    # a reader holding the file makes the writer wait, not fail
    reader = Store(db, read_only=True)
    threading.Timer(0.3, reader.close).start()
    assert writer.add(results[:2]) == 2
    with Store(db, read_only=True) as again:
        assert len(again.events()) == n
    writer.close()


def test_a_reader_waits_for_a_writing_batch_then_says_what_to_do(db):
    with Store(db):  # holds the file, like a batch being written
        with pytest.raises(access.StoreBusy, match="newsevents run"):
            Store(db, read_only=True, wait=0.3)
    with Store(db, read_only=True, wait=0.3) as st:
        assert st.events()


def test_the_server_lets_a_waiting_writer_in_and_then_shows_its_writes(db):
    with BackgroundServer(db) as server:
        status, before, _ = get(server.url + "/api/events?limit=1")  # the server now holds a connection
        assert status == 200
        with Store(db, wait=10) as writer:  # would time out if the idle server kept the file
            gone = writer.con.execute("DELETE FROM events WHERE article_id = ?",
                                      [before["items"][0]["article_id"]]).fetchone()[0]
        assert gone > 0
        status, after, _ = get(server.url + "/api/events?limit=1")  # the same URL: not a stale answer
        assert status == 200 and after["total"] == before["total"] - gone


WRITER = textwrap.dedent("""
    import sys, time
    from newsevents.store import Store
    src, dst, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Store(src, read_only=True) as s:
        results = list(s.results())
    store = Store(dst, hold=False)
    for i in range(rounds):
        store.add(results[i % len(results):][:2])  # a batch: replace two articles
        time.sleep(0.05)
    store.close()
    print("wrote", rounds)
""")


def test_readers_work_while_another_process_writes(db, web_db, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    with Store(web_db, read_only=True) as st:
        total = len(st.events())
    with BackgroundServer(db) as server:
        proc = subprocess.Popen([sys.executable, str(script), web_db, db, "10"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        statuses, counts = [], []

        def read_api(_):
            statuses.append(get(server.url + "/api/events?limit=5")[0])

        def read_store():
            with Store(db, read_only=True) as st:
                counts.append(len(st.events()))

        with ThreadPoolExecutor(4) as pool:
            while proc.poll() is None:
                list(pool.map(read_api, range(8)))
                read_store()
        out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "wrote 10" in out
    assert statuses and set(statuses) == {200}
    assert counts and set(counts) == {total}  # whole batches only: never a half-written article
