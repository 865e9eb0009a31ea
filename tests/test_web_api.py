"""The JSON API against a real server on a loopback port (uvicorn in a thread)."""
from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

from newsevents.store import Store
from newsevents.web import BackgroundServer
from newsevents.web.app import STATIC_DIR
from newsevents.web.server import check_host

from .webclient import get


@pytest.fixture(scope="module")
def server(web_db):
    with BackgroundServer(web_db) as s:
        yield s


@pytest.fixture(scope="module")
def stored(web_db):
    with Store(web_db, read_only=True) as st:
        return st.events()


def api(server, path):
    status, body, _ = get(server.url + path)
    assert status == 200, (path, body)
    return body


def test_events_have_the_shape_of_the_cli_json_and_page(server, web_db, stored):
    body = api(server, "/api/events?limit=5&offset=2")
    assert body["total"] == len(stored) > 10
    assert body["items"] == stored[2:7]
    everything = api(server, "/api/events?limit=1000")["items"]
    assert everything == stored


@pytest.mark.parametrize("query, check", [
    ("actor=SYR", lambda e: any(a["code"] and a["code"].startswith("SYR") for a in e["source"] + e["target"])),
    ("root=19", lambda e: e["cameo_code"].startswith("19")),
    ("quad_class=4", lambda e: e["quad_class"] == 4),
    ("since=2024-12-05&until=2024-12-08", lambda e: "2024-12-05" <= e["date"]["value"][:10] <= "2024-12-08"),
    ("until=2024-11", lambda e: e["date"]["value"][:7] <= "2024-11"),
    ("modality=reported", lambda e: e["modality"] == "reported"),
])
def test_filters_select_what_they_say(server, stored, query, check):
    body = api(server, f"/api/events?{query}&limit=1000")
    assert 0 < body["total"] < len(stored)
    assert body["total"] == len(body["items"])
    assert all(check(e) for e in body["items"])


def test_a_filter_value_is_literal(server):
    assert api(server, "/api/events?actor=%25")["total"] == 0  # "%" is not a LIKE wildcard
    assert api(server, "/api/events?actor=_")["total"] == 0


def test_dates_follow_the_cli_rules(server):
    """Lenient forms are normalised as on the command line (store.checks.normalize_date)."""
    iso = api(server, "/api/events?since=2024-12-09&limit=1000")
    assert api(server, "/api/events?since=2024-12-9&limit=1000") == iso
    assert api(server, "/api/events?since=9%20December%202024&limit=1000") == iso
    assert api(server, "/api/events?until=yesterday")["total"] == len(api(server, "/api/events?limit=1000")["items"])


@pytest.mark.parametrize("path, status, code", [
    ("/api/events?limit=-1", 400, "bad_parameter"),
    ("/api/events?limit=abc", 400, "bad_parameter"),
    ("/api/events?limit=100000", 400, "bad_parameter"),
    ("/api/events?offset=-3", 400, "bad_parameter"),
    ("/api/events?since=2024-13", 400, "bad_parameter"),
    ("/api/events?since=2024-02-30", 400, "bad_parameter"),
    ("/api/events?until=the-day-after", 400, "bad_parameter"),
    ("/api/events?article=_", 400, "bad_parameter"),
    ("/api/events?since=2024-12&until=2024-11", 400, "bad_parameter"),
    ("/api/events?plover=FOO", 400, "bad_parameter"),
    ("/api/events?modality=maybe", 400, "bad_parameter"),
    ("/api/events?root=1x", 400, "bad_parameter"),
    ("/api/events?quad_class=5", 400, "bad_parameter"),
    ("/api/events?actr=SYR", 400, "unknown_parameter"),
    ("/api/timeline?bucket=year", 400, "bad_parameter"),
    ("/api/network?nodes=0", 400, "bad_parameter"),
    ("/api/events/no-such-event", 404, "not_found"),
    ("/api/articles/no-such-article", 404, "not_found"),
    ("/api/actors/no-such-actor", 404, "not_found"),
    ("/api/nothing-here", 404, "not_found"),
    ("/static/nothing.js", 404, "not_found"),
    ("/api/events/x?y=1", 400, "unknown_parameter"),
])
def test_errors_have_one_shape(server, path, status, code):
    got, body, headers = get(server.url + path)
    assert got == status, body
    assert headers["content-type"].startswith("application/json")
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code and body["error"]["message"]


