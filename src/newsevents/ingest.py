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
import gzip
import hashlib
import io
import logging
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, Iterator, Sequence

from ._readers_common import (
    SNIFF_BYTES, DecodeError, Item, RawDoc, decode_bytes, fail, letter_count, normalize_line,
    normalize_text, read_limited, unwrap_lines,
)
from ._readers_dates import parse_published
from ._readers_lang import detect_language, normalize_language
from ._readers_records import JSON_FILE_FACTOR
from .records import Article, Failure

__all__ = [
    "MAX_BYTES", "MIN_CHARS", "IngestStats", "article_id", "iter_articles", "make_article",
    "parse_published", "read_text_file", "screen",
]

log = logging.getLogger(__name__)

_GZIP = b"\x1f\x8b"

#: Size limit per document (see the module docstring).
MAX_BYTES = 5_000_000
#: Minimum number of letters a document needs to be coded.
MIN_CHARS = 20

# A first line this short, followed by a blank line, is a headline ("Rebels enter Damascus")
# rather than a paragraph: news headlines run 40-100 characters, a lede sentence >120.
_TITLE_MAX = 150

_EXT = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".arc": "warc",
}


@dataclass
class IngestStats:
    """Counters filled while iterating (pass one to ``iter_articles(stats=...)``)."""

    files: int = 0
    articles: int = 0
    failures: Counter = field(default_factory=Counter)
    warc_records_skipped: int = 0


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
    detect the language when ``language`` is not given. Never rejects: see ``screen``."""
    text = normalize_text(text or "")
    title = normalize_line(title or "")
    meta = dict(metadata or {})
    when = parse_published(published)
    if published not in (None, "") and when is None:
        meta["published_raw"] = str(published)[:100]
    if language:
        lang = normalize_language(language)
    else:
        found = detect_language(f"{title}\n{text}")
        meta["language_detected"] = {"lang": found.lang, "prob": round(found.prob, 3), "method": found.method}
        # Undetermined (short or unsure) text is kept as English: a short English headline
        # full of names must not be rejected, and the pipeline only codes English.
        lang = found.lang if found.lang != "und" else "en"
    return Article(
        id=article_id(title, text),
        text=text,
        title=title,
        url=(url or "").strip() or None,
        source=normalize_line(source) if source else None,
        published=when,
        language=lang,
        origin=origin,
        metadata=meta,
    )


def screen(article: Article, *, min_chars: int = MIN_CHARS) -> Failure | None:
    """Why an article cannot be coded ("empty", "not_english"), or None when it can."""
    origin = article.origin or article.id
    letters = letter_count(article.text, at_least=min_chars)
    if letters < min_chars:
        what = "empty document" if not article.text.strip() else f"too short to code ({letters} letters, need {min_chars})"
        return Failure(origin, "empty", f"{origin}: {what}", article.id)
    if article.language != "en":
        found = article.metadata.get("language_detected")
        how = f", probability {found['prob']:.2f}" if isinstance(found, dict) and found.get("prob") else ", as given"
        return Failure(origin, "not_english", f"{origin}: not English (language: {article.language}{how})", article.id)
    return None


# --------------------------------------------------------------------------- reading
def read_text_file(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read and decode one text file (UTF-8 with or without BOM, UTF-16 with BOM, else the
    detected single-byte encoding). Raises ``InputError`` (reason unreadable, too_large,
    binary or encoding)."""
    from .errors import InputError

    origin = str(path)
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise InputError(origin, "too_large", f"{size:,} bytes, over the {max_bytes:,}-byte limit")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(origin, "unreadable", _os_problem(exc)) from exc
    if len(data) > max_bytes:
        raise InputError(origin, "too_large", f"over the {max_bytes:,}-byte limit")
    try:
        return decode_bytes(data)[0]
    except DecodeError as exc:
        raise InputError(origin, exc.reason, str(exc)) from exc


def _os_problem(exc: OSError) -> str:
    return f"cannot read ({exc.strerror or type(exc).__name__})"


def _split_title(text: str) -> tuple[str, str]:
    """Plain text: the first line is the title when it is short, has no sentence-final full
    stop, and is followed by a blank line and more text; otherwise there is no title."""
    first, sep, rest = text.partition("\n\n")
    if sep and rest.strip() and "\n" not in first and len(first) <= _TITLE_MAX and not first.endswith("."):
        return first.strip(), rest
    return "", text


