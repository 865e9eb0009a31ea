"""Speaker-colon lines: headlines ("Pence: Flowers won't be at the debate") and transcripts
("WALLACE: Let's start with ..."), where a bare name and a colon introduce the words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

__all__ = ["ColonLine", "find_colon_lines"]

#: A speaker label is short: PolNeAR headlines and transcripts use 1-4 word labels
#: ("Pat Caddell", "WALLACE", "Obama on Climate Change" is the longest seen in dev).
MAX_LABEL_WORDS = 4
#: Editorial labels that are not speakers ("Correction: ...", "The Latest: ...").
_EDITORIAL = frozenset(
    """correction clarification video watch update updated editor note editor's the latest
    latest photos photo related read more breaking exclusive analysis opinion abstract
    success live note warning transcript""".split()
)
_PREPS = frozenset("over to for in at with from by about after before under into against".split())
_QUOTES = "\"“”‘’'"
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class ColonLine:
    speaker: Token  # head of the label
    colon: Token
    start: int  # content offsets (without surrounding quotation marks)
    end: int


def _label_ok(tokens: list[Token]) -> bool:
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if not words or len(words) > MAX_LABEL_WORDS:
        return False
    if not words[0].text[:1].isupper():
        return False
    words = [t for t in words if t.lower_ != "the"] or words
    # every content word capitalised (a name or headline label), no finite verb
    if " ".join(t.lower_ for t in words) in _EDITORIAL or words[0].lower_ in _EDITORIAL:
        return False
    for t in words:
        if t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBN", "VBG"):
            return False
        # title case hides prepositions from the tagger ("Stealth Over Health")
        if (t.pos_ == "ADP" or t.lower_ in _PREPS) and t.lower_ != "on":
            return False
        if t.is_alpha and not t.text[:1].isupper() and t.lower_ not in ("on", "of", "and", "the"):
            return False
    return True


def find_colon_lines(doc: Doc) -> list[ColonLine]:
    """Lines that start with a short capitalised label and a colon."""
    text = doc.text
    starts = {t.idx: t.i for t in doc}
    out = []
    for m in _LINE.finditer(text):
        ls, le = m.start(), m.end()
        while ls < le and (text[ls].isspace() or text[ls] in _QUOTES):
            ls += 1
        colon_at = text.find(":", ls, min(le, ls + 60))
        if colon_at < 0 or ls not in starts:
            continue
        first = starts[ls]
        label = []
        colon = None
        for t in doc[first:]:
            if t.idx >= colon_at:
                colon = t if t.text == ":" else None
                break
            label.append(t)
        if colon is None or not _label_ok(label):
            continue
        cs, ce = colon_at + 1, le
        while cs < ce and (text[cs].isspace() or text[cs] in _QUOTES):
            cs += 1
        while ce > cs and (text[ce - 1].isspace() or text[ce - 1] in _QUOTES + ".,"):
            ce -= 1
        if len(text[cs:ce].split()) < 2:
            continue
        propn = [t for t in label if t.pos_ in ("PROPN", "NOUN")]
        speaker = propn[-1] if propn else label[-1]
        # "Obama on Climate Change": the label's speaker is before the preposition
        for t in label:
            if t.dep_ == "prep" or t.pos_ == "ADP":
                before = [x for x in label if x.i < t.i and x.pos_ in ("PROPN", "NOUN")]
                if before:
                    speaker = before[-1]
                break
        out.append(ColonLine(speaker=speaker, colon=colon, start=cs, end=ce))
    return out
