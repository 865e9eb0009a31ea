"""Shared pieces of the ingest readers: byte decoding, binary sniffing, text normalisation,
field aliases and the raw document record readers hand to ``ingest``.

Readers only parse formats: they yield ``RawDoc`` (fields as found) or ``Failure``; turning a
``RawDoc`` into an ``Article`` and screening it (empty, not English) is done in ``ingest``.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Iterator, Union

from newsevents.errors import printable
from newsevents.records import Failure

#: How many leading bytes the binary / format sniffers look at.
SNIFF_BYTES = 8192

# Magic numbers of common binary formats that can hide behind a text-like name.
_MAGIC = (
    b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF",
    b"\xd0\xcf\x11\xe0", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!", b"OggS", b"RIFF",
)

# C0 controls other than tab/newline/CR/form-feed, DEL and C1 controls (U+0080..U+009F: what
# Latin-1-decoded cp1252 punctuation or binary junk turns into), plus zero-width characters,
# the BOM and the soft hyphen, which only break tokenisation.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffe\uffff]")
_C1 = re.compile("[\x80-\x9f]")
_HSPACE = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_SPACE_AROUND_NL = re.compile(r" *\n *")
_MANY_NL = re.compile(r"\n{3,}")


@dataclass
class RawDoc:
    """A document as a reader found it, before normalisation and screening."""

    origin: str
    text: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    published: Any = None
    language: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


Item = Union[RawDoc, Failure]


class DecodeError(ValueError):
    """Bytes that are not text: ``reason`` is "binary" or "encoding"."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(message)


def fail(origin: str, reason: str, problem: str) -> Failure:
    """A failure whose one-line message names the input first."""
    # control characters in a file name, a JSON key or a language code are shown escaped: the
    # message goes to a terminal ("\x1b]0;...\x07" would retitle it) and must stay one line
    return Failure(origin=origin, reason=reason, message=printable(f"{origin}: {' '.join(problem.split())}"))


