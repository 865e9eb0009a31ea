"""The actors stage: who is who in an article, with roles over time.

``extract`` finds every actor mention (states, capitals standing for governments, organisations,
armed groups, media, people with their titles, generic agents such as "rebels" or "police") and
groups them into actors with stable ids; ``resolve_phrase`` maps one noun phrase (a verb's
subject or object) to the actor(s) it denotes; ``code_at`` gives an actor's CAMEO code on a date.

Conventions (see actors/data/README.md):

- a bare state ("Russia") is its ISO3 code alone, sector None (the PETRARCH/ICEWS convention and
  that of the PLOVER gold records); a capital or seat of government ("Moscow", "the Kremlin")
  is the government: RUSGOV (basis "metonymy"); inside a verb's locative ("arrived in Moscow")
  it is a place, not an actor;
- country + CAMEO agent: SYRREB, EGYCOP, USAMIL; IGOs/NGOs by organisation code: IGOUNO, NGOAMN;
  a bare agent ("rebels", "government forces") takes the country last seen with its sector
  family in the article, else the article's dominant country (basis "agent+context");
- a person's code is the code of the role valid on the date: SYRGOV while in office; after a
  role ends (or before an elected one starts) the person is an elite: SYRELI / USAELI.
- ids: people "bashar-al-assad"; states "state:SYR"; country+agent "agent:SYRREB"; organisations
  "org:united-nations": stable across articles, so the store can merge them.

Per-article state (people, context countries) is kept on ``doc.user_data["newsevents.actors"]``
so that ``resolve_phrase`` stays cheap; it holds Python objects, so serialise a Doc after
``extract`` only with ``user_data`` excluded.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter
from typing import Sequence

from spacy.tokens import Doc, Span, Token

from newsevents.actors.context import _Context, _code_on, _role_on
from newsevents.actors.lexicon import lexicon
from newsevents.actors.people import slug
from newsevents.actors.phrase import (
    DOMESTIC, LOCATIVE, STATUS_WORDS, Resolved, _negated, compose, keep, matches_in,
    resolve_group,
)
from newsevents.records import Actor, ActorMention, ActorRef, Article

__all__ = ["extract", "resolve_phrase", "code_at", "office_left"]

_CACHE = "newsevents.actors"


def _pub(article: Article) -> str | None:
    d = article.published_date
    return d.isoformat() if d else None


# ----------------------------------------------------------------------------- roles / codes
def code_at(actor: Actor, date: str | _dt.date) -> tuple[str | None, str | None]:
    """(code, sector) of ``actor`` on ``date``: the role valid then, or ELI after it ended.

    >>> # Assad: ('SYRGOV', 'GOV') on 2024-11-30, ('SYRELI', 'ELI') on 2024-12-09
    """
    d = date.isoformat() if isinstance(date, _dt.date) else str(date)[:10]
    return _code_on(actor.roles, d, actor.code, actor.sector)


# ----------------------------------------------------------------------------- extraction
def _candidates(doc: Doc) -> list[tuple[list[Token], Token]]:
    """Noun chunks (with their of/in/from objects) and named entities outside chunks."""
    out: list[tuple[list[Token], Token]] = []
    covered: set[int] = set()
    extended: set[int] = set()
    for chunk in doc.noun_chunks:
        toks = [t for t in chunk if keep(t)]
        for child in chunk.root.rights:
            if child.dep_ == "prep" and child.lower_ in ("of", "in", "from", "for") and child.i == chunk.end:
                for g in child.children:
                    # "for" only before a name: "Observatory for Human Rights", not "calls for peace"
                    if g.dep_ == "pobj" and (child.lower_ != "for" or g.pos_ == "PROPN"):
                        # the preposition too, so names spanning it match the lexicon
                        toks.append(child)
                        toks.extend(t for t in _core(g) if keep(t))
        if chunk.root.i in extended and chunk.root.ent_type_ == "ORG":
            continue  # "Human Rights" split by NER from "Observatory for Human Rights"
        if toks:
            out.append((toks, chunk.root))
            covered.update(t.i for t in chunk)
            extended.update(t.i for t in toks)
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "ORG", "GPE", "NORP", "FAC") and not any(t.i in covered for t in ent):
            out.append(([t for t in ent], ent.root))
    return out


def _core(tok: Token) -> list[Token]:
    """A noun's own phrase: its subtree without clauses, appositions and coordination."""
    skip: set[int] = set()
    for c in tok.children:
        if c.dep_ in ("conj", "cc", "appos", "relcl", "acl", "punct", "prep"):
            skip.update(t.i for t in c.subtree)
    return [t for t in tok.subtree if t.i not in skip]


