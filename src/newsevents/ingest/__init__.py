"""Ingest: read documents in any supported format and turn them into ``Article`` records.

``iter_articles(paths)`` walks files, directories and stdin ("-") and yields an ``Article`` per
document, or a ``Failure`` per document it cannot use; it never raises for bad input.
``make_article(text, ...)`` builds one Article from values held in memory.

Formats (by extension, else sniffed from the content): plain text, HTML, JSON Lines, JSON,
CSV/TSV, RSS/Atom feeds, WARC(.gz). See docs/input-formats.md for fields and failure reasons.

Limits:
- ``MAX_BYTES`` = 5 MB per document: a whole file for text/HTML/feeds, one record (line, row,
  WARC record) for JSONL/CSV/WARC, which are streamed and may be any size. A long news story is
  ~50 KB of text and ~1-2 MB of HTML page, so 5 MB only stops data dumps and mis-named files,
  which would also take minutes to parse. Files are ``stat``-ed first, never read to find out.
- ``MIN_CHARS`` = 20 letters: less cannot hold a codeable event ("Troops fired on protesters"
  has 23). Shorter documents fail as "empty".

Ids: ``article_id`` is the sha1 of the normalised title + "\\n" + normalised text (16 hex
chars). The same story read from two URLs, files or formats with the same title and text is
the same article (re-ingesting is idempotent); the URL is not part of the id. A different title
makes a different id: outlets re-headline wire copy, and the fusion stage links such
near-duplicates as reports of one story while keeping each report's own headline.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import os
from pathlib import Path
from typing import IO, Any, Iterator, Sequence

from newsevents.ingest.common import (
    DecodeError, Item, decode_bytes, fail, letter_count, normalize_line, normalize_text,
)
from newsevents.ingest.dates import parse_published, published_precision
from newsevents.ingest.inputs import IngestStats, iter_items, os_problem
from newsevents.ingest.lang import detect_language, normalize_language
from newsevents.errors import printable
from newsevents.records import Article, Failure

__all__ = [
    "MAX_BYTES", "MAX_CHARS", "MIN_CHARS", "IngestStats", "article_id", "iter_articles", "make_article",
    "parse_published", "read_text_file", "screen", "to_article",
]

log = logging.getLogger(__name__)

#: Size limit per document (see the module docstring).
MAX_BYTES = 5_000_000
#: Longest text coded as one document, in characters (after extraction and normalisation).
#: spaCy's own limit is 1,000,000 (E088); the longest news features run ~50,000 characters and
#: a 200,000-character document (~35,000 words, a book chapter) takes ~30 s to code on one core,
#: every stage linear in length (issue 10). Longer texts are data dumps or concatenations: they
#: fail as "too_large" with a message that says to split them.
MAX_CHARS = 200_000
#: Minimum number of letters a document needs to be coded.
MIN_CHARS = 20

# Language values that state nothing (ISO 639-2 "und"/"mul"/"zxx", and common placeholders).
_UNSTATED = frozenset({"und", "unknown", "mul", "zxx", "xx", "none", "null", "n/a", ""})

# --------------------------------------------------------------------------- articles
def article_id(title: str, text: str) -> str:
    """Stable content hash of a normalised title and text (16 hex characters)."""
    key = f"{title}\n{text}".encode("utf-8")
    return hashlib.sha1(key).hexdigest()[:16]


def make_article(
    text: str,
    *,
    title: str = "",
    url: str | None = None,
    source: str | None = None,
    published: str | _dt.date | _dt.datetime | None = None,
    origin: str = "",
    metadata: dict | None = None,
    language: str | None = None,
) -> Article:
    """Build an Article: normalise text and title, parse ``published``, hash the id, and
    detect the language when ``language`` is not given. Never rejects: see ``screen``.

    The one text normalisation of every entry point (files, records, pages, ``process()``):
    HTML entities decoded (``&quot;`` hid quotations from the quote stage when text came
    through the API), stray markup rendered, wiki markup dropped, then ``normalize_text``.
    """
    from newsevents.ingest.html import clean_record_text

    for name, value in (("text", text), ("title", title)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"make_article(): {name} must be a str, not {type(value).__name__}")
    meta = dict(metadata or {})
    text, cleaned = clean_record_text(text or "")
    if cleaned and "text_cleaned" not in meta:
        meta["text_cleaned"] = cleaned
    text = normalize_text(text)
    title = normalize_line(clean_record_text(title)[0] if title else "")
    when = parse_published(published)
    if published not in (None, "") and when is None:
        meta["published_raw"] = printable(str(published)[:100])
        # kept as data, said once: the article is then dated by its text alone
        meta.setdefault("warnings", []).append(
            f"published: cannot read {meta['published_raw']!r} as a publication date "
            "(need a day, e.g. 2024-12-09 or '9 December 2024', between 1800 and 2200); "
            "relative dates in the text are left unresolved")
    elif when is not None:
        # Whether the hour is known: a date alone becomes midnight UTC, which must not be read
        # as a time (e.g. to move "yesterday" across a day boundary).
        meta["published_precision"] = published_precision(published)
    lang = normalize_language(language) if language else "und"
    if lang in _UNSTATED:
        # "und", "unknown", "mul"... say nothing about the language: detect it.
        found = detect_language(f"{title}\n{text}")
        meta["language_detected"] = {"lang": found.lang, "prob": round(found.prob, 3), "method": found.method}
        # Undetermined (short or unsure) text is kept as English: a short English headline
        # full of names must not be rejected, and the pipeline only codes English.
        lang = found.lang if found.lang != "und" else "en"
    url = (url or "").strip() or None
    source = normalize_line(source) if source else None
    if source is None and url:
        # No outlet named: its web host stands for it (GDELT's SourceCommonName does the same),
        # so reports from different sites count as different sources when fused.
        source = _host(url)
        if source:
            meta["source_basis"] = "url-host"
    return Article(
        id=article_id(title, text),
        text=text,
        title=title,
        url=url,
        source=source,
        published=when,
        language=lang,
        origin=origin,
        metadata=meta,
    )


def _host(url: str) -> str | None:
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    return host[4:] if host.startswith("www.") else (host or None)


def screen(article: Article, *, min_chars: int = MIN_CHARS, max_chars: int = MAX_CHARS) -> Failure | None:
    """Why an article cannot be coded ("empty", "too_large", "not_english"), or None when it can."""
    origin = article.origin or article.id
    if len(article.text) > max_chars:
        return Failure(origin, "too_large",
                       f"{printable(origin)}: text is {len(article.text):,} characters, over the "
                       f"{max_chars:,}-character limit per document; split it into articles",
                       article.id)
    letters = letter_count(article.text, at_least=min_chars)
    if letters < min_chars:
        what = (f"too short to code ({letters} letters, need {min_chars})" if article.text.strip()
                else "empty document")
        return Failure(origin, "empty", f"{printable(origin)}: {what}", article.id)
    if article.language != "en":
        found = article.metadata.get("language_detected")
        detected = isinstance(found, dict) and found.get("prob")
        how = f", probability {found['prob']:.2f}" if detected else ", as given"
        message = printable(f"{origin}: not English (language: {article.language}{how})")
        return Failure(origin, "not_english", message, article.id)
    return None


# --------------------------------------------------------------------------- reading
def read_text_file(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read and decode one text file (UTF-8 with or without BOM, UTF-16 with BOM, else the
    detected single-byte encoding). Raises ``InputError`` (reason unreadable, too_large,
    binary or encoding)."""
    from newsevents.errors import InputError

    origin = str(path)
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise InputError(origin, "too_large", f"{size:,} bytes, over the {max_bytes:,}-byte limit")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(origin, "unreadable", os_problem(exc)) from exc
    if len(data) > max_bytes:
        raise InputError(origin, "too_large", f"over the {max_bytes:,}-byte limit")
    try:
        return decode_bytes(data)[0]
    except DecodeError as exc:
        raise InputError(origin, exc.reason, str(exc)) from exc


