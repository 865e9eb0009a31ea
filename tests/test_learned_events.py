"""The learned event detector and typer, its combination with the rules (hybrid), the coder
registry entries, training and the detection metrics. Fixtures: tests/fixtures/events (sentences
written for these tests)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from newsevents import actors, nlp, registry
from newsevents.events import learned, model as M, training
from newsevents.events.model import LABELS, EventModel, LinearModel
from newsevents.evaluate import events as ev_eval
from newsevents.pipeline import PipelineConfig, process
from newsevents.records import Article

from .conftest import FIXTURES

TINY = FIXTURES / "events" / "tiny_train.jsonl"
TINY_DEV = FIXTURES / "events" / "tiny_dev.jsonl"


def _parse(text: str):
    doc = nlp.parse(text)
    art = Article(id="t-" + str(abs(hash(text))), text=text)
    mentions, _ = actors.extract(doc, art)
    return doc, art, mentions


# --------------------------------------------------------------------------- the linear model
def test_linear_model_scores_known_features_and_ignores_unknown_ones():
    w = np.zeros((2, len(LABELS)), dtype=np.float32)
    w[0, LABELS.index("ASSAULT")] = 5.0
    w[1, LABELS.index("PROTEST")] = 5.0
    m = LinearModel(["l=attack", "l=march"], w, np.zeros(len(LABELS)))
    p = m.predict([["l=attack", "never-seen"], ["l=march"], []])
    assert p.shape == (3, len(LABELS))
    assert np.allclose(p.sum(axis=1), 1.0)
    assert LABELS[p[0].argmax()] == "ASSAULT" and LABELS[p[1].argmax()] == "PROTEST"
    assert np.allclose(p[2], 1.0 / len(LABELS))  # no known feature: the bias alone


def test_model_save_and_read_round_trip(tmp_path):
    w = np.arange(2 * len(LABELS), dtype=np.float32).reshape(2, -1) / 10
    lm = LinearModel(["a", "b=c|d"], w, np.ones(len(LABELS)))
    EventModel(lm, lm, {"thresholds": {"sentence": 0.4, "extra": 0.7}}).save(tmp_path)
    back = EventModel.read(tmp_path)
    assert back.sentence.features == ["a", "b=c|d"]
    assert np.allclose(back.trigger.weights, w, atol=1e-2)  # float16 on disk
    assert back.threshold == 0.4 and back.extra_threshold == 0.7


def test_shipped_model_records_its_training_data():
    meta = M.load().meta
    assert meta["training_data"]["path"] == "train.jsonl"
    assert len(meta["training_data"]["sha256"]) == 64
    assert meta["labels"] == list(LABELS)
    assert {"learned", "hybrid"} <= set(meta["dev"]["scores"])


# --------------------------------------------------------------------------- training
@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory, nlp_model):
    d = tmp_path_factory.mktemp("tiny-model")
    m = training.train(TINY, options={"min_count": 1, "l2": 0.1, "max_iter": 200})
    m.save(d)
    return d, m


def test_training_learns_the_training_sentences(tiny_model):
    d, m = tiny_model
    with M.use(d):
        for line in TINY.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            doc, art, mentions = _parse(rec["text"])
            r = learned.read_sentences(doc, art, mentions)[0]
            assert (r.p_event >= 0.5) == bool(rec["expected_events"]), rec["text"]
            if rec["expected_events"]:
                got = learned.decide(r, 0.5, 0.6)
                assert got[0][1] == rec["expected_events"][0]["event"], rec["text"]


def test_training_is_reproducible(tiny_model):
    _, m = tiny_model
    again = training.train(TINY, options={"min_count": 1, "l2": 0.1, "max_iter": 200})
    assert again.trigger.features == m.trigger.features
    assert np.array_equal(again.trigger.weights, m.trigger.weights)
    assert np.array_equal(again.sentence.weights, m.sentence.weights)
    assert again.meta["training_data"]["sha256"] == training.sha256_file(TINY)


def test_training_labels_the_head_of_the_trigger_words(nlp_model):
    rec = {"text": "The two presidents held talks on trade.",
           "expected_events": [{"event": "CONSULT", "event_text": "held talks"}]}
    doc = nlp.parse(rec["text"])
    cands = [t for t in doc if t.pos_ in ("VERB", "NOUN")]
    labels, sent_label = training._labels(doc, rec, cands)
    by_text = dict(zip([t.text for t in cands], labels))
    assert by_text["held"] == LABELS.index("CONSULT")
    assert by_text["talks"] == -1  # inside the trigger words: neither trigger nor non-trigger
    assert by_text["trade"] == 0
    assert sent_label == LABELS.index("CONSULT")


def test_train_command_writes_a_model_with_dev_figures(tmp_path, tiny_model, monkeypatch):
    from click.testing import CliRunner

    from newsevents.cli import cli

    monkeypatch.setattr(training, "DEFAULT_OPTIONS",
                        {**training.DEFAULT_OPTIONS, "min_count": 1, "l2": 0.1})
    res = CliRunner().invoke(cli, ["train", "events", str(TINY), "--out", str(tmp_path),
                                   "--dev", str(TINY_DEV), "--coder", "learned"])
    assert res.exit_code == 0, res.output
    meta = json.loads((tmp_path / "event_model.json").read_text(encoding="utf-8"))
    scores = meta["dev"]["scores"]["learned"]
    assert scores["n_records"] == 4 and "detection_f1" in scores
    assert (tmp_path / "event_model.npz").stat().st_size > 0


# --------------------------------------------------------------------------- decisions
def _reading(text: str, probs: dict[str, dict[str, float]], p_event: float, rules_too: bool = True):
    """A SentenceReading over a real parse with trigger probabilities set by hand."""
    from newsevents.events import rules

    doc, art, mentions = _parse(text)
    sent = next(iter(doc.sents))
    cands = [t for t in sent if t.pos_ in ("VERB", "NOUN")]
    tp = np.zeros((len(cands), len(LABELS)), dtype=np.float32)
    tp[:, 0] = 1.0
    for i, t in enumerate(cands):
        if t.text in probs:
            tp[i] = 0.0
            for label, p in probs[t.text].items():
                tp[i, LABELS.index(label)] = p
    sp = np.full(len(LABELS), (p_event) / (len(LABELS) - 1), dtype=np.float32)
    sp[0] = 1 - p_event
    rev = [e for e in rules.code(doc, art, mentions) if e.sentence == 0] if rules_too else []
    return learned.SentenceReading(0, sent, p_event, sp, cands, tp, rev), doc, art, mentions


def test_decide_below_threshold_is_no_event():
    r, *_ = _reading("Rebels attacked the town.", {"attacked": {"NONE": 0.1, "ASSAULT": 0.9}}, 0.3)
    assert learned.decide(r, 0.5, 0.6) == []


def test_decide_main_event_and_further_events_of_other_types():
    r, *_ = _reading("Police arrested the strikers and troops shelled the town.",
                     {"arrested": {"NONE": 0.05, "COERCE": 0.95}, "shelled": {"NONE": 0.2, "ASSAULT": 0.8},
                      "strikers": {"NONE": 0.7, "PROTEST": 0.3}}, 0.9, rules_too=False)
    got = learned.decide(r, 0.5, 0.6)
    assert [(t.text, ty) for t, ty, _ in got] == [("arrested", "COERCE"), ("shelled", "ASSAULT")]
    assert got[0][2] > got[1][2]  # the main event is the most confident


def test_decide_skips_negated_triggers():
    r, *_ = _reading("The army failed to attack the town.",
                     {"attack": {"NONE": 0.1, "ASSAULT": 0.9}, "failed": {"NONE": 0.9, "ACCUSE": 0.1}}, 0.8,
                     rules_too=False)
    assert all(t.text != "attack" for t, _, _ in learned.decide(r, 0.5, 0.6))


def _hybrid(monkeypatch, reading, doc, art, mentions):
    monkeypatch.setattr(learned, "read_sentences", lambda *a, **k: [reading])
    return learned.code_hybrid(doc, art, mentions)


def test_hybrid_keeps_the_rule_event_the_model_agrees_with(monkeypatch):
    r, doc, art, mentions = _reading("Israeli jets bombed Hamas positions in Gaza.",
                                     {"bombed": {"NONE": 0.1, "ASSAULT": 0.9}}, 0.9)
    rule = [e for e in r.rule_events if e.plover_type == "ASSAULT"]
    assert rule, [(e.trigger, e.cameo_code) for e in r.rule_events]
    (ev,) = [e for e in _hybrid(monkeypatch, r, doc, art, mentions) if e.plover_type]
    assert ev.cameo_code == rule[0].cameo_code and ev.source == rule[0].source
    assert ev.coder.startswith("hybrid:rules+model|") and ev.confidence == 0.9


def test_hybrid_gives_the_model_type_the_rule_arguments_when_they_disagree(monkeypatch):
    r, doc, art, mentions = _reading("Police arrested the leaders of the opposition party.",
                                     {"leaders": {"NONE": 0.1, "PROTEST": 0.9}}, 0.9)
    assert any(e.plover_type == "COERCE" for e in r.rule_events)
    evs = _hybrid(monkeypatch, r, doc, art, mentions)
    main = ev_eval.pick(evs)
    assert main.plover_type == "PROTEST" and main.cameo_code == learned.BASE_CODE["PROTEST"]
    assert main.coder.startswith("hybrid:model+rule-args|PROTEST")
    rule = next(e for e in r.rule_events if e.plover_type == "COERCE")
    assert main.source == rule.source and (main.trigger_start, main.trigger_end) == (rule.trigger_start, rule.trigger_end)


def test_hybrid_emits_agentless_events_with_an_unknown_source(monkeypatch):
    r, doc, art, mentions = _reading("Three soldiers were killed in a bomb attack.",
                                     {"killed": {"NONE": 0.05, "ASSAULT": 0.95}}, 0.95)
    evs = [e for e in _hybrid(monkeypatch, r, doc, art, mentions) if e.plover_type]
    assert evs and evs[0].plover_type == "ASSAULT"
    assert evs[0].source == ()  # unknown agent: emitted, not dropped
    assert evs[0].trigger == "killed" and doc.text[evs[0].trigger_start:evs[0].trigger_end] == "killed"
    assert evs[0].evidence == doc.text.strip()


def test_hybrid_drops_rule_events_in_a_sentence_without_an_event(monkeypatch):
    r, doc, art, mentions = _reading("Rebels attacked the town.", {}, 0.1)
    r.rule_events = [e for e in r.rule_events if e.confidence < learned.RULE_KEEP]
    assert not [e for e in _hybrid(monkeypatch, r, doc, art, mentions) if e.plover_type]


def test_base_codes_have_their_type():
    from newsevents import ontology

    assert set(learned.BASE_CODE) == set(ontology.PLOVER_TYPES)
    for t, c in learned.BASE_CODE.items():
        assert ontology.lookup(c).plover_type == t


# --------------------------------------------------------------------------- registry
def test_coders_are_registered_by_name():
    assert {"rules", "learned", "hybrid"} <= set(registry.event_coders.names())
    assert registry.event_coders.get("hybrid") is learned.code_hybrid
    assert registry.event_coders.get("learned") is learned.code_learned
    assert PipelineConfig().coder == "hybrid"


def test_each_coder_runs_through_the_pipeline():
    text = "Police arrested twelve protesters in Nairobi on Monday."
    for name in ("rules", "learned", "hybrid"):
        r = process(text, published="2024-05-01", config=PipelineConfig(coder=name))
        assert all(e.article_id == r.article.id for e in r.events)
        if name != "rules":
            assert all(e.coder.startswith(name) for e in r.events if e.plover_type)


# --------------------------------------------------------------------------- detection metrics
def test_detection_metrics_hand_computed():
    flags = [(True, True), (True, False), (False, True), (False, False), (False, False)]
    m = ev_eval.detection(flags)
    assert m["detection_precision"] == pytest.approx(0.5)
    assert m["detection_recall"] == pytest.approx(0.5)
    assert m["detection_f1"] == pytest.approx(0.5)
    assert m["false_event_rate"] == pytest.approx(1 / 3)


def test_eval_reads_records_without_events(tmp_path):
    errors: list = []
    m = ev_eval.evaluate(TINY_DEV, errors=errors, coder="rules")
    assert m["n"] == 2 and m["n_records"] == 4 and m["n_no_event"] == 2
    for k in ("detection_precision", "detection_recall", "detection_f1", "false_event_rate"):
        assert 0.0 <= m[k] <= 1.0
    assert m["coder"] == "rules"
    assert set(m["per_type"]) <= set(LABELS[1:])
    assert all(row["gold"] >= row["correct"] for row in m["per_type"].values())


def test_gate_knows_the_second_events_set():
    from newsevents.evaluate import gate

    assert gate.scorer_of("events-wikinews") == "events"
    assert gate.DEFAULT_TASK_FILES["events-wikinews"] == "wikinews-events/dev.jsonl"
    assert gate.metric_direction("false_event_rate") == "lower"
    assert gate.metric_direction("detection_f1") == "higher"


def test_an_unknown_coder_is_a_usage_error_naming_the_choices(tmp_path):
    from click.testing import CliRunner

    from newsevents.cli import cli

    res = CliRunner().invoke(cli, ["eval", "events", str(TINY_DEV), "--coder", "nope"])
    assert res.exit_code == 2 and "hybrid" in res.output and "rules" in res.output
    res = CliRunner().invoke(cli, ["run", str(TINY_DEV), "--db", str(tmp_path / "x.duckdb"), "--coder", "nope"])
    assert res.exit_code == 2 and "unknown event coder" in res.output
