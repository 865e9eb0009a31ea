"""Resolve one noun phrase (a set of tokens with a head) to an actor description.

The phrase's *head* decides what it is (a state, an organisation, a person, an agent noun such
as "forces" or "police"); its modifiers, possessor and of/in/from objects supply the country
and, for generic heads ("leaders", "sources"), the sector. This mirrors how the CAMEO actor
codebook composes codes: country + agent (SYR + REB), IGO + organisation (IGO + UNO).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

from spacy.tokens import Token

from newsevents.nlp import entity_of
from newsevents.actors.lexicon import Entry, Match, lexicon

#: Heads whose own sector yields to a modifier's: "rebel leaders" are REB, "Hamas fighters" REB,
#: "military officials" MIL. Agent entries with sector "-" are generic too (no sector at all).
WEAK_HEADS = frozenset(
    "leader leaders leadership official officials spokesman spokeswoman spokesperson forces force "
    "fighter fighters commander commanders men officer officers delegation negotiator diplomat "
    "diplomats envoy".split()
)
#: Words giving a role's status; "elect" arrives as its own token after "President-".
STATUS_WORDS = {
    "former": "former", "ex": "former", "deposed": "former", "ousted": "former", "late": "former",
    "resigned": "former", "outgoing": "former", "toppled": "former", "overthrown": "former",
    "exiled": "former", "retired": "former", "fallen": "former", "elect": "elect",
    "acting": "acting", "interim": "acting", "caretaker": "acting",
}
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. dr dr. sir madam lady lord sheikh".split())
#: Prepositions that make a place name a location rather than an actor ("clashes in Damascus").
LOCATIVE = frozenset("in at near around across outside inside within throughout".split())
#: Prepositions whose object gives the country of the phrase's head ("police in Cairo").
COUNTRY_PREPS = frozenset("of in from at for within inside".split())
#: Sectors for which a phrase without any country inherits one from the article context.
DOMESTIC = frozenset("GOV MIL COP REB OPP CVL REF LEG JUD SPY UAF PTY LAB EDU HLH BUS MED REL".split())


@dataclass(frozen=True)
class Resolved:
    """What a phrase denotes (internal; turned into ActorMention/ActorRef by actors.py)."""

    name: str
    kind: str
    basis: str
    country: str | None
    org: str | None  # organisation code (IGOUNO, PSEREB) when the actor is or belongs to one
    sector: str | None
    start: int  # token span of the phrase part that named it
    end: int
    person: str | None = None  # person cluster key (actors.py) when kind == person
    title: str | None = None  # role words ("deposed president")
    status: str | None = None  # current | former | elect | acting
    named: bool = False  # a named organisation ("Islamic Salvation Front"): its own actor id
    guessed: bool = False  # a person's country from a dictionary or the article, not the text

    @property
    def code(self) -> str | None:
        return compose(self.org or self.country, self.sector, self.kind)


def compose(base: str | None, sector: str | None, kind: str = "") -> str | None:
    """CAMEO-style code: ISO3 + sector (SYRGOV); organisation codes stand alone (IGOUNO)."""
    if not base:
        return sector  # agent without a known country: "REB", as GDELT codes it
    if len(base) > 3 or not sector or base.endswith(sector):
        return base
    return base + sector


def status_of(tokens: Sequence[Token]) -> str | None:
    for t in tokens:
        s = STATUS_WORDS.get(t.lower_.strip("-"))
        if s:
            return s
    return None


def runs(tokens: Sequence[Token]) -> list[list[Token]]:
    """Split tokens (sorted) into runs of consecutive doc positions."""
    out: list[list[Token]] = []
    for t in sorted(tokens, key=lambda x: x.i):
        if out and out[-1][-1].i + 1 == t.i:
            out[-1].append(t)
        else:
            out.append([t])
    return out


#: A city this big is itself evidence of its country; a smaller one needs its country named in
#: the article or a "town of"/"city of" frame: "Ontario" (a Californian city of 175k) must not
#: make the Canadian province American.
BIG_CITY = 1_000_000
_PLACE_NOUNS = frozenset("city town village capital port province region district".split())


_MATCH_CACHE = "newsevents.actors.lexmatch"


def matches_in(tokens: Sequence[Token]) -> list[Match]:
    lex = lexicon()
    out: list[Match] = []
    if not tokens:
        return out
    # The same token runs are matched many times per article (candidates, both resolution
    # passes, titles, coreference): memoised per Doc, lexicon matching fell from ~30 % of the
    # actor stage's time to a few per cent on Wikinews.
    cache = tokens[0].doc.user_data.setdefault(_MATCH_CACHE, {})
    for run in runs(tokens):
        key = (run[0].i, run[-1].i)
        if key not in cache:
            cache[key] = lex.match(run)
        out.extend(cache[key])
    if out:
        # "US $50 million", "HK$2 billion": a country name before a dollar sign is a currency
        doc = tokens[0].doc
        out = [m for m in out if not (m.end < len(doc) and doc[m.end].text == "$")]
    if any(m.entry.basis in ("city", "metonymy") for m in out):
        out = _qualified(tokens[0].doc, out)
    if any(m.entry.basis == "city" and m.entry.pop < BIG_CITY for m in out):
        named = _named_countries(tokens[0].doc)
        out = [m for m in out if m.entry.basis != "city" or m.entry.pop >= BIG_CITY
               or m.entry.country in named or _place_frame(tokens[0].doc, m)]
    return out


def _qualified(doc, out: list[Match]) -> list[Match]:
    """"San Jose, California": a city followed by a comma and a province or country is in
    that province's country (the gazetteer's most populous San Jose is in Costa Rica's
    capital)."""
    res = []
    for m in out:
        if m.entry.basis in ("city", "metonymy") and m.end + 1 < len(doc) and doc[m.end].text == ",":
            run = []
            for t in doc[m.end + 1: m.end + 1 + 4]:
                if t.is_punct:
                    break
                run.append(t)
            q = next(iter(lexicon().match(run)), None) if run else None
            if q is not None and q.start == m.end + 1 and q.entry.basis in ("region", "country") \
                    and q.entry.country and q.entry.country != m.entry.country:
                # (a capital's namesake too: San Jose, California is no seat of government)
                m = Match(m.start, m.end, replace(m.entry, country=q.entry.country, pop=0,
                                                  basis="city", kind="population", sector="CVL"))
        res.append(m)
    return res


def _place_frame(doc, m: Match) -> bool:
    """"the town of Samarra", "the capital Juba"."""
    t = doc[m.start]
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lower_ in _PLACE_NOUNS:
        return True
    last = doc[m.end - 1]
    if last.ent_type_ == "GPE" and last.dep_ == "pobj" and last.head.lower_ in LOCATIVE \
            and last.head.head.pos_ in ("VERB", "AUX"):
        # "blew themselves up in Tel Aviv": NER and a verb's locative agree it is a place
        return True
    return t.dep_ in ("appos", "compound") and t.head.lower_ in _PLACE_NOUNS


def _named_countries(doc) -> frozenset[str]:
    """Countries named in the document (names, demonyms, seats), computed once per Doc."""
    cached = doc.user_data.get("newsevents.actors.countries")
    if cached is None:
        lex = lexicon()
        found = set()
        for sent in doc.sents:
            for m in lex.match(list(sent)):
                if m.entry.basis in ("country", "demonym", "people", "metonymy", "region") \
                        and m.entry.country:
                    found.add(m.entry.country)
        cached = frozenset(found)
        doc.user_data["newsevents.actors.countries"] = cached
    return cached


def _is_locative(head: Token) -> bool:
    """A place governed by a locative preposition of a verb or of a non-actor noun ("arrived in
    Moscow"); "sources within the Kremlin" or "police in Cairo" stay actors."""
    prep = head.head
    if head.dep_ != "pobj" or prep.lower_ not in LOCATIVE:
        return False
    host = prep.head
    if host.pos_ in ("VERB", "AUX"):
        return True
    # "aid deliveries in Baghdad" is a place too; "police in Cairo" is not (an actor noun)
    return host.pos_ == "NOUN" and not any(m.entry.basis == "agent" for m in matches_in([host]))


def _title_words(tokens: Sequence[Token], head_m: Match, proper: set[int]) -> str:
    """The role words around a title head: "US President-elect" -> "president-elect"."""
    doc = tokens[0].doc
    i = head_m.start
    while i > 0 and doc[i - 1] in tokens and doc[i - 1].i not in proper and (
        doc[i - 1].pos_ in ("ADJ", "NOUN", "PROPN", "VERB") or doc[i - 1].lower_ in STATUS_WORDS
    ) and doc[i - 1].dep_ != "poss":
        i -= 1
    words = [t.lower_ for t in doc[i:head_m.end]]
    j = head_m.end
    while j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].lower_ == "elect":
        words += ["-", "elect"]
        j += 2
    return " ".join(words).replace(" - ", "-")


