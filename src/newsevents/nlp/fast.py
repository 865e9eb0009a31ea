"""Array-based stand-ins for spaCy's ``attribute_ruler`` and rule ``lemmatizer``: same output.

Every stage reads ``pos_`` (set by the attribute ruler from the tagger's ``tag_``) and many read
``lemma_``, so neither component can be dropped. But both are Python loops over every token:
together they took ~27 % of ``en_core_web_sm``'s parse time on Wikinews (the ruler's Matcher
runs 179 patterns and applies one match per token; the lemmatizer builds a ``Token`` per token).
These two classes apply the *same rules from the loaded model* with numpy over
``Doc.to_array``:

- ``FastAttributeRuler``: the tag-map rules (one ``{"TAG": t}`` pattern each) become one
  lookup over the TAG column; the rules keyed on a lower-case form are looked up by that form on
  the few tokens that have one; the rest (dependency tests, multi-token patterns, regexes)
  become boolean masks. Matches are applied in rule order, later rules winning, as the ruler
  does. Patterns using anything else make ``compile`` raise ``Unsupported`` and the caller keeps
  spaCy's component.
- ``FastLemmatizer``: the model's own lemmatizer, called once per distinct
  (form, POS, morphology) key and cached (its result depends on nothing else), written back with
  ``Doc.from_array``.

``tests/test_nlp.py`` checks token by token (POS, tag, morphology, lemma, dependencies,
entities) that the result equals the full spaCy pipeline's.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.tokens import Doc

__all__ = ["Unsupported", "FastAttributeRuler", "FastLemmatizer"]

_COLS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_SET = {"POS": 0, "MORPH": 1, "LEMMA": 2, "TAG": 3, "DEP": 4}
_SET_IDS = [POS, MORPH, LEMMA, TAG, DEP]
_OP_ORDER = ("eq", "in", "not_in", "regex")  # cheapest test first


class Unsupported(ValueError):
    """A pattern this module cannot apply exactly; keep spaCy's component."""


