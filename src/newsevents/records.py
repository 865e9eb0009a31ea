"""Typed records passed between pipeline stages.

These frozen dataclasses are the contracts between stages (ingest -> nlp -> actors -> events
-> when -> where -> quotes -> features) and between the pipeline and the store. Character
offsets are Python string indices into ``Article.text`` (end exclusive); ``sentence`` is the
0-based index of the spaCy sentence the span sits in.

Every record has ``to_dict()`` giving plain JSON-ready values (the shape documented in
docs/schema.md).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Article",
    "Failure",
    "ActorRef",
    "ActorMention",
    "Role",
    "Actor",
    "TimeExpr",
    "EventDate",
    "Place",
    "Event",
    "Quote",
    "Tone",
    "Theme",
    "Count",
    "Amount",
    "DocFeatures",
    "ArticleResult",
    "MODALITIES",
    "ACTOR_KINDS",
]

#: How an event is asserted in the text.
MODALITIES = ("asserted", "reported", "negated", "hypothetical", "future")

#: Kinds of actor mention.
ACTOR_KINDS = (
    "state",
    "person",
    "organisation",
    "armed_group",
    "igo",
    "ngo",
    "media",
    "group",  # ethnic / religious group
    "population",
)


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}  # per class: its dataclass fields, or None


def _plain(value: Any) -> Any:
    """Convert records, tuples, dates to JSON-ready values."""
    cls = type(value)
    if cls in _SCALARS:  # most values: return at once (this runs ~3,000 times per article)
        return value
    try:
        names = _FIELD_NAMES[cls]
    except KeyError:
        names = _FIELD_NAMES[cls] = (tuple(f.name for f in dataclasses.fields(cls))
                                     if dataclasses.is_dataclass(cls) else None)
    if names is not None:
        return {n: _plain(getattr(value, n)) for n in names}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return value


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return _plain(self)  # type: ignore[return-value]


# --------------------------------------------------------------------------- ingest
@dataclass(frozen=True)
class Article(_Record):
    """One document to code. ``id`` is a content hash (see ``ingest.article_id``)."""

    id: str
    text: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    #: Publication time, timezone-aware when known; None when the input gives none.
    published: _dt.datetime | None = None
    language: str = "en"
    #: Where the document came from (path, line number, reader name, ...).
    origin: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def published_date(self) -> _dt.date | None:
        return self.published.date() if self.published else None


@dataclass(frozen=True)
class Failure(_Record):
    """A document that could not be processed: data, not a crash."""

    origin: str  # path / path:line / "-"
    reason: str  # short machine-readable kind: unreadable, empty, too_large, encoding, not_english, ...
    message: str  # one human line naming the input and the problem
    article_id: str | None = None


# --------------------------------------------------------------------------- actors
@dataclass(frozen=True)
class ActorRef(_Record):
    """An actor as it takes part in an event or speaks a quote."""

    name: str
    code: str | None = None  # CAMEO-style actor code, e.g. SYRGOV, RUSMED, IGOUNO
    country: str | None = None  # ISO3 (or None for IGOs / unknown)
    sector: str | None = None  # GOV, MIL, REB, OPP, CVL, MED, BUS, IGO, NGO, ...
    actor_id: str | None = None  # Actor.id when resolved
    start: int | None = None  # mention offsets in the article text
    end: int | None = None
    text: str | None = None  # surface text of the mention


@dataclass(frozen=True)
class ActorMention(_Record):
    article_id: str
    start: int
    end: int
    text: str
    sentence: int
    kind: str  # one of ACTOR_KINDS
    actor_id: str | None
    code: str | None
    country: str | None
    sector: str | None
    #: Role words that qualified this mention ("deposed president", "President-elect").
    role: str | None = None
    #: How it was resolved: "gazetteer", "title", "metonymy", "demonym", "ner", "coref", ...
    basis: str = ""

    def ref(self, name: str | None = None) -> ActorRef:
        return ActorRef(
            name=name or self.text,
            code=self.code,
            country=self.country,
            sector=self.sector,
            actor_id=self.actor_id,
            start=self.start,
            end=self.end,
            text=self.text,
        )


@dataclass(frozen=True)
class Role(_Record):
    """A role an actor holds over time, learned from text or known beforehand."""

    title: str  # "president", "secretary-general", "president-elect"
    organisation: str | None  # country ISO3 or organisation code (SYR, IGOUNO)
    sector: str | None  # GOV, MIL, IGO, ...
    start: str | None  # ISO date or None (unknown)
    end: str | None  # ISO date or None (still holds / unknown)
    status: str = "current"  # current | former | elect | acting | future (as of publication)
    evidence: str = ""  # the text that showed it


@dataclass(frozen=True)
class Actor(_Record):
    id: str  # stable: slug of canonical name + country, e.g. "bashar-al-assad"
    name: str
    kind: str
    code: str | None
    country: str | None
    sector: str | None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()


# --------------------------------------------------------------------------- dates
@dataclass(frozen=True)
class TimeExpr(_Record):
    """A temporal expression found in the text, normalised TIMEX3-style."""

    start: int
    end: int
    text: str
    sentence: int
    type: str  # DATE | TIME | DURATION | SET
    value: str | None  # TIMEX3 value: 2024-12-01, 2024-12, 2024, 2024-W49, P3D, XXXX-XX-XX...
    precision: str | None  # day | month | year | decade | century | week | season | time | None
    basis: str  # explicit | relative | publication
    #: Set when a stated weekday disagrees with the resolved date ("Sunday, December 3, 2024").
    weekday_mismatch: bool = False
    anchor: str | None = None  # the date it was resolved against


@dataclass(frozen=True)
class EventDate(_Record):
    value: str | None  # ISO date / month / year: "2024-12-01", "2024-12", "2024"
    precision: str | None  # day | month | year | ...
    basis: str  # explicit | relative | publication
    text: str | None = None  # the expression it came from
    start: int | None = None
    end: int | None = None
    weekday_mismatch: bool = False


# --------------------------------------------------------------------------- places
@dataclass(frozen=True)
class Place(_Record):
    """A toponym mention, resolved to a gazetteer entry when possible."""

    start: int
    end: int
    text: str
    sentence: int
    name: str | None  # gazetteer name; None when unresolved
    gazetteer_id: str | None  # e.g. "geonames:170654"
    country: str | None  # ISO3
    admin1: str | None
    lat: float | None
    lon: float | None
    feature: str | None  # country | admin1 | city | region | ...
    precision: str | None  # country | admin1 | admin2 | city | point | region
    score: float = 0.0
    resolved: bool = False


# --------------------------------------------------------------------------- events
@dataclass(frozen=True)
class Event(_Record):
    id: str
    article_id: str
    sentence: int
    evidence: str  # sentence text
    sentence_start: int  # offset of the sentence in the article
    trigger: str  # the predicate text
    trigger_start: int
    trigger_end: int
    source: tuple[ActorRef, ...]
    target: tuple[ActorRef, ...]
    cameo_code: str  # "0831", "190" ... strings with leading zeros
    cameo_root: str  # "08"
    quad_class: int  # 1..4
    goldstein: float
    plover_type: str | None
    plover_mode: str | None
    plover_context: str | None
    modality: str  # one of MODALITIES
    confidence: float
    coder: str  # which rule / model coded it, e.g. "verb:grant+asylum"
    date: EventDate | None = None
    place: Place | None = None
    cameo_label: str = ""


# --------------------------------------------------------------------------- quotes
@dataclass(frozen=True)
class Quote(_Record):
    article_id: str
    text: str  # the content (without the quotation marks)
    start: int
    end: int
    sentence: int
    direct: bool
    cue: str | None  # the cue verb or phrase ("said", "according to")
    cue_start: int | None
    cue_end: int | None
    speaker: ActorRef | None
    #: The outlet / channel that reported the speaker ("TASS" quoting "Kremlin insiders").
    via: ActorRef | None = None


# --------------------------------------------------------------------------- features
@dataclass(frozen=True)
class Tone(_Record):
    positive: float
    negative: float
    neutral: float
    compound: float
    polarity: float  # positive + negative (how emotive the text is), GDELT-style


@dataclass(frozen=True)
class Theme(_Record):
    name: str  # our theme, e.g. "ARMED_CONFLICT"
    gkg: str | None  # the GDELT GKG theme name where one exists
    terms: tuple[str, ...]  # the evidence terms found
    score: float = 0.0


@dataclass(frozen=True)
class Count(_Record):
    kind: str  # killed | wounded | arrested | displaced | kidnapped | protesters | ...
    number: int
    object: str  # "people", "civilians", "soldiers"
    text: str
    start: int
    end: int
    sentence: int
    approximate: bool = False  # "at least", "about", "more than"
    event_id: str | None = None


@dataclass(frozen=True)
class Amount(_Record):
    value: float
    unit: str  # ISO currency code ("USD") or unit
    object: str | None
    text: str
    start: int
    end: int
    sentence: int
    event_id: str | None = None


@dataclass(frozen=True)
class DocFeatures(_Record):
    themes: tuple[Theme, ...] = ()
    tone: Tone | None = None
    sentence_tone: tuple[Tone, ...] = ()
    counts: tuple[Count, ...] = ()
    amounts: tuple[Amount, ...] = ()


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class ArticleResult(_Record):
    """Everything the pipeline extracted from one article (a pure function of the article)."""

    article: Article
    sentences: tuple[tuple[int, int], ...]  # (start, end) of each sentence
    mentions: tuple[ActorMention, ...]
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    dates: tuple[TimeExpr, ...]
    places: tuple[Place, ...]
    quotes: tuple[Quote, ...]
    features: DocFeatures
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- decoding
def _decode(tp: Any, value: Any) -> Any:
    """Rebuild a typed value from its ``to_dict`` form, guided by the type hint ``tp``."""
    import types
    import typing

    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(args[0], value) if len(args) == 1 else value
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value))
    if origin in (list,):
        (arg,) = typing.get_args(tp)
        return [_decode(arg, v) for v in value]
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value)
    if tp is _dt.datetime and isinstance(value, str):
        return _dt.datetime.fromisoformat(value)
    if tp is _dt.date and isinstance(value, str):
        return _dt.date.fromisoformat(value)
    return value


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Inverse of ``to_dict`` for any record class (unknown keys are ignored)."""
    import typing

    hints = typing.get_type_hints(cls)
    kwargs = {f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data}
    return cls(**kwargs)


def result_from_dict(data: dict[str, Any]) -> ArticleResult:
    return from_dict(ArticleResult, data)
