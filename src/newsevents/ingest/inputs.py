"""Where documents come from and which reader reads them: paths, directories, stdin, gzip,
format detection by extension and by content. Used by ``ingest.iter_articles``.
"""
from __future__ import annotations

import gzip
import io
import logging
import os
import re
import sys
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, Iterator

from newsevents.ingest.common import (
    SNIFF_BYTES, DecodeError, Item, RawDoc, declared_charset, decode_bytes, fail,
    normalize_text, read_limited, unwrap_lines,
)
from newsevents.ingest.structured import JSON_FILE_FACTOR
from newsevents.records import Failure

__all__ = ["IngestStats", "iter_items", "iter_sources", "os_problem", "read_path"]

log = logging.getLogger(__name__)

_GZIP = b"\x1f\x8b"

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


# In a directory walk (not when named explicitly) these are documentation, code or config
# that sits beside data, e.g. a corpus folder's README.md and LICENSE: coding them as news
# would put invented events in the store.
_SKIP_NAMES = re.compile(r"^(?:readme|licen[cs]e|copying|changelog|changes|notice|manifest|authors|contributing)"
                         r"(?:\.[\w.]+)?$", re.I)
_SKIP_EXT = frozenset(
    ".py .pyc .sh .js .css .map .yml .yaml .toml .cfg .ini .lock .log .sql .r .rda .rds .ipynb "
    ".pdf .doc .docx .xls .xlsx .ppt .png .jpg .jpeg .gif .svg .ico .zip .tar .tgz .7z .parquet "
    ".duckdb .db .sqlite .pkl .npz .npy .bin .exe .so .dll".split()
)


@dataclass
class IngestStats:
    """Counters filled while iterating (pass one to ``iter_articles(stats=...)``)."""

    files: int = 0
    articles: int = 0
    failures: Counter = field(default_factory=Counter)
    warc_records_skipped: int = 0
    #: Files a directory walk passed over (README, LICENSE, code, images...; see _SKIP_*).
    files_skipped: int = 0


def os_problem(exc: OSError) -> str:
    return f"cannot read ({exc.strerror or type(exc).__name__})"


_DATE_LINE = re.compile(
    r"^(?:(?:published|updated|posted|date|dated)\s*(?:on)?\s*[:\-]?\s*)?(?P<d>.{6,60})$", re.I
)


def _split_header(text: str) -> tuple[str, str | None, str]:
    """Plain text -> (title, publication date line or None, body).

    A line among the first four short header lines that is only a date ("December 9, 2024",
    "Published: 2024-12-09 10:00") is the publication date and leaves the body. Then the
    first line is the title when it is short, has no sentence-final full stop, and is followed
    by a blank line and more text; otherwise there is no title.
    """
    from newsevents.ingest.dates import parse_published

    lines = text.split("\n")
    published = None
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if len(line) > _TITLE_MAX or seen >= 4:
            break
        seen += 1
        m = _DATE_LINE.match(line.strip())
        if m and any(ch.isdigit() for ch in line) and parse_published(m.group("d")) is not None:
            published = m.group("d")
            del lines[i]
            text = normalize_text("\n".join(lines))
            break
    first, sep, rest = text.partition("\n\n")
    if "\n" in first and published is not None:
        # "Title\n<date>\n\nBody" leaves "Title\nBody-start": split at the title line.
        first, sep, rest = text.partition("\n")
        if len(first) > _TITLE_MAX or first.endswith("."):
            return "", published, text
    if sep and rest.strip() and "\n" not in first and len(first) <= _TITLE_MAX and not first.endswith("."):
        return first.strip(), published, rest
    return "", published, text


def _sniff(head: bytes) -> str:
    """Format of a document from its first bytes (for stdin and unknown extensions)."""
    from newsevents.ingest.feeds import looks_like_feed
    from newsevents.ingest.html import looks_like_html

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
        # .xml is also NewsML/NITF, TEI, sitemaps...: only a feed root makes it a feed; other
        # XML goes the HTML way, so its markup is dropped and its text content kept.
        from newsevents.ingest.feeds import looks_like_feed

        return "feed" if looks_like_feed(head) else "html"
    return fmt or _sniff(head)