class FastAttributeRuler:
    """The patterns of a spaCy ``AttributeRuler`` applied with arrays (same result)."""

    def __init__(self, ruler: Any, vocab: Any) -> None:
        from spacy.parts_of_speech import IDS as POS_IDS

        self.vocab = vocab
        self._arrays: dict[int, np.ndarray] = {}
        self._regex_cache: dict[str, dict[int, bool]] = {}
        by_tag: dict[int, int] = {}  # tag hash -> rule index, for rules that are one {"TAG": t}
        self.by_lower: dict[int, list[tuple[int, list]]] = {}  # lower hash -> [(rule, other tests)]
        self.general: list[tuple[int, list[list[list]], int]] = []  # (rule, alternatives, index)
        self.values: list[list[tuple[int, int]]] = []  # per rule: (column, value) pairs it sets
        for r, pat in enumerate(ruler.patterns):
            vals = []
            for key, v in pat["attrs"].items():
                if key not in _SET:
                    raise Unsupported(f"attribute {key}")
                if key == "MORPH":
                    h = vocab.morphology.add(v)
                elif key == "POS":
                    h = POS_IDS[v]
                else:
                    h = vocab.strings.add(v)
                vals.append((_SET[key], h))
            self.values.append(vals)
            alts = [[sorted(self._compile(tok), key=lambda t: _OP_ORDER.index(t[1])) for tok in p]
                    for p in pat["patterns"]]
            index = pat.get("index", 0)
            single = all(len(a) == 1 for a in alts) and index in (0, -1)
            if single and len(alts) == 1:
                spec = alts[0][0]
                if len(spec) == 1 and spec[0][:2] == (0, "eq") and spec[0][2] not in by_tag:
                    by_tag[spec[0][2]] = r
                    continue
            if single and all(any(t[0] == 1 and t[1] in ("eq", "in") for t in a[0]) for a in alts):
                for a in alts:
                    low = next(t for t in a[0] if t[0] == 1 and t[1] in ("eq", "in"))
                    rest = [t for t in a[0] if t is not low]
                    for h in ([low[2]] if low[1] == "eq" else low[2]):
                        self.by_lower.setdefault(h, []).append((r, rest))
                continue
            self.general.append((r, alts, index))
        keys = sorted(by_tag)
        self.tag_keys = np.array(keys, dtype=np.uint64)
        self.tag_rules = np.array([by_tag[k] for k in keys], dtype=np.int64)
        self.lower_keys = np.array(sorted(self.by_lower), dtype=np.uint64)

    # ------------------------------------------------------------------ compiling
    def _h(self, s: str) -> int:
        return 0 if s == "" else self.vocab.strings.add(s)

    def _compile(self, tok: dict[str, Any]) -> list[tuple[int, str, Any]]:
        spec: list[tuple[int, str, Any]] = []
        for key, val in tok.items():
            if key not in _COLS:
                raise Unsupported(f"pattern key {key}")
            col = _COLS[key]
            if key == "IS_SPACE":
                if not isinstance(val, bool):
                    raise Unsupported(f"IS_SPACE {val!r}")
                spec.append((col, "eq", int(val)))
            elif isinstance(val, str):
                spec.append((col, "eq", self._h(val)))
            elif isinstance(val, dict) and len(val) == 1:
                (op, arg), = val.items()
                if op in ("IN", "NOT_IN"):
                    fs = frozenset(self._h(x) for x in arg)
                    self._arrays[id(fs)] = np.array(sorted(fs), dtype=np.uint64)
                    spec.append((col, op.lower(), fs))
                elif op == "REGEX" and key == "LOWER":
                    spec.append((col, "regex", re.compile(arg)))
                else:
                    raise Unsupported(f"operator {op}")
            else:
                raise Unsupported(f"value {val!r}")
        return spec

    # ------------------------------------------------------------------ matching
    def _test(self, spec: list, row: list[int]) -> bool:
        for col, op, v in spec:
            x = row[col]
            if op == "eq":
                if x != v:
                    return False
            elif op == "in":
                if x not in v:
                    return False
            elif op == "not_in":
                if x in v:
                    return False
            elif not v.search(self.vocab.strings[x]):
                return False
        return True

    def _mask(self, spec: list, arr: np.ndarray) -> np.ndarray:
        m: np.ndarray | None = None
        for col, op, v in spec:
            x = arr[:, col] if m is None else arr[:, col][m]
            if op == "eq":
                t = x == v
            elif op in ("in", "not_in"):
                t = (x[:, None] == self._arrays[id(v)][None, :]).any(1)
                if op == "not_in":
                    t = ~t
            else:
                known = self._regex_cache.setdefault(v.pattern, {})
                strings = self.vocab.strings
                uniq, inv = np.unique(x, return_inverse=True)
                res = []
                for h in uniq.tolist():
                    b = known.get(h)
                    if b is None:
                        b = known[h] = bool(v.search(strings[h]))
                    res.append(b)
                t = np.array(res, dtype=bool)[inv]
            if m is None:
                m = t
            else:
                m = m.copy()
                m[m] = t
            if not m.any():
                break
        assert m is not None
        return m

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array([TAG, LOWER, DEP, IS_SPACE])
        matches: list[tuple[int, int]] = []  # (rule, token)
        if len(self.tag_keys):
            at = np.searchsorted(self.tag_keys, arr[:, 0])
            at[at >= len(self.tag_keys)] = 0
            tm_rules = np.where(self.tag_keys[at] == arr[:, 0], self.tag_rules[at], -1)
        else:
            tm_rules = np.full(n, -1, dtype=np.int64)
        cand = np.nonzero(np.isin(arr[:, 1], self.lower_keys))[0]
        if len(cand):
            rows = arr.tolist()
            for i in cand.tolist():
                row = rows[i]
                for r, rest in self.by_lower[row[1]]:
                    if not rest or self._test(rest, row):
                        matches.append((r, i))
        for r, alts, index in self.general:
            for specs in alts:
                k = len(specs)
                if k > n:
                    continue
                m = self._mask(specs[0], arr)[: n - k + 1]
                for j in range(1, k):
                    if not m.any():
                        break
                    m = m & self._mask(specs[j], arr)[j: n - k + 1 + j]
                for s in np.nonzero(m)[0].tolist():
                    matches.append((r, s + (index if index >= 0 else k + index)))
        out = np.zeros((n, 5), dtype=np.uint64)
        have = np.zeros((n, 5), dtype=bool)
        for r in np.unique(tm_rules).tolist():
            if r < 0:
                continue
            sel = tm_rules == r
            for col, h in self.values[r]:
                out[sel, col] = h
                have[sel, col] = True
        # The ruler applies all matches sorted by rule index (later rules win); a token's
        # tag-map rule keeps its place in that order.
        matches.sort()
        by_token: dict[int, list[int]] = {}
        for r, i in matches:
            by_token.setdefault(i, []).append(r)
        for i, rs in by_token.items():
            base = int(tm_rules[i])
            if base >= 0 and rs[0] < base:
                rs = sorted(set(rs) | {base})
                out[i, :] = 0
                have[i, :] = False
            for r in rs:
                for col, h in self.values[r]:
                    out[i, col] = h
                    have[i, col] = True
        cols = [c for c in range(5) if have[:, c].any()]
        if not cols:
            return doc
        ids = [_SET_IDS[c] for c in cols]
        if all(have[:, c].all() for c in cols):
            doc.from_array(ids, out[:, cols])
            return doc
        cur = doc.to_array(ids)  # columns set on some tokens only: keep the others' values
        for j, c in enumerate(cols):
            cur[:, j] = np.where(have[:, c], out[:, c], cur[:, j])
        doc.from_array(ids, cur)
        return doc


class FastLemmatizer:
    """A spaCy rule lemmatizer (``overwrite=False``) with a per-key cache, applied by array."""

    def __init__(self, lemmatizer: Any) -> None:
        if getattr(lemmatizer, "overwrite", False):
            raise Unsupported("lemmatizer overwrites lemmas")
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        todo = np.nonzero(lemmas == 0)[0]  # lemmas the attribute ruler set are kept, as spaCy does
        if not len(todo):
            return doc
        keys = arr[:, :3].tolist()
        cache = self.cache
        for i in todo.tolist():
            k = (keys[i][0], keys[i][1], keys[i][2])
            h = cache.get(k)
            if h is None:
                h = cache[k] = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = h
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc
