"""TIMEX3 patterns resolved against the DCT or an earlier date: weekdays, deictics ("yesterday",
"last week"), offsets ("two days later"), quarters, seasons, times, durations, sets, and the
vague references (PRESENT_REF / PAST_REF / FUTURE_REF)."""
from __future__ import annotations

import datetime as _dt
import re

from newsevents.dates import lexicon as L
from newsevents.dates.grammar import (
    _ADJ, _APPROX, _MOD, _MON_FULL, _ORD_Q, _WD_FULL, _hit, pattern,
)

_UNIT_SING = r"(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|century)"
_UNIT_WORDS = r"(?:week|weekend|month|year|quarter|decade|century|day)"


def _pod(m) -> str:
    p = (m.groupdict().get("pod") or "").lower()
    return L.PARTS_OF_DAY.get(p, "")


# ------------------------------------------------------------------------ weekdays, deictics
@pattern("weekday", rf"(?:(?P<mod>early|late)\s+)?(?:(?P<rel>last|next|this|past|coming)\s+)?(?P<wd>{_WD_FULL})(?:[’']s)?"
         r"(?:\s+(?P<pod>morning|afternoon|evening|night))?")
def _weekday(m, ctx, text):
    if ctx.dct is None:
        return _hit(m, "DATE", "XXXX-WXX-" + str(L.WEEKDAYS[m.group("wd").lower()] + 1), "day", "relative")
    rel = (m.group("rel") or "").lower()
    tense = {"last": "past", "past": "past", "next": "future", "coming": "future"}.get(rel) \
        or ctx.tense(*m.span())
    d = L.weekday_date(L.WEEKDAYS[m.group("wd").lower()], ctx.dct, tense)
    if rel == "next" and d == ctx.dct:
        d += _dt.timedelta(days=7)
    elif rel in ("last", "past") and d == ctx.dct:
        d -= _dt.timedelta(days=7)  # "last Thursday" said on a Thursday: a week ago
    span = m.span()
    if m.group(0).endswith(("'s", "’s")):
        span = (m.start(), m.end() - 2)
    pod = _pod(m)
    if pod:
        return _hit(m, "TIME", f"{d.isoformat()}T{pod}", "time", "relative", ctx.dct, d, span)
    return _hit(m, "DATE", d.isoformat(), "day", "relative", ctx.dct, d, span)


_DEICTIC = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


@pattern("deictic", r"(?:(?P<pre>earlier|later|late|early)\s+)?(?P<w>today|tonight|yesterday|tomorrow)"
         r"(?:\s+(?P<pod>morning|afternoon|evening|night))?")
def _deictic(m, ctx, text):
    w = m.group("w").lower()
    if ctx.dct is None:
        return _hit(m, "DATE", "PRESENT_REF" if w == "today" else None, None, "relative")
    d = ctx.dct + _dt.timedelta(days=_DEICTIC[w])
    pod = _pod(m) or ("NI" if w == "tonight" else "")
    if pod:
        return _hit(m, "TIME", f"{d.isoformat()}T{pod}", "time", "relative", ctx.dct, d)
    return _hit(m, "DATE", d.isoformat(), "day", "relative", ctx.dct, d)


@pattern("this_pod", r"(?P<rel>this|last)\s+(?P<pod>morning|afternoon|evening|night)")
def _this_pod(m, ctx, text):
    if ctx.dct is None:
        return None
    rel, pod = m.group("rel").lower(), m.group("pod").lower()
    if rel == "this" and pod == "night":
        return None
    # "last night" is the night before the DCT; "last morning" is not English, but harmless.
    d = ctx.dct - _dt.timedelta(days=1 if rel == "last" else 0)
    return _hit(m, "TIME", f"{d.isoformat()}T{_pod(m)}", "time", "relative", ctx.dct, d)


@pattern("day_around", r"the\s+day\s+(?P<w>before\s+yesterday|after\s+tomorrow)")
def _day_around(m, ctx, text):
    if ctx.dct is None:
        return None
    d = ctx.dct + _dt.timedelta(days=-2 if "yesterday" in m.group("w").lower() else 2)
    return _hit(m, "DATE", d.isoformat(), "day", "relative", ctx.dct, d)


