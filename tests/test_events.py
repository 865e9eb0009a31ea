"""The event coder (frames, dictionary, arguments, modality) and the events scorer."""
from __future__ import annotations

import json

import pytest

from newsevents import actors, nlp
from newsevents.events import rules as events
from newsevents.events.dictionary import entries
from newsevents.events.frames import appeal, compose, demand, intent, refuse, threat
from newsevents.evaluate import events as ev_eval
from newsevents.records import Article


def code_text(text: str):
    doc = nlp.parse(text)
    art = Article(id="t-" + str(abs(hash(text))), text=text)
    mentions, _ = actors.extract(doc, art)
    return events.code(doc, art, mentions)


def by_code(evs, prefix: str):
    return [e for e in evs if e.cameo_code.startswith(prefix)]


# --------------------------------------------------------------------- frames and dictionary
@pytest.mark.parametrize(
    "frame, inner, expected",
    [
        ("intent", "040", "036"),  # agreed to meet
        ("intent", "0874", "0356"),  # promised to withdraw
        ("intent", "190", "1384"),  # vowed to attack -> a threat
        ("threat", "163", "1312"),  # threatened sanctions
        ("threat", "161", "1313"),
        ("refuse", "0874", "1246"),  # refused to withdraw
        ("refuse", "036", "125"),  # refused to meet
        ("demand", "0841", "1053"),  # demanded the release of
        ("appeal", "0841", "0253"),
        ("appeal", "040", "026"),
    ],
)
def test_frame_composition(frame, inner, expected):
    assert compose(frame, inner) == expected


def test_frame_fallbacks():
    assert intent("111") == "111"  # verbal acts are not turned into intents
    assert threat("040") == "130"
    assert refuse("190") == "120"
    assert demand("190") == "100"
    assert appeal("190") == "020"


def test_dictionary_rows_are_valid_cameo():
    from newsevents import ontology

    rows = [e for group in entries().values() for e in group]
    assert len(rows) > 400
    for e in rows:
        assert e.pos in ("V", "N", "A")
        assert e.code is None or ontology.is_valid(e.code), e
        assert e.code is not None or e.frame is not None, e


# --------------------------------------------------------------------- coding
def test_light_verb_with_passive_and_agent():
    evs = code_text("The exiled leader was granted asylum by Russia after the coup in Mali.")
    (e,) = by_code(evs, "075")
    assert e.plover_type == "AID" and e.plover_context == "asylum"
    assert [a.country for a in e.source] == ["RUS"]
    assert e.trigger == "granted"
    assert e.coder.startswith("verb:grant") and e.coder.endswith("075")


def test_event_record_fields_and_stable_ids():
    text = "Russia imposed sanctions on Iran on Tuesday."
    a, b = code_text(text), code_text(text)
    (e,) = by_code(a, "163")
    assert e.id == by_code(b, "163")[0].id and len(e.id) == 16
    assert e.cameo_root == "16" and e.quad_class == 4 and e.goldstein < 0
    assert e.plover_type == "COERCE" and e.cameo_label.startswith("Impose embargo")
    assert [t.country for t in e.target] == ["IRN"]
    assert text[e.trigger_start:e.trigger_end] == e.trigger
    assert e.evidence == text and e.sentence == 0 and e.date is None and e.place is None
    assert 0 < e.confidence <= 1


def test_xcomp_chain_and_object_control():
    evs = code_text("Turkey urged Greece to release the detained fishermen.")
    (e,) = by_code(evs, "02")
    assert e.cameo_code == "0253"
    assert [a.country for a in e.source] == ["TUR"] and [a.country for a in e.target] == ["GRC"]


def test_failure_to_act_is_not_an_event():
    evs = code_text("Russia's failure to intervene during the offensive surprised analysts.")
    assert not by_code(evs, "19") and not by_code(evs, "04")


def test_negated_acceptance_is_a_rejection():
    evs = code_text("Hungary will not accept the European Union's migrant quota plan.")
    assert by_code(evs, "12") and not by_code(evs, "03")


def test_confidence_orders_main_clause_first():
    evs = code_text("Ukraine protested to Poland after Polish farmers blocked border crossings.")
    best = ev_eval.pick(evs)
    assert best is not None and best.cameo_code == "114"


def test_seed_article_events(seed_result):
    evs = seed_result.events
    codes = {e.cameo_code for e in evs}
    assert {"075", "0874", "0831", "192", "190", "046"} <= codes
    asylum = [e for e in by_code(evs, "075") if any(a.country == "RUS" for a in e.source)]
    assert asylum and any(t.country == "SYR" for e in asylum for t in e.target)
    (resign,) = by_code(evs, "0831")
    assert resign.modality == "reported" and resign.plover_type == "CONCEDE"
    retreat = [e for e in by_code(evs, "0874") if e.trigger == "withdraw"]
    assert [a.sector for e in retreat for a in e.source] == ["MIL"]  # "prompting forces to withdraw"
    pledge = [e for e in by_code(evs, "03") if e.trigger == "pledged"]
    assert pledge and any(t.country == "SYR" for t in pledge[0].target)
    assert not any(e.trigger == "intervene" for e in evs)  # "Russia's failure to intervene"


