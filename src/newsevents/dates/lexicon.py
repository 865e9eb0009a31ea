"""Word tables, number words and calendar arithmetic for the WHEN stage (no spaCy here)."""
from __future__ import annotations

import calendar
import datetime as _dt
import re

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
# TIMEX3 part-of-day codes.
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}

_UNITS = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "weekend": "WE",
    "fortnight": "2W", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE",
    "century": "CE", "centurie": "CE", "millennium": "ML", "millennia": "ML",
}
TIME_UNITS = {"second", "minute", "hour"}

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "final": 4, "last": 4,
}

_SMALL = {
    "zero": 0, "a": 1, "an": 1, "another": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "single": 1, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "couple": 2,
}
#: Vague quantities: TIMEX3 writes an X for the number ("several years" -> PXY).
VAGUE = {"several", "few", "a few", "some", "many", "a number of", "numerous"}

# Regex pieces shared by the grammar.
NUM_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|four|five|"
    r"six|seven|eight|nine)|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|single|(?:a\s+|one\s+)?hundred|(?:a\s+)?dozen|(?:a\s+)?couple(?:\s+of)?)"
)
NUM = rf"(?:\d+(?:\.\d+)?|{NUM_WORD}|an?|another)(?:\s+and\s+a\s+half)?"
VAGUE_RE = r"(?:several|a\s+few|few|some|many|a\s+number\s+of|numerous)"
UNIT_RE = (
    r"(?:seconds?|minutes?|hours?|days?|weeks?|weekends?|fortnights?|months?|quarters?|years?|"
    r"decades?|centur(?:y|ies)|millenni(?:um|a))"
)


def parse_number(s: str) -> float | None:
    """'two' -> 2, 'twenty-five' -> 25, '2.5' -> 2.5, 'two and a half' -> 2.5; None if unknown."""
    s = s.lower().strip()
    half = 0.0
    if s.endswith("and a half"):
        half, s = 0.5, s[: -len("and a half")].strip()
    s = re.sub(r"\s+of$", "", s)
    try:
        return float(s) + half
    except ValueError:
        pass
    parts = re.split(r"[\s-]+", s)
    if parts and parts[0] in ("a", "one") and len(parts) > 1:
        parts = parts[1:]
    total = 0
    for p in parts:
        if p not in _SMALL:
            return None
        v = _SMALL[p]
        total = total * v if v == 100 and total else total + v
    return total + half


def unit_key(word: str) -> str:
    """Normalise a unit word to its singular key ('centuries' -> 'century')."""
    w = word.lower()
    if w.startswith("centur"):
        return "century"
    if w.startswith("millenni"):
        return "millennium"
    return w[:-1] if w.endswith("s") and w[:-1] in _UNITS else w


def duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration: (3, 'year') -> P3Y, (48, 'hour') -> PT48H, (None, 'year') -> PXY."""
    u = unit_key(unit)
    code = _UNITS[u]
    if u == "decade" and n is not None:
        n, code = n * 10, "Y"
    elif u == "century" and n is not None:
        n, code = n * 100, "Y"
    elif u == "fortnight":
        n, code = (n or 1) * 2, "W"
    if n is None:
        num = "X"
    elif float(n).is_integer():
        num = str(int(n))
    else:
        num = f"{n:g}"
    return f"PT{num}{code}" if u in TIME_UNITS else f"P{num}{code}"


# ------------------------------------------------------------------ calendar values
def iso_day(d: _dt.date) -> str:
    return d.isoformat()


def iso_month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def iso_week(d: _dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def quarter_of(d: _dt.date) -> int:
    return (d.month - 1) // 3 + 1


def add_months(d: _dt.date, n: int) -> _dt.date:
    m0 = d.month - 1 + n
    y, m = d.year + m0 // 12, m0 % 12 + 1
    return _dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def valid_day(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def shift(d: _dt.date, n: int, unit: str) -> tuple[str, str]:
    """``d`` moved by ``n`` units, as (TIMEX3 value, precision) at the unit's granularity.

    TimeML gives "three years ago" a year value and "two months later" a month value, but days
    and weeks keep a day value ("a week ago" -> the day seven days before).
    """
    u = unit_key(unit)
    if u in ("day", "week", "fortnight", "weekend"):
        days = n * {"day": 1, "week": 7, "fortnight": 14, "weekend": 7}[u]
        return iso_day(d + _dt.timedelta(days=days)), "day"
    if u == "month":
        t = add_months(d, n)
        return iso_month(t.year, t.month), "month"
    if u == "quarter":
        t = add_months(d, 3 * n)
        return f"{t.year:04d}-Q{quarter_of(t)}", "quarter"
    if u == "year":
        return f"{d.year + n:04d}", "year"
    if u == "decade":
        return f"{(d.year + 10 * n) // 10:03d}", "decade"
    if u == "century":
        return f"{(d.year + 100 * n) // 100:02d}", "century"
    return iso_day(d), "day"


def nearest_year(month: int, day: int | None, dct: _dt.date, tense: str | None) -> int:
    """The year of a yearless month (and day) for a news text published on ``dct``.

    Past tense picks the latest occurrence not after the DCT, future tense the earliest not
    before it, otherwise the closest one: the HeidelTime news strategy.
    """
    y = dct.year
    key = (month, day or (1 if tense == "future" else 31))
    # Two days' slack: a DCT in another time zone, or a report filed the day before its
    # dateline, must not send "on December 10" (past tense, DCT December 9) a year back.
    slack = dct + _dt.timedelta(days=2) if tense == "past" else dct - _dt.timedelta(days=2)
    now = (slack.month, slack.day) if slack.year == y else ((12, 31) if tense == "past" else (1, 1))
    if tense == "past":
        return y if key <= now or (month == dct.month and day is None) else y - 1
    if tense == "future":
        return y if key >= now or (month == dct.month and day is None) else y + 1
    best, best_gap = y, None
    for cand in (y - 1, y, y + 1):
        dd = valid_day(cand, month, day or 15) or _dt.date(cand, month, 28)
        gap = abs((dd - dct).days)
        if best_gap is None or gap < best_gap:
            best, best_gap = cand, gap
    return best


def weekday_date(wd: int, dct: _dt.date, tense: str | None) -> _dt.date:
    """The date of a bare weekday name: the past one (or the DCT itself) unless future tense."""
    if tense == "future":
        return dct + _dt.timedelta(days=(wd - dct.weekday()) % 7)
    return dct - _dt.timedelta(days=(dct.weekday() - wd) % 7)


def season_year(season: str, dct: _dt.date, tense: str | None) -> int:
    """Year of a bare season name; winter spans the new year, so keep it simple: DCT year."""
    return dct.year