# ------------------------------------------------------------------------ "last week", "the next day"
def _unit_value(base: _dt.date, unit: str, off: int) -> tuple[str, str, _dt.date | None]:
    unit = unit.lower()
    if unit == "day":
        d = base + _dt.timedelta(days=off)
        return d.isoformat(), "day", d
    if unit == "week":
        return L.iso_week(base + _dt.timedelta(weeks=off)), "week", None
    if unit == "weekend":
        return L.iso_week(base + _dt.timedelta(weeks=off)) + "-WE", "week", None
    if unit == "month":
        t = L.add_months(base, off)
        return L.iso_month(t.year, t.month), "month", None
    if unit == "quarter":
        t = L.add_months(base, 3 * off)
        return f"{t.year:04d}-Q{L.quarter_of(t)}", "quarter", None
    if unit == "year":
        return f"{base.year + off:04d}", "year", None
    if unit == "decade":
        return f"{(base.year + 10 * off) // 10:03d}", "decade", None
    return f"{(base.year + 100 * off) // 100:02d}", "century", None


_REL_OFF = {"last": -1, "past": -1, "previous": -1, "prior": -1, "preceding": -1, "next": 1,
            "coming": 1, "upcoming": 1, "following": 1, "this": 0, "current": 0, "same": 0}


@pattern("rel_unit", rf"{_MOD}(?P<det>the\s+)?(?P<rel>last|past|previous|prior|preceding|next|coming|"
         rf"upcoming|this|current|following|same)\s+(?P<unit>{_UNIT_WORDS})")
def _rel_unit(m, ctx, text):
    rel, unit, det = m.group("rel").lower(), m.group("unit").lower(), bool(m.group("det"))
    if det and rel == "past" or det and rel in ("last", "next") and unit in ("decade", "century"):
        # "the past year", "the last decade": a stretch of time up to now (TimeML DURATION)
        return _hit(m, "DURATION", L.duration_value(1, unit), None, "explicit")
    if unit == "day" and rel in ("last", "past", "this", "current", "coming", "upcoming"):
        return None
    # "the following week", "the same day", "the previous year" chain from the last date in the
    # text; "next week", "last year" are deictic (from the DCT), as TimeML does for news.
    chained = det and rel in ("previous", "prior", "preceding", "following", "same", "next")
    base = (ctx.anchor[0] if ctx.anchor else ctx.dct) if chained else ctx.dct
    if base is None:
        return None
    value, prec, day = _unit_value(base, unit, _REL_OFF[rel])
    if chained and ctx.anchor:
        value, prec, day = _no_finer(value, prec, day, ctx.anchor[1])
    return _hit(m, "DATE", value, prec, "relative", base, day)


_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}


def _no_finer(value: str, prec: str, day, anchor_prec: str):
    """Never invent a day: "the next day" after "in March" stays at March's precision."""
    if _RANK.get(anchor_prec, 0) <= _RANK.get(prec, 4) or prec not in ("day", "week"):
        return value, prec, day
    d = day or _dt.date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
    if anchor_prec == "week":
        return L.iso_week(d), "week", None
    if anchor_prec == "month":
        return L.iso_month(d.year, d.month), "month", None
    if anchor_prec == "quarter":
        return f"{d.year}-Q{L.quarter_of(d)}", "quarter", None
    return str(d.year), "year", None


@pattern("this_unit_edge", r"(?P<w>earlier|later)\s+(?P<rel>this|that|last|next)\s+(?P<unit>week|month|year)")
def _edge(m, ctx, text):
    if ctx.dct is None:
        return None
    value, prec, _ = _unit_value(ctx.dct, m.group("unit"), _REL_OFF.get(m.group("rel").lower(), 0))
    return _hit(m, "DATE", value, prec, "relative", ctx.dct)


@pattern("the_unit_edge", r"(?P<mod>(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle)\s+of|late\s+in|"
         r"early\s+in)\s+the\s+(?P<unit>day|week|month|year)")
