"""Linking the same event across reports, corroboration counts and contradictions.

Unit tests build profiles from event rows written here (``ev``) through the real builder; the
end-to-end tests code the project's own examples and fixtures. One test per rule of
``newsevents.fusion.link`` / ``conflicts`` / ``text`` and of the incremental store path."""
from __future__ import annotations

import json

import pytest

from newsevents.fusion.conflicts import conflicts
from newsevents.fusion.engine import Linker
from newsevents.fusion.link import compare, keys
from newsevents.fusion.profile import build_profile
from newsevents.fusion.text import background_reason, nonevent_reason

from .conftest import EXAMPLES, FIXTURES

BAGHDAD = dict(gazetteer_id="geonames:98182", name="Baghdad", country="IRQ", admin1="07",
               feature="capital", lat=33.34, lon=44.40, resolved=True)
BASRA = dict(gazetteer_id="geonames:99532", name="Basra", country="IRQ", admin1="02",
             feature="city", lat=30.51, lon=47.78, resolved=True)
KARRADA = dict(gazetteer_id="geonames:98000", name="Karrada", country="IRQ", admin1="07",
               feature="district", lat=33.30, lon=44.43, resolved=True)


def ev(i, article="a", *, text="Gunmen attacked a police station in Baghdad, killing four officers.",
       plover="ASSAULT", code="190", src=("IRQUAF",), tgt=("IRQCOP",), date="2024-03-05",
       basis="explicit", precision="day", date_text=None, published="2024-03-06",
       title="Police station attacked in Baghdad", source="wire A", names=(), places=(BAGHDAD,),
       counts=(), modality="asserted", before="", trigger="attacked"):
    """A profile built from an events row shaped like the store's."""
    row = dict(id=f"e{i}", article_id=article, sentence=1, sentence_start=len(before), evidence=text,
               trigger=trigger, cameo_code=code, cameo_label="", quad_class=4, plover_type=plover,
               modality=modality, source_codes=list(src), target_codes=list(tgt),
               source=json.dumps([{"code": c, "actor_id": n} for c, n in zip(src, names)]),
               target="[]", date_value=date, date_precision=precision, date_basis=basis,
               date_text=date_text if date_text is not None else ("on Tuesday" if basis != "publication" else None),
               place_name=None)
    art = dict(published=published, title=title, text=before + text, src=source)
    mentions = [dict(actor_id=n, kind="person") for n in names]
    cnt = [dict(kind=k, number=n, approximate=ap, sentence=1) for k, n, ap in counts]
    return build_profile(row, art, mentions, list(places), cnt, list(names), [])


# ------------------------------------------------------------------------- linking by evidence
def test_same_incident_in_two_reports_links_with_its_evidence():
    a = ev(1, "a", names=("org:police",))
    b = ev(2, "b", text="Four policemen were killed when gunmen stormed a police station in Baghdad on Tuesday.",
           source="wire B", names=("org:police",), published="2024-03-05")
    link = compare(a, b)
    assert link is not None
    assert any(e.startswith("place: Baghdad") for e in link.evidence)
    assert any(e.startswith("participants") for e in link.evidence)


def test_codes_alone_do_not_link():
    # same type, same country, same day - but nothing in common besides: two different attacks
    a = ev(1, "a", places=(BAGHDAD,))
    b = ev(2, "b", text="A roadside bomb hit an army convoy near the border on Tuesday.", places=(),
           tgt=("IRQMIL",), title="Convoy hit by roadside bomb", source="wire B")
    assert compare(a, b) is None


def test_different_plover_types_never_link():
    a = ev(1, "a", names=("org:police",))
    b = ev(2, "b", plover="PROTEST", code="141", names=("org:police",), source="wire B")
    assert compare(a, b) is None


def test_recurring_acts_days_apart_are_two_events():
    a = ev(1, "a", names=("org:police",))
    b = ev(2, "b", date="2024-03-09", published="2024-03-09", names=("org:police",), source="wire B")
    assert compare(a, b) is None


def test_cities_far_apart_are_two_events():
    a = ev(1, "a", names=("org:police",))
    b = ev(2, "b", text="Gunmen attacked a police station in Basra, killing four officers.",
           places=(BASRA,), names=("org:police",), source="wire B")
    assert compare(a, b) is None


