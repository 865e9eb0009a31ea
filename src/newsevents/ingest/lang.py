"""Language identification for ingest (py3langid, loaded once per process on first use).

A document is called non-English only when the identifier is confident *and* there is enough
text to be confident about: on short English headlines full of names ("Obama meets Merkel in
Berlin") langid guesses Afrikaans, Tagalog or Portuguese with low probability. See
``LANG_MIN_LETTERS`` and ``LANG_MIN_PROB`` for how the thresholds were set.
"""
from __future__ import annotations

import re
import threading
from typing import Any, NamedTuple

from newsevents.ingest.common import letter_count

__all__ = ["Language", "detect_language", "normalize_language", "LANG_MIN_LETTERS", "LANG_MIN_PROB"]

#: Below this many letters the language is "und" (undetermined) and the text is kept as English.
LANG_MIN_LETTERS = 40
#: A non-English guess needs at least this (normalised) probability.
LANG_MIN_PROB = 0.9
# Sibling languages split langid's probability. On 1,156 English Wikinews titles and heads with
# >= 60 letters the lowest P(en) was 0.13; on hand-written Indonesian and Arabic news sentences
# it is < 0.001 while the top language has only 0.5-0.9. So with >= 60 letters, P(en) < 0.01
# means "not English" whatever the top language's own probability.
_SURE_NOT_EN_LETTERS = 60
_SURE_NOT_EN_PROB = 0.01
#: Only the head of a document is classified: language does not change mid-article, and
#: 1,000 characters take ~0.3 ms against ~6 ms for a 20,000-character story. On 1,000
#: Wikinews articles (title + head) no English document scored below 0.99 for "en".
_HEAD_CHARS = 1000

# Fast path: English function words that are not words of other Latin-script languages
# ("a", "in", "to", "by", "on" are left out: Spanish, German, Polish, French use them).
# On 982 Wikinews articles the share of these among the first 500 characters' words has median
# 0.23; on hand-written French, German, Spanish, Italian, Portuguese, Dutch, Polish,
# Indonesian and Swahili news sentences it is 0.00-0.08 (Polish "to"/"by" before removal).
# At >= 0.12 over >= 20 words a text is English without asking langid (~0.5 ms saved).
_EN_WORDS = frozenset(
    "the of and was that for with said has have were been which who their his after it are "
    "would will this".split()
)
_EN_MIN_SHARE = 0.12
_EN_MIN_WORDS = 20
_WORD = re.compile(r"[^\W\d_]+")

_lock = threading.Lock()
_identifier: Any = None

_NAMES = {"eng": "en", "english": "en", "fra": "fr", "fre": "fr", "french": "fr", "deu": "de",
          "ger": "de", "german": "de", "spa": "es", "spanish": "es", "ara": "ar", "arabic": "ar",
          "rus": "ru", "russian": "ru", "zho": "zh", "chi": "zh", "chinese": "zh"}


def _get() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                _identifier = _load_identifier()
    return _identifier


def _load_identifier() -> Any:
    """py3langid's model, from an uncompressed copy in the cache directory when possible.

    The shipped model is LZMA-compressed; decompressing it took ~1 s in every process (each
    worker of a run) against ~0.05 s to read the uncompressed copy. The copy is keyed by the
    model file's size and modification time, written atomically, and rebuilt when missing."""
    import os
    from pathlib import Path

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    src = Path(MODEL_FILE)
    src = src if src.is_absolute() else MODEL_DIR / src
    try:
        st = src.stat()
        root = Path(os.environ.get("NEWSEVENTS_CACHE") or Path.home() / ".cache" / "newsevents")
        cached = root / f"langid-{st.st_size}-{int(st.st_mtime)}.npz"
        if not cached.exists():
            import lzma
            import shutil
            import tempfile

            root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=root, suffix=".tmp", delete=False) as tmp, lzma.open(src) as z:
                shutil.copyfileobj(z, tmp, length=1 << 20)
            os.replace(tmp.name, cached)
        with np.load(cached, allow_pickle=False) as data:
            return LanguageIdentifier(
                np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                _uint_array(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
                tk_row=_uint_array(data["nextmove_row"]))
    except (OSError, KeyError, ValueError):  # no writable cache, or another model layout
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _uint_array(arr: Any) -> Any:
    """An unsigned NumPy array as the stdlib ``array`` py3langid's tokenizer indexes."""
    from array import array

    import numpy as np

    out = array({2: "H", 4: "I", 8: "L"}[arr.dtype.itemsize])
    out.frombytes(memoryview(np.ascontiguousarray(arr)).cast("B"))
    return out


def normalize_language(code: str) -> str:
    """"en-US", "EN", "eng", "English" -> "en"; other codes keep their primary subtag."""
    c = code.strip().lower().replace("_", "-").split("-")[0]
    return _NAMES.get(c, c) or "und"


class Language(NamedTuple):
    lang: str  # ISO 639-1 code, or "und" when undetermined
    prob: float  # langid's normalised probability (1.0 on the function-word fast path)
    method: str  # "stopwords" | "langid" | "too_short"


def detect_language(text: str) -> Language:
    """Language of ``text``; "und" when the text is too short or the identifier is unsure.
    English is returned whatever its probability."""
    head = text[:_HEAD_CHARS]
    words = _WORD.findall(head[:500].lower())
    if len(words) >= _EN_MIN_WORDS and sum(w in _EN_WORDS for w in words) >= _EN_MIN_SHARE * len(words):
        return Language("en", 1.0, "stopwords")
    letters = letter_count(head, at_least=LANG_MIN_LETTERS)
    if letters < LANG_MIN_LETTERS:
        return Language("und", 0.0, "too_short")
    ranked = _get().rank(head)
    lang, prob = ranked[0][0], float(ranked[0][1])
    if lang == "en" or prob >= LANG_MIN_PROB:
        return Language(lang, prob, "langid")
    p_en = next((float(p) for code, p in ranked if code == "en"), 0.0)
    if letters >= _SURE_NOT_EN_LETTERS and p_en < _SURE_NOT_EN_PROB:
        # Unsure *which* language (Indonesian vs Malay, Arabic vs Persian split ~0.5) but sure
        # it is not English: still not English.
        return Language(lang, prob, "langid")
    return Language("und", prob, "langid")
