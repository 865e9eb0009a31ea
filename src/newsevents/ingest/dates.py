"""Lenient parsing of publication times found in inputs (metadata, not article text)."""
from __future__ import annotations

import datetime as _dt
import email.utils
import re
from typing import Any

__all__ = ["parse_published", "published_precision"]

_MONTHS_FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y %H:%M", "%d %B %Y %H:%M",
                   "%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%d.%m.%Y", "%Y.%m.%d")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)


def parse_published(value: Any) -> _dt.datetime | None:
    """Parse a publication time leniently: datetime/date, ISO 8601, RFC 2822, epoch seconds,
    "December 9, 2024" / "9 Dec 2024". Naive times are taken as UTC; None when unparseable
    or when the value has no day (a year or month alone is not a publication date)."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        secs = value / 1000 if value > 1e11 else value  # milliseconds from JS-style sources
        try:
            return _dt.datetime.fromtimestamp(secs, tz=_dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    s = " ".join(str(value).split())
    if not s or len(s) > 64:
        return None
    if s.isdigit() and 9 <= len(s) <= 13:  # epoch seconds / milliseconds as a string
        return parse_published(int(s))
    out = _parse_str(s)
    if out is None:
        return None
    if out.tzinfo is None:
        out = out.replace(tzinfo=_dt.timezone.utc)
    return out


def _parse_str(s: str) -> _dt.datetime | None:
    if re.fullmatch(r"\d{4}(-\d{2})?", s):  # year or year-month: no day
        return None
    try:
        return _dt.datetime.fromisoformat(s.replace(" UTC", "Z").replace(" GMT", "Z"))
    except ValueError:
        pass
    if re.search(r"\d{1,2}:\d{2}", s) or "," in s:
        try:
            return email.utils.parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            pass
    m = _SLASHED.fullmatch(s)
    if m:
        return _slashed(*map(int, m.groups()))
    bare = _WEEKDAY.sub("", s).replace(",", " ").replace(".", " ") if not re.fullmatch(r"[\d./]+", s) else s
    bare = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", " ".join(bare.split()))
    for fmt in _MONTHS_FORMATS:
        try:
            return _dt.datetime.strptime(bare, fmt)
        except ValueError:
            continue
    return None


def _slashed(a: int, b: int, year: int) -> _dt.datetime | None:
    """dd/mm/yyyy or mm/dd/yyyy: only when one reading is impossible (a day > 12); 03/04/2024
    is ambiguous between British and American use and is not guessed."""
    if a > 12 and b <= 12:
        day, month = a, b
    elif b > 12 and a <= 12:
        day, month = b, a
    elif a == b:
        day = month = a
    else:
        return None
    try:
        return _dt.datetime(year, month, day)
    except ValueError:
        return None


_CLOCK = re.compile(r"\d{1,2}:\d{2}")


def published_precision(value: Any) -> str:
    """"time" when ``value`` states a time of day, else "day" (a date alone, or htmldate's
    midnight without an offset, which it writes when the page gave only a date)."""
    if isinstance(value, _dt.datetime):
        return "time"
    if isinstance(value, _dt.date):
        return "day"
    if isinstance(value, (int, float)):
        return "time"
    s = str(value)
    if not _CLOCK.search(s) or re.search(r"T00:00(?::00)?$", s.strip()):
        return "day"
    return "time"
