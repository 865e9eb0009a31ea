"""The ASGI application: a read-only JSON API over the store and the page at ``/``.

Every error answers ``{"error": {"code": ..., "message": ...}}``: 400 for a bad or unknown
parameter, 404 for an unknown path or id, 503 while the store stays locked by a writer.
"""
from __future__ import annotations

import json
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any, AsyncIterator, Callable

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsevents import __version__
from newsevents.fusion import cluster_rows
from newsevents.store import access, views
from newsevents.errors import UsageError
from newsevents.store.filters import EventFilters
from newsevents.web import schemas as S
from newsevents.web.pool import ReadPool, ResponseCache

__all__ = ["create_app", "STATIC_DIR"]

STATIC_DIR = resources.files("newsevents.web") / "static"
MAX_LIMIT = 1000

# The page loads nothing from elsewhere and never evaluates strings as code.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        self.status, self.code, self.message = status, code, message


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


class Json(JSONResponse):
    """JSON as the store views build it (dates already strings; ``default=str`` for the rest)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=str, separators=(",", ":")).encode()


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": S.ErrorBody, "description": "Bad or unknown parameter"},
    503: {"model": S.ErrorBody, "description": "The store stayed locked by a writer"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": S.ErrorBody, "description": "No such id"}}


def ok(model: type) -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model, "description": "Successful answer"}}


def only(*names: str) -> Callable[[Request], None]:
    """A dependency refusing query parameters the endpoint does not know (a typo must not be
    silently ignored: ``?actr=SYR`` would otherwise answer every event)."""
    allowed = set(names)

    async def check(request: Request) -> None:  # async: no thread hop for a dict lookup
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ApiError(400, "unknown_parameter",
                           f"unknown parameter(s): {', '.join(unknown)}; accepted: {', '.join(sorted(allowed)) or 'none'}")
    return check


async def event_filters(
    actor: str | None = Query(None, description="Source or target actor code prefix (SYR, RUSGOV) or actor id."),
    root: str | None = Query(None, description="CAMEO root or code prefix (19, 0874)."),
    plover: str | None = Query(None, description="PLOVER type (ASSAULT, AID, ...)."),
    modality: str | None = Query(None, description="asserted, reported, negated, hypothetical or future."),
    since: str | None = Query(None, description="Event date on or after (YYYY[-MM[-DD]])."),
    until: str | None = Query(None, description="Event date on or before (YYYY[-MM[-DD]])."),
    article: str | None = Query(None, description="Article id (prefix)."),
    place: str | None = Query(None, description="Event place: gazetteer id or name (exact)."),
    quad_class: int | None = Query(None, description="QuadClass 1-4."),
) -> EventFilters:
    try:
        return EventFilters(actor=actor, root=root, plover=plover, modality=modality, since=since,
                            until=until, article=article, place=place, quad_class=quad_class).validated()
    except UsageError as exc:  # FilterError and the checks of newsevents.store.checks
        raise ApiError(400, "bad_parameter", str(exc)) from None


FILTERS = ("actor", "root", "plover", "modality", "since", "until", "article", "place", "quad_class")
PAGING = ("limit", "offset")


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")


def create_app(db: str, *, any_host: bool = False) -> FastAPI:
    """The application serving the store ``db`` (read-only).

    Unless ``any_host``, requests must name a loopback host (``Host: 127.0.0.1:8765``,
    ``localhost``, ``[::1]``): a web page elsewhere that rebinds its own domain name to
    127.0.0.1 (DNS rebinding) must not be able to read the store through the user's browser.
    """
    pool = ReadPool(db)
    cache = ResponseCache(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        title="newsevents", version=__version__,
        description="Read-only API over a newsevents store: coded events with their evidence, actors, "
                    "quotes, stories, and aggregates for the map, timeline and actor network.",
        docs_url=None, redoc_url=None,  # their pages load scripts from a CDN
        lifespan=lifespan,
    )
    app.state.pool = pool

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable) -> Response:
        if not any_host:
            host = request.headers.get("host", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in LOOPBACK_NAMES:
                return error(400, "bad_host", f"host {host!r} is not a loopback name; "
                                              "open the page as http://127.0.0.1:PORT/")
        # "since=yesterday" means another day tomorrow: only answers to absolute dates are kept
        cacheable = (request.method == "GET" and request.url.path.startswith("/api/")
                     and not any(ch.isalpha() for k in ("since", "until")
                                 for ch in request.query_params.get(k, "")))
        if cacheable:
            key, version = f"{request.url.path}?{request.url.query}", cache.version()
            body = cache.get(key, version)
            if body is not None:
                response: Response = Response(body, media_type="application/json")
            else:
                response = await call_next(request)
                if response.status_code == 200:
                    body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
                    cache.put(key, version, body)
                    response = Response(body, media_type="application/json")
        else:
            response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors():
            loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path"))
            parts.append(f"{loc}: {e.get('msg')}")
        return error(400, "bad_parameter", "; ".join(parts) or "bad request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        msg = f"no such path: {request.url.path}" if exc.status_code == 404 and exc.detail == "Not Found" else str(exc.detail)
        return error(exc.status_code, code, msg)

    @app.exception_handler(access.StoreBusy)
    async def _busy(request: Request, exc: access.StoreBusy) -> JSONResponse:
        return error(503, "store_busy", str(exc), headers={"Retry-After": "2"})

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:  # pragma: no cover
        return error(500, "internal_error", f"{type(exc).__name__}: the server could not answer this request")

    limit_q = Query(100, ge=0, le=MAX_LIMIT, description=f"At most this many items (0-{MAX_LIMIT}).")
    offset_q = Query(0, ge=0, description="Skip this many items.")

    def not_found(kind: str, key: str) -> ApiError:
        return ApiError(404, "not_found", f"no {kind} with id {key!r}")

    # ------------------------------------------------------------------ API
    @app.get("/api/events", response_class=Json, responses={**ok(S.EventPage), **ERRORS}, tags=["events"],
             dependencies=[Depends(only(*FILTERS, *PAGING))])
    def list_events(f: EventFilters = Depends(event_filters), limit: int = limit_q, offset: int = offset_q):
        """Events in the JSON shape of `newsevents events --format json`, filtered and paged:
        `{"items": [...], "total": N}`."""
        with pool.reader() as r:
            return Json(views.event_page(r, f, limit=limit, offset=offset))

    @app.get("/api/events/{event_id}", response_class=Json, responses={**ok(S.EventDetail), **ERRORS, **NOT_FOUND}, tags=["events"],
             dependencies=[Depends(only())])
    def get_event(event_id: str):
        """One event with its evidence span, the article it came from, the actor mentions of its
        sentence and the story (cluster of reports) it belongs to."""
        with pool.reader() as r:
            out = views.event_detail(r, event_id)
        if out is None:
            raise not_found("event", event_id)
        return Json(out)

    @app.get("/api/actors", response_class=Json, responses={**ok(S.ActorPage), **ERRORS}, tags=["actors"],
             dependencies=[Depends(only("code", "name", *PAGING))])
    def list_actors(code: str | None = Query(None, description="Actor code prefix (SYR, RUSGOV)."),
                    name: str | None = Query(None, description="Name or alias contains."),
                    limit: int = limit_q, offset: int = offset_q):
        """Resolved actors with aliases and roles, most reported first: `{"items", "total"}`."""
        with pool.reader() as r:
            rows = r.actors(code=code, name=name)
        return Json({"items": rows[offset:offset + limit], "total": len(rows)})

    @app.get("/api/actors/{actor_id}", response_class=Json, responses={**ok(S.ActorDetail), **ERRORS, **NOT_FOUND}, tags=["actors"],
             dependencies=[Depends(only())])
    def get_actor(actor_id: str):
        """One actor: aliases, role timeline, how many events it is source or target of."""
        with pool.reader() as r:
            out = views.actor_detail(r, actor_id)
        if out is None:
            raise not_found("actor", actor_id)
        return Json(out)

    @app.get("/api/quotes", response_class=Json, responses={**ok(S.QuotePage), **ERRORS}, tags=["quotes"],
             dependencies=[Depends(only("speaker", "article", *PAGING))])
    def list_quotes(speaker: str | None = Query(None, description="Speaker name (contains), code prefix or actor id."),
                    article: str | None = Query(None, description="Article id (prefix)."),
                    limit: int = limit_q, offset: int = offset_q):
        """Quotations with their speakers (and the outlet they came via): `{"items", "total"}`."""
        with pool.reader() as r:
            rows = r.quotes(speaker=speaker, article=article)
        return Json({"items": rows[offset:offset + limit], "total": len(rows)})

    @app.get("/api/stories", response_class=Json, responses={**ok(S.StoryPage), **ERRORS}, tags=["stories"],
             dependencies=[Depends(only("contested", *PAGING))])
    def list_stories(contested: bool = Query(False, description="Only stories whose reports conflict."),
                     limit: int = limit_q, offset: int = offset_q):
        """Events linked across reports, with corroboration (articles, sources) and conflicts."""
        with pool.reader() as r:
            rows = cluster_rows(r, contested=contested)
        return Json({"items": rows[offset:offset + limit], "total": len(rows)})

    @app.get("/api/articles/{article_id}", response_class=Json, responses={**ok(S.Article), **ERRORS, **NOT_FOUND},
             tags=["articles"], dependencies=[Depends(only())])
    def get_article(article_id: str):
        """The article text with the spans of actors, events, dates, places and quotes."""
        with pool.reader() as r:
            out = views.article_detail(r, article_id)
        if out is None:
            raise not_found("article", article_id)
        return Json(out)

    @app.get("/api/timeline", response_class=Json, responses={**ok(S.Timeline), **ERRORS}, tags=["aggregates"],
             dependencies=[Depends(only(*FILTERS, "bucket"))])
    def get_timeline(f: EventFilters = Depends(event_filters),
                     bucket: str = Query("day", pattern="^(day|week|month|auto)$",
                                         description="day, week, month, or auto (by the span of dates).")):
        """Events per bucket and QuadClass with mean Goldstein:
        `{"bucket", "items": [{"date", "end", "quad_class", "events", "goldstein_mean"}], "undated"}`."""
        with pool.reader() as r:
            return Json(views.timeline(r, f, bucket=bucket))

    @app.get("/api/network", response_class=Json, responses={**ok(S.Network), **ERRORS}, tags=["aggregates"],
             dependencies=[Depends(only(*FILTERS, "nodes"))])
    def get_network(f: EventFilters = Depends(event_filters),
                    nodes: int = Query(60, ge=1, le=1000, description="Keep the N actor codes with most events.")):
        """The actor network: `{"nodes": [{"id", "label", "events"}], "edges": [{"source", "target",
        "events", "goldstein_mean", "quad_counts"}]}`."""
        with pool.reader() as r:
            return Json(views.network(r, f, max_nodes=nodes))

    @app.get("/api/places.geojson", response_class=Json, responses={**ok(S.PlaceCollection), **ERRORS}, tags=["aggregates"],
             dependencies=[Depends(only(*FILTERS))])
    def get_places(f: EventFilters = Depends(event_filters)):
        """A GeoJSON FeatureCollection of event places (points) with event counts by QuadClass."""
        with pool.reader() as r:
            return Json(views.places_geojson(r, f))

    @app.get("/api/summary", response_class=Json, responses={**ok(S.Summary), **ERRORS}, tags=["aggregates"],
             dependencies=[Depends(only(*FILTERS))])
    def get_summary(f: EventFilters = Depends(event_filters)):
        """Counts by CAMEO root, QuadClass, dyad and month, and mean Goldstein (as `newsevents summary`)."""
        with pool.reader() as r:
            return Json(views.summary(r, f))

    # ------------------------------------------------------------------ page
    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(STATIC_DIR / "index.html"), media_type="text/html")

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    return app
