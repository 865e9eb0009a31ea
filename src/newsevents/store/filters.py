"""Event filters shared by ``Store.events``, the read views and the web API: validated once,
turned into a parameterised WHERE clause (never string-formatted values).

Values are checked by the rules of ``newsevents.store.checks`` (the CLI's). Dates are ISO
prefixes (``2024``, ``2024-12``, ``2024-12-08``; lenient forms are normalised to those):
an event date ``2024-12-08`` is "on or before" ``2024-12`` and "on or after" ``2024``, so a
filter at month precision keeps the whole month.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from newsevents.errors import UsageError

__all__ = ["EventFilters", "FilterError", "check_date", "FILTER_NAMES"]


class FilterError(UsageError):
    """A filter value that is not of the accepted form; the message names the filter and the form."""

    def __init__(self, name: str, value: Any, accepted: str):
        self.name, self.value, self.accepted = name, value, accepted
        super().__init__(name, f"{value!r} is not {accepted}")


def check_date(name: str, value: str) -> str:
    """``value`` as YYYY, YYYY-MM or YYYY-MM-DD (``store.checks.normalize_date``: a real calendar
    date; lenient forms such as "2024-12-9" or "9 December 2024" normalised), else UsageError."""
    from newsevents.store import checks

    return checks.normalize_date(value, name)


@dataclass(frozen=True)
class EventFilters:
    """Filters over events; ``None`` means "any". Call ``validated()`` before ``where()``."""

    actor: str | None = None  # code prefix (SYR, RUSGOV), actor id, or a name/alias/mention text (Assad)
    root: str | None = None  # CAMEO root or code prefix: 19, 190, 0874
    plover: str | None = None  # PLOVER type
    modality: str | None = None
    since: str | None = None  # event date on or after
    until: str | None = None  # event date on or before
    article: str | None = None  # article id prefix
    place: str | None = None  # gazetteer id or place name, exact
    quad_class: int | None = None  # 1..4

    def validated(self) -> "EventFilters":
        """The same filters checked and normalised by the rules the CLI uses
        (``newsevents.store.checks``); a bad value raises ``UsageError`` naming the filter."""
        from newsevents.records import MODALITIES
        from newsevents.store import checks

        clean: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, str):
                v = v.strip() or None
            clean[f.name] = v
        if clean["root"] is not None:
            clean["root"] = checks.cameo_prefix(clean["root"], "root")
        if clean["plover"] is not None:
            clean["plover"] = checks.plover_type(clean["plover"], "plover")
        if clean["article"] is not None:
            clean["article"] = checks.article_prefix(clean["article"], "article")
        if clean["modality"] is not None and clean["modality"] not in MODALITIES:
            raise FilterError("modality", clean["modality"], "one of " + ", ".join(MODALITIES))
        for name in ("since", "until"):
            if clean[name] is not None:
                clean[name] = check_date(name, clean[name])
        if clean["since"] and clean["until"] and clean["until"] < clean["since"][: len(clean["until"])]:
            raise FilterError("until", clean["until"], f"on or after since ({clean['since']})")
        q = clean["quad_class"]
        if q is not None:
            try:
                q = int(q)
            except (TypeError, ValueError):
                q = 0
            if q not in (1, 2, 3, 4):
                raise FilterError("quad_class", self.quad_class, "a QuadClass 1, 2, 3 or 4")
            clean["quad_class"] = q
        return EventFilters(**clean)

    def where(self, alias: str = "") -> tuple[str, list[Any]]:
        """``(sql, params)``: a WHERE clause (or "") over the events table, values as parameters."""
        p = f"{alias}." if alias else ""
        where: list[str] = []
        params: list[Any] = []
        if self.actor:
            # Code prefixes or an actor id; starts_with, contains and list_contains are literal
            # (no LIKE wildcards), so "%" or "_" in a filter match only themselves. A value that
            # is not all capitals ("Assad", "Kremlin") also matches, case-insensitively, the
            # mention text and the actor's name in the event, and any actor whose name or
            # aliases in the actors table contain it (issue 10, item 12).
            sql = (f"(len(list_filter({p}source_codes || {p}target_codes, lambda c: starts_with(c, ?))) > 0"
                   f" OR list_contains(json_extract_string({p}source, '$[*].actor_id'), ?)"
                   f" OR list_contains(json_extract_string({p}target, '$[*].actor_id'), ?)")
            params += [self.actor.upper(), self.actor, self.actor]
            if not self.actor.isupper():
                names = (f"json_extract_string({p}source, '$[*].text') || json_extract_string({p}source, '$[*].name')"
                         f" || json_extract_string({p}target, '$[*].text') || json_extract_string({p}target, '$[*].name')")
                ids = (f"json_extract_string({p}source, '$[*].actor_id') || json_extract_string({p}target, '$[*].actor_id')")
                sql += (f" OR len(list_filter({names}, lambda s: contains(lower(s), lower(?)))) > 0"
                        f" OR list_has_any({ids}, (SELECT coalesce(list(a.id), []) FROM actors a"
                        " WHERE contains(lower(a.name), lower(?)) OR contains(lower(a.aliases::VARCHAR), lower(?))))")
                params += [self.actor, self.actor, self.actor]
            where.append(sql + ")")
        if self.root:
            where.append(f"starts_with({p}cameo_code, ?)")
            params.append(self.root)
        if self.plover:
            where.append(f"{p}plover_type = ?")
            params.append(self.plover)
        if self.modality:
            where.append(f"{p}modality = ?")
            params.append(self.modality)
        if self.since:
            where.append(f"{p}date_value >= ?")
            params.append(self.since)
        if self.until:
            where.append(f"left({p}date_value, ?) <= ?")
            params += [len(self.until), self.until]
        if self.article:
            where.append(f"starts_with({p}article_id, ?)")
            params.append(self.article)
        if self.place:
            where.append(f"({p}place_id = ? OR {p}place_name = ?)")
            params += [self.place, self.place]
        if self.quad_class:
            where.append(f"{p}quad_class = ?")
            params.append(int(self.quad_class))
        return (" WHERE " + " AND ".join(where) if where else ""), params


FILTER_NAMES = tuple(f.name for f in fields(EventFilters))
