"""TIMEX3 patterns for clock times, durations, sets and the vague references
(PRESENT_REF / PAST_REF / FUTURE_REF). Registered after ``dates.relative``: on equal spans the
earlier registered pattern wins."""
from __future__ import annotations

import datetime as _dt
import re

from newsevents.dates import lexicon as L
from newsevents.dates.grammar import _ADJ, _APPROX, _TZ, _WD_FULL, _hit, pattern
from newsevents.dates.relative import _DEICTIC


# ------------------------------------------------------------------------ clock times
def _time_value(m, ctx, hour: int, minute: int) -> object:
    tz = (m.groupdict().get("tz") or "").upper()
    w = (m.groupdict().get("day") or "").lower()
    if w in _DEICTIC and ctx.dct is not None:
        day = ctx.dct + _dt.timedelta(days=_DEICTIC[w])
    elif w and ctx.dct is not None:
        day = L.weekday_date(L.WEEKDAYS[w], ctx.dct, ctx.tense(*m.span()))
    else:
        day = ctx.sentence_day(m.start())
    hhmm = f"T{hour:02d}:{minute:02d}" + ("Z" if tz in ("UTC", "GMT", "Z") else "")
    defaulted = day is None
    day = day or ctx.dct
    if day is None:
        return _hit(m, "TIME", "XXXX-XX-XX" + hhmm, "time", "relative")
    hit = _hit(m, "TIME", day.isoformat() + hhmm, "time", "relative", day, day)
    hit.defaulted = defaulted
    return hit


_DAY_AFTER = rf"(?:,?\s+(?P<day>{_WD_FULL}|today|yesterday|tomorrow))?"


@pattern("time_ampm", rf"(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
         rf"(?:\s+{_TZ})?{_DAY_AFTER}")
def _time_ampm(m, ctx, text):
    h = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
    return _time_value(m, ctx, h, int(m.group("mi") or 0))


@pattern("time_24", rf"(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?::[0-5]\d)?(?:\s*{_TZ})?{_DAY_AFTER}")
def _time_24(m, ctx, text):
    return _time_value(m, ctx, int(m.group("h")), int(m.group("mi")))


@pattern("time_mil", rf"(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*(?:hours|hrs|{_TZ}){_DAY_AFTER}")
def _time_mil(m, ctx, text):
    return _time_value(m, ctx, int(m.group("h")), int(m.group("mi")))


@pattern("time_oclock", rf"(?P<h>1[0-2]|0?[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
         rf"\s+o[’']clock(?:\s+(?P<pod>in\s+the\s+(?:morning|afternoon|evening)|at\s+night))?{_DAY_AFTER}")
def _time_oclock(m, ctx, text):
    h = int(L.parse_number(m.group("h")))
    pod = (m.group("pod") or "").lower()
    if pod and ("afternoon" in pod or "evening" in pod or "night" in pod) and h < 12:
        h += 12
    return _time_value(m, ctx, h, 0)


@pattern("time_word", rf"(?P<w>noon|midday|midnight){_DAY_AFTER}")
def _time_word(m, ctx, text):
    return _time_value(m, ctx, 24 if m.group("w").lower() == "midnight" else 12, 0)


# ------------------------------------------------------------------------ durations and sets
# "15 a year", "$5 billion a year", "1,800,000 cables a year": a rate, so a SET.
_SET_BEFORE = re.compile(r"(?:\d|million|billion|thousand|hundred|times|once|twice|percent|%|\b(?:two|three|four|"
                         r"five|six|seven|eight|nine|ten|eleven|twelve|teen|fifteen|twenty|thirty|forty|fifty|"
                         r"sixty|seventy|eighty|ninety|dozen|dozens))\S*"
                         r"(?:\s+[a-z]\S*){0,2}\s*$", re.I)


@pattern("duration", rf"{_APPROX}(?:the\s+(?P<rel>past|last|next|previous|coming|first|following|final|"
         rf"remaining|same)\s+)?(?P<num>{L.NUM}|{L.VAGUE_RE})[\s-]+{_ADJ}(?P<unit>{L.UNIT_RE})"
         r"(?:-(?:long|old))?(?!-(?:earlier|ago)\b)")
