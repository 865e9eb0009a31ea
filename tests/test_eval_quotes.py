"""Pure scoring functions of the quotes evaluator, checked against hand-computed figures."""
from __future__ import annotations

import json

import pytest

from newsevents.evaluate import quotes as ev
from newsevents.records import ActorRef, Quote

TEXT = 'The mayor said that the bridge will reopen. "We are ready," she added, "and so is the city."'
#        0         1         2         3         4         5         6         7         8
#        0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890


def _q(start, end, cue=None, spk=None, direct=False):
    return Quote(
        article_id="a", text=TEXT[start:end], start=start, end=end, sentence=0, direct=direct,
        cue="c" if cue else None, cue_start=cue[0] if cue else None,
        cue_end=cue[1] if cue else None,
        speaker=ActorRef(name="x", start=spk[0], end=spk[1]) if spk else None,
    )


def test_token_set_drops_that_and_punctuation():
    toks = ev.token_set(TEXT, [(15, 43)])  # "that the bridge will reopen."
    assert [TEXT[s:e] for s, e in sorted(toks)] == ["the", "bridge", "will", "reopen"]
    # discontinuous spans are a union; quotation marks never count
    two = ev.token_set(TEXT, [(44, 59), (71, 92)])
    assert [TEXT[s:e] for s, e in sorted(two)] == ["We", "are", "ready", "and", "so", "is", "the", "city"]


def test_prf_hand_computed():
    assert ev.prf(1, 2, 1, 4) == pytest.approx((0.5, 0.25, 1 / 3))
    assert ev.prf(0, 0, 0, 3) == (0.0, 0.0, 0.0)


def test_match_is_one_to_one_and_thresholded():
    g = [ev.Attribution(tokens=frozenset({(0, 1), (2, 3), (4, 5), (6, 7)}))]
    # 2 of 4 shared, pred has 3 -> 2 / max(4, 3) = 0.5: matched
    p_ok = ev.Attribution(tokens=frozenset({(0, 1), (2, 3), (9, 10)}))
    # 2 shared but pred has 5 -> 0.4: not matched
    p_big = ev.Attribution(tokens=frozenset({(0, 1), (2, 3), (9, 10), (11, 12), (13, 14)}))
    assert ev.match(g, [p_big, p_ok]) == [(0, 1)]
    assert ev.match(g, [p_ok, p_ok]) == [(0, 0)]
    assert ev.match(g, [p_ok], exact=True) == []


def test_score_document_counts():
    record = {
        "text": TEXT,
        "attributions": [
            {"source": {"spans": [[0, 9]], "text": "The mayor"}, "cue": {"spans": [[10, 14]]},
             "content": {"spans": [[15, 43]], "text": "that the bridge will reopen."}},
            {"source": {"spans": [[60, 63]], "text": "she"}, "cue": {"spans": [[64, 69]]},
             "content": {"spans": [[44, 59], [71, 92]], "text": '"We are ready," "and so is the city."'}},
            {"content": {"spans": [[0, 3]], "text": "The"}},  # agentless, never predicted
        ],
    }
    gold = ev.gold_attributions(record)
    assert [g.direct for g in gold] == [False, True, False]
    preds = [
        _q(20, 42, cue=(10, 14), spk=(0, 9)),  # "the bridge will reopen" (exact after "that")
        _q(45, 57, cue=(64, 69), spk=(4, 9), direct=True),  # both parts share the cue: one attribution
        _q(72, 90, cue=(64, 69), spk=(4, 9), direct=True),  # ... but the speaker span misses "she"
    ]
    pred = ev.predicted_attributions(TEXT, preds)
    assert len(pred) == 2
    c = ev.score_document(gold, pred)
    assert (c["gold"], c["pred"], c["tp_exact"], c["tp_overlap"]) == (3, 2, 2, 2)
    assert (c["spk_n"], c["spk_ok"]) == (2, 1)
    assert (c["d_gold"], c["d_pred"], c["d_tp_gold"], c["d_spk_ok"]) == (1, 1, 1, 0)
    m = ev._metrics(c, 1)
    assert m["content_f1_overlap"] == pytest.approx(2 * 1.0 * (2 / 3) / (1 + 2 / 3))
    assert m["speaker_accuracy"] == 0.5
    assert m["direct_content_f1_overlap"] == 1.0
    assert m["direct_speaker_accuracy"] == 0.0


def test_first_annotator_only(tmp_path):
    path = tmp_path / "g.jsonl"
    rows = [{"id": "a-1", "article": "a", "text": "x"}, {"id": "a-2", "article": "a", "text": "x"},
            {"id": "b-1", "article": "b", "text": "y"}]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert [r["id"] for r in ev._load(path, None)] == ["a-1", "b-1"]
    assert [r["id"] for r in ev._load(path, 1)] == ["a-1"]


def test_eval_window_keeps_predictions_inside():
    qs = [_q(0, 9), _q(20, 42), _q(45, 57)]
    assert [q.start for q in ev.in_window(qs, [10, 50])] == [20]
    assert len(ev.in_window(qs, None)) == 3
