"""The quotes stage: direct and indirect quotations with cue, speaker and reporting channel.

Two sources of evidence meet here:

1. quotation marks (``quotes.marks``): where direct quotes are, including quotes split around
   their cue and quotes running over paragraphs;
2. the dependency parse (``quotes.cues``): cues of saying/believing with their subject and
   complement clause, stance verbs with their object ("X called for Y"), "according to X",
   "A quoted B as saying", "X's claim that ...";
3. speaker-colon lines (``quotes.colon``): "Pence: ..." headlines, "WALLACE: ..." transcripts.

A quotation whose text is (mostly) the complement of a cue takes that cue; otherwise the
nearest cue right after the closing mark or right before the opening mark in the same sentence
does ("“...,” X said", "X said: “...”", "“...” ― X"). Complements that are not mostly
quotation are indirect quotes. Speakers are resolved by ``quotes.speaker`` (pronouns, titles,
"the company", relative "who" to named people and organisations) and the actors stage's
``resolve_phrase`` when present; ``Quote.speaker`` keeps the offsets of the surface mention
("he") and carries the resolved name and codes. ``via`` is the outlet in reported chains.
"""
from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from typing import Sequence

from spacy.tokens import Doc, Token

from newsevents.quotes.colon import find_colon_lines
from newsevents.quotes.cues import Cue, find_cues, is_speech_verb, subject_of
from newsevents.quotes.marks import Segment, find_segments
from newsevents.quotes.speaker import SpeakerResolver
from newsevents.records import ActorMention, ActorRef, Article, Quote

__all__ = ["extract"]

#: Quotations shorter than this many words need a cue next to them to count: shorter quoted
#: stretches are mostly scare quotes and titles ("a “rant”"). On polnear dev (84 articles)
#: 3, 4 and 5 give direct-quote F1 0.912 / 0.914 / 0.912.
MIN_WORDS_UNCUED = 4
#: A complement counts as a direct quote when at least this share of its characters is
#: inside quotation marks; below it the quotation is part of a paraphrase (PolNeAR annotates
#: "reports that X wants to “keep details under wraps”" as one attribution).
DIRECT_SHARE = 0.5
#: A complement with this many words outside its quotation marks is a paraphrase with an
#: embedded quotation ("he hopes the day sends a message that “...”"): PolNeAR annotates the
#: whole clause as one content. On polnear dev (84 articles) 2 / 4 / 6 words give exact
#: content F1 0.522 / 0.515 / 0.510 at the same overlap F1 (0.640).
MIXED_WORDS = 2
#: Tokens searched after a closing mark / before an opening mark for a cue ("..., he said").
AFTER_WINDOW = 6
BEFORE_WINDOW = 12
#: Indirect contents shorter than this are dropped ("he said so").
MIN_INDIRECT_WORDS = 2

_LOCUTORS = frozenset({"i", "we", "you", "me", "us"})
_MEDIA_WORDS = frozenset(
    """news agency newspaper outlet television tv radio channel broadcaster magazine paper
    times post journal tribune reuters ap afp tass xinhua cnn bbc twitter facebook
    msnbc nbc abc cbs fox""".split()
)


def _resolver_fn():
    try:
        from newsevents import actors  # written concurrently; quotes work without it
    except Exception:  # pragma: no cover - depends on the checkout
        return None
    return getattr(actors, "resolve_phrase", None)


