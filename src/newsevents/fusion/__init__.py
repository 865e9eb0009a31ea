"""Across reports: link mentions of the same event, count corroboration, flag contradictions.

Two coded events are taken as mentions of one real-world event when
  * they have the same CAMEO base code (first three digits),
  * their actors agree: they share a source actor code and a target actor code — or neither has
    a target and both name the same place,
  * and they fall within ``WINDOW_DAYS`` of each other (event dates, else publication dates).
Events are compared only inside blocks of (type, source country) sorted by date, each with the
seeds of the clusters open in its block; linking is not transitive (see ``link_events``).

A cluster is *contested* on ``date`` when its members from different articles state
(explicitly or relative to an anchor, not merely the publication date) day-precision dates more
than a day apart; on ``place`` when they place it in different countries. The conflict lists each
value with the sources that state it, so an analyst can see who says what.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections import Counter, defaultdict
from typing import Any

__all__ = ["fuse_store", "cluster_rows", "link_events", "WINDOW_DAYS"]

#: Reports of one event rarely disagree by more than a week on its date; a 10-day window keeps
#: "1 December" vs "8 December" of the same fall of a city in one cluster so the conflict shows.
WINDOW_DAYS = 10


def _day(value: str | None, fallback: Any = None) -> _dt.date | None:
    if value and len(value) >= 10 and value[4] == "-":
        try:
            return _dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    if isinstance(fallback, _dt.datetime):
        return fallback.date()
    if isinstance(fallback, _dt.date):
        return fallback
    return None


def _codes(codes: list[str] | None) -> set[str]:
    return {c for c in (codes or []) if c}


def _compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Could ``a`` and ``b`` be two reports of one event? The same CAMEO base code (checked by
    the caller's blocking), a shared source actor code (SYRMIL, not only SYR: on Wikinews,
    country-level agreement merged unrelated US statements of a week into one story), a shared
    target code — or no target on either side and the same stated place — published and dated
    within ``WINDOW_DAYS`` of each other."""
    if not _codes(a["source_codes"]) & _codes(b["source_codes"]):
        return False
    ta, tb = _codes(a["target_codes"]), _codes(b["target_codes"])
    if ta or tb:
        if not ta & tb:
            return False
    elif not (a.get("quad_class") in (2, 4) and a.get("place_name")
              and a.get("place_name") == b.get("place_name")):
        # Without a target only a material act at the same stated place is specific enough;
        # untargeted statements ("the government said ...") are not one story.
        return False
    pa, pb = a.get("_published"), b.get("_published")
    if pa and pb and abs((pa - pb).days) > WINDOW_DAYS:
        return False
    da, db = a["_day"], b["_day"]
    return da is not None and db is not None and abs((da - db).days) <= WINDOW_DAYS


def link_events(rows: list[dict[str, Any]]) -> list[list[int]]:
    """Group event rows (dicts with plover_type, cameo_code, source_codes, target_codes, _day).

    Greedy, not transitive: an event joins the first cluster whose *seed* it is compatible
    with, so chains of loosely similar statements (A~B, B~C, ...) cannot merge a month of
    unrelated events into one story. Rows are blocked by (event type, source country) and
    visited in date order."""
    assigned: dict[int, int] = {}
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        kind = (r["cameo_code"] or "")[:3]
        for c in sorted(_codes(r["source_codes"])):
            blocks[(kind, c)].append(i)
    seeds: dict[int, list[int]] = {}
    for members in blocks.values():
        members.sort(key=lambda i: (rows[i]["_day"] or _dt.date.min, i))
        open_seeds: list[int] = []
        for i in members:
            if i in assigned:
                continue
            for seed in open_seeds:
                if _compatible(rows[seed], rows[i]):
                    assigned[i] = seed
                    seeds[seed].append(i)
                    break
            else:
                assigned[i] = i
                seeds[i] = [i]
                open_seeds.append(i)
    groups = list(seeds.values())
    groups += [[i] for i in range(len(rows)) if i not in assigned]
    return groups


