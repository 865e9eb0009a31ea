"""WHERE stage: toponym recognition, context resolution, event location. Sentences are our own."""
from __future__ import annotations

import pytest

from newsevents import nlp, places as where
from newsevents.records import ActorRef, Article, Event


@pytest.fixture(scope="module")
def parse():
    model = nlp.load()

    def _parse(text: str):
        return model(text), Article(id="t", text=text)

    return _parse


def _places(parse, text: str):
    doc, art = parse(text)
    return {p.text: p for p in where.extract(doc, art, [])}


def _event(doc, trigger: str, source: str | None = None, sentence: int = 0) -> Event:
    text = doc.text
    ts = text.index(trigger)
    src = ()
    if source:
        ss = text.index(source)
        src = (ActorRef(name=source, start=ss, end=ss + len(source), text=source),)
    sent = list(doc.sents)[sentence]
    return Event(id="e", article_id="t", sentence=sentence, evidence=sent.text, sentence_start=sent.start_char,
                 trigger=trigger, trigger_start=ts, trigger_end=ts + len(trigger), source=src, target=(),
                 cameo_code="190", cameo_root="19", quad_class=4, goldstein=-10.0, plover_type="ASSAULT",
                 plover_mode=None, plover_context=None, modality="asserted", confidence=0.5, coder="test")


def test_damascus_goes_to_syria_not_oregon(parse):
    p = _places(parse, "Syrian troops shelled the outskirts of Damascus overnight.")["Damascus"]
    assert p.resolved and p.country == "SYR"
    assert abs(p.lat - 33.5) < 0.3 and abs(p.lon - 36.3) < 0.3


@pytest.mark.parametrize(
    "text,country",
    [
        ("Officials in Paris announced new rules for street markets.", "FRA"),
        ("The rodeo in Paris, Texas, drew thousands of visitors this weekend.", "USA"),
    ],
)
def test_paris_by_qualifier(parse, text, country):
    assert _places(parse, text)["Paris"].country == country


def test_georgia_country_vs_state(parse):
    eu = _places(parse, "Russian troops massed near Tbilisi as Georgia and Armenia held talks.")
    assert eu["Georgia"].country == "GEO" and eu["Georgia"].feature == "country"
    us = geo_us = _places(parse, "Voters in Atlanta and Savannah lined up for hours as Georgia and Alabama counted ballots.")
    assert us["Georgia"].country == "USA" and geo_us["Georgia"].feature == "admin1"


def test_demonym_is_context_not_toponym(parse):
    doc, art = parse("Pakistani police said the blast in Hyderabad killed six people.")
    places = where.extract(doc, art, [])
    assert [p.text for p in places] == ["Hyderabad"]
    assert places[0].country == "PAK"
    assert where.geocode("Hyderabad").country == "IND"
    assert where.geocode("Hyderabad", ["Pakistani"]).country == "PAK"


def test_regions_and_the_article(parse):
    places = _places(parse, "Drought spread across the Horn of Africa while tensions rose in the Middle East.")
    assert places["Horn of Africa"].feature == "region" and places["Horn of Africa"].resolved
    assert places["Middle East"].precision == "region"
    assert 20 < places["Middle East"].lat < 38


@pytest.mark.parametrize("old,new,country", [("Kiev", "Kyiv", "UKR"), ("Bombay", "Mumbai", "IND"),
                                             ("Peking", "Beijing", "CHN"), ("Burma", "Myanmar", "MMR")])
def test_historic_names(old, new, country):
    p = where.geocode(old)
    assert p is not None and p.name == new and p.country == country


def test_fuzzy_near_miss_and_unknown():
    assert where.geocode("Phillipines").country == "PHL"
    assert where.geocode("Qwxzqplonk") is None


def test_unknown_span_without_anchor_is_kept_unresolved(parse):
    text = "Aid reached Zorblatt Vexmoor on Friday. Donors met in Kenya."
    doc, art = parse(text)
    s = text.index("Zorblatt Vexmoor")
    (unknown,) = where.resolve_spans(doc, art, [(s, s + 16)])
    assert not unknown.resolved and unknown.lat is None and unknown.text == "Zorblatt Vexmoor"


def test_unknown_span_takes_the_town_beside_it_with_low_confidence(parse):
    text = "Aid reached the Zorblatt camp near Nairobi on Friday. Later, workers returned to Zorblatt."
    doc, art = parse(text)
    s = text.index("Zorblatt")
    s2 = text.rindex("Zorblatt")
    n = text.index("Nairobi")
    unknown, nairobi, again = where.resolve_spans(doc, art, [(s, s + 8), (n, n + 7), (s2, s2 + 8)])
    assert nairobi.resolved and nairobi.country == "KEN" and nairobi.score > 0.5
    assert unknown.resolved and unknown.name == "Nairobi" and unknown.score < 0.5
    assert again.name == "Nairobi"  # one sense per discourse for inferred places too