def _sentence_index(doc: Doc) -> list[int]:
    idx = [0] * len(doc)
    for n, s in enumerate(doc.sents):
        for i in range(s.start, s.end):
            idx[i] = n
    return idx


def _actor_id(r: Resolved) -> str:
    if r.kind == "person" and r.person:
        return r.person
    if (r.named or r.basis in ("org-name", "ner", "acronym")) and r.kind != "person":
        return "org:" + slug(r.name)
    if r.kind == "party":  # each party its own actor, not "USA PTY"
        return "org:" + slug(r.name) + (f"-{r.country.lower()}" if r.country else "")
    if r.org and r.kind in ("igo", "ngo", "media", "armed_group", "organisation", "group"):
        return "org:" + slug(r.name if r.basis == "org-list" else r.org)
    code = r.code
    if r.country and r.sector is None:
        return f"state:{r.country}"
    if code:
        return f"agent:{code}"
    return f"agent:{r.sector}" if r.sector else "unknown"


def _context(doc: Doc, article: Article) -> _Context:
    ctx = doc.user_data.get(_CACHE)
    if isinstance(ctx, _Context) and ctx.doc is doc:
        return ctx
    ctx = _Context(doc, _pub(article))
    doc.user_data[_CACHE] = ctx
    return ctx


def _resolve_all(doc: Doc, ctx: _Context, previous: list | None = None) -> list:
    """Resolve every candidate phrase: [(tokens, head, [Resolved...])]. With ``previous`` (a
    first pass), re-resolve only what the article context can change (bare agents, ethnic
    groups) with the context now known."""
    out: list = []
    todo = previous if previous is not None else [(t, h, None) for t, h in _candidates(doc)]
    for toks, head, before in todo:
        if before is not None and not any(_needs_context(r) for r in before) and \
                not (not before and head.text in ctx.acronyms):
            out.append((toks, head, before))
            continue
        cc = (lambda sector, avoid=None, _i=head.i, **kw: ctx.country_for(sector, _i, avoid, **kw)) \
            if previous is not None else None
        groups = [(toks, head)]
        if len(toks) > 2:
            split = _conjuncts(doc[toks[0].i: toks[-1].i + 1])
            if len(split) > 1 and all(h == head for _, h in split):
                groups = split  # "Syrian and Russian jets": one mention per country
        found: list[Resolved] = []
        for gt, gh in groups:
            r = resolve_group(gt, gh, ctx.known_at, cc)
            if r is not None:
                found.append(r)
        # states / seats / organisations named inside a longer phrase are mentions too
        for m in matches_in(toks):
            if m.entry.basis in ("country", "metonymy", "org-list") and not (m.start <= head.i < m.end) \
                    and m.entry.kind != "group" and not _negated(m, doc):
                e = m.entry
                sector = e.sector if e.basis != "country" else None
                found.append(Resolved(e.name, e.kind, e.basis, e.country, e.code, sector, m.start, m.end))
        out.append((toks, head, found))
    return out


def _learn_acronyms(doc: Doc, ctx: _Context, first: list) -> None:
    """"the Islamic Salvation Front (FIS)": later "FIS" is the same actor."""
    for toks, head, found in first:
        end = toks[-1].i + 1
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            acro = doc[end + 1]
            if acro.text.isupper() and len(acro.text) >= 2 and acro.text.isalpha():
                r = next((x for x in found if x.start <= head.i < x.end), None)
                if r is None and head.ent_type_ == "ORG":
                    r = Resolved(doc[toks[0].i:end].text, "organisation", "ner", None, None, None,
                                 toks[0].i, end)
                if r is not None and r.kind != "person":
                    ctx.acronyms.setdefault(acro.text, r)


