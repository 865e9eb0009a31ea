"""Named parts: coders, resolvers, geocoders and date resolvers are chosen by name."""
from __future__ import annotations

import pytest

from newsevents import registry
from newsevents.errors import ConfigError
from newsevents.pipeline import PipelineConfig, process


def test_built_in_parts_are_registered():
    assert "rules" in registry.event_coders.names()
    for reg in (registry.actor_resolvers, registry.geocoders, registry.date_resolvers):
        assert "default" in reg.names()
        assert callable(reg.get("default"))


def test_an_unknown_name_is_a_config_error_listing_the_choices():
    with pytest.raises(ConfigError, match="unknown event coder 'nope'.*rules"):
        registry.event_coders.get("nope")
    with pytest.raises(ConfigError):
        PipelineConfig(geocoder="nope").check()


def test_a_registered_coder_is_used_without_touching_callers():
    from newsevents.events import rules

    seen = []

    @registry.event_coders.register("test-only-first-half")
    def first_half(doc, article, mentions):
        seen.append(article.id)
        return [e for e in rules.code(doc, article, mentions) if e.sentence == 0]

    try:
        text = "Russia granted asylum to Bashar al-Assad. Israeli jets struck sites near Damascus."
        full = process(text, published="2024-12-09")
        half = process(text, published="2024-12-09", config=PipelineConfig(coder="test-only-first-half"))
    finally:
        registry.event_coders._parts.pop("test-only-first-half")
    assert seen == [half.article.id]
    assert {e.sentence for e in full.events} == {0, 1}
    assert [e.cameo_code for e in half.events] == [e.cameo_code for e in full.events if e.sentence == 0]
