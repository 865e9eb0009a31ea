"""GKG 2.1 fields of one article, in GDELT's sub-field syntax (see docs/gdelt.md).

Kept apart from ``gdelt`` (events, mentions, file I/O) to keep each module short; ``gkg.gkg_rows``
is the public entry point.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator
from urllib.parse import urlparse

from newsevents.export.gdelt import _clean, _geo_fields, _geo_type, _num, _stamp, global_event_id
from newsevents.records import ArticleResult

__all__ = ["gkg_row", "gkg_rows"]

#: Our count kinds -> GKG count types (GKG 2.1 codebook, V1COUNTS "CountType").
_GKG_COUNT = {"killed": "KILL", "wounded": "WOUND", "injured": "WOUND", "casualties": "KILL",
              "arrested": "ARREST", "detained": "ARREST", "kidnapped": "KIDNAP",
              "protesters": "PROTEST", "displaced": "DISPLACED", "refugees": "REFUGEES",
              "evacuated": "EVACUATION", "missing": "MISSING", "infected": "SICKENED",
              "affected": "AFFECT"}
_PERSON_KINDS = {"person"}
_ORG_KINDS = {"organisation", "igo", "ngo", "media", "armed_group"}


def _term_offset(text_lower: str, term: str, start: int = 0) -> int:
    m = re.search(r"\b" + re.escape(term.lower()) + r"\b", text_lower[start:])
    return start + m.start() if m else -1


def _gkg_counts(r: ArticleResult) -> tuple[str, str]:
    v1, v2 = [], []
    for c in r.features.counts:
        place = next(
            (p for p in r.places if p.resolved and p.sentence == c.sentence and _geo_type(p)), None
        )
        geo = _geo_fields(place)
        loc = [geo[0], geo[1], geo[2], geo[3], geo[5], geo[6], geo[7]]
        kind = _GKG_COUNT.get(c.kind, c.kind.upper())
        base = "#".join([kind, str(c.number), _clean(c.object, "#;"), *loc])
        v1.append(base + ";")
        v2.append(f"{base}#{c.start};")
    return "".join(v1), "".join(v2)


def _gkg_themes(r: ArticleResult) -> tuple[str, str]:
    low = r.article.text.lower()
    names, enhanced = [], []
    for t in r.features.themes:
        if not t.gkg:
            continue
        names.append(t.gkg)
        for term in t.terms:
            if term.startswith("cameo:"):
                continue
            pos = _term_offset(low, term)
            while pos >= 0:
                enhanced.append((pos, t.gkg))
                pos = _term_offset(low, term, pos + len(term))
    v1 = "".join(f"{n};" for n in dict.fromkeys(names))
    v2 = "".join(f"{n},{pos};" for pos, n in sorted(set(enhanced)))
    return v1, v2


def _gkg_locations(r: ArticleResult) -> tuple[str, str]:
    v1: dict[str, None] = {}
    v2 = []
    for p in r.places:
        g = _geo_fields(p)
        if not g[0]:
            continue
        v1["#".join([g[0], g[1], g[2], g[3], g[5], g[6], g[7]]) + ";"] = None
        v2.append("#".join(g) + f"#{p.start};")
    return "".join(v1), "".join(v2)


#: Lower-case particles inside personal names ("Bashar al-Assad", "Ursula von der Leyen").
_PARTICLES = {"al", "bin", "ibn", "de", "da", "di", "del", "der", "van", "von", "la", "le", "du", "el",
              "y"}
#: First-person pronouns: GDELT's Self/Group Reference Density counts them.
_SELF = {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"}


def _proper_name(text: str) -> bool:
    """A name rather than a description: every word capitalised or a name particle."""
    words = text.replace("’s", "").replace("'s", "").split()
    return bool(words) and all(
        any(ch.isupper() for ch in w) or w.split("-")[0].lower() in _PARTICLES for w in words
    )


def _gkg_names(r: ArticleResult, kinds: set[str] | None) -> tuple[str, str]:
    seen: dict[str, None] = {}
    enhanced: dict[tuple[int, str], None] = {}
    for m in r.mentions:
        if kinds is not None and m.kind not in kinds:
            continue
        name = _clean(m.text, ",;#")
        if name and _proper_name(name):
            seen[name] = None
            enhanced[(m.start, name)] = None
    if kinds is None:  # V2.1ALLNAMES: place names too
        for p in r.places:
            name = _clean(p.text, ",;#")
            if name and _proper_name(name):
                enhanced[(p.start, name)] = None
    ordered = sorted(enhanced)
    return "".join(f"{n};" for n in seen), "".join(f"{n},{o};" for o, n in ordered)


def _gkg_tone(r: ArticleResult) -> str:
    t = r.features.tone
    words = re.findall(r"\w+", r.article.text)
    n = max(len(words), 1)
    pronouns = sum(1 for w in words if w.lower() in _SELF)
    pos, neg = (100 * t.positive, 100 * t.negative) if t else (0.0, 0.0)
    # Activity Reference Density (GDELT's share of "active" words) needs GDELT's own word list:
    # we leave it 0 rather than invent one.
    return ",".join([_num(pos - neg), _num(pos), _num(neg), _num(pos + neg), "0",
                     _num(100 * pronouns / n), str(len(words))])


def _gkg_dates(r: ArticleResult) -> str:
    out = []
    for d in r.dates:
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", d.value or "")
        if d.type != "DATE" or not m:
            continue
        year, month, day = m.group(1), m.group(2) or "0", m.group(3) or "0"
        res = 4 if m.group(3) else 2 if m.group(2) else 1
        out.append(f"{res}#{int(month)}#{int(day)}#{int(year)}#{d.start};")
    return "".join(out)


def _gkg_quotes(r: ArticleResult) -> str:
    # GDELT's quotations are direct quotes; reported speech stays in our own quotes table
    return "".join(
        f"{q.start}|{q.end - q.start}|{_clean(q.cue, '|#')}|{_clean(q.text, '|#')}#"
        for q in r.quotes if q.direct
    )


def _gkg_amounts(r: ArticleResult) -> str:
    items = [(a.start, _num(a.value, 2), _clean(" ".join(x for x in (a.unit, a.object) if x), ",;"))
             for a in r.features.amounts]
    items += [(c.start, str(c.number), _clean(c.object or c.kind, ",;")) for c in r.features.counts]
    return "".join(f"{v},{o},{s};" for s, v, o in sorted(items))


def gkg_row(r: ArticleResult) -> list[str]:
    """The 27 GKG 2.1 fields of one article."""
    art = r.article
    stamp = _stamp(art.published) or "00000000000000"
    counts_v1, counts_v2 = _gkg_counts(r)
    themes_v1, themes_v2 = _gkg_themes(r)
    locs_v1, locs_v2 = _gkg_locations(r)
    persons_v1, persons_v2 = _gkg_names(r, _PERSON_KINDS)
    orgs_v1, orgs_v2 = _gkg_names(r, _ORG_KINDS)
    _, all_names = _gkg_names(r, None)
    words = len(re.findall(r"\w+", art.text))
    title = _clean(art.title).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    extras = f"<PAGE_TITLE>{title}</PAGE_TITLE>" if title else ""
    return [
        f"{stamp}-{global_event_id(art.id)}", stamp, "1" if art.url else "2",
        _clean(art.source or (urlparse(art.url).netloc if art.url else "")),
        _clean(art.url or art.id), counts_v1, counts_v2, themes_v1, themes_v2, locs_v1, locs_v2,
        persons_v1, persons_v2, orgs_v1, orgs_v2, _gkg_tone(r), _gkg_dates(r), f"wc:{words}",
        "", "", "", "", _gkg_quotes(r), all_names, _gkg_amounts(r), "", extras,
    ]


def gkg_rows(results: Iterable[ArticleResult]) -> Iterator[list[str]]:
    """One 27-column GKG 2.1 row per article."""
    for r in results:
        yield gkg_row(r)
