"""TIMEX3 scorer: pure functions checked on hand-computed examples, then one end-to-end run."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsevents.evaluate import dates as D

FIXTURE = Path(__file__).parent / "fixtures" / "dates" / "mini.jsonl"


def _t(start, end, type_="DATE", value="2024-01-01"):
    return {"start": start, "end": end, "type": type_, "value": value}


def test_match_relaxed_is_one_to_one_largest_overlap_first():
    gold = [(0, 10), (20, 25)]
    pred = [(5, 12), (0, 9), (30, 31)]
    # gold 0 overlaps pred 0 by 5 and pred 1 by 9: it takes pred 1; pred 0 stays unmatched.
    assert D.match_relaxed(gold, pred) == [(0, 1)]


def test_score_document_hand_computed():
    gold = [_t(0, 10, "DATE", "2024-03-01"), _t(20, 29, "DURATION", "P2W"), _t(40, 46, "DATE", "2024-03-03")]
    pred = [
        _t(0, 10, "DATE", "2024-03-01"),       # strict match, right value
        _t(20, 25, "DATE", "P2W"),             # relaxed match, wrong type, right value
        _t(40, 46, "DATE", "2024-03-10"),      # strict match, wrong value
        _t(60, 64, "DATE", "2024"),            # spurious
    ]
    c, pairs = D.score_document(gold, pred)
    assert (c.gold, c.pred, c.strict_tp, c.relaxed_tp, c.type_ok, c.value_ok) == (3, 4, 2, 3, 2, 2)
    m = D.metrics(c, n=1)
    assert m["span_precision"] == pytest.approx(2 / 4)
    assert m["span_recall"] == pytest.approx(2 / 3)
    assert m["span_f1_strict"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert m["span_f1_relaxed"] == pytest.approx(2 * 0.75 * 1.0 / 1.75)
    assert m["type_accuracy"] == pytest.approx(2 / 3)
    assert m["value_accuracy"] == pytest.approx(2 / 3)
    # value F1: 2 correct of 4 predicted and 3 gold
    assert m["value_f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_values_compare_case_insensitively_and_empty_counts_are_zero():
    c, _ = D.score_document([_t(0, 4, "DATE", "2024-w49")], [_t(0, 4, "date", "2024-W49")])
    assert (c.type_ok, c.value_ok) == (1, 1)
    m = D.metrics(D.Counts(), n=0)
    assert m["value_f1"] == 0.0 and m["span_f1_strict"] == 0.0


def test_parse_dct_accepts_iso_and_day_first():
    assert D.parse_dct("2008-03-01") == dt.date(2008, 3, 1)
    assert D.parse_dct("03-02-2009") == dt.date(2009, 2, 3)
    assert D.parse_dct(None) is None


def test_evaluate_end_to_end_respects_eval_window():
    errors: list[dict] = []
    m = D.evaluate(FIXTURE, errors=errors)
    # three gold TIMEX3 inside the window; "April 2" lies after it and is not scored
    assert m["n"] == 1 and m["n_gold"] == 3 and m["n_pred"] == 3
    assert m["value_f1"] == pytest.approx(1.0)
    assert errors == []
