"""Across reports: link mentions of the same event, count corroboration, flag contradictions.

Fusion is incremental. Every article the store writes is marked *pending* in the same transaction
(``fusion_pending``); ``fuse_store`` profiles the pending articles' events (``fusion.profile``),
compares each with the already-fused mentions that share an index key — event kind x country,
dated within the conflict window (``fusion.link.keys``) — and with the other mentions of its
article, adds it to the best-linked cluster or starts one (``fusion.engine``), rewrites the
summaries of the clusters it touched and clears the articles' pending mark, one chunk of
articles per transaction. A kill leaves the rest pending: the store *is* stale, and the next
``run`` or any command that reads clusters (``stories``, ``export``) fuses it first.

Linking rules: ``fusion.link``; conflicts: ``fusion.conflicts``; what is left out of fusion
(negated acts, link lists, headings, bylines, background/cumulative mentions): ``fusion.text``.
"""
from __future__ import annotations

import json
from typing import Any, Callable

from newsevents.fusion.engine import Linker, summarise
from newsevents.fusion.link import CONFLICT_WINDOW, compare, keys
from newsevents.fusion.profile import load_profiles

__all__ = ["fuse_store", "cluster_rows", "is_stale", "pending_count", "ensure_fused", "compare", "Linker",
           "CHUNK"]

#: Articles fused per transaction.
CHUNK = 500


def pending_count(store) -> int:
    """How many stored articles are not fused yet (0: the clusters are up to date)."""
    try:
        return int(store.con.execute("SELECT count(*) FROM fusion_pending").fetchone()[0])
    except Exception:  # a store from before incremental fusion: everything is stale
        return -1


def is_stale(store) -> bool:
    return pending_count(store) != 0


def ensure_fused(path: str) -> str | None:
    """Fuse the store at ``path`` if it is stale (articles written but not fused, e.g. after a
    kill during fusion or a ``run --no-fuse``). Returns a warning when the store could not be
    opened for writing (another process holds it): the clusters shown are then out of date."""
    from newsevents.errors import StoreError
    from newsevents.store import Store

    with Store(path, read_only=True) as store:
        n = pending_count(store)
    if n == 0:
        return None
    try:
        with Store(path) as store:
            fuse_store(store)
    except StoreError as exc:
        what = f"{n:,} articles" if n > 0 else "the whole store"
        return f"{path}: clusters are out of date ({what} not fused yet) and the store cannot be written now: {exc}"
    return None


def _pending(store) -> list[str]:
    return [r[0] for r in store.con.execute(
        "SELECT p.article_id FROM (SELECT DISTINCT article_id FROM fusion_pending) p"
        " LEFT JOIN articles a ON a.id = p.article_id ORDER BY a.published NULLS LAST, p.article_id"
    ).fetchall()]


