"""Themes: the taxonomy of data/features_themes.json matched on lemmas with spaCy's PhraseMatcher.

Two matchers per vocabulary: one on LEMMA for the common-word terms (so "protested", "protests"
and "protest" all hit ``protest``), one on LOWER for proper names ("Boko Haram", "UNHCR"), whose
lemmas keep their capitals. Coded events add evidence too: a CAMEO 14x event is a PROTEST.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsevents.features.common import load_json
from newsevents.records import Event, Theme

__all__ = ["extract_themes", "taxonomy"]

#: Weight of one occurrence of a strong term / weak term / coded event of the theme.
STRONG, WEAK, EVENT = 2.0, 1.0, 2.0


@dataclass(frozen=True)
class _Entry:
    name: str
    gkg: str | None
    description: str


def taxonomy() -> dict[str, _Entry]:
    """Our theme name -> (GKG theme, description), in the order of the data file."""
    data = load_json("features_themes.json")
    return {
        name: _Entry(name, spec.get("gkg"), spec.get("description", ""))
        for name, spec in data["themes"].items()
    }


def _words(term: str) -> list[str]:
    return re.sub(r"\s+", " ", term.strip()).split(" ")


_MATCHERS: dict[int, tuple[Vocab, PhraseMatcher, PhraseMatcher, dict[int, tuple[str, float]]]] = {}


def _matchers(vocab: Vocab) -> tuple[PhraseMatcher, PhraseMatcher, dict[int, tuple[str, float]]]:
    """Build (once per vocabulary) the lemma and name matchers; key -> (theme, weight)."""
    cached = _MATCHERS.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1], cached[2], cached[3]
    data = load_json("features_themes.json")
    lemma_m = PhraseMatcher(vocab, attr="LEMMA")
    lower_m = PhraseMatcher(vocab, attr="LOWER")
    keys: dict[int, tuple[str, float]] = {}
    for name, spec in data["themes"].items():
        for kind, weight in (("strong", STRONG), ("weak", WEAK), ("names", STRONG)):
            terms = spec.get(kind, [])
            if not terms:
                continue
            label = f"{name}|{kind}"
            key = vocab.strings.add(label)
            keys[key] = (name, weight)
            docs = []
            for term in terms:
                words = _words(term)
                doc = Doc(vocab, words=words)
                if kind != "names":
                    for tok, w in zip(doc, words):
                        tok.lemma_ = w  # the data file writes terms as lemma sequences
                docs.append(doc)
            (lower_m if kind == "names" else lemma_m).add(label, docs)
    _MATCHERS[id(vocab)] = (vocab, lemma_m, lower_m, keys)
    return lemma_m, lower_m, keys


def _cameo_theme(code: str, table: dict[str, str]) -> str | None:
    for n in range(len(code), 1, -1):  # longest prefix first: 1831 before 183 before 18
        if code[:n] in table:
            return table[code[:n]]
    return None


def extract_themes(doc: Doc, events: Sequence[Event]) -> list[Theme]:
    """Themes of ``doc`` with their evidence terms, sorted by score (best first)."""
    data = load_json("features_themes.json")
    info = taxonomy()
    lemma_m, lower_m, keys = _matchers(doc.vocab)
    weights: dict[str, float] = {}
    strong: dict[str, float] = {}
    terms: dict[str, list[str]] = {}
    seen: set[tuple[str, int, int]] = set()
    for matcher in (lemma_m, lower_m):
        for key, start, end in matcher(doc):
            theme, weight = keys[key]
            if (theme, start, end) in seen:
                continue
            seen.add((theme, start, end))
            weights[theme] = weights.get(theme, 0.0) + weight
            if weight >= STRONG:
                strong[theme] = strong.get(theme, 0.0) + weight
            surface = doc[start:end].text.lower()
            found = terms.setdefault(theme, [])
            if surface not in found:
                found.append(surface)
    for ev in events:
        theme = _cameo_theme(ev.cameo_code, data["cameo"])
        if theme is None or ev.modality == "negated":
            continue
        weights[theme] = weights.get(theme, 0.0) + EVENT
        strong[theme] = strong.get(theme, 0.0) + EVENT
        tag = f"cameo:{ev.cameo_code}"
        found = terms.setdefault(theme, [])
        if tag not in found:
            found.append(tag)
    n_words = sum(1 for t in doc if not t.is_punct and not t.is_space)
    # Score = weighted evidence per 100 words; the floor of 100 words keeps one-line texts from
    # scoring like whole articles on a single hit.
    denom = max(n_words, 100) / 100.0
    # Thresholds checked by hand on 65 Wikinews articles (lines 0-39 and 5000-5024 of
    # shared/data/wikinews-text): one strong term (or one coded event) is usable evidence; weak
    # terms alone ("regime", "opposition") needed three hits before the theme was right more
    # often than not. A density cut (min_score 0.5) dropped about as many right themes as wrong
    # ones in long articles, so it is off by default (min_score 0 in the data file).
    threshold = float(data.get("threshold", 2.0))
    weak_threshold = float(data.get("weak_threshold", 3.0))
    min_score = float(data.get("min_score", 0.0))
    out = [
        Theme(name=name, gkg=info[name].gkg, terms=tuple(terms[name]), score=round(w / denom, 3))
        for name, w in weights.items()
        if (strong.get(name, 0.0) >= threshold or w >= weak_threshold) and w / denom >= min_score
    ]
    out.sort(key=lambda t: (-t.score, t.name))
    return out
