"""What the text says about a name before it is scored: generic words around it ("Dallas County"),
elided heads ("Central and South America"), list commas that are not qualifiers, and readings the
article gives no reason to believe (small towns abroad). Used by ``places.resolve``.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsevents.places.index import Candidate, Gazetteer, norm

if TYPE_CHECKING:
    from newsevents.places.mentions import Context, Mention

__all__ = ["fallback_candidates", "elided_heads", "drop_list_qualifiers", "drop_foreign_towns", "lists"]

_FOREIGN_TOWN_POP = 100_000

_GENERIC_SUFFIX = re.compile(
    r"\s+(county|parish|province|district|region|state|valley|prefecture|municipality|island|islands|bay|"
    r"square|city|town|village|governorate|oblast|department)$", re.I)
_GENERIC_PREFIX = re.compile(r"^(lake|mount|greater|upper|lower)\s+", re.I)
_DIRECTION = re.compile(r"^(north|south|east|west|central|eastern|western|northern|southern|"
                        r"north-?eastern|north-?western|south-?eastern|south-?western)\s+", re.I)


_AREAS = ("continent", "country", "region", "admin1")
_BOTH = re.compile(r"^(?:north|south|east|west|central|eastern|western|northern|southern)\s+(?:and|or|&)\s+"
                   r"((?:north|south|east|west|central|eastern|western|northern|southern)\s+\S.*)$", re.I)


def fallback_candidates(name: str, gaz: Gazetteer) -> list[Candidate]:
    """Candidates for a name the gazetteer lacks, through the place it is named after.

    "Dallas County" -> Dallas, "Lake Erie" -> Erie, "Greater Mumbai" -> Mumbai: the named place
    lies in or next to it. "South Darfur" -> Darfur only when the rest is itself an area
    (region/admin1/country), so "West Prince" does not become a town called Prince.
    """
    for rx in (_GENERIC_SUFFIX, _GENERIC_PREFIX):
        rest = rx.sub("", name)
        if rest != name and len(rest) >= 3:
            found = gaz.candidates(rest, fuzzy=False)
            if found:
                return found
    both = _BOTH.match(name)
    if both:  # "Central and South America" as one span: the named conjunct stands for both
        return [c for c in gaz.candidates(both.group(1), fuzzy=False) if c.feat in _AREAS]
    rest = _DIRECTION.sub("", name)
    if rest != name and len(rest) >= 3:
        return [c for c in gaz.candidates(rest, fuzzy=False) if c.feat in ("region", "admin1", "country")]
    return []


_LIST_SEP = {",", "and", ", and", "or", ", or", "&"}


def lists(mentions: list["Mention"], text: str) -> list[list["Mention"]]:
    """Runs of mentions joined only by commas / "and": "Washington, Pennsylvania and California"."""
    runs: list[list["Mention"]] = []
    order = sorted(mentions, key=lambda m: m.start)
    for a, b in zip(order, order[1:]):
        if a.end <= b.start and text[a.end : b.start].strip() in _LIST_SEP:
            if runs and runs[-1][-1] is a:
                runs[-1].append(b)
            else:
                runs.append([a, b])
    return runs


_ELIDED = re.compile(r"\s+(and|or|&)\s+")


def elided_heads(mentions: list["Mention"], text: str, gaz: Gazetteer) -> None:
    """"Central and South America", "North and South Dakota", "East and West Africa": a bare
    direction word shares the head noun of the name after "and" (geovirus-dev: "Central" became
    Central, Louisiana)."""
    by_start = {m.start: m for m in mentions}
    for m in mentions:
        if m.cands or not _DIRECTION.match(m.text + " "):
            continue
        gap = _ELIDED.match(text, m.end)
        nxt = by_start.get(gap.end()) if gap else None
        if nxt is None:
            continue
        head = _DIRECTION.sub("", nxt.text)
        if head != nxt.text and head:
            m.cands = [c for c in gaz.candidates(f"{m.text} {head}", fuzzy=False)
                       if c.feat in _AREAS]


def drop_list_qualifiers(mentions: list["Mention"], text: str) -> None:
    """In "Georgia, Oklahoma, Pennsylvania and California" the commas separate list items: a
    state or country name in a run of three or more ending in "and"/"or" has no qualifier
    (geovirus-dev: "Oklahoma, Pennsylvania" became a hamlet called Oklahoma in Pennsylvania)."""
    for run in lists(mentions, text):
        last = text[run[-2].end : run[-1].start].strip()
        if len(run) < 3 or last not in ("and", ", and", "or", ", or"):
            continue
        for m in run:
            if m.qualifier and any(c.feat in ("admin1", "country") and not c.alt for c in m.cands):
                m.qualifier = None



def drop_foreign_towns(mentions: list["Mention"], ctx: "Context") -> None:
    """Empty the candidates of a name whose only readings are small towns in countries the article
    never mentions: it is a place the gazetteer lacks, not a town abroad. "Piccadilly" in a London
    story is not the Australian hamlet, "Western" (province) in Kenya not an alias of Cuba City,
    Wisconsin. Left unresolved, it is placed through the places beside it (``places.fallback``).
    Evidence from repeats of the same name does not count: two "Piccadilly"s vote for Australia.
    """
    if not ctx.evidence:
        return
    name_of = {id(m): norm(m.text) for m in mentions}
    # Per country, up to two distinct givers of evidence (a mention's name, or "" for evidence
    # from elsewhere): enough to ask "does anything but this name support it?" in O(1).
    givers: dict[str, set[str]] = {}
    for _s, cc, _w, src in ctx.evidence:
        g = givers.setdefault(cc, set())
        if len(g) < 2:
            g.add(name_of.get(src, ""))
    for m in mentions:
        name = norm(m.text)
        if m.cands and not m.qualifier and all(
            c.feat == "city" and c.pop < _FOREIGN_TOWN_POP and not (givers.get(c.cc, set()) - {name})
            for c in m.cands
        ):
            m.cands = []