def _the_unit_edge(m, ctx, text):
    if ctx.dct is None:
        return None
    base = (ctx.last_day or ctx.dct) if m.group("unit").lower() == "day" else ctx.dct
    value, prec, day = _unit_value(base, m.group("unit"), 0)
    return _hit(m, "DATE", value, prec, "relative", base, day)


_YEAR_BACK = r"(?:a\s+year\s+(?:ago|earlier|before)|(?:of\s+)?(?:the\s+)?(?:last|previous|prior)\s+year|the\s+year\s+before)"


@pattern("same_period", rf"the\s+same\s+(?:period|month|quarter|week|day|time)\s+{_YEAR_BACK}")
def _same_period(m, ctx, text):
    """"the same month a year ago": the date last mentioned, one year back, at its precision."""
    if ctx.anchor is None:
        return None
    d, prec = ctx.anchor
    d = d.replace(year=d.year - 1) if not (d.month == 2 and d.day == 29) else d.replace(year=d.year - 1, day=28)
    value = {"day": d.isoformat(), "month": L.iso_month(d.year, d.month), "quarter": f"{d.year}-Q{L.quarter_of(d)}",
             "week": L.iso_week(d)}.get(prec, str(d.year))
    return _hit(m, "DATE", value, prec if prec in ("day", "month", "quarter", "week") else "year",
                "relative", ctx.anchor[0], d if prec == "day" else None)


@pattern("year_around", r"the\s+(?P<unit>year|month|week|day)\s+(?P<dir>before|previous|prior|earlier|after|later)"
         r"(?!\s+(?:the|a|an|his|her|its|their|last|this)\b)")
def _year_around(m, ctx, text):
    base = ctx.anchor[0] if ctx.anchor else ctx.dct
    if base is None:
        return None
    off = 1 if m.group("dir").lower() in ("after", "later") else -1
    value, prec, day = _unit_value(base, m.group("unit"), off)
    return _hit(m, "DATE", value, prec, "relative", base, day)


@pattern("whole_unit", r"the\s+(?:entire|whole|full)\s+(?P<unit>year|month|week)")
def _whole_unit(m, ctx, text):
    base = ctx.anchor[0] if ctx.anchor else ctx.dct
    if base is None:
        return None
    value, prec, day = _unit_value(base, m.group("unit"), 0)
    return _hit(m, "DATE", value, prec, "relative", base, day)


@pattern("week_of_month", rf"the\s+(?P<ord>first|second|third|fourth|last|final)\s+week\s+of\s+"
         rf"(?P<mon>{_MON_FULL})(?:,?\s+(?P<year>1\d{{3}}|20\d{{2}}))?")
def _week_of_month(m, ctx, text):
    mon = L.MONTHS[m.group("mon").lower()]
    if m.group("year"):
        y, basis = int(m.group("year")), "explicit"
    elif ctx.dct is None:
        return None
    else:
        y, basis = L.nearest_year(mon, None, ctx.dct, ctx.tense(*m.span())), "relative"
    o = m.group("ord").lower()
    if o in ("last", "final"):
        d = L.add_months(_dt.date(y, mon, 1), 1) - _dt.timedelta(days=4)  # its last Thursday's week
    else:
        d = _dt.date(y, mon, 1) + _dt.timedelta(days=3 + 7 * (L.ORDINALS[o] - 1))
    return _hit(m, "DATE", L.iso_week(d), "week", basis, ctx.dct)


@pattern("pod", r"(?:(?P<det>the|that)\s+)?(?P<pod>morning|afternoon|evening)(?=\s+(?:trading|session|hours))"
         r"|(?P<det2>that)\s+(?P<pod2>morning|afternoon|evening|night)")
def _pod_bare(m, ctx, text):
    pod = L.PARTS_OF_DAY[(m.group("pod") or m.group("pod2")).lower()]
    base = ctx.last_day or ctx.dct
    if base is None:
        return None
    return _hit(m, "TIME", f"{base.isoformat()}T{pod}", "time", "relative", base, base)


