"""One actor from its records in many articles (the store's ``actors`` table).

Each article's actors stage sees an actor on one date; the store merges the same actor id across
articles. The merged record must stay consistent: one role per office (not one per article that
mentioned it), roles in date order with their status as of the last report, and the code,
country and sector the actor's own mentions carry - not whichever article came first (issue 10,
item 12: Assad's merged actor said "GOV", no country, and both "current" and "former").
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

from newsevents.actors.context import _code_on
from newsevents.records import Role

__all__ = ["merge_roles", "merge_records"]


def _day(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return str(value)[:10] or None


def merge_roles(roles: Iterable[dict[str, Any]], as_of: str | None) -> list[dict[str, Any]]:
    """One role per (title, organisation, sector, start, end): evidence joined, status as of
    ``as_of`` (the last report's date). A title the text gave without a country ("President
    Bashar al-Assad") folds into the same title with one; the result is in date order."""
    by_key: dict[tuple, dict[str, Any]] = {}
    for r in roles:
        key = (r.get("title"), r.get("organisation"), r.get("sector"), r.get("start"), r.get("end"))
        m = by_key.get(key)
        if m is None:
            by_key[key] = m = dict(r)
            m["evidence"] = r.get("evidence") or ""
            continue
        have = {e for e in m["evidence"].split(" | ") if e}
        have.update(e for e in (r.get("evidence") or "").split(" | ") if e)
        m["evidence"] = " | ".join(sorted(have))  # sorted: the same whatever the batches
    with_org = {(m["title"], m["sector"]) for m in by_key.values() if m.get("organisation")}
    out = [m for m in by_key.values()
           if m.get("organisation") or (m["title"], m["sector"]) not in with_org
           or m.get("start") or m.get("end")]
    for m in out:
        m["status"] = _status(m, as_of)
    out.sort(key=lambda m: (m.get("start") or m.get("end") or "9999", m.get("end") or "9999",
                            m.get("title") or ""))
    return out


def _status(role: dict[str, Any], as_of: str | None) -> str:
    status = role.get("status") or "current"
    if not as_of or status in ("elect", "acting"):
        return status
    start, end = role.get("start"), role.get("end")
    if end and end[:10] <= as_of:
        return "former"
    if start and start[:10] > as_of:
        return "future"
    if start or end:  # a dated role valid on as_of
        return "current"
    return status  # an undated role read from text keeps what the text said


def merge_records(records: list[tuple[dict[str, Any], Any]],
                  previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge an actor's records ``[(actor_dict, published_day)]`` (per-article actors, or
    already merged rows with ``first_seen``/``last_seen``) with the stored ``previous`` row.
    Returns the fields of the merged row: name, kind, code, country, sector, aliases, roles,
    first_seen, last_seen.

    - aliases: union, sorted;
    - roles: ``merge_roles`` as of the last day seen;
    - name, kind, country, code and sector: those of the latest record that has them (on one
      day, the greatest value), so the result does not depend on how the input was batched;
    - a person with dated roles: the code of the role valid on the last day (``actors.code_at``).
    """
    days = [d for d in (_day(day) for _, day in records) if d]
    for rec in [r for r, _ in records] + ([previous] if previous else []):
        # already merged rows (the store's, a cluster part's) carry their own span
        days += [d for d in (_day(rec.get("first_seen")), _day(rec.get("last_seen"))) if d]
    last = max(days) if days else None
    # the latest record decides name, kind, code and country; ties on a day go to the
    # greatest value, so the merged row is the same however batches or cluster parts split the
    # input (the stored row stands for its last day)
    entries = [(_day(day) or _day(rec.get("last_seen")) or "", rec) for rec, day in records]
    if previous:
        entries.append((_day(previous.get("last_seen")) or "", previous))
    aliases: set[str] = set()
    roles: list[dict[str, Any]] = []
    for _, rec in entries:
        aliases.update(rec.get("aliases") or ())
        roles.extend(rec.get("roles") or ())

    def latest(field: str, also: str | None = None) -> tuple[Any, Any]:
        best = max(((d, str(rec.get(field)), rec) for d, rec in entries if rec.get(field)),
                   key=lambda x: (x[0], x[1]), default=None)
        if best is None:
            return None, None
        return best[2].get(field), (best[2].get(also) if also else None)

    name, _ = latest("name")
    kind, _ = latest("kind")
    code, sector = latest("code", "sector")
    country, _ = latest("country")
    merged_roles = merge_roles(roles, last)
    if kind == "person" and last and any(r.get("start") or r.get("end") for r in merged_roles):
        role_objs = tuple(Role(**{k: r.get(k) for k in ("title", "organisation", "sector", "start",
                                                        "end", "status", "evidence")})
                          for r in merged_roles)
        c2, s2 = _code_on(role_objs, last, code, sector)
        if c2 and (len(c2) > 3 or not country or c2.startswith(country)):
            code, sector = c2, s2
        if country is None and c2 and len(c2) >= 3 and not c2.startswith(("IGO", "NGO")):
            country = c2[:3]
    return dict(name=name, kind=kind, code=code, country=country,
                sector=sector, aliases=sorted(aliases), roles=merged_roles,
                first_seen=min(days) if days else None, last_seen=last)
