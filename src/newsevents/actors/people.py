"""People in one article: name clusters (within-article coreference), titles and dated roles.

A full name ("Bashar al-Assad") opens a cluster; later partial names ("Assad", "Bashar") join
the most recent cluster whose name words contain theirs. Titles come from the name's own
phrase ("US President-elect Donald Trump") and from apposition ("X, Syria's deposed
president"; "the former President of Syria, Bashar"). Known office-holders come from
data/actors_leaders.tsv, used by the article date; text evidence wins over that file.
"""
from __future__ import annotations

import dataclasses

import re
import unicodedata
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsevents.actors.lexicon import Leader, fold, lexicon, name_key
from newsevents.actors.phrase import (HONORIFICS, Resolved, _named_countries, keep, matches_in,
                                      resolve_group)
from newsevents.records import Role

#: Name particles that do not identify a person on their own ("al-Assad" ~ "Assad").
PARTICLES = frozenset("al el bin ibn bint de da di del van von der den la le du abu".split())


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", fold(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def name_words(tokens: list[Token] | Span) -> frozenset[str]:
    return frozenset(
        fold(t.text).lower() for t in tokens
        if t.is_alpha and fold(t.text).lower() not in PARTICLES and t.lower_ not in HONORIFICS
    )


@dataclass
class Person:
    key: str
    name: str
    words: frozenset[str]
    aliases: list[str] = field(default_factory=list)
    leaders: list[Leader] = field(default_factory=list)
    text_roles: list[Role] = field(default_factory=list)
    basis: str = "ner"
    nationality: str | None = None  # from a demonym with no title ("Israeli right-winger X")
    sector: str | None = None  # with a nationality from actors_names.tsv ("Fethullah Gulen": ELI)
    org: str | None = None  # an IGO/NGO a names table gives ("Jose Manuel Barroso": IGO)
    gender: str | None = None  # "m" / "f" from a gendered title or a pronoun (context.py)


def _strip(ent: Span) -> Span:
    """Drop leading titles/honorifics and a trailing possessive from a PERSON entity."""
    s, e = ent.start, ent.end
    doc = ent.doc
    while e > s and doc[e - 1].tag_ == "POS" or (e > s and doc[e - 1].is_punct):
        e -= 1
    while s < e - 1 and (doc[s].lower_ in HONORIFICS or doc[s].lower_.rstrip(".") in HONORIFICS or
                         any(m.entry.basis == "agent" for m in matches_in([doc[s]]))):
        s += 1
    return doc[s:e]


def _leaders_for(name: str, words: frozenset[str], entity: bool = True,
                 named: frozenset[str] | None = None) -> list[Leader]:
    """Dated roles of the office-holder called ``name``: our leaders file first, then the
    PETRARCH2 office-holders (``entity``: ``name`` is a whole PERSON entity, so a short name
    the dictionary lists, "McCain", counts too). A PETRARCH2 name is only a guess (18,000
    ministers share names with other people): a one-word name counts only when the article
    names that person's country, a longer one unless the article names only other countries
    (``named``: the countries the article names)."""
    lex = lexicon()
    found = lex.leader_alias.get(fold(name).lower(), [])
    names = {ld.name for ld in found}
    if len(names) == 1:
        return list(lex.leaders_named[next(iter(names))])
    if names:
        return []
    roles = lex.petrarch_people(name, single_word=entity)
    if roles and named is not None:
        countries = {ld.organisation[:3] for ld in roles}
        if not countries & named and (len(name_key(name).split()) < 2 or named):
            return []
    return roles


def appos_head(root: Token) -> Token:
    """The noun an apposition describes; "the President of Syria, Bashar": President, not Syria
    (the parser often attaches the name to the nearest noun)."""
    h = root.head
    if h.dep_ == "pobj" and h.head.dep_ == "prep" and h.head.head.pos_ in ("NOUN", "PROPN"):
        if any(m.entry.kind == "person" for m in matches_in([h.head.head])):
            return h.head.head
    return h


def title_tokens(ent: Span) -> list[Token]:
    """Tokens that describe the person named by ``ent``: left modifiers, appositions, 'of X'."""
    root = ent.root
    out = [t for t in root.subtree if t.i < ent.start and keep(t)]
    for child in root.children:
        if child.dep_ == "appos" and child.ent_type_ != "PERSON":
            out.extend(t for t in child.subtree if keep(t))
        elif child.dep_ == "prep" and child.lower_ == "of" and child.i >= ent.end:
            out.extend(t for t in child.subtree)
    if root.dep_ == "appos" and root.head.ent_type_ != "PERSON":
        h = appos_head(root)
        skip = {t.i for t in root.subtree}
        for c in h.children:
            if c.dep_ in ("conj", "cc", "relcl", "acl"):
                skip.update(t.i for t in c.subtree)
        out.extend(t for t in h.subtree if t.i not in skip and keep(t))
    return sorted({t.i: t for t in out}.values(), key=lambda t: t.i)


