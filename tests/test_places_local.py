"""Issue 12 (local news places) and issue 10 items 2, 10 and 13 (places parts): counties,
state abbreviations, namesakes, non-places, gold files without coordinates, bounded cost on a
long sentence, and where an event happens. Sentences are written for these tests."""
from __future__ import annotations

import json

import pytest

from newsevents import nlp
from newsevents import places as where
from newsevents.places import events as geo_events
from newsevents.places import resolve as geo_resolve
from newsevents.records import ActorRef, Article, Event


@pytest.fixture(scope="module")
def parse():
    model = nlp.load()
    return lambda text: (model(text), Article(id="t", text=text))


def _places(parse, text):
    doc, art = parse(text)
    return {p.text: p for p in where.extract(doc, art, [])}


def _event(doc, trigger, source=None, sentence=0):
    text = doc.text
    ts = text.index(trigger)
    src = ()
    if source:
        ss = text.index(source)
        src = (ActorRef(name=source, start=ss, end=ss + len(source), text=source),)
    sent = list(doc.sents)[sentence]
    return Event(id="e", article_id="t", sentence=sentence, evidence=sent.text, sentence_start=sent.start_char,
                 trigger=trigger, trigger_start=ts, trigger_end=ts + len(trigger), source=src, target=(),
                 cameo_code="075", cameo_root="07", quad_class=2, goldstein=7.0, plover_type="AID",
                 plover_mode=None, plover_context=None, modality="asserted", confidence=0.5, coder="test")


# --- counties (second-level divisions)
def test_county_and_parish_are_second_level_divisions(parse):
    p = _places(parse, "The sheriff of Edgar County said the road would reopen on Monday.")["Edgar County"]
    assert (p.feature, p.precision, p.country, p.admin1) == ("admin2", "admin2", "USA", "Illinois")
    assert p.gazetteer_id.startswith("geonames:")
    q = _places(parse, "Deputies in Rapides Parish arrested two men on Friday.")["Rapides Parish"]
    assert q.feature == "admin2" and q.admin1 == "Louisiana"


def test_county_named_beside_a_town_picks_the_namesake_in_it(parse):
    places = _places(parse, "Schools in Paris will close early, the Lamar County superintendent said.")
    assert places["Paris"].country == "USA" and places["Paris"].admin1 == "Texas"
    places = _places(parse, "The sheriff of Edgar County said the road near Paris would reopen.")
    assert places["Paris"].country == "USA" and places["Paris"].admin1 == "Illinois"


# --- abbreviations
@pytest.mark.parametrize("text, abbrev, state, town", [
    ("The company moved its offices to Springfield, Ill., last year.", "Ill.", "Illinois", "Springfield"),
    ("A landslide closed a road near Charleston, W.Va., on Tuesday.", "W.Va.", "West Virginia", "Charleston"),
    ("Flooding was reported in Columbia, Mo., overnight.", "Mo.", "Missouri", "Columbia"),
])
def test_state_abbreviation_qualifies_the_town(parse, abbrev, state, town, text):
    places = _places(parse, text)
    assert places[abbrev].feature == "admin1" and places[abbrev].name == state  # periods kept in the span
    assert places[town].admin1 == state and places[town].country == "USA"


def test_abbreviation_after_a_party_letter(parse):
    places = _places(parse, "Rep. Jane Harman, D-Calif., voted against the bill.")
    assert places["Calif."].name == "California"


def test_postal_code_qualifier():
    p = where.geocode("Peoria", ["AZ"])
    assert p is not None and p.admin1 == "Arizona"


def test_bare_abbreviation_words_are_not_places(parse):
    places = _places(parse, "Miss Lee went to Mass on Sunday.")
    assert "Miss" not in places and "Mass" not in places


# --- non-places
@pytest.mark.parametrize("text, word", [
    ("Halliburton said profits rose in the quarter.", "Halliburton"),
    ("Dr. Ann Smith, MD, said the clinic in Boston would reopen.", "MD"),
    ("Leaders of the West condemned the attack.", "West"),
])
def test_person_company_and_direction_are_not_places(parse, text, word):
    assert word not in _places(parse, text)


# --- recognition beyond spaCy's entities
def test_local_names_in_compounds_and_datelines(parse):
    places = _places(parse, "The Winona man was arrested on Friday.")
    assert places["Winona"].country == "USA"
    doc, art = parse("Man found behind residence.\nWINONA -- The body of a man was found on Tuesday.")
    found = {p.text for p in where.extract(doc, art, [])}
    assert "WINONA" in found


# --- gazetteer cache key covers the data
def test_cache_key_covers_the_abbreviation_table():
    from newsevents.places import index as geo_index

    from pathlib import Path

    assert "geo_abbrevs.tsv" in Path(geo_index.__file__).read_text(encoding="utf-8")
    assert geo_index.cache_path().name.startswith("geo-index-")


