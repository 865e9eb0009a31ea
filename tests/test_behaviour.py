"""Behaviour tests for the event coder, by the categories the PETRARCH validation suite covers
(compound actors, passives, negation, agents, verb synonyms, multi-word verbs, modality, frames).
The sentences are our own, about real-world actors; each asserts one behaviour."""
from __future__ import annotations

import pytest

from newsevents import actors, nlp
from newsevents.events import rules as events
from newsevents.evaluate.events import pick
from newsevents.records import Article


def code_text(text: str):
    doc = nlp.parse(text)
    art = Article(id="b", text=text)
    mentions, _ = actors.extract(doc, art)
    return events.code(doc, art, mentions)


def countries(refs) -> set[str]:
    return {r.country for r in refs if r.country}


def main_event(text: str):
    ev = pick(code_text(text))
    assert ev is not None, f"no event coded in: {text}"
    return ev


# (category, sentence, CAMEO prefix, source countries, target countries)
CASES = [
    ("compound source", "Brazil and Argentina condemned the coup in Bolivia.", "111",
     {"BRA", "ARG"}, {"BOL"}),
    ("compound target", "China accused Japan and South Korea of provoking tensions.", "112",
     {"CHN"}, {"JPN", "KOR"}),
    ("passive with agent", "Two Ukrainian villages were shelled by Russian troops overnight.", "194",
     {"RUS"}, {"UKR"}),
    ("passive light verb", "Sanctions were imposed on Belarus by Canada last week.", "163",
     {"CAN"}, {"BLR"}),
    ("agent sector", "Kenyan police arrested dozens of protesters in Nairobi.", "173", {"KEN"}, {"KEN"}),
    ("synonym: denounce", "Egypt denounced the Israeli raid on Rafah.", "111", {"EGY"}, {"ISR"}),
    ("synonym: deplore", "Norway deplored the Taliban's decision to close girls' schools.", "111",
     {"NOR"}, {"AFG"}),
    ("multi-word verb", "Qatar cut off gas supplies to the United Arab Emirates.", "162", {"QAT"}, {"ARE"}),
    ("particle verb", "The Sri Lankan president stepped down after weeks of protests.", "0831", {"LKA"}, set()),
    ("light verb noun", "Morocco launched an offensive against rebels in the Sahara.", "190", {"MAR"}, None),
    ("light verb talks", "India held talks with Pakistan on water sharing.", "046", {"IND"}, {"PAK"}),
    ("xcomp intent", "Iran agreed to meet European diplomats in Vienna.", "036", {"IRN"}, None),
    ("xcomp threat", "Turkey threatened to expel the Dutch ambassador.", "13", {"TUR"}, None),
    ("xcomp refusal", "Serbia refused to withdraw its troops from the border with Kosovo.", "1246", {"SRB"}, None),
    ("appeal with object control", "Germany urged Russia to release the jailed journalist.", "0253",
     {"DEU"}, {"RUS"}),
    ("demand clause", "France demanded that Mali expel the foreign mercenaries.", "10", {"FRA"}, {"MLI"}),
    ("must clause is a demand", "The European Union said Hungary must restore judicial independence.", "10",
     None, {"HUN"}),
    ("future cooperative act is intent", "Japan will provide emergency food aid to Haiti.", "033",
     {"JPN"}, {"HTI"}),
    ("future conflictual act is threat", "Israel will impose a curfew on Hebron.", "1323", {"ISR"}, None),
    ("negated acceptance is rejection", "Poland will not accept the relocation of migrants.", "12", {"POL"}, None),
    ("grant asylum", "Ecuador granted asylum to the Australian activist.", "075", {"ECU"}, {"AUS"}),
    ("asylum in a country", "The Belarusian opposition leader was granted asylum in Lithuania.", "075",
     {"LTU"}, {"BLR"}),
    ("protest", "Thousands of Armenians demonstrated against the government in Yerevan.", "141", {"ARM"}, None),
    ("investigate", "Colombian prosecutors opened an investigation into the army's killings of civilians.",
     "09", {"COL"}, None),
]


@pytest.mark.parametrize("category, text, code, src, tgt", CASES, ids=[c[0] for c in CASES])
def test_coding(category, text, code, src, tgt):
    ev = main_event(text)
    assert ev.cameo_code.startswith(code), (ev.cameo_code, ev.coder)
    if src is not None:
        assert countries(ev.source) == src, ev.source
    if tgt is not None:
        assert countries(ev.target) == tgt, ev.target


@pytest.mark.parametrize(
    "text, absent",
    [
        ("Russia did not attack the convoy near Kharkiv.", "19"),
        ("Chad failed to send troops to Niger.", "15"),
        ("The United States refrained from sanctioning Saudi Arabia.", "163"),
        ("Moscow's failure to intervene during the crisis angered Armenia.", "19"),
    ],
)
def test_negated_acts_are_not_events(text, absent):
    assert not [e for e in code_text(text) if e.cameo_code.startswith(absent)]


@pytest.mark.parametrize(
    "text, modality",
    [
        ("Syrian rebels reportedly seized the airport in Aleppo.", "reported"),
        ("Sudan's army allegedly shelled the camp near El Fasher.", "reported"),
        ("Kenyan officials said Somali militants attacked a police post.", "reported"),
        ("Ethiopia could attack Eritrea if talks fail.", "hypothetical"),
        ("Armenia plans to restore diplomatic relations with Turkey.", "future"),
        ("Azerbaijani troops attacked Armenian positions on Tuesday.", "asserted"),
    ],
)
def test_modality(text, modality):
    ev = main_event(text)
    assert ev.modality == modality, (ev.cameo_code, ev.coder, ev.modality)


def test_reciprocal_actors_are_not_their_own_target():
    ev = main_event("Vietnam and the Philippines signed a maritime cooperation agreement.")
    assert ev.cameo_code == "057"
    assert countries(ev.source) == {"VNM", "PHL"} and not ev.target


def test_subordinate_clause_does_not_outrank_main_event():
    ev = main_event("Bolivia expelled the US ambassador, whom it accused of plotting a coup.")
    assert ev.cameo_code.startswith("16") or ev.cameo_code.startswith("17")


def test_accused_act_has_the_accused_as_doer_and_is_reported():
    evs = code_text("Amnesty International accused Myanmar's army of burning Rohingya villages.")
    accuse = [e for e in evs if e.cameo_code.startswith("112")]
    burned = [e for e in evs if e.cameo_code.startswith("171")]  # 1712 destroy property
    assert accuse and countries(accuse[0].target) == {"MMR"}
    assert burned and countries(burned[0].source) == {"MMR"} and burned[0].modality == "reported"
    assert pick(evs).cameo_code.startswith("112")