def _read_doc(stream: BinaryIO, origin: str, fmt: str, max_bytes: int, stats: IngestStats) -> Iterator[Item]:
    """Read one opened document with the reader for ``fmt``; tag each record with the format."""
    for item in _dispatch(stream, origin, fmt, max_bytes, stats):
        if isinstance(item, RawDoc):
            item.metadata.setdefault("format", fmt)
            if fmt in _RECORD_FORMATS:
                _clean_record(item)
        yield item


_RECORD_FORMATS = frozenset({"jsonl", "json", "csv", "tsv"})


def _clean_record(item: RawDoc) -> None:
    from newsevents.ingest.html import clean_record_text

    item.text, done = clean_record_text(item.text)
    if done:
        item.metadata["text_cleaned"] = done
    item.title = clean_record_text(item.title)[0] if item.title else item.title
    # Scraped records often repeat the headline as the first line of the text; the title is
    # stored apart, and a repeated headline would be coded a second time.
    title = normalize_text(item.title)
    head, sep, rest = item.text.lstrip().partition("\n")
    if title and sep and rest.strip() and normalize_text(head) == title:
        item.text = rest
        item.metadata["title_removed_from_text"] = True


def _dispatch(stream: BinaryIO, origin: str, fmt: str, max_bytes: int, stats: IngestStats) -> Iterator[Item]:
    from newsevents.ingest import structured as rec

    if fmt == "jsonl":
        yield from rec.iter_jsonl(stream, origin, max_bytes)
        return
    if fmt in ("csv", "tsv"):
        yield from rec.iter_csv(stream, origin, max_bytes, delimiter="\t" if fmt == "tsv" else ",")
        return
    if fmt == "warc":
        from newsevents.ingest.warc import WarcCounts, iter_warc

        counts = WarcCounts()
        said = False
        for item in iter_warc(stream, origin, max_bytes, counts):
            said = True
            yield item
        stats.warc_records_skipped += counts.skipped
        if counts.html == 0 and counts.records:
            yield fail(origin, "no_text", f"WARC has no HTML response records ({counts.records} records skipped)")
        elif not said:
            yield fail(origin, "bad_record", "no WARC records found (not a WARC file?)")
        return
    limit = max_bytes * JSON_FILE_FACTOR if fmt == "json" else max_bytes
    data = read_limited(stream, limit)
    if data is None:
        yield fail(origin, "too_large", f"over the {limit:,}-byte limit")
        return
    if fmt == "feed":
        from newsevents.ingest.feeds import iter_feed

        yield from iter_feed(data, origin)
        return
    try:
        text, enc = decode_bytes(data, declared_charset("", data) if fmt == "html" else None)
    except DecodeError as exc:
        yield fail(origin, exc.reason, str(exc))
        return
    meta = {"format": fmt, "encoding": enc}
    if fmt == "json":
        yield from rec.iter_json(text, origin)
    elif fmt == "html":
        from newsevents.ingest.html import extract_page

        raw = extract_page(text, origin)
        raw.metadata["encoding"] = enc
        yield raw
    else:
        title, published, body = _split_header(normalize_text(text))
        body = unwrap_lines(body)
        yield RawDoc(origin=origin, text=body, title=title, published=published, metadata=meta)


def _skipped_in_walk(name: str) -> bool:
    return bool(_SKIP_NAMES.match(name)) or os.path.splitext(name)[1].lower() in _SKIP_EXT