def _title_from(toks: list[Token]) -> Resolved | None:
    """Resolve role words ("Syria's deposed president") to (title, country/org, sector, status)."""
    if not toks:
        return None
    heads = [m for m in matches_in(toks) if m.entry.basis == "agent" and m.entry.kind == "person"]
    if not heads:
        return None
    head = toks[0].doc[heads[-1].end - 1]
    r = resolve_group(toks, head)
    if r is None or r.kind != "person":
        return None
    return r


def title_of(ent: Span) -> Resolved | None:
    """The role an entity's own phrase gives it, e.g. ('president', SYR, GOV, former)."""
    return _title_from(title_tokens(ent))


def build(doc: Doc, published: str | None) -> tuple[dict[int, Person], dict[str, Person]]:
    """Cluster the article's people: token index -> Person, and key -> Person."""
    by_token: dict[int, Person] = {}
    people: dict[str, Person] = {}
    recent: list[Person] = []
    named = _named_countries(doc)
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        name = _strip(ent)
        if not name.text[:1].isupper():  # NER noise: "bill&quot", lower-case fragments
            continue
        # NER calls some organisations and states people ("Boko Haram"): the lexicon wins
        if any(m.entry.basis != "agent" and m.start <= name.start and m.end >= name.end
               for m in matches_in(list(name))):
            continue
        words = name_words(name)
        if not words:
            continue
        person = next((p for p in reversed(recent) if words <= p.words), None)
        if person is None:
            longer = next((p for p in reversed(recent) if p.words < words), None)
            if longer is not None:  # "Assad ... Bashar al-Assad": the fuller name becomes canonical
                longer.words = words
                longer.name = name.text
                person = longer
        if person is None:
            leaders = _leaders_for(name.text, words, named=named)
            canon = leaders[0].name if leaders and leaders[0].source == "leaders" else name.text
            key = slug(canon)
            person = people.get(key) or Person(key, canon, words, leaders=leaders)
            if leaders:
                person.words = person.words | name_words(lexicon()._tok(canon))
                person.basis = "leaders"
            if not leaders and person.nationality is None:
                known = lexicon().named(name.text)  # "Fethullah Gulen", a name PETRARCH2 codes
                if known is not None and " " not in name_key(name.text) and \
                        known.country not in named:
                    known = None  # a bare surname from a table: only where its country is named
                if known is not None and (known.country or known.code):
                    person.nationality, person.sector = known.country, known.sector
                    if known.country is None:  # an IGO/NGO official: the organisation's code
                        person.org, person.sector = known.code, None
            people[key] = person
            recent.append(person)
        if not person.leaders:
            person.leaders = _leaders_for(person.name, person.words, named=named)
        if name.text not in person.aliases:
            person.aliases.append(name.text)
        if person.gender is None:
            person.gender = _gender_of(ent)
        for t in ent:
            by_token[t.i] = person
        _learn_title(ent, person, published, by_token)
    # unlabelled mentions of a known name ("Assad's regime" when NER calls Assad an ORG), and
    # surnames of known office-holders that NER missed ("Putin" tagged ORG)
    for t in doc:
        if t.i in by_token or len(t.text) < 3 or not t.text[0].isupper():
            continue
        w = fold(t.text).lower()
        cands = [p for p in recent if w in p.words]
        # a sentence-initial name may be tagged NOUN ("Morales thanked Mexico")
        if cands and (t.pos_ == "PROPN" or (t.pos_ == "NOUN" and t.is_sent_start)):
            by_token[t.i] = cands[-1]
            continue
        if t.pos_ != "PROPN":
            continue
        if t.ent_type_ in ("", "PERSON", "ORG", "NORP") and not matches_in([t]):
            leaders = _leaders_for(t.text, frozenset([w]), entity=False)
            if leaders:
                key = slug(leaders[0].name)
                person = people.get(key) or Person(key, leaders[0].name,
                                                   name_words(lexicon()._tok(leaders[0].name)),
                                                   leaders=leaders, basis="leaders")
                people[key] = person
                if person not in recent:
                    recent.append(person)
                if t.text not in person.aliases:
                    person.aliases.append(t.text)
                by_token[t.i] = person
    _comma_appositions(doc, by_token, published)
    return by_token, people


#: Words that say a person's gender when they precede or describe the name.
_MALE = frozenset("""mr mr. sir king prince lord duke emir sultan sheikh pope father brother
chairman spokesman congressman businessman councilman policeman statesman actor husband son
grandfather uncle""".split())
_FEMALE = frozenset("""mrs mrs. ms ms. miss madam madame lady dame queen princess duchess sister
mother chairwoman spokeswoman congresswoman businesswoman councilwoman policewoman
stateswoman actress wife daughter grandmother aunt""".split())


def _gender_of(ent: Span) -> str | None:
    """"m"/"f" from a gendered honorific or title in the name's phrase or apposition."""
    doc = ent.doc
    words = [doc[i].lower_ for i in range(max(0, ent.start - 3), ent.end)]
    words += [t.lower_ for t in title_tokens(ent)]
    male = any(w in _MALE for w in words)
    female = any(w in _FEMALE for w in words)
    if male != female:
        return "m" if male else "f"
    return None


