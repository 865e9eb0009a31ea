"""Ingest: every reader, every failure reason, ids, stdin, directory walking."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from newsevents.errors import InputError
from newsevents.ingest import (
    MAX_BYTES, MIN_CHARS, IngestStats, article_id, iter_articles, make_article, parse_published,
    read_text_file, screen,
)
from newsevents.records import Article, Failure

FIX = Path(__file__).parent / "fixtures" / "ingest"
UTC = dt.timezone.utc


def read(*names: str, **kw) -> list[Article | Failure]:
    return list(iter_articles([FIX / n for n in names], **kw))


def one(name: str, **kw) -> Article | Failure:
    (item,) = read(name, **kw)
    return item


def assert_failure(item, reason: str, origin: str) -> Failure:
    assert isinstance(item, Failure), item
    assert item.reason == reason, item.message
    assert item.origin == origin
    assert item.message.startswith(origin + ": ")
    assert "\n" not in item.message
    return item


# --------------------------------------------------------------------------- make_article
def test_make_article_normalises_text():
    raw = "Cafe\u0301 talks\r\nresume.\x00  \r\n\r\n\r\n\r\nSecond\u200b  para\tgraph.   \n"
    art = make_article(raw, title="  Talks\nresume ")
    assert art.text == "Café talks\nresume.\n\nSecond para graph."
    assert art.title == "Talks resume"
    assert art.language == "en" and art.published is None


def test_ids_are_content_hashes():
    a = make_article("Troops withdrew from the border town on Monday.", title="Withdrawal",
                     url="https://a.example/1")
    b = make_article("Troops withdrew from the border town on Monday.\n", title="Withdrawal ",
                     url="https://b.example/2", source="Other")
    c = make_article("Troops withdrew from the border town on Monday.", title="Pull-out")
    assert a.id == b.id == article_id("Withdrawal", a.text)
    assert len(a.id) == 16 and int(a.id, 16) >= 0
    assert c.id != a.id  # a different headline is a different article


def test_ids_idempotent_across_reads():
    first = [x.id for x in read("articles.jsonl", "feeds/world.rss") if isinstance(x, Article)]
    second = [x.id for x in read("articles.jsonl", "feeds/world.rss") if isinstance(x, Article)]
    assert first == second and len(set(first)) == len(first) == 5


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2024-12-09", dt.datetime(2024, 12, 9, tzinfo=UTC)),
        ("2024-12-09T10:30:00Z", dt.datetime(2024, 12, 9, 10, 30, tzinfo=UTC)),
        ("2024-12-08T06:30:00+0200", dt.datetime(2024, 12, 8, 4, 30, tzinfo=UTC)),
        ("Mon, 09 Dec 2024 08:00:00 GMT", dt.datetime(2024, 12, 9, 8, tzinfo=UTC)),
        ("December 9, 2024", dt.datetime(2024, 12, 9, tzinfo=UTC)),
        ("Monday, 9th December 2024", dt.datetime(2024, 12, 9, tzinfo=UTC)),
        ("Dec. 9, 2024", dt.datetime(2024, 12, 9, tzinfo=UTC)),
        (dt.date(2024, 12, 9), dt.datetime(2024, 12, 9, tzinfo=UTC)),
        (dt.datetime(2024, 12, 9, 12), dt.datetime(2024, 12, 9, 12, tzinfo=UTC)),
        (1733702400, dt.datetime(2024, 12, 9, tzinfo=UTC)),
        ("2024", None),
        ("next week", None),
        ("", None),
    ],
)
def test_parse_published(value, expected):
    got = parse_published(value)
    assert got == expected
    if got is not None:
        assert got.tzinfo is not None


def test_unparseable_published_is_kept_raw():
    art = make_article("Lawmakers met again on Friday to debate the bill.", published="sometime soon")
    assert art.published is None and art.metadata["published_raw"] == "sometime soon"


def test_language_given_or_detected():
    fr = make_article("Le gouvernement a annoncé mardi une série de mesures pour soutenir les "
                      "agriculteurs touchés par la sécheresse dans le sud du pays.")
    assert fr.language == "fr"
    assert screen(fr).reason == "not_english"
    # Short English headlines full of names are not confidently anything: kept as English.
    for headline in ("Obama meets Merkel in Berlin", "Kim Jong-un visits Pyongyang factory",
                     "Lula da Silva hosts Hu Jintao at Granja do Torto"):
        art = make_article(headline)
        assert art.language == "en", headline
    assert make_article("x" * 30, language="en-GB").language == "en"
    assert make_article("Nachrichten", language="de").language == "de"


# --------------------------------------------------------------------------- formats
def test_plain_text_title_and_paragraphs():
    art = one("plain.txt")
    assert isinstance(art, Article)
    assert art.title == "Harbour workers strike over unpaid wages"
    assert art.text.startswith("Dock workers in the port city")
    assert "\n\nThe transport ministry" in art.text
    assert art.origin == str(FIX / "plain.txt")
    assert art.metadata["format"] == "text" and art.metadata["encoding"] == "utf-8"


def test_plain_text_without_title_line():
    art = one("nested/first.txt")
    assert art.title == "" and art.text.startswith("Villagers reported")


def test_html_page():
    art = one("article.html")
    assert isinstance(art, Article)
    assert art.title == "Ministers agree on grain corridor"
    assert art.published == dt.datetime(2023, 7, 14, 7, 15, tzinfo=UTC)
    assert art.source == "The Daily Ledger"
    assert art.url == "https://ledger.example.com/world/2023/grain-corridor"
    assert art.text.startswith("Agriculture ministers from four neighbouring countries")
    assert "storage shortages" in art.text
    for boilerplate in ("Subscribe", "Copyright", "Most read", "Celebrity chef", "analytics"):
        assert boilerplate not in art.text


def test_malformed_html_keeps_text():
    art = one("malformed.html")
    assert isinstance(art, Article)
    assert "Border guards detained eleven migrants" in art.text
    assert "pending a court hearing" in art.text


def test_html_without_text_is_no_text(tmp_path):
    p = tmp_path / "scripts.html"
    p.write_text("<html><head><title>x</title><script>var x = 'not text at all';</script></head>"
                 "<body><nav><a href='/'>Home</a></nav></body></html>")
    assert_failure(one_path(p), "no_text", str(p))


def one_path(p: Path, **kw):
    (item,) = list(iter_articles([p], **kw))
    return item


def test_jsonl_records_and_bad_lines():
    items = read("articles.jsonl")
    origin = str(FIX / "articles.jsonl")
    assert [x.origin for x in items] == [f"{origin}:{n}" for n in (1, 2, 4, 5, 6, 7)]
    a1, a2, bad_json, bad_list, no_text, a7 = items
    assert a1.title.startswith("Parliament passes budget") and a1.url == "https://example.org/budget"
    assert a1.source == "Example Wire" and a1.published == dt.datetime(2022, 3, 5, tzinfo=UTC)
    assert a1.metadata["source_id"] == "a-1" and a1.metadata["licence"] == "CC BY 4.0"
    assert a2.text.startswith("The foreign ministry") and a2.published.utcoffset() == dt.timedelta(hours=1)
    assert_failure(bad_json, "bad_record", f"{origin}:4")
    assert "invalid JSON" in bad_json.message
    assert_failure(bad_list, "bad_record", f"{origin}:5")
    assert_failure(no_text, "bad_record", f"{origin}:6")
    assert "keys: title, url" in no_text.message
    assert a7.text.startswith("Protesters blocked") and a7.published.date() == dt.date(2024, 12, 9)
    assert a7.language == "en"  # "en-GB" given in the record


def test_json_object_and_list(tmp_path):
    art = one("article.json")
    assert art.title == "Court orders release of journalists"
    # No source field: the URL's host stands for the outlet.
    assert art.source == "example.org" and art.metadata["source_basis"] == "url-host"
    assert art.published == dt.datetime(2019, 11, 20, 10, tzinfo=UTC)
    p = tmp_path / "list.json"
    p.write_text(json.dumps([
        {"headline": "Minister resigns", "body": "The interior minister resigned on Sunday after weeks of protests."},
        "not an object",
    ]))
    first, second = iter_articles([p])
    assert first.origin == f"{p}#item-1" and first.title == "Minister resigns"
    assert_failure(second, "bad_record", f"{p}#item-2")


def test_csv_and_tsv():
    origin = str(FIX / "articles.csv")
    strike, quake = read("articles.csv")
    assert strike.origin == f"{origin}:2" and strike.source == "Example Times"
    assert strike.url == "https://example.net/strike"
    # A quoted field spanning lines: the next row starts on line 3, paragraphs kept.
    assert quake.origin == f"{origin}:3" and quake.title == "Quake, aftershocks"
    assert "\n\nRescue teams" in quake.text and quake.url is None
    assert quake.published == dt.datetime(2021, 10, 2, 4, 10, tzinfo=UTC)
    (tsv,) = read("articles.tsv")
    assert tsv.title == "Ceasefire holds" and tsv.text.startswith("A ceasefire")


def test_csv_without_text_column_is_one_failure():
    (f,) = read("no_text_column.csv")
    assert_failure(f, "bad_record", str(FIX / "no_text_column.csv"))
    assert "columns: name, comment, score" in f.message


def test_rss_feed():
    origin = str(FIX / "feeds/world.rss")
    navy, bail, empty = read("feeds/world.rss")
    assert navy.origin == f"{origin}#item-1"
    assert navy.title == "Navy intercepts fishing fleet"
    assert navy.url == "https://courier.example.net/world/navy-fleet"
    assert navy.published == dt.datetime(2023, 3, 6, 14, 20, tzinfo=UTC)
    assert navy.source == "Northern Courier - World"
    assert navy.text.startswith("Navy patrol ships intercepted") and "\nThe crews" in navy.text
    assert "<p>" not in bail.text and "ending four months" in bail.text
    assert_failure(empty, "empty", f"{origin}#item-3")


def test_atom_feed():
    dam, farmers = read("feeds/region.atom")
    assert dam.title == "Dam talks collapse" and dam.url == "https://observer.example.org/dam-talks"
    assert dam.published == dt.datetime(2024, 2, 1, 15, 45, tzinfo=UTC)  # published, not updated
    assert dam.text.startswith("Negotiations between") and dam.metadata["author"] == "Desk Editor"
    assert farmers.text.startswith("Hundreds of farmers blocked")  # inline XHTML content
    assert farmers.url == "https://observer.example.org/farmers"


def test_warc():
    stats = IngestStats()
    (page,) = read("crawl.warc.gz", stats=stats)
    assert page.origin == f"{FIX / 'crawl.warc.gz'}#record-3"
    assert page.url == "https://bulletin.example.com/city/rail-strike"
    assert page.title == "Rail strike halts trains"
    assert page.published == dt.datetime(2022, 6, 15, 7, 30, tzinfo=UTC)  # from WARC-Date
    assert page.text.startswith("Train drivers walked out") and "Home" not in page.text
    assert stats.warc_records_skipped == 3  # warcinfo, request, image


def test_latin1_file_is_decoded():
    art = one("latin1.txt")
    assert art.title == "Manifestation à Genève"
    assert "café owners" in art.text and "Rhône" in art.text
    assert art.metadata["encoding"] == "cp1252"
    assert read_text_file(FIX / "latin1.txt").startswith("Manifestation à Genève")


# --------------------------------------------------------------------------- failures
@pytest.mark.parametrize(
    "name,reason,words",
    [
        ("image.txt", "binary", "binary"),
        ("undecodable.txt", "encoding", "decode"),
        ("empty.txt", "empty", "empty"),
        ("whitespace.txt", "empty", "empty"),
        ("short.txt", "empty", "too short"),
        ("french.txt", "not_english", "language: fr"),
        ("missing.txt", "unreadable", "no such file"),
    ],
)
def test_failure_reasons(name, reason, words):
    f = assert_failure(one(name), reason, str(FIX / name))
    assert words in f.message


def test_not_a_directory_is_unreadable():
    p = FIX / "plain.txt" / "child.txt"
    assert_failure(one_path(p), "unreadable", str(p))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_is_unreadable(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text("Officials refused to comment on the talks, citing security concerns.")
    p.chmod(0)
    assert_failure(one_path(p), "unreadable", str(p))


def test_read_text_file_raises_input_error():
    with pytest.raises(InputError) as err:
        read_text_file(FIX / "image.txt")
    assert err.value.reason == "binary"


def test_too_large_file_is_not_read(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("Negotiators met again. " * 200)
    f = assert_failure(one_path(p, max_bytes=1000), "too_large", str(p))
    assert "1,000" in f.message
    assert MAX_BYTES == 5_000_000 and MIN_CHARS == 20


def test_too_large_jsonl_record_is_skipped(tmp_path):
    p = tmp_path / "big.jsonl"
    small = {"text": "The army said it had repelled an attack on a checkpoint overnight."}
    p.write_text("\n".join([json.dumps({"text": "Talks stalled. " * 200}), json.dumps(small)]) + "\n")
    big, ok = iter_articles([p], max_bytes=1000)
    assert_failure(big, "too_large", f"{p}:1")
    assert ok.origin == f"{p}:2" and ok.text == small["text"]


def test_iteration_continues_after_failures():
    items = read("missing.txt", "image.txt", "plain.txt")
    assert [type(x).__name__ for x in items] == ["Failure", "Failure", "Article"]


# --------------------------------------------------------------------------- stdin, dirs
def test_stdin_jsonl_text_stream():
    lines = [{"text": "Rebels shelled the airport on Tuesday, the army said in a statement."},
             {"text": "Officials said the border would reopen next week after talks."}]
    stdin = io.StringIO("\n".join(json.dumps(x) for x in lines) + "\n")
    items = list(iter_articles(["-"], stdin=stdin))
    assert [x.origin for x in items] == ["-:1", "-:2"]
    assert items[1].text == lines[1]["text"]


def test_stdin_html_and_text_byte_streams():
    html = (FIX / "article.html").read_bytes()
    (art,) = iter_articles(["-"], stdin=io.BytesIO(html))
    assert art.title == "Ministers agree on grain corridor" and art.origin == "-"
    (txt,) = iter_articles(["-"], stdin=io.BytesIO((FIX / "plain.txt").read_bytes()))
    assert txt.title == "Harbour workers strike over unpaid wages"
    (empty,) = iter_articles(["-"], stdin=io.StringIO(""))
    assert_failure(empty, "empty", "-")


def test_directory_walk_sorted_hidden_skipped_unknown_sniffed():
    stats = IngestStats()
    items = list(iter_articles([FIX / "nested"], stats=stats))
    root = FIX / "nested"
    assert [x.origin for x in items] == [
        f"{root / 'deeper' / 'noext'}:1",  # no extension: sniffed as JSON Lines
        f"{root / 'deeper' / 'noext'}:2",
        str(root / "deeper" / "second.md"),
        str(root / "first.txt"),
    ]
    assert all(isinstance(x, Article) for x in items)
    assert stats.files == 3 and stats.articles == 4 and not stats.failures
    assert stats.files_skipped == 2  # README.md and deeper/tool.py
    # Named explicitly, a README is read like any text file.
    (readme,) = iter_articles([root / "README.md"])
    assert isinstance(readme, Article)


# --------------------------------------------------------------------------- more inputs
def test_gzipped_jsonl_and_stdin(tmp_path):
    import gzip

    rec = {"title": "Curfew lifted", "text": "Authorities lifted the night curfew in the northern city on Friday."}
    p = tmp_path / "news.jsonl.gz"
    p.write_bytes(gzip.compress((json.dumps(rec) + "\n").encode()))
    (art,) = iter_articles([p])
    assert art.origin == f"{p}:1" and art.title == "Curfew lifted"
    (art2,) = iter_articles(["-"], stdin=io.BytesIO(p.read_bytes()))
    assert art2.id == art.id and art2.origin == "-:1"


def test_record_text_fallbacks(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text(
        json.dumps({"text": None, "content": "Two soldiers were wounded when a mine exploded near the base."}) + "\n"
        + json.dumps({"text": None, "title": "Nothing"}) + "\n"
        + json.dumps({"text": 42}) + "\n"
    )
    ok, empty, bad = iter_articles([p])
    assert ok.text.startswith("Two soldiers")
    assert_failure(empty, "empty", f"{p}:2")
    assert_failure(bad, "bad_record", f"{p}:3")


def test_broken_feed_keeps_good_items(tmp_path):
    p = tmp_path / "broken.xml"
    p.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>"
        "<item><title>Port reopens</title><description>The main port reopened on Sunday after a "
        "week-long closure caused by the storm &amp; flooding.</description></item>"
        "<item><title>Cut off"
    )
    items = list(iter_articles([p]))
    assert isinstance(items[0], Article) and items[0].title == "Port reopens"
    assert "storm & flooding" in items[0].text
    assert all(isinstance(x, (Article, Failure)) for x in items)


def test_ambiguous_slashed_dates_are_not_guessed():
    assert parse_published("25/12/2024") == parse_published("12/25/2024") == dt.datetime(2024, 12, 25, tzinfo=UTC)
    assert parse_published("03/04/2024") is None
    assert parse_published("1733702400") == dt.datetime(2024, 12, 9, tzinfo=UTC)


def test_not_english_message_names_language():
    f = one("french.txt")
    assert "language: fr, probability" in f.message
    art = make_article("Die Regierung hat am Dienstag neue Sanktionen beschlossen.", language="de")
    assert screen(art).message.endswith("(language: de, as given)")


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    given = None

if given is not None:

    @settings(max_examples=100, deadline=None)
    @given(st.text(max_size=300), st.text(max_size=40))
    def test_make_article_total_and_idempotent(text, title):
        art = make_article(text, title=title, language="en")
        again = make_article(art.text, title=art.title, language="en")
        assert again.text == art.text and again.title == art.title and again.id == art.id
        assert "\x00" not in art.text and "\r" not in art.text and "\n" not in art.title
        assert art.text == art.text.strip() and "\n\n\n" not in art.text


def test_hard_wrapped_text_is_unwrapped_but_lists_kept():
    art = one("wrapped.txt")
    assert art.title == "Flooding forces evacuations"
    paras = art.text.split("\n\n")
    assert paras[0].startswith("Emergency services") and "\n" not in paras[0]
    assert "low-lying districts on Tuesday" in paras[0]
    assert paras[1].splitlines() == ["Officials listed the measures taken:", "- schools closed until Friday",
                                     "- the ring road shut to traffic"]
    assert "\n" not in paras[2]
    # Text with ordinary long paragraph lines is left alone.
    assert one("plain.txt").text.count("\n") == 2


def test_record_text_entities_and_markup_residue(tmp_path):
    p = tmp_path / "scraped.jsonl"
    p.write_text(json.dumps({
        "title": "Talks &amp; truce",
        "text": "The minister said &quot;we will not retreat&quot; on Monday.&lt;br&gt;"
                "&lt;div style=&quot;float:left&quot;&gt;Aid convoys reached the town.&lt;/div&gt;"
                "&lt;!-- hidden editor note --&gt;",
    }) + "\n")
    (art,) = iter_articles([p])
    assert art.title == "Talks & truce"
    assert art.text == 'The minister said "we will not retreat" on Monday.\n\nAid convoys reached the town.'
    assert art.metadata["text_cleaned"] == "markup"
    # Plain prose with an ampersand or a comparison is left alone.
    q = tmp_path / "plain.jsonl"
    q.write_text(json.dumps({"text": "AT&T said profits rose, though costs were < 5% of sales this year."}) + "\n")
    (plain,) = iter_articles([q])
    assert plain.text == "AT&T said profits rose, though costs were < 5% of sales this year."
    assert "text_cleaned" not in plain.metadata


def test_site_furniture_lines_are_dropped(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(
        "<html><body><div><h1>Bridge reopens</h1><p>The river bridge reopened to traffic on "
        "Monday after three months of repairs, the city said.</p><p>Read more: Mayor unveils new "
        "budget plan</p><p>Advertisement</p><p>More than 40 trucks crossed in the first hour, "
        "officials said.</p></div></body></html>"
    )
    (art,) = iter_articles([p])
    assert "Mayor unveils" not in art.text and "Advertisement" not in art.text
    assert "More than 40 trucks crossed" in art.text


@pytest.mark.parametrize(
    "value,precision",
    [("2024-12-09", "day"), ("December 9, 2024", "day"), ("2024-03-05T00:00:00", "day"),
     ("2024-12-09T10:30:00Z", "time"), ("Mon, 09 Dec 2024 08:00:00 GMT", "time"),
     (dt.date(2024, 12, 9), "day"), (dt.datetime(2024, 12, 9, 0, 0), "time")],
)
def test_published_precision(value, precision):
    art = make_article("Officials met on Monday to discuss the new border agreement.", published=value)
    assert art.metadata["published_precision"] == precision


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Pemerintah mengumumkan langkah-langkah baru pada hari Selasa untuk membantu petani yang "
         "terkena dampak kekeringan.", {"id", "ms"}),
        ("أعلنت الحكومة يوم الثلاثاء عن إجراءات جديدة لدعم المزارعين المتضررين من الجفاف. وقال الوزير "
         "إن المساعدات ستدفع قبل نهاية الشهر.", {"ar"}),
        ("Die Regierung hat am Dienstag neue Sanktionen gegen mehrere Unternehmen beschlossen.", {"de"}),
    ],
)
def test_non_english_even_when_langid_splits_siblings(text, lang):
    art = make_article(text)
    assert art.language in lang
    assert screen(art).reason == "not_english"


def test_html_declared_charset_and_tsv_without_quoting(tmp_path):
    page = ('<html><head><meta charset="windows-1252"><title>Strike</title></head><body><p>'
            "The union\u2019s leader said the strike at the Sa\u00f4ne plant would go on until "
            "managers reopened talks on pay.</p></body></html>")
    p = tmp_path / "cp1252.html"
    p.write_bytes(page.encode("cp1252"))
    (art,) = iter_articles([p])
    assert "union\u2019s leader" in art.text and "Sa\u00f4ne" in art.text
    t = tmp_path / "quotes.tsv"
    t.write_text('title\ttext\nFight on\t"We will fight on," the rebel commander said on Sunday.\n'
                 "Talks\tDiplomats met again in the capital on Monday to discuss a truce.\n")
    first, second = iter_articles([t])
    assert first.text == '"We will fight on," the rebel commander said on Sunday.'
    assert second.origin == f"{t}:3" and second.title == "Talks"


def test_plain_text_date_line_becomes_published(tmp_path):
    p = tmp_path / "dated.txt"
    p.write_text("Harbour strike spreads\nPublished: December 9, 2024\n\n"
                 "Dock workers in two more ports walked out on Monday, the union said.\n")
    (art,) = iter_articles([p])
    assert art.title == "Harbour strike spreads"
    assert art.published == dt.datetime(2024, 12, 9, tzinfo=UTC)
    assert art.text == "Dock workers in two more ports walked out on Monday, the union said."
    # A date inside a sentence is story text, not a publication date.
    q = tmp_path / "undated.txt"
    q.write_text("Dock workers walked out on Monday, December 9, 2024, the union said.\n")
    (art2,) = iter_articles([q])
    assert art2.published is None and "December 9, 2024" in art2.text


def test_truncated_gzip_is_unreadable(tmp_path):
    import gzip

    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(gzip.compress(b'{"text": "The army said it repelled an attack."}\n' * 50)[:60])
    items = list(iter_articles([p]))
    assert_failure(items[-1], "unreadable", str(p))
    assert "truncated" in items[-1].message


if given is not None:
    _PIECES = [b"<html>", b"<p>", b"</p>", b"<rss><channel><item><title>", b"</item>", b"{", b"}", b"[",
               b'"text":', b'"', b",", b"\t", b"\n", b"\x00", b"\xff\xfe", b"WARC/1.0\r\n", b"&quot;",
               b"<![CDATA[", b"The army attacked the town on Monday, officials said. ", bytes(range(128, 256))]

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=30),
           st.sampled_from([".txt", ".html", ".jsonl", ".json", ".csv", ".tsv", ".rss", ".xml", ".warc", ""]))
    def test_any_bytes_never_raise(parts, ext):
        import tempfile

        data = b"".join(parts)
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / f"doc{ext}"
            p.write_bytes(data)
            items = list(iter_articles([p], max_bytes=2000)) + list(iter_articles(["-"], stdin=io.BytesIO(data)))
        for x in items:
            assert isinstance(x, (Article, Failure))
            if isinstance(x, Failure):
                assert x.message.startswith(x.origin + ": ") and "\n" not in x.message
                assert "reader error" not in x.message


def test_feed_furniture_dropped(tmp_path):
    p = tmp_path / "wp.rss"
    p.write_text(
        "<rss version='2.0'><channel><title>Valley Times</title><item><title>Dam opens</title>"
        "<description>&lt;p&gt;Engineers opened the spillway of the new dam on Sunday after heavy "
        "rain filled the reservoir.&lt;/p&gt;&lt;p&gt;Continue reading &#8594;&lt;/p&gt;&lt;p&gt;The post "
        "&lt;a href='x'&gt;Dam opens&lt;/a&gt; appeared first on &lt;a href='y'&gt;Valley Times&lt;/a&gt;."
        "&lt;/p&gt;</description></item></channel></rss>"
    )
    (art,) = iter_articles([p])
    assert art.text == "Engineers opened the spillway of the new dam on Sunday after heavy rain filled the reservoir."


def test_headline_repeated_in_record_text_is_removed(tmp_path):
    p = tmp_path / "dup.jsonl"
    p.write_text(json.dumps({"title": "Ferry sinks", "text": "Ferry sinks\nA ferry sank off the coast on "
                             "Friday; all passengers were rescued."}) + "\n"
                 + json.dumps({"title": "Ferry sinks", "text": "Ferry sinks near the port, all rescued."}) + "\n")
    first, second = iter_articles([p])
    assert first.text.startswith("A ferry sank") and first.metadata["title_removed_from_text"]
    assert second.text == "Ferry sinks near the port, all rescued."


def test_record_field_variants(tmp_path):
    p = tmp_path / "variants.jsonl"
    p.write_text(json.dumps({"Head-line": "x", "Full Text": ["Police dispersed the rally on Sunday.",
                                                            "Organisers said they would march again."],
                             "Published": {"$date": "2023-05-07T09:00:00Z"}, "body": "teaser only"}) + "\n")
    (art,) = iter_articles([p])
    assert art.text == "Police dispersed the rally on Sunday.\n\nOrganisers said they would march again."
    assert art.published == dt.datetime(2023, 5, 7, 9, tzinfo=UTC)
    assert "body" not in art.metadata  # a second text field is not copied into metadata


def test_placeholder_language_is_detected():
    art = make_article("The army said it had repelled an attack on a checkpoint overnight.", language="und")
    assert art.language == "en" and "language_detected" in art.metadata
    assert make_article("Officials met on Monday to discuss the plan.", language="unknown").language == "en"


def test_wiki_markup_in_records_is_removed(tmp_path):
    p = tmp_path / "wiki.jsonl"
    p.write_text(json.dumps({"text": "The ''Daily Courier '' quoted [[Ministry of Defence|defence]] officials, "
                                     "who said ''all units'' had withdrawn. It's the soldiers' turn."}) + "\n")
    (art,) = iter_articles([p])
    assert art.text == ("The Daily Courier quoted defence officials, who said all units had withdrawn. "
                        "It's the soldiers' turn.")
    assert art.metadata["text_cleaned"] == "wiki"