def _conflicts(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    stated: dict[str, set[str]] = defaultdict(set)
    for m in members:
        if m["date_basis"] in ("explicit", "relative") and m["date_precision"] == "day" and m["date_value"]:
            stated[m["date_value"][:10]].add(m["_source"])
    days = sorted(stated)
    if len(days) > 1 and len({m["article_id"] for m in members}) > 1:
        d0, d1 = _dt.date.fromisoformat(days[0]), _dt.date.fromisoformat(days[-1])
        if (d1 - d0).days > 1:
            out.append(dict(field="date", values=[dict(value=d, sources=sorted(stated[d])) for d in days]))
    countries: dict[str, set[str]] = defaultdict(set)
    country_articles: dict[str, set[str]] = defaultdict(set)
    for m in members:
        if m["place_country"]:
            countries[m["place_country"]].add(m["_source"])
            country_articles[m["place_country"]].add(m["article_id"])
    # Only a disagreement *between* reports is a conflict; one report placing two mentions in
    # two countries is a coding ambiguity, not a contradiction.
    if len(countries) > 1 and len(set.union(*country_articles.values())) > 1 \
            and any(a != b for a in country_articles.values() for b in country_articles.values()):
        out.append(dict(field="place_country",
                        values=[dict(value=c, sources=sorted(s)) for c, s in sorted(countries.items())]))
    return out


def fuse_store(store) -> dict[str, int]:
    """Recompute event clusters over the whole store; return counts."""
    rows = store.query(
        "SELECT e.id, e.article_id, e.cameo_code, e.cameo_label, e.plover_type, e.quad_class, e.source_codes,"
        " e.target_codes, e.date_value, e.date_precision, e.date_basis, e.place_name, e.place_country,"
        " e.modality, a.published, coalesce(a.source, a.url, a.origin, a.id) AS src"
        " FROM events e JOIN articles a ON a.id = e.article_id"
        " WHERE e.modality <> 'negated' ORDER BY e.id"
    )
    rows = list({r["id"]: r for r in rows}.values())  # one row per event id
    for r in rows:
        r["_day"] = _day(r["date_value"], r["published"])  # undated events are never linked
        r["_published"] = _day(None, r["published"])
        r["_source"] = r["src"]
    groups = link_events(rows)
    member_rows, summary_rows = [], []
    multi = contested = 0
    for g in groups:
        members = [rows[i] for i in g]
        ids = sorted(m["id"] for m in members)
        cid = "c" + hashlib.sha1("|".join(ids).encode()).hexdigest()[:15]
        n_articles = len({m["article_id"] for m in members})
        n_sources = len({m["_source"] for m in members})
        conflicts = _conflicts(members)
        multi += n_articles > 1
        contested += bool(conflicts)
        for m in members:
            member_rows.append(dict(id=cid, event_id=m["id"], article_id=m["article_id"], source=m["_source"]))
        code = Counter(m["cameo_code"] for m in members).most_common(1)[0][0]
        days = sorted(d for d in (m["_day"] for m in members) if d)
        consensus = dict(
            cameo_code=code,
            date=Counter(m["date_value"] for m in members if m["date_basis"] != "publication").most_common(1)[0][0]
            if any(m["date_basis"] != "publication" and m["date_value"] for m in members) else None,
            place=Counter(m["place_name"] for m in members if m["place_name"]).most_common(1)[0][0]
            if any(m["place_name"] for m in members) else None,
            source_codes=sorted({c for m in members for c in m["source_codes"] or []}),
            target_codes=sorted({c for m in members for c in m["target_codes"] or []}),
        )
        summary_rows.append(dict(
            id=cid, cameo_code=code, plover_type=members[0]["plover_type"],
            label=next(m["cameo_label"] for m in members if m["cameo_code"] == code),
            num_events=len(members), num_articles=n_articles, num_sources=n_sources,
            first_seen=days[0].isoformat() if days else None,
            last_seen=days[-1].isoformat() if days else None,
            consensus=json.dumps(consensus), conflicts=json.dumps(conflicts),
        ))
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM clusters")
        con.execute("DELETE FROM cluster_summary")
        store._insert("clusters", member_rows)
        store._insert("cluster_summary", summary_rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return dict(clusters=len(groups), multi_report_clusters=multi, contested=contested)


def cluster_rows(store, *, contested: bool = False, min_articles: int = 1) -> list[dict[str, Any]]:
    """Clusters as JSON-ready dicts, most corroborated first."""
    rows = store.query(
        "SELECT s.*, (SELECT list(c.event_id ORDER BY c.event_id) FROM clusters c WHERE c.id = s.id)"
        " AS event_ids FROM cluster_summary s WHERE num_articles >= ?"
        " ORDER BY num_articles DESC, num_events DESC, first_seen", [min_articles]
    )
    out = []
    for r in rows:
        r["consensus"] = json.loads(r["consensus"] or "{}")
        r["conflicts"] = json.loads(r["conflicts"] or "[]")
        if contested and not r["conflicts"]:
            continue
        out.append(r)
    return out
