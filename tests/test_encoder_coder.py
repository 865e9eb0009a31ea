"""The ``encoder`` event coder: the shipped fine-tuned classifier (skipped without its optional
runtime, the ``[encoder]`` extra) and its combination with the hybrid coder (a stand-in classifier,
no optional dependency needed). Sentences are written for these tests."""
from __future__ import annotations

import importlib.util
import numpy as np
import pytest

from newsevents import actors, nlp, registry
from newsevents.events import encoder as enc
from newsevents.events.model import LABELS
from newsevents.records import Article

HAVE_RUNTIME = all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))
needs_runtime = pytest.mark.skipif(not HAVE_RUNTIME, reason="the encoder coder's runtime (onnxruntime, "
                                   "tokenizers: pip install 'newsevents[encoder]') is not installed")

TEXT = ("Soldiers shot dead three protesters outside the parliament in Bamako on Monday. "
        "The museum reopened its east wing after a long renovation.")


def _parse(text: str):
    doc = nlp.parse(text)
    art = Article(id="enc-fixture", text=text)
    mentions, _ = actors.extract(doc, art)
    return doc, art, mentions


class _Stub:
    """A stand-in classifier: fixed label distribution per sentence."""

    def __init__(self, rows):
        self.labels = list(LABELS)
        self.none_threshold = 0.5
        self.type_threshold = 0.5
        self.rows = rows


def _dist(labels, best: str, p: float = 0.9):
    d = np.full(len(labels), (1 - p) / (len(labels) - 1), dtype=np.float32)
    d[labels.index(best)] = p
    return d


def _with_stub(monkeypatch, bests):
    stub = _Stub(None)
    rows = np.stack([_dist(stub.labels, b) for b in bests])
    monkeypatch.setattr(enc, "load", lambda: stub)
    monkeypatch.setattr(enc, "classify", lambda texts, model=None: rows[: len(texts)])
    return stub


def test_encoder_is_a_registered_coder():
    assert "encoder" in registry.event_coders.names()


def test_a_sentence_the_encoder_calls_event_free_keeps_no_typed_event(monkeypatch):
    _with_stub(monkeypatch, ["NONE", "NONE"])
    doc, art, mentions = _parse(TEXT)
    assert [e for e in enc.code_encoder(doc, art, mentions) if e.plover_type] == []


def test_the_encoders_type_wins_and_the_parse_gives_actors_and_offsets(monkeypatch):
    _with_stub(monkeypatch, ["PROTEST", "NONE"])  # deliberately not what the rules read
    doc, art, mentions = _parse(TEXT)
    evs = [e for e in enc.code_encoder(doc, art, mentions) if e.plover_type]
    assert evs and all(e.sentence == 0 for e in evs)
    main = max(evs, key=lambda e: e.confidence)
    assert main.plover_type == "PROTEST" and main.coder.startswith("encoder:")
    assert main.evidence == TEXT[main.sentence_start:main.sentence_start + len(main.evidence)]
    assert TEXT[main.trigger_start:main.trigger_end] == main.trigger
    assert main.confidence == pytest.approx(1 - 0.1 / 16, abs=1e-3)  # 1 - P(NONE)
    assert all(e.confidence <= main.confidence for e in evs)


def test_a_type_the_hybrid_also_reads_keeps_the_hybrids_event(monkeypatch):
    from newsevents.events import learned

    doc, art, mentions = _parse(TEXT)
    hyb = [e for e in learned.code_hybrid(doc, art, mentions) if e.plover_type and e.sentence == 0]
    assert hyb, "the hybrid coder reads the shooting"
    top = max(hyb, key=lambda e: e.confidence)
    _with_stub(monkeypatch, [top.plover_type, "NONE"])
    main = max((e for e in enc.code_encoder(doc, art, mentions) if e.plover_type), key=lambda e: e.confidence)
    assert main.coder.startswith("encoder:agree|")
    assert (main.cameo_code, main.source, main.target, main.trigger) == (top.cameo_code, top.source, top.target, top.trigger)


@needs_runtime
def test_shipped_encoder_metadata_and_probabilities():
    enc.load.cache_clear()
    m = enc.load()
    assert len(m.meta["training_data"]["sha256"]) == 64
    assert m.labels[0] == "NONE" and len(m.labels) == 17
    assert "dev" in m.meta and "heldout" in m.meta
    p = enc.classify(["Rebels attacked an army base overnight.", "It rained."], m)
    assert p.shape == (2, 17) and np.allclose(p.sum(axis=1), 1.0, atol=1e-3)


@needs_runtime
def test_encoder_coder_on_a_fixture_article():
    enc.load.cache_clear()
    doc, art, mentions = _parse(TEXT)
    evs = registry.event_coders.get("encoder")(doc, art, mentions)
    typed = [e for e in evs if e.plover_type]
    assert typed and all(e.coder.startswith("encoder:") or e.confidence < 1 for e in typed)
    main = max(typed, key=lambda e: e.confidence)
    assert main.sentence == 0 and main.plover_type == "ASSAULT"
    assert not [e for e in typed if e.sentence == 1]
