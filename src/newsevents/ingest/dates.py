"""Lenient parsing of publication times found in inputs (metadata, not article text)."""
from __future__ import annotations

import datetime as _dt
import email.utils
import re
from functools import lru_cache
from typing import Any

__all__ = ["parse_published", "published_precision"]

_MONTHS_FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y %H:%M", "%d %B %Y %H:%M",
                   "%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%d.%m.%Y", "%Y.%m.%d")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)


#: Publication times outside these years are typos or placeholders ("0001-01-01", "9999-12-31"):
#: dating an article's "yesterday" from them overflowed (issue 10), so they are not used.
YEARS = (1800, 2200)


def parse_published(value: Any) -> _dt.datetime | None:
    """Parse a publication time leniently: datetime/date, ISO 8601, RFC 2822, epoch seconds,
    "December 9, 2024" / "9 Dec 2024", else whatever absolute date dateparser reads
    ("Monday 9th of December 2024, 10:00"). Naive times are taken as UTC. None when unparseable,
    relative ("yesterday": relative to what?), without a day (a year or month alone is not a
    publication date) or outside ``YEARS``. Never raises."""
    try:
        out = _parse_any(value)
    except (ValueError, TypeError, OverflowError, OSError, IndexError):
        return None
    if out is None or not YEARS[0] <= out.year <= YEARS[1]:
        return None
    try:
        out.astimezone(_dt.timezone.utc)  # an offset that pushes the time out of range
    except (OverflowError, ValueError):
        return None
    return out


def _parse_any(value: Any) -> _dt.datetime | None:
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
        return _parse_any(int(s))
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
    if re.fullmatch(r"[\d\s./-]+", s):
        return None  # digits only, none of the forms above: ambiguous or impossible ("2024-13-45")
    return _lenient(s)


def _lenient(s: str) -> _dt.datetime | None:
    """Absolute dates in other wordings, by dateparser (English; day, month and year required;
    no relative readings)."""
    data = _dateparser().get_date_data(s)
    return data.date_obj if data is not None else None


@lru_cache(maxsize=1)
def _dateparser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "PARSERS": ["custom-formats", "absolute-time"],
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DAY_OF_MONTH": "first",
    })


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
