"""Contradictions between reports of one event, on the event's own facts.

Each report (article) in a cluster contributes what its own sentences state about the event:

* ``date``: a date its sentence states (explicit, or relative to that report's publication date),
  never a publication date and never the date of another event; two reports conflict when their
  dates do not overlap at the precision both give ("December 2024" and "8 December" agree) -
  by more than a day, or by one day when both give the calendar date (a relative "yesterday"
  resolved against two publication times can move a day);
* ``place``: the one city-level place its sentence names; two reports conflict when they name
  different places more than ``SAME_PLACE_KM`` apart (reports naming countries only never do);
* ``count``: killed / wounded / arrested / kidnapped... from the counts feature, in the sentence;
  exact figures conflict when they differ, approximate ones ("at least 12", "about 15") when they
  are more than ``COUNT_TOLERANCE`` apart;
* ``actor``: who did it, when both reports name specific, different participants as the source
  and the two belong to different countries.

A report that states two different values itself is not in conflict with others on that field.
Each conflict names the value of each side and the reports (outlet, article id) that state it.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from newsevents.fusion.profile import _parse_day

__all__ = ["conflicts", "COUNT_TOLERANCE", "SAME_PLACE_KM"]

COUNT_TOLERANCE = 0.25
#: Two named places closer than this are one place (a district and its city).
SAME_PLACE_KM = 15.0
_CITY = ("city", "capital", "point", "district", "neighbourhood", "village", "town", "building", "site")


def _span(value: str) -> tuple[int, int] | None:
    s = _parse_day(value)
    return (s[0].toordinal(), s[1].toordinal()) if s else None


def _values(field: str, groups: dict[str, list[dict[str, Any]]], value_of) -> dict[str, Any] | None:
    """One value per report (None when the report gives none or gives several)."""
    return {aid: v for aid, v in ((aid, value_of(ms)) for aid, ms in groups.items()) if v is not None}


def _report_date(ms: list[dict[str, Any]]) -> tuple[str, bool] | None:
    """(date, explicit?) the report gives the act; None when it gives none or two that disagree."""
    stated = [m["stated"] for m in ms if m.get("stated")]
    vals = {s["value"] for s in stated}
    if not vals:
        return None
    spans = {v: _span(v) for v in vals}
    # several stated dates that agree (a month and a day in it): keep the most precise
    best = min(vals, key=lambda v: (spans[v][1] - spans[v][0], v))
    b = spans[best]
    if all(s[0] <= b[1] and b[0] <= s[1] for s in spans.values()):
        return best, all(s.get("basis") == "explicit" for s in stated if s["value"] == best)
    return None


def _report_place(ms: list[dict[str, Any]]) -> dict[str, Any] | None:
    cities = {}
    for m in ms:
        for p in m.get("places") or ():
            if (p.get("feature") or "") in _CITY and p.get("id"):
                cities[p["id"]] = p
    return next(iter(cities.values())) if len(cities) == 1 else None


def _report_counts(ms: list[dict[str, Any]]) -> dict[str, tuple[int, bool]]:
    per: dict[str, set[tuple[int, bool]]] = defaultdict(set)
    for m in ms:
        for c in m.get("counts") or ():
            per[c["kind"]].add((int(c["number"]), bool(c.get("approximate"))))
    return {k: next(iter(v)) for k, v in per.items() if len({n for n, _ in v}) == 1}


def _report_actor(ms: list[dict[str, Any]]) -> tuple[frozenset, str] | None:
    """(named source actors, their one country) of a report; None unless it names sources of one country."""
    ids, countries = set(), set()
    for m in ms:
        for item in m.get("src_named") or ():
            aid, code = item if isinstance(item, (list, tuple)) else (None, item)
            ids.add(aid or code)
            countries.add(code[:3])
    return (frozenset(ids), next(iter(countries))) if len(countries) == 1 else None


def _counts_agree(x: tuple[int, bool], y: tuple[int, bool]) -> bool:
    (a, ap), (b, bp) = x, y
    if a == b:
        return True
    if not (ap or bp):
        return False
    return abs(a - b) <= COUNT_TOLERANCE * max(a, b)


def _entry(field: str, by_value: dict[str, list[str]], reports: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return dict(field=field, values=[
        dict(value=v, sources=sorted({reports[a]["source"] for a in aids}),
             reports=[dict(article_id=a, title=reports[a]["title"], published=reports[a]["published"],
                           source=reports[a]["source"]) for a in sorted(aids)])
        for v, aids in sorted(by_value.items())])


def conflicts(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The conflicts between the reports of one cluster (profiles of its members)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in members:
        groups[m["article_id"]].append(m)
    if len(groups) < 2:
        return []
    reports = {aid: dict(source=ms[0].get("source") or aid, title=ms[0].get("title") or "",
                         published=ms[0].get("published")) for aid, ms in groups.items()}
    out = []
    # date
    dates = _values("date", groups, _report_date)
    if len(dates) > 1:
        spans = {aid: _span(v) for aid, (v, _) in dates.items()}

        def clash(x: str, y: str) -> bool:
            gap = max(spans[y][0] - spans[x][1], spans[x][0] - spans[y][1])
            # a day apart is within what resolving "yesterday" / "on Thursday" against each
            # report's publication time can shift: a conflict only when both give the calendar date
            return gap > 1 or (gap == 1 and dates[x][1] and dates[y][1])

        if any(clash(x, y) for x in spans for y in spans if x < y):
            by: dict[str, list[str]] = defaultdict(list)
            for aid, (v, _) in dates.items():
                by[v].append(aid)
            out.append(_entry("date", by, reports))
    # place
    places = _values("place", groups, _report_place)
    if len({p["id"] for p in places.values()}) > 1:
        from newsevents.fusion.link import _km

        ps = list(places.values())
        # a district and its city (within SAME_PLACE_KM) are one place told at two precisions
        apart = any(x["id"] != y["id"] and (_km(x, y) is None or _km(x, y) > SAME_PLACE_KM)
                    for x in ps for y in ps)
        if apart:
            by = defaultdict(list)
            for aid, p in places.items():
                by[p.get("name") or p["id"]].append(aid)
            out.append(_entry("place", by, reports))
    # counts
    per_kind: dict[str, dict[str, tuple[int, bool]]] = defaultdict(dict)
    for aid, ms in groups.items():
        for kind, val in _report_counts(ms).items():
            per_kind[kind][aid] = val
    for kind, vals in sorted(per_kind.items()):
        if len(vals) < 2:
            continue
        items = list(vals.items())
        if any(not _counts_agree(items[i][1], items[j][1]) for i in range(len(items)) for j in range(i + 1, len(items))):
            by = defaultdict(list)
            for aid, (n, approx) in vals.items():
                by[f"{kind} {'~' if approx else ''}{n}"].append(aid)
            out.append(_entry("count", by, reports))
    # actor: different named sources of different countries (the same person coded with two
    # countries is a coding difference, not a disagreement between the reports)
    actors = _values("actor", groups, _report_actor)
    items = list(actors.items())
    if any(x[1][1] != y[1][1] and not (x[1][0] & y[1][0]) for i, x in enumerate(items) for y in items[i + 1:]):
        by = defaultdict(list)
        for aid, (_, c) in actors.items():
            by[c].append(aid)
        out.append(_entry("actor", by, reports))
    return out