# --------------------------------------------------------------------- scorer (hand-computed)
def _g(t, src, tgt):
    return {"type": t, "source": src, "target": tgt}


def test_score_hand_computed():
    pairs = [
        (_g("AGREE", [("USA", None)], []), _g("AGREE", [("USA", "GOV")], [])),
        (_g("ASSAULT", [("ISR", "MIL")], [("PSE", "CVL")]),
         _g("COERCE", [("ISR", "MIL")], [("PSE", "CVL")])),
        (_g("REQUEST", [("IGO", None)], [("USA", "GOV")]), _g(None, [], [])),
        (_g("AGREE", [("JOR", None), ("GBR", None)], []), _g("AGREE", [("JOR", None)], [("GBR", None)])),
    ]
    m = ev_eval.score(pairs)
    assert m["n"] == 4
    assert m["type_accuracy"] == pytest.approx(0.5)
    assert m["source_code_accuracy"] == pytest.approx(0.5)
    assert m["target_code_accuracy"] == pytest.approx(0.5)
    assert m["exact_match"] == pytest.approx(0.25)
    assert m["sector_accuracy"] == pytest.approx(2 / 3)
    # AGREE F1 1; ASSAULT, COERCE, REQUEST F1 0
    assert m["type_macro_f1"] == pytest.approx(0.25)


def test_score_empty_and_gold_normalisation():
    assert ev_eval.score([])["n"] == 0
    rec = {"expected_events": [{"event": "FIGHT", "source": [{"code": "IGO", "sector": "MIL"}],
                                "target": [{"code": "SRB", "sector": "CVLalb"}, {"code": "SRB", "sector": "***"}]}]}
    g = ev_eval.gold_event(rec)
    assert g == {"type": "ASSAULT", "source": [("IGO", "MIL")], "target": [("SRB", "CVL"), ("SRB", None)]}
    assert ev_eval.actor_code("IGOUNO", None) == "IGO"
    assert ev_eval.actor_code("SYRREB", "SYR") == "SYR"


def test_evaluate_on_own_fixture(tmp_path):
    recs = [
        {"id": "a", "text": "France imposed sanctions on Syria on Monday.",
         "expected_events": [{"event": "SANCTION", "source": [{"code": "FRA"}], "target": [{"code": "SYR"}]}]},
        {"id": "b", "text": "Chile and Peru signed a trade agreement in Lima.",
         "expected_events": [{"event": "SUPPORT", "source": [{"code": "CHL"}, {"code": "PER"}], "target": []}]},
    ]
    p = tmp_path / "gold.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    errors: list = []
    m = ev_eval.evaluate(p, errors=errors)
    assert m["n"] == 2
    # imposing sanctions is COERCE in PLOVER 2021 (CAMEO 163): the first record is a type miss
    assert m["type_accuracy"] == pytest.approx(0.5)
    assert m["source_code_accuracy"] == pytest.approx(1.0)
    assert len(errors) == 1 and errors[0]["id"] == "a" and errors[0]["wrong"] == ["type"]
    assert ev_eval.evaluate(p, limit=1)["n"] == 1


# ------------------------------------------------ argument finding and actor conventions (accuracy)
def _codes(refs):
    return {r.code for r in refs}


def test_aim_on_last_conjunct_of_object():
    evs = by_code(code_text("Ethiopian forces launched mortar and artillery fire against Eritrean "
                            "border posts."), "194")
    assert evs and "ERI" in {r.country for r in evs[0].target}


def test_object_shifted_behind_as_phrase():
    ev = by_code(code_text("Canada condemned as a grave violation Russia's annexation of the "
                           "peninsula."), "111")[0]
    assert {r.country for r in ev.target} == {"RUS"}


def test_complaint_target_is_what_it_is_about_not_the_addressee():
    ev = by_code(code_text("Greece complained to the European Union about Turkish naval "
                           "exercises."), "114")[0]
    assert {r.country for r in ev.target} == {"TUR"}


def test_participle_clause_parsed_as_subject():
    ev = by_code(code_text("The Red Cross operating in Sudan said the government must reopen "
                           "the roads."), "10")[0]
    assert _codes(ev.source) == {"NGOIRC"}
    assert {r.country for r in ev.target} == {"SDN"}