# --------------------------------------------------------------------------- bytes -> str
def looks_binary(head: bytes) -> str | None:
    """Why ``head`` (the first bytes of a document) is not text, or None if it may be text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for magic in _MAGIC:
        if head.startswith(magic):
            return f"binary file (starts with the signature {magic[:4]!r})"
    if b"\x00" in head[:SNIFF_BYTES]:
        return "binary file (NUL bytes in the first 8 KiB)"
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text; returns (text, encoding name). Raises ``DecodeError``.

    Order: BOM; strict UTF-8; the declared charset (HTTP header, ``<meta charset>``); cp1252
    when mostly ASCII; charset_normalizer's best guess; cp1252. UTF-8 goes before the
    declaration because pages declaring ISO-8859-1 while serving UTF-8 are common, and bytes
    that decode as UTF-8 with multi-byte characters are UTF-8 in practice. Latin-1 is never
    used blindly: bytes that only decode to many C1 control characters are "encoding".
    """
    why = looks_binary(data[:SNIFF_BYTES])
    if why:
        raise DecodeError("binary", why)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8-sig") or _raise_encoding("UTF-8 BOM but invalid UTF-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16") or _raise_encoding("UTF-16 BOM but invalid UTF-16")
    got = _strict(data, "utf-8")
    if got:
        return got
    if declared:
        got = _strict(data, declared)
        if got:
            return got
    got = _strict(data, "cp1252")
    # Legacy English news is cp1252 (smart quotes, a few accents): when that decoding is mostly
    # ASCII letters, trust it. charset_normalizer guesses cp1250/cp852 for such short Western
    # texts (measured on our latin1/cp1252 fixtures), garbling "à" and curly quotes.
    if got and _mostly_ascii_letters(got[0]):
        return got
    guessed = _guess(data)
    if guessed:
        return guessed
    if got:
        return got
    text = data.decode("latin-1")
    # cp1252 failed, so some byte in 0x81/0x8D/0x8F/0x90/0x9D is present; a real Latin-1 text
    # has almost no C1 controls (they are unprintable), so accept only a trace of them.
    if len(_C1.findall(text)) <= max(2, len(text) // 1000):
        return text, "latin-1"
    raise DecodeError("encoding", "cannot decode: not UTF-8 and no single-byte encoding fits")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", re.I)


def declared_charset(content_type: str, body: bytes) -> str | None:
    """The charset an HTTP Content-Type or the page's ``<meta charset>`` declares, if any."""
    m = re.search(r"""charset=["']?([\w.:-]+)""", content_type or "", re.I)
    if m:
        return m.group(1)
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


def _strict(data: bytes, encoding: str) -> tuple[str, str] | None:
    try:
        name = codecs.lookup(encoding).name
        return data.decode(encoding), name
    except (LookupError, UnicodeDecodeError):
        return None


def _mostly_ascii_letters(text: str) -> bool:
    letters = [ch for ch in text[:SNIFF_BYTES] if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) >= 0.9 * len(letters)


def _raise_encoding(problem: str) -> tuple[str, str]:
    raise DecodeError("encoding", problem)


def _guess(data: bytes) -> tuple[str, str] | None:
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - it comes with trafilatura/requests
        return None
    best = charset_normalizer.from_bytes(data[:65536]).best()
    if best is None:
        return None
    # Guessed on the first 64 KiB; the whole document must decode strictly too.
    return _strict(data, best.encoding)


def control_ratio(text: str) -> float:
    """Share of characters that are control characters (a decoded-binary signal)."""
    if not text:
        return 0.0
    sample = text[:SNIFF_BYTES]
    return len(_CONTROL.findall(sample)) / len(sample)


# --------------------------------------------------------------------------- normalisation
def normalize_text(text: str) -> str:
    """NFC; one newline style; no NULs / control / zero-width characters; runs of horizontal
    whitespace become one space; no spaces at line ends; at most one blank line between
    paragraphs (paragraph breaks are kept); stripped.
    """
    if not text:
        return ""
    text = _NEWLINES.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _HSPACE.sub(" ", text)
    text = _SPACE_AROUND_NL.sub("\n", text)
    text = _MANY_NL.sub("\n\n", text)
    return text.strip()


_BULLET = re.compile(r"^(?:[-*\u2022\u2013]\s|\d{1,2}[.)]\s)")


def unwrap_lines(text: str) -> str:
    """Join hard-wrapped lines (plain-text wire copy and e-mail wrapped at a fixed column)
    back into paragraphs, so a sentence is not cut by line breaks in evidence and spans.

    The text counts as hard-wrapped when its longest line is 50-100 characters (the common
    wrap columns are 64-80) and at least 60 % of the lines followed by another line reach 75 %
    of that width; then a line is joined to the next one unless it is short (a heading, the end
    of a paragraph) or the next line starts a bullet. Blank lines stay paragraph breaks.
    """
    lines = text.split("\n")
    inner = [ln for ln, nxt in zip(lines, lines[1:]) if ln.strip() and nxt.strip()]
    width = max((len(ln) for ln in lines), default=0)
    if len(inner) < 3 or not 50 <= width <= 100:
        return text
    if sum(len(ln) >= 0.75 * width for ln in inner) < 0.6 * len(inner):
        return text
    out: list[str] = []
    for ln in lines:
        if (out and out[-1].strip() and ln.strip() and len(out[-1]) >= 0.6 * width
                and not _BULLET.match(ln)):
            out[-1] = out[-1].rstrip() + " " + ln.lstrip()
        else:
            out.append(ln)
    return "\n".join(out)


def normalize_line(text: str) -> str:
    """Like ``normalize_text`` for one-line fields (titles, names): newlines become spaces."""
    return " ".join(normalize_text(text or "").split())


_LETTER = re.compile(r"[^\W\d_]")


def letter_count(text: str, at_least: int | None = None) -> int:
    """Number of letters in ``text``. With ``at_least``, stop early once that many are seen
    (the answer is then only a lower bound): screening long documents stays O(1)."""
    if at_least is not None:
        head = text[: at_least * 4]
        n = len(_LETTER.findall(head))
        if n >= at_least or len(head) == len(text):
            return n
    return len(_LETTER.findall(text))


# --------------------------------------------------------------------------- record fields
_KEY_SEP = re.compile(r"[\s\-]+")
TEXT_KEYS = ("text", "content", "body", "article", "full_text", "maintext")
TITLE_KEYS = ("title", "headline")
URL_KEYS = ("url", "link", "uri")
DATE_KEYS = ("published", "date", "publication_date", "pubdate", "published_at", "datetime",
             "date_publish", "timestamp")
SOURCE_KEYS = ("source", "source_name", "sitename", "site", "outlet", "publisher")
LANG_KEYS = ("language", "lang")


def first_key(keys: Iterator[str] | tuple[str, ...], lowered: dict[str, str]) -> str | None:
    """The original key whose lower-case form is the first of ``keys`` present."""
    for k in keys:
        if k in lowered:
            return lowered[k]
    return None


def raw_from_mapping(row: dict[str, Any], origin: str) -> Item:
    """A JSON object / CSV row -> RawDoc, or a bad_record failure when it has no text field."""
    # "Full Text", "full-text" and "full_text" are one column.
    lowered = {_KEY_SEP.sub("_", str(k).strip().lower()): k for k in row}
    tkey = first_key(TEXT_KEYS, lowered)
    if tkey is None:
        keys = ", ".join(sorted(map(str, row))[:12]) or "none"
        return fail(origin, "bad_record", f"record has no text field (text/content/body); keys: {keys}")
    # Of the text-like fields holding text, the longest wins: {"text": null, "content": "..."}
    # and {"body": <teaser>, "full_text": <story>} both happen.
    best = 0
    for k in TEXT_KEYS:
        orig = lowered.get(k)
        value = _as_text(row[orig]) if orig is not None else None
        if value and value.strip() and len(value) > best:
            tkey, best = orig, len(value)
    text = "" if row[tkey] is None else _as_text(row[tkey])
    if text is None:
        kind = type(row[tkey]).__name__
        return fail(origin, "bad_record", f"field {tkey!r} is {kind}, not a string")

    def get(keys: tuple[str, ...]) -> tuple[str | None, Any]:
        k = first_key(keys, lowered)
        return k, (row[k] if k is not None else None)

    # Other text-like fields are not kept: a second copy of the story would bloat the store.
    used = {tkey} | {lowered[k] for k in TEXT_KEYS if k in lowered}
    meta: dict[str, Any] = {}
    values = {}
    for name, keys in (("title", TITLE_KEYS), ("url", URL_KEYS), ("published", DATE_KEYS),
                       ("source", SOURCE_KEYS), ("language", LANG_KEYS)):
        k, v = get(keys)
        if k is not None:
            used.add(k)
        values[name] = v if v not in ("", None) else None
    for k, v in row.items():
        if k in used or v in ("", None):
            continue
        # Input ids (e.g. "wikinews-tosca-ID736") are kept, not used: our id is a content hash.
        meta["source_id" if str(k).lower() == "id" else str(k)] = v
    src = values["source"]
    when = values["published"]
    if isinstance(when, dict):  # MongoDB / BSON export: {"$date": "..."} or {"$date": millis}
        when = when.get("$date", when.get("date"))
    return RawDoc(
        origin=origin,
        text=text,
        title=str(values["title"] or ""),
        url=str(values["url"]) if values["url"] is not None else None,
        source=str(src) if src is not None and not isinstance(src, dict) else _source_name(src),
        published=when,
        language=str(values["language"]) if values["language"] is not None else None,
        metadata=meta,
    )


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(p, str) for p in value):
        return "\n\n".join(value)  # a list of paragraphs
    return None


def _source_name(src: Any) -> str | None:
    # Some news APIs give {"name": ..., "id": ...} for the source.
    if isinstance(src, dict):
        name = src.get("name") or src.get("title") or src.get("id")
        return str(name) if name else None
    return None


def read_limited(stream: BinaryIO, max_bytes: int) -> bytes | None:
    """Read at most ``max_bytes``; None when the stream holds more (too large)."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return None
    return data