@pattern("weekend", r"(?P<rel>this|last|next|the|past)\s+weekend")
def _weekend(m, ctx, text):
    if ctx.dct is None:
        return None
    off = {"last": -1, "past": -1, "next": 1}.get(m.group("rel").lower(), 0)
    value, prec, _ = _unit_value(ctx.dct, "weekend", off)
    return _hit(m, "DATE", value, prec, "relative", ctx.dct)


_DAY_CUE = re.compile(r"\b(?:end|ends|ended|ending|finish|finished|finishing|close|closed|closing|"
                      r"for|during|start\s+of|end\s+of|later\s+in|earlier\s+in|rest\s+of|on|that)\s+$", re.I)


@pattern("the_day", r"(?P<det>the|that)\s+day(?!\s+(?:before|after|of|when|that|he|she|it|they))",
         ok=lambda m, text: bool(_DAY_CUE.search(text[max(0, m.start() - 14):m.start()]))
         or m.group("det").lower() == "that")
def _the_day(m, ctx, text):
    base = ctx.last_day or ctx.dct
    if base is None:
        return None
    return _hit(m, "DATE", base.isoformat(), "day", "relative", base, base)


# ------------------------------------------------------------------------ offsets
@pattern("offset", rf"{_APPROX}(?P<num>{L.NUM}|{L.VAGUE_RE})[\s-]+{_ADJ}(?P<unit>{L.UNIT_RE})\s+"
         r"(?P<dir>ago|earlier|later|before|after|from\s+now|hence|previously|prior|back)")
