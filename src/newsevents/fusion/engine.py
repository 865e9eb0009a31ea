"""Incremental clustering: each new mention joins the best-linked cluster or starts its own.

The ``Linker`` holds profiles and an index from key (event kind x country, ``link.keys``) to
mentions, plus each article's own mentions. A new mention is compared only with the mentions
sharing a key whose dates lie within ``CONFLICT_WINDOW`` days, and with the other mentions of its
own article, so the cost of adding an article does not grow with the size of the store. It joins
the cluster of its best link provided it is *compatible* with every member of that cluster (so a
chain of near-matches cannot grow a cluster across weeks); otherwise it starts a cluster.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import Any, Iterable

from newsevents.fusion.conflicts import conflicts
from newsevents.fusion.link import CONFLICT_WINDOW, DAY_SLACK, ONE_OFF, compare, compatible, keys

__all__ = ["Linker", "cluster_id_for", "summarise"]


#: A mention dated more vaguely than this many weeks is indexed as "wide".
WIDE = 6


def _weeks(lo: int, hi: int, window: int) -> list[int | None]:
    first, last = (lo - window) // 7, (hi + window) // 7
    if last - first > WIDE + 2 * (window // 7 + 1):
        return [None]
    return list(range(first, last + 1))


def cluster_id_for(event_id: str) -> str:
    return "c" + hashlib.sha1(event_id.encode()).hexdigest()[:15]


class Linker:
    def __init__(self) -> None:
        self.profiles: dict[str, dict[str, Any]] = {}
        self.cluster: dict[str, str | None] = {}
        self.members: dict[str, list[str]] = defaultdict(list)
        # (key, week) -> mentions dated in that week; mentions spanning more than WIDE weeks
        # (a year, a season) are listed under (key, None) and compared with every dated mention
        self.index: dict[tuple[str, int | None], list[str]] = defaultdict(list)
        self.by_article: dict[str, list[str]] = defaultdict(list)
        self.links: dict[str, dict[str, Any]] = {}
        self.comparisons = 0
        #: clusters merged into another while linking (old id -> new id)
        self.renamed: dict[str, str] = {}

    def _register(self, p: dict[str, Any], cid: str | None) -> None:
        eid = p["id"]
        self.profiles[eid] = p
        self.cluster[eid] = cid
        if cid is None:
            return
        self.members[cid].append(eid)
        self.by_article[p["article_id"]].append(eid)
        if not p.get("excluded") and not p.get("background") and p.get("lo") is not None:
            for w in _weeks(p["lo"], p["hi"], 0):
                for k in p.get("keys") or keys(p):
                    self.index[(k, w)].append(eid)

    def _merge(self, old: str, into: str) -> None:
        for eid in self.members.pop(old, []):
            self.cluster[eid] = into
            self.members[into].append(eid)
        self.renamed[old] = into
        for k, v in list(self.renamed.items()):
            if v == old:
                self.renamed[k] = into

    def add_existing(self, p: dict[str, Any], cid: str | None) -> None:
        """A mention already clustered in the store (a candidate for new ones)."""
        if p["id"] not in self.profiles:
            self._register(p, cid)

    def candidates(self, p: dict[str, Any]) -> Iterable[str]:
        seen = set()
        for eid in self.by_article.get(p["article_id"], ()):
            seen.add(eid)
            yield eid
        if p.get("lo") is None:
            return
        stated = p.get("stated") or {}
        window = CONFLICT_WINDOW if p.get("plover") in ONE_OFF and stated.get("precision") == "day" else DAY_SLACK
        weeks = _weeks(p["lo"], p["hi"], window)
        if weeks != [None]:
            weeks.append(None)
        else:  # a vague date (a year): compare with everything of its kind in those days
            weeks = list(range((p["lo"] - window) // 7, (p["hi"] + window) // 7 + 1)) + [None]
        for k in p.get("keys") or keys(p):
            for eid in (e for w in weeks for e in self.index.get((k, w), ())):
                if eid in seen:
                    continue
                seen.add(eid)
                q = self.profiles[eid]
                if q["lo"] is not None and q["lo"] - window <= p["hi"] and p["lo"] - window <= q["hi"]:
                    yield eid

    def add(self, p: dict[str, Any]) -> str | None:
        """Cluster a new mention; return its cluster id (None when it does not enter fusion)."""
        p.setdefault("keys", keys(p))
        if p.get("excluded"):
            self._register(p, None)
            return None
        best: tuple[float, str, str, list[str]] | None = None
        if not p.get("background"):
            scored: dict[str, tuple[float, str, list[str]]] = {}
            for eid in self.candidates(p):
                q = self.profiles[eid]
                self.comparisons += 1
                link = compare(p, q)
                if link is None:
                    continue
                cid = self.cluster[eid]
                if cid is None:
                    continue
                if cid not in scored or link.score > scored[cid][0]:
                    scored[cid] = (link.score, eid, link.evidence)
            fitting = [(cid, v) for cid, v in sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0]))
                       if all(compatible(p, self.profiles[m]) for m in self.members[cid])]
            if fitting:
                cid, (score, eid, evidence) = fitting[0]
                best = (score, cid, eid, evidence)
                # the mention links clusters that are one event: merge those whose members all fit
                for other, _ in fitting[1:]:
                    if all(compatible(self.profiles[x], self.profiles[y])
                           for x in self.members[cid] for y in self.members[other]):
                        self._merge(other, cid)
        if best is None:
            cid = cluster_id_for(p["id"])
            self._register(p, cid)
            return cid
        score, cid, eid, evidence = best
        self.links[p["id"]] = dict(to=eid, score=score, evidence=evidence)
        self._register(p, cid)
        return cid


def _most_common(values: list[Any]) -> Any:
    values = [v for v in values if v]
    if not values:
        return None
    counts = Counter(values)
    top = max(counts.values())
    return min(v for v, n in counts.items() if n == top)


def summarise(cid: str, members: list[dict[str, Any]], links: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The cluster_summary row of one cluster from its members' profiles."""
    members = sorted(members, key=lambda m: (m.get("published") or "", m["article_id"], m.get("sentence") or 0))
    code = _most_common([m["code"] for m in members]) or members[0]["code"]
    # the event's date: what most reports state (a report counts once), else the earliest
    # publication-based date; the same value feeds `stories` and the GDELT export
    stated_by_report: dict[str, str] = {}
    rank = {"day": 0, "week": 1, "month": 2}
    for m in sorted((m for m in members if m.get("stated")),
                    key=lambda m: rank.get(m["stated"].get("precision") or "", 3)):
        stated_by_report.setdefault(m["article_id"], m["stated"]["value"][:10])
    date = _most_common(list(stated_by_report.values()))
    if date is None:
        date = min((m.get("date") for m in members if m.get("date")), default=None)
    reports: dict[str, dict[str, Any]] = {}
    for m in members:
        r = reports.setdefault(m["article_id"], dict(
            article_id=m["article_id"], source=m.get("source"), title=m.get("title"),
            published=m.get("published"), mentions=0, sentence=m.get("evidence"),
            date=(m.get("stated") or {}).get("value") or m.get("date")))
        r["mentions"] += 1
    published = sorted(m["published"] for m in members if m.get("published"))
    link_rows = [dict(event_id=m["id"], article_id=m["article_id"], to=links[m["id"]]["to"],
                      score=links[m["id"]]["score"], evidence=links[m["id"]]["evidence"])
                 for m in members if m["id"] in links]
    return dict(
        id=cid, cameo_code=code, plover_type=_most_common([m.get("plover") for m in members]),
        label=next((m.get("label") for m in members if m["code"] == code and m.get("label")), None),
        num_events=len(members), num_articles=len(reports),
        num_sources=len({m.get("source") for m in members}),
        first_seen=published[0] if published else None, last_seen=published[-1] if published else None,
        date=date,
        consensus=dict(
            cameo_code=code, date=date,
            place=_most_common([p.get("name") for m in members for p in (m.get("scene") or [])][:50]),
            source_codes=sorted({c for m in members for c in m["src_codes"]}),
            target_codes=sorted({c for m in members for c in m["tgt_codes"]}),
        ),
        conflicts=conflicts(members),
        reports=list(reports.values()),
        links=link_rows,
    )