PersonLookup = Callable[[Token], "Resolved | None"]
ContextLookup = Callable[..., "str | None"]  # (sector, avoid=None) -> ISO3
#: Heads naming equipment or units that only a state fields: with an ethnic or religious
#: modifier and no state they are irregulars ("Moslem forces" in a civil war -> REB).
_ARMED = frozenset("forces force fighters units militia troops".split())


def _negated(m: Match, doc) -> bool:
    """"anti-Syria", "pro-Russian": the country is the stance, not the actor's nationality."""
    i = m.start
    return i >= 2 and doc[i - 1].text in ("-", "\u2013") and doc[i - 2].lower_ in ("anti", "pro", "non")


def resolve_group(
    tokens: Sequence[Token],
    head: Token,
    person_at: PersonLookup | None = None,
    context_country: ContextLookup | None = None,
) -> Resolved | None:
    """Resolve one conjunct (``tokens`` with syntactic ``head``) or return None (not an actor)."""
    if not tokens:
        return None
    doc = head.doc
    ms = [m for m in matches_in(tokens) if not _negated(m, doc)]
    head_m = next((m for m in ms if m.start <= head.i < m.end), None)
    start, end = min(t.i for t in tokens), max(t.i for t in tokens) + 1
    agents_other = [m for m in ms if m is not head_m and m.entry.basis == "agent"
                    and m.entry.sector not in ("-", "~") and m.entry.use != "mod"]
    # a demonym parsed as the head of "Albanian rebel": the agent noun is the real head
    if head_m is not None and head_m.entry.basis in ("demonym",) and agents_other:
        head_m = agents_other[-1]
        head = doc[head_m.end - 1]

    # 1. a person named at the head (a PERSON entity, or a name the article already knows)
    person = person_at(head) if person_at else None
    if person is None and person_at and head_m is None:
        # "the Dutch cyclist Marianne Vos": a common noun whose apposition names a person
        names = [c for c in head.children if c.dep_ == "appos" and c in tokens]
        person = next((p for p in map(person_at, names) if p is not None), None)
    if person is not None and (head_m is None or head_m.entry.basis == "agent"):
        if person.guessed and ms:
            # "U.N. mediator Diego Cordovez": the phrase's own country or organisation wins
            # over a dictionary's or the article's guess
            found = _country_from([m for m in ms if m is not head_m], tokens, head, None)
            if found and (found[0], found[1]) != (person.country, person.org):
                sector = person.sector if found[0] and found[0] == person.country else \
                    (head_m.entry.sector if head_m is not None and head_m.entry.sector not in
                     ("-", "~") else None)
                return replace(person, start=start, end=end, country=found[0],
                               org=found[1] if not found[0] else None, sector=sector, basis="title")
        return replace(person, start=start, end=end)
    if head_m is None and head.ent_type_ == "PERSON":
        st = status_of([t for t in tokens if t.i < head.i])
        return Resolved(head.text, "person", "ner", None, None, None, start, end, status=st)

    mods = [m for m in ms if m is not head_m]

    # 2. the head is itself a named state / organisation / seat of government / city / people
    if head_m is not None and head_m.entry.basis != "agent":
        e = head_m.entry
        if e.basis in ("metonymy", "city", "region") and _is_locative(head):
            return Resolved(e.name, "population", "place", e.country, None, "CVL", start, end)
        if e.basis == "demonym" and not (head.dep_ == "amod" and head.head not in tokens):
            # "an Israeli was wounded": a person; a bare "Israeli" cut from "Israeli troops"
            # (an adjective whose noun is outside the phrase) is only the nationality
            e = replace(e, kind="population", sector="CVL")
        country, org, sector, basis = e.country, e.code, e.sector, e.basis
        if e.kind == "group" or e.basis == "people":
            # "Bosnian Serbs", "Albanians of southern Serbia", "ethnic Turks": residence wins
            c = _country_from(mods, tokens, head, person_at)
            if c and c[0] and c[0] != e.country:
                country, org, basis = c[0], None, c[2]
            elif any(t.lower_ == "ethnic" for t in tokens) and context_country is not None:
                # "ethnic Albanians" live elsewhere than Albania: the article's other country
                country, org, basis = context_country("CVL", e.country) or country, None, "agent+context"
            elif e.kind == "group" and not e.country and context_country is not None:
                c2 = context_country(e.sector)
                if c2:
                    country, org, basis = c2, None, "agent+context"
        elif e.kind == "party":
            # a party is its country's (USA + PTY); a name several countries' parties share
            # ("Labour", "the Greens") takes a stated country, else the article's; "the
            # opposition Labour Party" is OPP
            org = None
            if not country:
                c = _country_from(mods, tokens, head, person_at)
                if c and c[0]:
                    country, basis = c[0], c[2]
                elif context_country is not None:
                    country = context_country("PTY")
                    basis = "agent+context" if country else basis
            if any(m.entry.basis == "agent" and m.entry.sector == "OPP" for m in mods):
                sector = "OPP"
        elif e.code and e.kind == "igo":
            sector = _modifier_sector(mods) or sector
        return Resolved(e.name, e.kind, basis, country, org, sector, start, end)

    # 3. an agent noun at the head ("forces", "police", "president", "rebel leaders")
    sector: str | None = None
    kind = "organisation"
    title = None
    relational = False
    if head_m is not None:
        e = head_m.entry
        relational = e.sector == "~"
        sector = None if e.sector in ("-", "~") or e.use == "mod" else e.sector
        kind = e.kind
        mod_sector = _modifier_sector(mods)
        if mod_sector and (sector is None or e.name in WEAK_HEADS):
            sector = mod_sector
        if kind == "person":
            proper = {i for m in ms if m.entry.basis != "agent" for i in range(m.start, m.end)}
            title = _title_words(tokens, head_m, proper)
    elif head.pos_ == "NOUN" and (agent_mod := _agent_modifier(head, mods)) is not None:
        # "army bulldozers", "rebel positions": the unlisted noun belongs to the agent
        e = agent_mod.entry
        sector, kind = e.sector, (e.kind if e.kind != "person" else "organisation")
        head_m = agent_mod
    elif head.pos_ == "PROPN" and any(m.entry.basis != "agent" for m in mods):
        # an unlisted name with a nationality ("American Journalism Review"): that country's
        # organisation, sector unknown unless a modifier says
        found = _country_from(mods, tokens, head, None)
        if found:
            # the descriptor nearest the name says what it is ("state news agency Notimex")
            desc = [m for m in mods if m.entry.basis == "agent" and m.end <= head.i
                    and m.entry.sector not in ("-", "~")]
            sector = desc[-1].entry.sector if desc else None
            kind = desc[-1].entry.kind if desc and desc[-1].entry.kind != "person" else "organisation"
            return Resolved(doc[start:end].text, kind, "org-name", found[0], found[1], sector,
                            start, end)
        return None
    elif head.ent_type_ == "NORP" and head.pos_ == "PROPN" and \
            (known := lexicon().named(_entity_text(head, start, end)[0])) is not None:
        # a party or group by its members' name ("Democrats", "Sandinistas")
        text, s0, e0 = _entity_text(head, start, end)
        country, basis = known.country, "names"
        if country is None and known.code is None and context_country is not None:
            country, basis = context_country(known.sector), "names+context"
        return Resolved(text, known.kind, basis, country, known.code, known.sector, s0, e0,
                        named=True)
    elif head.ent_type_ == "ORG" and head.pos_ == "PROPN":
        # an organisation known by name (actors_names.tsv: companies, NGOs, ministries), else
        # an actor without a code ("the Third World Water Forum"), so quotes and the store can
        # still name it
        ent = entity_of(head)
        s0, e0 = max(ent.start, start), min(ent.end, end)
        if doc[s0].lower_ == "the":
            s0 += 1
        known = lexicon().named(doc[s0:e0].text)
        if known is not None:
            country, org, sector = known.country, known.code, known.sector
            basis = "names"
            if country is None and org is None and sector in DOMESTIC and context_country:
                country, basis = context_country(sector), "names+context"
            return Resolved(doc[s0:e0].text, known.kind, basis, country, org, sector, s0, e0,
                            named=True)
        if context_country is not None:
            c = context_country(None, strong=True)
            if c:
                return Resolved(doc[s0:e0].text, "organisation", "ner+context", c, None, None,
                                s0, e0, named=True)
        return Resolved(doc[s0:e0].text, "organisation", "ner", None, None, None, s0, e0)
    else:
        return None  # unmatched common head ("the Syrian crisis"): not an actor
    if any(t.lower_ == "armed" for t in tokens) and sector in (None, "OPP", "CVL"):
        sector, kind = "REB", "armed_group"

    # "Assad's allies" are not Assad: relational and generic heads skip a person possessor
    generic = head_m is not None and head_m.entry.sector in ("-", "~")
    found = _country_from(mods, tokens, head, person_at, generic, relational)
    country, org, basis = (found[:3] if found else (None, None, "agent"))
    if found and found[2] == "acronym" and found[3] and (
            head_m is None or head_m.entry.name in WEAK_HEADS or generic):
        sector = found[3]  # "FIS leaders": the organisation's sector
    if head_m is not None and head_m.entry.name in _ARMED and sector == "MIL" and \
            any(m.entry.kind == "group" for m in mods) and org is None:
        sector, kind = "REB", "armed_group"
    if org and len(org) > 3 and found and head_m is not None and head_m.entry.name in WEAK_HEADS \
            and org[:3] in ("IGO", "NGO"):
        sector = found[3]  # "Red Cross officials", "UN spokesman": the organisation itself
    if org and len(org) == 6 and org[3:] in ("REB", "MIL", "GOV", "MED", "LEG", "SPY", "COP"):
        if sector is None or head_m is None or head_m.entry.name in WEAK_HEADS or generic:
            sector = org[3:]
        org = None if country else org
    if country is None and org is None:
        if sector == "MIL" and any(t.lower_.startswith("peacekeep") for t in tokens):
            org, basis = "IGOPKO", "agent"  # peacekeepers of no named state: an IGO force
        elif context_country is not None and sector in DOMESTIC:
            country = context_country(sector)
            basis = "agent+context"
        if country is None and org is None and sector is None:
            return None
    if sector is None and generic and found:
        # "Kremlin insiders": the seat's GOV; "Syrian sources": just the country
        sector = found[3]
    status = status_of(tokens) if kind == "person" else None
    text = doc[start:end].text
    named = head.pos_ == "PROPN" and head.ent_type_ == "ORG" and kind != "person"
    if named:  # "the Islamic Salvation Front": name it by the entity, without the article
        ent = entity_of(head)
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
    return Resolved(text, kind, basis, country, org, sector, start, end, title=title, status=status,
                    named=named)


