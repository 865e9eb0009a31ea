"""The ``encoder`` event coder: a fine-tuned MiniLM sentence classifier decides whether a sentence
reports an event and of which PLOVER type; the ``hybrid`` coder gives who did what to whom.

The classifier (all-MiniLM-L6-v2 fine-tuned on wikinews-events/train.jsonl as a 17-way sentence
classifier, NONE + the 16 PLOVER types; ``scripts/train_event_encoder.py``) ships in
``events/data/encoder/`` as an int8 ONNX graph with its ``tokenizer.json`` and metadata
(``encoder.json``: training data SHA-256, thresholds, held-out and dev figures). At run time it
needs ``onnxruntime`` and ``tokenizers`` (the ``[encoder]`` extra), not torch.

Per sentence (one batch per article):

- P(NONE) >= ``none_threshold``: no event; the hybrid's typed events of the sentence are dropped
  (its statements, CAMEO 01 without a PLOVER type, stay);
- else the encoder's type T (its best non-NONE label) is the main event's type:
  a hybrid event of type T in the sentence is kept as it is (code, actors, modality, evidence);
  otherwise the hybrid's most confident event of the sentence lends its trigger, actors and
  modality, and the code becomes T's base code (``learned.BASE_CODE``) - when the encoder is
  confident (P(T | event) >= ``type_threshold``); below that the hybrid's type stands;
  with no hybrid event, the learned trigger classifier's best candidate for T is the trigger
  and its subject/object the actors (as the ``learned`` coder builds events).
  The main event carries confidence 1 - P(NONE); the hybrid's other events of the sentence stay,
  ranked below it.

``Event.coder`` names the path: ``encoder:agree|<hybrid path>``, ``encoder:type=T@p|<hybrid
path>``, ``encoder:hybrid-type@p|<hybrid path>``, ``encoder:trigger:T@p``.
"""
from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from spacy.tokens import Doc

from newsevents.errors import ConfigError
from newsevents.records import ActorMention, Article, Event

__all__ = ["code_encoder", "load", "classify", "MODEL_DIR"]

MODEL_DIR = Path(__file__).parent / "data" / "encoder"


class EncoderModel:
    def __init__(self, session: Any, tokenizer: Any, meta: dict[str, Any]) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.meta = meta
        self.labels: list[str] = meta["labels"]
        self.none_threshold = float(meta["none_threshold"])
        self.type_threshold = float(meta["type_threshold"])


@lru_cache(maxsize=1)
def load() -> EncoderModel:
    """The shipped classifier (cached per process); a ConfigError naming the extra if its runtime
    packages are missing."""
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError(f"the 'encoder' event coder needs onnxruntime and tokenizers: "
                          f"pip install 'newsevents[encoder]' ({exc})") from exc
    meta = json.loads((MODEL_DIR / "encoder.json").read_text(encoding="utf-8"))
    tok = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tok.enable_truncation(int(meta["max_len"]))
    tok.enable_padding()
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(MODEL_DIR / meta["model_file"]), so, providers=["CPUExecutionProvider"])
    return EncoderModel(sess, tok, meta)


def classify(texts: Sequence[str], model: EncoderModel | None = None, batch: int = 16) -> np.ndarray:
    """P(label) for each text: an (n, 17) array over ``model.labels`` (NONE first)."""
    model = model or load()
    # similar lengths together: less padding
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    res = np.zeros((len(texts), len(model.labels)), dtype=np.float32)
    for i in range(0, len(order), batch):
        idx = order[i:i + batch]
        enc = model.tokenizer.encode_batch([texts[j] for j in idx])
        feeds = {"input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                 "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64)}
        res[idx] = model.session.run(None, feeds)[0]
    return res


def code_encoder(doc: Doc, article: Article, mentions: Sequence[ActorMention]) -> list[Event]:
    """The ``encoder`` coder (see module docstring)."""
    from newsevents.events import learned

    model = load()
    sents = list(doc.sents)
    if not sents:
        return []
    probs = classify([s.text for s in sents], model)
    base = learned.code_hybrid(doc, article, mentions)
    by_sent: dict[int, list[Event]] = {}
    for e in base:
        by_sent.setdefault(e.sentence, []).append(e)
    readings = None
    out: list[Event] = []
    for i, p in enumerate(probs):
        evs = by_sent.get(i, [])
        statements = [e for e in evs if not e.plover_type]
        typed = sorted((e for e in evs if e.plover_type), key=lambda e: -e.confidence)
        out += statements
        p_event = 1.0 - float(p[0])
        if float(p[0]) >= model.none_threshold:
            continue
        k = 1 + int(p[1:].argmax())
        etype = model.labels[k]
        p_type = float(p[k]) / max(p_event, 1e-9)
        conf = round(p_event, 3)
        same = [e for e in typed if e.plover_type == etype]
        rest: list[Event]
        if same:
            main = replace(same[0], confidence=conf, coder=f"encoder:agree|{same[0].coder}")
            rest = [e for e in typed if e.id != same[0].id]
        elif typed:
            lender = typed[0]
            rest = typed[1:]
            if p_type >= model.type_threshold:
                main = _retyped(lender, etype, conf, f"encoder:type={etype}@{p_type:.2f}|{lender.coder}")
            else:
                main = replace(lender, confidence=conf, coder=f"encoder:hybrid-type@{p_type:.2f}|{lender.coder}")
        else:
            if readings is None:
                readings = learned.read_sentences(doc, article, mentions)
            main = _from_trigger(doc, article, mentions, readings[i], etype, conf, learned)
            rest = []
        out.append(main)
        for e in rest:
            out.append(replace(e, confidence=round(min(e.confidence, conf * 0.9), 3)))
    return out


def _retyped(e: Event, ptype: str, conf: float, coder: str) -> Event:
    """``e`` with the base code of ``ptype`` (its trigger, actors, modality and evidence kept)."""
    from newsevents import ontology
    from newsevents.events import learned, rules

    code_ = learned.BASE_CODE[ptype]
    cc = ontology.lookup(code_)
    return replace(e, id=rules.event_id(e.article_id, e.sentence, e.trigger_start, e.trigger_end, code_),
                   cameo_code=code_, cameo_root=cc.root, quad_class=cc.quad_class, goldstein=cc.goldstein,
                   plover_type=cc.plover_type, plover_mode=cc.plover_mode, plover_context=cc.plover_context,
                   cameo_label=cc.label, confidence=conf, coder=coder)


def _from_trigger(doc: Doc, article: Article, mentions: Sequence[ActorMention], r: Any, ptype: str,
                  conf: float, learned: Any) -> Event:
    """An event of type ``ptype`` on the candidate the trigger classifier rates highest for it
    (the sentence's root when there is no candidate), built as the ``learned`` coder builds one."""
    from newsevents.events import participants as A

    j = learned.LABELS.index(ptype)
    if r.candidates:
        best = max(range(len(r.candidates)), key=lambda c: (float(r.trigger_probs[c, j]), -c))
        tok = r.candidates[best]
    else:
        tok = r.sent.root
    e = learned._learned_event(article, r, tok, ptype, conf, mentions, A.resolver(), "encoder:trigger")
    return replace(e, coder=f"encoder:trigger:{ptype}@{conf:.2f}")
