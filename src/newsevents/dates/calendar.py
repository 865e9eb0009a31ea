"""TIMEX3 patterns for seasons, holidays (fixed and movable) and plural weekdays (SETs)."""
from __future__ import annotations

import datetime as _dt
import re

from newsevents.dates import lexicon as L
from newsevents.dates.grammar import _MOD, _WD_FULL, _hit, pattern


# ------------------------------------------------------------------------ seasons, holidays
@pattern("season", rf"{_MOD}(?:(?P<rel>this|last|next|past|coming|the)\s+)?(?P<s>spring|summer|autumn|"
         r"fall|winter)(?:\s+(?:of\s+)?(?P<year>1\d{3}|20\d{2}))?(?![\w-])")
def _season(m, ctx, text):
    s = m.group("s").lower()
    code = L.SEASONS[s]
    rel = (m.group("rel") or "").lower()
    before = text[max(0, m.start() - 20):m.start()]
    if s == "fall" and not (m.group("year") or m.group("mod") or rel not in ("", "the")):
        # the verb or noun "fall" ("the fall of the regime"); the season only "in the fall"
        if rel != "the" or re.match(r"\s+of\b", text[m.end():]) or \
                not re.search(r"\b(?:in|during|by|until|since|through|this|that)\s+$", before, re.I):
            return None
    if m.group("s")[0].isupper() and re.search(r"\b[A-Z][a-z]+\s+$", before) and not rel:
        return None  # "the Arab Spring", "Prague Spring": named events, not seasons
    if m.group("year"):
        return _hit(m, "DATE", f"{m.group('year')}-{code}", "season", "explicit")
    if ctx.dct is None:
        return None
    d = ctx.dct
    end_month = {"SP": 5, "SU": 8, "FA": 11, "WI": 2}[code]
    y = d.year
    if rel in ("last", "past"):
        y = d.year if d.month > end_month and code != "WI" else d.year - 1
    elif rel in ("next", "coming"):
        y = d.year if d.month < end_month - 2 else d.year + 1
    span = m.span()
    if rel == "the" and not m.group("mod"):
        span = (m.start("s"), m.end())
    return _hit(m, "DATE", f"{y}-{code}", "season", "relative", d, span=span)


_HOLIDAYS = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
             "new year's eve": (12, 31), "new year's day": (1, 1), "valentine's day": (2, 14),
             "halloween": (10, 31)}


def _easter(y: int) -> _dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return _dt.date(y, month, day + 1)


def _movable(key: str, y: int) -> _dt.date:
    if key == "thanksgiving":  # the fourth Thursday of November (US)
        first = _dt.date(y, 11, 1)
        return first + _dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    e = _easter(y)
    return e + _dt.timedelta(days={"easter": 0, "easter sunday": 0, "good friday": -2, "easter monday": 1}[key])


@pattern("holiday", r"(?P<h>Christmas(?:\s+(?:Eve|Day))?|New\s+Year[’']s\s+(?:Eve|Day)|Valentine[’']s\s+Day|"
         r"Halloween|Thanksgiving(?:\s+Day)?|Easter(?:\s+(?:Sunday|Monday))?|Good\s+Friday)"
         r"(?:\s+(?P<year>1\d{3}|20\d{2}))?")
def _holiday(m, ctx, text):
    key = re.sub(r"\s+", " ", m.group("h").lower().replace("’", "'")).replace("thanksgiving day", "thanksgiving")
    if m.group("year"):
        y, basis = int(m.group("year")), "explicit"
    elif ctx.dct is None:
        return None
    else:
        mon, day = _HOLIDAYS.get(key) or (_movable(key, ctx.dct.year).month, _movable(key, ctx.dct.year).day)
        y, basis = L.nearest_year(mon, day, ctx.dct, ctx.tense(*m.span())), "relative"
    d = _dt.date(y, *_HOLIDAYS[key]) if key in _HOLIDAYS else _movable(key, y)
    return _hit(m, "DATE", d.isoformat(), "day", basis, ctx.dct, d)


@pattern("weekday_set", rf"(?P<wd>{_WD_FULL})s")
def _weekday_set(m, ctx, text):
    """"on Tuesdays": every Tuesday (TimeML SET)."""
    return _hit(m, "SET", f"XXXX-WXX-{L.WEEKDAYS[m.group('wd').lower()] + 1}", None, "explicit")
