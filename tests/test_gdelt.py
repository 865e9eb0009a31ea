"""GDELT exports on hand-built ArticleResults: column counts, values, round trips."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from newsevents.export import gdelt, gkg
from newsevents.records import (
    ActorMention, ActorRef, Amount, Article, ArticleResult, Count, DocFeatures, Event,
    EventDate, Place, Quote, Theme, TimeExpr, Tone,
)

TEXT = (
    "Northland troops shelled Riverton on 3 March 2021, killing 12 civilians.\n"
    "Southland foreign minister Ana Ruiz said \"this is a crime\" and pledged $5 million in aid."
)


def _place(text: str, name: str, feature: str, country: str, lat: float, lon: float,
           gid: str, sentence: int = 0, admin1: str | None = None) -> Place:
    start = TEXT.index(text)
    return Place(start=start, end=start + len(text), text=text, sentence=sentence, name=name,
                 gazetteer_id=gid, country=country, admin1=admin1, lat=lat, lon=lon, feature=feature,
                 precision=feature, score=0.9, resolved=True)


def _ref(text: str, code: str, country: str, sector: str) -> ActorRef:
    start = TEXT.index(text)
    return ActorRef(name=text, code=code, country=country, sector=sector, start=start,
                    end=start + len(text), text=text)


def make_result(url: str | None = "https://news.example.org/a/1", eid: str = "ev-1") -> ArticleResult:
    article = Article(id="art-1", text=TEXT, title="Shelling <update>", url=url, source="Example News",
                      published=dt.datetime(2021, 3, 4, 9, 30, tzinfo=dt.timezone.utc))
    riverton = _place("Riverton", "Riverton", "city", "SYR", 33.5, 36.3, "geonames:170654", admin1="13")
    shell = TEXT.index("shelled")
    ev = Event(
        id=eid, article_id="art-1", sentence=0, evidence=TEXT.split("\n")[0], sentence_start=0,
        trigger="shelled", trigger_start=shell, trigger_end=shell + 7,
        source=(_ref("Northland troops", "RUSMIL", "RUS", "MIL"),),
        target=(_ref("Riverton", "SYRCVL", "SYR", "CVL"),),
        cameo_code="195", cameo_root="19", quad_class=4, goldstein=-10.0,
        plover_type="ASSAULT", plover_mode=None, plover_context=None, modality="asserted",
        confidence=0.87, coder="test", date=EventDate(value="2021-03-03", precision="day", basis="explicit"),
        place=riverton,
    )
    ev2 = Event(
        id="ev-2", article_id="art-1", sentence=1, evidence=TEXT.split("\n")[1],
        sentence_start=TEXT.index("Southland"), trigger="pledged", trigger_start=TEXT.index("pledged"),
        trigger_end=TEXT.index("pledged") + 7, source=(_ref("Ana Ruiz", "IGOUNO", None, "IGO"),),
        target=(), cameo_code="071", cameo_root="07", quad_class=2, goldstein=7.4, plover_type="AID",
        plover_mode=None, plover_context=None, modality="asserted", confidence=0.5, coder="test",
        date=EventDate(value="2021-03", precision="month", basis="relative"), place=None,
    )
    q_start = TEXT.index("this is")
    qs = (Quote(article_id="art-1", text="this is a crime", start=q_start, end=q_start + 15, sentence=1,
                direct=True, cue="said", cue_start=TEXT.index("said"), cue_end=TEXT.index("said") + 4,
                speaker=ev2.source[0]),)
    men = (ActorMention(article_id="art-1", start=TEXT.index("Southland foreign minister"),
                        end=TEXT.index("Southland foreign minister") + 26, text="Southland foreign minister",
                        sentence=1, kind="person", actor_id=None, code=None, country=None, sector="GOV"),
           ActorMention(article_id="art-1", start=TEXT.index("Ana Ruiz"), end=TEXT.index("Ana Ruiz") + 8,
                        text="Ana Ruiz", sentence=1, kind="person", actor_id=None, code=None, country=None,
                        sector="GOV"),
           ActorMention(article_id="art-1", start=0, end=16, text="Northland troops", sentence=0,
                        kind="armed_group", actor_id=None, code="RUSMIL", country="RUS", sector="MIL"))
    feats = DocFeatures(
        themes=(Theme("ARMED_CONFLICT", "ARMEDCONFLICT", ("shelled", "cameo:195"), 4.0),
                Theme("AID", None, ("aid",), 2.0)),
        tone=Tone(positive=0.05, negative=0.2, neutral=0.75, compound=-0.6, polarity=0.25),
        counts=(Count("killed", 12, "civilians", "killing 12 civilians", TEXT.index("killing"),
                      TEXT.index("killing") + 20, 0, False, eid),),
        amounts=(Amount(5e6, "USD", "aid", "$5 million", TEXT.index("$5"), TEXT.index("$5") + 10, 1, "ev-2"),),
    )
    dates = (TimeExpr(start=TEXT.index("3 March"), end=TEXT.index("3 March") + 12, text="3 March 2021",
                      sentence=0, type="DATE", value="2021-03-03", precision="day", basis="explicit"),)
    return ArticleResult(article=article, sentences=((0, 73), (74, len(TEXT))), mentions=men, actors=(),
                         events=(ev, ev2), dates=dates, places=(riverton,), quotes=qs, features=feats)


def _roundtrip(rows, columns):
    buf = io.StringIO()
    n = gdelt.write_tsv(rows, buf)
    buf.seek(0)
    back = gdelt.read_tsv(buf, columns)
    assert len(back) == n
    return back


def test_column_lists():
    assert (len(gdelt.EVENTS_COLUMNS), len(gdelt.MENTIONS_COLUMNS), len(gdelt.GKG_COLUMNS)) == (61, 16, 27)
    assert gdelt.EVENTS_COLUMNS[0] == "GLOBALEVENTID" and gdelt.EVENTS_COLUMNS[-1] == "SOURCEURL"
    assert gdelt.EVENTS_COLUMNS[25:29] == ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode"]
    assert gdelt.GKG_COLUMNS[15] == "V1.5TONE" and gdelt.MENTIONS_COLUMNS[-1] == "Extras"


def test_event_rows_values_and_roundtrip(tmp_path):
    rows = list(gdelt.event_rows([make_result()]))
    assert all(len(r) == 61 for r in rows)
    path = tmp_path / "events.tsv"
    assert gdelt.write_tsv(rows, path) == 2
    back = gdelt.read_tsv(path, gdelt.EVENTS_COLUMNS)
    assert [list(b.values()) for b in back] == rows
    e = back[0]
    assert e["GLOBALEVENTID"] == str(gdelt.global_event_id("ev-1"))
    assert (e["SQLDATE"], e["MonthYear"], e["Year"]) == ("20210303", "202103", "2021")
    assert e["FractionDate"] == f"{2021 + (2 * 30 + 3) / 365:.4f}" == "2021.1726"
    assert (e["Actor1Code"], e["Actor1CountryCode"], e["Actor1Type1Code"]) == ("RUSMIL", "RUS", "MIL")
    assert e["Actor1Name"] == "NORTHLAND TROOPS"
    assert (e["EventCode"], e["EventBaseCode"], e["EventRootCode"]) == ("195", "195", "19")
    assert (e["QuadClass"], e["GoldsteinScale"], e["IsRootEvent"]) == ("4", "-10", "1")
    assert (e["NumMentions"], e["NumSources"], e["NumArticles"]) == ("1", "1", "1")
    assert float(e["AvgTone"]) == pytest.approx(-15.0)
    # ActionGeo: a world city in Syria, FIPS country code SY, ADM1 = FIPS + admin1 code
    assert (e["ActionGeo_Type"], e["ActionGeo_CountryCode"], e["ActionGeo_ADM1Code"]) == ("4", "SY", "SY13")
    assert e["ActionGeo_FullName"] == "Riverton, Syria"
    assert (e["ActionGeo_Lat"], e["ActionGeo_Long"], e["ActionGeo_FeatureID"]) == ("33.5", "36.3", "170654")
    assert e["Actor2Geo_Type"] == "4"  # the target's mention is the place itself
    assert e["DATEADDED"] == "20210304093000" and e["SOURCEURL"] == "https://news.example.org/a/1"
    second = back[1]
    assert second["Actor1KnownGroupCode"] == "UNO" and second["Actor2Code"] == ""
    assert second["SQLDATE"] == "20210304"  # month precision in the publication month
    assert second["IsRootEvent"] == "0" and second["ActionGeo_Type"] == ""


def test_event_rows_with_clusters_one_row_per_cluster():
    r1, r2 = make_result(), make_result(url="https://other.example.com/x", eid="ev-9")
    clusters = {"ev-1": {"cluster_id": "c1", "num_mentions": 2, "num_sources": 2, "num_articles": 2},
                "ev-9": {"cluster_id": "c1", "num_mentions": 2, "num_sources": 2, "num_articles": 2}}
    rows = _roundtrip(gdelt.event_rows([r1, r2], clusters), gdelt.EVENTS_COLUMNS)
    c1 = [r for r in rows if r["GLOBALEVENTID"] == str(gdelt.global_event_id("c1"))]
    assert len(c1) == 1 and c1[0]["NumSources"] == "2"
    mentions = _roundtrip(gdelt.mention_rows([r1, r2], clusters), gdelt.MENTIONS_COLUMNS)
    same = [m for m in mentions if m["GLOBALEVENTID"] == c1[0]["GLOBALEVENTID"]]
    assert {m["MentionIdentifier"] for m in same} == {"https://news.example.org/a/1", "https://other.example.com/x"}


def test_mention_rows_values():
    rows = list(gdelt.mention_rows([make_result()]))
    assert all(len(r) == 16 for r in rows)
    m = _roundtrip(rows, gdelt.MENTIONS_COLUMNS)[0]
    assert m["MentionType"] == "1" and m["MentionSourceName"] == "Example News"
    assert (m["SentenceID"], m["Actor1CharOffset"], m["ActionCharOffset"]) == ("1", "0", str(TEXT.index("shelled")))
    assert (m["Confidence"], m["MentionDocLen"], m["InRawText"]) == ("87", str(len(TEXT)), "1")
    assert m["EventTimeDate"] == m["MentionTimeDate"] == "20210304093000"


def test_gkg_row_subfields_and_roundtrip():
    rows = list(gkg.gkg_rows([make_result()]))
    assert len(rows) == 1 and len(rows[0]) == 27
    g = _roundtrip(rows, gdelt.GKG_COLUMNS)[0]
    assert g["GKGRECORDID"].startswith("20210304093000-")
    assert g["V2SOURCECOLLECTIONIDENTIFIER"] == "1"
    assert g["V1THEMES"] == "ARMEDCONFLICT;"  # AID has no GKG name
    assert g["V2ENHANCEDTHEMES"] == f"ARMEDCONFLICT,{TEXT.index('shelled')};"
    assert g["V1COUNTS"] == "KILL#12#civilians#4#Riverton, Syria#SY#SY13#33.5#36.3#170654;"
    assert g["V2.1COUNTS"].endswith(f"#{TEXT.index('killing')};")
    assert g["V2ENHANCEDLOCATIONS"] == f"4#Riverton, Syria#SY#SY13##33.5#36.3#170654#{TEXT.index('Riverton')};"
    assert g["V1PERSONS"] == "Ana Ruiz;"  # descriptions ("foreign minister") are not names
    assert g["V2ENHANCEDORGANIZATIONS"] == ""  # "Northland troops" is a description, not a name
    tone = g["V1.5TONE"].split(",")
    assert len(tone) == 7 and float(tone[0]) == pytest.approx(-15.0) and float(tone[3]) == pytest.approx(25.0)
    assert g["V2.1ENHANCEDDATES"] == f"4#3#3#2021#{TEXT.index('3 March')};"
    assert g["V2.1QUOTATIONS"] == f"{TEXT.index('this is')}|15|said|this is a crime#"
    assert f"5000000,USD aid,{TEXT.index('$5')};" in g["V2.1AMOUNTS"]
    assert g["V2.1ALLNAMES"] == f"Riverton,{TEXT.index('Riverton')};Ana Ruiz,{TEXT.index('Ana Ruiz')};"
    assert g["V2EXTRASXML"] == "<PAGE_TITLE>Shelling &lt;update&gt;</PAGE_TITLE>"


def test_country_codes_and_ids():
    assert gdelt.fips_country("DEU") == "GM" and gdelt.fips_country("GBR") == "UK"
    assert gdelt.cameo_country("ROU") == "ROM" and gdelt.cameo_country("SYR") == "SYR"
    a, b = gdelt.global_event_id("x"), gdelt.global_event_id("x")
    assert a == b and 0 < a < 2**53 and a != gdelt.global_event_id("y")


def test_read_tsv_rejects_wrong_width(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("a\tb\n", encoding="utf-8")
    from newsevents.errors import InputError

    with pytest.raises(InputError):
        gdelt.read_tsv(path, gdelt.MENTIONS_COLUMNS)


def test_fields_never_break_the_tsv():
    r = make_result()
    bad = ArticleResult(**{**r.__dict__, "article": Article(id="a", text=r.article.text, title="x\ty\nz",
                                                             url="u\tv")})
    rows = _roundtrip(gkg.gkg_rows([bad]), gdelt.GKG_COLUMNS)
    assert rows[0]["V2DOCUMENTIDENTIFIER"] == "u v"
