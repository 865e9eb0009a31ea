"""WHEN stage: find temporal expressions, normalise them TIMEX3-style, and date events.

Resolution follows the HeidelTime "news" strategy: deictic expressions ("yesterday", "last
week") are resolved against the publication date (DCT); yearless dates and bare weekdays take
the occurrence nearest the DCT in the direction of the governing verb's tense; chained
expressions ("two days later", "the following week") are resolved against the last date the
text mentioned.
"""
from __future__ import annotations

import bisect
import dataclasses
import datetime as _dt
import re
from typing import Iterable

from spacy.tokens import Doc, Span, Token

from newsevents.dates import grammar as G
from newsevents.dates import relative  # noqa: F401  (registers the relative patterns after the calendar ones)
from newsevents.dates import calendar  # noqa: F401  (seasons, holidays)
from newsevents.dates import times  # noqa: F401  (then clock times, durations, sets, vague references)
from newsevents.records import Article, Event, EventDate, TimeExpr

__all__ = ["extract", "date_events", "normalize", "find"]

_FUTURE_AUX = {"will", "'ll", "shall", "wo", "’ll"}
# Verbs whose infinitive complement describes a later event ("is set to begin on Wednesday").
_FUTURE_CTRL = {"be", "set", "schedule", "expect", "plan", "due", "go", "intend", "aim", "hope",
                "want", "agree", "promise", "vow", "threaten", "prepare", "seek", "try", "need",
                "likely", "decide", "pledge", "slate", "propose", "announce", "would"}
_FUTURE_ADJ = {"due", "set", "scheduled", "slated", "expected", "likely", "upcoming"}
_MODALS = {"may", "might", "could", "should", "can", "must", "would", "ca"}
_SCHEDULE = {"schedule", "plan", "slate", "set", "expect", "postpone", "delay", "reschedule"}
_NOT_DATES = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")


