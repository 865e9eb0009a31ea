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
