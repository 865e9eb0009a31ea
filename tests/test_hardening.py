"""Issue 10: one regression test per defect a new user and a hostile-input audit found.

Each test names its item. The audit's probes run here when they take seconds; speed itself is
measured in benchmarks/length_scaling.py, never in a timed test.
"""
from __future__ import annotations

import io
import json
import shutil

import duckdb
import pytest
from click.testing import CliRunner

from newsevents.cli import cli

from .conftest import EXAMPLES


def invoke(*args: str, **kw):
    return CliRunner().invoke(cli, list(args), **kw)


def one_line_error(res) -> str:
    """The command's error output, asserted to be a single line."""
    err = res.stderr if hasattr(res, "stderr") else res.output
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture(scope="module")
def store(tmp_path_factory, nlp_model):
    db = tmp_path_factory.mktemp("hard") / "ex.duckdb"
    res = invoke("run", str(EXAMPLES), "--db", str(db), "-q")
    assert res.exit_code == 0, res.output
    return db


# ------------------------------------------------------------------ 1. export over the store
@pytest.mark.parametrize("fmt", ["gdelt-events", "csv"])
def test_item1_export_never_truncates_the_store(store, tmp_path, fmt):
    db = tmp_path / "copy.duckdb"
    shutil.copy(store, db)
    size = db.stat().st_size
    res = invoke("export", "--db", str(db), "--format", fmt, "--out", str(db))
    assert res.exit_code == 3
    assert str(db) in one_line_error(res)
    assert db.stat().st_size == size
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0


def test_item1_a_failed_export_leaves_no_partial_file(store, tmp_path, monkeypatch):
    from newsevents.export import export_store, gdelt
    from newsevents.store import Store

    out = tmp_path / "events.tsv"
    out.write_text("previous export\n", encoding="utf-8")

    def broken(rows, path):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("half")
        raise OSError("disk full")

    monkeypatch.setattr(gdelt, "write_tsv", broken)
    with Store(store, read_only=True) as s, pytest.raises(OSError):
        export_store(s, "gdelt-events", out)
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.tsv"]