def _entity_text(head: Token, start: int, end: int) -> tuple[str, int, int]:
    """The named entity at ``head`` inside [start, end), without a leading "the"."""
    ent = entity_of(head)
    s0, e0 = max(ent.start, start), min(ent.end, end)
    doc = head.doc
    if doc[s0].lower_ == "the" and s0 + 1 < e0:
        s0 += 1
    return doc[s0:e0].text, s0, e0


def _agent_modifier(head: Token, mods: Sequence[Match]) -> Match | None:
    """An armed or state agent word directly modifying ``head`` (compound/amod): "army" in
    "army bulldozers", "police" in "police vehicles". Only those sectors: other agent words
    make things, not actors ("town bazaar", "labour market"); allowing every sector cost three
    PLOVER-GSR dev targets. (Until 2026-11-25 this compared tokens with ``is``, which never
    holds for spaCy tokens, so the rule was silently off.)"""
    for m in reversed(mods):
        last = head.doc[m.end - 1]
        if m.entry.basis == "agent" and m.entry.sector in _ARMED_OR_STATE and \
                last.head == head and last.dep_ in ("compound", "amod", "nmod"):
            return m
    return None


_ARMED_OR_STATE = frozenset({"MIL", "COP", "GOV", "SPY"})


def _modifier_sector(mods: Sequence[Match]) -> str | None:
    for m in reversed(mods):
        if m.entry.basis == "agent" and m.entry.sector not in (None, "-", "~") and m.entry.use != "head":
            return m.entry.sector
    for m in reversed(mods):  # armed groups / services as modifiers: "Hamas fighters"
        if m.entry.basis == "org-list" and m.entry.kind in ("armed_group",) and m.entry.sector:
            return m.entry.sector
    return None


