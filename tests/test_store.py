"""The DuckDB store: migrations, idempotent writes, filters, round trips of typed results."""
from __future__ import annotations

import datetime as dt

import pytest

from newsevents.records import (
    ActorRef, Actor, Article, ArticleResult, DocFeatures, Event, EventDate, Failure, Place,
    Quote, Role, Tone,
)
from newsevents.store import MIGRATIONS, Store


def make_result(aid: str = "a1", text: str = "Russia granted asylum to Assad.", date: str = "2024-12-09",
                code: str = "075", src: str = "RUSGOV", country: str = "SYR") -> ArticleResult:
    art = Article(id=aid, text=text, title="t", source="wire",
                  published=dt.datetime.fromisoformat(date).replace(tzinfo=dt.timezone.utc))
    ev = Event(
        id=f"{aid}-e1", article_id=aid, sentence=0, evidence=text, sentence_start=0, trigger="granted",
        trigger_start=7, trigger_end=14, source=(ActorRef("Russia", src, src[:3], "GOV"),),
        target=(ActorRef("Assad", "SYRGOV", "SYR", "GOV", actor_id="bashar-al-assad"),),
        cameo_code=code, cameo_root=code[:2], quad_class=2, goldstein=7.0, plover_type="AID",
        plover_mode=None, plover_context="asylum", modality="asserted", confidence=0.9,
        coder="test", date=EventDate(date, "day", "explicit", text=date),
        place=Place(0, 6, "Moscow", 0, "Moscow", "geonames:524901", "RUS", "Moscow", 55.75, 37.62,
                    "city", "city", 1.0, True),
    )
    actor = Actor("bashar-al-assad", "Bashar al-Assad", "person", "SYRGOV", "SYR", "GOV",
                  aliases=("Assad",), roles=(Role("president", "SYR", "GOV", "2000-07-17", date, "former"),))
    q = Quote(aid, "We will help", 0, 5, 0, True, "said", 0, 4, ActorRef("Vladimir Putin", "RUSGOV"),
              via=ActorRef("TASS", "RUSMED"))
    return ArticleResult(article=art, sentences=((0, len(text)),), mentions=(), actors=(actor,),
                         events=(ev,), dates=(), places=(ev.place,), quotes=(q,),
                         features=DocFeatures(tone=Tone(0.1, 0.2, 0.7, -0.3, 0.3)))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.duckdb") as s:
        yield s


def test_migrations_are_applied_once(tmp_path):
    path = tmp_path / "m.duckdb"
    with Store(path) as s:
        assert s.migrations() == [name for name, _ in MIGRATIONS]
        assert s.migrate() == []  # nothing left to apply
    with Store(path) as s:  # reopening applies nothing new
        assert s.migrations() == [name for name, _ in MIGRATIONS]


def test_same_article_twice_does_not_duplicate(store):
    r = make_result()
    store.add([r])
    store.add([r])
    assert store.count("articles") == 1
    assert store.count("events") == 1
    assert store.count("quotes") == 1
    assert store.count("actors") == 1


def test_result_round_trips_through_the_store(store):
    r = make_result()
    store.add([r])
    (back,) = list(store.results())
    assert back == r


def test_event_json_shape_and_filters(store):
    store.add([make_result("a1"), make_result("a2", code="190", src="SYRREB", date="2024-11-27")])
    rows = store.events()
    assert {"id", "article_id", "sentence", "evidence", "source", "target", "cameo_code", "cameo_root",
            "quad_class", "goldstein", "plover_type", "modality", "date", "place", "confidence"} <= set(rows[0])
    assert rows[0]["date"] == {"value": "2024-11-27", "precision": "day", "basis": "explicit",
                               "text": "2024-11-27", "weekday_mismatch": False}
    assert rows[0]["source"][0]["code"] == "SYRREB"
    assert [r["cameo_code"] for r in store.events(actor="RUS")] == ["075"]
    assert [r["cameo_code"] for r in store.events(actor="SYRREB")] == ["190"]
    assert [r["cameo_code"] for r in store.events(root="19")] == ["190"]
    assert [r["cameo_code"] for r in store.events(since="2024-12")] == ["075"]
    assert [r["cameo_code"] for r in store.events(until="2024-11")] == ["190"]
    assert store.events(plover="aid")[0]["plover_type"] == "AID"


def test_actors_merge_across_articles(store):
    store.add([make_result("a1", date="2024-12-01")])
    store.add([make_result("a2", date="2024-12-09")])
    (actor,) = store.actors()
    assert actor["n_articles"] == 2
    assert actor["first_seen"] == "2024-12-01" and actor["last_seen"] == "2024-12-09"
    assert actor["roles"][0]["status"] == "former"


def test_failures_are_stored(store):
    store.add([], [Failure("bad.bin", "binary", "bad.bin: binary file, not text")])
    assert store.failures()[0]["reason"] == "binary"


def test_a_failed_batch_leaves_the_store_unchanged(store, monkeypatch):
    store.add([make_result("a1")])

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_merge_actors", boom)
    with pytest.raises(RuntimeError):
        store.add([make_result("a2")])
    assert store.count("articles") == 1 and store.count("events") == 1


def test_quotes_and_places_queries(store):
    store.add([make_result()])
    (q,) = store.quotes(speaker="putin")
    assert q["speaker"]["name"] == "Vladimir Putin" and q["via"]["name"] == "TASS" and q["direct"]
    (p,) = store.places()
    assert p["name"] == "Moscow" and p["mentions"] == 1 and p["lat"] == pytest.approx(55.75)


def test_an_interrupted_run_keeps_whole_articles_and_resumes(tmp_path, nlp_model, monkeypatch):
    from newsevents import pipeline
    from newsevents.ingest import make_article
    from newsevents.pipeline.runner import RunSummary, code_into_store

    texts = [f"Rebels attacked an army post near Homs on Monday, killing {n} soldiers." for n in range(2, 8)]
    arts = [make_article(t, published="2024-12-09") for t in texts]
    real = pipeline.core.features.extract
    calls = []

    def interrupt_on_fifth(*args):  # Ctrl-C while the fifth article is being coded
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real(*args)

    with Store(tmp_path / "r.duckdb") as store:
        monkeypatch.setattr(pipeline.core.features, "extract", interrupt_on_fifth)
        with pytest.raises(KeyboardInterrupt):
            code_into_store(iter(arts), store, batch_size=1, commit_every=1, summary=RunSummary(db="r"))
        monkeypatch.setattr(pipeline.core.features, "extract", real)
        done = store.count("articles")
        assert done == 4
        ev = store.count("events")
        assert ev >= done  # every stored article has its events with it
        s = code_into_store(iter(arts), store, batch_size=2, summary=RunSummary(db="r"))
        assert s.skipped == done and s.coded == len(arts) - done
        assert store.count("articles") == len(arts)


def test_weekday_mismatch_is_flagged_on_the_article(tmp_path, nlp_model):
    import newsevents

    r = newsevents.process("Protesters marched in Paris on Monday, December 3, 2024.", published="2024-12-09")
    assert any("weekday mismatch" in w for w in r.warnings)
    with Store(tmp_path / "w.duckdb") as store:
        store.add([r])
        (row,) = store.articles()
        assert row["warnings"] and "weekday" in row["warnings"][0]
