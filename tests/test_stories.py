"""`newsevents stories`, recovery of an interrupted fusion, the GDELT export's cluster date, and
`newsevents eval linking` - end to end on the shipped examples and fixtures."""
from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from newsevents.cli import cli

from .conftest import EXAMPLES, FIXTURES


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def results(nlp_model):
    from newsevents.ingest import iter_articles
    from newsevents.pipeline import process_many

    arts = list(iter_articles([str(EXAMPLES / "seed-article.json"), str(EXAMPLES / "companion-report.json")]))
    return list(process_many(arts))


def _store_with(path, results):
    from newsevents.store import Store

    with Store(path) as store:
        store.add(results)


def test_stories_show_reports_outlets_dates_and_evidence(tmp_path, results):
    db = tmp_path / "s.duckdb"
    _store_with(db, results)  # written, not fused: `stories` fuses first
    res = invoke("stories", "--db", str(db))
    assert res.exit_code == 0, res.output
    out = res.output
    assert "2 report(s)" in out and "seen 2024-12-08 .. 2024-12-09" in out
    assert "linked by:" in out and "place: Damascus" in out
    assert "CONFLICT date: 2024-12-01" in out and "2024-12-08" in out
    rows = json.loads(invoke("stories", "--db", str(db), "--format", "json").output)
    assert rows and {"reports", "links", "conflicts", "first_seen", "last_seen", "date"} <= set(rows[0])
    assert {r["source"] for r in rows[0]["reports"]} == {results[0].article.source, results[1].article.source}
    every = json.loads(invoke("stories", "--db", str(db), "--format", "json", "--min-reports", "1").output)
    assert len(every) > len(rows)
    contested = json.loads(invoke("stories", "--db", str(db), "--format", "json", "--contested").output)
    assert contested and all(c["conflicts"] for c in contested)


def test_a_kill_during_fusion_leaves_the_store_stale_and_the_next_command_refuses(tmp_path, results, monkeypatch):
    import newsevents.fusion as fusion
    from newsevents.store import Store

    db = tmp_path / "k.duckdb"
    _store_with(db, results)

    def killed(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(fusion, "_resummarise", killed)
    with Store(db) as store:
        with pytest.raises(KeyboardInterrupt):
            fusion.fuse_store(store)
    monkeypatch.undo()
    with Store(db, read_only=True) as store:
        assert fusion.pending_count(store) == 2  # nothing half-fused: the chunk rolled back
        assert store.count("cluster_summary") == 0
    # `run` with nothing new to code still fuses what is pending
    res = invoke("run", str(EXAMPLES), "--db", str(db), "-q")
    assert res.exit_code == 0, res.output
    with Store(db, read_only=True) as store:
        assert fusion.pending_count(store) == 0 and store.count("cluster_summary") > 0


def test_stories_refuse_a_stale_store(tmp_path, results):
    from newsevents.fusion import pending_count
    from newsevents.store import Store

    db = tmp_path / "r.duckdb"
    _store_with(db, results)
    with Store(db, read_only=True) as store:
        assert pending_count(store) == 2
    assert "CONFLICT date" in invoke("stories", "--db", str(db)).output
    with Store(db, read_only=True) as store:
        assert pending_count(store) == 0


def test_gdelt_export_gives_a_cluster_the_date_stories_show(tmp_path, results):
    db = tmp_path / "g.duckdb"
    _store_with(db, results)
    story = json.loads(invoke("stories", "--db", str(db), "--format", "json").output)[0]
    out = tmp_path / "events.tsv"
    res = invoke("export", "--db", str(db), "--format", "gdelt-events", "--out", str(out))
    assert res.exit_code == 0, res.output
    from newsevents.export.gdelt import global_event_id

    gid = str(global_event_id(story["id"]))
    with out.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t") if r[0] == gid]
    assert len(rows) == 1  # one row per cluster
    assert rows[0][1] == story["date"].replace("-", "")


def test_eval_linking_on_the_projects_pairs(tmp_path, nlp_model):
    errors = tmp_path / "errors.jsonl"
    res = invoke("eval", "linking", str(FIXTURES / "linking" / "pairs.jsonl"), "--format", "json",
                 "--errors", str(errors))
    assert res.exit_code == 0, res.output
    m = json.loads(res.output)
    for k in ("link_precision", "link_recall", "link_f1", "conflict_precision", "conflict_recall"):
        assert 0.0 <= m[k] <= 1.0
    assert m["n"] == 4 and m["false_links"] == 0
    assert m["linked_same"] >= 1  # the two reports of the Kirkuk bombing


def test_eval_linking_rejects_another_format_in_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "not a pair"}\n', encoding="utf-8")
    res = invoke("eval", "linking", str(bad))
    assert res.exit_code != 0
    assert "not a linking record" in res.output and "Traceback" not in res.output
