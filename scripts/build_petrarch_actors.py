#!/usr/bin/env python3
"""Convert PETRARCH2's actor dictionaries into newsevents' actor tables (dated roles kept).

Source: https://github.com/openeventdata/petrarch2, commit 676801cd9cb2924bbbad09f86d15c9323e7097bf
(2019-03-18), files ``petrarch2/data/dictionaries/Phoenix.Countries.actors.txt`` (built by the
Computational Event Data System project from CountryInfo.140130.txt),
``Phoenix.International.actors.txt`` and ``Phoenix.MilNonState.actors.txt``.
Licence: MIT, Copyright (c) 2014 Open Event Data Alliance (the notice is repeated in the output
files' headers and in actors/data/README.md).

Only the *data* is read (names, codes, date restrictions); no PETRARCH code is used. The TABARI
actor format: a primary phrase line (words joined by ``_``, optional ``[CODE]``), synonym lines
starting with ``+``, and tab-indented restriction lines ``[CODE]``, ``[CODE >date]`` (from),
``[CODE <date]`` (until) or ``[CODE date-date]``; dates are YYYYMMDD or YYMMDD, two-digit years
00-30 meaning 20YY and the others 19YY (the KEDS/TABARI convention), limits inclusive.

Writes (TSV, UTF-8, ``#`` comments):

- ``actors_people_petrarch.tsv``: one row per dated role, the columns of actors_leaders.tsv
  (name, aliases, organisation, title, sector, start, end, note). Aliases on the first row of a
  person only. Names that denote people of different countries are left out (ambiguous), as are
  people our own actors_leaders.tsv already lists (ours is kept up to date, PETRARCH's ends 2014).
- ``actors_names.tsv``: named organisations and institutions looked up by their whole name
  (IGOs, NGOs, companies, media, armed groups, ministries): names, code, country, sector, kind.
- ``actors_regions.tsv``: place names PETRARCH codes as their country (states, provinces, cities,
  regions, and misspellings of the country's name): name, ISO3, kind (place | country). Names that PETRARCH gives to two countries are left out.

Usage: python scripts/build_petrarch_actors.py PETRARCH_DICT_DIR src/newsevents/actors/data \
    src/newsevents/actors/data/actors_leaders.tsv
(``git show 676801c:petrarch2/data/dictionaries/<file>`` from a clone gives the inputs).
"""
from __future__ import annotations

import difflib
import re
import sys
from collections import defaultdict
from pathlib import Path

COMMIT = "676801cd9cb2924bbbad09f86d15c9323e7097bf"
REPO = "https://github.com/openeventdata/petrarch2"
FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
         "Phoenix.MilNonState.actors.txt")
HEADER = f"""# Converted by scripts/build_petrarch_actors.py from {REPO} (commit {COMMIT[:12]},
# petrarch2/data/dictionaries/{{src}}). MIT License, Copyright (c) 2014 Open Event Data Alliance:
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
# associated documentation files (the "Software"), to deal in the Software without restriction,
# including without limitation the rights to use, copy, modify, merge, publish, distribute,
# sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
# furnished to do so, subject to the following conditions: The above copyright notice and this
# permission notice shall be included in all copies or substantial portions of the Software.
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.
"""

#: CAMEO primary sectors newsevents uses (a PETRARCH code's first one names a person's sector,
#: the last one an institution's: USAGOVLEG -> LEG for Congress).
SECTORS = {"GOV", "MIL", "COP", "REB", "OPP", "CVL", "MED", "BUS", "JUD", "LEG", "REF", "EDU",
           "HLH", "LAB", "REL", "CRM", "ELI", "SPY", "UAF", "PTY", "INS", "AGR", "DEV", "HRI",
           "ENV"}
#: Secondary codes that map onto our sectors.
SECTOR_ALIASES = {"AGR": "BUS", "DEV": "GOV", "HRI": "GOV", "ENV": "GOV", "INS": "REB"}
_WORD = re.compile(r"[A-Za-z0-9]+")
_BRACKET = re.compile(r"\[([^\]]*)\]")
_PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "da", "di", "del", "van", "von", "der", "den",
              "la", "le", "du", "abu", "of", "the", "and", "for", "on", "in"}