# ------------------------------------------------------------------ 2. length
def test_item2_per_document_limit_is_one_clean_failure(tmp_path):
    from newsevents.ingest import MAX_CHARS, iter_articles

    assert MAX_CHARS < 1_000_000  # below spaCy's own limit (E088)
    big = tmp_path / "big.txt"
    big.write_text("Rebels attacked the army base near Aleppo. " * (MAX_CHARS // 40), encoding="utf-8")
    (out,) = list(iter_articles([big]))
    assert out.reason == "too_large" and "character" in out.message and "\n" not in out.message


def test_item2_process_refuses_an_over_long_text():
    import newsevents
    from newsevents.errors import InputError
    from newsevents.ingest import MAX_CHARS

    with pytest.raises(InputError, match="too_large|limit"):
        newsevents.process("word " * (MAX_CHARS // 4))


def test_item2_long_run_without_full_stops_is_cut_into_sentences(nlp_model):
    from newsevents import nlp

    doc = nlp.parse("Russian forces attacked rebels in Idlib and " * 120 + "they left.")
    lengths = [len(s) for s in doc.sents]
    assert len(doc) > 700 and max(lengths) <= nlp.MAX_SENTENCE_TOKENS
    # ordinary prose is never cut
    prose = nlp.parse("The army said on Monday that rebels attacked a base near Aleppo. " * 5)
    assert all(s.text.endswith(".") for s in prose.sents)


def test_item2_span_index_answers_like_a_scan():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from newsevents.nlp.spans import SpanIndex

    class M:
        def __init__(self, a, n):
            self.start, self.end = a, a + n

    spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=30)

    @settings(max_examples=200, deadline=None)
    @given(spans, st.integers(0, 80), st.integers(0, 80))
    def check(raw, a, b):
        items = [M(x, n) for x, n in raw]
        idx = SpanIndex(items)
        lo, hi = min(a, b), max(a, b)
        key = lambda m: (m.start, m.end)  # noqa: E731
        assert sorted(map(key, idx.overlapping(lo, hi))) == sorted(key(m) for m in items if m.start < hi and m.end > lo)
        assert sorted(map(key, idx.inside(lo, hi))) == sorted(key(m) for m in items if m.start >= lo and m.end <= hi)
        assert sorted(map(key, idx.covering(a))) == sorted(key(m) for m in items if m.start <= a < m.end)

    check()


# ------------------------------------------------------------------ 4. truncated WARC
def _warc(n: int = 3) -> bytes:
    """A small WARC of ``n`` HTML responses, written by hand (warcio's writer leaks temp files)."""
    out = b""
    for i in range(n):
        body = (f"<html><head><title>Story {i}</title></head><body><article><p>Rebels attacked an "
                f"army base near Aleppo on day {i}, the Syrian army said in a statement on Monday.</p>"
                "</article></body></html>").encode()
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
        head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-00000000000{i}>\r\n"
                f"WARC-Target-URI: http://example.com/{i}\r\nWARC-Date: 2024-12-09T10:00:00Z\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n")
        out += head.encode() + http + b"\r\n\r\n"
    return out


@pytest.mark.parametrize("cut", ["body", "spliced", "header"])
def test_item4_truncated_warc_record_is_a_failure_and_the_good_ones_are_kept(tmp_path, cut):
    from newsevents.ingest import iter_articles

    data = _warc()
    second = data.index(b"WARC/1.0", 10)
    third = data.index(b"WARC/1.0", second + 10)
    cut_data = {"body": data[: third - 120], "spliced": data[: third - 120] + data[third:],
                "header": data[: second + 60]}[cut]
    path = tmp_path / "crawl.warc"
    path.write_bytes(cut_data)
    out = list(iter_articles([path]))
    good = [o for o in out if not hasattr(o, "reason")]
    bad = [o for o in out if hasattr(o, "reason")]
    assert [a.origin for a in good] == [f"{path}#record-1"]
    assert bad and bad[0].origin == f"{path}#record-2"
    assert all("\n" not in f.message for f in bad)
    assert any(f.reason == "truncated" for f in bad)


# ------------------------------------------------------------------ 5. control characters
def test_item5_control_characters_are_escaped_in_messages_and_tables(tmp_path, nlp_model):
    evil = "\x1b]0;pwned\x07"
    d = tmp_path / "in"
    d.mkdir()
    (d / f"bad{evil}.txt").write_bytes(b"\x00\x01binary")
    (d / "rec.jsonl").write_text(json.dumps({f"k{evil}": 1}) + "\n", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    res = invoke("run", str(d), "--db", str(db), "-q")
    assert res.exit_code == 3
    assert "\x1b" not in res.output and "\x07" not in res.output
    assert "\\x1b]0;pwned\\x07" in res.output
    for fmt in ("table", "csv", "json"):
        out = invoke("failures", "--db", str(db), "--format", fmt).output
        assert "\x1b" not in out and "\x07" not in out, fmt


def test_item5_printable():
    from newsevents.errors import printable

    assert printable("a\x1b[2Jb\u202ec\x9bd") == "a\\x1b[2Jb\\u202ec\\x9bd"
    assert printable("two\nlines", newlines=True) == "two\nlines"
    assert printable("plain é") == "plain é"


# ------------------------------------------------------------------ 6. option values
@pytest.mark.parametrize("args, option", [
    (["events", "--since", "2024-13"], "--since"),
    (["events", "--until", "2024-02-30"], "--until"),
    (["events", "--plover", "FOO"], "--plover"),
    (["events", "--root", "abc"], "--root"),
    (["events", "--limit", "-1"], "--limit"),
    (["events", "--article", "not-an-id"], "--article"),
    (["places", "--country", "ZZ"], "--country"),
    (["articles", "--theme", "NOPE"], "--theme"),
    (["articles", "--since", "someday"], "--since"),
    (["actors", "--limit", "-1"], "--limit"),
    (["run", "x.txt", "--scheduler", "foo"], "--scheduler"),
    (["run", "x.txt", "--published", "2024-13-45"], "--published"),
    (["run", "x.txt", "-j", "-1"], "-j"),
])
def test_item6_bad_option_values_exit_2_with_one_line(store, args, option):
    res = invoke(*args, "--db", str(store))
    assert res.exit_code == 2, res.output
    line = one_line_error(res)
    assert option.lstrip("-") in line and line.startswith("newsevents: error:")


def test_item6_dates_are_normalised_before_comparing(store):
    from newsevents.store import Store
    from newsevents.store.checks import date_bounds, normalize_date

    assert normalize_date("2024-12-9") == "2024-12-09"
    assert normalize_date("9 December 2024") == "2024-12-09"
    assert normalize_date("December 2024") == "2024-12"
    assert date_bounds("2024-02")[1].day == 29
    with Store(store, read_only=True) as s:
        every = s.events()
        assert s.events(until="2024-12-9") == [e for e in every if (e["date"] or {}).get("value")
                                                and e["date"]["value"][:10] <= "2024-12-09"]
        assert s.events(since="2024") == [e for e in every if (e["date"] or {}).get("value", "") >= "2024"]
        assert s.places(country="SY") == s.places(country="SYR") != []


def test_item6_limit_is_the_same_everywhere(store):
    for cmd in ("events", "actors", "quotes", "places", "articles", "stories", "failures"):
        n_all = len(json.loads(invoke(cmd, "--db", str(store), "--format", "json").output))
        n_zero = len(json.loads(invoke(cmd, "--db", str(store), "--format", "json", "--limit", "0").output))
        n_one = len(json.loads(invoke(cmd, "--db", str(store), "--format", "json", "--limit", "1").output))
        assert n_zero == n_all and n_one == min(1, n_all), cmd


def test_item6_like_wildcards_are_literal(store):
    from newsevents.store import Store

    with Store(store, read_only=True) as s:
        assert s.actors(name="%") == []
        assert s.actors(name="_") == []
        assert s.quotes(speaker="%") == []
        assert s.events(actor="%") == []
        assert s.actors(name="assad")  # still case-insensitive containment


# ------------------------------------------------------------------ 7. published dates
@pytest.mark.parametrize("value", ["yesterday", "2024-13-45", "0001-01-01", "9999-12-31T23:59:59-05:00"])
def test_item7_bad_published_warns_and_never_crashes(value, nlp_model):
    import newsevents

    r = newsevents.process("Rebels attacked an army base near Aleppo yesterday, the army said.", published=value)
    assert r.article.published is None
    assert any("published" in w for w in r.warnings)


def test_item7_published_is_parsed_leniently():
    from newsevents.ingest.dates import parse_published

    assert parse_published("Monday 9th of December 2024, 10:00").isoformat() == "2024-12-09T10:00:00+00:00"
    assert parse_published("03/04/2024") is None  # day/month order unknowable
    assert parse_published("1000-01-01") is None


def test_item7_run_published_and_source_for_stdin(tmp_path, nlp_model):
    db = tmp_path / "p.duckdb"
    res = invoke("run", "-", "--db", str(db), "-q", "--published", "2024-12-09", "--source", "Wire",
                 input="Rebels attacked an army base near Aleppo yesterday, the Syrian army said.\n")
    assert res.exit_code == 0, res.output
    with duckdb.connect(str(db), read_only=True) as con:
        pub, src = con.execute("SELECT published::DATE::VARCHAR, source FROM articles").fetchone()
        (date,) = con.execute("SELECT date_value FROM events LIMIT 1").fetchone()
    assert (pub, src) == ("2024-12-09", "Wire") and date == "2024-12-08"


# ------------------------------------------------------------------ 8. one normalisation
def test_item8_process_rejects_bytes_with_a_clear_type_error():
    import newsevents

    with pytest.raises(TypeError, match="str.*bytes|decode"):
        newsevents.process(b"Rebels attacked an army base.")


def test_item8_process_decodes_entities_like_the_jsonl_reader(tmp_path, nlp_model):
    import newsevents
    from newsevents.ingest import iter_articles

    text = "&quot;We will not surrender,&quot; the Syrian army said on Monday in Damascus."
    p = tmp_path / "r.jsonl"
    p.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    (rec,) = list(iter_articles([p]))
    r = newsevents.process(text)
    assert r.article.text == rec.text and "&quot;" not in r.article.text
    assert [q.text.rstrip(",") for q in r.quotes] == ["We will not surrender"]


# ------------------------------------------------------------------ 9. exit codes
def test_item9_missing_store_is_exit_3(tmp_path):
    res = invoke("events", "--db", str(tmp_path / "nope.duckdb"))
    assert res.exit_code == 3 and "no such store" in one_line_error(res)


def test_item9_gate_without_baseline_fails(tmp_path):
    res = invoke("gate", "--baseline", str(tmp_path / "missing.json"), "--data", str(tmp_path))
    assert res.exit_code == 3 and "baseline" in one_line_error(res)


def test_item9_allow_lower_without_reason_is_usage(tmp_path):
    res = invoke("gate", "--update", "--allow-lower", "--data", str(tmp_path))
    assert res.exit_code == 2 and "--reason" in one_line_error(res)


def test_item9_sigint_exits_130(tmp_path, monkeypatch):
    from newsevents.pipeline import runner

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_paths", interrupted)
    (tmp_path / "a.txt").write_text("Rebels attacked an army base near Aleppo.", encoding="utf-8")
    res = invoke("run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "i.duckdb"))
    assert res.exit_code == 130 and "interrupted" in one_line_error(res)


def test_item9_exit_codes_are_documented():
    from .conftest import ROOT

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for code in ("`0`", "`1`", "`2`", "`3`", "`5`", "`130`"):
        assert f"| {code} |" in doc
    assert "| `4` |" not in doc


# ------------------------------------------------------------------ 10. line breaks, wrong files
def test_item10_jsonl_breaks_only_at_newline(tmp_path, nlp_model):
    from newsevents.evaluate import read_jsonl
    from newsevents.ingest import iter_articles

    text = "Rebels attacked an army base\u2028near Aleppo on Monday,\x85 the Syrian army said."
    p = tmp_path / "r.jsonl"
    p.write_text(json.dumps({"text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert [r["text"] for r in read_jsonl(p)] == [text]
    assert len(list(iter_articles([p]))) == 1


@pytest.mark.parametrize("task", ["events", "dates", "quotes", "geo"])
def test_item10_eval_on_a_wrong_file_is_one_line(tmp_path, task):
    csv_file = tmp_path / "x.csv"
    csv_file.write_text("a,b\n1,2\n", encoding="utf-8")
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"foo": 1}) + "\n", encoding="utf-8")
    for path in (csv_file, other):
        res = invoke("eval", task, str(path))
        assert res.exit_code == 3, res.output
        assert str(path) in one_line_error(res)


def test_item10_bench_on_a_non_corpus_is_one_line(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    res = invoke("bench", str(p))
    assert res.exit_code == 3 and "corpus" in one_line_error(res)


def test_item10_bad_scheduler_leaves_no_store(tmp_path, monkeypatch):
    from newsevents.pipeline import parallel

    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT_S", 0.5)
    (tmp_path / "a.txt").write_text("Rebels attacked an army base near Aleppo.", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    res = invoke("run", str(tmp_path / "a.txt"), "--db", str(db), "--scheduler", "tcp://127.0.0.1:9")
    assert res.exit_code == 3 and "scheduler" in one_line_error(res)
    assert not db.exists() and not (tmp_path / "s.duckdb.wal").exists()


def test_item10_export_into_the_wrong_kind_of_target(store, tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    res = invoke("export", "--db", str(store), "--format", "csv", "--out", str(tmp_path / "afile"))
    assert res.exit_code == 3 and "folder" in one_line_error(res)
    res = invoke("export", "--db", str(store), "--format", "gdelt-events", "--out", str(tmp_path))
    assert res.exit_code == 3 and "file" in one_line_error(res)


# ------------------------------------------------------------------ 11. re-runs, junk, HTML
def test_item11_rerun_does_not_duplicate_failures(tmp_path):
    (tmp_path / "empty.txt").write_text("   ", encoding="utf-8")
    db = tmp_path / "f.duckdb"
    for _ in range(2):
        invoke("run", str(tmp_path / "empty.txt"), "--db", str(db), "-q")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM failures").fetchone()[0] == 1


def test_item11_random_bytes_jsonl_is_one_failure(tmp_path):
    import random

    from newsevents.ingest import iter_articles

    p = tmp_path / "junk.jsonl"
    p.write_bytes(random.Random(10).randbytes(60_000))
    out = list(iter_articles([p]))
    assert len(out) == 1 and out[0].origin == str(p)


def test_item11_deep_html_keeps_its_text_and_template_is_dropped(tmp_path):
    from newsevents.ingest import iter_articles

    body = "<p>Rebels attacked an army base near Aleppo on Monday, the Syrian army said.</p>"
    for depth in (300, 3000):
        p = tmp_path / f"deep{depth}.html"
        p.write_text("<html><body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>", encoding="utf-8")
        (a,) = list(iter_articles([p]))
        assert "Rebels attacked" in a.text, depth
    p = tmp_path / "t.html"
    p.write_text("<html><body><article>" + body + "<template><p>Iran bombed Israel in hidden "
                 "template markup that is never shown.</p></template></article></body></html>", encoding="utf-8")
    (a,) = list(iter_articles([p]))
    assert "Rebels attacked" in a.text and "Iran" not in a.text


# ------------------------------------------------------------------ 12. output consistency
def test_item12_csv_has_a_header_even_without_rows(store):
    res = invoke("failures", "--db", str(store), "--format", "csv")
    assert res.exit_code == 0 and res.output.splitlines() == ["origin,reason,message,article_id,failed_at"]


def test_item12_places_jsonl_is_per_mention_like_parquet(store, tmp_path):
    for fmt in ("jsonl", "parquet"):
        assert invoke("export", "--db", str(store), "--format", fmt, "--out", str(tmp_path / fmt)).exit_code == 0
    rows = [json.loads(x) for x in (tmp_path / "jsonl" / "places.jsonl").read_text(encoding="utf-8").splitlines()]
    n = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{tmp_path / 'parquet' / 'places.parquet'}')").fetchone()[0]
    assert len(rows) == n and {"article_id", "start", "end", "text"} <= set(rows[0])


# ------------------------------------------------------------------ 15-16. progress, docs, deps
def test_item15_scaling_doc_uses_the_pinned_dask_flag():
    from .conftest import ROOT

    doc = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    assert "--nprocs" not in doc and "--nworkers" in doc


def test_item15_progress_knows_the_total(tmp_path):
    from newsevents.ingest.inputs import count_documents

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "a"}\n{"text": "b"}\n{"text": "c"}', encoding="utf-8")
    (tmp_path / "c.csv").write_text("text\nx\ny\n", encoding="utf-8")
    assert count_documents([tmp_path]) == 6
    assert count_documents(["-"]) is None


def test_item15_tables_fit_the_terminal():
    from newsevents.cli.options import render_table

    rows = [{"date": "2024-12-08", "code": "SYRGOV", "evidence": "word " * 80}]
    out = render_table(rows, ["date", "code", "evidence"], max_width=60)
    assert max(len(line) for line in out.splitlines()) <= 60
    assert "".join(out.split()).count("word") == 80  # wrapped, not cut


def test_item16_declared_dependencies_are_used():
    import re

    from .conftest import ROOT

    deps = re.findall(r'^\s*"([A-Za-z0-9_.-]+)', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert "datasketch" not in deps and "rich" in deps and "dateparser" in deps
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    for mod in ("dateparser", "rich"):
        assert re.search(rf"^\s*(from|import) {mod}\b", src, re.M), mod

