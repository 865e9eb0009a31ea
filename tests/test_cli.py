"""The CLI end to end on the shipped examples: run, query, idempotent re-run, bad input, export."""
from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from click.testing import CliRunner

from newsevents.cli import cli

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def coded_db(tmp_path_factory, nlp_model):
    db = tmp_path_factory.mktemp("cli") / "ex.duckdb"
    result = CliRunner().invoke(cli, ["run", str(EXAMPLES), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db, result.output


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_run_prints_a_readable_summary(coded_db):
    _, out = coded_db
    for heading in ("Events (", "Actors (", "Places (", "Dates (", "Quotes ("):
        assert heading in out
    assert "Coded 2 article(s)" in out


def test_events_json_contract(coded_db):
    db, _ = coded_db
    res = invoke("events", "--db", str(db), "--format", "json")
    assert res.exit_code == 0
    rows = json.loads(res.output)
    assert rows, "the examples must yield events"
    for ev in rows:
        assert {"id", "article_id", "sentence", "evidence", "source", "target", "cameo_code", "cameo_root",
                "quad_class", "goldstein", "plover_type", "modality", "date", "place", "confidence"} <= set(ev)
        assert isinstance(ev["cameo_code"], str) and ev["cameo_code"].isdigit()
        assert ev["cameo_code"].startswith(ev["cameo_root"])
        assert ev["quad_class"] in (1, 2, 3, 4)
        for actor in ev["source"] + ev["target"]:
            assert {"name", "code", "country", "sector"} <= set(actor)
        assert ev["date"] is not None and {"value", "precision", "basis"} <= set(ev["date"])
        assert ev["place"] is None or {"name", "country", "lat", "lon"} <= set(ev["place"])
        assert ev["evidence"] and ev["modality"] in ("asserted", "reported", "negated", "hypothetical", "future")


def test_quotes_and_places_json_contract(coded_db):
    db, _ = coded_db
    quotes = json.loads(invoke("quotes", "--db", str(db), "--format", "json").output)
    assert quotes
    for q in quotes:
        assert {"text", "speaker", "cue", "via", "direct", "article_id"} <= set(q)
    places = json.loads(invoke("places", "--db", str(db), "--format", "json").output)
    assert any(p["name"] == "Damascus" for p in places)
    for p in places:
        assert {"name", "lat", "lon", "country", "mentions"} <= set(p)


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_other_formats(coded_db, fmt):
    db, _ = coded_db
    for cmd in ("events", "actors", "quotes", "places", "articles", "stories"):
        res = invoke(cmd, "--db", str(db), "--format", fmt)
        assert res.exit_code == 0, (cmd, res.output)
        assert res.output.strip()


def test_filters(coded_db):
    db, _ = coded_db
    rows = json.loads(invoke("events", "--db", str(db), "--format", "json", "--actor", "SYR").output)
    assert rows and all(any(a["code"] and a["code"].startswith("SYR") for a in r["source"] + r["target"]) for r in rows)
    rows = json.loads(invoke("events", "--db", str(db), "--format", "json", "--since", "2024-12-02").output)
    assert all(r["date"]["value"] >= "2024-12-02" for r in rows)


def test_rerun_is_idempotent(coded_db, tmp_path):
    db, _ = coded_db
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    before = duckdb.connect(str(copy)).execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM quotes), (SELECT count(*) FROM actors)").fetchone()
    res = invoke("run", str(EXAMPLES), "--db", str(copy))
    assert res.exit_code == 0 and "2 already stored" in res.output
    res = invoke("run", str(EXAMPLES), "--db", str(copy), "--force", "-q")
    assert res.exit_code == 0
    after = duckdb.connect(str(copy)).execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM quotes), (SELECT count(*) FROM actors)").fetchone()
    assert before == after


def test_bad_inputs_are_reported_and_the_batch_continues(tmp_path, nlp_model):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Rebels attacked an army base near Aleppo on Monday, the Syrian army said.\n", encoding="utf-8")
    (d / "empty.txt").write_text("   \n", encoding="utf-8")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (d / "french.txt").write_text(
        "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les agriculteurs touchés par la "
        "sécheresse, selon un communiqué publié par le ministère de l'Agriculture.", encoding="utf-8")
    db = tmp_path / "bad.duckdb"
    res = CliRunner().invoke(cli, ["run", str(d), "--db", str(db)])
    assert res.exit_code == 1, res.output
    err = res.stderr if hasattr(res, "stderr") else res.output
    for name in ("empty.txt", "binary.txt", "french.txt"):
        assert name in err
    assert "Coded 1 article(s)" in res.output and "3 failed" in res.output
    con = duckdb.connect(str(db))
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM failures").fetchone()[0] == 3


def test_nothing_codeable_exits_3(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    res = CliRunner().invoke(cli, ["run", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "x.duckdb")])
    assert res.exit_code == 3


def test_stdin(tmp_path, nlp_model):
    res = CliRunner().invoke(cli, ["run", "-", "--db", str(tmp_path / "s.duckdb")],
                             input="Israeli jets struck military sites near Damascus on Tuesday, the army said.\n")
    assert res.exit_code == 0, res.output
    assert "Coded 1 article(s)" in res.output


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_export_tables(coded_db, tmp_path, fmt):
    db, _ = coded_db
    out = tmp_path / fmt
    res = invoke("export", "--db", str(db), "--format", fmt, "--out", str(out))
    assert res.exit_code == 0, res.output
    n_events = duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM events").fetchone()[0]
    path = out / f"events.{fmt}"
    reader = {"parquet": "read_parquet", "jsonl": "read_json_auto", "csv": "read_csv_auto"}[fmt]
    assert duckdb.connect().execute(f"SELECT count(*) FROM {reader}('{path}')").fetchone()[0] == n_events


def test_query_on_missing_store_is_one_clear_line(tmp_path):
    res = invoke("events", "--db", str(tmp_path / "nope.duckdb"))
    assert res.exit_code != 0 and "no such store" in res.output


@pytest.mark.parametrize("cmd", ["run", "events", "actors", "quotes", "places", "articles", "failures", "stories",
                                 "export", "eval", "gate", "bench"])
def test_every_command_has_help(cmd):
    res = invoke(cmd, "--help")
    assert res.exit_code == 0 and "Usage" in res.output