def test_unknown_span_takes_its_qualifier(parse):
    text = "Police raided a market in Zorblatt, Quezon City, on Wednesday."
    doc, art = parse(text)
    s = text.index("Zorblatt")
    q = text.index("Quezon City")
    unknown, qc = where.resolve_spans(doc, art, [(s, s + 8), (q, q + 11)])
    assert qc.country == "PHL"
    assert unknown.name == qc.name and (unknown.lat, unknown.lon) == (qc.lat, qc.lon)


def test_admin1_and_city_in_context(parse):
    places = _places(parse, "Health officials in Santa Ana, California, closed two schools near Irvine.")
    assert places["Santa Ana"].country == "USA" and places["Santa Ana"].admin1 == "California"


def test_event_place_is_locative_not_metonymic_actor(parse):
    doc, art = parse("Moscow granted asylum to the deposed leader after talks in Geneva.")
    places = where.extract(doc, art, [])
    ev = where.place_events([_event(doc, "granted", source="Moscow")], places, doc, art)[0]
    assert ev.place is not None and ev.place.name == "Geneva"


def test_event_place_prefers_its_own_clause(parse):
    doc, art = parse("Rebels attacked a convoy in Aleppo on Monday, officials in Damascus said.")
    places = where.extract(doc, art, [])
    ev = where.place_events([_event(doc, "attacked")], places, doc, art)[0]
    assert ev.place.name == "Aleppo"


def test_event_place_implied_when_only_actor_place(parse):
    text = "Fighting continued across Sudan this week. Khartoum condemned the attack."
    doc, art = parse(text)
    places = where.extract(doc, art, [])
    ev = where.place_events([_event(doc, "condemned", source="Khartoum", sentence=1)], places, doc, art)[0]
    assert ev.place is not None and ev.place.country == "SDN"
    assert ev.place.name != "Khartoum" and ev.place.precision == "country"
    assert ev.place.score < 0.5


def test_no_place_means_none(parse):
    doc, art = parse("The committee condemned the decision.")
    ev = where.place_events([_event(doc, "condemned")], where.extract(doc, art, []), doc, art)[0]
    assert ev.place is None


def test_index_is_cached_on_disk():
    from newsevents.places import index as geo_index

    geo_index.gazetteer()
    assert geo_index.cache_path().is_file()


def test_places_inside_organisation_names(parse):
    places = _places(parse, "Samples went to the U.S. Centers for Disease Control for testing.")
    assert "U.S." in places and places["U.S."].country == "USA"
    # a hyphenated news-agency name is not a place
    assert "France" not in _places(parse, "Officials told Agence France-Presse that the dam held.")


def test_pathogen_named_after_place_is_not_a_toponym(parse):
    places = _places(parse, "Doctors in Lagos confirmed two cases of West Nile virus last week.")
    assert "West Nile" not in places and places["Lagos"].country == "NGA"


def test_split_country_name_is_rejoined(parse):
    text = "Aid convoys reached the Democratic Republic of the Congo on Monday."
    places = _places(parse, text)
    assert "Democratic Republic of the Congo" in places
    assert places["Democratic Republic of the Congo"].country == "COD"


def test_state_word_selects_the_division(parse):
    p = _places(parse, "The infected cow was found on a Washington state dairy farm.")["Washington"]
    assert p.feature == "admin1" and p.lat > 45


def test_fallback_through_the_named_place(parse):
    text = "Flood waters reached Dallas County overnight."
    doc, art = parse(text)
    s = text.index("Dallas County")
    (p,) = where.resolve_spans(doc, art, [(s, s + len("Dallas County"))])
    assert p.resolved and p.country == "USA" and abs(p.lat - 32.8) < 0.5


@pytest.mark.xfail(strict=True, reason="fitted ranker (issue 12): the sentence's own country evidence "
                   "does not outweigh a named state elsewhere (Texas) for Victoria; see notes/issue-12")
def test_local_context_beats_article_majority(parse):
    text = ("Cases rose in Texas, Ohio and Florida. Officials in Chicago, Boston and Denver said "
            "hospitals were full. In Australia, doctors in Melbourne and across Victoria reported cases too.")
    places = _places(parse, text)
    assert places["Victoria"].country == "AUS"


