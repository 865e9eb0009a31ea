"""Deciding that two event mentions report one real-world event.

``compare(a, b)`` takes two profiles (``fusion.profile``) and returns a ``Link`` (score and the
evidence in words) or None. Hard conditions first — any one failing means "not the same event":

* both enter fusion (not negated, not a link list/heading/byline, not background);
* compatible codes: the same PLOVER type, or the same CAMEO root when either has no type;
* compatible dates: the days each can have happened on overlap within ``DAY_SLACK`` — or, for
  acts that happen once (a retreat, a resignation, a handover; not attacks, protests, meetings or
  statements), lie at most ``CONFLICT_WINDOW`` days apart when both reports state a day-precise
  date and the rest of the evidence is strong: then the date becomes a conflict;
* compatible places: two sentences that name places must share a country, and two city-level
  places must be the same place or lie within ``NEAR_KM`` of each other.

Then evidence, each part a few points: shared named participants, the same city, similar wording,
the same actor codes on each side, the same CAMEO code, a shared cast of the two articles, similar
titles. The link holds when the points reach ``THRESHOLD`` (``STATEMENT_THRESHOLD`` for verbal acts
without a PLOVER type, which are many and alike).

Two mentions in one article are one event (several mentions of it) when they have the same CAMEO
base code or PLOVER type, compatible dates and places, and the same participants.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from newsevents.fusion.text import jaccard

__all__ = ["Link", "compare", "compatible", "keys", "THRESHOLD", "DAY_SLACK", "CONFLICT_WINDOW"]

DAY_SLACK = 1
CONFLICT_WINDOW = 10
NEAR_KM = 60.0
THRESHOLD = 2.6
STATEMENT_THRESHOLD = 3.6
#: Jaccard of the two sentences' content words: alike acts (codes differ), near-identical sentences,
#: the least for two statements (which say different things with the same verb).
ALIKE_WORDING = 0.3
STRONG_WORDING = 0.5
NEAR_DUPLICATE = 0.8
STATEMENT_WORDING = 0.35
GENERIC_WORDING = 0.15
#: Acts that happen once for the same actors, so two reports of them days apart are one act dated
#: differently; everything else recurs (attacks, protests, talks, statements) and needs the dates to agree.
ONE_OFF = frozenset({"RETREAT", "CONCEDE"})


@dataclass
class Link:
    score: float
    evidence: list[str] = field(default_factory=list)
    date_gap: int = 0


def _countries(places: list[dict[str, Any]]) -> set[str]:
    return {p["country"] for p in places if p.get("country")}


def _km(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


_CITY = ("city", "capital", "point", "district", "neighbourhood", "village", "town", "building", "site")


def _cities(places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in places if (p.get("feature") or "") in _CITY]


def place_relation(pa: list[dict[str, Any]], pb: list[dict[str, Any]]) -> tuple[str, str | None]:
    """('same', name) | ('near', name) | ('country', code) | ('apart', None) | ('unknown', None)."""
    if not pa or not pb:
        return "unknown", None
    ids_b = {p["id"] for p in pb if p.get("id")}
    for p in pa:
        if p.get("id") in ids_b and (p.get("feature") or "") not in ("country", "continent"):
            return "same", p.get("name")
    ca, cb = _cities(pa), _cities(pb)
    if ca and cb:
        best = None
        for x in ca:
            for y in cb:
                d = _km(x, y)
                if d is not None and (best is None or d < best[0]):
                    best = (d, x.get("name"))
        if best is not None and best[0] > NEAR_KM:
            return "apart", None
        if best is not None:
            return "near", best[1]
    # a city in one and its admin1 region in the other is containment
    for x in pa:
        for y in pb:
            if x.get("country") and x.get("country") == y.get("country") and x.get("admin1") and \
                    x.get("admin1") == y.get("admin1") and "admin1" in ((x.get("feature") or ""), (y.get("feature") or "")):
                return "same", (x if x.get("feature") == "admin1" else y).get("name")
    shared = _countries(pa) & _countries(pb)
    if shared:
        return "country", sorted(shared)[0]
    if _countries(pa) and _countries(pb):
        return "apart", None
    return "unknown", None


def codes_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("plover") and b.get("plover"):
        return a["plover"] == b["plover"]
    return bool(a.get("root")) and a.get("root") == b.get("root")


def date_gap(a: dict[str, Any], b: dict[str, Any]) -> int | None:
    if a.get("lo") is None or b.get("lo") is None:
        return None
    return max(0, b["lo"] - a["hi"], a["lo"] - b["hi"])


def entered(p: dict[str, Any]) -> bool:
    """Does the mention take part in linking (not negated, not a list/heading, not background)?"""
    return not p.get("excluded") and not p.get("background")


def may_differ_in_date(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two reports may give one act different days only for once-only acts, each report stating
    a day-precise date in its own sentence."""
    sa, sb = a.get("stated"), b.get("stated")
    return (a.get("plover") in ONE_OFF and a.get("plover") == b.get("plover")
            and a["article_id"] != b["article_id"]
            and bool(sa and sb) and sa.get("precision") == "day" == sb.get("precision"))


def compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The hard conditions only: both enter fusion, codes, dates, places."""
    if not (entered(a) and entered(b)) or not codes_compatible(a, b):
        return False
    gap = date_gap(a, b)
    if gap is None:
        return False
    if gap > DAY_SLACK and not (gap <= CONFLICT_WINDOW and may_differ_in_date(a, b)):
        return False
    if gap and days_differ(a, b) and not may_differ_in_date(a, b) and \
            jaccard(_set(a, "words"), _set(b, "words")) < ALIKE_WORDING:
        # each report gives its day, a day apart: the same act misdated, or the next day's act;
        # only alike sentences tell it is the same
        return False
    return place_relation(a["places"], b["places"])[0] != "apart"


def days_differ(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Both reports state a day for the act, and not the same one."""
    sa, sb = a.get("stated"), b.get("stated")
    return bool(sa and sb and sa.get("precision") == "day" == sb.get("precision")
                and sa["value"][:10] != sb["value"][:10])


def _generic(code: str) -> bool:
    """A CAMEO code at the "not specified below" level of its family (010, 120, 190...)."""
    return len(code) == 3 and code.endswith("0")


def _set(p: dict[str, Any], key: str) -> frozenset:
    cache = p.setdefault("_sets", {})
    if key not in cache:
        cache[key] = frozenset(p.get(key) or ())
    return cache[key]