def _iter_files(path: Path, stats: IngestStats) -> Iterator[Path | Failure]:
    """Files under a directory in sorted path order (a subdirectory's files come where its
    name sorts), hidden files and directories skipped; one listing in memory per level."""
    try:
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield fail(str(path), "unreadable", os_problem(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir and not entry.is_symlink():  # symlinked directories are not followed: no loops
            yield from _iter_files(Path(entry.path), stats)
        elif not is_dir:
            if _skipped_in_walk(entry.name):
                stats.files_skipped += 1
                continue
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
        yield fail(origin, "unreadable", os_problem(exc))
    except (EOFError, zlib.error) as exc:
        yield fail(origin, "unreadable", f"corrupt or truncated compressed data ({exc})")
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
        yield fail("-", "unreadable", os_problem(exc))
    except (EOFError, zlib.error) as exc:
        yield fail("-", "unreadable", f"corrupt or truncated compressed data ({exc})")
    except Exception as exc:  # see _iter_path
        log.exception("-: reader error")
        yield fail("-", "bad_record", f"reader error ({type(exc).__name__}: {exc})")


def _walk_path(path: Path, max_bytes: int, stats: IngestStats) -> Iterator[Item]:
    if not path.exists() and not path.is_symlink():
        yield fail(str(path), "unreadable", "no such file or directory")
        return
    if path.is_dir():
        for entry in _iter_files(path, stats):
            if isinstance(entry, Failure):
                yield entry
            else:
                yield from _iter_path(entry, max_bytes, stats)
        return
    yield from _iter_path(path, max_bytes, stats)


def iter_items(
    p: str | Path, *, max_bytes: int, stats: IngestStats, stdin: IO[Any] | None = None
) -> Iterator[Item]:
    """Raw documents (or failures) of one command-line input: a file, a directory or "-"."""
    if str(p) == "-":
        yield from _iter_stdin(stdin, max_bytes, stats)
    else:
        yield from _walk_path(Path(p), max_bytes, stats)


# Formats whose files hold many records, streamed record by record (cheap to read; each record
# is a unit of work). Other files (text, HTML, feeds, JSON) are read whole by whoever codes them.
_STREAMED_EXT = frozenset(ext for ext, fmt in _EXT.items() if fmt in ("jsonl", "csv", "tsv"))


def iter_sources(
    p: str | Path, *, max_bytes: int, stats: IngestStats, stdin: IO[Any] | None = None
) -> Iterator[Item | Path]:
    """Like ``iter_items``, but a single-document file comes back as its ``Path``, to be read
    later with ``read_path`` (e.g. in a worker process: HTML extraction is the costly part of
    reading); record files (JSON Lines, CSV/TSV, also gzipped) and stdin are read here, one
    record at a time. ``iter_items`` = this, with every path read in place."""
    if str(p) == "-":
        yield from _iter_stdin(stdin, max_bytes, stats)
        return
    path = Path(p)
    if not path.exists() and not path.is_symlink():
        yield fail(str(path), "unreadable", "no such file or directory")
        return
    files = _iter_files(path, stats) if path.is_dir() else iter([path])
    for entry in files:
        if isinstance(entry, Failure):
            yield entry
            continue
        name = entry.name.lower()
        ext = Path(name[:-3]).suffix if name.endswith(".gz") else Path(name).suffix
        if ext in _STREAMED_EXT:
            yield from _iter_path(entry, max_bytes, stats)
        else:
            yield entry


def read_path(path: Path, *, max_bytes: int, stats: IngestStats | None = None) -> Iterator[Item]:
    """The documents of one file named by ``iter_sources``."""
    yield from _iter_path(Path(path), max_bytes, stats if stats is not None else IngestStats())


#: Bytes of JSON Lines / CSV that ``count_documents`` reads to count records (~1 s); beyond
#: that the count is not worth a second pass over the data.
COUNT_BYTES = 2_000_000_000


def count_documents(paths: Any) -> int | None:
    """How many documents ``paths`` hold, cheaply: one per text/HTML/feed-less file, one per
    line of JSON Lines, one per line of CSV/TSV after the header (quoted newlines make this an
    over-estimate). None when it cannot be known without parsing: stdin, WARC, JSON, feeds,
    compressed files, or more than ``COUNT_BYTES`` to read."""
    stats = IngestStats()
    total = 0
    budget = COUNT_BYTES
    for p in [paths] if isinstance(paths, (str, Path)) else paths:
        if str(p) == "-":
            return None
        path = Path(p)
        if path.is_dir():
            files = [f for f in _iter_files(path, stats) if not isinstance(f, Failure)]
        elif path.is_file():
            files = [path]
        else:
            total += 1  # reported as one failure
            continue
        for f in files:
            name = f.name.lower()
            fmt = _EXT.get(f.suffix.lower())
            if name.endswith(".gz") or fmt in ("warc", "json", "feed"):
                return None
            if fmt in ("jsonl", "csv", "tsv"):
                size = f.stat().st_size
                budget -= size
                if budget < 0:
                    return None
                lines = _count_lines(f)
                total += max(lines - (1 if fmt in ("csv", "tsv") else 0), 0)
            elif fmt is None:
                return None  # sniffed from the content: may be anything
            else:
                total += 1
    return total


def _count_lines(path: Path) -> int:
    n = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")
