"""Actor dictionaries (countries, organisations, agents, dated leaders) and phrase matching.

Data lives in ``newsevents/actors/data/actors_*.tsv`` (sources in actors/data/README.md). Names are
tokenised once with the spaCy tokenizer so that lexicon keys line up with parsed tokens
("al-Qaeda" -> al - Qaeda, "Syria's" -> Syria 's).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Iterator, Sequence

from spacy.tokens import Token

_PLAIN = re.compile(r"[A-Za-z]+( [A-Za-z]+)*")
#: The longest lexicon phrase, in tokens; bounds the matcher's look-ahead.
MAX_LEN = 9


@dataclass(frozen=True)
class Entry:
    """One lexicon sense of a phrase."""

    name: str  # canonical name
    kind: str  # ActorMention kind
    basis: str  # country | demonym | people | metonymy | org-list | agent
    country: str | None  # ISO3
    code: str | None  # full base code for organisations (IGOUNO, PSEREB); None for states
    sector: str | None
    use: str = "both"  # agents only: head | mod | both
    pop: int = 0  # cities only: population (ambiguity guard, see actors.phrase.matches_in)


@dataclass(frozen=True)
class Leader:
    name: str
    aliases: tuple[str, ...]
    organisation: str  # ISO3 or IGO code
    title: str
    sector: str
    start: str | None
    end: str | None
    source: str = "leaders"  # leaders (actors_leaders.tsv) | petrarch2 (actors_people_petrarch.tsv)


@dataclass(frozen=True)
class Match:
    start: int  # token index (doc level)
    end: int
    entry: Entry


_WORDS = re.compile(r"[a-z0-9]+")


def name_key(text: str) -> str:
    """Lookup key of a name: folded, lower-case, words only, no leading article ("The
    Pentagon" = "pentagon"; "Bashar al-Assad" = "bashar al assad")."""
    words = _WORDS.findall(fold(text).lower())
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def fold(text: str) -> str:
    """Case-preserving normalisation: strip accents, straighten quotes."""
    if text.isascii():
        return text
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _rows(name: str) -> Iterator[list[str]]:
    raw = files("newsevents.actors").joinpath("data", name).read_text(encoding="utf-8")
    for line in raw.split("\n"):  # TSV rows end at \n only (a name may hold U+2028 or U+0085)
        line = line.rstrip("\r")
        if line.strip() and not line.startswith("#"):
            yield [f.strip() for f in line.split("\t")]


class Lexicon:
    """Phrase -> entries. ``proper`` is case-sensitive (names), ``common`` lower-cased (agents)."""

    def __init__(self) -> None:
        from newsevents import nlp

        self._tok = nlp.load().tokenizer
        self.proper: dict[tuple[str, ...], Entry] = {}
        self.common: dict[tuple[str, ...], Entry] = {}
        self._longest_proper: dict[str, int] = {}
        self._longest_common: dict[str, int] = {}
        self.country_names: dict[str, str] = {}
        self.leaders: list[Leader] = []
        self.leader_alias: dict[str, list[Leader]] = {}
        self.leaders_named: dict[str, list[Leader]] = {}
        self._people: dict[str, list[Leader]] | None = None  # name key -> PETRARCH roles (lazy)
        self._people_alias: dict[str, set[str]] | None = None
        self._names: dict[str, Entry] | None = None  # name key -> named organisation (lazy)
        self._learned: dict[str, Entry] = {}
        self._fuzzy_names: dict[str, Entry] | None = None
        self._fuzzy_list: list[str] = []
        self._fuzzy_seen: dict[tuple[str, int], Entry | None] = {}
        self._load()

    def key(self, text: str) -> tuple[str, ...]:
        text = fold(text)
        if _PLAIN.fullmatch(text):  # most names: words only, no need for the tokenizer
            return tuple(text.split())
        return tuple(t.text for t in self._tok(text) if not t.is_space)

    def _add(self, table: dict[tuple[str, ...], Entry], text: str, entry: Entry) -> None:
        k = self.key(text) if table is self.proper else tuple(x.lower() for x in self.key(text))
        if k and k not in table:  # first entry wins: files are ordered most-specific first
            table[k] = entry
            self._note(table, k)
        if table is self.proper and k and k[0] == "the" and k[1:] and k[1:] not in table:
            table[k[1:]] = entry
            self._note(table, k[1:])

    def _note(self, table: dict, k: tuple[str, ...]) -> None:
        """Longest key per first word: the matcher skips words that start no entry."""
        longest = self._longest_proper if table is self.proper else self._longest_common
        longest[k[0]] = max(longest.get(k[0], 0), len(k))

    def _load(self) -> None:
        for row in _rows("actors_orgs.tsv"):
            names, code, country, sector, kind = (row + [""] * 5)[:5]
            canon = names.split("|")[0]
            e = Entry(canon, kind, "org-list", country or None, code, sector or None)
            for n in names.split("|"):
                self._add(self.proper, n, e)
        for row in _rows("actors_countries.tsv"):
            iso, names, adjs, people, seats = (row + [""] * 5)[:5]
            canon = names.split("|")[0] if names else iso
            self.country_names[iso] = canon
            for n in filter(None, names.split("|")):
                self._add(self.proper, n, Entry(canon, "state", "country", iso, None, None))
            for n in filter(None, adjs.split("|")):
                self._add(self.proper, n, Entry(canon, "state", "demonym", iso, None, None))
            for n in filter(None, people.split("|")):
                self._add(self.proper, n, Entry(canon, "population", "people", iso, None, "CVL"))
            for n in filter(None, seats.split("|")):
                self._add(self.proper, n, Entry(canon, "state", "metonymy", iso, None, "GOV"))
        # cities after countries and seats, so "Washington" stays the US government
        for row in _rows("actors_cities.tsv"):
            self._add(self.proper, row[0],
                      Entry(row[0], "population", "city", row[1], None, "CVL", pop=int(row[2])))
        # then the places PETRARCH2 codes as their country (states, provinces, territories)
        # (a province or state beats a smaller namesake city: Ontario, Canada, not Ontario,
        # California; cities of a million or more keep their name)
        for row in _rows("actors_regions.tsv"):
            if len(row) >= 2 and row[1]:
                if row[2:3] == ["country"]:  # a misspelt state name ("Ethopia")
                    e = Entry(self.country_names.get(row[1], row[0]), "state", "country", row[1],
                              None, None)
                    self._add(self.proper, row[0], e)
                    continue
                e = Entry(row[0], "population", "region", row[1], None, "CVL")
                k = self.key(row[0])
                old = self.proper.get(k)
                if old is not None and old.basis == "city" and old.pop < 1_000_000 \
                        and old.country != e.country:
                    self.proper[k] = e
                else:
                    self._add(self.proper, row[0], e)
        for row in _rows("actors_agents.tsv"):
            term, sector, kind, use = (row + [""] * 4)[:4]
            self._add(self.common, term, Entry(term, kind, "agent", None, None, sector, use or "both"))
        for row in _rows("actors_leaders.tsv"):
            name, aliases, org, title, sector, start, end = (row + [""] * 8)[:7]
            ld = Leader(name, tuple(filter(None, aliases.split("|"))), org, title, sector,
                        start or None, end or None)
            self.leaders.append(ld)
            self.leaders_named.setdefault(ld.name, []).append(ld)
            for a in (name, *ld.aliases):
                self.leader_alias.setdefault(fold(a).lower(), []).append(ld)

    # ------------------------------------------------------------------ lazily loaded tables
    def _load_people(self) -> None:
        """Dated roles of ~18,000 office-holders from PETRARCH2's dictionaries (built by
        scripts/build_petrarch_actors.py); read on the first lookup (~0.1 s)."""
        people: dict[str, list[Leader]] = {}
        alias: dict[str, set[str]] = {}
        current: str | None = None
        for row in _rows("actors_people_petrarch.tsv"):
            name, aliases, org, title, sector, start, end = (row + [""] * 8)[:7]
            k = name_key(name)
            ld = Leader(name, tuple(filter(None, aliases.split("|"))), org, title, sector,
                        start or None, end or None, "petrarch2")
            people.setdefault(k, []).append(ld)
            if k != current:
                current = k
                alias.setdefault(k, set()).add(k)
            for a in ld.aliases:
                alias.setdefault(name_key(a), set()).add(k)
        self._people, self._people_alias = people, alias

    def petrarch_people(self, name: str, single_word: bool = False) -> list[Leader]:
        """The dated roles of the one PETRARCH2 person called ``name`` ([] if none or several).
        A one-word name counts only with ``single_word`` (a PERSON entity) and only where the
        dictionary lists it as that person's short name ("Senator McCain" -> McCain)."""
        k = name_key(name)
        if not k or (" " not in k and not single_word):
            return []
        if self._people is None:
            self._load_people()
        assert self._people is not None and self._people_alias is not None
        keys = self._people_alias.get(k, set())
        if len(keys) != 1:
            return []
        return self._people[next(iter(keys))]

    def _load_names(self, name: str) -> dict[str, Entry]:
        names: dict[str, Entry] = {}
        for row in _rows(name):
            ns, code, country, sector, kind = (row + [""] * 5)[:5]
            e = Entry(ns.split("|")[0], kind or "organisation", "names", country or None,
                      code or None, sector or None)
            for n in ns.split("|"):
                k = name_key(n)
                if k and k not in names and tuple(k.split()) not in self.common:
                    names[k] = e
        return names

    def named(self, text: str, learned: bool = True) -> Entry | None:
        """A named organisation, institution or person known by its whole name: PETRARCH2's
        organisations (actors_names.tsv: IGOs, NGOs, companies, ministries, armed groups), then
        names learned from coded news (actors_names_wikinews.tsv, unless ``learned`` is
        False). Generic words ("Senate") are left to the agent lexicon, which takes the country
        from the article."""
        if self._names is None:
            self._names = self._load_names("actors_names.tsv")
            self._learned = self._load_names("actors_names_wikinews.tsv")
        k = name_key(text)
        e = self._names.get(k)
        if e is None and learned:
            e = self._learned.get(k)
        return e

    def _fuzzy(self, token: Token) -> Entry | None:
        return _fuzzy_entry(self, token)

    def match(self, tokens: Sequence[Token]) -> list[Match]:
        """Greedy longest matches over ``tokens`` (consecutive doc tokens), proper names first."""
        out: list[Match] = []
        n = len(tokens)
        i = 0
        texts = [fold(t.text) for t in tokens]
        lowers = [t.lower() for t in texts]
        lemmas = [t.lemma_.lower() for t in tokens]
        lp, lc = self._longest_proper, self._longest_common
        while i < n:
            found: Match | None = None
            top = min(max(lp.get(texts[i], 0), lc.get(lowers[i], 0), 1), n - i)
            for L in range(top, 0, -1):
                k = tuple(texts[i:i + L])
                e = self.proper.get(k)
                # a city name only counts where NER saw a place ("Mobile", "Nice" are words too)
                if e is not None and e.basis in ("city", "region") and (tokens[i].ent_type_ == "PERSON" or (
                        tokens[i].ent_type_ not in ("GPE", "LOC", "FAC") and tokens[i].pos_ != "PROPN")):
                    e = None
                if e is None:
                    e = self.common.get(tuple(lowers[i:i + L]))
                    if e is None and L == 1 and lowers[i].endswith(".") and len(lowers[i]) > 2:
                        e = self.common.get((lowers[i].rstrip("."),))  # "Gen." "Lt." "Col."
                    if e is None and L == 1:
                        e = self.common.get((lemmas[i],))
                        # a lemma hit only counts for nouns ("forces" -> force), not verbs
                        if e is not None and tokens[i].pos_ not in ("NOUN", "PROPN", "ADJ"):
                            e = None
                    if e is not None and L == 1 and tokens[i].pos_ in ("VERB", "AUX", "ADP"):
                        e = None
                if e is not None:
                    found = Match(tokens[i].i, tokens[i].i + L, e)
                    break
            if found is None:
                e = self._fuzzy(tokens[i])
                if e is not None:
                    found = Match(tokens[i].i, tokens[i].i + 1, e)
            if found:
                out.append(found)
                i += found.end - found.start
            else:
                i += 1
        return out


_FUZZY_TYPES = frozenset(("GPE", "NORP", "LOC"))
_RULER_TITLES = frozenset("emir king president premier monarch sultan government army".split())
#: rapidfuzz ratio needed for a misspelt country or demonym ("Ethopia", "Afganistan",
#: "Quatar"); 90 keeps "Indiana"/"India" (83) and "Austrian"/"Australian" (78) apart.
FUZZY_CUTOFF = 90


def _fuzzy_entry(lex: "Lexicon", token: Token) -> Entry | None:
    text = fold(token.text)
    if len(text) < 5 or not text[:1].isupper():
        return None
    cutoff = FUZZY_CUTOFF
    if token.dep_ == "poss" and token.pos_ == "PROPN" and token.ent_type_ != "PERSON" and \
            token.head.lower_ in _RULER_TITLES:
        # "Quatar's emir": the possessor of a ruler's title is a state whatever NER says
        pass
    elif token.ent_type_ not in _FUZZY_TYPES:
        # NER often misses a misspelt place: accept a bare proper noun only on a closer match
        # ("Ethopia" 93; "Syriza"/"Syria" 91 stays out)
        if token.pos_ != "PROPN" or token.ent_type_ == "PERSON" or len(text) < 6:
            return None
        cutoff = FUZZY_CUTOFF + 2
    key = (text, cutoff)
    if key in lex._fuzzy_seen:
        return lex._fuzzy_seen[key]
    from rapidfuzz import fuzz, process

    if lex._fuzzy_names is None:
        lex._fuzzy_names = {k[0]: e for k, e in lex.proper.items()
                            if len(k) == 1 and e.basis in ("country", "demonym", "people")}
        lex._fuzzy_list = list(lex._fuzzy_names)
    hit = process.extractOne(text, lex._fuzzy_list, scorer=fuzz.ratio, score_cutoff=cutoff)
    found = lex._fuzzy_names[hit[0]] if hit else None
    if len(lex._fuzzy_seen) < 50_000:  # bounded memo: names recur across a corpus
        lex._fuzzy_seen[key] = found
    return found


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The process-wide lexicon (built once, ~0.1 s)."""
    return Lexicon()
