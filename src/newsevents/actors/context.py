"""Per-article actor context (people, context countries) and dated-role arithmetic.

Kept on ``doc.user_data["newsevents.actors"]`` by actors.py so that resolve_phrase stays cheap.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from typing import Sequence

from spacy.tokens import Doc, Token

from newsevents.actors.lexicon import fold
from newsevents.actors.people import Person, build, roles_for
from newsevents.actors.phrase import DOMESTIC, Resolved, compose, matches_in
from newsevents.records import Role

#: Modifiers a back-referring title may carry ("the former president").
_STATUS_OK = frozenset("former then late ousted deposed outgoing new".split())

#: Pronouns that stand for a person, by grammatical gender.
_PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
_SUBJ = frozenset(("nsubj", "nsubjpass"))

#: Sector families: a bare "government forces" takes the country last seen with any sector of
#: its family ("Syrian army ... government forces" -> SYR).
_FAMILY = {s: "state" for s in ("GOV", "MIL", "COP", "SPY", "LEG", "JUD")}
_FAMILY.update({s: "nonstate" for s in ("REB", "OPP", "UAF", "PTY")})


#: Weight the article's dominant country needs before a named person or organisation that
#: nothing else places takes it (a mention in the headline weighs 3, a locative 2, any other 1).
#: Measured on wikinews-events train (first 1,500 sentences): people placed this way raised
#: actor country accuracy from 0.607 to 0.655, unlisted organisations to 0.686; requiring 2
#: instead of 1 cost 0.001 there and avoids "Archbishop Desmond Tutu called for sanctions
#: against Nigeria" making Tutu Nigerian.
MIN_CONTEXT = 2


class _Context:
    """Per-article state kept on ``doc.user_data`` so resolve_phrase can reuse it cheaply."""

    def __init__(self, doc: Doc, published: str | None) -> None:
        self.doc = doc
        self.published = published
        self.by_token, self.people = build(doc, published)
        self.roles = {k: roles_for(p, published) for k, p in self.people.items()}
        self.memory: list[tuple[int, str, str]] = []  # (token, sector, country) seen explicitly
        self.ranked: list[str] = []  # countries by weighted mention count
        self.counts: Counter[str] = Counter()  # the weights behind ``ranked``
        self.acronyms: dict[str, Resolved] = {}  # "FIS" -> the phrase it abbreviates
        self.names: dict[str, str] = {}
        self._pron: dict[int, Person] | None = None  # pronoun token -> person (lazy)
        # Token positions of people, sorted, overall and per person (by id): the backward
        # searches below bisect them instead of scanning every person token per question,
        # which made long articles quadratic (issue 10).
        self._keys = sorted(self.by_token)
        self._tokens_of: dict[int, list[int]] = {}
        for i in self._keys:
            self._tokens_of.setdefault(id(self.by_token[i]), []).append(i)
        self._first: dict[int, tuple[int, set[int]]] = {}
        self._holders: dict[tuple[str, str | None], list[Person]] = {}

    def _remember(self, i: int, p: Person) -> None:
        if i not in self.by_token:
            insort(self._keys, i)
            insort(self._tokens_of.setdefault(id(p), []), i)
        self.by_token[i] = p

    def known_at(self, tok: Token) -> Resolved | None:
        """A person at ``tok``, or an acronym the article defined ("Islamic Salvation Front
        (FIS)" ... "FIS")."""
        p = self.person_at(tok)
        if p is None and tok.text in self.acronyms:
            a = self.acronyms[tok.text]
            country = a.country
            if country is None and a.org is None and a.sector in DOMESTIC:
                country = self.country_for(a.sector, tok.i)
            return Resolved(a.name, a.kind, "acronym", country, a.org, a.sector, tok.i, tok.i + 1,
                            named=True)
        return p

    def person_at(self, tok: Token) -> Resolved | None:
        p = self.by_token.get(tok.i)
        if p is None:
            p = self._title_coref(tok)
            if p is not None:  # later pronouns may refer back to "the president"
                self._remember(tok.i, p)
            else:
                p = self._pronoun(tok)
        if p is None:
            return None
        code, sector = _code_on(self.roles[p.key], self.published, None, None)
        country = org = None
        role = _role_on(self.roles[p.key], self.published)
        # PETRARCH2's office-holders, learned names and the article's country are guesses: a
        # country or organisation the phrase itself states wins over them
        guessed = role is None or (not p.text_roles and all(
            ld.source != "leaders" for ld in p.leaders))
        if role is not None:
            org_code = role.organisation or ""
            country, org = (org_code, None) if len(org_code) == 3 else (None, org_code or None)
            if not org_code:
                # "President Kagame" with no country in the text: the office-holder file, the
                # person's nationality, else the article's dominant country
                country = next((ld.organisation for ld in p.leaders), None) or p.nationality \
                    or self.dominant
                if country and len(country) > 3:
                    country, org = None, country
                code, sector = _code_on((_with_org(role, country or org),), self.published,
                                        None, None)
        elif p.nationality or p.org:
            country, org, sector = p.nationality, p.org, p.sector
        elif self.counts.get(self.dominant or "", 0) >= MIN_CONTEXT:
            # nothing says where this person is from: most people a report names belong to the
            # country it is about
            country = self.dominant
        if tok.pos_ == "PRON":
            basis = "pronoun"
        elif tok.ent_type_ != "PERSON" and fold(tok.text).lower() not in p.words:
            basis = "title"  # "Syria's deposed president" in apposition to the name
        elif tok.i in self._first_tokens(p):
            basis = p.basis
        else:
            basis = "coref"
        return Resolved(p.name, "person", basis, country, org, sector, tok.i, tok.i + 1,
                        person=p.key, status=role.status if role else None, guessed=guessed)

    def _last_before(self, i: int, ok) -> Person | None:
        """The person of the last person token before token ``i`` that satisfies ``ok``."""
        verdict: dict[int, bool] = {}
        for k in range(bisect_left(self._keys, i) - 1, -1, -1):
            q = self.by_token[self._keys[k]]
            good = verdict.get(id(q))
            if good is None:
                good = verdict[id(q)] = bool(ok(q))
            if good:
                return q
        return None

    def _title_coref(self, tok: Token) -> Person | None:
        """"the president" -> the last person named before with a role of that title."""
        if tok.pos_ != "NOUN" or not any(c.lower_ == "the" for c in tok.children):
            return None
        want: str | None = None  # "the Iranian president": only a holder for Iran
        for c in tok.children:
            if c.dep_ not in ("poss", "compound", "amod", "prep") or c.lower_ in _STATUS_OK:
                continue
            ms = matches_in([c])
            if c.dep_ == "amod" and ms and ms[0].entry.basis == "demonym" and want is None:
                want = ms[0].entry.country
                continue
            return None  # "the president of X", "Russia's president": a description, not a back-reference
        word = tok.lemma_.lower()

        def holds(q: Person) -> bool:
            roles = [(r.title, r.organisation) for r in q.text_roles] + \
                [(ld.title, ld.organisation) for ld in q.leaders]
            return any(t and t.split()[-1].split("-")[0] == word and (want is None or o == want)
                       for t, o in roles)
        # who holds such a title does not change while the article is read: find the holders
        # once per (title, country), then only their last mention before ``tok``
        holders = self._holders.get((word, want))
        if holders is None:
            if getattr(self, "_people_n", -1) != len(self.by_token):
                self._people = list({id(q): q for q in self.by_token.values()}.values())
                self._people_n = len(self.by_token)
            holders = self._holders[(word, want)] = [q for q in self._people if holds(q)]
        best, at = None, -1
        for q in holders:
            mine = self._tokens_of[id(q)]
            k = bisect_left(mine, tok.i) - 1
            if k >= 0 and mine[k] > at:
                best, at = q, mine[k]
        return best

    def _pronoun(self, tok: Token) -> Person | None:
        """he/she/him/her -> the nearest person named before it in this or the previous
        sentence whose gender agrees (see ``_pronouns``)."""
        if tok.lower_ not in _PRONOUN_GENDER or tok.dep_ == "poss":
            return None
        if self._pron is None:
            self._pron = self._pronouns()
        return self._pron.get(tok.i)

    def _pronouns(self) -> dict[int, Person]:
        """Resolve every he/she/him/her of the article once, in text order. A person's gender
        comes from the text: a gendered title or honorific ("Mrs", "Queen", "spokeswoman";
        people.py), else the first pronoun that can only mean them (the one person named in
        reach). A pronoun goes to a person named before it in this or the previous sentence
        whose gender agrees or is still unknown: a known agreeing gender first, then a
        grammatical subject, then the nearest ("Merkel said she would meet Macron. He welcomed
        her": he -> Macron, her -> Merkel). Cost: one bisect per pronoun."""
        doc = self.doc
        starts = [s.start for s in doc.sents]
        sent_of = {}
        k = 0
        for i in range(len(doc)):
            while k + 1 < len(starts) and starts[k + 1] <= i:
                k += 1
            sent_of[i] = k
        named = sorted(self.by_token.items())  # (token, person), in text order
        positions = [j for j, _ in named]
        people = {q.key: q for _, q in named}
        out: dict[int, Person] = {}
        for tok in doc:
            g = _PRONOUN_GENDER.get(tok.lower_)
            if g is None or tok.dep_ == "poss" or tok.pos_ != "PRON":
                continue
            lo = starts[max(0, sent_of[tok.i] - 1)]
            last: dict[str, int] = {}  # person -> their last token before the pronoun
            for j, q in named[bisect_left(positions, lo):bisect_left(positions, tok.i)]:
                if q.gender in (None, g):
                    last[q.key] = j
            if not last:
                continue

            def rank(key: str) -> tuple:
                q, j = people[key], last[key]
                subject = doc[j].dep_ in _SUBJ or (doc[j].head.dep_ in _SUBJ and
                                                    self.by_token.get(doc[j].head.i) is q)
                return (q.gender != g, not subject, -j)

            pick = people[min(last, key=rank)]
            if pick.gender is None:
                pick.gender = g  # the pronoun tells the gender of the one it stands for
            out[tok.i] = pick
        return out

    def _first_tokens(self, p: Person) -> set[int]:
        """Tokens of the person's first PERSON entity (later ones are coreferent mentions)."""
        mine = self._tokens_of.get(id(p), [])
        held = self._first.get(id(p))
        if held is not None and held[0] == len(mine):
            return held[1]
        toks = [i for i in mine if self.doc[i].ent_type_ == "PERSON"]
        first: set[int] = set()
        for i in toks:
            if first and i != max(first) + 1:
                break
            first.add(i)
        self._first[id(p)] = (len(mine), first)
        return first

    def country_for(self, sector: str | None, at: int = 10**9, avoid: str | None = None,
                    strong: bool = False) -> str | None:
        """Country for a bare agent at token ``at``: the last one seen with the same sector
        family before it, else the article's dominant country. ``strong``: only a dominant
        country the article names at least twice (or in its headline), for named people and
        organisations nothing else places ("Archbishop Desmond Tutu called for sanctions
        against Nigeria": one mention of the country he acts on says nothing about him)."""
        if strong:
            return self.dominant if self.counts.get(self.dominant or "", 0) >= MIN_CONTEXT else None
        fam = _FAMILY.get(sector or "", sector)
        best = self._memory_index(fam, at, avoid)
        return best or next((c for c in self.ranked if c != avoid), None)

    def _memory_index(self, fam: str | None, at: int, avoid: str | None) -> str | None:
        """The country of the last ``memory`` entry (in memory order) of family ``fam`` at a
        token <= ``at`` whose country is not ``avoid``, by bisection (a scan of the whole memory
        per question made long articles quadratic, issue 10). Per family, entries are sorted by
        token with a running best (latest in memory order) and the best whose country differs
        from it, which answers any single ``avoid``."""
        held = getattr(self, "_mem_idx", None)
        if held is None or held[0] != len(self.memory):
            fams: dict[str | None, list[tuple[int, int, str]]] = {}
            for order, (i, sec, c) in enumerate(self.memory):
                fams.setdefault(_FAMILY.get(sec, sec), []).append((i, order, c))
            idx = {}
            for f, rows in fams.items():
                rows.sort()
                keys, tops = [], []
                top: tuple[int, str] | None = None
                other: tuple[int, str] | None = None
                for i, order, c in rows:
                    if top is None or order > top[0]:
                        # the old best is the best of another country unless it shares c;
                        # then the old "other" (best of a country != c) still is
                        if top is not None and top[1] != c:
                            other = top
                        top = (order, c)
                    elif c != top[1] and (other is None or order > other[0]):
                        other = (order, c)
                    keys.append(i)
                    tops.append((top, other))
                idx[f] = (keys, tops)
            held = self._mem_idx = (len(self.memory), idx)
        found = held[1].get(fam)
        if not found:
            return None
        k = bisect_right(found[0], at) - 1
        if k < 0:
            return None
        top, other = found[1][k]
        if top[1] != avoid:
            return top[1]
        return other[1] if other is not None else None

    @property
    def dominant(self) -> str | None:
        return self.ranked[0] if self.ranked else None


def _with_org(role: Role, org: str | None) -> Role:
    return Role(role.title, org, role.sector, role.start, role.end, role.status, role.evidence)


def _valid(role: Role, date: str) -> bool:
    return (role.start is None or role.start <= date) and (role.end is None or date < role.end)


def _role_on(roles: Sequence[Role], date: str | None) -> Role | None:
    if not roles:
        return None
    if date is None:  # no date: what the text says first, then the latest open role
        told = [r for r in roles if not r.evidence.startswith("leaders file")]
        for status in ("current", "acting", "elect", "former"):
            for r in told:
                if r.status == status:
                    return r
        open_roles = [r for r in roles if r.end is None and r.status != "former"]
        return open_roles[-1] if open_roles else roles[-1]
    # "former"/"future" label a dated role as of the article's publication (roles_for); on a
    # date inside its interval it was held. A "former" read from text alone has no start.
    valid = [r for r in roles if _valid(r, date) and not (r.status == "former" and r.start is None)]
    # a role the text states ("opposition leader X") describes the person as of the report;
    # it goes before a dictionary's open-ended role (PETRARCH2's end in 2014)
    valid.sort(key=lambda r: r.evidence.startswith("leaders file"))
    for status in ("current", "acting", "former", "future", "elect"):
        for r in valid:
            if r.status == status:
                return r
    ended = [r for r in roles if r.end is not None and r.end <= date]
    if ended:
        return max(ended, key=lambda r: r.end or "")
    former = next((r for r in roles if r.status == "former"), None)
    if former is not None:
        return former
    # before the first dated office: an elite of that office's country (_code_on says ELI)
    later = [r for r in roles if r.start is not None and r.start > date]
    return min(later, key=lambda r: r.start or "") if later else None


def _code_on(roles: Sequence[Role], date: str | None, code: str | None,
             sector: str | None) -> tuple[str | None, str | None]:
    role = _role_on(roles, date)
    if role is None:
        return code, sector
    in_office = role.status in ("current", "acting", "former", "future") and (
        date is None or _valid(role, date)) and not (role.end and date and role.end <= date) \
        and not (date is None and role.status in ("former", "future"))
    if in_office:
        return compose(role.organisation, role.sector, "person"), role.sector
    base = role.organisation
    if base and len(base) > 3:  # IGO office-holders keep the organisation code
        return base, "ELI"
    return compose(base, "ELI", "person"), "ELI"