class _Context:
    """What normalisers may ask about the document; keeps the chaining anchor."""

    def __init__(self, text: str, dct: _dt.date | None, doc: Doc | None) -> None:
        self.text, self.dct, self.doc = text, dct, doc
        self.anchor: tuple[_dt.date, str] | None = (dct, "day") if dct else None
        self._sent_starts = [0]
        if doc is not None and (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
            self._sent_starts = [s.start_char for s in doc.sents]
        self._days: list[tuple[int, int, _dt.date]] = []  # (sentence, start, day) seen so far
        self.last_day: _dt.date | None = None  # the last calendar day the text mentioned

    def sentence_of(self, start: int) -> int:
        return max(0, bisect.bisect_right(self._sent_starts, start) - 1)

    def _span(self, start: int, end: int) -> Span | None:
        if self.doc is None:
            return None
        return self.doc.char_span(start, end, alignment_mode="expand")

    def tense(self, start: int, end: int) -> str | None:
        if self.doc is None or not self.doc.has_annotation("DEP"):
            return None  # no parse (a blank pipeline): fall back to the nearest occurrence
        span = self._span(start, end)
        return _tense(span.root) if span is not None and len(span) else None

    def sentence_day(self, start: int) -> _dt.date | None:
        """The last calendar day mentioned earlier in the sentence of ``start``."""
        sent = self.sentence_of(start)
        for s, _, day in reversed(self._days):
            if s == sent:
                return day
            if s < sent:
                break
        return None

    def note_day(self, start: int, day: _dt.date) -> None:
        self._days.append((self.sentence_of(start), start, day))
        self.last_day = day

    def is_propn(self, start: int) -> bool:
        span = self._span(start, start + 1)
        return bool(span is not None and len(span) and span[0].pos_ == "PROPN")

    def nummod_of_plural(self, start: int) -> bool:
        span = self._span(start, start + 1)
        if span is None or not len(span):
            return False
        tok = span[0]
        return tok.dep_ == "nummod" and tok.head.tag_ == "NNS" and tok.head.i == tok.i + 1


def _tense(tok: Token) -> str | None:
    """'past' | 'present' | 'future' | None for the clause governing ``tok``."""
    v = tok
    for _ in range(8):
        if v.pos_ in ("VERB", "AUX") or v.head is v:
            break
        v = v.head
    if v.pos_ not in ("VERB", "AUX"):
        return "future" if any(t.lower_ in _FUTURE_AUX for t in tok.sent) else None
    for _ in range(3):
        auxes = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
        if auxes & _FUTURE_AUX or any(c.lemma_ in _FUTURE_ADJ and c.dep_ in ("acomp", "xcomp", "oprd")
                                      for c in v.children):
            return "future"
        if auxes & _MODALS:
            # "may be signed on September 12", "should be completed in October": not the past;
            # "could have been" is.
            return "past" if "have" in auxes else None
        if v.lemma_ in _SCHEDULE and v.tag_ == "VBN" and (not auxes or auxes & {"been", "is", "are", "be"}):
            # "a hearing has been scheduled for June 3", "the vote is set for March 31", "talks,
            # currently scheduled for October 27": a plan points forward. A past "was scheduled"
            # and the active "set fire" (VBD) do not.
            return "future"
        if "to" in auxes:
            if v.dep_ == "ROOT" or v.head.lemma_ in _FUTURE_CTRL:
                return "future"
            v = v.head  # "agreed to pay on Monday": the controlling verb's tense
            continue
        if v.tag_ == "VBD" or auxes & {"was", "were", "had", "did", "has", "have", "'s", "'ve"}:
            return "past"
        if v.tag_ == "VBN":
            if not auxes and v.dep_ in ("ccomp", "xcomp", "conj", "advcl", "oprd"):
                v = v.head  # "decided to hold markets closed until Friday": the clause above
                continue
            return "past"  # reduced relatives and headlines: "figures released April 3"
        if v.tag_ in ("VBZ", "VBP", "VBG") or auxes & {"is", "are", "am"}:
            if v.tag_ == "VBG" and auxes & {"is", "are", "am"} and v.lemma_ != "go":
                return "future"  # "is meeting on Monday": the progressive of a plan
            return "present"
        if v.tag_ == "VB" and not auxes:
            return "present"
        return None
    return None


# Every pattern contains one of these cues. The ~40 patterns run only in windows around them
# (a third of a typical Wikinews text), which made extraction ~3x faster with identical output
# on 50 Wikinews articles and MEANTIME. The margin covers the longest prefix a pattern puts
# before its cue ("the very beginning of the ...", "almost two and a half ...").
_CUES = re.compile(
    r"\d{4}|\d:\d\d|\d\s?[ap]\.?m\b|\d[/-]\d|['’]\d\d|\d0['’]?s\b|\bq[1-4]\b|\d(?:st|nd|rd|th)\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|second|"
    r"minute|hour|day|week|fortnight|month|year|decade|centur|millenni|quarter|half|today|tonight|"
    r"yesterday|tomorrow|spring|summer|autumn|fall|winter|now|current|recent|soon|shortly|lately|"
    r"present|past|future|term|daily|weekly|monthly|annual|yearly|quarterly|hourly|nightly|biennial|"
    r"noon|midday|midnight|christmas|new\s+year|valentine|halloween|thanksgiving|easter|good\s+friday|"
    r"fiscal|financial|fy|morning|"
    r"afternoon|evening|night|clock|time\s+being)")
_MARGIN = 60


def _windows(text: str) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for m in _CUES.finditer(text.lower()):  # lower-casing once beats a case-blind regex
        s, e = max(0, m.start() - _MARGIN), min(len(text), m.end() + _MARGIN)
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def find(text: str, dct: _dt.date | None, doc: Doc | None = None) -> list[TimeExpr]:
    """Temporal expressions in ``text`` resolved against ``dct`` (``doc`` adds tense and sentences)."""
    ctx = _Context(text, dct, doc)
    cands = []
    for ws, we in _windows(text):
        for order, pat in enumerate(G.patterns()):
            for m in pat.regex.finditer(text, ws, we):
                if m.end() > m.start() and (pat.ok is None or pat.ok(m, text)):
                    cands.append((m.start(), m.end(), order, pat, m))
    # Longest match wins; among equal spans, the earlier (more specific) pattern.
    cands.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken = bytearray(len(text) + 1)
    chosen = []
    for start, end, order, pat, m in cands:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, pat, m))
    chosen.sort(key=lambda c: c[0])
    hits: list[G.Hit] = []
    for _, pat, m in chosen:
        res = pat.handler(m, ctx, text)
        for hit in res if isinstance(res, list) else [res] if res is not None else []:
            _note(ctx, hit)
            hits.append(hit)
    _attach_times(hits, text)
    out: list[TimeExpr] = []
    for hit in hits:
        while hit.end > hit.start and text[hit.end - 1] in " ,-":
            hit.end -= 1
        out.append(TimeExpr(
            start=hit.start, end=hit.end, text=text[hit.start:hit.end],
            sentence=ctx.sentence_of(hit.start), type=hit.type, value=hit.value,
            precision=hit.precision, basis=hit.basis, weekday_mismatch=hit.weekday_mismatch,
            anchor=hit.anchor.isoformat() if hit.anchor else None,
        ))
    return out