def test_event_detail_points_into_its_article(server, stored):
    for e in stored[:12]:
        d = api(server, f"/api/events/{quote(e['id'])}")
        art = api(server, f"/api/articles/{quote(d['article_id'])}")
        text = art["text"]
        span = d["evidence_span"]
        assert text[span["start"]:span["end"]] == d["evidence"]
        assert text[d["trigger"]["start"]:d["trigger"]["end"]] == d["trigger"]["text"]
        assert d["article"]["id"] == art["id"] and d["coder"]
        for m in d["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
            assert span["start"] <= m["start"] < span["end"]


def test_article_spans_match_its_text(server, stored):
    art = api(server, f"/api/articles/{stored[0]['article_id']}")
    kinds = {s["kind"] for s in art["spans"]}
    assert {"actor", "event", "date", "place"} <= kinds
    for s in art["spans"]:
        if s["kind"] in ("actor", "event", "date", "place"):
            assert art["text"][s["start"]:s["end"]] == s["text"], s


def test_timeline_counts_every_dated_event(server, stored):
    dated = [e for e in stored if e["date"] and re.match(r"\d{4}-\d{2}-\d{2}", e["date"]["value"] or "")]
    for bucket in ("day", "week", "month", "auto"):
        body = api(server, f"/api/timeline?bucket={bucket}")
        assert body["bucket"] in ("day", "week", "month")
        assert sum(i["events"] for i in body["items"]) + body["undated"] == len(stored)
        if body["bucket"] != "month":
            assert sum(i["events"] for i in body["items"]) == len(dated)
        for it in body["items"]:
            assert set(it) == {"date", "end", "quad_class", "events", "goldstein_mean"}
            assert it["quad_class"] in (1, 2, 3, 4) and -10 <= it["goldstein_mean"] <= 10
    day = api(server, "/api/timeline?bucket=day")["items"]
    first = day[0]["date"]
    assert sum(i["events"] for i in day if i["date"] == first) == \
        api(server, f"/api/events?since={first}&until={first}")["total"]


def test_network_edges_come_from_events(server, stored):
    net = api(server, "/api/network?nodes=500")
    ids = {n["id"] for n in net["nodes"]}
    assert len(net["nodes"]) >= 5 and net["edges"]
    pairs = {}
    for e in stored:
        for s in {a["code"] for a in e["source"] if a["code"]}:
            for t in {a["code"] for a in e["target"] if a["code"]}:
                pairs.setdefault((s, t), []).append(e)
    for edge in net["edges"]:
        assert edge["source"] in ids and edge["target"] in ids
        evs = pairs[(edge["source"], edge["target"])]
        assert edge["events"] == len(evs)
        assert sum(edge["quad_counts"].values()) == len(evs)
        assert edge["goldstein_mean"] == pytest.approx(sum(e["goldstein"] for e in evs) / len(evs), abs=1e-3)
    assert len(api(server, "/api/network?nodes=3")["nodes"]) == 3


def test_places_are_geojson_points_with_counts(server, stored):
    fc = api(server, "/api/places.geojson")
    assert fc["type"] == "FeatureCollection" and fc["features"]
    placed = [e for e in stored if e["place"] and e["place"]["lat"] is not None]
    assert sum(f["properties"]["events"] for f in fc["features"]) == len(placed)
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        assert sum(f["properties"]["quad_counts"].values()) == f["properties"]["events"]


def test_lists_of_actors_quotes_stories(server):
    actors = api(server, "/api/actors?limit=3")
    assert actors["total"] > 3 and len(actors["items"]) == 3
    one = api(server, f"/api/actors/{quote(actors['items'][0]['id'])}")
    assert one["name"] and isinstance(one["roles"], list) and one["events"]["as_source"] >= 0
    quotes = api(server, "/api/quotes?speaker=Lavrov")
    assert quotes["total"] >= 1 and all("Lavrov" in q["speaker"]["name"] for q in quotes["items"])
    stories = api(server, "/api/stories")
    assert stories["total"] >= 1 and stories["items"][0]["num_articles"] >= 2
    assert api(server, "/api/stories?contested=true")["total"] <= stories["total"]


def test_summary_adds_up(server, stored):
    s = api(server, "/api/summary")
    assert s["events"] == len(stored)
    assert sum(r["events"] for r in s["by_root"]) == len(stored)
    assert sum(q["events"] for q in s["by_quad_class"]) == len(stored)


def test_openapi_documents_every_endpoint(server):
    doc = api(server, "/openapi.json")
    for path in ("/api/events", "/api/events/{event_id}", "/api/actors", "/api/actors/{actor_id}",
                 "/api/quotes", "/api/stories", "/api/articles/{article_id}", "/api/timeline",
                 "/api/network", "/api/places.geojson", "/api/summary"):
        assert path in doc["paths"], path
    params = {p["name"] for p in doc["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "root", "plover", "modality", "since", "until", "article", "limit", "offset"} <= params


def test_the_page_and_its_assets_are_local(server):
    status, html, headers = get(server.url + "/")
    assert status == 200 and "<title>newsevents</title>" in html
    assert "default-src 'self'" in headers["content-security-policy"]
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not re.match(r"^(https?:)?//", ref), ref
        if not ref.startswith("data:"):
            assert get(server.url + "/" + ref)[0] == 200, ref
    for f in STATIC_DIR.iterdir():
        if f.suffix in (".js", ".css", ".html"):
            src = f.read_text(encoding="utf-8")
            urls = set(re.findall(r"https?://[^\s\"')]+", src)) - {"http://www.w3.org/2000/svg"}
            assert not urls, (f.name, urls)
            assert not re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function",
                             src), f.name


def test_bounded_load_has_no_errors(server, stored):
    paths = ["/api/events?limit=50", "/api/timeline?bucket=auto", "/api/network", "/api/places.geojson",
             "/api/summary", "/"] + [f"/api/events/{e['id']}" for e in stored[:10]]
    plan = [paths[i % len(paths)] for i in range(320)]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda p: get(server.url + p)[0], plan))
    assert statuses == [200] * len(plan)


