"""Fuzzing the readers and ``process()`` (issue 10): whatever the bytes, no exception escapes and
every failure is one printable line naming its input.

Bounded for CI: a fixed number of examples per reader and no per-example deadline, so the module
runs in well under 30 s on one core (``derandomize`` keeps runs reproducible; set
``HYPOTHESIS_PROFILE=long`` for a longer local search).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsevents.records import Failure

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

# Text that mixes news words with markup, quotes, control and odd Unicode characters.
WORDS = st.sampled_from(["Rebels", "attacked", "Aleppo", "the", "army", "said", ".", ",", "\"", "'",
                         "<p>", "</p>", "<div>", "&quot;", "&amp;", "\n", "\r\n", "\t", "\x00", "\x1b]0;x\x07",
                         "\u2028", "\x85", "\ufeff", "\u202e", "é", "Дамаск", "دمشق", "12/10/2024", "{", "}",
                         "WARC/1.0", "<template>", "<script>", "]]>", "<![CDATA["])
TEXT = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=60).map(" ".join))
BYTES = st.one_of(st.binary(max_size=600), TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")))


def _check(items: list, name: str) -> None:
    assert items, "every input yields at least one article or failure"
    for it in items:
        if isinstance(it, Failure):
            assert "\n" not in it.message and "\r" not in it.message, it.message
            assert "\x1b" not in it.message and "\x07" not in it.message, it.message
            assert it.reason and it.origin.startswith(name[:1]) or name in it.origin or it.origin == "-"


def _read(data: bytes, suffix: str) -> list:
    from newsevents.ingest import iter_articles

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"doc{suffix}"
        p.write_bytes(data)
        items = list(iter_articles([p]))
        _check(items, str(p))
        return items


@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl", ".csv", ".tsv", ".json", ".xml", ".warc", ""])
def test_readers_never_raise_on_random_bytes(suffix):
    @settings(settings.get_profile(PROFILE))
    @given(BYTES)
    def run(data):
        _read(data, suffix)

    run()


def _record_lines(objs: list) -> bytes:
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in objs).encode("utf-8", "surrogatepass")


JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                          lambda kids: st.lists(kids, max_size=3) | st.dictionaries(TEXT, kids, max_size=3),
                          max_leaves=8)
RECORD = st.fixed_dictionaries({}, optional={"text": JSON_VALUE, "title": JSON_VALUE, "published": JSON_VALUE,
                                             "url": JSON_VALUE, "source": JSON_VALUE, "language": JSON_VALUE})


def test_jsonl_records_of_any_shape():
    @settings(settings.get_profile(PROFILE))
    @given(st.lists(RECORD, min_size=1, max_size=4))
    def run(records):
        _read(_record_lines(records), ".jsonl")

    run()


def test_csv_rows_of_any_shape():
    import csv
    import io

    @settings(settings.get_profile(PROFILE))
    @given(st.lists(st.lists(TEXT, min_size=1, max_size=4), min_size=1, max_size=5))
    def run(rows):
        buf = io.StringIO()
        csv.writer(buf).writerows([["text", "title", "published", "source"]] + rows)
        _read(buf.getvalue().encode("utf-8", "surrogatepass"), ".csv")

    run()


def test_feeds_with_any_item_text():
    from xml.sax.saxutils import escape

    @settings(settings.get_profile(PROFILE))
    @given(st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=3))
    def run(items):
        body = "".join(f"<item><title>{escape(t)}</title><description>{escape(d)}</description>"
                       f"<pubDate>{escape(p)}</pubDate></item>" for t, d, p in items)
        xml = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>'
        _read(xml.encode("utf-8", "surrogatepass"), ".rss")

    run()


def test_warc_with_any_payload_and_cuts():
    @settings(settings.get_profile(PROFILE))
    @given(BYTES, st.integers(0, 400))
    def run(payload, cut):
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>" + payload + b"</p></body></html>"
        rec = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/\r\n"
               b"WARC-Date: 2024-12-09T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
               b"Content-Length: " + str(len(http)).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
        data = rec * 2
        _read(data[: len(data) - cut], ".warc")

    run()


def test_process_never_raises_on_text(nlp_model):
    import newsevents

    @settings(settings.get_profile(PROFILE), max_examples=min(settings.get_profile(PROFILE).max_examples, 20))
    @given(TEXT, st.one_of(st.none(), TEXT, st.dates().map(str)))
    def run(text, published):
        r = newsevents.process(text, published=published)
        assert r.article.text == r.article.text.strip()
        for w in r.warnings:
            assert "\n" not in w

    run()
