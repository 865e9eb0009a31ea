"""Shared fixtures. No network: everything the tests read ships in tests/fixtures or examples/."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def nlp_model():
    from newsevents import nlp

    return nlp.load()


@pytest.fixture(scope="session")
def seed_result(nlp_model):
    """The example report coded once per test session."""
    import json

    import newsevents

    data = json.loads((EXAMPLES / "seed-article.json").read_text(encoding="utf-8"))
    return newsevents.process(data["text"], published=data["published"], title=data["title"],
                              source=data["source"])


# Hostile strings for the web tests: they must reach the page as text, never as markup.
HOSTILE_TITLE = ("<script>window.__pwned='title'</script><img src=x onerror=\"window.__pwned='img-title'\">"
                 "Rebels advance on Hama")
HOSTILE_TEXT = ("Syrian rebels attacked government forces in Hama on Friday. "
                "<img src=x onerror=\"window.__pwned='img-text'\"> The Syrian army said it repelled the "
                "assault. <script>window.__pwned='script-text'</script> Rebel commanders vowed to advance on Homs.")


@pytest.fixture(scope="session")
def web_db(tmp_path_factory, nlp_model):
    """A store for the web tests: the examples, three fixture reports on other days, and one
    report whose title and text carry script and onerror payloads."""
    import dataclasses

    import newsevents
    from newsevents.pipeline.runner import run_paths
    from newsevents.store import Store

    db = str(tmp_path_factory.mktemp("web") / "web.duckdb")
    run_paths([str(EXAMPLES), str(FIXTURES / "web" / "reports.jsonl")], db=db, n_process=1)
    r = newsevents.process(HOSTILE_TEXT, title=HOSTILE_TITLE, published="2024-12-06",
                           source="Hostile <b>Wire</b>")
    r = dataclasses.replace(r, article=dataclasses.replace(r.article, title=HOSTILE_TITLE))
    with Store(db) as store:
        store.add([r])
    return db
