"""Page load time of `newsevents serve` in headless Chromium (Debian's /usr/bin/chromium via
Playwright): from navigation to the page having drawn the map, timeline, network and table
(``body[data-ready]``). The first load is cold (fresh browser profile), the rest warm.

    python benchmarks/web_page_load.py --db demo.duckdb --loads 10 --screenshot docs/img/web-demo.png

Build the demo store first (docs/web.md):
    newsevents run examples/ tests/fixtures/web/ tests/fixtures/ingest/ tests/fixtures/features/ --db demo.duckdb
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--loads", type=int, default=10)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--screenshot", help="write a full-page PNG of the last load here")
    ap.add_argument("--event", action="store_true", help="open the first event of the table before the screenshot")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from newsevents.web import BackgroundServer

    times = []
    with BackgroundServer(args.db) as server, sync_playwright() as pw, tempfile.TemporaryDirectory() as prof:
        ctx = pw.chromium.launch_persistent_context(prof, executable_path=args.chromium, headless=True,
                                                    args=ARGS, viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        for _ in range(args.loads):
            t = time.perf_counter()
            page.goto(server.url + "/")
            page.wait_for_selector("body[data-ready='1']")
            times.append(time.perf_counter() - t)
        nav = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
        if args.screenshot:
            if args.event:
                page.locator("#events tbody tr").nth(2).click()
                page.wait_for_selector("#event-view .article-text")
            page.screenshot(path=args.screenshot, full_page=True)
        ctx.close()
    warm = times[1:] or times
    print(json.dumps({
        "loads": len(times), "cold_ms": round(times[0] * 1000), "warm_median_ms": round(statistics.median(warm) * 1000),
        "warm_max_ms": round(max(warm) * 1000),
        "dom_content_loaded_ms": round(json.loads(nav)["domContentLoadedEventEnd"]),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