def test_only_loopback_unless_asked():
    assert check_host("127.0.0.1", False) is None and check_host("::1", False) is None
    assert check_host("localhost", False) is None
    from newsevents.errors import ConfigError

    with pytest.raises(ConfigError, match="--allow-remote"):
        check_host("0.0.0.0", False)
    assert "anyone" in check_host("0.0.0.0", True)


def test_a_foreign_host_name_is_refused(server):
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not read the store."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/api/events?limit=1", headers={"Host": f"evil.example:{server.port}"})
    resp = conn.getresponse()
    body = json.loads(resp.read())
    assert resp.status == 400 and body["error"]["code"] == "bad_host"
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}"):
        conn.request("GET", "/api/events?limit=1", headers={"Host": host})
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 200
    conn.close()


_PARAMS = ["actor", "root", "plover", "modality", "since", "until", "article", "place", "quad_class",
           "limit", "offset", "bucket", "nodes", "contested", "code", "name", "speaker", "x"]
_PATHS = ["/api/events", "/api/timeline", "/api/network", "/api/places.geojson", "/api/summary",
          "/api/actors", "/api/quotes", "/api/stories", "/api/events/{v}", "/api/articles/{v}", "/api/actors/{v}"]


def test_any_query_gets_an_answer_or_one_error_shape(server):
    """Hostile and random parameters: never a 500, never a traceback, JSON every time."""
    from urllib.parse import quote as q

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=24) | st.sampled_from(
        ["-1", "0", "99999999999999999999", "2024-02-30", "1e3", "' OR 1=1 --", "%", "_", "\x00", "NaN", "..",
         "<script>", "19", "ASSAULT", "2024-12", "true"])

    @settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(path=st.sampled_from(_PATHS), params=st.dictionaries(st.sampled_from(_PARAMS), text, max_size=4),
           value=text)
    def probe(path, params, value):
        url = path.replace("{v}", q(value, safe="") or "x")
        if params:
            url += "?" + "&".join(f"{k}={q(v, safe='')}" for k, v in params.items())
        status, body, headers = get(server.url + url)
        assert headers["content-type"].startswith("application/json"), url
        assert status in (200, 400, 404), (url, status, body)
        if status != 200:
            assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, url

    probe()


def test_answers_match_their_documented_schemas(server, stored):
    from newsevents.web import schemas as S

    e = stored[0]
    actor = api(server, "/api/actors?limit=1")["items"][0]["id"]
    for path, model in [("/api/events?limit=1000", S.EventPage), (f"/api/events/{e['id']}", S.EventDetail),
                        (f"/api/articles/{e['article_id']}", S.Article), ("/api/actors", S.ActorPage),
                        (f"/api/actors/{quote(actor)}", S.ActorDetail), ("/api/quotes", S.QuotePage),
                        ("/api/stories", S.StoryPage), ("/api/timeline?bucket=week", S.Timeline),
                        ("/api/network", S.Network), ("/api/places.geojson", S.PlaceCollection),
                        ("/api/summary", S.Summary), ("/api/nope", S.ErrorBody)]:
        status, body, _ = get(server.url + path)
        model.model_validate(body, strict=False)
    doc = api(server, "/openapi.json")
    ok = doc["paths"]["/api/timeline"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/Timeline"}
    assert "ErrorBody" in doc["components"]["schemas"]
