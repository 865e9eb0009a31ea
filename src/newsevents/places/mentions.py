"""The places stage's working records: a toponym mention, the article's country evidence, and the
``Place`` a resolved mention becomes."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from newsevents.places.index import Candidate, gazetteer
from newsevents.records import Place

_PRECISION = {"continent": "region", "region": "region", "country": "country", "admin1": "admin1",
              "capital": "city", "city": "city", "division": "country"}


@dataclass
class Mention:
    start: int
    end: int
    text: str
    sentence: int
    label: str  # spaCy label (GPE, LOC, FAC) or GAZ for gazetteer-only matches
    qualifier: str | None = None  # the name after a comma: "Paris, Texas" -> "Texas"
    #: candidates of the place this mention qualifies ("Atlanta" for "Georgia" in "Atlanta, Georgia")
    qualifies: list[Candidate] = field(default_factory=list)
    #: "admin1" when the text says so: "Washington state", "Guerrero state police", "Hebei province"
    hint: str | None = None
    #: feature class of the confident places listed with it ("X, Y and Z"), if any
    list_feat: str | None = None
    cands: list[Candidate] = field(default_factory=list)
    choice: Candidate | None = None
    #: countries of the confident admin1 places in this or the next sentence ("Texas ... New York")
    states_near: frozenset[str] = frozenset()
    #: True when the gazetteer had no match and ``choice`` is the place it lies in or near
    inferred: bool = False
    score: float = 0.0
    margin: float = 0.0


@dataclass
class Context:
    """Country evidence, each piece at a sentence (-1 = applies to the whole text) and from a
    source mention (a mention is never its own evidence: "Paris" must not vote for France)."""

    evidence: list[tuple[int, str, float, int]] = field(default_factory=list)
    _cache: dict[tuple[int, int], Counter] = field(default_factory=dict)

    def add(self, cc: str, sentence: int = -1, weight: float = 1.0, source: object = None) -> None:
        self.evidence.append((sentence, cc, weight, id(source) if source is not None else 0))
        self._cache.clear()

    @property
    def countries(self) -> Counter:
        c: Counter = Counter()
        for _, cc, wt, _src in self.evidence:
            c[cc] += wt
        return c

    def _weights(self, sentence: int, exclude: int) -> Counter:
        # Evidence counts fully in its sentence, half next door, a quarter within three, a tenth
        # elsewhere: in a world round-up (geovirus-0187: US 11 mentions, Australia 5) "Victoria"
        # next to "Melbourne" is Australian even though the article as a whole is American.
        key = (sentence, exclude)
        if key not in self._cache:
            w: Counter = Counter()
            for s, cc, wt, src in self.evidence:
                if exclude and src == exclude:
                    continue
                d = abs(s - sentence) if s >= 0 and sentence >= 0 else 0
                w[cc] += wt * (1.0 if d == 0 else 0.5 if d == 1 else 0.25 if d <= 3 else 0.1)
            self._cache[key] = w
        return self._cache[key]

    def share(self, cc: str, sentence: int = -1, source: object = None) -> float:
        if not cc or not self.evidence:
            return 0.0
        w = self._weights(sentence, id(source) if source is not None else 0)
        top = max(w.values(), default=0.0)
        return w.get(cc, 0.0) / top if top else 0.0


def to_place(c: Candidate, start: int, end: int, text: str, sentence: int, margin: float) -> Place:
    gaz = gazetteer()
    admin1 = gaz.admin1_names.get(f"{c.cc}.{c.adm1}", c.adm1 or None) if c.adm1 else None
    if c.feat in ("admin1", "division"):
        admin1 = c.name
    # Confidence: the margin over the runner-up through a logistic (margin 0 -> 0.5).
    score = round(1.0 / (1.0 + math.exp(-margin)), 3)
    return Place(start, end, text, sentence, c.name, c.gid, gaz.iso3.get(c.cc) if c.cc else None, admin1,
                 round(c.lat, 5), round(c.lon, 5), c.feat, _PRECISION[c.feat], score, True)