def test_a_place_inside_the_other_is_compatible():
    a = ev(1, "a", names=("org:police",))
    b = ev(2, "b", text="Gunmen attacked a police station in Karrada, killing four officers.",
           places=(KARRADA,), names=("org:police",), source="wire B")
    assert compare(a, b) is not None


def test_statements_need_the_same_words():
    kw = dict(plover=None, code="010", src=("USAGOV",), tgt=(), names=("john-kerry",))
    a = ev(1, "a", text="Kerry said the talks would resume next week in Geneva.", **kw)
    b = ev(2, "b", text="Kerry said the sanctions were working and would stay.", source="wire B", **kw)
    assert compare(a, b) is None


# ------------------------------------------------------------------------- background, non-events
@pytest.mark.parametrize("text", [
    "More than 3,000 people have been killed in attacks since 2003.",
    "It was the third attack this month on the city's police.",
    "A total of 41 officers have died so far this year.",
    "Protesters gather in the square every week.",
])
def test_background_and_cumulative_mentions_are_not_incidents(text):
    assert background_reason(text)
    a = ev(1, "a", text=text, names=("org:police",))
    b = ev(2, "b", names=("org:police",), source="wire B")
    assert compare(a, b) is None and compare(b, a) is None


def test_an_act_dated_weeks_before_publication_is_background():
    p = ev(1, "a", date="2024-01-10", published="2024-03-06")
    assert p["background"] == "earlier event"


def test_a_dated_incident_is_not_background():
    assert background_reason("Gunmen attacked a police station in Baghdad on Tuesday.") is None


@pytest.mark.parametrize("text,trigger,before", [
    ("Minister meets rebels February 4, 2005. Talks postponed February 1, 2005.", "meets", ""),
    ("* Rebels attack border town", "attack", ""),
    ("Rebels attack border town", "attack", "Body text. == Related news == "),
    ("By John Smith", "", ""),
    ("The ministry said in a press release that the talks went well.", "release", ""),
])
def test_sentences_that_are_not_events_stay_out(text, trigger, before):
    assert nonevent_reason(text, trigger, before)
    p = ev(1, "a", text=text, before=before, trigger=trigger)
    if trigger:
        assert p["excluded"]


def test_excluded_mentions_get_no_cluster():
    linker = Linker()
    p = ev(1, "a", text="Rebels attack border town", before="== See also == ")
    assert linker.add(p) is None


# ------------------------------------------------------------------------- one article, several mentions
def test_one_act_mentioned_three_times_in_one_article_is_one_event():
    kw = dict(plover="AID", code="075", src=("RUS",), tgt=("SYRELI",), names=("bashar-al-assad",),
              basis="publication", date="2024-12-09", published="2024-12-09", places=())
    mentions = [ev(1, "a", text="Russia granted asylum to Assad.", **kw),
                ev(2, "a", text="Assad arrived in Moscow after being granted asylum by Russia.", **kw),
                ev(3, "a", text="Moscow extended asylum to Assad and his family.", **kw)]
    for i, m in enumerate(mentions):
        m["sentence"] = i
    linker = Linker()
    cids = {linker.add(m) for m in mentions}
    assert len(cids) == 1


# ------------------------------------------------------------------------- conflicts
def _pair(a, b):
    linker = Linker()
    ca, cb = linker.add(a), linker.add(b)
    assert ca == cb, "expected one cluster"
    return conflicts([a, b])


def test_once_only_act_dated_differently_links_and_flags_the_date():
    kw = dict(plover="RETREAT", code="0874", src=("SYRMIL",), tgt=(), names=(),
              title="Army leaves Damascus", text="Government forces withdrew from Damascus.")
    a = ev(1, "a", date="2024-12-01", published="2024-12-09", source="wire A", **kw)
    b = ev(2, "b", date="2024-12-08", published="2024-12-08", source="wire B", **kw)
    (c,) = _pair(a, b)
    assert c["field"] == "date"
    assert [(v["value"], v["sources"]) for v in c["values"]] == [("2024-12-01", ["wire A"]), ("2024-12-08", ["wire B"])]
    assert c["values"][0]["reports"][0]["article_id"] == "a"


def test_dates_at_different_precision_agree():
    a = ev(1, "a", names=("org:police",))
    b = ev(2, "b", names=("org:police",), date="2024-03", precision="month", source="wire B")
    assert compare(a, b) is not None
    assert conflicts([a, b]) == []