def _needs_context(r: Resolved) -> bool:
    return (r.country is None and r.org is None and r.person is None) or r.kind == "group" or \
        r.basis == "people" or (r.kind == "person" and r.country is None and r.org is None)


def _learn_context(doc: Doc, ctx: _Context, found: list[Resolved]) -> None:
    """Countries seen with explicit agents (per sector family) and the dominant country.

    Locatives count double ("fighting in Syria"): in the wire reports we read while building
    this, the country where things happen is the one bare "rebels"/"police" belong to, while
    foreign capitals appear as actors ("the Kremlin said").
    """
    counts: Counter[str] = Counter()
    for r in found:
        if any(t.lower_ == "ethnic" for t in doc[r.start:r.end]):
            continue  # "ethnic Albanians" say nothing about where the story is
        as_place = r.basis == "metonymy" and doc[r.end - 1].dep_ == "pobj"  # "in eastern Beirut"
        if r.country and (as_place or r.kind == "party" or r.basis in (
                "country", "demonym", "people", "place", "possessor", "title", "city", "region",
                "leaders")):
            counts[r.country] += 1
            if r.basis == "place" or (doc[r.start].head.lower_ in LOCATIVE and doc[r.start].dep_ == "pobj"):
                counts[r.country] += 1
        if r.country and r.sector in DOMESTIC and r.basis in (
                "demonym", "country", "possessor", "people", "title", "ner", "leaders", "coref"):
            ctx.memory.append((r.start, r.sector or "", r.country))
    ctx.counts = counts
    ctx.ranked = [c for c, _ in counts.most_common()]


#: Weight of a country named in the headline: the headline names what the article is about.
TITLE_WEIGHT = 3
_TITLE_BASES = ("country", "demonym", "people", "metonymy", "region", "city")


def _learn_title(ctx: _Context, title: str) -> None:
    """Countries the headline names count towards the article's dominant country. States,
    demonyms and seats match on the tokenizer alone; provinces and cities need the tagger (a
    capitalised headline word is not yet a place), so the headline is parsed only when neither
    the text nor those cheap matches name any country."""
    title = " ".join(title.split())
    if not title:
        return
    lex = lexicon()
    found = [m.entry.country for m in lex.match(list(lex._tok(title)))
             if m.entry.basis in _TITLE_BASES and m.entry.country]
    if not found and not ctx.counts:
        from newsevents import nlp

        tdoc = nlp.load()(title[:300])
        found = [m.entry.country for m in matches_in(list(tdoc))
                 if m.entry.basis in _TITLE_BASES and m.entry.country]
    if not found:
        return
    for c in found:
        ctx.counts[c] += TITLE_WEIGHT
    ctx.ranked = [c for c, _ in ctx.counts.most_common()]


def extract(doc: Doc, article: Article) -> tuple[list[ActorMention], list[Actor]]:
    """Every actor mention in the article (sorted by start) and the resolved actors."""
    ctx = _context(doc, article)
    sent = _sentence_index(doc)
    first = _resolve_all(doc, ctx)
    _learn_context(doc, ctx, [r for _, _, rs in first for r in rs])
    _learn_title(ctx, article.title or "")
    _learn_acronyms(doc, ctx, first)
    # "arrived in Moscow": a location, not an actor
    filled = [r for _, _, rs in _resolve_all(doc, ctx, first) for r in rs if r.basis != "place"]
    # 3. records
    mentions: dict[tuple[int, int, str], ActorMention] = {}
    actors: dict[str, dict] = {}
    for r in sorted(filled, key=lambda r: (r.start, r.end)):
        aid = _actor_id(r)
        span = doc[r.start:r.end]
        code = _mention_code(r)
        if r.kind == "person" and r.person and r.title is None:
            r = Resolved(r.name, r.kind, r.basis, r.country, r.org, r.sector, r.start, r.end,
                         r.person, _role_words(doc[r.start:r.end]), r.status)
        m = ActorMention(article.id, span.start_char, span.end_char, span.text, sent[r.start], r.kind,
                         aid, code, r.country, r.sector, r.title, r.basis)
        mentions.setdefault((m.start, m.end, aid), m)
        a = actors.setdefault(aid, {"r": r, "aliases": []})
        if span.text not in a["aliases"]:
            a["aliases"].append(span.text)
    out_actors = [_make_actor(aid, a["r"], a["aliases"], ctx) for aid, a in actors.items()]
    ctx.names = {a.id: a.name for a in out_actors}
    return sorted(mentions.values(), key=lambda m: (m.start, m.end)), out_actors


