"""The page in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright):
the map, timeline and network render; a timeline bucket filters the table; the event view
highlights its evidence; script and onerror payloads in stored text stay inert.

Screenshots go to a temporary folder, or to $NEWSEVENTS_SCREENSHOTS (docs/img for the docs).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from newsevents.web import BackgroundServer

from .conftest import HOSTILE_TITLE
from .webclient import get

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():  # .ci/run installs it; a developer without it is told how
    if os.environ.get("CI"):
        raise RuntimeError("chromium is missing: .ci/run installs it with apt-get")
    pytest.skip("needs Debian's chromium (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    out = os.environ.get("NEWSEVENTS_SCREENSHOTS")
    path = Path(out) if out else tmp_path_factory.mktemp("shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def site(web_db, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with BackgroundServer(web_db) as server, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
            args=ARGS, viewport={"width": 1400, "height": 1000})
        ctx.set_default_timeout(15_000)
        yield server, ctx
        ctx.close()


@pytest.fixture
def page(site):
    server, ctx = site
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("dialog", lambda d: (page.errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield page
    page.close()


def open_page(site, page, fragment=""):
    server, _ = site
    page.goto(f"{server.url}/{fragment}")
    page.wait_for_selector("body[data-ready='1']")
    return server


def test_map_timeline_and_network_render(site, page, shots):
    server = open_page(site, page)
    assert page.locator("#map path.country").count() > 150
    clusters = page.locator("#map circle.cluster")
    assert clusters.count() >= 1
    placed = sum(int(clusters.nth(i).get_attribute("data-events")) for i in range(clusters.count()))
    fc = get(server.url + "/api/places.geojson")[1]
    assert placed == sum(f["properties"]["events"] for f in fc["features"])
    assert page.locator("#timeline g.bucket").count() >= 5
    assert page.locator("#timeline polyline.goldstein").count() == 1
    assert page.locator("#network g.node").count() >= 5
    assert page.locator("#network path.edge").count() >= 3
    total = get(server.url + "/api/events?limit=0")[1]["total"]
    assert page.locator("#events tbody tr").count() == min(total, 50)
    assert page.errors == []
    page.screenshot(path=str(shots / "web-overview.png"), full_page=True)


def test_clicking_a_timeline_bucket_filters_the_table(site, page):
    server = open_page(site, page)
    before = page.locator("#events tbody tr").count()
    bucket = page.locator("#timeline g.bucket:not([data-events='0'])").nth(1)
    day = bucket.get_attribute("data-date")
    n = int(bucket.get_attribute("data-events"))
    bucket.locator("rect.hit").click()
    page.wait_for_function("d => location.hash.includes('since=' + d)", arg=day)
    page.wait_for_selector("body[data-loading='']")
    rows = page.locator("#events tbody tr")
    dates = [rows.nth(i).get_attribute("data-date")[:10] for i in range(rows.count())]
    assert dates and set(dates) == {day} and len(dates) < before
    assert len(dates) == n == get(f"{server.url}/api/events?since={day}&until={day}")[1]["total"]
    assert page.locator("#timeline g.bucket.selected").count() == 1
    assert page.errors == []


def test_event_view_highlights_the_evidence(site, page, shots):
    server = open_page(site, page)
    row = page.locator("#events tbody tr").nth(3)
    event_id = row.get_attribute("data-id")
    row.click()
    page.wait_for_selector(f"#event-view[data-event='{event_id}'] .article-text")
    ev = get(f"{server.url}/api/events/{event_id}")[1]
    evidence = page.locator("#event-view .article-text span.evidence")
    assert "".join(evidence.all_text_contents()) == ev["evidence"]
    assert "".join(page.locator("#event-view .article-text span.trigger").all_text_contents()) == ev["trigger"]["text"]
    source_marks = "".join(page.locator("#event-view .article-text span.source").all_text_contents())
    assert all(a["text"] in source_marks for a in ev["source"] if a.get("text"))
    view = page.locator("#event-view").inner_text()
    assert ev["coder"] in view and ev["cameo_code"] in view
    links = page.locator("#event-view button.actor-link")
    codes = [a["code"] for a in ev["source"] + ev["target"] if a["code"]]
    assert [links.nth(i).get_attribute("data-code") for i in range(links.count())] == codes
    assert "selected" in row.get_attribute("class")
    page.screenshot(path=str(shots / "web-event.png"), full_page=True)
    assert page.errors == []


def test_script_and_onerror_payloads_stay_inert(site, page, shots):
    server = open_page(site, page)
    hostile = [e for e in get(server.url + "/api/events?limit=1000")[1]["items"]
               if get(f"{server.url}/api/articles/{e['article_id']}")[1]["title"] == HOSTILE_TITLE]
    assert hostile, "the hostile report was coded into events"
    page.goto(f"{server.url}/#event={hostile[0]['id']}")
    page.wait_for_selector("#event-view .article-text")
    page.wait_for_timeout(300)  # give an injected onerror handler time to fire, if it existed
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#event-view h3.title").text_content() == HOSTILE_TITLE
    assert page.locator("#event-view img, #event-view script, #events img, #events script").count() == 0
    article = get(f"{server.url}/api/articles/{hostile[0]['article_id']}")[1]
    assert page.locator("#event-view .article-text").text_content() == article["text"]
    assert "<b>" in page.locator("#event-view").inner_text()  # the source name, shown as text
    assert page.errors == []
    page.screenshot(path=str(shots / "web-hostile.png"))


def test_a_network_node_filters_by_actor(site, page):
    open_page(site, page)
    node = page.locator("#network g.node").first
    code = node.get_attribute("data-id")
    node.locator("circle").click()
    page.wait_for_function("c => location.hash.includes('actor=' + c)", arg=code)
    page.wait_for_selector("body[data-loading='']")
    assert page.locator("#network g.node.selected").count() == 1
    cells = page.locator("#events tbody tr td:nth-child(2), #events tbody tr td:nth-child(4)")
    assert any(code[:3] in t for t in cells.all_text_contents())
    assert page.errors == []


def test_the_legend_filters_by_quadclass(site, page):
    server = open_page(site, page)
    page.locator("#legend button[data-quad='4']").click()
    page.wait_for_function("() => location.hash.includes('quad_class=4')")
    page.wait_for_selector("body[data-loading='']")
    dots = page.locator("#events tbody tr td:nth-child(3) .dot")
    assert dots.count() == get(f"{server.url}/api/events?quad_class=4")[1]["total"] > 0
    assert all("q4" in dots.nth(i).get_attribute("class") for i in range(dots.count()))
    assert page.locator("#filters select[name='quad_class']").input_value() == "4"
    assert page.errors == []


def test_a_map_place_filters_the_table(site, page):
    server = open_page(site, page)
    single = page.locator("#map circle.cluster[data-places='1']")
    assert single.count() >= 1
    circle = single.first
    place, n = circle.get_attribute("data-place"), int(circle.get_attribute("data-events"))
    circle.click()
    page.wait_for_function("p => decodeURIComponent(location.hash).includes('place=' + p)", arg=place)
    page.wait_for_selector("body[data-loading='']")
    ids = {page.locator("#events tbody tr").nth(i).get_attribute("data-id")
           for i in range(page.locator("#events tbody tr").count())}
    expected = get(f"{server.url}/api/events?place={place}&limit=1000")[1]["items"]
    assert len(ids) == n == len(expected) and ids == {e["id"] for e in expected}
    assert page.locator("#filters input[name='place']").input_value() == place
    assert page.errors == []


def test_a_bad_filter_is_named_on_the_page(site, page):
    open_page(site, page)
    page.fill("#filters input[name='since']", "2024-13")
    page.click("#filters button[type='submit']")
    page.wait_for_selector("#status.error")
    assert "since" in page.locator("#status").text_content()
    assert page.errors == []