def test_stated_container_when_the_town_is_unknown(parse):
    text = "The coroner of Zqrwville, Nevada, released the report."
    doc, art = parse(text)
    s = text.index("Zqrwville")
    (p,) = where.resolve_spans(doc, art, [(s, s + len("Zqrwville"))])
    assert p.resolved and p.name == "Nevada" and p.precision == "admin1"


def test_state_of_hint(parse):
    p = _places(parse, "The first case was found in the state of Washington last year.")["Washington"]
    assert p.feature == "admin1"


def test_seed_style_report_places(parse):
    text = ("Rebels entered Damascus on Sunday as government forces withdrew. The deposed president "
            "flew to Moscow, and analysts said the fall reshapes the Middle East.")
    places = _places(parse, text)
    assert places["Damascus"].country == "SYR"
    assert places["Moscow"].country == "RUS" and places["Moscow"].feature == "capital"
    assert places["Middle East"].feature == "region"


def test_nationality_modifier_is_not_the_event_place(parse):
    doc, art = parse("Two U.S. soldiers were wounded near Kandahar. Fighting also continued in Iraq.")
    places = where.extract(doc, art, [])
    ev = where.place_events([_event(doc, "wounded")], places, doc, art)[0]
    assert ev.place.text == "Kandahar" and ev.place.country == "AFG"
    doc, art = parse("Two U.S. soldiers were wounded on Tuesday. Fighting continued across Iraq and Syria.")
    places = where.extract(doc, art, [])
    ev = where.place_events([_event(doc, "wounded")], places, doc, art)[0]
    assert ev.place is None or ev.place.country != "USA"


def test_subdivision_known_only_to_its_country(parse):
    text = "Cholera spread from the Artibonite region to the capital."
    doc, art = parse(text)
    s = text.index("Artibonite")
    (p,) = where.resolve_spans(doc, art, [(s, s + len("Artibonite"))])
    assert p.resolved and p.country == "HTI" and p.precision == "country"


@pytest.mark.xfail(strict=True, reason="fitted ranker (issue 12): Washington, Pennsylvania (a real town) "
                   "outscores the list-class vote; see notes/issue-12")
def test_list_siblings_share_a_feature_class(parse):
    p = _places(parse, "Officials are investigating cases in Washington, Pennsylvania and California.")
    assert p["Washington"].feature == "admin1" and p["Washington"].lat > 45


def test_chained_qualifiers(parse):
    text = "The driver was stopped in Zqrwton, Ontario, Canada, late on Friday."
    doc, art = parse(text)
    s = text.index("Zqrwton")
    (p,) = where.resolve_spans(doc, art, [(s, s + len("Zqrwton"))])
    assert p.resolved and p.name == "Ontario"


def test_congo_by_context():
    assert where.geocode("Congo").country == "COD"
    assert where.geocode("Congo", ["Brazzaville"]).country == "COG"


def test_geocode_context_names_qualify():
    assert where.geocode("Paris", ["Texas"]).country == "USA"
    assert where.geocode("Paris").country == "FRA"
    assert where.geocode("Georgia", ["Tbilisi"]).country == "GEO"
    assert where.geocode("Damascus", ["Maryland"]).admin1 == "Maryland"


def test_paris_near_texas_in_running_text(parse):
    places = _places(parse, "Storms flooded roads across Texas overnight. In Paris, the mayor closed two schools.")
    assert places["Paris"].country == "USA"


def test_governor_hint_and_buildings(parse):
    places = _places(parse, "New York Governor Kathy Hochul spoke outside the White House on Monday.")
    assert places["New York"].feature == "admin1"
    assert "White House" not in places or places["White House"].country != "USA" or places["White House"].feature != "city"


def test_dateline_is_the_implied_place(parse):
    text = "DAMASCUS, Dec 1 (Reuters) - Rebels entered the city. The government condemned the advance."
    doc, art = parse(text)
    places = where.extract(doc, art, [])
    assert places[0].text == "DAMASCUS" and places[0].country == "SYR"
    ev = where.place_events([_event(doc, "condemned", sentence=len(list(doc.sents)) - 1)], places, doc, art)[0]
    assert ev.place is not None and ev.place.name == "Damascus" and ev.place.score < places[0].score


def test_long_list_commas_are_not_qualifiers(parse):
    text = "Losses were reported in Texas, Oklahoma, Pennsylvania, Ohio and Oregon last year."
    places = _places(parse, text)
    assert places["Oklahoma"].feature == "admin1" and places["Oklahoma"].admin1 == "Oklahoma"


