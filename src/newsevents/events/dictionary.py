"""The event dictionary (data/events_verbs.tsv): predicate patterns -> CAMEO code and frame."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

__all__ = ["Entry", "entries", "match", "obj_lemmas", "FRAMES"]

FRAMES = ("intent", "threat", "refuse", "demand", "appeal", "neg", "try", "future", "prepare",
          "aspect", "light", "speech")


@dataclass(frozen=True)
class Entry:
    lemma: str
    pos: str  # V | N | A
    obj: frozenset[str] = frozenset()
    prt: frozenset[str] = frozenset()
    prep: frozenset[str] = frozenset()
    pobj: frozenset[str] = frozenset()
    mod: frozenset[str] = frozenset()
    code: str | None = None
    frame: str | None = None
    line: int = 0

    @property
    def specificity(self) -> int:
        return sum(1 for s in (self.obj, self.prt, self.prep, self.pobj, self.mod) if s)

    @property
    def rule(self) -> str:
        parts = [self.lemma]
        for name in ("prt", "prep", "obj", "pobj", "mod"):
            vals = getattr(self, name)
            if vals:
                parts.append(f"{name}={'|'.join(sorted(vals))[:40]}")
        return "+".join(parts)


@lru_cache(maxsize=1)
def entries() -> dict[tuple[str, str], tuple[Entry, ...]]:
    """All entries keyed by (lemma, pos), most specific first, then in file order."""
    table: dict[tuple[str, str], list[Entry]] = {}
    text = resources.files("newsevents.events").joinpath("data", "events_verbs.tsv").read_text("utf-8")
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        if len(cols) < 5:
            raise ValueError(f"events_verbs.tsv:{n}: expected 5+ tab-separated columns")
        lemma, pos, cond, code, frame = (c.strip() for c in cols[:5])
        kw: dict[str, frozenset[str]] = {}
        if cond != "-":
            for part in cond.split(";"):
                key, _, vals = part.partition("=")
                kw[key.strip()] = frozenset(v.strip().lower() for v in vals.split("|") if v.strip())
        e = Entry(lemma=lemma.lower(), pos=pos, code=None if code == "-" else code,
                  frame=None if frame == "-" else frame, line=n, **kw)
        table.setdefault((e.lemma, pos), []).append(e)
    return {k: tuple(sorted(v, key=lambda e: (-e.specificity, e.line))) for k, v in table.items()}


def _lem(tok: Token) -> str:
    return tok.lemma_.lower()


def obj_lemmas(head: Token | None) -> set[str]:
    """Lemmas that describe an object: its head, compound/amod modifiers and an 'of' complement
    ("control of X", "state of emergency")."""
    if head is None:
        return set()
    out = {_lem(head), head.lower_}
    for c in head.children:
        if c.dep_ in ("compound", "amod", "nmod"):
            out.add(_lem(c))
            out.add(c.lower_)
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj":
                    out.add(_lem(g))
    return out


def _prep_info(tok: Token) -> tuple[set[str], set[str]]:
    preps, pobjs = set(), set()
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative"):
            preps.add(c.lower_)
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp"):
                    pobjs |= obj_lemmas(g)
    return preps, pobjs


def match(tok: Token, pos: str, obj: Token | None) -> Entry | None:
    """The most specific dictionary entry for predicate ``tok`` with object ``obj``."""
    cands = entries().get((_lem(tok), pos))
    if not cands and pos == "V":
        cands = entries().get((tok.lower_, pos))
    if not cands:
        return None
    olem = obj_lemmas(obj)
    # the parser often labels a particle as advmod ("forced X out"): accept both
    prts = {c.lower_ for c in tok.children
            if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in _PARTICLES)}
    preps, pobjs = _prep_info(tok)
    mods = {_lem(c) for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    for e in cands:
        if e.obj and not (e.obj & olem):
            continue
        if e.prt and not (e.prt & prts):
            continue
        if e.prep and not (e.prep & preps):
            continue
        if e.pobj and not (e.pobj & pobjs):
            continue
        if e.mod and not (e.mod & mods):
            continue
        if not e.prt and prts and e.lemma in _PRT_SENSITIVE:
            continue  # "give in" is not "give", "step down" is not "step"
        return e
    return None


_PARTICLES = frozenset({"out", "off", "down", "up", "over", "back", "in"})

#: Verbs whose meaning changes with a particle; a row without prt= does not match them when a
#: particle is present.
_PRT_SENSITIVE = frozenset({"give", "step", "pull", "hand", "call", "turn", "break", "cut", "blow",
                            "round", "crack", "shut", "carry", "gun", "weigh", "force"})
