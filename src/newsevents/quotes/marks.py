"""Find quotation-mark segments in raw text (no parse needed).

Handles curly, straight, guillemet and low-9 double quotes, single quotes only when they clearly
delimit a quotation (not apostrophes), and the English convention for quotes running over
paragraphs: an unclosed quote at a paragraph end continues where the next paragraph opens a
quote again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Segment", "find_segments"]

# opening mark -> closing marks it accepts
_DOUBLE_OPEN = {"“": "”\"", "„": "“”", "«": "»", "\"": "\"”"}
_DOUBLE_CLOSE = set("”»")
_SINGLE_OPEN = {"‘": "’'", "'": "'’", "‹": "›"}
_WORD = re.compile(r"\w+")
_TRIM_END = " \t\n\u00a0,;:—–-"
_TRIM_START = " \t\n\u00a0…."


@dataclass(frozen=True)
class Segment:
    """One quoted stretch: ``start``/``end`` exclude the marks; ``outer_*`` include them."""

    start: int
    end: int
    outer_start: int
    outer_end: int
    closed: bool  # a closing mark was found in the same paragraph
    continues: bool  # continues an unclosed quote of the previous paragraph
    paragraph: int
    single: bool = False


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in re.finditer(r"\n", text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM_START:
        s += 1
    while e > s and text[e - 1] in _TRIM_END:
        e -= 1
    return s, e


def _double_in_paragraph(
    text: str, ps: int, pe: int, curly: bool
) -> list[tuple[int, int, bool]]:
    """(open index, close index or paragraph end, closed) for double quotes in one paragraph.

    In a text typeset with curly quotes a straight '"' is often a conversion artefact (a stray
    mark at a paragraph start): there it only counts when it pairs with another straight mark,
    and a curly opener after it supersedes it.
    """
    out: list[tuple[int, int, bool]] = []
    open_at, accepts, depth = -1, "", 0
    inner: list[tuple[int, int]] = []
    for i in range(ps, pe):
        ch = text[i]
        if open_at < 0:
            if ch in _DOUBLE_OPEN:
                open_at, accepts, depth, inner = i, _DOUBLE_OPEN[ch], 0, []
            elif ch == "”" and not text[ps:i].strip() and i + 1 < pe and text[i + 1].isalpha():
                # a paragraph opened with a closing mark (a typesetting slip): an opener
                open_at, accepts = i, "”\""
            # a stray closing mark with no opener: ignore
            continue
        straight_open = text[open_at] == '"'
        if straight_open and curly and ch == "“" and '"' not in text[i:pe]:
            open_at, accepts = i, _DOUBLE_OPEN[ch]
        elif ch in accepts or (ch in _DOUBLE_CLOSE and ch != "“"):
            if depth:
                depth -= 1
                if not depth:
                    inner[-1] = (inner[-1][0], i)
                continue
            out.append((open_at, i, True))
            open_at, inner = -1, []
        elif ch == "“" and accepts == "”\"":
            # a second curly opener while open: a quotation nested with double marks
            # (“... what he calls “hell” than ...”); it closes before the outer one
            if not depth:
                inner.append((i, -1))
            depth += 1
    if open_at >= 0 and not (curly and text[open_at] == '"'):
        if inner and inner[0][1] > 0:
            # never closed after all: the "nested" pair was a new quotation
            out.append((open_at, inner[0][0], False))
            out.extend((o, c, True) for o, c in inner if c > 0)
        else:
            out.append((open_at, pe, False))
    return out


def _singles(text: str, ps: int, pe: int, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Single-quoted stretches that look like quotations, outside double quotes."""
    out = []
    i = ps
    while i < pe:
        ch = text[i]
        if ch in _SINGLE_OPEN and not any(a <= i < b for a, b in blocked):
            prev = text[i - 1] if i > ps else " "
            nxt = text[i + 1] if i + 1 < pe else " "
            if not _is_word(prev) and _is_word(nxt):
                for j in range(i + 1, pe):
                    cj = text[j]
                    if cj in _SINGLE_OPEN[ch]:
                        after = text[j + 1] if j + 1 < pe else " "
                        # a closing mark: not inside a word (don’t) and not after a space
                        if not _is_word(after) and not text[j - 1].isspace():
                            out.append((i, j))
                            i = j
                            break
                    if cj in "\"“”":
                        break
        i += 1
    return out


def find_segments(text: str) -> list[Segment]:
    """All quotation segments of ``text`` in order."""
    # Some wire styles (NYT archives) write a double quote as two apostrophes: ''like this''.
    # Scan a same-length copy where each pair reads as one straight mark plus a space.
    text = text.replace("''", '" ')
    segs: list[Segment] = []
    prev_unclosed = False
    curly = text.count("“") + text.count("”") > text.count('"')
    for pi, (ps, pe) in enumerate(_paragraphs(text)):
        doubles = _double_in_paragraph(text, ps, pe, curly)
        blocked = [(o, c + 1) for o, c, _ in doubles]
        first_nonspace = ps
        while first_nonspace < pe and text[first_nonspace].isspace():
            first_nonspace += 1
        para_unclosed = False
        items = [(o, c, closed, False) for o, c, closed in doubles]
        for o, c in _singles(text, ps, pe, blocked):
            # single quotes: only stretches of 3+ words (shorter ones are scare quotes / titles)
            if len(_WORD.findall(text[o + 1 : c])) >= 3:
                items.append((o, c, True, True))
        items.sort()
        for o, c, closed, single in items:
            s, e = _trim(text, o + 1, c)
            if e <= s:
                continue
            cont = prev_unclosed and o == first_nonspace and not single
            segs.append(
                Segment(
                    start=s,
                    end=e,
                    outer_start=o,
                    outer_end=c + 1 if closed else c,
                    closed=closed,
                    continues=cont,
                    paragraph=pi,
                    single=single,
                )
            )
            if not closed:
                para_unclosed = True
        prev_unclosed = para_unclosed
    return segs