#: Words that make a synonym a description rather than a name ("SENATOR_MCCAIN", "AMBASSADOR_X").
_TITLE_WORDS = set("""president vice prime minister foreign defence defense secretary senator
ambassador amb general gen colonel col king queen prince princess emir sheikh sultan chancellor
premier governor mayor minister's leader chief chairman commander judge justice rep representative
congressman congresswoman speaker pope cardinal archbishop bishop ayatollah mullah imam dr mr mrs
ms sir lord lady former the deputy assistant under state interior finance party director head
spokesman spokeswoman official officials lieutenant lt major maj captain capt admiral marshal
sergeant commissioner envoy special mp mps senior junior attorney""".split())


def parse_date(s: str) -> str:
    """YYMMDD or YYYYMMDD -> YYYY-MM-DD (00-30 -> 20YY, else 19YY)."""
    s = s.strip()
    if len(s) <= 7:
        s = s.zfill(6)
        yy = int(s[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        s = f"{year}{s[2:6]}"
    return f"{s[:4]}-{s[4:6]}-{s[6:8]}"


def parse_code(raw: str) -> tuple[str, str | None, str | None] | None:
    """'SYRGOV >000717' -> ('SYRGOV', '2000-07-17', None)."""
    parts = raw.split()
    if not parts or not re.fullmatch(r"[A-Z0-9]{3,}", parts[0]):
        return None
    code = parts[0]
    start = end = None
    if len(parts) > 1:
        d = "".join(parts[1:])
        try:
            if d.startswith(">"):
                start = parse_date(d[1:])
            elif d.startswith("<"):
                end = parse_date(d[1:])
            elif "-" in d:
                a, b = d.split("-", 1)
                start, end = parse_date(a), parse_date(b)
        except ValueError:
            return None
    return code, start, end


def phrase(raw: str) -> str:
    """'BASHAR_AL_ASSAD_' -> 'Bashar al Assad' (display form; lookups normalise again)."""
    words = [w for w in raw.replace("_", " ").split() if w]
    out = []
    for i, w in enumerate(words):
        lw = w.lower()
        if i and lw in _PARTICLES:
            out.append(lw)
        elif re.fullmatch(r"[A-Z]\.?", w) or (w.isupper() and len(w) <= 4 and not
                                              re.search(r"[AEIOU]", w[1:])):
            out.append(w)  # initials and acronyms: "W.", "UNHCR"-like short forms
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def read_entries(text: str) -> list[dict]:
    """TABARI records: {'names': [...], 'codes': [(code, start, end)], 'comment': str}."""
    entries: list[dict] = []
    cur: dict | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        body, _, comment = line.partition("#")
        codes = [c for c in (parse_code(b) for b in _BRACKET.findall(body)) if c]
        name = _BRACKET.sub("", body).strip()
        if line.startswith(("\t", " ")) and not name.startswith("+"):
            if cur is not None:
                cur["codes"].extend(codes)
            continue
        if name.startswith("+"):
            if cur is not None and name[1:].strip("_ "):
                cur["names"].append(name[1:].strip())
                cur["codes"].extend(codes)
            continue
        cur = {"names": [name], "codes": list(codes), "comment": comment.strip()}
        entries.append(cur)
    return entries


def split_code(code: str) -> tuple[str, list[str]]:
    """'IGOUNOHLHWHO' -> ('IGOUNO', ['HLH', 'WHO']); 'USAGOVLEG' -> ('USA', ['GOV', 'LEG'])."""
    if code.startswith(("IGO", "NGO", "IMG", "MNC")):
        base, rest = code[:3], code[3:]
        if code.startswith("IGO") and len(code) >= 6:
            base, rest = code[:6], code[6:]
        return base, [rest[i:i + 3] for i in range(0, len(rest), 3)]
    return code[:3], [code[i:i + 3] for i in range(3, len(code), 3)]


def sector_of(parts: list[str], last: bool, aliases: bool = True) -> str | None:
    """A person's sector is the first of their code's (RUSGOVDEV: GOV, a minister), an
    institution's the last (USAGOVLEG: LEG, Congress); ``aliases`` maps the secondary ones (DEV,
    HRI, AGR...) onto ours, for people only (an NGO "DEV" is no government)."""
    known = [SECTOR_ALIASES.get(p, p) if aliases else p for p in parts if p in SECTORS
             and (aliases or p not in SECTOR_ALIASES)]
    if not known:
        return None
    return known[-1] if last else known[0]


def name_key(s: str) -> str:
    return " ".join(_WORD.findall(s.lower()))


def alias_form(raw: str) -> str | None:
    """A synonym without leading title words; None when nothing name-like is left."""
    words = [w for w in raw.replace("_", " ").split() if w]
    while words and words[0].lower().strip(".") in _TITLE_WORDS:
        words = words[1:]
    if not words or any(w.lower().strip(".") in _TITLE_WORDS for w in words):
        return None
    return phrase("_".join(words))


def convert(src: Path, out: Path, ours: Path | None = None,
            files: tuple[str, str, str] = FILES) -> dict[str, int]:
    """Read the three dictionaries (countries, international, non-state) from ``src`` and write
    the three tables into ``out``; ``ours``: actors_leaders.tsv, whose people are skipped."""
    iso = set()
    texts = {f: (src / f).read_text(encoding="utf-8", errors="replace") for f in files}
    ents = {f: read_entries(t) for f, t in texts.items()}
    countries_file = files[0]
    for e in ents[countries_file]:
        if len(e["codes"]) == 1 and re.fullmatch(r"[A-Z]{3}", e["codes"][0][0]) and \
                e["codes"][0][1] is None and e["codes"][0][2] is None and len(e["names"]) > 1:
            iso.add(e["codes"][0][0])
    known_people: set[str] = set()
    if ours is not None and ours.exists():
        for line in ours.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                f = line.split("\t")
                known_people.add(name_key(f[0]))
                known_people.update(name_key(a) for a in f[1].split("|") if a)

    people: dict[str, dict] = {}  # key -> {name, aliases, roles, countries, src}
    names: list[tuple[list[str], str, str, str, str, str]] = []
    regions: dict[str, set[str]] = defaultdict(set)
    variants: set[str] = set()
    region_names: dict[str, str] = {}
    for fname, entries in ents.items():
        for e in entries:
            codes = [c for c in e["codes"] if c[0] not in ("---",)]
            if not codes:
                continue
            primary = phrase(e["names"][0])
            dated = [c for c in codes if c[1] or c[2]]
            # a country: its synonyms are places PETRARCH codes as the country
            if fname == countries_file and not dated and \
                    all(re.fullmatch(r"[A-Z]{3}", c[0]) or (re.fullmatch(r"[A-Z]{6}", c[0])
                        and c[0][3:] not in SECTORS) for c in codes) and \
                    len({c[0][:3] for c in codes}) == 1:
                own = name_key(phrase(e["names"][0]))
                for n in e["names"]:
                    p = phrase(n.strip("_ "))
                    k = name_key(p)
                    if len(k) >= 3 and "(" not in n:
                        regions[k].add(codes[0][0][:3])
                        region_names.setdefault(k, p)
                        # a misspelling of the country's own name ("Ethopia") names the state
                        if len(codes[0][0]) == 3 and \
                                difflib.SequenceMatcher(None, k, own).ratio() >= 0.8:
                            variants.add(k)
                continue
            is_person = bool(dated) or "CountryInfo" in e["comment"] or \
                "rulers" in e["comment"].lower()
            if is_person:
                key = name_key(primary)
                if len(key.split()) < 2:
                    continue
                rec = people.setdefault(key, {"name": primary, "aliases": [], "roles": [],
                                              "src": fname})
                for n in e["names"][1:]:
                    a = alias_form(n)
                    if a and name_key(a) != key and a not in rec["aliases"]:
                        rec["aliases"].append(a)
                defaults = [c for c in codes if not (c[1] or c[2])]
                for code, start, end in dated or defaults[:1]:
                    base, parts = split_code(code)
                    if base in ("ELI",):  # "[ELI]": an elite of the dated role's organisation
                        if not dated:
                            continue
                        base, parts = split_code(dated[0][0])[0], ["ELI"]
                    sector = sector_of(parts, last=False) or ("GOV" if base[:3] == "IGO" else None)
                    if sector is None:
                        sector = "ELI" if len(base) == 3 else "GOV"
                    title = ""
                    c = e["comment"]
                    if re.fullmatch(r"[A-Za-z .,'-]{3,40}", c or "") and ".txt" not in c \
                            and len(c.split()) <= 5 and len(dated) == 1:
                        title = c.strip(" .").lower()
                    rec["roles"].append((base, title, sector, start, end))
                continue
            # an organisation / institution known by name
            code = codes[0][0]
            base, parts = split_code(code)
            if base == "MNC":
                country = parts[0] if parts and parts[0] in iso else ""
                kind, org, sector = "company", "", "BUS"
                sec2 = sector_of(parts[1:] if country else parts, True, False)
                if sec2 == "MED":
                    kind, sector = "media", "MED"
            elif base == "NGO":
                kind, org, country, sector = "ngo", "NGO", "", sector_of(parts, True, False) or ""
            elif base.startswith("IGO"):
                kind, org, country, sector = "igo", base, "", sector_of(parts, True, False) or ""
            elif base == "IMG":
                kind, org, country, sector = "armed_group", "IMG", "", "REB"
            elif base in iso:
                sector = sector_of(parts, True, False) or ""
                kind = {"REB": "armed_group", "MED": "media", "BUS": "company", "PTY": "party",
                        "OPP": "party", "MIL": "organisation"}.get(sector, "organisation")
                org, country = "", base
                if sector in ("REB", "INS") and len(parts) > 1:
                    org = ""  # PSEREBHMS: Hamas is PSE + REB, the group code is PETRARCH's own
            else:
                continue
            ns = []
            for n in e["names"]:
                p = phrase(n.strip("_ "))
                if len(name_key(p)) >= 2 and p not in ns:
                    ns.append(p)
            if ns:
                names.append((ns, org, country, sector, kind, fname))

    # ambiguity: the same name key for people of different countries -> dropped
    by_alias: dict[str, set[str]] = defaultdict(set)
    for key, rec in people.items():
        for a in [rec["name"], *rec["aliases"]]:
            by_alias[name_key(a)].add(key)
    stats = {"people": 0, "roles": 0, "names": 0, "regions": 0, "skipped_ambiguous": 0,
             "skipped_ours": 0}
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "actors_people_petrarch.tsv", "w", encoding="utf-8") as fh:
        fh.write(HEADER.format(src="Phoenix.Countries.actors.txt, Phoenix.International.actors.txt"))
        fh.write("# name\taliases\torganisation\ttitle\tsector\tstart\tend\tnote\n")
        for key, rec in sorted(people.items()):
            if key in known_people:
                stats["skipped_ours"] += 1
                continue
            orgs = {r[0][:3] for r in rec["roles"] if r[0][:3] not in ("IGO",)}
            if len(orgs) > 1 and all(r[3] is None and r[4] is None for r in rec["roles"]):
                stats["skipped_ambiguous"] += 1
                continue
            aliases = [a for a in rec["aliases"] if len(by_alias[name_key(a)]) == 1
                       and name_key(a) not in known_people]
            roles = sorted(set(rec["roles"]), key=lambda r: (r[3] or "", r[4] or ""))
            if not roles:
                continue
            stats["people"] += 1
            for i, (org, title, sector, start, end) in enumerate(roles):
                fh.write("\t".join([rec["name"], "|".join(aliases) if i == 0 else "", org, title,
                                    sector, start or "", end or "", "petrarch2"]) + "\n")
                stats["roles"] += 1
    seen: set[str] = set()
    with open(out / "actors_names.tsv", "w", encoding="utf-8") as fh:
        fh.write(HEADER.format(src="Phoenix.International.actors.txt, Phoenix.MilNonState.actors.txt, "
                               "Phoenix.Countries.actors.txt"))
        fh.write("# names\tcode\tcountry\tsector\tkind\tsource file\n")
        for ns, org, country, sector, kind, srcname in names:
            ns = [n for n in ns if name_key(n) not in seen]
            if not ns:
                continue
            seen.update(name_key(n) for n in ns)
            fh.write("\t".join(["|".join(ns), org, country, sector, kind, srcname]) + "\n")
            stats["names"] += 1
    with open(out / "actors_regions.tsv", "w", encoding="utf-8") as fh:
        fh.write(HEADER.format(src="Phoenix.Countries.actors.txt"))
        fh.write("# place name (a synonym PETRARCH codes as its country)\tISO3\tkind (place, or "
                 "country: a spelling of the country's name)\n")
        for k in sorted(regions):
            if len(regions[k]) != 1:
                stats["skipped_ambiguous"] += 1
                continue
            kind = "country" if k in variants else "place"
            fh.write(f"{region_names[k]}\t{next(iter(regions[k]))}\t{kind}\n")
            stats["regions"] += 1
    return stats


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ours = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    print(convert(Path(sys.argv[1]), Path(sys.argv[2]), ours))
