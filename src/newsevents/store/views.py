"""Read views over the store for the web page, ``newsevents summary`` and the network exports:
timeline buckets, the actor network, event places as GeoJSON, an event with its evidence, an
article with its spans. Each function takes anything with ``query(sql, params)`` (a ``Store``)
and validated ``EventFilters``; every value reaches DuckDB as a parameter.
"""
from __future__ import annotations

import json
from typing import Any, Protocol, Sequence

from newsevents.store.filters import EventFilters

__all__ = ["event_page", "event_detail", "article_detail", "actor_detail", "timeline", "network",
           "places_geojson", "summary", "BUCKETS"]

BUCKETS = ("day", "week", "month", "auto")
_DAY = r"^\d{4}-\d{2}-\d{2}"
_MONTH = r"^\d{4}-\d{2}"


class Queryable(Protocol):
    def query(self, sql: str, params: Sequence[Any] = ...) -> list[dict[str, Any]]: ...


def _iso(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


# ---------------------------------------------------------------------------- events
def event_page(store: Queryable, f: EventFilters, *, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """``{"items": [...], "total": N}`` in the JSON shape of ``newsevents events --format json``."""
    from newsevents.store import _event_out

    where, params = f.where()
    total = store.query("SELECT count(*) AS n FROM events" + where, params)[0]["n"]
    rows = store.query(
        "SELECT * FROM events" + where
        + " ORDER BY date_value NULLS LAST, article_id, sentence, trigger_start, id LIMIT ? OFFSET ?",
        params + [int(limit), int(offset)],
    )
    return {"items": [_event_out(r) for r in rows], "total": int(total)}


def event_detail(store: Queryable, event_id: str) -> dict[str, Any] | None:
    """One event with its evidence span, the article it came from, the actor mentions of its
    sentence and the story (cluster of reports) it belongs to; None when there is no such event."""
    from newsevents.store import _event_out

    rows = store.query("SELECT * FROM events WHERE id = ? ORDER BY article_id LIMIT 1", [event_id])
    if not rows:
        return None
    r = rows[0]
    out = _event_out(r)
    start = r["sentence_start"]
    out["evidence_span"] = ({"start": start, "end": start + len(r["evidence"] or "")}
                            if start is not None else None)
    art = store.query("SELECT id, title, url, source, published FROM articles WHERE id = ?", [r["article_id"]])
    out["article"] = {k: _iso(v) for k, v in art[0].items()} if art else None
    out["mentions"] = store.query(
        'SELECT "start", "end", text, kind, actor_id, code, country, sector, role FROM mentions'
        ' WHERE article_id = ? AND sentence = ? ORDER BY "start"', [r["article_id"], r["sentence"]])
    story = store.query(
        "SELECT s.id, s.label, s.num_events, s.num_articles, s.num_sources, s.first_seen, s.last_seen,"
        " s.conflicts FROM clusters c JOIN cluster_summary s ON s.id = c.id WHERE c.event_id = ? LIMIT 1",
        [event_id])
    if story:
        story[0]["conflicts"] = json.loads(story[0]["conflicts"] or "[]")
    out["story"] = story[0] if story else None
    return out


def article_detail(store: Queryable, article_id: str) -> dict[str, Any] | None:
    """The article's text with the spans of actors, events, dates, places and quotes (character
    offsets into ``text``, end exclusive)."""
    rows = store.query(
        "SELECT id, title, url, source, published, language, origin, text, warnings FROM articles WHERE id = ?",
        [article_id])
    if not rows:
        return None
    a = {k: _iso(v) for k, v in rows[0].items()}
    spans: list[dict[str, Any]] = []
    for m in store.query('SELECT "start", "end", text, code, actor_id, kind AS actor_kind FROM mentions'
                         " WHERE article_id = ?", [article_id]):
        spans.append({"kind": "actor", **m})
    for e in store.query("SELECT id, trigger_start AS \"start\", trigger_end AS \"end\", trigger AS text,"
                         " cameo_code, quad_class FROM events WHERE article_id = ?", [article_id]):
        spans.append({"kind": "event", **e})
    for d in store.query('SELECT "start", "end", text, value, precision FROM dates WHERE article_id = ?',
                         [article_id]):
        spans.append({"kind": "date", **d})
    for p in store.query('SELECT "start", "end", text, name, country, lat, lon FROM places'
                         " WHERE article_id = ?", [article_id]):
        spans.append({"kind": "place", **p})
    for q in store.query('SELECT "start", "end", speaker_name AS speaker, direct FROM quotes'
                         " WHERE article_id = ?", [article_id]):
        spans.append({"kind": "quote", **q})
    spans.sort(key=lambda s: (s["start"] if s["start"] is not None else -1, s["kind"]))
    a["spans"] = spans
    return a


def actor_detail(store: Queryable, actor_id: str) -> dict[str, Any] | None:
    """An actor with aliases, its role timeline (sorted by start) and event counts by role."""
    rows = store.query("SELECT * FROM actors WHERE id = ?", [actor_id])
    if not rows:
        return None
    a = rows[0]
    a["aliases"] = json.loads(a["aliases"] or "[]")
    roles = json.loads(a["roles"] or "[]")
    a["roles"] = sorted(roles, key=lambda r: (r.get("start") or "", r.get("end") or "9999"))
    for k in ("first_seen", "last_seen"):
        a[k] = _iso(a[k])
    counts = store.query(
        "SELECT count(*) FILTER (WHERE list_contains(json_extract_string(source, '$[*].actor_id'), ?)) AS as_source,"
        " count(*) FILTER (WHERE list_contains(json_extract_string(target, '$[*].actor_id'), ?)) AS as_target"
        " FROM events", [actor_id, actor_id])[0]
    a["events"] = {k: int(v) for k, v in counts.items()}
    a["mentions"] = int(store.query("SELECT count(*) AS n FROM mentions WHERE actor_id = ?", [actor_id])[0]["n"])
    return a


# ---------------------------------------------------------------------------- aggregates
def _auto_bucket(store: Queryable, where: str, params: list[Any]) -> str:
    cond = f"regexp_matches(date_value, '{_DAY}')"
    span = store.query(
        f"SELECT min(TRY_CAST(left(date_value, 10) AS DATE)) AS lo, max(TRY_CAST(left(date_value, 10) AS DATE)) AS hi"
        f" FROM events{where}{' AND ' if where else ' WHERE '}{cond}", params)[0]
    if not span["lo"]:
        return "month"
    days = (span["hi"] - span["lo"]).days
    return "day" if days <= 120 else "week" if days <= 3 * 365 else "month"


def timeline(store: Queryable, f: EventFilters, *, bucket: str = "day") -> dict[str, Any]:
    """Events per bucket and QuadClass with mean Goldstein. Only events dated at least as
    precisely as the bucket are counted; the others are reported as ``undated``."""
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {', '.join(BUCKETS)}")
    where, params = f.where()
    if bucket == "auto":
        bucket = _auto_bucket(store, where, params)
    if bucket == "month":
        cond, key, end = f"regexp_matches(date_value, '{_MONTH}')", "left(date_value, 7)", "left(date_value, 7)"
    else:
        day = "TRY_CAST(left(date_value, 10) AS DATE)"
        cond = f"regexp_matches(date_value, '{_DAY}') AND {day} IS NOT NULL"
        if bucket == "day":
            key = end = f"strftime({day}, '%Y-%m-%d')"
        else:
            key = f"strftime(date_trunc('week', {day}), '%Y-%m-%d')"
            end = f"strftime(date_trunc('week', {day}) + INTERVAL 6 DAY, '%Y-%m-%d')"
    glue = " AND " if where else " WHERE "
    rows = store.query(
        f"SELECT {key} AS date, any_value({end}) AS \"end\", quad_class, count(*) AS events,"
        f" round(avg(goldstein), 3) AS goldstein_mean FROM events{where}{glue}{cond}"
        " GROUP BY 1, quad_class ORDER BY 1, quad_class", params)
    total = store.query("SELECT count(*) AS n FROM events" + where, params)[0]["n"]
    counted = sum(r["events"] for r in rows)
    return {"bucket": bucket, "items": rows, "undated": int(total) - int(counted)}


def network(store: Queryable, f: EventFilters, *, max_nodes: int = 60) -> dict[str, Any]:
    """Actor codes as nodes, source -> target code pairs as directed edges (one per event and
    code pair), each with the number of events, mean Goldstein and counts per QuadClass. The
    ``max_nodes`` codes with most events are kept, with the edges between them."""
    where, params = f.where()
    pairs = store.query(
        "WITH e AS (SELECT id, goldstein, quad_class, list_distinct(source_codes) AS sc,"
        f" list_distinct(target_codes) AS tc FROM events{where}),"
        " s AS (SELECT id, goldstein, quad_class, unnest(sc) AS source, tc FROM e),"
        " p AS (SELECT id, goldstein, quad_class, source, unnest(tc) AS target FROM s)"
        " SELECT source, target, count(*) AS events, round(avg(goldstein), 3) AS goldstein_mean,"
        " count(*) FILTER (WHERE quad_class = 1) AS q1, count(*) FILTER (WHERE quad_class = 2) AS q2,"
        " count(*) FILTER (WHERE quad_class = 3) AS q3, count(*) FILTER (WHERE quad_class = 4) AS q4"
        " FROM p WHERE source IS NOT NULL AND target IS NOT NULL GROUP BY source, target"
        " ORDER BY events DESC, source, target", params)
    nodes_rows = store.query(
        "WITH e AS (SELECT id, list_distinct(source_codes || target_codes) AS codes FROM events"
        f"{where}), c AS (SELECT id, unnest(codes) AS code FROM e)"
        " SELECT code, count(DISTINCT id) AS events FROM c WHERE code IS NOT NULL"
        " GROUP BY code ORDER BY events DESC, code LIMIT ?", params + [int(max_nodes)])
    keep = {r["code"] for r in nodes_rows}
    labels = {r["code"]: r["name"] for r in store.query(
        "SELECT code, arg_max(name, n_articles) AS name FROM actors WHERE code IS NOT NULL"
        " AND list_contains(?, code) GROUP BY code", [sorted(keep)])} if keep else {}
    nodes = [{"id": r["code"], "label": labels.get(r["code"], r["code"]), "events": int(r["events"])}
             for r in nodes_rows]
    edges = [
        {"source": p["source"], "target": p["target"], "events": int(p["events"]),
         "goldstein_mean": p["goldstein_mean"],
         "quad_counts": {str(q): int(p[f"q{q}"]) for q in (1, 2, 3, 4) if p[f"q{q}"]}}
        for p in pairs if p["source"] in keep and p["target"] in keep
    ]
    return {"nodes": nodes, "edges": edges}


def places_geojson(store: Queryable, f: EventFilters) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one Point per event place, with event counts by QuadClass."""
    where, params = f.where()
    glue = " AND " if where else " WHERE "
    rows = store.query(
        "SELECT coalesce(place_id, place_name) AS id, any_value(place_name) AS name,"
        " any_value(place_country) AS country, any_value(place_admin1) AS admin1,"
        " any_value(place_precision) AS precision, avg(place_lat) AS lat, avg(place_lon) AS lon,"
        " count(*) AS events, round(avg(goldstein), 3) AS goldstein_mean,"
        " count(*) FILTER (WHERE quad_class = 1) AS q1, count(*) FILTER (WHERE quad_class = 2) AS q2,"
        " count(*) FILTER (WHERE quad_class = 3) AS q3, count(*) FILTER (WHERE quad_class = 4) AS q4"
        f" FROM events{where}{glue}place_lat IS NOT NULL AND place_lon IS NOT NULL"
        " GROUP BY 1 ORDER BY events DESC, 1", params)
    features = []
    for r in rows:
        features.append({
            "type": "Feature",
            "id": r["id"],
            "geometry": {"type": "Point", "coordinates": [round(r["lon"], 5), round(r["lat"], 5)]},
            "properties": {
                "id": r["id"], "name": r["name"], "country": r["country"], "admin1": r["admin1"],
                "precision": r["precision"], "events": int(r["events"]),
                "goldstein_mean": r["goldstein_mean"],
                "quad_counts": {str(q): int(r[f"q{q}"]) for q in (1, 2, 3, 4) if r[f"q{q}"]},
            },
        })
    return {"type": "FeatureCollection", "features": features}


def summary(store: Queryable, f: EventFilters, *, top: int = 15) -> dict[str, Any]:
    """Counts by CAMEO root, QuadClass, dyad (source -> target code) and month; mean Goldstein."""
    from newsevents import ontology

    where, params = f.where()
    head = store.query(
        "SELECT count(*) AS events, count(DISTINCT article_id) AS articles,"
        f" round(avg(goldstein), 3) AS goldstein_mean FROM events{where}", params)[0]
    roots = store.query(
        f"SELECT cameo_root AS root, count(*) AS events, round(avg(goldstein), 3) AS goldstein_mean"
        f" FROM events{where} GROUP BY cameo_root ORDER BY events DESC, root", params)
    for r in roots:
        r["label"] = ontology.label(r["root"]) if r["root"] and ontology.is_valid(r["root"]) else None
    quads = store.query(
        f"SELECT quad_class, count(*) AS events, round(avg(goldstein), 3) AS goldstein_mean"
        f" FROM events{where} GROUP BY quad_class ORDER BY quad_class", params)
    dyads = network(store, f, max_nodes=10_000)["edges"][:top]
    glue = " AND " if where else " WHERE "
    months = store.query(
        f"SELECT left(date_value, 7) AS month, count(*) AS events, round(avg(goldstein), 3) AS goldstein_mean"
        f" FROM events{where}{glue}regexp_matches(date_value, '{_MONTH}') GROUP BY 1 ORDER BY 1", params)
    return {
        "events": int(head["events"]), "articles": int(head["articles"]),
        "goldstein_mean": head["goldstein_mean"],
        "by_root": roots, "by_quad_class": quads,
        "by_dyad": [{"source": d["source"], "target": d["target"], "events": d["events"],
                     "goldstein_mean": d["goldstein_mean"]} for d in dyads],
        "by_month": months,
    }
