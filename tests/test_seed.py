"""What a user expects from the example report (shared/examples/EXPECTED.md), checked on the
project's own copy in examples/. These check the *kind* of output for general reasons; no stage
has a rule keyed to these sentences."""
from __future__ import annotations

import pytest


def codes(refs):
    return {a.code or "" for a in refs}


def countries(refs):
    return {(a.code or "")[:3] for a in refs} | {a.country or "" for a in refs}


def test_asylum_granted_by_russia_to_assad(seed_result):
    asylum = [e for e in seed_result.events if e.cameo_code.startswith("075") or e.plover_context == "asylum"]
    assert asylum, [(e.trigger, e.cameo_code) for e in seed_result.events]
    e = asylum[0]
    assert "RUS" in countries(e.source)
    assert any("Assad" in (a.name or "") or "Bashar" in (a.name or "") for a in e.target)
    assert e.plover_type == "AID"
    assert e.quad_class == 2


def test_rebel_offensive_is_an_assault_on_the_government(seed_result):
    hits = [e for e in seed_result.events if e.plover_type == "ASSAULT" and any(c.startswith("SYRREB") for c in codes(e.source))]
    assert hits, [(e.trigger, e.cameo_code, codes(e.source)) for e in seed_result.events]


def test_failure_to_intervene_is_not_an_intervention(seed_result):
    for e in seed_result.events:
        if "intervene" in e.trigger.lower():
            assert e.modality == "negated" or not e.cameo_code.startswith(("19", "18", "15"))


def test_reported_resignation_is_reported(seed_result):
    res = [e for e in seed_result.events if "resign" in e.trigger.lower()]
    assert res and all(e.modality == "reported" for e in res)


def test_every_event_has_offsets_codes_and_a_date(seed_result):
    text = seed_result.article.text
    for e in seed_result.events:
        assert text[e.trigger_start:e.trigger_end] == e.trigger
        assert e.evidence in text
        assert e.date is not None and e.date.basis in ("explicit", "relative", "publication")
        assert e.cameo_root == e.cameo_code[:2] and 0.0 <= e.confidence <= 1.0


def test_dates_resolved_against_publication(seed_result):
    values = {t.value for t in seed_result.dates}
    assert "2024-11-27" in values and "2024-12-01" in values
    assert not any(t.weekday_mismatch for t in seed_result.dates)


def test_damascus_is_in_syria(seed_result):
    dam = [p for p in seed_result.places if p.text == "Damascus"]
    assert dam and dam[0].country == "SYR"
    assert dam[0].lat == pytest.approx(33.51, abs=0.2) and dam[0].lon == pytest.approx(36.29, abs=0.2)


def test_actors_and_roles(seed_result):
    by_code = {m.code for m in seed_result.mentions}
    assert {"RUSMED"} <= by_code or any(m.text == "TASS" and (m.code or "").startswith("RUS") for m in seed_result.mentions)
    assert any(m.code == "IGOUNO" or (m.code or "").startswith("IGOUNO") for m in seed_result.mentions)
    assad = [a for a in seed_result.actors if "assad" in a.id]
    assert assad and any(r.status == "former" for r in assad[0].roles)
    trump = [a for a in seed_result.actors if "trump" in a.id]
    assert trump and any(r.status == "elect" for r in trump[0].roles)


def test_three_quotes_with_speakers(seed_result):
    quotes = {q.text[:25]: q for q in seed_result.quotes if q.direct}
    by_start = {k.split(",")[0][:20]: q for k, q in quotes.items()}
    speakers = {q.speaker.name if q.speaker else None for q in seed_result.quotes if q.direct}
    assert any(s and "Trump" in s for s in speakers), speakers
    assert any(s and "Guterres" in s for s in speakers), speakers
    kremlin = [q for q in seed_result.quotes if q.direct and q.text.startswith("Russia has always")]
    assert kremlin and kremlin[0].via is not None and "TASS" in kremlin[0].via.name
    assert by_start