def _words(text: str) -> int:
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class _Extractor:
    def __init__(self, doc: Doc, article: Article, mentions: Sequence[ActorMention]):
        self.doc = doc
        self.text = doc.text
        self.article = article
        self.sent_starts = [s.start_char for s in doc.sents]
        self.segments = find_segments(self.text)
        self.speakers = SpeakerResolver(
            doc, mentions, _resolver_fn(), [(s.outer_start, s.outer_end) for s in self.segments]
        )
        self.cues = find_cues(doc)
        self.token_starts = [t.idx for t in doc]
        self.cue_by_token = {t.i: c for c in self.cues for t in c.tokens}

    # ------------------------------------------------------------------ helpers
    def _inside_segment(self, cue: Cue) -> int | None:
        for si, s in enumerate(self.segments):
            if s.outer_start <= cue.start and cue.end <= s.outer_end:
                return si
        return None

    def _sentence(self, char: int) -> int:
        return max(0, bisect_right(self.sent_starts, char) - 1)

    def _token_at(self, char: int) -> Token | None:
        """The first token starting at or after ``char``."""
        i = bisect_left(self.token_starts, char)
        return self.doc[i] if i < len(self.doc) else None

    def _in_other_segment(self, tok: Token, cue: Cue) -> bool:
        home = self._inside_segment(cue)
        return any(si != home and s.outer_start <= tok.idx < s.outer_end
                   for si, s in enumerate(self.segments))

    def _nominal_near(self, cue: Cue, lo: int, hi: int) -> Token | None:
        """Fallback speaker for a broken parse: the nominal right before the cue verb (between
        the quotation and the verb), else the one right after it ("said Jordan")."""
        verb = min(cue.tokens, key=lambda t: t.i)
        doc = self.doc
        for tok in reversed(doc[max(lo, 0) : verb.i]):
            if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.dep_ not in ("compound", "poss"):
                return tok
        for tok in doc[verb.i + 1 : min(hi, len(doc))]:
            if tok.is_punct:
                break
            if tok.pos_ in ("PROPN", "NOUN") and tok.dep_ != "compound":
                return tok
        return None

    def _fix_speaker(self, cue: Cue, lo: int, hi: int) -> Cue:
        if cue.agentless or (cue.speaker is not None and not self._in_other_segment(cue.speaker, cue)):
            return cue
        return dataclasses.replace(cue, speaker=self._nominal_near(cue, lo, hi))

    def _outside_text(self, cs: int, ce: int, hits: list[int]) -> str:
        """The part of a content span outside the quotation segments ``hits``."""
        parts, pos = [], cs
        for si in sorted(hits, key=lambda i: self.segments[i].outer_start):
            seg = self.segments[si]
            parts.append(self.text[pos : max(pos, seg.outer_start)])
            pos = max(pos, seg.outer_end)
        parts.append(self.text[pos:ce])
        return " ".join(parts)

    def _ends_utterance(self, seg: Segment) -> bool:
        """Punctuation inside the closing mark ("I would,” / "No.”") marks an utterance."""
        inner = self.text[seg.outer_start : seg.outer_end].rstrip("\"”»’' ")
        return bool(inner) and inner[-1] in ",.!?—–-"

    def _narrative_fragment(self, seg: Segment) -> bool:
        """A verbless quoted phrase inside the writer's own sentence ("called it “a living
        room in Pennsylvania”"): a citation of words, not a quotation to attribute."""
        before = self.text[: seg.outer_start].rstrip()
        if not before or before[-1] in ".!?:\n" or self.text[seg.outer_start - 1 : seg.outer_start] == "\n":
            return False
        span = self.doc.char_span(seg.start, seg.end, alignment_mode="expand")
        if span is None:
            return False
        return not any(t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBG", "VBN") for t in span)

    # ------------------------------------------------------------------ cue search
    def _cue_for_token(self, tok: Token) -> Cue | None:
        cue = self.cue_by_token.get(tok.i)
        if cue is not None:
            if cue.strong or cue.kind not in ("verb", "object"):
                return cue
            if not is_speech_verb(tok):
                return None
        if is_speech_verb(tok):
            speaker, agentless = subject_of(tok)
            return Cue(tokens=[tok], speaker=speaker, agentless=agentless)
        return None

    def _dash_cue(self, seg: Segment) -> Cue | None:
        """'“...” ― Jane Doe': a dash right after the quotation introduces its speaker."""
        pos = seg.outer_end
        while pos < len(self.text) and self.text[pos] in " \t\u00a0":
            pos += 1
        if pos >= len(self.text) or not (self.text[pos] in "―—–" or self.text[pos : pos + 2] == "--"):
            return None
        doc = self.doc
        i = bisect_right(self.token_starts, pos) - 1  # the token holding the dash
        if i < 0:
            return None
        names = []
        for t in doc[i + 1 : i + 8]:
            if t.pos_ == "PROPN" or (t.ent_type_ == "PERSON" and not t.is_punct):
                names.append(t)
            elif names or not t.is_space:
                break
        if not names:
            return None
        return Cue(tokens=[doc[i]], speaker=names[-1], kind="dash")

    def _colon_intro(self, colon: Token) -> Cue | None:
        """'The letter reads: “...”': a colon introducing a quotation makes the verb of the
        clause before it the cue, whatever the verb (read, comment, use ... as headline)."""
        verb = colon.head if colon.head.pos_ in ("VERB", "AUX") else colon.sent.root
        if verb.i > colon.i or verb.pos_ not in ("VERB", "AUX"):
            return None
        cue = self._cue_for_token(verb)
        if cue is None:
            speaker, agentless = subject_of(verb)
            cue = Cue(tokens=[verb], speaker=speaker, agentless=agentless)
        return self._fix_speaker(cue, verb.sent.start, colon.i)

    def _adjacent_cue(self, seg: Segment) -> Cue | None:
        doc = self.doc
        after = self._token_at(seg.outer_end) if seg.outer_end < len(self.text) else None
        if seg.closed:
            dash = self._dash_cue(seg)
            if dash is not None:
                return dash
        if after is not None and seg.closed:
            n = depth = 0
            stop = min(len(doc), after.i + AFTER_WINDOW + 12)
            for tok in doc[after.i : stop]:
                if tok.is_quote and tok.idx >= seg.outer_end and n > 0:
                    break
                if "\n" in tok.text or (tok.i > after.i and "\n" in doc[tok.i - 1].whitespace_):
                    break  # the cue of a quotation is in its own paragraph
                if tok.text in "([":
                    depth += 1
                elif tok.text in ")]":
                    depth = max(0, depth - 1)
                if tok.is_punct or depth:
                    # a parenthesis ("Rep. Jane Roe (D-Md.) said") does not count
                    if tok.text in "!?;" and n > 0 or (tok.text == "." and tok.is_sent_end and not depth):
                        break
                    continue
                n += 1
                if n > AFTER_WINDOW:
                    break
                cue = self._cue_for_token(tok)
                if cue is not None:
                    return self._fix_speaker(cue, after.i, stop)
        before = self._token_at(seg.outer_start)
        if before is not None and before.i > 0:
            prev = before.i - 1
            while prev > 0 and doc[prev].is_space:
                prev -= 1
            # "X continued:\n\n“...”": a colon lets the cue sit in the paragraph before
            colon = doc[prev].text == ":"
            if colon:
                intro = self._colon_intro(doc[prev])
                if intro is not None:
                    return intro
            sent_start = doc[prev].sent.start
            n = 0
            for tok in reversed(doc[max(sent_start, before.i - BEFORE_WINDOW - 4) : before.i]):
                if tok.is_quote:
                    break
                if not colon and ("\n" in tok.text or "\n" in tok.whitespace_):
                    break
                if tok.is_punct:
                    if tok.text in ".!?" and n > 0:
                        break
                    continue
                n += 1
                if n > BEFORE_WINDOW:
                    break
                cue = self._cue_for_token(tok)
                if cue is not None:
                    return self._fix_speaker(cue, sent_start, before.i)
        return None

    # ------------------------------------------------------------------ speakers
    def _speaker(self, cue: Cue | None) -> tuple[ActorRef | None, ActorRef | None]:
        if cue is None or cue.speaker is None:
            return None, None
        spk = self.speakers.ref(cue.speaker)
        via = None
        if cue.via is not None:
            via = self.speakers.ref(cue.via)
        else:
            for channel in self._channels(cue):
                ref = self.speakers.ref(channel)
                if ref.sector == "MED" or any(t.lower_ in _MEDIA_WORDS for t in channel.subtree):
                    via = ref
                    break
        return spk, via

    @staticmethod
    def _channels(cue: Cue) -> list[Token]:
        """Where the words went: the addressee of "told", "said to/on/in an interview with"."""
        out = [cue.listener] if cue.listener is not None else []
        for verb in cue.tokens:
            for prep in verb.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("on", "to", "with", "in"):
                    continue
                for pobj in prep.children:
                    if pobj.dep_ != "pobj":
                        continue
                    if pobj.lemma_.lower() == "interview":
                        out.extend(p for w in pobj.children if w.dep_ == "prep"
                                   and w.lower_ == "with" for p in w.children if p.dep_ == "pobj")
                    else:
                        out.append(pobj)
        return out

    # ------------------------------------------------------------------ main
    def run(self) -> list[Quote]:
        seg_cue, absorbed, indirect = self._link_cues()
        quotes = self._colon_quotes(absorbed)
        quotes += self._direct_quotes(seg_cue, absorbed)
        quotes += self._indirect_quotes(indirect, quotes)
        quotes.sort(key=lambda q: (q.start, q.end))
        return quotes

    def _link_cues(self) -> tuple[dict[int, Cue], set[int], list[tuple[int, int, Cue]]]:
        """Cue contents that are (mostly) a quotation give that quotation its cue; the others
        are indirect quotes, absorbing the quotations they contain."""
        seg_cue: dict[int, Cue] = {}
        absorbed: set[int] = set()
        indirect: list[tuple[int, int, Cue]] = []
        for cue in self.cues:
            home = self._inside_segment(cue)
            for cs, ce in cue.contents:
                hits = [si for si, s in enumerate(self.segments)
                        if si != home and _overlap((cs, ce), (s.start, s.end)) > 0]
                inside = sum(_overlap((cs, ce), (self.segments[si].start, self.segments[si].end))
                             for si in hits)
                outside = _words(self._outside_text(cs, ce, hits))
                if hits and inside >= DIRECT_SHARE * (ce - cs) and outside < MIXED_WORDS \
                        and cue.kind != "object":
                    for si in hits:
                        prev = seg_cue.get(si)
                        if prev is None or (not prev.strong and cue.strong):
                            seg_cue[si] = cue
                    continue
                for si in hits:
                    s = self.segments[si]
                    if cs <= s.start and s.end <= ce:
                        absorbed.add(si)
                if home is not None and (cue.speaker is None or cue.speaker.lower_ in _LOCUTORS):
                    # "I think ...", "you tell them ..." inside a quotation: the quoted person
                    # talking, which PolNeAR does not annotate as a further attribution
                    continue
                if _words(self.text[cs:ce]) >= MIN_INDIRECT_WORDS:
                    indirect.append((cs, ce, cue))
        return seg_cue, absorbed, indirect

    def _colon_quotes(self, absorbed: set[int]) -> list[Quote]:
        """"Pence: ..." headlines and "WALLACE: ..." transcript turns; quotation marks around
        or inside the turn belong to it."""
        out = []
        for line in find_colon_lines(self.doc):
            for si, seg in enumerate(self.segments):
                if _overlap((line.start, line.end), (seg.outer_start, seg.outer_end)) > 0:
                    absorbed.add(si)
            cue = Cue(tokens=[line.colon], speaker=line.speaker, kind="colon")
            out.append(self._quote(line.start, line.end, False, cue))
        return out

    def _direct_quotes(self, seg_cue: dict[int, Cue], absorbed: set[int]) -> list[Quote]:
        cues: dict[int, Cue | None] = {}
        prev_cue: Cue | None = None
        prev_seg: Segment | None = None
        for si, seg in enumerate(self.segments):
            if si in absorbed:
                continue
            cue = seg_cue.get(si) or self._adjacent_cue(seg)
            if cue is None and prev_cue is not None and (
                seg.continues or (prev_seg is not None and prev_seg.paragraph == seg.paragraph)
            ):
                # "“A,” said X, head of Y. “B.”": a second quotation in the paragraph (or a
                # paragraph continuing an open quote) goes on the same attribution
                cue = prev_cue
            cues[si] = cue
            prev_cue, prev_seg = cue, seg
        # a quote running over paragraphs may be attributed only at its end ("...,” he said)
        for si in sorted(cues, reverse=True):
            seg = self.segments[si]
            if seg.continues and cues[si] is not None and cues.get(si - 1, False) is None:
                cues[si - 1] = cues[si]
        out = []
        for si, cue in cues.items():
            seg = self.segments[si]
            short = _words(self.text[seg.start : seg.end]) < MIN_WORDS_UNCUED
            if short and si not in seg_cue and not self._ends_utterance(seg):
                # '“diet” or “lite”, the MP said': quoted terms next to a cue, not utterances
                continue
            if cue is None and (short or self._narrative_fragment(seg) or seg.single):
                continue
            out.append(self._quote(seg.start, seg.end, True, cue))
        return out

    def _indirect_quotes(
        self, indirect: list[tuple[int, int, Cue]], emitted: list[Quote]
    ) -> list[Quote]:
        seen = {(q.start, q.end) for q in emitted}
        out = []
        for cs, ce, cue in indirect:
            if (cs, ce) in seen:
                continue
            # an indirect content lying inside an emitted direct quote of the same cue is a
            # fragment of that quote's parse
            if any(q.direct and q.cue_start == cue.start and q.start <= cs and ce <= q.end
                   for q in emitted):
                continue
            seen.add((cs, ce))
            out.append(self._quote(cs, ce, False, cue))
        return out

    def _quote(self, start: int, end: int, direct: bool, cue: Cue | None) -> Quote:
        speaker, via = self._speaker(cue)
        return Quote(
            article_id=self.article.id,
            text=self.text[start:end],
            start=start,
            end=end,
            sentence=self._sentence(start),
            direct=direct,
            cue=cue.text(self.doc) if cue is not None else None,
            cue_start=cue.start if cue is not None else None,
            cue_end=cue.end if cue is not None else None,
            speaker=speaker,
            via=via,
        )


def extract(doc: Doc, article: Article, mentions: Sequence[ActorMention] = ()) -> list[Quote]:
    """Quotations and attributions of ``article`` (parsed as ``doc``), in text order."""
    return _Extractor(doc, article, mentions).run()