def _country_from(
    mods: Sequence[Match], tokens: Sequence[Token], head: Token, person_at: PersonLookup | None,
    generic: bool = False, relational: bool = False,
) -> tuple[str | None, str | None, str, str | None] | None:
    """(country, org code, basis, sector-of-modifier) from modifiers, possessor or a PP object.

    Left modifiers nearest the head win ("Iraqi Kurdish leaders" -> IRQ); then of/in/from
    objects ("police in Cairo"); then a person possessor or compound ("Assad's regime", "Bush
    administration" -> that person's country). Relational heads ("Israel's ally in Lebanon")
    ignore their possessor and keep only a location after the head.
    """
    best: tuple[int, Entry] | None = None
    for m in mods:
        e = m.entry
        if e.basis == "agent" or e.kind == "group" or (e.country is None and e.code is None):
            continue
        before = m.end <= head.i
        if relational and before:
            continue
        if not before and _owner_of_relational(head.doc[m.end - 1]):
            continue  # "the chief of Israel's militia ally in Lebanon": the ally is not Israel
        # left modifiers rank by closeness; prepositional objects after them
        rank = (head.i - m.end) if before else 1000 + (m.start - head.i)
        if before and e.basis == "demonym" and m.start > 0 and head.doc[m.start - 1].lower_ == "ethnic":
            # "ethnic Albanian guerrillas operating in Macedonia": ethnicity is not nationality;
            # where they are wins when the phrase says it
            rank += 5000
        if best is None or rank < best[0]:
            best = (rank, e)
    if best is not None:
        e = best[1]
        org = e.code if e.code and e.kind in ("igo", "ngo", "armed_group", "organisation", "media") else None
        return e.country, org, e.basis, e.sector
    if person_at is not None and not generic:
        for t in tokens:
            if t == head or t.dep_ not in ("poss", "compound") or t.i > head.i:
                continue
            p = person_at(t)
            if p is not None and (p.country or p.org):
                basis = "acronym" if p.basis == "acronym" else "possessor"
                return p.country, p.org if not p.country else None, basis, p.sector
    return None


def _owner_of_relational(t: Token) -> bool:
    """``t`` possesses a relational noun ("Israel's" in "Israel's ally")."""
    if t.dep_ != "poss":
        return False
    e = lexicon().common.get((t.head.lower_,))
    return e is not None and e.sector == "~"


def keep(t: Token) -> bool:
    """Tokens that take part in matching: no determiners, no punctuation but hyphens."""
    return t.dep_ != "det" and (not t.is_punct or t.text in ("-", "\u2013"))