def test_victims_take_the_country_where_the_attack_happened():
    ev = by_code(code_text("Two gunmen from Chad killed 12 people in Kandahar on Tuesday."), "190")[0]
    assert [r.country for r in ev.target] == ["AFG"]


def test_role_actor_takes_country_of_co_actor():
    evs = by_code(code_text("Hundreds of refugees began a hunger strike to protest the Russian "
                            "government's decision."), "140")
    assert evs and _codes(evs[0].source) == {"RUSREF"}


def test_thing_deployed_under_a_frame_is_not_the_target():
    ev = by_code(code_text("Chile refused to send peacekeepers to Haiti."), "12")[0]
    assert {r.country for r in ev.target} == {"HTI"}


def test_fallen_city_changed_hands():
    ev = by_code(code_text("Kabul fell to Taliban fighters on Sunday."), "19")[0]
    assert ev.cameo_code == "192"
    assert _codes(ev.source) == {"AFGREB"} and _codes(ev.target) == {"AFGGOV"}
    # people still retreat
    evs = code_text("The rebels fell back from the town.")
    assert by_code(evs, "0874") and not by_code(evs, "192")


def test_commentators_are_not_actors_of_a_nearby_country():
    evs = code_text("Analysts argue that Japan faces a shrinking workforce.")
    assert not any(r.code and r.code.endswith("ELI") for e in evs for r in e.source)
    # an opinion is not a statement event, but an argued demand is a demand
    assert not by_code(evs, "01")
    ev = by_code(code_text("Russian analysts argued that Iran must release the prisoners."), "10")[0]
    assert _codes(ev.source) == {"RUSELI"} and {r.country for r in ev.target} == {"IRN"}


def test_verbless_parse_subject_and_shared_object():
    # the parser roots this sentence on "Nurses" with "donated" as a participle of "charities"
    doc = nlp.parse("Nurses from three Swedish charities donated and delivered tents to a camp "
                    "in Chad.")
    assert doc[0].dep_ == "ROOT"  # the misparse this test is about
    evs = code_text(doc.text)
    aid = [e for e in evs if e.cameo_code.startswith("07")]
    assert aid and all({r.country for r in e.source} == {"SWE"} for e in aid)
    assert any({r.country for r in e.target} == {"TCD"} for e in aid)


def test_violence_within_one_camp_keeps_its_target():
    ev = by_code(code_text("Taliban fighters killed a local commander of a rival Afghan militia "
                           "in Kandahar."), "18")
    ev = ev or by_code(code_text("Taliban fighters killed a local commander of a rival Afghan "
                                 "militia in Kandahar."), "19")
    assert ev and ev[0].target, "a rival group's commander is a target even with the same code"


def test_weapons_launched_are_not_the_target():
    ev = by_code(code_text("Syrian troops launched rocket fire at rebel positions near Idlib."), "19")
    assert ev and not any(r.sector == "MIL" and r.country == "SYR" for r in ev[0].target)


def test_where_a_group_is_based_gives_its_country():
    ev = by_code(code_text("A militant group based in Trinidad has threatened to attack "
                           "Venezuela."), "13")[0]
    assert {r.country for r in ev.source} == {"TTO"}


def test_ethnic_modifier_yields_to_stated_residence():
    ev = by_code(code_text("Ethnic Serb militias operating in Croatia shelled the town."), "19")[0]
    assert {r.code for r in ev.source} == {"HRVREB"}


def test_leader_named_before_led_owns_the_thing():
    ev = by_code(code_text("Spain refused to join the French-led mission against the pirates."), "12")
    assert ev and {r.country for r in ev[0].target} == {"FRA"}