def test_namesake_million_city_and_its_division_are_both_near(parse):
    # The fitted ranker may read a bare "Kano" as the state around the city (LGL's annotators
    # mostly do, for "New York"); either way the answer lies within 161 km of the city.
    from newsevents.places.index import gazetteer
    from newsevents.places.resolve import haversine_km

    for name, iso3 in (("Rio de Janeiro", "BRA"), ("Kano", "NGA")):
        p = _places(parse, f"Police said the protest in {name} ended peacefully.")[name]
        city = next(c for c in gazetteer().candidates(name) if c.feat == "city" and c.pop > 1_000_000)
        assert p.country == iso3 and p.feature in ("city", "admin1")
        assert haversine_km(p.lat, p.lon, city.lat, city.lon) < 161


def test_division_kept_beside_other_divisions(parse):
    text = "Two cases were found in Texas and one in Ohio. New York has confirmed nine."
    assert _places(parse, text)["New York"].feature == "admin1"


@pytest.mark.parametrize("name, iso3, lat, lon", [
    ("Pangasinan", "PHL", 16.0, 120.2),  # at Lingayen, not the middle of the Philippines
    ("Somme", "FRA", 49.9, 2.3),  # at Amiens
])
def test_second_level_division_at_its_capital(name, iso3, lat, lon):
    p = where.geocode(name)
    assert p.country == iso3 and abs(p.lat - lat) < 0.3 and abs(p.lon - lon) < 0.3
    assert p.precision == "admin1"


def test_small_foreign_town_is_not_a_reading(parse):
    # The only gazetteer "Piccadilly" is an Australian hamlet; this story is about London.
    text = ("Police in London questioned two men. They had met at a cafe in Piccadilly, near "
            "Mayfair, on Tuesday. Later they drove back to Piccadilly.")
    doc, art = parse(text)
    starts = [i for i in range(len(text)) if text.startswith("Piccadilly", i)]
    ps = where.resolve_spans(doc, art, [(s, s + 10) for s in starts])
    assert all(p.country == "GBR" and p.score < 0.5 for p in ps)


def test_elided_head_of_coordinated_directions(parse):
    text = "Many species live in the jungles of Central and South America."
    doc, art = parse(text)
    c = text.index("Central")
    s = text.index("South America")
    central, south = where.resolve_spans(doc, art, [(c, c + 7), (s, s + 13)])
    assert central.name == "Central America" and south.name == "South America"
    whole = _places(parse, text)["Central and South America"]
    assert whole.feature == "continent"


def test_small_town_named_like_a_state_gets_no_lift_from_neighbours(parse):
    text = "Letters went to reporters in New York City and Florida last year."
    p = _places(parse, text)["Florida"]
    assert p.feature == "admin1" and p.admin1 == "Florida"


def test_libya_at_the_geonames_point():
    p = where.geocode("Libya")
    assert p.country == "LBY" and (p.lat, p.lon) == (28.0, 17.0)


def test_index_cache_is_keyed_on_its_data_files(monkeypatch):
    from importlib import resources

    from newsevents.places import index as geo_index

    before = geo_index.cache_path()
    real = resources.files

    class _Edited:
        def __init__(self, inner):
            self._inner = inner

        def joinpath(self, *names):
            target = self._inner.joinpath(*names)
            if names[-1] != "geo_regions.tsv":
                return target

            class _F:
                def read_bytes(self):
                    return target.read_bytes() + b"\nregion\tNowhere\t0\t0\tregion\t\t\n"

            return _F()

    monkeypatch.setattr(geo_index.resources, "files", lambda pkg: _Edited(real(pkg)))
    assert geo_index.cache_path() != before


def test_unknown_town_with_qualifier_takes_the_stated_province(parse):
    # The only "Bradford"s are English (a city, and a district at England's point) and US hamlets.
    p = _places(parse, "He must appear in a Bradford, Ontario court on May 12.")["Bradford"]
    assert p.country == "CAN" and p.admin1 == "Ontario"


@pytest.mark.parametrize("name, iso3, lat, lon", [
    ("South Darfur", "SDN", 12.0, 24.9),  # the state, around Nyala: not Sudan's centre
    ("Upper Nile", "SSD", 9.5, 31.7),  # around Malakal
])
def test_state_through_its_capital(name, iso3, lat, lon):
    p = where.geocode(name)
    assert p.country == iso3 and p.feature == "admin1"
    assert abs(p.lat - lat) < 1.0 and abs(p.lon - lon) < 1.0
