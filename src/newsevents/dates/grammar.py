"""The TIMEX3 pattern grammar: regular expressions over the raw text, each with a normaliser.

Span conventions follow TimeML / MEANTIME: leading prepositions are left out, determiners and
the modifiers "early/late/mid-/the end of" are kept ("the fourth quarter", "early June"), an
approximator ("almost two years") is kept, and "two days *before* the vote" is a DURATION over
"two days" only. Values follow TimeML: "early June" keeps the month's value (the modifier is
TimeML's ``mod`` attribute, which we do not emit).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Callable, Protocol

from newsevents.dates import lexicon as L

# Only abbreviations take a dot: "on 9 September." must not swallow the full stop.
_MON = (
    r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_MON_FULL = (
    r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_WD = (
    r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues|Tue|Wed|Thurs|Thu|"
    r"Fri|Sat|Sun)"
)
_WD_FULL = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MOD = (
    r"(?:(?P<mod>(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|close|turn|outset)\s+of"
    r"(?:\s+the)?|early|late|mid|the\s+(?:early|late|mid))[\s-]+)?"
)
_APPROX = r"(?:(?:about|around|almost|nearly|approximately|roughly|some|over|under)\s+(?!the\b))?"
_ADJ = r"(?:(?:trading|business|working|consecutive|straight|full|calendar|successive|more|" \
       r"additional|long|short|weeks?|months?)[\s-]+)?"
_TZ = r"(?P<tz>UTC|GMT|Z|[ECMP][SD]?T|BST|CET|CEST|EET|EEST|IST|JST|AEST|AEDT|local\s+time)"
_ORD_Q = r"(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)"


class Ctx(Protocol):
    """What a normaliser may ask about the document (see ``when._Context``)."""

    dct: _dt.date | None
    anchor: tuple[_dt.date, str] | None

    def tense(self, start: int, end: int) -> str | None: ...
    last_day: _dt.date | None

    def sentence_day(self, start: int) -> _dt.date | None: ...
    def is_propn(self, start: int) -> bool: ...
    def nummod_of_plural(self, start: int) -> bool: ...


@dataclass
class Hit:
    start: int
    end: int
    type: str
    value: str | None
    precision: str | None
    basis: str = "relative"
    anchor: _dt.date | None = None
    weekday_mismatch: bool = False
    #: The calendar day behind the value when there is one (used for chaining).
    day: _dt.date | None = None
    #: A clock time whose day was not stated near it (the DCT was used).
    defaulted: bool = False


Handler = Callable[[re.Match, Ctx, str], "Hit | list[Hit] | None"]


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern
    handler: Handler
    ok: Callable[[re.Match, str], bool] | None = None


_PATTERNS: list[Pattern] = []


def _one_line(rx: str) -> str:
    """Whitespace inside an expression never spans a line break: the title, the dateline and
    the body are separate lines, and "Friday\n\nSeptember 18" is two expressions."""
    return rx.replace(r"[\s-]", r"(?:[^\S\n]|-)").replace(r"\s", r"[^\S\n]")


def pattern(name: str, rx: str, ok: Callable[[re.Match, str], bool] | None = None):
    def deco(fn: Handler) -> Handler:
        regex = re.compile(rf"(?<![\w'])(?:{_one_line(rx)})(?![\w])", re.I)
        _PATTERNS.append(Pattern(name, regex, fn, ok))
        return fn
    return deco


def patterns() -> list[Pattern]:
    return _PATTERNS


def _hit(m: re.Match, type_: str, value: str | None, precision: str | None, basis: str,
         anchor: _dt.date | None = None, day: _dt.date | None = None, span: tuple[int, int] | None = None,
         mismatch: bool = False) -> Hit:
    s, e = span or m.span()
    return Hit(s, e, type_, value, precision, basis, anchor if basis == "relative" else None,
               mismatch, day)


def _month(s: str) -> int:
    return L.MONTHS[s.lower().rstrip(".")]


def _year_of(m: re.Match, month: int, day: int | None, ctx: Ctx) -> tuple[int | None, str]:
    """(year, basis) for a month/day: stated, or chosen from the DCT and tense."""
    if m.groupdict().get("year"):
        return int(m.group("year")), "explicit"
    if ctx.dct is None:
        return None, "relative"
    return L.nearest_year(month, day, ctx.dct, ctx.tense(*m.span())), "relative"


# ------------------------------------------------------------------------ calendar dates
def _day_hit(m: re.Match, ctx: Ctx, month: int, day: int) -> Hit | None:
    y, basis = _year_of(m, month, day, ctx)
    wd = m.groupdict().get("wd")
    if y is None:
        return _hit(m, "DATE", f"XXXX-{month:02d}-{day:02d}", "day", basis)
    d = L.valid_day(y, month, day)
    if d is None and basis == "relative":
        # "February 29" in a non-leap year: the nearest leap year before it
        d = next((c for c in (L.valid_day(y - k, month, day) for k in range(1, 4)) if c), None)
    if d is None:
        return None
    mismatch = bool(wd) and L.WEEKDAYS[wd.lower().rstrip(".")] != d.weekday()
    return _hit(m, "DATE", L.iso_day(d), "day", basis, ctx.dct, d, mismatch=mismatch)


_WD_OPT = rf"(?:(?P<wd>{_WD})\.?,?\s+(?:the\s+)?)?"


@pattern("month_day", rf"{_WD_OPT}(?P<mon>{_MON})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"
         r"(?:(?:,\s*|\s+)(?P<year>1\d{3}|20\d{2})(?!\d))?")
def _month_day(m, ctx, text):
    return _day_hit(m, ctx, _month(m.group("mon")), int(m.group("day")))


@pattern("day_month", rf"{_WD_OPT}(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
         rf"(?P<mon>{_MON})(?:,?\s+(?P<year>1\d{{3}}|20\d{{2}})(?!\d))?")
def _day_month(m, ctx, text):
    return _day_hit(m, ctx, _month(m.group("mon")), int(m.group("day")))


# Year-first dates are unambiguous with either separator (2024-12-01, 2024/12/01).
@pattern("iso", r"(?P<year>1\d{3}|20\d{2})(?P<sep>[-/])(?P<mon>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)(?![\d/])"
         r"(?:T(?P<h>[0-2]\d):(?P<mi>[0-5]\d))?")
def _iso(m, ctx, text):
    d = L.valid_day(int(m.group("year")), int(m.group("mon")), int(m.group("day")))
    if d is None:
        return None
    if m.group("h"):
        return _hit(m, "TIME", f"{d.isoformat()}T{m.group('h')}:{m.group('mi')}", "time",
                    "explicit", day=d)
    return _hit(m, "DATE", L.iso_day(d), "day", "explicit", day=d)


def _bare_ordinal_ok(m: re.Match, text: str) -> bool:
    before = text[max(0, m.start() - 8):m.start()]
    after = text[m.end():m.end() + 8]
    return bool(re.search(r"\b(?:on|by|until|till|since|from)\s+$", before, re.I)) and \
        bool(re.match(r"\s*(?:[,.;:)–-]|$|(?:and|to|or|at|in|when|until)\b)", after))


@pattern("bare_ordinal", r"the\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)", ok=_bare_ordinal_ok)
def _bare_ordinal(m, ctx, text):
    """"on the 13th": a day of the DCT's month (the month before when past tense and later)."""
    day = int(m.group("day"))
    if ctx.dct is None or not 1 <= day <= 31:
        return None
    d = ctx.dct
    tense = ctx.tense(*m.span())
    base = d
    if tense == "past" and day > d.day + 2:
        base = L.add_months(d.replace(day=1), -1)
    elif tense == "future" and day < d.day - 2:
        base = L.add_months(d.replace(day=1), 1)
    out = L.valid_day(base.year, base.month, day)
    if out is None:
        return None
    return _hit(m, "DATE", out.isoformat(), "day", "relative", d, out)


