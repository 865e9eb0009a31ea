"""WARC / WARC.gz files (web crawls, Common Crawl) -> one RawDoc per HTML response record.

Streams the archive with warcio: one record in memory at a time; the size limit is per record.
Request, metadata, warcinfo and non-HTML responses are skipped and counted (``skipped``),
not reported one by one: a crawl holds several of them per page.
"""
from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterator

from newsevents.ingest.common import DecodeError, Item, declared_charset, decode_bytes, fail
from newsevents.ingest.html import extract_page, looks_like_html

__all__ = ["iter_warc", "WarcCounts"]


#: A WARC record header inside a record's content: the record was cut short.
_NEXT_RECORD = re.compile(rb"WARC/1\.[01]\r?\nWARC-[A-Za-z-]+:")


@dataclass
class WarcCounts:
    records: int = 0
    html: int = 0
    skipped: int = 0


def iter_warc(stream: BinaryIO, origin: str, max_bytes: int, counts: WarcCounts | None = None) -> Iterator[Item]:
    """Yield the HTML pages of a WARC; origin of each is ``origin#record-N`` (N counts every
    record in the file, so it locates the record)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    counts = counts if counts is not None else WarcCounts()
    n = 0
    records = iter(ArchiveIterator(stream))
    try:
        while True:
            # warcio writes its own multi-line warnings about bad records to stderr: ours is
            # the one-line failure below
            with contextlib.redirect_stderr(io.StringIO()):
                record = next(records, None)
            if record is None:
                return
            n += 1
            counts.records += 1
            where = f"{origin}#record-{n}"
            item = _record(record, where, max_bytes)
            if item is None:
                counts.skipped += 1
                continue
            counts.html += 1
            yield item
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        # A truncated or corrupt archive: keep what was read, report where it stopped.
        yield fail(f"{origin}#record-{n + 1}", "bad_record", f"WARC unreadable from here on ({exc})")
    except Exception as exc:  # warcio fails in other ways on a header cut short (AttributeError)
        yield fail(f"{origin}#record-{n + 1}", "truncated",
                   f"WARC unreadable from here on: record header cut short ({type(exc).__name__})")


def _record(record: Any, where: str, max_bytes: int) -> Item | None:
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.rec_headers
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = headers.get_header("Content-Type") or ""
    length = headers.get_header("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        return fail(where, "too_large", f"WARC record is {int(length):,} bytes, over the {max_bytes:,}-byte limit")
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return fail(where, "too_large", f"WARC record is over the {max_bytes:,}-byte limit")
    missing = getattr(record.raw_stream, "limit", 0) or 0
    if missing > 0 and not record.raw_stream.read(1):
        # the file ends before the record's declared Content-Length
        return fail(where, "truncated", f"WARC record cut short: {missing:,} of its {length or '?'} "
                    "bytes are missing (file truncated?)")
    if _NEXT_RECORD.search(body):
        # a record cut short and followed by the next one: its Content-Length ran into the next
        # record's header, which became part of this "page"
        return fail(where, "truncated", "WARC record cut short: the next record's header is inside "
                    "its content (file truncated or spliced?)")
    is_html = "html" in ctype.lower() or (not ctype and looks_like_html(body[:4096]))
    if not is_html:
        return None
    try:
        html, enc = decode_bytes(body, declared_charset(ctype, body))
    except DecodeError as exc:
        return fail(where, exc.reason, str(exc))
    url = headers.get_header("WARC-Target-URI")
    raw = extract_page(html, where, url=url)
    if raw.url and url and raw.url != url:
        raw.metadata["canonical_url"] = raw.url
    raw.url = url or raw.url
    raw.metadata.update({"format": "warc", "encoding": enc, "warc_target_uri": url,
                         "warc_date": headers.get_header("WARC-Date")})
    if raw.published is None:
        # The crawl time is the best bound we have: the page existed then.
        raw.published = headers.get_header("WARC-Date")
        raw.metadata["published_basis"] = "warc-date"
    return raw
