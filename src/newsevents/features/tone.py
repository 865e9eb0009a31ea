"""Tone with VADER (vaderSentiment; its lexicon ships inside the package).

Per sentence: VADER's ``pos``/``neg``/``neu`` shares and ``compound`` (-1..1). Per article: the
shares and the compound averaged over sentences weighted by their word counts, so a long
sentence weighs more than a one-word dateline. ``polarity`` = positive + negative: how emotive
the text is whatever the sign (GDELT's V1.5TONE "Polarity" is its positive + negative scores).
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span

from newsevents.records import Tone

__all__ = ["sentence_tones", "article_tone", "NEUTRAL"]

NEUTRAL = Tone(positive=0.0, negative=0.0, neutral=1.0, compound=0.0, polarity=0.0)


@lru_cache(maxsize=1)
def _analyzer():  # type: ignore[no-untyped-def]
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _tone(scores: dict[str, float]) -> Tone:
    pos, neg = float(scores["pos"]), float(scores["neg"])
    return Tone(
        positive=pos,
        negative=neg,
        neutral=float(scores["neu"]),
        compound=float(scores["compound"]),
        polarity=round(pos + neg, 4),
    )


def sentence_tones(sents: list[Span]) -> list[tuple[Tone, int]]:
    """(tone, word count) of every sentence."""
    sia = _analyzer()
    out = []
    for s in sents:
        n_words = sum(1 for t in s if not t.is_punct and not t.is_space)
        text = s.text.strip()
        out.append((_tone(sia.polarity_scores(text)) if text else NEUTRAL, n_words))
    return out


def article_tone(tones: list[tuple[Tone, int]]) -> Tone:
    """Word-weighted mean of the sentence tones."""
    total = sum(n for _, n in tones)
    if total == 0:
        return NEUTRAL

    def mean(attr: str) -> float:
        return round(sum(getattr(t, attr) * n for t, n in tones) / total, 4)

    pos, neg = mean("positive"), mean("negative")
    return Tone(positive=pos, negative=neg, neutral=mean("neutral"), compound=mean("compound"),
                polarity=round(pos + neg, 4))