def _note(ctx: _Context, hit: G.Hit) -> None:
    """Remember dates for chaining: the last date mentioned (any precision) and the last day."""
    if hit.type == "DATE" and hit.value and hit.value not in _NOT_DATES and hit.value[:4].isdigit():
        if hit.day is not None:
            ctx.anchor = (hit.day, "day")
            ctx.note_day(hit.start, hit.day)
        elif hit.precision in ("month", "year", "quarter", "week") and hit.precision:
            v = hit.value
            if hit.precision == "month":
                d = _dt.date(int(v[:4]), int(v[5:7]), 1)
            elif hit.precision == "quarter":
                d = _dt.date(int(v[:4]), 3 * int(v[6]) - 2, 1)
            elif hit.precision == "week":
                d = _dt.date.fromisocalendar(int(v[:4]), int(v[6:8]), 1)
            else:
                d = _dt.date(int(v[:4]), 1, 1)
            ctx.anchor = (d, hit.precision)
    elif hit.type == "TIME" and hit.day is not None and not hit.defaulted:
        ctx.note_day(hit.start, hit.day)


def _attach_times(hits: list[G.Hit], text: str) -> None:
    """"at 16:15 UTC, June 1st": a clock time takes the day stated right after it."""
    for a, b in zip(hits, hits[1:]):
        if a.type == "TIME" and a.defaulted and b.type == "DATE" and b.day is not None \
                and b.start - a.end <= 6 and "\n" not in text[a.end:b.start] and a.value:
            a.value = b.day.isoformat() + a.value[10:]
            a.anchor, a.day, a.defaulted = b.day, b.day, False


def extract(doc: Doc, article: Article) -> list[TimeExpr]:
    """Every temporal expression in the article, TIMEX3-normalised against its publication date."""
    return _apposed_weekdays(find(doc.text, article.published_date, doc), doc.text)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _apposed_weekdays(found: list[TimeExpr], text: str) -> list[TimeExpr]:
    """A bare weekday right after a day-precision date names a day of that date's week, not
    the nearest weekday to the publication date: "Two days later, on Tuesday, ..." is the
    Tuesday two days after the anchor. Take the occurrence of that weekday nearest (within three
    days) the preceding date, and flag a mismatch when the two do not fall on the same day."""
    out = list(found)
    for i in range(1, len(out)):
        t, prev = out[i], out[i - 1]
        name = t.text.lower().strip()
        if name not in _WEEKDAYS or prev.precision != "day" or not prev.value \
                or t.sentence != prev.sentence or t.start - prev.end > 8:
            continue
        try:
            anchor = _dt.date.fromisoformat(prev.value[:10])
        except ValueError:
            continue
        shift = (_WEEKDAYS.index(name) - anchor.weekday() + 3) % 7 - 3
        day = anchor + _dt.timedelta(days=shift)
        out[i] = dataclasses.replace(t, value=day.isoformat(), basis="relative", anchor=prev.value,
                                     weekday_mismatch=shift != 0)
    return out