def _role_words(span: Span) -> str | None:
    """The title words inside a person mention: "deposed president", "President-elect"."""
    toks = [t for t in span if keep(t) and t.ent_type_ != "PERSON"]
    titles = [m for m in matches_in(toks) if m.entry.basis == "agent" and m.entry.kind == "person"]
    if not titles:
        return None
    m = titles[-1]
    i, j = m.start, m.end
    while i > span.start and (span.doc[i - 1].lower_ in STATUS_WORDS or span.doc[i - 1].lower_ == "ex"
                              or (span.doc[i - 1].text == "-" and i - 1 > span.start)):
        i -= 1
    while j + 1 < span.end and span.doc[j].text == "-" and span.doc[j + 1].lower_ == "elect":
        j += 2
    return span.doc[i:j].text


def _mention_code(r: Resolved) -> str | None:
    if r.kind == "person" and r.status in ("former", "elect") and r.country and not r.org:
        return compose(r.country, "ELI", "person")
    return r.code


def _make_actor(aid: str, r: Resolved, aliases: list[str], ctx: _Context) -> Actor:
    if r.kind == "person" and r.person in ctx.people:
        p = ctx.people[r.person]
        roles = ctx.roles[p.key]
        # the actor's code and country are what its mentions say on the article's date (a role
        # without a country takes the leaders file's, the person's nationality or the article's)
        first = min((i for i, q in ctx.by_token.items() if q is p), default=None)
        at = ctx.person_at(ctx.doc[first]) if first is not None else None
        if at is not None:
            code, country, sector = at.code, at.country, at.sector
        else:
            code, sector = _code_on(roles, ctx.published, None, None)
            role = _role_on(roles, ctx.published)
            country = role.organisation if role and role.organisation and \
                len(role.organisation) == 3 else None
        return Actor(aid, p.name, "person", code, country, sector, tuple(aliases), roles)
    name = r.name
    if aid.startswith(("state:", "agent:")) and r.country:
        cname = lexicon().country_names.get(r.country, r.country)
        name = f"{cname} ({r.sector})" if r.sector else cname
    return Actor(aid, name, r.kind, r.code, r.country, r.sector, tuple(aliases), ())


# ----------------------------------------------------------------------------- phrases
def _root(span: Span) -> Token:
    """The phrase head among the tokens attached outside the span (spaCy's Span.root picks the
    first of "Israeli army" when both words hang on "bulldozers")."""
    inside = {t.i for t in span}
    tops = [t for t in span if t.head.i not in inside or t.head == t]
    nouns = [t for t in tops if t.pos_ in ("NOUN", "PROPN", "PRON", "NUM")]
    # the top that governs most of the span ("villages near Macedonia['s border]"), then the
    # rightmost noun
    cands = nouns or tops or [span.root]
    size = {t.i: sum(1 for x in t.subtree if x.i in inside) for t in cands}
    root = max(cands, key=lambda t: (size[t.i], t.i))
    if root.pos_ == "ADP" or (root.dep_ == "prep" and not nouns):  # "in central Baghdad"
        objs = [c for c in root.children if c.dep_ == "pobj" and c.i in inside]
        if objs:
            return objs[0]
    return root