def _sniff(head: bytes) -> str:
    """Format of a document from its first bytes (for stdin and unknown extensions)."""
    from ._readers_feeds import looks_like_feed
    from ._readers_html import looks_like_html

    if head.startswith(b"WARC/"):
        return "warc"
    s = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if s.startswith(b"{"):
        line = s.split(b"\n", 1)[0]
        if line.rstrip().endswith(b"}") and b"\n" in s:
            return "jsonl"
        return "json"
    if s.startswith(b"["):
        return "json"
    if looks_like_feed(s):
        return "feed"
    if looks_like_html(s):
        return "html"
    return "text"


def _format_of(path: Path, head: bytes) -> str:
    name = path.name.lower()
    if name.endswith((".warc.gz", ".arc.gz")) or head.startswith(b"WARC/"):
        return "warc"
    fmt = _EXT.get(path.suffix.lower())
    if fmt == "feed" and path.suffix.lower() == ".xml":
        # .xml is also sitemaps, NewsML, TEI...: only a feed root makes it a feed.
        from ._readers_feeds import looks_like_feed

        return "feed" if looks_like_feed(head) else ("html" if b"<html" in head[:4096].lower() else "text")
    return fmt or _sniff(head)


def _read_doc(stream: BinaryIO, origin: str, fmt: str, max_bytes: int, stats: IngestStats) -> Iterator[Item]:
    """Read one opened document with the reader for ``fmt``; tag each record with the format."""
    for item in _dispatch(stream, origin, fmt, max_bytes, stats):
        if isinstance(item, RawDoc):
            item.metadata.setdefault("format", fmt)
        yield item


def _dispatch(stream: BinaryIO, origin: str, fmt: str, max_bytes: int, stats: IngestStats) -> Iterator[Item]:
    from . import _readers_records as rec

    if fmt == "jsonl":
        yield from rec.iter_jsonl(stream, origin, max_bytes)
        return
    if fmt in ("csv", "tsv"):
        yield from rec.iter_csv(stream, origin, max_bytes, delimiter="\t" if fmt == "tsv" else ",")
        return
    if fmt == "warc":
        from ._readers_warc import WarcCounts, iter_warc

        counts = WarcCounts()
        yield from iter_warc(stream, origin, max_bytes, counts)
        stats.warc_records_skipped += counts.skipped
        if counts.html == 0 and counts.records:
            yield fail(origin, "no_text", f"WARC has no HTML response records ({counts.records} records skipped)")
        return
    limit = max_bytes * JSON_FILE_FACTOR if fmt == "json" else max_bytes
    data = read_limited(stream, limit)
    if data is None:
        yield fail(origin, "too_large", f"over the {limit:,}-byte limit")
        return
    if fmt == "feed":
        from ._readers_feeds import iter_feed

        yield from iter_feed(data, origin)
        return
    try:
        text, enc = decode_bytes(data)
    except DecodeError as exc:
        yield fail(origin, exc.reason, str(exc))
        return
    meta = {"format": fmt, "encoding": enc}
    if fmt == "json":
        yield from rec.iter_json(text, origin)
    elif fmt == "html":
        from ._readers_html import extract_page

        raw = extract_page(text, origin)
        raw.metadata["encoding"] = enc
        yield raw
    else:
        title, body = _split_title(normalize_text(text))
        body = unwrap_lines(body)
        yield RawDoc(origin=origin, text=body, title=title, metadata=meta)


def _to_article(item: Item, min_chars: int) -> Article | Failure:
    if isinstance(item, Failure):
        return item
    if item.metadata.get("format") in ("html", "warc"):
        # Markup that yields (almost) no text is an extraction problem, not an empty input.
        letters = letter_count(item.text, at_least=min_chars)
        if letters < min_chars:
            return fail(item.origin, "no_text", f"no article text could be extracted from the HTML ({letters} letters)")
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


