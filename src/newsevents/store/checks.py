"""Checked values for the store's filters (shared by ``Store`` and the CLI's options).

Every filter value is checked before it reaches SQL: a value that cannot mean anything raises
``UsageError`` naming the option and the accepted form (issue 10: ``--since 2024-13`` and
``--country SY`` used to match nothing, or everything, without a word).
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
from functools import lru_cache

from newsevents.errors import UsageError

__all__ = ["DATE_FORMS", "article_prefix", "cameo_prefix", "country_code", "date_bounds",
           "normalize_date", "plover_type", "row_limit", "theme_name"]

DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD (or a date such as '9 December 2024' or 'yesterday')"

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def normalize_date(value: str, option: str = "date") -> str:
    """``value`` as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (the precision the value states).

    ISO forms are checked (month 1-12, a real day) and zero-padded ("2024-12-9" -> "2024-12-09",
    which then compares correctly as text); anything else goes to dateparser ("9 Dec 2024",
    "December 2024", "yesterday" relative to today).
    """
    text = " ".join(str(value).split())
    m = _ISO.fullmatch(text)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        try:
            if day is not None:
                return _dt.date(int(year), int(month), int(day)).isoformat()
            if month is not None:
                if not 1 <= int(month) <= 12:
                    raise ValueError(month)
                return f"{year}-{int(month):02d}"
            return year
        except ValueError:
            raise UsageError(option, f"{value!r} is not a date: use {DATE_FORMS}") from None
    found = _lenient(text)
    if found is None:
        raise UsageError(option, f"{value!r} is not a date: use {DATE_FORMS}")
    day, period = found
    if period == "year":
        return f"{day.year:04d}"
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _lenient(text: str) -> tuple[_dt.date, str] | None:
    if not text or len(text) > 64 or not any(ch.isalnum() for ch in text):
        return None
    data = _parser().get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


@lru_cache(maxsize=1)
def _parser():
    from dateparser.date import DateDataParser

    # English only (3.5x faster than language detection, and the CLI is English).
    return DateDataParser(languages=["en"], settings={"PREFER_DATES_FROM": "past"})


def date_bounds(value: str, option: str = "date") -> tuple[_dt.date, _dt.date]:
    """First and last day of the period ``value`` names ("2024-12" -> Dec 1 .. Dec 31)."""
    norm = normalize_date(value, option)
    parts = [int(p) for p in norm.split("-")]
    if len(parts) == 1:
        return _dt.date(parts[0], 1, 1), _dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return _dt.date(parts[0], parts[1], 1), _dt.date(parts[0], parts[1], last)
    day = _dt.date(*parts)
    return day, day


def country_code(value: str, option: str = "country") -> str:
    """An ISO 3166 alpha-3 code from an alpha-3 or alpha-2 code ("SY" -> "SYR")."""
    import pycountry

    text = str(value).strip().upper()
    found = None
    if len(text) == 3 and text.isalpha():
        found = pycountry.countries.get(alpha_3=text)
        if found is None and text == "XKX":  # Kosovo: user-assigned code used by GeoNames/GDELT
            return text
    elif len(text) == 2 and text.isalpha():
        found = pycountry.countries.get(alpha_2=text)
        if found is None and text == "XK":
            return "XKX"
    if found is None:
        raise UsageError(option, f"{value!r} is not a country code: use an ISO 3166 code such as SYR (or SY)")
    return found.alpha_3


def plover_type(value: str, option: str = "plover") -> str:
    """A PLOVER event type of the ontology, upper-cased."""
    from newsevents.ontology import codes

    text = str(value).strip().upper()
    known = {c.plover_type for c in codes().values() if c.plover_type}
    if text not in known:
        raise UsageError(option, f"{value!r} is not a PLOVER type: use one of {', '.join(sorted(known))}")
    return text


def theme_name(value: str, option: str = "theme") -> str:
    """A theme of docs/themes.md, upper-cased."""
    from newsevents.features.common import load_json

    text = str(value).strip().upper()
    known = set(load_json("features_themes.json")["themes"])
    if text not in known:
        raise UsageError(option, f"{value!r} is not a theme: use one of {', '.join(sorted(known))}")
    return text


def cameo_prefix(value: str, option: str = "root") -> str:
    """A CAMEO root or code prefix: 1-4 digits ("1" -> "01")."""
    text = str(value).strip()
    if not re.fullmatch(r"\d{1,4}", text):
        raise UsageError(option, f"{value!r} is not a CAMEO code: use a root or code prefix of digits, such as 19 or 0874")
    return text.zfill(2)


def article_prefix(value: str, option: str = "article") -> str:
    """An article id or its prefix (hexadecimal, up to 16 characters)."""
    text = str(value).strip().lower()
    if not re.fullmatch(r"[0-9a-f]{1,16}", text):
        raise UsageError(option, f"{value!r} is not an article id: use the id (or its start) shown by `newsevents articles`")
    return text


def row_limit(value: int | None, option: str = "limit") -> int | None:
    """A row limit: None or 0 mean no limit; a negative number is an error."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UsageError(option, f"{value!r} is not a row count: use a whole number >= 0 (0 = no limit)")
    return value or None