def compare(a: dict[str, Any], b: dict[str, Any]) -> Link | None:
    """Score the evidence that profiles ``a`` and ``b`` report one event (None: they cannot).

    Besides the points, a link needs the act to be alike (the same specific CAMEO code, the same
    generic one with some words in common, or similar wording) and two of: who (a named
    participant of one of the acts in common, or for once-only acts the same actor codes on each
    side), where (the same place), when (the same stated day), or near-identical wording."""
    if not compatible(a, b):
        return None
    same_article = a["article_id"] == b["article_id"]
    gap = date_gap(a, b)
    ev: list[str] = []
    score = 0.0
    shared = _set(a, "names") & _set(b, "names")
    sa, sb = _set(a, "src_codes"), _set(b, "src_codes")
    ta, tb = _set(a, "tgt_codes"), _set(b, "tgt_codes")
    w = jaccard(_set(a, "words"), _set(b, "words"))
    if same_article:
        # one article, several mentions of one act: the same code family and a named
        # participant in common, with actors of the same countries on one side at least
        if a["base"] != b["base"]:
            return None
        if a.get("sentence") == b.get("sentence"):
            return Link(score=THRESHOLD, evidence=["same sentence", f"code {a['base']}"], date_gap=gap)
        csa, csb = {c[:3] for c in sa}, {c[:3] for c in sb}
        cta, ctb = {c[:3] for c in ta}, {c[:3] for c in tb}
        if shared and (csa & csb or cta & ctb):
            return Link(score=THRESHOLD, evidence=["same article", "participants: " + ", ".join(sorted(shared)[:4]),
                                                   f"code {a['base']}"], date_gap=gap)
        return None
    dims = []
    if shared:
        score += 1.2 * min(len(shared), 2)
        ev.append("participants: " + ", ".join(sorted(shared)[:4]))
    if shared & (_set(a, "actor_ids") | _set(b, "actor_ids")):
        # a participant of the act itself (source or target of one of them), not one merely named
        dims.append("who")
    elif a.get("plover") in ONE_OFF and sa & sb and (ta & tb or not (ta or tb)):
        # the same actor codes on every side: enough for an act the same actors do once (a
        # retreat, a resignation), not for attacks or arrests by "gunmen" or "police"
        dims.append("who")
    rel, where = place_relation(a["scene"], b["scene"])
    if rel == "apart":
        return None
    if rel == "same":
        score += 1.0
        ev.append(f"place: {where}")
        dims.append("where")
    elif rel == "near":
        score += 0.5
        ev.append(f"near: {where}")
    elif rel == "country":
        score += 0.3
        ev.append(f"country: {where}")
    if w >= 0.05:
        score += 4.0 * w
        ev.append(f"wording {w:.2f}")
    if w >= STRONG_WORDING:
        dims.append("wording")
    if w >= NEAR_DUPLICATE:
        dims.append("same words")  # one sentence told twice: as good as a second dimension
    if sa & sb:
        score += 0.5
        ev.append("source " + ",".join(sorted(sa & sb)))
    if ta & tb:
        score += 0.5
        ev.append("target " + ",".join(sorted(ta & tb)))
    if a["code"] == b["code"]:
        score += 0.5
        ev.append(f"code {a['code']}")
        # a specific code names the act; a generic one ("190 use force, not specified", "120
        # reject") says little, and the words must say the rest
        alike = not _generic(a["code"]) or w >= GENERIC_WORDING
    else:
        score += 0.25 if a["base"] == b["base"] else 0.0
        ev.append(f"code {a['base'] if a['base'] == b['base'] else (a.get('plover') or a['root'])}")
        alike = w >= ALIKE_WORDING
    c = jaccard(_set(a, "ctx"), _set(b, "ctx"))
    if c > 0:
        score += 1.5 * c
        ev.append(f"articles' cast {c:.2f}")
    t = jaccard(_set(a, "title_words"), _set(b, "title_words"))
    if t > 0:
        score += 1.0 * t
        ev.append(f"titles {t:.2f}")
    sa_, sb_ = a.get("stated"), b.get("stated")
    if gap > DAY_SLACK:
        if a["base"] != b["base"] or not (sa & sb):
            return None
        ev.append(f"dates {gap} days apart")
    elif days_differ(a, b):
        ev.append("dates a day apart")  # alike wording: checked by compatible()
    elif sa_ and sb_ and sa_.get("precision") == "day" == sb_.get("precision") and sa_["value"][:10] == sb_["value"][:10]:
        score += 0.5
        ev.append(f"date {sa_['value'][:10]}")
        dims.append("when")
    statement = not (a.get("plover") and b.get("plover"))
    if statement and w < STATEMENT_WORDING:
        return None  # statements are alike in everything but what they say
    threshold = STATEMENT_THRESHOLD if statement else THRESHOLD
    if not alike or len(dims) < 2 or score < threshold:
        return None
    return Link(score=round(score, 3), evidence=ev, date_gap=gap)


def keys(p: dict[str, Any]) -> list[str]:
    """Index keys (event kind x country): two profiles are compared only when they share one."""
    kinds = []
    if p.get("plover"):
        kinds.append("P:" + p["plover"])
    if p.get("root"):
        kinds.append("R:" + p["root"])
    countries = {c[:3] for c in p["src_codes"] + p["tgt_codes"] if len(c) >= 3}
    countries |= _countries(p["places"]) | _countries(p["scene"])
    if p.get("event_place") and p["event_place"].get("country"):
        countries.add(p["event_place"]["country"])
    if not countries:
        countries = {"*"}
    return sorted(f"{k}|{c}" for k in kinds for c in countries)