@pattern("slash", r"(?P<a>[01]?\d|[23]\d)/(?P<b>[0-3]?\d)/(?P<y>\d{4}|\d{2})(?![/\d])")
def _slash(m, ctx, text):
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    if y < 100:
        y += 2000 if y <= ((ctx.dct.year % 100 + 1) if ctx.dct else 30) else 1900
    # 12/01/2024 is 1 December in the US and 12 January elsewhere: resolve it only when one
    # reading is impossible (a part above 12) or both readings give the same day.
    if a > 12 and b <= 12:
        d = L.valid_day(y, b, a)
    elif b > 12 and a <= 12 or a == b:
        d = L.valid_day(y, a, b)
    else:
        return _hit(m, "DATE", None, None, "explicit")
    return _hit(m, "DATE", L.iso_day(d), "day", "explicit", day=d) if d else None


# ------------------------------------------------------------------------ months, years
@pattern("month_year", rf"{_MOD}(?P<mon>{_MON}),?\s+(?:of\s+)?(?P<year>1\d{{3}}|20\d{{2}})(?!\d|,\d)")
def _month_year(m, ctx, text):
    return _hit(m, "DATE", L.iso_month(int(m.group("year")), _month(m.group("mon"))), "month",
                "explicit")


@pattern("month_rel_year", rf"{_MOD}(?P<mon>{_MON_FULL})\s+(?:of\s+)?(?P<rel>this|last|next|"
         r"the\s+following|the\s+previous|the\s+same)\s+year")
