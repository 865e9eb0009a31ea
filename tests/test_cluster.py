"""The cluster path: Dask workers write Parquet parts, the parts load into the store idempotently,
and the store equals the one a local run writes from the same inputs."""
from __future__ import annotations

import duckdb
import pytest

from newsevents.pipeline.runner import run_paths

from .conftest import EXAMPLES, FIXTURES

pytest.importorskip("distributed")

# Two example reports and a JSON Lines file with good, bad and non-English records.
_INPUTS = [str(EXAMPLES), str(FIXTURES / "ingest" / "articles.jsonl")]


def _dump(path: str) -> dict[str, list[str]]:
    """Every table's rows, order-free, without the write timestamps."""
    con = duckdb.connect(path, read_only=True)
    try:
        out = {}
        for (table,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall():
            if table == "schema_migrations":
                continue
            cols = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                " ORDER BY ordinal_position", [table]).fetchall() if c not in ("processed_at", "failed_at")]
            rows = con.execute(f"SELECT {', '.join(repr(c).replace(chr(39), chr(34)) for c in cols)} FROM {table}").fetchall()
            out[table] = sorted(map(repr, rows))
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def local_store(tmp_path_factory, nlp_model):
    db = str(tmp_path_factory.mktemp("local") / "local.duckdb")
    summary = run_paths(_INPUTS, db=db, n_process=1)
    assert summary.coded >= 3 and summary.failed >= 1
    return db, summary


def test_cluster_store_equals_local_run(tmp_path, local_store):
    from newsevents.cli import main  # noqa: F401  (the `load` command is wired in)
    from newsevents.pipeline.cluster import load_parts, part_files
    from newsevents.store import Store

    local_db, local = local_store
    db, parts = str(tmp_path / "cluster.duckdb"), tmp_path / "parts"
    summary = run_paths(_INPUTS, db=db, scheduler="local:2", batch_size=2, parts_dir=str(parts))
    assert (summary.coded, summary.failed, summary.events) == (local.coded, local.failed, local.events)
    files = part_files(parts)
    assert {"articles", "events", "actors", "failures"} <= set(files) and len(files["articles"]) >= 2
    want = _dump(local_db)
    assert _dump(db) == want

    # Idempotent: loading the same parts again changes nothing (the loaded articles are marked
    # for fusion; fusing them again - what `load` does, as `run` does - gives the same clusters).
    from newsevents.fusion import fuse_store

    with Store(db) as store:
        assert load_parts(store, parts)["articles"] == local.coded
        fuse_store(store)
    again = _dump(db)
    assert {t: r for t, r in again.items()} == want

    # Into a fresh store with the command: the same rows (fusion recomputed by `load`).
    from click.testing import CliRunner

    from newsevents.cli import cli

    fresh = str(tmp_path / "fresh.duckdb")
    res = CliRunner().invoke(cli, ["load", str(parts), "--db", fresh])
    assert res.exit_code == 0, res.output
    assert f"{local.coded} article(s)" in res.output
    assert _dump(fresh) == want