# --- eval: JSONL lines and gold toponyms without coordinates (issue 10 item 10)
def test_eval_geo_reads_lines_at_newline_only_and_skips_unlocated(tmp_path):
    from newsevents.evaluate import geo

    text = "Flooding hit Nairobi on Tuesday\u2028and aid came from Kampala to the old quarry."
    n, k, z = text.index("Nairobi"), text.index("Kampala"), text.index("old quarry")
    row = {"id": "x1", "text": text, "toponyms": [
        {"text": "Nairobi", "start": n, "end": n + 7, "lat": -1.28333, "lon": 36.81667},
        {"text": "Kampala", "start": k, "end": k + 7, "lat": 0.31628, "lon": 32.58219},
        {"text": "old quarry", "start": z, "end": z + 10, "lat": None, "lon": None, "unresolved": True},
    ]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert "\u2028" in path.read_text(encoding="utf-8")  # raw, not escaped: splitlines() would break here
    m = geo.evaluate(path)
    assert m["toponyms"] == 2 and m["toponyms_without_coordinates"] == 1
    assert m["acc_at_161km"] == 1.0
    assert m["span_recall"] == pytest.approx(2 / 3, abs=1e-4)  # the unlocated toponym is still a gold span


def test_eval_geo_wrong_format_is_one_clear_error(tmp_path):
    from newsevents.errors import EvalError
    from newsevents.evaluate import geo

    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "sentence": "no text field"}\n', encoding="utf-8")
    with pytest.raises(EvalError, match="line 1"):
        geo.evaluate(path)


def test_half_split_is_fixed_and_covers_both():
    from newsevents.evaluate.geo import half

    ids = [f"doc-{i}" for i in range(40)]
    assert {half(i) for i in ids} == {"a", "b"} and [half(i) for i in ids] == [half(i) for i in ids]


# --- bounded cost on one very long sentence (issue 10 item 2): counts, not time
def _long(n):
    return " and ".join(["Moscow condemned the strike near Aleppo"] * n) + "."


def _calls(parse, monkeypatch, n):
    counts = {"is_actor": 0, "haversine": 0}
    real_actor, real_hav = geo_events._is_actor, geo_resolve.haversine_km

    def is_actor(*a, **k):
        counts["is_actor"] += 1
        return real_actor(*a, **k)

    def hav(*a, **k):
        counts["haversine"] += 1
        return real_hav(*a, **k)

    monkeypatch.setattr(geo_events, "_is_actor", is_actor)
    monkeypatch.setattr(geo_resolve, "haversine_km", hav)
    doc, art = parse(_long(n))
    found = where.extract(doc, art, [])
    text = doc.text
    events, pos = [], 0
    for _ in range(n):
        pos = text.index("condemned", pos)
        ev = _event(doc, "condemned")
        events.append(Event(**{**ev.to_dict(), "trigger_start": pos, "trigger_end": pos + 9,
                               "source": (), "target": (), "date": None, "place": None}))
        pos += 9
    placed = where.place_events(events, found, doc, art)
    assert len(placed) == n and len(found) >= 2 * n - 2
    monkeypatch.setattr(geo_events, "_is_actor", real_actor)
    monkeypatch.setattr(geo_resolve, "haversine_km", real_hav)
    return counts


def test_places_cost_is_linear_in_one_long_sentence(parse, monkeypatch):
    small, big = _calls(parse, monkeypatch, 60), _calls(parse, monkeypatch, 240)
    # each event looks at the places around its trigger only: a constant per event
    assert big["is_actor"] <= 240 * 2 * geo_events._NEAREST
    assert big["is_actor"] <= 4.5 * small["is_actor"]
    assert big["haversine"] <= 4.5 * max(1, small["haversine"])


# --- where an event happens (issue 10 item 13)
def test_source_place_gives_the_country_of_the_act(parse):
    doc, art = parse("Fighting continued across Syria this week. Moscow extended asylum to the former leader.")
    found = where.extract(doc, art, [])
    ev = where.place_events([_event(doc, "extended", source="Moscow", sentence=1)], found, doc, art)[0]
    assert ev.place is not None and ev.place.country == "RUS" and ev.place.precision == "country"
    assert ev.place.score < 0.5  # implied, not stated


def test_locative_after_the_source_is_the_setting(parse):
    doc, art = parse("The former leader has been granted asylum in Russia, officials in Syria said.")
    found = where.extract(doc, art, [])
    ev = where.place_events([_event(doc, "granted", source="Russia")], found, doc, art)[0]
    assert ev.place is not None and ev.place.name == "Russia"


def test_strike_near_a_city_is_placed_at_the_city(parse):
    doc, art = parse("Rebels held the north of Syria. Israeli jets struck sites near Damascus on Sunday.")
    found = where.extract(doc, art, [])
    ev = where.place_events([_event(doc, "struck", sentence=1)], found, doc, art)[0]
    assert ev.place is not None and ev.place.name == "Damascus" and ev.place.precision == "city"


# --- local-news recognition: residence, institutions, streets, counties inside names, lists
def test_residence_after_a_person_and_age(parse):
    assert "Glen Allen" in _places(parse, "Mary Jones, 41, of Glen Allen, was charged on Monday.")


def test_town_name_used_for_a_school_is_not_a_place(parse):
    places = _places(parse, "Parents met at Franklin Elementary on Monday. Three children at Franklin were ill.")
    assert "Franklin" not in places


def test_streets_and_roads_are_toponyms(parse):
    places = _places(parse, "The crash closed Elm Street and Highway 19 for an hour.")
    assert {"Elm Street", "Highway 19"} <= set(places)


def test_county_inside_an_institution_name(parse):
    p = _places(parse, "He was booked into the Titus County Jail on Friday.")["Titus County"]
    assert p.feature == "admin2" and p.admin1 == "Texas"


def test_town_listed_with_a_place_is_a_place(parse):
    places = _places(parse, "Flood crews worked in Fargo and Moorhead overnight.")
    assert places["Moorhead"].admin1 == "Minnesota" and places["Fargo"].admin1 == "North Dakota"