def _month_rel_year(m, ctx, text):
    base = ctx.dct
    rel = m.group("rel").lower()
    if "following" in rel or "previous" in rel or "same" in rel:
        base = ctx.anchor[0] if ctx.anchor else ctx.dct
    if base is None:
        return None
    off = {"this": 0, "last": -1, "next": 1}.get(rel, 1 if "following" in rel else -1 if "previous" in rel else 0)
    y = base.year + off
    # MEANTIME (like TimeML) tags "October" and "next year" as two expressions.
    return [_hit(m, "DATE", L.iso_month(y, _month(m.group("mon"))), "month", "relative", base,
                 span=(m.start(), m.end("mon"))),
            _hit(m, "DATE", str(y), "year", "relative", base, span=(m.start("rel"), m.end()))]


@pattern("month_rel", rf"(?P<rel>last|next|this|past|coming|the\s+previous|the\s+following)\s+(?P<mon>{_MON_FULL})")
def _month_rel(m, ctx, text):
    if ctx.dct is None:
        return None
    mon, rel, d = _month(m.group("mon")), m.group("rel").lower(), ctx.dct
    if rel in ("last", "past") or "previous" in rel:
        y = d.year if mon < d.month else d.year - 1
    elif rel in ("next", "coming") or "following" in rel:
        y = d.year if mon > d.month else d.year + 1
    else:
        y = d.year
    return _hit(m, "DATE", L.iso_month(y, mon), "month", "relative", d)


_MONTH_CUE = re.compile(r"(?:\b(?:in|since|until|till|by|of|from|to|during|before|after|through|"
                        r"between|and|or|early|late|mid|end|start|beginning|last|this|next)[\s-]+)$",
                        re.I)


_PLAIN_MONTHS = {"january", "february", "march", "july", "september", "october", "november", "december"}


def _month_ok(m: re.Match, text: str) -> bool:
    if text[m.end():m.end() + 2] in ("'s", "’s") and m.group("mon").lower() not in _PLAIN_MONTHS:
        return False  # "May's joining the debate": a person
    if m.group("mon").lower() in _PLAIN_MONTHS:
        return True
    return bool(_MONTH_CUE.search(text[max(0, m.start() - 12):m.start()])) or bool(m.group("mod"))


@pattern("month", rf"{_MOD}(?P<mon>{_MON_FULL})", ok=_month_ok)
def _month_only(m, ctx, text):
    mon = _month(m.group("mon"))
    y, basis = _year_of(m, mon, None, ctx)
    if y is None:
        return _hit(m, "DATE", f"XXXX-{mon:02d}", "month", basis)
    return _hit(m, "DATE", L.iso_month(y, mon), "month", basis, ctx.dct)


