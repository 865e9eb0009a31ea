"""Pure geo scoring functions, checked against metrics computed by hand."""
from __future__ import annotations

import json
import math

import pytest

from newsevents.evaluate import geo


def test_accuracy_at_161():
    assert geo.accuracy_at([0.0, 160.9, 161.0, 500.0]) == 0.75
    assert geo.accuracy_at([]) == 0.0


def test_auc_perfect_and_worst():
    assert geo.auc_log_error([0.0, 0.0, 0.0]) == 0.0
    assert geo.auc_log_error([geo.MAX_KM, geo.MAX_KM]) == pytest.approx(1.0)


def test_auc_by_hand():
    # errors 0 and 20039 km: log-scaled 0 and 1; trapezoid over one interval = 0.5
    assert geo.auc_log_error([geo.MAX_KM, 0.0]) == pytest.approx(0.5)
    # three errors: y = [0, log(101)/log(20040), 1] -> (0 + y)/2 + (y + 1)/2 = y + 0.5, over 2 intervals
    y = math.log(101) / math.log(20040)
    assert geo.auc_log_error([100.0, 0.0, geo.MAX_KM]) == pytest.approx((y + 0.5) / 2)


def test_span_prf_exact_and_overlap():
    gold = [(0, 5), (10, 15), (20, 30)]
    pred = [(0, 5), (11, 15), (40, 45)]
    assert geo.span_prf(gold, pred) == (1, 3, 3)
    assert geo.span_prf(gold, pred, overlap=True) == (2, 3, 3)
    # a gold span is matched at most once
    assert geo.span_prf([(0, 10)], [(0, 4), (5, 10)], overlap=True) == (1, 2, 1)


def test_evaluate_on_own_fixture(tmp_path):
    text = "Flooding hit Nairobi on Tuesday, and aid flew in from Kampala."
    rows = [{"id": "x1", "text": text, "toponyms": [
        {"text": "Nairobi", "start": text.index("Nairobi"), "end": text.index("Nairobi") + 7,
         "lat": -1.29, "lon": 36.82, "geonames_id": None},
        {"text": "Kampala", "start": text.index("Kampala"), "end": text.index("Kampala") + 7,
         "lat": 0.35, "lon": 32.58, "geonames_id": None},
    ]}]
    path = tmp_path / "geo.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    errors: list[dict] = []
    m = geo.evaluate(path, errors=errors)
    assert m["n"] == 1 and m["toponyms"] == 2
    assert m["acc_at_161km"] == 1.0 and m["median_km"] < 20
    assert m["span_f1"] == 1.0 and m["span_recall"] == 1.0
    for key in ("acc_at_161km", "median_km", "mean_km", "auc", "span_precision", "span_recall", "span_f1"):
        assert key in m
    assert errors == []
