"""Actors across articles (issue 10, item 12): merged actors stay consistent, filters find
actors by name, alias and mention text, quotes keep the speaker's words and resolved actor."""
from __future__ import annotations

from pathlib import Path

import pytest

import newsevents
from newsevents.actors.merge import merge_records, merge_roles
from newsevents.store import Store

BEFORE = ("President Bashar al-Assad met Iranian officials in Damascus on Tuesday. "
          "Syrian troops attacked rebel positions near Aleppo.")
AFTER = ("Bashar al-Assad, Syria's deposed president, fled to Moscow, where the Kremlin granted "
         "him asylum. \"Russia has always supported a political settlement,\" Kremlin insiders told "
         "reporters.")


def test_merge_roles_one_role_per_office_in_date_order() -> None:
    roles = [
        {"title": "president", "organisation": "SYR", "sector": "GOV", "start": "2000-07-17",
         "end": "2024-12-08", "status": "current", "evidence": "leaders file; text: A"},
        {"title": "president", "organisation": None, "sector": "GOV", "start": None, "end": None,
         "status": "current", "evidence": "President Bashar al-Assad"},
        {"title": "ophthalmologist", "organisation": "SYR", "sector": "ELI", "start": "1992-01-01",
         "end": "1994-01-01", "status": "former", "evidence": "x"},
        {"title": "president", "organisation": "SYR", "sector": "GOV", "start": "2000-07-17",
         "end": "2024-12-08", "status": "former", "evidence": "leaders file; text: B"},
    ]
    out = merge_roles(roles, "2024-12-10")
    assert [(r["title"], r["start"], r["status"]) for r in out] == [
        ("ophthalmologist", "1992-01-01", "former"), ("president", "2000-07-17", "former")]
    assert out[1]["evidence"] == "leaders file; text: A | leaders file; text: B"
    # as of a day inside the term the same role is current
    assert merge_roles(roles, "2010-01-01")[1]["status"] == "current"


def test_merge_records_takes_code_and_country_from_the_records() -> None:
    role = {"title": "president", "organisation": "SYR", "sector": "GOV", "start": "2000-07-17",
            "end": "2024-12-08", "status": "current", "evidence": "leaders file"}
    first = {"name": "Bashar al-Assad", "kind": "person", "code": "GOV", "country": None,
             "sector": "GOV", "aliases": ["President Bashar al-Assad"],
             "roles": [{**role, "organisation": None, "start": None, "end": None}]}
    second = {"name": "Bashar al-Assad", "kind": "person", "code": "SYRELI", "country": "SYR",
              "sector": "ELI", "aliases": ["Assad"], "roles": [role]}
    m = merge_records([(first, "2024-11-20"), (second, "2024-12-10")])
    assert (m["code"], m["country"], m["sector"]) == ("SYRELI", "SYR", "ELI")
    assert m["aliases"] == ["Assad", "President Bashar al-Assad"]
    assert [r["status"] for r in m["roles"]] == ["former"]
    assert (m["first_seen"], m["last_seen"]) == ("2024-11-20", "2024-12-10")
    # a later batch with the stored row as ``previous`` keeps it consistent
    again = merge_records([(second, "2024-12-11")], previous={**m, "aliases": m["aliases"]})
    assert [(r["title"], r["status"]) for r in again["roles"]] == [("president", "former")]
    assert (again["first_seen"], again["country"]) == ("2024-11-20", "SYR")


@pytest.fixture()
def store(tmp_path: Path):
    results = [newsevents.process(BEFORE, published="2024-11-20"),
               newsevents.process(AFTER, published="2024-12-10")]
    with Store(tmp_path / "t.duckdb") as st:
        st.add(results)
        yield st


def test_merged_person_is_consistent(store: Store) -> None:
    (assad,) = [a for a in store.actors() if a["id"] == "bashar-al-assad"]
    assert (assad["code"], assad["country"]) == ("SYRELI", "SYR")
    presidencies = [r for r in assad["roles"] if r["title"] == "president"]
    assert len(presidencies) == 1 and presidencies[0]["status"] == "former"
    assert presidencies[0]["organisation"] == "SYR"


def test_filters_find_actors_by_name_alias_and_mention(store: Store) -> None:
    by_name = store.events(actor="Assad")
    assert by_name and all("Assad" in str(e) or "assad" in str(e) for e in by_name)
    assert store.events(actor="assad") == by_name  # case-insensitive
    assert store.events(actor="%") == [] and store.events(actor="_") == []  # literal, no wildcards
    assert store.events(actor="SYR")  # code prefixes still work
    quotes = store.quotes(speaker="Kremlin")
    assert quotes and quotes == store.quotes(speaker="kremlin insiders")
    assert store.quotes(speaker="%") == []


def test_quote_speaker_keeps_the_mention_and_the_actor(store: Store) -> None:
    q = next(q for q in store.quotes() if "political settlement" in q["text"] and q["speaker"])
    assert q["speaker"]["text"] == "Kremlin insiders"
    assert q["speaker"]["name"] == "Russia (GOV)"
    assert q["speaker"]["code"] == "RUSGOV"


def test_merging_a_merged_row_again_changes_nothing() -> None:
    role = {"title": "president", "organisation": "SYR", "sector": "GOV", "start": "2000-07-17",
            "end": "2024-12-08", "status": "former", "evidence": "leaders file; text: A | leaders file; text: B"}
    row = {"name": "Bashar al-Assad", "kind": "person", "code": "SYRELI", "country": "SYR",
           "sector": "ELI", "aliases": ["Assad"], "roles": [role], "first_seen": "2024-12-08",
           "last_seen": "2024-12-09"}
    once = merge_records([(row, row["last_seen"])])
    twice = merge_records([(row, row["last_seen"])], previous={**once})
    assert twice == once and once["roles"][0]["evidence"] == role["evidence"]