def test_publication_dates_are_never_a_conflict():
    a = ev(1, "a", basis="publication", date="2024-03-05", published="2024-03-05", names=("org:police",))
    b = ev(2, "b", basis="publication", date="2024-03-06", published="2024-03-06", names=("org:police",), source="wire B")
    assert conflicts([a, b]) == []


def test_count_conflict_names_both_sides():
    a = ev(1, "a", names=("org:police",), counts=[("killed", 4, False)])
    b = ev(2, "b", names=("org:police",), counts=[("killed", 6, False)], source="wire B")
    (c,) = _pair(a, b)
    assert c["field"] == "count"
    assert {v["value"]: v["sources"] for v in c["values"]} == {"killed 4": ["wire A"], "killed 6": ["wire B"]}


def test_approximate_counts_close_together_agree():
    a = ev(1, "a", names=("org:police",), counts=[("killed", 12, True)])
    b = ev(2, "b", names=("org:police",), counts=[("killed", 14, False)], source="wire B")
    assert conflicts([a, b]) == []


def test_place_conflict_between_two_named_places():
    a = ev(1, "a", names=("org:police",))
    b = ev(2, "b", text="Gunmen attacked a police station in Karrada, killing four officers.",
           places=(KARRADA,), names=("org:police",), source="wire B")
    # Karrada lies in Baghdad's province: a district of the city, not a contradiction
    assert [c["field"] for c in conflicts([a, b])] == []
    far = dict(KARRADA, gazetteer_id="geonames:1", name="Taji", admin1="08", lat=33.52, lon=44.27)
    c = ev(3, "c", text="Gunmen attacked a police station in Taji, killing four officers.",
           places=(far,), names=("org:police",), source="wire C")
    assert [x["field"] for x in conflicts([a, c])] == ["place"]


def test_a_report_contradicting_itself_is_not_a_conflict_between_reports():
    a1 = ev(1, "a", names=("org:police",), counts=[("killed", 4, False)])
    a2 = ev(2, "a", names=("org:police",), counts=[("killed", 9, False)])
    b = ev(3, "b", names=("org:police",), counts=[("killed", 6, False)], source="wire B")
    assert conflicts([a1, a2, b]) == []


def test_actor_conflict_needs_named_sources_of_two_countries():
    kw = dict(plover="ASSAULT", code="190", tgt=("IRQCOP",))
    a = ev(1, "a", src=("IRQREB",), names=("org:group-a",), **kw)
    b = ev(2, "b", src=("SYRREB",), names=("org:group-b",), source="wire B", **kw)
    assert [c["field"] for c in conflicts([a, b])] == ["actor"]


# ------------------------------------------------------------------------- index and incremental linking
def test_index_keys_are_kind_times_country():
    assert "P:ASSAULT|IRQ" in keys(ev(1))


def test_mentions_outside_the_window_are_not_even_compared():
    linker = Linker()
    linker.add(ev(1, "a", date="2024-01-01", published="2024-01-01"))
    before = linker.comparisons
    linker.add(ev(2, "b", date="2024-06-01", published="2024-06-01"))
    assert linker.comparisons == before


def test_incremental_fusion_matches_a_rebuild(tmp_path, nlp_model):
    from newsevents.fusion import cluster_rows, fuse_store, is_stale
    from newsevents.ingest import iter_articles
    from newsevents.pipeline import process_many
    from newsevents.store import Store

    arts = list(iter_articles([str(EXAMPLES / "seed-article.json"), str(EXAMPLES / "companion-report.json")]))
    results = list(process_many(arts))
    with Store(tmp_path / "inc.duckdb") as store:
        store.add(results[:1])
        assert is_stale(store)
        fuse_store(store)
        assert not is_stale(store)
        store.add(results[1:])
        assert is_stale(store)
        stats = fuse_store(store)
        assert stats["articles"] == 1  # only the new article was fused
        inc = sorted((c["id"], c["num_events"], c["num_articles"]) for c in cluster_rows(store))
        fuse_store(store, rebuild=True)
        full = sorted((c["id"], c["num_events"], c["num_articles"]) for c in cluster_rows(store))
    assert inc == full


