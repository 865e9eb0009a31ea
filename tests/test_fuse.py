"""Linking the same event across reports, corroboration counts and contradictions."""
from __future__ import annotations

import datetime as dt
import json

from newsevents.fusion import _conflicts, link_events

from .conftest import EXAMPLES


def row(i, plover="RETREAT", src=("SYRMIL",), tgt=("SYRREB",), day="2024-12-01", basis="explicit",
        article="a", source="wire A", country="SYR"):
    return dict(id=f"e{i}", article_id=article, cameo_code="0874" if plover == "RETREAT" else "190", plover_type=plover, quad_class=2, place_name="Damascus",
                source_codes=list(src), target_codes=list(tgt), _day=dt.date.fromisoformat(day),
                date_value=day, date_precision="day", date_basis=basis, place_country=country,
                _source=source)


def test_same_type_actors_and_time_link():
    rows = [row(1), row(2, day="2024-12-08", article="b", source="wire B"),
            row(3, plover="ASSAULT"), row(4, src=("RUSGOV",), tgt=("UKRMIL",)),
            row(5, day="2025-03-01", article="c")]
    groups = sorted(sorted(g) for g in link_events(rows))
    assert [0, 1] in groups
    assert [2] in groups and [3] in groups and [4] in groups


def test_date_conflict_between_reports_is_flagged_with_sources():
    members = [row(1), row(2, day="2024-12-08", article="b", source="wire B")]
    (conflict,) = _conflicts(members)
    assert conflict["field"] == "date"
    assert conflict["values"] == [{"value": "2024-12-01", "sources": ["wire A"]},
                                  {"value": "2024-12-08", "sources": ["wire B"]}]


def test_publication_dates_alone_are_not_a_conflict():
    members = [row(1, basis="publication"), row(2, day="2024-12-08", article="b", basis="publication")]
    assert _conflicts(members) == []


def test_place_conflict():
    members = [row(1), row(2, article="b", source="wire B", country="LBN")]
    assert [c["field"] for c in _conflicts(members)] == ["place_country"]


def test_seed_and_companion_are_linked(tmp_path, nlp_model):
    from newsevents.fusion import cluster_rows, fuse_store
    from newsevents.ingest import iter_articles
    from newsevents.pipeline import process_many
    from newsevents.store import Store

    arts = [a for a in iter_articles([str(EXAMPLES / "seed-article.json"), str(EXAMPLES / "companion-report.json")])]
    with Store(tmp_path / "f.duckdb") as store:
        store.add([r for r in process_many(arts)])
        stats = fuse_store(store)
        assert stats["multi_report_clusters"] >= 1
        multi = cluster_rows(store, min_articles=2)
        assert multi and all(c["num_articles"] == 2 for c in multi)
        assert json.dumps(multi, default=str)


def test_untargeted_statements_are_not_one_story():
    a = row(1, plover=None, tgt=())
    b = row(2, plover=None, tgt=(), article="b", source="wire B")
    for r in (a, b):
        r.update(cameo_code="010", quad_class=1)
    assert sorted(map(sorted, link_events([a, b]))) == [[0], [1]]


def test_linking_is_not_transitive():
    # each is within the window of the next, but the first and last are 16 days apart
    rows = [row(1, day="2024-12-01"), row(2, day="2024-12-09", article="b"), row(3, day="2024-12-17", article="c")]
    groups = sorted(map(sorted, link_events(rows)))
    assert [0, 2] not in groups and len(groups) == 2
