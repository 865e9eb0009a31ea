"""Response shapes for the OpenAPI document (``/openapi.json``). The endpoints return plain JSON
built by ``newsevents.store.views``; these models describe it (tests validate real answers
against them) and allow the extra fields a newer store may add."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class Span(_Open):
    start: int | None
    end: int | None


class Trigger(Span):
    text: str | None


class ActorRef(_Open):
    name: str | None
    code: str | None
    country: str | None
    sector: str | None
    actor_id: str | None
    text: str | None = None
    start: int | None = None
    end: int | None = None


class EventDate(_Open):
    value: str | None
    precision: str | None
    basis: str | None
    text: str | None = None


class EventPlace(_Open):
    name: str | None
    id: str | None
    country: str | None
    lat: float | None
    lon: float | None
    precision: str | None


class Event(_Open):
    id: str
    article_id: str
    sentence: int | None
    evidence: str | None
    trigger: Trigger
    source: list[ActorRef]
    target: list[ActorRef]
    cameo_code: str
    cameo_root: str | None
    cameo_label: str | None
    quad_class: int
    goldstein: float
    plover_type: str | None
    plover_mode: str | None
    plover_context: str | None
    modality: str
    date: EventDate | None
    place: EventPlace | None
    confidence: float
    coder: str


class EventPage(BaseModel):
    items: list[Event]
    total: int


class ArticleRef(_Open):
    id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None


class Story(_Open):
    id: str
    label: str | None
    num_events: int
    num_articles: int
    num_sources: int
    first_seen: str | None
    last_seen: str | None
    conflicts: list[dict[str, Any]]


class Mention(Span):
    text: str
    kind: str | None
    actor_id: str | None
    code: str | None


class EventDetail(Event):
    evidence_span: Span | None
    article: ArticleRef | None
    mentions: list[Mention]
    story: Story | None


class ArticleSpan(Span):
    kind: str  # actor | event | date | place | quote


class Article(ArticleRef):
    language: str | None
    text: str
    spans: list[ArticleSpan]


class Actor(_Open):
    id: str
    name: str | None
    kind: str | None
    code: str | None
    country: str | None
    aliases: list[str]
    roles: list[dict[str, Any]]
    first_seen: str | None
    last_seen: str | None
    n_articles: int | None


class ActorPage(BaseModel):
    items: list[Actor]
    total: int


class ActorDetail(Actor):
    events: dict[str, int]
    mentions: int


class Quote(_Open):
    text: str
    direct: bool | None
    speaker: dict[str, Any] | None
    article_id: str


class QuotePage(BaseModel):
    items: list[Quote]
    total: int


class StoryRow(_Open):
    id: str
    cameo_code: str | None
    num_events: int
    num_articles: int
    num_sources: int
    consensus: dict[str, Any]
    conflicts: list[dict[str, Any]]


class StoryPage(BaseModel):
    items: list[StoryRow]
    total: int


class TimelineItem(BaseModel):
    date: str
    end: str
    quad_class: int
    events: int
    goldstein_mean: float | None


class Timeline(BaseModel):
    bucket: str
    items: list[TimelineItem]
    undated: int


class Node(BaseModel):
    id: str
    label: str
    events: int


class Edge(BaseModel):
    source: str
    target: str
    events: int
    goldstein_mean: float | None
    quad_counts: dict[str, int]


class Network(BaseModel):
    nodes: list[Node]
    edges: list[Edge]


class PlaceProperties(_Open):
    id: str
    name: str | None
    country: str | None
    events: int
    goldstein_mean: float | None
    quad_counts: dict[str, int]


class Point(BaseModel):
    type: str
    coordinates: list[float]


class PlaceFeature(BaseModel):
    type: str
    id: str
    geometry: Point
    properties: PlaceProperties


class PlaceCollection(BaseModel):
    type: str
    features: list[PlaceFeature]


class Summary(_Open):
    events: int
    articles: int
    goldstein_mean: float | None
    by_root: list[dict[str, Any]]
    by_quad_class: list[dict[str, Any]]
    by_dyad: list[dict[str, Any]]
    by_month: list[dict[str, Any]]
