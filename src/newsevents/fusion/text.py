"""Text evidence for fusion: content words, sentences that are not events, background mentions.

Everything here reads one sentence (and, for section headings, the article text before it); nothing
is keyed to a corpus. The word lists are general English: headings that open link lists on news
sites, cumulative and habitual phrasing ("since 2003", "so far this year", "the third attack this
month", "a total of"), bylines.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["content_words", "nonevent_reason", "background_reason", "jaccard", "link_section_start"]

_STOP = frozenset("""
a about above across after afterwards again against all almost alone along already also although always am
among amongst an and another any anyone anything anyway anywhere are around as at back be became because
become becomes been before beforehand behind being below beside besides between beyond both but by can
cannot could did do does doing done down due during each either else elsewhere enough etc even ever every
everyone everything except few first for former formerly from further had has have having he hence her here
hereafter hereby herein hers herself him himself his how however i if in indeed into is it its itself just
last latter least less made many may me meanwhile might mine more moreover most mostly much must my myself
namely neither never nevertheless next no nobody none nor not nothing now nowhere of off often on once one
only onto or other others otherwise our ours ourselves out over own per perhaps please put rather re same
see seem seemed seeming seems several she should since so some somehow someone something sometime sometimes
somewhere still such than that the their theirs them themselves then thence there thereafter thereby
therefore therein thereupon these they this those though through throughout thru thus to together too
toward towards under until up upon us very via was we well were what whatever when whence whenever where
whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom
whose why will with within without would yet you your yours yourself yourselves said says say saying told
according also today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday week weeks
month months year years day days time new mr mrs ms dr reported report reports
""".split())

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


@lru_cache(maxsize=200_000)
def _stem(w: str) -> str:
    """A light suffix stripper: enough to meet "withdraws/withdrawing/withdrawn", "attacks/attacked"."""
    for suf in ("ations", "ation", "ings", "ing", "ers", "ied", "ies", "ed", "es", "er", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            if suf in ("ied", "ies"):
                w += "y"
            break
    return w


def content_words(text: str) -> set[str]:
    """Lower-cased, lightly stemmed words of ``text`` without function words."""
    out = set()
    for w in _WORD.findall((text or "").lower()):
        w = w.strip("'’-")
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        if len(w) < 3 or w in _STOP:
            continue
        out.add(_stem(w))
    return out


def jaccard(a: set | frozenset, b: set | frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# ------------------------------------------------------------------------------ not events
#: Headings after which a news page lists links, not events.
_LINK_SECTION = re.compile(
    r"==+\s*(related (news|stories|articles|coverage|links)|see also|sources?|external links|references|"
    r"further reading|links|more news|other news|news links)\s*==+", re.I)
_HEADING = re.compile(r"==+[^=\n]{1,80}==+")
_BYLINE = re.compile(r"^\s*(?:[Bb]y|[Ww]ritten by|[Rr]eported by|[Rr]eporting by)\s+[A-Z][\w.'-]*"
                     r"(?:\s+(?:[A-Z][\w.'-]*|and|&|,))*\s*(?:[,;|(\u2013-].{0,60})?$")
_COUNTERFACTUAL = re.compile(r"\b(?:would|could|might|should)(?:\s+not|n't)?\s+have\s+(?:been\s+)?\w+(?:ed|en|n|t)\b", re.I)
_RELEASE = re.compile(r"\b(?:press|news|media)\s+(?:release|statement|conference)s?\b", re.I)
_DATED_ITEM = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+\d{4}\b")


def link_section_start(text: str) -> int | None:
    """Offset of the first "Related news" / "See also" / "Sources" heading (None: none)."""
    m = _LINK_SECTION.search(text or "")
    return m.start() if m else None


def nonevent_reason(evidence: str, trigger: str = "", before: str = "") -> str | None:
    """Why the sentence is not a report of an event (link lists, headings, bylines), or None.

    ``before`` is the article text before the sentence: a sentence under a "Related news" or
    "See also" heading is a list of other articles' headlines."""
    ev = evidence or ""
    if before and _LINK_SECTION.search(before):
        return "link list section"
    stripped = ev.lstrip()
    if stripped.startswith(("*", "#", "•", "|")) or re.search(r"(?:^|\s)[*•]\s", ev):
        return "list item"
    if _HEADING.search(ev):
        return "heading"
    t = (trigger or "").lower()
    if t and any(t in m.group(0).lower() for m in _COUNTERFACTUAL.finditer(ev)):
        return "counterfactual"  # "would have taken": the act did not happen
    if len(_DATED_ITEM.findall(ev)) >= 2:
        return "list of dated headlines"
    if _BYLINE.match(ev) and len(ev.split()) <= 10:
        return "byline"
    if trigger:
        t = trigger.lower()
        for m in _RELEASE.finditer(ev):
            if t and t in m.group(0).lower():
                return "press release"
    return None


# ------------------------------------------------------------------------------ background
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_BACKGROUND = [
    ("cumulative since", re.compile(
        r"\b(?:ever\s+)?since\s+(?:(?:early|late|mid)[- ])?(?:\d{4}|" + _MONTHS + r"(?:\s+\d{4})?|the\s+(?:start|beginning|outbreak|end|fall|invasion|war)"
        r"|then|last\s+(?:year|month|week)|records\s+began)\b", re.I)),
    ("running total", re.compile(
        r"\b(?:so\s+far|to\s+date|thus\s+far|in\s+total|in\s+all|altogether|a\s+total\s+of|the\s+total\s+(?:number|of)|"
        r"cumulative|bringing\s+the\s+(?:total|toll|number|death\s+toll)|(?:death|casualty)\s+toll\s+(?:has\s+)?(?:risen|rose|climbed|reached|stands|stood)|"
        r"(?:this|that)\s+(?:year|month|week)\s+alone|over\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years|months|weeks|decades|days)|"
        r"in\s+recent\s+(?:years|months|weeks|days)|for\s+(?:years|decades|months))\b", re.I)),
    ("one of a series", re.compile(
        r"\b(?:the\s+)?(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|latest|\d+(?:st|nd|rd|th))\s+"
        r"(?:such\s+|major\s+|deadly\s+|suicide\s+|car\s+)?(?:attack|bombing|blast|incident|strike|protest|explosion|"
        r"raid|assault|clash|killing|time)s?\s+(?:this|in|since|of|within|so)\b", re.I)),
    ("earlier act", re.compile(r"\b(?:previously|formerly|recently|in\s+the\s+past|(?:has|have|had)\s+long)\b", re.I)),
    ("ongoing", re.compile(r"\bthroughout\s+(?:the|this|its|his|her|their)\b|\b(?:has|have)\s+been\s+\w+ing\b", re.I)),
    ("habitual", re.compile(r"\b(?:every|each)\s+(?:year|month|week|day)\b|\b(?:annual|yearly|regularly|routinely|frequently)\b", re.I)),
]


def background_reason(evidence: str) -> str | None:
    """Why the sentence reports background rather than one dated incident, or None:
    cumulative counts and periods ("since 2003", "so far this year", "a total of"), one of a
    series ("the third attack this month"), habitual acts ("every year")."""
    for name, rx in _BACKGROUND:
        if rx.search(evidence or ""):
            return name
    return None