_YEAR_BAD_AFTER = re.compile(r"^(?:\.\d|,\d{3}|\s*(?:%|percent|per\s*cent|-?(?:kg|km|mph|points?)\b))", re.I)
_YEAR_CUE = re.compile(r"(?:\b(?:in|since|until|till|by|of|from|to|during|before|after|through|"
                       r"between|and|year|years|early|late|mid|fiscal|FY|circa|c\.)[\s-]+)$", re.I)


def _year_ok(m: re.Match, text: str) -> bool:
    before = text[max(0, m.start() - 12):m.start()]
    if re.search(r"[$£€¥#№/]\s*$|\d[,.]?$|(?:No\.|number|flight|route|model|version|resolution|room|chapter|section|article|page|"
                 r"paragraph|highway|interstate|bus|rule|code|level|grade)\s+$", before, re.I):
        return False  # a price, a count, an identifier or a URL path ("/docs/2005/")
    if text[m.end():m.end() + 1] == "/":
        return False
    if _YEAR_BAD_AFTER.match(text[m.end():m.end() + 12]):
        return False
    y = int(m.group("year"))
    # Numbers outside 1900-2099 are years only after a temporal cue ("in 1066", "since 1848").
    return 1900 <= y <= 2099 or bool(_YEAR_CUE.search(before)) or bool(m.group("mod"))


@pattern("year", rf"(?:the\s+)?{_MOD}(?P<fy>(?:fiscal|financial)\s+(?:year\s+)?|FY\s*)?"
         r"(?P<year>1[0-9]{3}|20[0-9]{2})(?!\d|['’](?!s\b))", ok=_year_ok)
def _year(m, ctx, text):
    y = m.group("year")
    if m.group("fy"):
        return _hit(m, "DATE", f"FY{y}", "year", "explicit")
    if ctx.nummod_of_plural(m.start("year")):
        return None  # "2000 soldiers": a count, not a year
    span = m.span()
    if re.match(r"the\s", m.group(0), re.I) and not m.group("mod"):
        span = (m.start("year"), m.end())  # "the 2008 Olympics": the article is not the date's
    return _hit(m, "DATE", y, "year", "explicit", span=span)


@pattern("short_year", r"[’'](?P<yy>\d{2})(?![\d’'s])")
def _short_year(m, ctx, text):
    yy = int(m.group("yy"))
    cut = (ctx.dct.year % 100) if ctx.dct else 30
    return _hit(m, "DATE", str((2000 if yy <= cut + 10 else 1900) + yy), "year", "explicit")


@pattern("decade", rf"(?:the\s+)?{_MOD}(?:(?P<dec>1\d\d0|20\d0)|[’']?(?P<dd>[0-9]0))[’']?s")
def _decade(m, ctx, text):
    if m.group("dec"):
        v = m.group("dec")[:3]
    else:
        dd = int(m.group("dd"))
        cut = (ctx.dct.year % 100) if ctx.dct else 30
        v = str(((2000 if dd <= cut - 10 or dd == 0 else 1900) + dd) // 10)
        if dd == 0 and "'" not in m.group(0) and "’" not in m.group(0):
            return None  # "0s" is no decade
    span = m.span()
    if re.match(r"the\s", m.group(0), re.I) and not m.group("mod"):
        span = (m.start() + 4, m.end())
    return _hit(m, "DATE", v, "decade", "explicit", span=span)


@pattern("century", rf"(?:the\s+)?{_MOD}(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|first|second|third|"
         r"fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|"
         r"fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)[\s-]+century")
def _century(m, ctx, text):
    o = m.group("ord").lower()
    n = int(re.match(r"\d+", o).group()) if o[0].isdigit() else L.ORDINALS[o]
    return _hit(m, "DATE", f"{n - 1:02d}", "century", "explicit")