def _iter_files(path: Path) -> Iterator[Path | Failure]:
    """Files under a directory in sorted path order (a subdirectory's files come where its
    name sorts), hidden files and directories skipped; one listing in memory per level."""
    try:
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield fail(str(path), "unreadable", _os_problem(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir and not entry.is_symlink():  # symlinked directories are not followed: no loops
            yield from _iter_files(Path(entry.path))
        elif not is_dir:
            yield Path(entry.path)


def _iter_path(path: Path, max_bytes: int, stats: IngestStats) -> Iterator[Item]:
    origin = str(path)
    try:
        st = path.stat()
        if not path.is_file():
            yield fail(origin, "unreadable", "not a regular file")
            return
        stats.files += 1
        if st.st_size == 0:
            yield fail(origin, "empty", "empty file (0 bytes)")
            return
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
            fh.seek(0)
            fmt = _format_of(path, head)
            if head.startswith(_GZIP) and fmt != "warc":
                # news.jsonl.gz, feed.xml.gz...: read through gzip; the size limits then apply
                # to the decompressed bytes (read_limited / per record), so a bomb is cut off.
                with gzip.GzipFile(fileobj=fh) as gz:
                    inner = Path(path.name[:-3]) if path.name.lower().endswith(".gz") else Path("")
                    ghead = gz.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(gz, "peek") else b""
                    yield from _read_doc(gz, origin, _format_of(inner, ghead), max_bytes, stats)
                return
            streamed = fmt in ("jsonl", "csv", "tsv", "warc")
            limit = max_bytes * JSON_FILE_FACTOR if fmt == "json" else max_bytes
            if not streamed and st.st_size > limit:
                yield fail(origin, "too_large", f"{st.st_size:,} bytes, over the {limit:,}-byte limit")
                return
            yield from _read_doc(fh, origin, fmt, max_bytes, stats)
    except OSError as exc:
        yield fail(origin, "unreadable", _os_problem(exc))
    except Exception as exc:  # a reader bug must not end a batch: report the file, go on
        log.exception("%s: reader error", origin)
        yield fail(origin, "bad_record", f"reader error ({type(exc).__name__}: {exc})")


def _binary_stream(stdin: IO[Any]) -> BinaryIO:
    buf = getattr(stdin, "buffer", None)
    if buf is not None:
        return buf
    if isinstance(stdin.read(0), bytes):
        return stdin  # type: ignore[return-value]
    return _Utf8Bytes(stdin)


class _Utf8Bytes(io.RawIOBase):
    """A text stream (e.g. io.StringIO) seen as UTF-8 bytes, read lazily."""

    def __init__(self, text: IO[str]):
        self._text = text
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._pending:
            chunk = self._text.read(16384)
            if not chunk:
                return 0
            self._pending = chunk.encode("utf-8")
        n = min(len(b), len(self._pending))
        b[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _iter_stdin(stdin: IO[Any] | None, max_bytes: int, stats: IngestStats) -> Iterator[Item]:
    stream = io.BufferedReader(_binary_stream(stdin if stdin is not None else sys.stdin))  # type: ignore[arg-type]
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if not head:
        yield fail("-", "empty", "nothing on standard input")
        return
    try:
        if head.startswith(_GZIP):
            gz = gzip.GzipFile(fileobj=stream)
            yield from _read_doc(gz, "-", _sniff(gz.peek(SNIFF_BYTES)[:SNIFF_BYTES]), max_bytes, stats)
            return
        yield from _read_doc(stream, "-", _sniff(head), max_bytes, stats)  # type: ignore[arg-type]
    except OSError as exc:
        yield fail("-", "unreadable", _os_problem(exc))
    except Exception as exc:  # see _iter_path
        log.exception("-: reader error")
        yield fail("-", "bad_record", f"reader error ({type(exc).__name__}: {exc})")


def iter_articles(
    paths: Sequence[str | Path],
    *,
    max_bytes: int = MAX_BYTES,
    stdin: IO[Any] | None = None,
    min_chars: int = MIN_CHARS,
    stats: IngestStats | None = None,
) -> Iterator[Article | Failure]:
    """Yield an Article or a Failure for every document in ``paths`` (files, directories walked
    recursively, "-" for stdin). Lazy: one document in memory at a time. Never raises for a
    bad document."""
    stats = stats if stats is not None else IngestStats()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for p in paths:
        if str(p) == "-":
            items: Iterator[Any] = _iter_stdin(stdin, max_bytes, stats)
        else:
            path = Path(p)
            items = _walk_path(path, max_bytes, stats)
        for item in items:
            out = _to_article(item, min_chars)
            if isinstance(out, Failure):
                stats.failures[out.reason] += 1
            else:
                stats.articles += 1
            yield out


def _walk_path(path: Path, max_bytes: int, stats: IngestStats) -> Iterator[Item]:
    if not path.exists() and not path.is_symlink():
        yield fail(str(path), "unreadable", "no such file or directory")
        return
    if path.is_dir():
        for entry in _iter_files(path):
            if isinstance(entry, Failure):
                yield entry
            else:
                yield from _iter_path(entry, max_bytes, stats)
        return
    yield from _iter_path(path, max_bytes, stats)