def fuse_store(store, *, rebuild: bool = False, chunk: int = CHUNK,
               progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Fuse the pending articles (all of them with ``rebuild``); return counts over the store."""
    with store.session():
        return _fuse(store, rebuild, chunk, progress)


def _fuse(store, rebuild: bool, chunk: int, progress: Callable[[int, int], None] | None) -> dict[str, int]:
    con = store.con
    if rebuild:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM fusion_events")
            con.execute("DELETE FROM cluster_summary")
            con.execute("DELETE FROM fusion_pending")
            con.execute("INSERT INTO fusion_pending SELECT id FROM articles")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    pending = _pending(store)
    stats = dict(articles=len(pending), events=0, comparisons=0)
    for i in range(0, len(pending), chunk):
        part = pending[i:i + chunk]
        n_ev, n_cmp = _fuse_chunk(store, part)
        stats["events"] += n_ev
        stats["comparisons"] += n_cmp
        if progress:
            progress(min(i + chunk, len(pending)), len(pending))
    row = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE num_articles > 1),"
        " count(*) FILTER (WHERE num_articles > 1 AND conflicts <> '[]') FROM cluster_summary").fetchone()
    stats.update(clusters=row[0], multi_report_clusters=row[1], contested=row[2])
    return stats


def _fuse_chunk(store, article_ids: list[str]) -> tuple[int, int]:
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        affected = {r[0] for r in con.execute(
            "SELECT DISTINCT cluster_id FROM fusion_events WHERE cluster_id IS NOT NULL"
            " AND article_id IN (SELECT unnest(?::VARCHAR[]))", [article_ids]).fetchall()}
        con.execute("DELETE FROM fusion_events WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [article_ids])
        profiles = load_profiles(store, article_ids)
        linker = Linker()
        for p in profiles:
            p["keys"] = keys(p)
        dated = [p for p in profiles if p.get("lo") is not None and not p.get("excluded")]
        if dated:
            # the clusters within reach: sharing a key, dated within the window of one of the
            # chunk's mentions (merged date ranges, so a chunk spanning years fetches only what
            # lies near its own dates)
            ranges = _merge_ranges((p["lo"] - CONFLICT_WINDOW, p["hi"] + CONFLICT_WINDOW) for p in dated)
            all_keys = sorted({k for p in dated for k in p["keys"]})
            near = con.execute(
                "SELECT DISTINCT f.cluster_id FROM fusion_events f"
                " JOIN (SELECT unnest(?::INTEGER[]) AS rlo, unnest(?::INTEGER[]) AS rhi) r"
                " ON f.hi >= r.rlo AND f.lo <= r.rhi"
                " WHERE f.cluster_id IS NOT NULL AND list_has_any(f.keys, ?::VARCHAR[])",
                [[r[0] for r in ranges], [r[1] for r in ranges], all_keys]).fetchall()
            cids = [r[0] for r in near]
            if cids:
                for r in con.execute(
                        "SELECT profile, cluster_id FROM fusion_events WHERE cluster_id IN (SELECT unnest(?::VARCHAR[]))",
                        [cids]).fetchall():
                    linker.add_existing(json.loads(r[0]), r[1])
        new_ids = []
        for p in sorted(profiles, key=lambda p: (p["lo"] if p.get("lo") is not None else 1 << 30,
                                                  p["article_id"], p.get("sentence") or 0, p["id"])):
            linker.add(p)
            new_ids.append(p["id"])
        rows = []
        for p in profiles:
            link = linker.links.get(p["id"])
            rows.append(dict(
                event_id=p["id"], article_id=p["article_id"], cluster_id=linker.cluster[p["id"]],
                source=p.get("source"), lo=p.get("lo"), hi=p.get("hi"), keys=p["keys"],
                excluded=p.get("excluded") or p.get("background"),
                link_to=link["to"] if link else None, link_score=link["score"] if link else None,
                link_evidence=json.dumps(link["evidence"]) if link else None,
                profile=json.dumps({k: v for k, v in p.items() if not k.startswith("_")}, ensure_ascii=False)))
        for old, new in linker.renamed.items():
            con.execute("UPDATE fusion_events SET cluster_id = ? WHERE cluster_id = ?", [new, old])
        _insert(con, "fusion_events", rows)
        touched = affected | {linker.cluster[p["id"]] for p in profiles if linker.cluster.get(p["id"])}
        touched |= set(linker.renamed) | set(linker.renamed.values())
        _resummarise(store, sorted(touched), linker.profiles, linker.links)
        con.execute("DELETE FROM fusion_pending WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [article_ids])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(profiles), linker.comparisons


def _merge_ranges(ranges) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(a, b) for a, b in out]


def _insert(con, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows column by column (a list per column: ~3x faster than a list of dicts)."""
    if not rows:
        return
    cols = list(rows[0])
    params = [[r[c] for r in rows] for c in cols]
    names = ", ".join(f'"{c}"' for c in cols)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {', '.join('unnest(?)' for _ in cols)}", params)


def _resummarise(store, cluster_ids: list[str], known: dict[str, dict[str, Any]] | None = None,
                 new_links: dict[str, dict[str, Any]] | None = None) -> None:
    """Rewrite the summaries of ``cluster_ids`` (``known``: profiles already in memory)."""
    con = store.con
    if not cluster_ids:
        return
    known = known or {}
    members: dict[str, list[dict[str, Any]]] = {}
    links: dict[str, dict[str, Any]] = dict(new_links or {})
    for eid, cid, to, score, evidence in con.execute(
            "SELECT event_id, cluster_id, link_to, link_score, link_evidence FROM fusion_events"
            " WHERE cluster_id IN (SELECT unnest(?::VARCHAR[]))", [cluster_ids]).fetchall():
        members.setdefault(cid, []).append(eid)
        if to and eid not in links:
            links[eid] = dict(to=to, score=score, evidence=json.loads(evidence or "[]"))
    missing = [e for ms in members.values() for e in ms if e not in known]
    profiles = dict(known)
    if missing:
        for eid, prof in con.execute(
                "SELECT event_id, profile FROM fusion_events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))",
                [missing]).fetchall():
            profiles[eid] = json.loads(prof)
    con.execute("DELETE FROM cluster_summary WHERE id IN (SELECT unnest(?::VARCHAR[]))", [cluster_ids])
    rows = []
    for cid, ids in members.items():
        s = summarise(cid, [profiles[e] for e in ids if e in profiles], links)
        for k in ("consensus", "conflicts", "reports", "links"):
            s[k] = json.dumps(s[k], ensure_ascii=False)
        rows.append(s)
    _insert(con, "cluster_summary", rows)


def cluster_rows(store, *, contested: bool = False, min_articles: int = 1) -> list[dict[str, Any]]:
    """Clusters as JSON-ready dicts, most corroborated first."""
    rows = store.query(
        "SELECT s.*, (SELECT list(c.event_id ORDER BY c.event_id) FROM clusters c WHERE c.id = s.id)"
        " AS event_ids FROM cluster_summary s WHERE num_articles >= ?"
        + (" AND conflicts <> '[]'" if contested else "") +
        " ORDER BY num_articles DESC, num_events DESC, first_seen, id", [min_articles]
    )
    for r in rows:
        for k, empty in (("consensus", "{}"), ("conflicts", "[]"), ("reports", "[]"), ("links", "[]")):
            r[k] = json.loads(r.get(k) or empty)
    return rows