def _duration(m, ctx, text):
    num = m.group("num").lower()
    n = None if re.fullmatch(L.VAGUE_RE, num) else L.parse_number(num)
    unit = L.unit_key(m.group("unit"))
    if unit == "weekend" or num in ("a", "an", "one") and unit in ("second", "quarter"):
        return None
    rate = _SET_BEFORE.search(text[max(0, m.start() - 30):m.start()]) if num in ("a", "an") else None
    if rate and not re.search(rf"\b{L.UNIT_RE}\b", rate.group(0), re.I):
        return _hit(m, "SET", L.duration_value(1, unit), None, "explicit")  # "15 a year"
    return _hit(m, "DURATION", L.duration_value(n, unit), None, "explicit")


@pattern("vague_units", r"(?:(?P<pre>for|in|in\s+just|within|over|over\s+the|recent|the\s+past\s+few|"
         r"the\s+last\s+few|the\s+coming|the\s+past|the\s+last|the\s+next)\s+)(?P<unit>years|decades|months|"
         r"weeks|days|hours|minutes|centuries)|(?P<bare>decades|centuries)")
def _vague_units(m, ctx, text):
    if m.group("bare"):
        return _hit(m, "DURATION", L.duration_value(None, m.group("bare")), None, "explicit")
    pre = re.sub(r"\s+", " ", m.group("pre").lower())
    span = (m.start("unit"), m.end()) if pre in ("for", "in", "over", "in just", "within") else m.span()
    return _hit(m, "DURATION", L.duration_value(None, m.group("unit")), None, "explicit", span=span)


@pattern("decades_long", r"(?P<unit>years|decades|months|weeks|centuries)(?=-long)")
def _decades_long(m, ctx, text):
    return _hit(m, "DURATION", L.duration_value(None, m.group("unit")), None, "explicit")


_SET_WORDS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "annual": "P1Y",
              "yearly": "P1Y", "quarterly": "P1Q", "hourly": "PT1H", "nightly": "P1D",
              "biannual": "P6M", "biennial": "P2Y"}


@pattern("set_word", r"(?P<w>daily|weekly|monthly|annually|annual|yearly|quarterly|hourly|nightly|biennial)")
def _set_word(m, ctx, text):
    return _hit(m, "SET", _SET_WORDS[m.group("w").lower()], None, "explicit")


@pattern("set_every", rf"(?P<q>every|each|per|once\s+a|twice\s+a|once\s+an)\s+(?:(?P<num>{L.NUM_WORD}|\d+|other)\s+)?"
         rf"(?P<unit>{L.UNIT_RE}|{_WD_FULL})")
def _set_every(m, ctx, text):
    unit = m.group("unit").lower()
    if unit in L.WEEKDAYS:
        return _hit(m, "SET", f"XXXX-WXX-{L.WEEKDAYS[unit] + 1}", None, "explicit")
    num = (m.group("num") or "").lower()
    n = 2 if num == "other" else (L.parse_number(num) if num else 1)
    return _hit(m, "SET", L.duration_value(n, unit), None, "explicit")


# ------------------------------------------------------------------------ vague references
_REFS = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF",
         "presently": "PRESENT_REF", "at present": "PRESENT_REF", "current": "PRESENT_REF",
         "the time being": "PRESENT_REF", "the present": "PRESENT_REF",
         "recently": "PAST_REF", "lately": "PAST_REF", "recent": "PAST_REF", "the past": "PAST_REF",
         "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
         "the near term": "FUTURE_REF", "the short term": "FUTURE_REF", "the long term": "FUTURE_REF",
         "the medium term": "FUTURE_REF", "short-term": "FUTURE_REF", "soon": "FUTURE_REF",
         "very soon": "FUTURE_REF", "shortly": "FUTURE_REF"}


# "ongoing" and "formerly" were wrong more often than right on MEANTIME dev (1 of 3, 0 of 2).
@pattern("ref", r"(?P<w>now|currently|nowadays|presently|at\s+present|current(?!\s+(?:account|affairs|events)\b)|"
         r"the\s+time\s+being|the\s+present|(?:more\s+)?recently|lately|recent|the\s+past|"
         r"the\s+(?:near\s+)?future|the\s+(?:near|short|long|medium)\s+term|short-term|"
         r"(?:very\s+)?soon(?!\s+(?:as|after|before)\b)|shortly(?!\s+(?:after|before)\b))(?!-)")
def _ref(m, ctx, text):
    w = re.sub(r"\s+", " ", m.group("w").lower()).replace("more ", "")
    if w == "now" and re.match(r"\s*that\b", text[m.end():m.end() + 6]):
        return None
    return _hit(m, "DATE", _REFS[w], None, "relative", ctx.dct)