def _conjuncts(span: Span) -> list[tuple[list[Token], Token]]:
    """Split a coordination ("Russia and Iran") into (tokens, head) per conjunct."""
    inside = {t.i for t in span}
    root = _root(span)
    heads = [root] + [c for c in root.conjuncts if c.i in inside and c.i > root.i]
    if len(heads) == 1:
        # coordinated modifiers share the head: "Syrian and Russian jets" -> two actors
        for mod in root.children:
            if mod.dep_ in ("amod", "compound", "nmod") and mod.i < root.i and mod.i in inside:
                conj = [c for c in mod.conjuncts if c.i in inside]
                if conj:
                    group = {mod.i} | {c.i for c in conj}
                    drop = group | {c.i for m in [mod, *conj] for c in m.children if c.dep_ == "cc"}
                    base = [t for t in span if keep(t) and t.i not in drop]
                    return [(sorted(base + [span.doc[i]], key=lambda t: t.i), root)
                            for i in sorted(group)]
        return [([t for t in span if keep(t)], root)]
    out = []
    for h in heads:
        skip: set[int] = set()
        for c in h.children:
            if c.dep_ in ("conj", "cc") or (c.dep_ == "punct"):
                skip.update(t.i for t in c.subtree)
        toks = [t for t in h.subtree if t.i in inside and t.i not in skip and keep(t)]
        out.append((toks, h))
    return out


def _mention_at(tok: Token, mentions: Sequence[ActorMention]) -> ActorMention | None:
    """The shortest mention covering ``tok`` (the first in mention order on a tie)."""
    from newsevents.nlp.spans import index_of

    covering = index_of(mentions, tok.doc.user_data).covering(tok.idx)
    return min(covering, key=lambda m: m.end - m.start) if covering else None


def resolve_phrase(span: Span, mentions: Sequence[ActorMention] = ()) -> list[ActorRef]:
    """The actor(s) a noun phrase denotes: one per conjunct; [] when it names no actor."""
    if len(span) == 0:
        return []
    ctx = span.doc.user_data.get(_CACHE)
    if not isinstance(ctx, _Context) or ctx.doc is not span.doc:
        # called without extract(): people and titles still resolve (no publication date)
        ctx = _Context(span.doc, None)
        span.doc.user_data[_CACHE] = ctx
    out: list[ActorRef] = []
    seen: set[tuple] = set()
    groups = _conjuncts(span)
    for toks, head in groups:
        ref = None
        # resolve the phrase itself first (it may say more than the mention: "villages near
        # Macedonia"); fall back to the article's mention when the phrase alone finds no country
        r = resolve_group(toks, head, ctx.known_at,
                          lambda sector, avoid=None, _i=head.i, **kw: ctx.country_for(sector, _i, avoid, **kw))
        m = _mention_at(head, mentions) if mentions and len(groups) == 1 else None
        if m is not None and m.actor_id is not None and (
                r is None or (r.country is None and r.org is None and (m.country or m.code))):
            ref = m.ref(ctx.names.get(m.actor_id, m.text))
        else:
            if r is not None and r.country is None and r.org is None \
                    and r.sector in DOMESTIC and r.person is None:
                c = ctx.country_for(r.sector, r.start)
                if c:
                    r = Resolved(r.name, r.kind, "agent+context", c, None, r.sector, r.start, r.end)
            if r is not None:
                s = span.doc[r.start:r.end]
                aid = _actor_id(r)
                ref = ActorRef(ctx.names.get(aid, r.name), _mention_code(r), r.country, r.sector,
                               aid, s.start_char, s.end_char, s.text)
        if ref is not None and (ref.actor_id, ref.start) not in seen:
            seen.add((ref.actor_id, ref.start))
            out.append(ref)
    return out


def office_left(doc: Doc, actor_id: str | None) -> tuple[str, str, str] | None:
    """(code, country, sector) of the office a person has left by the article's date (the
    latest role that ended), for acts that end it: "Assad resigned" is done by the head of
    state he was, not by the elite he became. None for anyone else."""
    ctx = doc.user_data.get(_CACHE)
    if not isinstance(ctx, _Context) or actor_id is None:
        return None
    ended = [r for r in ctx.roles.get(actor_id, ()) if r.end is not None or r.status == "former"]
    if not ended:
        return None
    role = max(ended, key=lambda r: r.end or "")
    org = role.organisation
    if not org or not role.sector:
        return None
    if len(org) == 3:
        return compose(org, role.sector, "person"), org, role.sector
    return org, None, role.sector

