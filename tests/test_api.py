"""The public Python API: a small explicit surface, and process() touches no database."""
from __future__ import annotations

import os

import newsevents


def test_all_is_exactly_the_exported_members():
    exported = {name for name in dir(newsevents) if not name.startswith("_")}
    assert exported == {n for n in newsevents.__all__ if not n.startswith("_")}
    for name in newsevents.__all__:
        assert getattr(newsevents, name) is not None


def test_process_returns_typed_result_without_a_store(tmp_path, monkeypatch, nlp_model):
    monkeypatch.chdir(tmp_path)
    r = newsevents.process("Syrian rebels attacked government forces in Aleppo on Monday.", published="2024-12-09")
    assert isinstance(r, newsevents.ArticleResult)
    assert r.article.published_date.isoformat() == "2024-12-09"
    assert r.events and r.events[0].plover_type == "ASSAULT"
    assert os.listdir(tmp_path) == []


def test_results_serialise_to_json(seed_result):
    import json

    from newsevents.records import result_from_dict

    data = json.loads(json.dumps(seed_result.to_dict()))
    assert result_from_dict(data) == seed_result