def _offset(m, ctx, text):
    d, unit = m.group("dir").lower(), L.unit_key(m.group("unit"))
    n = L.parse_number(m.group("num"))
    vague = n is None or re.match(L.VAGUE_RE + "$", m.group("num").lower()) is not None
    if d in ("before", "after", "prior"):
        # "two days before the vote": TimeML marks the DURATION; the date is the event's.
        if re.match(r"\s*(?:that|this|then|,|\.)", text[m.end():m.end() + 6]) and not vague:
            base = ctx.anchor[0] if ctx.anchor else ctx.dct
            if base is not None:
                value, prec = L.shift(base, int(n) * (1 if d == "after" else -1), unit)
                return _hit(m, "DATE", value, prec, "relative", base)
        return _hit(m, "DURATION", L.duration_value(None if vague else n, unit), None, "explicit",
                    span=(m.start(), m.end("unit")))
    sign = 1 if d in ("later", "from now", "hence") else -1
    if vague:
        return _hit(m, "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None, "relative", ctx.dct)
    chained = d in ("earlier", "later", "previously")
    base = (ctx.anchor[0] if ctx.anchor else ctx.dct) if chained else ctx.dct
    if base is None or unit in L.TIME_UNITS or not float(n).is_integer():
        return _hit(m, "DATE", None, None, "relative")
    if chained and ctx.anchor and ctx.anchor[1] in ("month", "quarter") and unit in ("year", "quarter"):
        # "profit rose from $5m a year earlier" after "the third quarter": last year's third quarter
        value, prec = _at_precision(L.add_months(base, int(n) * sign * (12 if unit == "year" else 3)),
                                    ctx.anchor[1])
        return _hit(m, "DATE", value, prec, "relative", base)
    value, prec = L.shift(base, int(n) * sign, unit)
    day = _dt.date.fromisoformat(value) if prec == "day" else None
    if chained and ctx.anchor:
        value, prec, day = _no_finer(value, prec, day, ctx.anchor[1])
    return _hit(m, "DATE", value, prec, "relative", base, day)


def _at_precision(d: _dt.date, prec: str) -> tuple[str, str]:
    if prec == "month":
        return L.iso_month(d.year, d.month), "month"
    return f"{d.year}-Q{L.quarter_of(d)}", "quarter"


@pattern("year_ago_adj", r"(?P<w>year|month|quarter)-(?:earlier|ago)|(?P<w2>year|month|quarter)\s(?:earlier|ago)"
         r"(?=\s+(?:period|quarter|month|level|figure|results?|sales|profits?|earnings|loss|levels|figures))")
def _year_ago_adj(m, ctx, text):
    """"the year-earlier quarter", "year-ago levels": the last date mentioned, one unit back."""
    if ctx.anchor is None:
        return None
    base, aprec = ctx.anchor
    months = {"year": 12, "quarter": 3, "month": 1}[(m.group("w") or m.group("w2")).lower()]
    d = L.add_months(base, -months)
    if aprec in ("month", "quarter"):
        value, prec = _at_precision(d, aprec)
    elif months == 12:
        value, prec = str(d.year), "year"
    else:
        value, prec = _at_precision(d, "month" if months == 1 else "quarter")
    return _hit(m, "DATE", value, prec, "relative", base)


# ------------------------------------------------------------------------ quarters, halves, fiscal
@pattern("quarter", rf"(?:the\s+)?{_ORD_Q}[\s-]+(?:fiscal\s+|financial\s+)?quarter(?:\s+of\s+(?:the\s+)?"
         r"(?:(?:fiscal|financial)\s+)?(?:year\s+)?(?:(?P<year>1\d{3}|20\d{2})|(?P<yrel>this|last|next|"
         r"the\s+previous|the\s+current)\s+year))?")
def _quarter(m, ctx, text):
    o = m.group("ord").lower()
    d = ctx.dct
    if m.group("year"):
        y, basis = int(m.group("year")), "explicit"
    elif d is None:
        return None
    else:
        basis = "relative"
        yrel = (m.group("yrel") or "").lower()
        y = d.year + (-1 if yrel in ("last", "the previous") else 1 if yrel == "next" else 0)
    if o == "last" and not m.group("year") and not m.group("yrel"):
        t = L.add_months(d, -3)  # "the last quarter": the one before the DCT's
        return _hit(m, "DATE", f"{t.year}-Q{L.quarter_of(t)}", "quarter", basis, d)
    q = L.ORDINALS.get(o) or int(o[0])
    if basis == "relative" and not m.group("yrel"):
        tense = ctx.tense(*m.span())
        cur = L.quarter_of(d)
        if tense == "past" and q > cur or tense != "future" and q > cur + 1:
            y -= 1  # "profits fell in the fourth quarter" published in March: last year's
    return _hit(m, "DATE", f"{y}-Q{q}", "quarter", basis, d)


@pattern("quarter_code", r"Q(?P<q>[1-4])(?:\s+(?P<year>1\d{3}|20\d{2}))?")
def _quarter_code(m, ctx, text):
    if m.group("year"):
        return _hit(m, "DATE", f"{m.group('year')}-Q{m.group('q')}", "quarter", "explicit")
    if ctx.dct is None:
        return None
    return _hit(m, "DATE", f"{ctx.dct.year}-Q{m.group('q')}", "quarter", "relative", ctx.dct)


@pattern("half", r"(?:the\s+)?(?P<h>first|second)[\s-]+half\s+of\s+(?:(?P<year>1\d{3}|20\d{2})|"
         r"(?P<yrel>this|last|next)\s+year)")
def _half(m, ctx, text):
    h = 1 if m.group("h").lower() == "first" else 2
    if m.group("year"):
        return _hit(m, "DATE", f"{m.group('year')}-H{h}", "half", "explicit")
    if ctx.dct is None:
        return None
    y = ctx.dct.year + {"last": -1, "next": 1}.get(m.group("yrel").lower(), 0)
    return _hit(m, "DATE", f"{y}-H{h}", "half", "relative", ctx.dct)


@pattern("fiscal", rf"{_MOD}(?P<det>the\s+)?(?:(?P<rel>this|last|next|current|previous|coming|same)\s+)?"
         r"(?:fiscal|financial)\s+year(?:\s+(?P<year>1\d{3}|20\d{2}))?")
def _fiscal(m, ctx, text):
    if m.group("year"):
        return _hit(m, "DATE", f"FY{m.group('year')}", "year", "explicit")
    if ctx.dct is None:
        return None
    off = _REL_OFF.get((m.group("rel") or "this").lower(), 0)
    return _hit(m, "DATE", f"FY{ctx.dct.year + off}", "year", "relative", ctx.dct)