def normalize(text: str, anchor: _dt.date) -> TimeExpr | None:
    """Normalise one expression (``"last week"``, ``"Sunday, December 1"``) against ``anchor``.

    Without a parse there is no tense: yearless dates take the occurrence nearest the anchor and
    bare weekdays the past one. Returns the longest expression found, or None.
    """
    found = find(text, anchor)
    return max(found, key=lambda t: t.end - t.start) if found else None


# ------------------------------------------------------------------------ event dates
def _is_event_date(t: TimeExpr) -> bool:
    return t.type in ("DATE", "TIME") and bool(t.value) and t.value not in _NOT_DATES \
        and t.value[:4].isdigit()


def _root(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _governs(trigger: Token, tok: Token) -> int | None:
    """Dependency steps from ``tok`` up to ``trigger`` when the trigger governs it."""
    for depth, anc in enumerate(tok.ancestors, 1):
        if anc.i == trigger.i:
            return depth
    return None


def _pick(ev: Event, cands: Iterable[TimeExpr], doc: Doc) -> TimeExpr | None:
    trig = _root(doc, ev.trigger_start, ev.trigger_end)
    best, best_key = None, None
    for t in cands:
        tok = _root(doc, t.start, t.end)
        depth = _governs(trig, tok) if trig is not None and tok is not None else None
        # A modifier of the trigger's own clause first ("began on November 27"), then any date
        # in the sentence, nearest first.
        key = (0, depth) if depth is not None else (1, abs(t.start - ev.trigger_start))
        if best_key is None or key < best_key:
            best, best_key = t, key
    return best


def _narrative_date(ev: Event, by_sent: dict[int, list[TimeExpr]], doc: Doc,
                    sents: list[Span], article: Article) -> TimeExpr | None:
    """The narrative reference time: a past-tense event in a sentence without a date of its own
    happened at the day-precision date of the sentence just before it in the same paragraph
    ("... entered Damascus on Sunday, December 8. ... troops withdrew from the city."), as
    HeidelTime's news strategy keeps a reference time. One step only, never across a paragraph
    break, never for present/future tense, so background sentences keep the publication date."""
    prev = by_sent.get(ev.sentence - 1)
    if not prev or ev.sentence == 0:
        return None
    if ev.sentence >= len(sents):
        return None
    before = sents[ev.sentence - 1]
    # the gap between the two sentences, read from the article text (``doc.text`` is rebuilt
    # from every token on each access: once per event made dating quadratic, issue 10)
    gap = article.text[before.start_char + len(before.text.rstrip()):sents[ev.sentence].start_char]
    if "\n" in gap:
        return None
    span = doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
    if span is None or span.root.tag_ not in ("VBD", "VBN"):
        return None
    days = [t for t in prev if t.precision == "day" and t.value]
    if not days:
        return None
    t = days[-1]
    return dataclasses.replace(t, basis="relative", anchor=t.value)


def date_events(events: list[Event], dates: list[TimeExpr], doc: Doc, article: Article) -> list[Event]:
    """Set ``Event.date`` from the governing temporal expression, else the narrative reference
    time of the previous sentence (past-tense events only), else the publication date."""
    by_sent: dict[int, list[TimeExpr]] = {}
    for t in dates:
        if _is_event_date(t):
            by_sent.setdefault(t.sentence, []).append(t)
    pub = article.published_date
    sents = list(doc.sents)
    out = []
    for ev in events:
        t = _pick(ev, by_sent.get(ev.sentence, ()), doc)
        if t is None:
            t = _narrative_date(ev, by_sent, doc, sents, article)
        if t is not None:
            date = EventDate(value=t.value, precision=t.precision, basis=t.basis, text=t.text,
                             start=t.start, end=t.end, weekday_mismatch=t.weekday_mismatch)
        else:
            date = EventDate(value=pub.isoformat() if pub else None, precision="day" if pub else None,
                             basis="publication")
        out.append(dataclasses.replace(ev, date=date))
    return out
