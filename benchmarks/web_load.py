"""Bounded load test of `newsevents serve` on loopback: N requests, C at a time, over a mix of
API endpoints (events pages with filters, one event, an article, timeline, network, places).
Reports errors and latency percentiles. It starts its own server on a free loopback port, or
uses --url. Traffic only goes to 127.0.0.1.

    python benchmarks/web_load.py --db demo.duckdb --requests 2000 --concurrency 8
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def paths_for(base: str, rnd: random.Random) -> list[str]:
    _, body = get(base + "/api/events?limit=200")
    events = json.loads(body)["items"]
    ids = [e["id"] for e in events]
    arts = sorted({e["article_id"] for e in events})
    codes = sorted({a["code"][:3] for e in events for a in e["source"] if a.get("code")})
    dates = sorted({e["date"]["value"][:7] for e in events if e.get("date") and e["date"].get("value")})
    mix = ["/api/events?limit=50", "/api/timeline?bucket=auto", "/api/network", "/api/places.geojson",
           "/api/summary", "/api/stories", "/api/actors?limit=50", "/api/quotes?limit=50", "/"]
    mix += [f"/api/events/{i}" for i in ids[:20]] + [f"/api/articles/{a}" for a in arts[:10]]
    mix += [f"/api/events?actor={c}&limit=50" for c in codes[:10]]
    mix += [f"/api/network?actor={c}" for c in codes[:5]] + [f"/api/timeline?since={d}" for d in dates[:5]]
    return mix


def distinct(path: str, i: int) -> str:
    """The same question in a form the cache has not seen: another page or node count."""
    if path.startswith(("/api/events?", "/api/actors?", "/api/quotes?", "/api/stories")):
        return path + ("&" if "?" in path else "?") + f"offset={i}"
    if path.startswith("/api/network"):
        return path + ("&" if "?" in path else "?") + f"nodes={i % 1000 + 1}"
    if path.startswith(("/api/timeline", "/api/places", "/api/summary")):
        return path + ("&" if "?" in path else "?") + f"until={2100 + i % 900}"
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="store to serve (starts a server on a free loopback port)")
    ap.add_argument("--url", help="an already running server on loopback, e.g. http://127.0.0.1:8765")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--uncached", action="store_true",
                    help="make (almost) every URL distinct, so no answer comes from the server's cache")
    args = ap.parse_args(argv)
    server = None
    if args.url:
        base = args.url.rstrip("/")
        if not base.startswith(("http://127.", "http://localhost", "http://[::1]")):
            ap.error("--url must be a loopback address")
    else:
        from newsevents.web import BackgroundServer

        server = BackgroundServer(args.db).start()
        base = server.url
    rnd = random.Random(args.seed)
    try:
        mix = paths_for(base, rnd)
        plan = [rnd.choice(mix) for _ in range(args.requests)]
        if args.uncached:
            plan = [distinct(p, i) for i, p in enumerate(plan)]
        lat: list[float] = []
        errors: list[tuple[str, int]] = []
        lock = threading.Lock()

        def one(path: str) -> None:
            t = time.perf_counter()
            status, _ = get(base + path)
            dt = time.perf_counter() - t
            with lock:
                lat.append(dt)
                if status != 200:
                    errors.append((path, status))

        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(one, plan))
        wall = time.perf_counter() - t0
    finally:
        if server:
            server.stop()
    lat.sort()
    q = statistics.quantiles(lat, n=100)
    report = {
        "requests": len(lat), "concurrency": args.concurrency, "errors": len(errors),
        "seconds": round(wall, 2), "requests_per_s": round(len(lat) / wall, 1),
        "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1), "distinct_paths": len(set(plan)), "uncached": args.uncached,
    }
    print(json.dumps(report, indent=2))
    if errors:
        print("errors:", errors[:10], file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
