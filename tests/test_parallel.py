"""The single-process, multi-process and Dask paths give identical results."""
from __future__ import annotations

import pytest

from newsevents.ingest import iter_articles
from newsevents.pipeline import process_many
from newsevents.records import ArticleResult, Failure

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def articles():
    return [a for a in iter_articles([str(EXAMPLES)]) if not isinstance(a, Failure)]


@pytest.fixture(scope="module")
def serial(articles, nlp_model):
    return list(process_many(articles, n_process=1))


def test_serial_codes_every_example(serial, articles):
    assert len(serial) == len(articles) and all(isinstance(r, ArticleResult) for r in serial)


def test_two_processes_match_one(articles, serial):
    assert list(process_many(articles, n_process=2, batch_size=1)) == serial


def test_dask_matches_one(articles, serial):
    pytest.importorskip("distributed")
    assert list(process_many(articles, scheduler="local", batch_size=1)) == serial


def test_a_stage_crash_becomes_a_failure(articles, monkeypatch, nlp_model):
    from newsevents import pipeline

    def broken(doc, article, mentions):
        raise ValueError("boom")

    monkeypatch.setattr(pipeline.core.quotes, "extract", broken)
    out = list(process_many(articles[:1]))
    assert isinstance(out[0], Failure) and out[0].reason == "pipeline_error" and "boom" in out[0].message