def _to_article(item: Item, min_chars: int, defaults: dict[str, Any] | None = None) -> Article | Failure:
    if isinstance(item, Failure):
        return item
    for key, value in (defaults or {}).items():
        # ``run --published/--source``: for documents that do not state their own
        if value is not None and getattr(item, key) in (None, ""):
            setattr(item, key, value)
            item.metadata[f"{key}_basis"] = "option"
    if item.metadata.get("format") in ("html", "warc"):
        # Markup that yields (almost) no text is an extraction problem, not an empty input.
        letters = letter_count(item.text, at_least=min_chars)
        if letters < min_chars:
            problem = f"no article text could be extracted from the HTML ({letters} letters)"
            return fail(item.origin, "no_text", problem)
    elif not item.text.strip():
        return fail(item.origin, "empty", "empty document")
    try:
        art = make_article(item.text, title=item.title, url=item.url, source=item.source,
                           published=item.published, origin=item.origin, metadata=item.metadata,
                           language=item.language)
    except Exception as exc:  # a reader bug must not stop a batch: report it as data
        log.exception("%s: could not build article", item.origin)
        return fail(item.origin, "bad_record", f"could not build article ({type(exc).__name__}: {exc})")
    return screen(art, min_chars=min_chars) or art


def to_article(item: Item, min_chars: int = MIN_CHARS, defaults: dict[str, Any] | None = None) -> Article | Failure:
    """One document a reader found -> an Article (normalised, hashed, language-checked) or the
    Failure saying why it cannot be coded. ``iter_articles`` = ``iter_items`` + this.
    ``defaults`` ({"published": ..., "source": ...}) fill fields the document does not state."""
    return _to_article(item, min_chars, defaults)


def iter_articles(
    paths: Sequence[str | Path],
    *,
    max_bytes: int = MAX_BYTES,
    stdin: IO[Any] | None = None,
    min_chars: int = MIN_CHARS,
    stats: IngestStats | None = None,
    published: str | _dt.date | _dt.datetime | None = None,
    source: str | None = None,
) -> Iterator[Article | Failure]:
    """Yield an Article or a Failure for every document in ``paths`` (files, directories walked
    recursively, "-" for stdin). Lazy: one document in memory at a time. Never raises for a
    bad document. ``published`` and ``source`` are used for documents that state none (plain
    text and stdin have no metadata)."""
    defaults = {"published": published, "source": source}
    stats = stats if stats is not None else IngestStats()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for p in paths:
        for item in iter_items(p, max_bytes=max_bytes, stats=stats, stdin=stdin):
            out = _to_article(item, min_chars, defaults)
            if isinstance(out, Failure):
                stats.failures[out.reason] += 1
            else:
                stats.articles += 1
            yield out