# ------------------------------------------------------------------------- seed and companion
def test_seed_and_companion_are_linked_with_the_date_conflict(tmp_path, nlp_model):
    from newsevents.fusion import cluster_rows, fuse_store
    from newsevents.ingest import iter_articles
    from newsevents.pipeline import process_many
    from newsevents.store import Store

    arts = list(iter_articles([str(EXAMPLES / "seed-article.json"), str(EXAMPLES / "companion-report.json")]))
    with Store(tmp_path / "f.duckdb") as store:
        store.add(list(process_many(arts)))
        stats = fuse_store(store)
        assert stats["multi_report_clusters"] >= 1
        multi = cluster_rows(store, min_articles=2)
        everything = cluster_rows(store)
    assert multi and all(c["num_articles"] == 2 for c in multi)
    dates = [c for m in multi for c in m["conflicts"] if c["field"] == "date"]
    assert dates and {v["value"] for v in dates[0]["values"]} == {"2024-12-01", "2024-12-08"}
    assert all(r["title"] and r["source"] for m in multi for r in m["reports"])
    assert any(m["links"] and m["links"][0]["evidence"] for m in multi)
    # the asylum the seed reports several times is one event with several mentions
    asylum = [c for c in everything if c["cameo_code"].startswith("075")]
    assert len(asylum) == 1 and asylum[0]["num_events"] >= 3
    assert json.dumps(multi, default=str)


def test_relative_dates_a_day_apart_are_not_a_conflict_but_calendar_dates_are():
    text = "Gunmen attacked a police station in Baghdad, killing four officers."
    kw = dict(text=text, names=("org:police",))
    a = ev(1, "a", date="2024-03-05", basis="relative", **kw)
    b = ev(2, "b", date="2024-03-04", basis="relative", source="wire B", **kw)
    assert compare(a, b) is not None
    assert conflicts([a, b]) == []
    a = ev(1, "a", date="2024-03-05", basis="explicit", **kw)
    b = ev(2, "b", date="2024-03-04", basis="explicit", source="wire B", **kw)
    assert [c["field"] for c in conflicts([a, b])] == ["date"]


def test_days_apart_need_alike_sentences_for_every_member():
    # two calls by one NGO on consecutive days, told in different words: two events
    kw = dict(plover="REQUEST", code="020", src=("NGOAMN",), tgt=("USAGOV",), names=("org:amnesty",))
    a = ev(1, "a", text="Amnesty called for the camp to be shut down.", date="2024-05-25", **kw)
    b = ev(2, "b", text="Amnesty urged governments to investigate senior officials.", date="2024-05-26",
           source="wire B", **kw)
    assert compare(a, b) is None


def test_one_person_coded_with_two_countries_is_no_actor_conflict():
    kw = dict(plover="ASSAULT", code="190", tgt=("IRQCOP",))
    a = ev(1, "a", src=("USALEG",), names=("john-doe",), **kw)
    b = ev(2, "b", src=("VNM",), names=("john-doe",), source="wire B", **kw)
    assert conflicts([a, b]) == []


def test_a_name_only_mentioned_in_both_sentences_is_not_who_did_it():
    # the same leader named in two sentences about different acts of the same code and day
    kw = dict(plover="ACCUSE", code="111", src=("GBRCVL",), tgt=(), places=(), date="2024-04-24")
    a = ev(1, "a", text="Advisers to Prime Minister Smith criticised the power plan.", **kw)
    b = ev(2, "b", text="Hecklers at the rally criticised the opposition and praised Smith.", source="wire B", **kw)
    for p in (a, b):
        p["names"] = ["jane-smith"]  # mentioned, but neither act's source or target
    assert compare(a, b) is None


def test_quoted_hypothetical_and_counterfactual_acts_stay_out():
    assert ev(1, modality="hypothetical")["excluded"] == "hypothetical"
    p = ev(2, text='"We will arrest them all," the minister said.', trigger="arrest")
    row_art = dict(published="2024-03-06", title="t", text=p["evidence"], src="wire A", quoted=[(0, 30)])
    from newsevents.fusion.profile import build_profile as bp
    row = dict(id="q1", article_id="a", sentence=0, sentence_start=0, evidence=p["evidence"], trigger="arrest",
               trigger_start=10, cameo_code="173", plover_type="COERCE", modality="future", source="[]", target="[]",
               source_codes=[], target_codes=[], date_basis="publication", date_value="2024-03-06")
    assert bp(row, row_art, [], [], [], [], [])["excluded"] == "inside a quotation"
    assert nonevent_reason("Regular courts would have taken a hundred years.", "taken") == "counterfactual"
    assert nonevent_reason("He said the army could have stopped it.", "said") is None