def _learn_title(ent: Span, person: Person, published: str | None, by_token: dict[int, Person]) -> None:
    toks = title_tokens(ent)
    r = _title_from(toks)
    if r is None:
        if person.nationality is None:
            for m in matches_in(toks):
                if m.entry.basis in ("demonym", "country") and m.entry.country:
                    person.nationality = m.entry.country
                    break
        return
    # the title noun in apposition ("X, Syria's deposed president") is this person too
    near = [appos_head(ent.root)] if ent.root.dep_ == "appos" else []
    near += [c for c in ent.root.children if c.dep_ == "appos"]
    for c in near:
        if _is_title(c):
            by_token.setdefault(c.i, person)
    idx = [t.i for t in toks] + [ent.start, ent.end - 1]
    _add_role(person, r, ent.doc[min(idx):max(idx) + 1].text, published)


def _is_title(tok: Token) -> bool:
    return any(m.entry.basis == "agent" and m.entry.kind == "person" and m.end - 1 == tok.i
               for m in matches_in([x for x in tok.lefts if keep(x)] + [tok]))


def _add_role(person: Person, r: Resolved, evidence: str, published: str | None) -> None:
    status = r.status or "current"
    title = r.title or ""
    for word in ("former ", "deposed ", "ousted ", "late ", "acting ", "interim ", "outgoing ",
                 "ex-", "ex "):
        title = title.replace(word, "")
    title = title.replace("-elect", "").strip()
    if status == "elect":
        title = f"{title}-elect"
    end = published if status == "former" else None
    role = Role(title or "?", r.org or r.country, r.sector, None, end, status, evidence)
    if not any((x.title, x.organisation, x.status) == (role.title, role.organisation, role.status)
               for x in person.text_roles):
        person.text_roles.append(role)


def _comma_appositions(doc: Doc, by_token: dict[int, Person], published: str | None) -> None:
    """"The former President of Syria, Bashar, ...": the parser often makes the name a conjunct
    of the nearest noun (Syria); a comma-set name after "<title> of <X>" is the title's holder."""
    for i, person in list(by_token.items()):
        t = doc[i]
        if t.dep_ not in ("conj", "appos") or i == 0 or doc[i - 1].text != "," or \
                fold(t.text).lower() not in person.words:
            continue
        h = appos_head(t)
        if h is t.head and not any(m.entry.kind == "person" for m in matches_in([h])):
            continue
        if h.i in by_token:
            continue
        by_token[h.i] = person
        skip = {x.i for x in t.subtree}
        for c in h.children:
            if c.dep_ in ("relcl", "acl", "cc"):
                skip.update(x.i for x in c.subtree)
        toks = [x for x in h.subtree if x.i not in skip and keep(x) and x.i < t.i]
        r = _title_from(toks)
        if r is not None:
            _add_role(person, r, doc[min(x.i for x in toks): i + 1].text, published)


def roles_for(person: Person, published: str | None) -> tuple[Role, ...]:
    """Merge dated roles from the leaders file with roles read in the text (text wins)."""
    out: list[Role] = []
    text_roles = list(person.text_roles)
    for ld in person.leaders:
        role = Role(ld.title, ld.organisation, ld.sector, ld.start, ld.end,
                    "elect" if ld.title.endswith("-elect") else "current",
                    "leaders file" if ld.source == "leaders" else "leaders file (petrarch2)")
        for tr in text_roles:
            # "President Bashar al-Assad": a title without a country is the office the
            # leaders file dates (the text's role would otherwise stand apart, code "GOV")
            if tr.organisation not in (ld.organisation, None):
                continue
            base = tr.title.replace("-elect", "")
            if tr.status == "former" and (ld.end is None or (published and ld.end > published)) \
                    and (ld.start is None or published is None or ld.start <= published):
                role = Role(ld.title, ld.organisation, ld.sector, ld.start, published, "current",
                            f"leaders file; text says ended on/before {published}: {tr.evidence}")
            if base and base in ld.title and tr.status in ("current", "former", "elect") and \
                    (tr.status == "elect") == ld.title.endswith("-elect"):
                role = Role(role.title, role.organisation, role.sector, role.start, role.end,
                            role.status, f"leaders file; text: {tr.evidence}")
        out.append(role)
    known = {(r.organisation, r.title.replace("-elect", "")) for r in out}
    titles = {t for _, t in known}
    for tr in text_roles:
        title = tr.title.replace("-elect", "")
        if ((tr.organisation, title) in known or (tr.organisation is None and title in titles)) \
                and person.leaders and (tr.status != "former" or published):
            continue
        out.append(tr)
    return tuple(_status_at(r, published) for r in out)


def _status_at(role: Role, published: str | None) -> Role:
    """Say how a role stood when the article was published: a role that ended on or before
    then is "former" (Assad's presidency in a report of his fall), one that starts later is
    "future" (known from the leaders file, not yet held)."""
    if not published or role.status == "elect":
        return role
    if role.end and role.end[:10] <= published[:10]:
        return dataclasses.replace(role, status="former")
    if role.start and role.start[:10] > published[:10]:
        return dataclasses.replace(role, status="future")
    return role
