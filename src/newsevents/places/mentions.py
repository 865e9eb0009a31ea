"""The places stage's working records: a toponym mention, the article's country evidence, and the
``Place`` a resolved mention becomes."""
from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass, field

from newsevents.places.index import Candidate, gazetteer
from newsevents.records import Place

_PRECISION = {"continent": "region", "region": "region", "country": "country", "admin1": "admin1",
              "capital": "city", "city": "city", "division": "country", "admin2": "admin2"}


class Spans:
    """Sorted character spans answering "does any overlap [start, end)?" in O(log n)."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        spans = sorted(spans)
        self._starts = [s for s, _ in spans]
        self._max_end: list[int] = []
        top = -1
        for _, e in spans:
            top = max(top, e)
            self._max_end.append(top)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self._starts, end)  # spans starting before ``end``
        return k > 0 and self._max_end[k - 1] > start


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


def _decay(d: int) -> float:
    # Evidence counts fully in its sentence, half next door, a quarter within three, a tenth
    # elsewhere: in a world round-up (geovirus-0187: US 11 mentions, Australia 5) "Victoria"
    # next to "Melbourne" is Australian even though the article as a whole is American.
    return 1.0 if d == 0 else 0.5 if d == 1 else 0.25 if d <= 3 else 0.1


@dataclass
class Context:
    """Evidence for keys (countries, or "CC.ADM1" first-level divisions), each piece at a sentence
    (-1 = applies to the whole text) and from a source mention (a mention is never its own
    evidence: "Paris" must not vote for France).

    Linear in the amount of evidence: totals per sentence are kept, and the weights seen from one
    sentence are combined from the seven sentences around it plus the article total, so asking
    for every mention of a long document never rescans all evidence.
    """

    evidence: list[tuple[int, str, float, int]] = field(default_factory=list)
    _by_sent: dict[int, Counter] = field(default_factory=dict)
    _whole: Counter = field(default_factory=Counter)  # sentence -1: counts fully everywhere
    _total: Counter = field(default_factory=Counter)  # all sentence-bound evidence
    _by_src: dict[int, list[tuple[int, str, float]]] = field(default_factory=dict)
    _cache: dict[int, tuple[Counter, float]] = field(default_factory=dict)

    def add(self, cc: str, sentence: int = -1, weight: float = 1.0, source: object = None) -> None:
        src = id(source) if source is not None else 0
        self.evidence.append((sentence, cc, weight, src))
        if sentence < 0:
            self._whole[cc] += weight
        else:
            self._by_sent.setdefault(sentence, Counter())[cc] += weight
            self._total[cc] += weight
        if src:
            self._by_src.setdefault(src, []).append((sentence, cc, weight))
        self._cache.clear()

    @property
    def countries(self) -> Counter:
        return self._whole + self._total

    def _base_weights(self, sentence: int) -> Counter:
        if sentence < 0:
            return self._whole + self._total
        w: Counter = Counter(self._whole)
        for cc, v in self._total.items():
            w[cc] += 0.1 * v
        for d in range(-3, 4):
            extra = _decay(abs(d)) - 0.1
            for cc, v in self._by_sent.get(sentence + d, {}).items():
                w[cc] += extra * v
        return w

    def _weights(self, sentence: int, exclude: int) -> tuple[Counter, float]:
        if sentence not in self._cache:
            w = self._base_weights(sentence)
            self._cache[sentence] = (w, max(w.values(), default=0.0))
        w, top = self._cache[sentence]
        own = self._by_src.get(exclude) if exclude else None
        if not own:
            return w, top
        w = Counter(w)
        for s, cc, wt in own:
            w[cc] -= wt * (1.0 if s < 0 or sentence < 0 else _decay(abs(s - sentence)))
        return w, max(w.values(), default=0.0)

    def sentence_share(self, cc: str, sentence: int, source: object = None) -> float:
        """Share of ``cc`` in the evidence of ``sentence`` alone ("In Australia, doctors in
        Melbourne and across Victoria"), the mention's own evidence left out."""
        here = self._by_sent.get(sentence)
        if not cc or not here:
            return 0.0
        own = self._by_src.get(id(source), ()) if source is not None else ()
        w = Counter(here)
        for s, k, wt in own:
            if s == sentence:
                w[k] -= wt
        top = max(w.values(), default=0.0)
        return max(0.0, w.get(cc, 0.0)) / top if top > 1e-9 else 0.0

    def share(self, cc: str, sentence: int = -1, source: object = None) -> float:
        if not cc or not self.evidence:
            return 0.0
        w, top = self._weights(sentence, id(source) if source is not None else 0)
        return max(0.0, w.get(cc, 0.0)) / top if top > 1e-9 else 0.0


def to_place(c: Candidate, start: int, end: int, text: str, sentence: int, margin: float) -> Place:
    gaz = gazetteer()
    admin1 = gaz.admin1_names.get(f"{c.cc}.{c.adm1}", c.adm1 or None) if c.adm1 else None
    if c.feat in ("admin1", "division"):
        admin1 = c.name
    # Confidence: the margin over the runner-up through a logistic (margin 0 -> 0.5).
    score = round(1.0 / (1.0 + math.exp(-margin)), 3)
    return Place(start, end, text, sentence, c.name, c.gid, gaz.iso3.get(c.cc) if c.cc else None, admin1,
                 round(c.lat, 5), round(c.lon, 5), c.feat, _PRECISION[c.feat], score, True)
