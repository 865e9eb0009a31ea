"""Record formats: JSON Lines, JSON (one object or a list), CSV / TSV.

JSONL and CSV are streamed row by row, so a file of any size is fine and the size limit applies
to each record; a ``.json`` file has to be parsed whole, so it has its own file limit.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
from typing import Any, BinaryIO, Iterator

from newsevents.ingest.common import (
    TEXT_KEYS, DecodeError, Item, decode_bytes, fail, looks_binary, raw_from_mapping,
)
from newsevents.records import Failure

__all__ = ["iter_jsonl", "iter_json", "iter_csv", "JSON_FILE_FACTOR"]

#: A .json file is read whole: allow this many times ``max_bytes`` (a list of many articles).
JSON_FILE_FACTOR = 10

_CHUNK = 1 << 16


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


#: Lines read before a file whose lines are none of them JSON is called "not JSON Lines".
JSONL_PROBE_LINES = 10


def iter_jsonl(stream: BinaryIO, origin: str, max_bytes: int) -> Iterator[Item]:
    """One RawDoc per non-blank line; origin ``path:line``. Lines over ``max_bytes`` are
    skipped unread (too_large); bad JSON or a non-object is a bad_record. Lines end at ``\\n``
    only (U+2028 and U+0085 may stand inside JSON strings).

    Binary data is checked on every line, not only the file's first bytes: a binary line is
    a failure of that line, and a file whose first ``JSONL_PROBE_LINES`` lines are all binary
    or not JSON is one failure for the whole file (random bytes named .jsonl printed 345 lines).
    """
    lineno = 0
    good = 0
    held: list[Item] = []  # failures of the first lines, until one line is good JSON
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            yield from held
            if lineno and not good and not held:
                yield fail(origin, "empty", "JSON Lines file holds only blank lines")
            return
        lineno += 1
        where = f"{origin}:{lineno}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            item: Item = fail(where, "too_large", f"record is larger than {max_bytes:,} bytes; skipped")
        elif not line.strip():
            continue
        else:
            item = _jsonl_record(line, lineno, where)
        if isinstance(item, Failure) and good == 0:
            held.append(item)
            if len(held) >= JSONL_PROBE_LINES:
                kinds = {f.reason for f in held}
                what = "binary data" if kinds == {"binary"} else "not JSON"
                yield fail(origin, "binary" if "binary" in kinds else "bad_record",
                           f"not JSON Lines: the first {len(held)} lines are {what}; file skipped")
                return
            continue
        if not isinstance(item, Failure):
            good += 1
            yield from held
            held = []
        yield item


def _jsonl_record(line: bytes, lineno: int, where: str) -> Item:
    why = looks_binary(line)
    if why:
        return fail(where, "binary", why.replace("binary file", "binary data").replace(" in the first 8 KiB", ""))
    try:
        text = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
        enc = None
    except UnicodeDecodeError:
        # JSON must be UTF-8, but a line pasted from a cp1252 tool is common: keep it.
        try:
            text, enc = decode_bytes(line)
        except DecodeError as exc:
            return fail(where, exc.reason, str(exc))
    try:
        obj = json.loads(text.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return fail(where, "bad_record", f"invalid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return fail(where, "bad_record", "invalid JSON: nested too deeply")
    if not isinstance(obj, dict):
        return fail(where, "bad_record", f"a JSON {type(obj).__name__}, not an object")
    item = raw_from_mapping(obj, where)
    if enc is not None and not isinstance(item, Failure):
        item.metadata["encoding"] = enc
    return item


def iter_json(text: str, origin: str) -> Iterator[Item]:
    """A JSON document holding one article object, a list of them, or {"articles": [...]}.
    A file that is really JSON Lines (several objects) is read as such."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            yield from iter_jsonl(io.BytesIO(text.encode("utf-8")), origin, len(text.encode()) + 1)
            return
        yield fail(origin, "bad_record", f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    if isinstance(obj, dict):
        for key in ("articles", "items", "documents", "data", "results"):
            if isinstance(obj.get(key), list) and not any(k in obj for k in ("text", "content", "body")):
                obj = obj[key]
                break
    if isinstance(obj, dict):
        yield raw_from_mapping(obj, origin)
        return
    if not isinstance(obj, list):
        yield fail(origin, "bad_record", f"a JSON {type(obj).__name__}, not an object or a list of objects")
        return
    if not obj:
        yield fail(origin, "empty", "an empty JSON list")
    for n, row in enumerate(obj, 1):
        where = f"{origin}#item-{n}"
        if isinstance(row, dict):
            yield raw_from_mapping(row, where)
        else:
            yield fail(where, "bad_record", f"a JSON {type(row).__name__}, not an object")


def _text_stream(stream: BinaryIO) -> tuple[io.TextIOBase, str]:
    """Wrap a byte stream as text, choosing the encoding from the first 64 KiB."""
    head = stream.read(_CHUNK)
    enc = "utf-8"
    if head.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    else:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a real error, not a character cut at the chunk end
                enc = decode_bytes(head[: exc.start + 4096])[1]
    joined = _Prefixed(head, stream)
    # errors="replace": an encoding guessed on the head can still meet one stray byte later;
    # one replacement character is better than losing the rest of the file.
    return io.TextIOWrapper(joined, encoding=enc, errors="replace", newline=""), enc


class _Prefixed(io.RawIOBase):
    """A byte stream that first returns ``head`` then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(b))
        b[: len(data)] = data
        return len(data)


def iter_csv(stream: BinaryIO, origin: str, max_bytes: int, *, delimiter: str = ",") -> Iterator[Item]:
    """One RawDoc per row; origin ``path:line`` (line where the row starts, header is line 1).
    A file without a text column is one failure naming the columns it has."""
    try:
        text, enc = _text_stream(stream)
    except DecodeError as exc:
        yield fail(origin, exc.reason, str(exc))
        return
    # TSV (IANA text/tab-separated-values) has no quoting: a story starting with a quotation
    # mark must not open a "quoted field" that swallows the following rows.
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(text, delimiter=delimiter, quoting=quoting)
    try:
        header = _next_row(reader, max_bytes)
    except StopIteration:
        yield fail(origin, "empty", "CSV file has no header row")
        return
    except csv.Error as exc:
        yield fail(origin, "bad_record", f"unreadable CSV header ({exc})")
        return
    names = [h.strip() for h in header]
    lowered = {n.lower() for n in names}
    if not lowered & set(TEXT_KEYS):
        found = ", ".join(n for n in names if n) or "none"
        yield fail(origin, "bad_record", f"CSV has no text column (text/content/body); columns: {found}")
        return
    start = reader.line_num + 1
    rows = 0
    while True:
        try:
            row = _next_row(reader, max_bytes)
        except StopIteration:
            if not rows:
                yield fail(origin, "empty", "CSV file has a header but no rows")
            return
        except csv.Error as exc:
            where = f"{origin}:{start}"
            reason = "too_large" if "field larger" in str(exc) else "bad_record"
            yield fail(where, reason, f"CSV row unreadable ({exc})")
            start = reader.line_num + 1
            rows += 1
            continue
        where = f"{origin}:{start}"
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if len(row) != len(names):
            yield fail(where, "bad_record", f"row has {len(row)} fields, header has {len(names)}")
            continue
        item = raw_from_mapping(dict(zip(names, row)), where)
        if enc not in ("utf-8", "utf-8-sig") and not hasattr(item, "reason"):
            item.metadata["encoding"] = enc  # type: ignore[union-attr]
        yield item


def _next_row(reader: Any, max_bytes: int) -> list[str]:
    # csv's field limit is process-wide; set it only while this reader reads a row, so a
    # suspended generator does not change it for other code.
    old = csv.field_size_limit(max(max_bytes, 1))
    try:
        return next(reader)
    finally:
        csv.field_size_limit(old)