def test_late_object_parsed_as_subject_of_next_clause():
    # the parse the repair is for, built by hand (the model makes it on some long sentences):
    # "curfew" hung as the subject of a following clause instead of the verb's object
    from spacy.tokens import Doc

    from newsevents.events.read import read

    words = ["The", "army", "eased", "by", "hours", "the", "curfew", "imposed", "after", "a",
             "coup", "toppled", "the", "government", "."]
    heads = [1, 2, 2, 2, 3, 6, 11, 6, 7, 10, 8, 2, 13, 11, 2]
    deps = ["det", "nsubj", "ROOT", "prep", "pobj", "det", "nsubj", "acl", "prep", "det", "pobj",
            "ccomp", "det", "dobj", "punct"]
    pos = ["DET", "NOUN", "VERB", "ADP", "NOUN", "DET", "NOUN", "VERB", "ADP", "DET", "NOUN",
           "VERB", "DET", "NOUN", "PUNCT"]
    lemmas = ["the", "army", "ease", "by", "hour", "the", "curfew", "impose", "after", "a", "coup",
              "topple", "the", "government", "."]
    doc = Doc(nlp.load().vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    rd = read(doc[2])
    assert rd is not None and rd.code == "0813" and rd.obj is not None and rd.obj.text == "curfew"
    # without a dictionary row confirming the object, nothing is repaired
    lemmas[2] = "watch"
    doc2 = Doc(nlp.load().vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    assert read(doc2[2]) is None


def test_demand_noun_with_its_content_clause():
    ev = by_code(code_text("The World Health Organization reiterated its demand that Egypt lift "
                           "the restrictions on aid convoys."), "10")
    assert ev and {r.code for r in ev[0].source} == {"IGOWHO"}
    assert {r.country for r in ev[0].target} == {"EGY"}
    # a demand whose content is not coded is still a demand on the clause's subject
    ev = by_code(code_text("The Arab League reiterated its demand that Israel halt the "
                           "construction of settlements."), "10")
    assert ev and {r.country for r in ev[0].target} == {"ISR"}


def test_verb_right_after_the_root_noun_is_the_predicate():
    from newsevents import nlp as _nlp
    text = "An official Syrian newspaper called Thursday on Arabs to unite against the plan."
    doc = _nlp.parse(text)
    if doc[3].dep_ != "ROOT":  # only meaningful on the misparse ("newspaper" as root)
        pytest.skip("parser did not produce the verbless parse")
    ev = by_code(code_text(text), "02")[0]
    assert {r.code for r in ev.source} == {"SYRMED"}


def test_who_resigns_is_coded_with_the_office_the_resignation_ends():
    import datetime as _dt

    text = "Evo Morales resigned on Sunday after weeks of protests in Bolivia."
    doc = nlp.parse(text)
    art = Article(id="resign", text=text,
                  published=_dt.datetime(2019, 11, 12, tzinfo=_dt.timezone.utc))
    mentions, _ = actors.extract(doc, art)
    assert any(m.code == "BOLELI" for m in mentions)  # a former president on the report's date
    ev = by_code(events.code(doc, art, mentions), "0831")[0]
    assert {r.code for r in ev.source} == {"BOLGOV"}


def test_hyphenated_infinitive_composes_with_its_frame():
    evs = code_text("Kenya has agreed to re-open its borders to refugees from Somalia.")
    assert by_code(evs, "03") and not by_code(evs, "075")


def test_placed_under_investigation():
    ev = by_code(code_text("A Swiss banker has been put under investigation in France for his "
                           "role in the fraud."), "09")
    assert ev and {r.country for r in ev[0].target} == {"CHE"}


def test_armed_role_actor_does_not_take_its_victims_country():
    from newsevents.events import participants as A
    from newsevents.records import ActorRef

    rebels = ActorRef(name="rebels", code="REB", sector="REB", start=0)
    refugees = ActorRef(name="refugees", code="REF", sector="REF", start=0)
    russia = [ActorRef(name="Russia", code="RUSGOV", country="RUS", sector="GOV", start=30)]
    assert A.adopt_country([rebels], russia)[0].country is None
    assert A.adopt_country([refugees], russia)[0].code == "RUSREF"


def test_state_agent_modifier_makes_its_noun_an_actor():
    from newsevents import nlp as _nlp
    doc = _nlp.parse("Israeli army bulldozers demolished three houses.")
    refs = actors.resolve_phrase(doc[0:3])
    assert refs and refs[0].code == "ISRMIL"
    # other agent words do not turn things into actors
    doc = _nlp.parse("The rebels looted a town bazaar.")
    assert actors.resolve_phrase(doc[4:6]) == [] or all(
        r.sector != "CVL" for r in actors.resolve_phrase(doc[4:6]))


def test_counterpart_of_the_talks_that_led_to_the_act():
    ev = by_code(code_text("The dockers' union called off its strike after negotiations with "
                           "the Kenyan government."), "08")
    assert ev and {r.code for r in ev[0].target} == {"KENGOV"}


def test_guessed_country_never_makes_the_attacker_its_own_target():
    ev = by_code(code_text("On Tuesday, Israeli jets struck military sites near Damascus."), "19")
    assert ev and not any(r.code == "ISRMIL" for r in ev[0].target)


def test_attack_near_a_place_targets_that_country():
    ev = by_code(code_text("On Tuesday, Israeli jets struck military sites near Damascus."), "19")
    assert ev and {r.country for r in ev[0].target} == {"SYR"}


def test_event_ids_are_unique_within_an_article():
    from newsevents import nlp
    from newsevents.records import Article

    text = ("Palestinian leaders held a summit with Egyptian officials in Cairo on Monday. "
            "Police made an arrest in the case on Tuesday.")
    doc = nlp.parse(text)
    evs = events.code(doc, Article(id="dup", text=text), [])
    assert len({e.id for e in evs}) == len(evs)
