"""GDELT-compatible exports: Events 2.0 (61 columns), Mentions 2.0 (16) and GKG 2.1 (27).

Tab-separated, no header, one record a line, codes as strings with their leading zeros, so tools
written for GDELT's files read ours. Column lists follow GDELT's Event Codebook V2.0 and GKG
Codebook V2.1; docs/gdelt.md maps each column to our records and lists what we fill differently.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping, Sequence
from urllib.parse import urlparse

from newsevents.errors import InputError
from newsevents.records import ActorRef, ArticleResult, Event, Place

__all__ = [
    "EVENTS_COLUMNS", "MENTIONS_COLUMNS", "GKG_COLUMNS", "event_rows", "mention_rows",
    "write_tsv", "read_tsv", "global_event_id", "fips_country", "cameo_country",
]

_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")

EVENTS_COLUMNS: list[str] = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + [f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in _GEO]
    + ["DATEADDED", "SOURCEURL"]
)
MENTIONS_COLUMNS: list[str] = [
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
]
GKG_COLUMNS: list[str] = [
    "GKGRECORDID", "V2.1DATE", "V2SOURCECOLLECTIONIDENTIFIER", "V2SOURCECOMMONNAME",
    "V2DOCUMENTIDENTIFIER", "V1COUNTS", "V2.1COUNTS", "V1THEMES", "V2ENHANCEDTHEMES", "V1LOCATIONS",
    "V2ENHANCEDLOCATIONS", "V1PERSONS", "V2ENHANCEDPERSONS", "V1ORGANIZATIONS",
    "V2ENHANCEDORGANIZATIONS", "V1.5TONE", "V2.1ENHANCEDDATES", "V2GCAM", "V2.1SHARINGIMAGE",
    "V2.1RELATEDIMAGES", "V2.1SOCIALIMAGEEMBEDS", "V2.1SOCIALVIDEOEMBEDS", "V2.1QUOTATIONS",
    "V2.1ALLNAMES", "V2.1AMOUNTS", "V2.1TRANSLATIONINFO", "V2EXTRASXML",
]

# ----------------------------------------------------------------------------------- lookups
@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str, str, str]]:
    """ISO3 -> (ISO2, FIPS 10-4, CAMEO, name) from data/gdelt_countries.tsv."""
    text = resources.files("newsevents.export").joinpath("data", "gdelt_countries.tsv").read_text("utf-8")
    out = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        iso3, iso2, fips, cameo, name = (p.strip() for p in line.split("\t"))
        out[iso3] = (iso2, fips, cameo, name)
    return out


def fips_country(iso3: str | None) -> str:
    """FIPS 10-4 country code (GDELT's geo country code) of an ISO3 code; "" when unknown."""
    return _countries().get(iso3 or "", ("", "", "", ""))[1]


def cameo_country(iso3: str | None) -> str:
    """CAMEO country code (GDELT's actor country code): ISO3 with CAMEO's few exceptions."""
    if not iso3:
        return ""
    return _countries().get(iso3, ("", "", iso3, ""))[2]


def global_event_id(key: str) -> int:
    """Stable GLOBALEVENTID: the first 53 bits of BLAKE2b(key), exact in a float64 reader too."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big") >> 11


#: An admin1 given as a code ("13", "NY") rather than a name.
_CODE = re.compile(r"[0-9A-Z]{1,3}")


def _adm1_code(iso3: str | None, admin1: str | None) -> str:
    """GDELT ADM1Code: FIPS country + the GeoNames admin1 code (which is FIPS-based) of ``admin1``."""
    fips = fips_country(iso3)
    if not fips or not admin1:
        return fips
    if _CODE.fullmatch(admin1):
        return fips + admin1
    try:  # the geo stage's gazetteer knows admin1 names; optional (absent in bare installs)
        from newsevents.places.index import gazetteer

        iso2 = _countries()[iso3 or ""][0]
        for key, name in gazetteer().admin1_names.items():
            cc, _, code = key.partition(".")
            if cc == iso2 and name == admin1:
                return fips + code
    except Exception:  # noqa: BLE001 - a missing gazetteer only costs the admin1 suffix
        pass
    return fips


# ------------------------------------------------------------------------------------ values
def _clean(value: object, extra: str = "") -> str:
    """A field value without tabs / newlines (and without the sub-field delimiters in ``extra``)."""
    text = "" if value is None else str(value)
    text = re.sub(r"[\t\r\n]+", " ", text)
    for ch in extra:
        text = text.replace(ch, " ")
    return text.strip()


def _num(x: float | None, digits: int = 4) -> str:
    if x is None:
        return ""
    if x == int(x):
        return str(int(x))
    return f"{round(float(x), digits):.{digits}f}".rstrip("0").rstrip(".")


def _stamp(when: _dt.datetime | _dt.date | None) -> str:
    if when is None:
        return ""
    if not isinstance(when, _dt.datetime):
        when = _dt.datetime(when.year, when.month, when.day)
    if when.tzinfo is not None:
        when = when.astimezone(_dt.timezone.utc)
    return when.strftime("%Y%m%d%H%M%S")


def _event_day(ev: Event, r: ArticleResult) -> _dt.date | None:
    """The event date at day precision; publication date when the text does not give one.

    A month- or year-precision date takes the publication day when it falls in that month/year
    (the usual case: "this month"), otherwise the first day of the period.
    """
    pub = r.article.published_date
    value = ev.date.value if ev.date else None
    if value:
        parts = value.split("-")
        try:
            if len(parts) >= 3 and parts[2][:2].isdigit():
                return _dt.date(int(parts[0]), int(parts[1]), int(parts[2][:2]))
            if len(parts) == 2 and parts[1].isdigit():
                y, m = int(parts[0]), int(parts[1])
                return pub if pub and (pub.year, pub.month) == (y, m) else _dt.date(y, m, 1)
            if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) == 4:
                y = int(parts[0])
                return pub if pub and pub.year == y else _dt.date(y, 1, 1)
        except ValueError:
            pass
    return pub


def _fraction_date(day: _dt.date) -> str:
    """YYYY.FFFF with FFFF = ((month - 1) * 30 + day) / 365: the year's share completed, in the
    codebook's 0..0.9999 range (a "month * 30" numerator would pass 1.0 in December)."""
    return f"{day.year + ((day.month - 1) * 30 + day.day) / 365:.4f}"


def avg_tone(r: ArticleResult) -> float:
    """GDELT-scaled tone: 100 x (positive - negative) shares, in -100..+100 (0 when unknown)."""
    t = r.features.tone
    return round(100.0 * (t.positive - t.negative), 4) if t else 0.0


# --------------------------------------------------------------------------------------- geo
def _geo_type(p: Place) -> str:
    feat = p.feature or p.precision or ""
    us = p.country == "USA"
    if feat == "country":
        return "1"
    if feat == "admin1":
        return "2" if us else "5"
    if feat in ("city", "capital", "point", "town", "village", "ppl"):
        return "3" if us else "4"
    return ""  # regions / continents have no GDELT geo type


def _full_name(p: Place) -> str:
    name = p.name or p.text
    country = _countries().get(p.country or "", ("", "", "", ""))[3]
    parts = [name]
    if p.admin1 and p.admin1 != name and p.feature not in ("country", "admin1") and not _CODE.fullmatch(
        p.admin1
    ):
        parts.append(p.admin1)
    if country and country != name:
        parts.append(country)
    return ", ".join(parts)


def _geo_fields(p: Place | None) -> list[str]:
    if p is None or not p.resolved or not _geo_type(p):
        return [""] * 8
    adm1 = _adm1_code(p.country, p.admin1 if p.feature != "country" else None)
    if p.gazetteer_id and p.gazetteer_id.startswith("geonames:") and p.feature != "country":
        feature_id = p.gazetteer_id.split(":", 1)[1]
    else:  # GDELT uses the country / ADM1 code as the feature id of country / ADM1 matches
        feature_id = adm1 or fips_country(p.country)
    return [_geo_type(p), _clean(_full_name(p), "#;"), fips_country(p.country), adm1, "",
            _num(p.lat), _num(p.lon), feature_id]


def _nearest_place(r: ArticleResult, ref: ActorRef | None, sentence: int) -> Place | None:
    """The resolved place mentioned nearest the actor's mention, in the same sentence."""
    if ref is None or ref.start is None:
        return None
    places = [p for p in r.places if p.resolved and p.sentence == sentence and _geo_type(p)]
    if not places:
        return None
    return min(places, key=lambda p: abs(p.start - ref.start))  # type: ignore[operator]


# ------------------------------------------------------------------------------------ events
def _actor_fields(ref: ActorRef | None) -> list[str]:
    if ref is None:
        return [""] * 10
    code = (ref.code or "").upper()
    group = code[3:6] if code[:3] in ("IGO", "NGO", "IMG", "MNC") and len(code) >= 6 else ""
    types = [(ref.sector or "")] + [code[i:i + 3] for i in (6, 9) if len(code) >= i + 3]
    types += [""] * (3 - len(types))
    return [code, _clean(ref.name or ref.text).upper(), cameo_country(ref.country), group, "", "", "",
            *types[:3]]


def _is_root(r: ArticleResult, ev: Event) -> str:
    """1 when the event sits in the lead paragraph (GDELT's IsRootEvent)."""
    text = r.article.text
    first_break = text.find("\n", max(0, len(text) - len(text.lstrip())))
    lead_end = first_break if first_break > 0 else len(text)
    return "1" if ev.sentence_start < lead_end or ev.sentence == 0 else "0"


def _cluster_day(c: Mapping[str, Any]) -> _dt.date | None:
    value = c.get("date")
    if isinstance(value, str) and len(value) >= 10:
        try:
            return _dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _cluster(ev: Event, clusters: Mapping[str, dict] | None) -> dict:
    c = (clusters or {}).get(ev.id)
    if c is None:
        return {"cluster_id": ev.id, "num_mentions": 1, "num_sources": 1, "num_articles": 1}
    return c


def event_rows(
    results: Iterable[ArticleResult], clusters: Mapping[str, dict] | None = None,
    added: _dt.datetime | None = None,
) -> Iterator[list[str]]:
    """One 61-column row per event (per cluster when ``clusters`` maps event id -> cluster)."""
    seen: set[str] = set()
    for r in results:
        tone = _num(avg_tone(r))
        for ev in r.events:
            c = _cluster(ev, clusters)
            key = str(c["cluster_id"])
            if key in seen:
                continue
            seen.add(key)
            # one date per cluster, the one `newsevents stories` shows (fusion's cluster date)
            day = _cluster_day(c) or _event_day(ev, r)
            src = ev.source[0] if ev.source else None
            tgt = ev.target[0] if ev.target else None
            code = ev.cameo_code
            row = [
                str(global_event_id(key)),
                day.strftime("%Y%m%d") if day else "", day.strftime("%Y%m") if day else "",
                str(day.year) if day else "",
                _fraction_date(day) if day else "",
                *_actor_fields(src), *_actor_fields(tgt),
                _is_root(r, ev), code, code[:3], ev.cameo_root or code[:2], str(ev.quad_class),
                _num(ev.goldstein, 1), str(c["num_mentions"]), str(c["num_sources"]),
                str(c["num_articles"]), tone,
                *_geo_fields(_nearest_place(r, src, ev.sentence)),
                *_geo_fields(_nearest_place(r, tgt, ev.sentence)),
                *_geo_fields(ev.place),
                _stamp(added or r.article.published), _clean(r.article.url or r.article.id),
            ]
            yield row


def _offset(ref: ActorRef | None) -> str:
    return str(ref.start) if ref is not None and ref.start is not None else "-1"


def mention_rows(
    results: Iterable[ArticleResult], clusters: Mapping[str, dict] | None = None,
    added: _dt.datetime | None = None,
) -> Iterator[list[str]]:
    """One 16-column row per event mention; mentions of one cluster share its GLOBALEVENTID."""
    results = list(results)
    first_seen: dict[str, str] = {}
    for r in results:  # EventTimeDate is when the event (cluster) was first added
        for ev in r.events:
            key = str(_cluster(ev, clusters)["cluster_id"])
            stamp = _stamp(added or r.article.published)
            if key not in first_seen or (stamp and stamp < first_seen[key]):
                first_seen[key] = stamp
    for r in results:
        art = r.article
        source = art.source or (urlparse(art.url).netloc if art.url else "")
        for ev in r.events:
            key = str(_cluster(ev, clusters)["cluster_id"])
            src = ev.source[0] if ev.source else None
            tgt = ev.target[0] if ev.target else None
            in_raw = all(ref is None or ref.start is not None for ref in (src, tgt))
            yield [
                str(global_event_id(key)), first_seen[key], _stamp(added or art.published),
                "1" if art.url else "2", _clean(source), _clean(art.url or art.id),
                str(ev.sentence + 1), _offset(src), _offset(tgt), str(ev.trigger_start),
                "1" if in_raw else "0", str(int(round(100 * ev.confidence))), str(len(art.text)),
                _num(avg_tone(r)), "", "",
            ]


# ---------------------------------------------------------------------------------------- io
def write_tsv(rows: Iterable[Sequence[str]], path_or_file: str | Path | IO[str]) -> int:
    """Write rows tab-separated with no header; returns the number of rows written."""
    own = isinstance(path_or_file, (str, Path))
    if own:
        fh: IO[str] = open(path_or_file, "w", encoding="utf-8", newline="")  # type: ignore[arg-type]
    else:
        fh = path_or_file  # type: ignore[assignment]
    n = 0
    try:
        for row in rows:
            fh.write("\t".join(_clean(v) if ("\t" in str(v) or "\n" in str(v)) else str(v) for v in row))
            fh.write("\n")
            n += 1
    finally:
        if own:
            fh.close()
    return n


def read_tsv(path: str | Path | IO[str], columns: Sequence[str]) -> list[dict[str, str]]:
    """Read a GDELT TSV back as dicts keyed by ``columns``; every line must have them all."""
    own = isinstance(path, (str, Path))
    fh = open(path, encoding="utf-8", newline="") if own else path  # type: ignore[arg-type]
    rows = []
    try:
        for i, line in enumerate(fh, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line:
                continue
            parts = line.split("\t")
            if len(parts) != len(columns):
                raise InputError(str(path), "bad_columns",
                                 f"line {i} has {len(parts)} fields, expected {len(columns)}")
            rows.append(dict(zip(columns, parts)))
    finally:
        if own:
            fh.close()
    return rows
