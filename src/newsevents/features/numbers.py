"""Reading numbers written in news prose: "12", "3,000", "2.5 million", "twenty-five", "dozens".

Used by the counts and amounts extractors. Works on spaCy tokens so the callers can keep the
offsets; a number is a run of number-like tokens ("2.5", "million"), optionally with a hyphen
inside spelled-out numbers ("twenty - five").
"""
from __future__ import annotations

import re
from typing import Sequence

from spacy.tokens import Token

__all__ = ["UNITS", "MAGNITUDES", "VAGUE", "APPROX_WORDS", "is_number_token", "parse_number"]

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "dozen": 12, "half": 0.5,
}

#: Multipliers, including the abbreviations of business prose ("€2m", "$3bn", "5k").
MAGNITUDES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000,
    "bn": 1_000_000_000, "b": 1_000_000_000, "k": 1_000, "tn": 1_000_000_000_000,
    "crore": 10_000_000, "lakh": 100_000,  # South Asian prose: "Rs 500 crore"
}

#: Vague plural quantities. The value is a conventional lower estimate (about twice the unit:
#: "dozens" is at least 24); every count read from one of these is flagged approximate.
VAGUE = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000,
    "tens": 20, "billions": 2_000_000_000,
}

#: Modifiers that make a count approximate ("at least 12", "some 5,000", "nearly 40").
APPROX_WORDS = {
    "about", "around", "approximately", "roughly", "nearly", "almost", "some", "over", "least",
    "than", "estimated", "up", "as", "many", "more", "upwards", "circa", "c.", "reportedly",
    "perhaps", "possibly", "maybe", "several", "under", "fewer", "less",
}


#: "3bn", "2m", "5.5k": a number glued to its magnitude abbreviation (one spaCy token).
_GLUED = re.compile(r"^(\d[\d,]*(?:\.\d+)?)(bn|mn|mln|m|k|b|tn)$", re.I)


#: Digits as news prose writes them: "12", "3,000", "2.5" (not "1e5", "3.5.6", "inf").
_PLAIN = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


#: "1,8 billion", "2,5 millions": a decimal comma (a thousands comma groups exactly 3 digits).
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")


def _digits(text: str) -> float | None:
    if _DECIMAL_COMMA.match(text):
        return float(text.replace(",", "."))
    t = text.replace(",", "")
    if _PLAIN.match(text):
        return float(t)
    m = _GLUED.match(t)
    if m:
        return float(m.group(1).replace(",", "")) * MAGNITUDES[m.group(2).lower()]
    return None


#: Every word that can be part of a written number (fast pre-check before parsing digits).
_NUMBER_WORDS = frozenset(UNITS) | frozenset(VAGUE) | {"hundred", "thousand", "million", "billion",
                                                       "trillion", "dozen"}


def is_number_token(tok: Token) -> bool:
    """True for a token that can be part of a written number."""
    text = tok.text
    if not text:
        return False
    low = tok.lower_
    if low in ("a", "an", "half"):  # only numbers inside a run ("a dozen", "half a million")
        return False
    if low in _NUMBER_WORDS:
        return True
    if text[0].isdigit() or (text[0] in "+-." and len(text) > 1 and text[1].isdigit()):
        return _digits(text) is not None
    # "2m", "3bn" written apart ("€ 269 m", "€100 m." at a sentence end)
    return low.rstrip(".") in MAGNITUDES and tok.i > 0 and _is_digit_token(tok.doc[tok.i - 1])


def _is_digit_token(tok: Token) -> bool:
    return bool(tok.text) and tok.text[0].isdigit() and _digits(tok.text) is not None


def parse_number(tokens: Sequence[Token]) -> tuple[float, bool] | None:
    """Value of a run of number tokens and whether it is vague ("dozens", "tens of thousands").

    >>> # "2.5 million" -> (2500000.0, False); "hundreds of thousands" -> (200000.0, True)
    """
    words = [t.lower_.rstrip(".") if t.lower_.rstrip(".") in MAGNITUDES else t.lower_
             for t in tokens if t.lower_ not in ("-", "of", "and")]
    if not words:
        return None
    vague = False
    total = 0.0
    current: float | None = None
    for w in words:
        num = _digits(w)
        if num is not None:
            current = (current or 0) + num
        elif w in VAGUE:
            vague = True
            if current is None:
                current = float(VAGUE[w])
            else:  # "tens of thousands": the first vague word counts units of the second
                current *= VAGUE[w] / 2
        elif w in ("a", "an") and current is not None:
            continue  # "half a million": the article is not another unit
        elif w == "dozen":
            current = (current or 1) * 12
        elif w in ("hundred",):
            current = (current or 1) * 100
        elif w in MAGNITUDES:
            total += (current if current is not None else 1) * MAGNITUDES[w]
            current = None
        elif w in UNITS:
            val = UNITS[w]
            if current is not None and current >= 20 and val < 10 and current % 10 == 0:
                current += val  # "twenty five"
            elif current is None:
                current = float(val)
            else:
                current += val
        else:
            return None
    value = total + (current or 0)
    if value <= 0:
        return None
    return value, vague
