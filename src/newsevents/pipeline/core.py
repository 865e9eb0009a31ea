"""The orchestrator: runs the stages of one article in order. It holds no logic of its own.

``process_doc`` is a pure function of (article, parsed Doc, config): the single-process path, the
multi-process path and the Dask path all call it, so they give identical results.

Stage contracts (each stage is one subpackage; the swappable ones are chosen by name through
``newsevents.registry``):

- actors   ``actor_resolvers[name](doc, article) -> (list[ActorMention], list[Actor])``
- events   ``events.code(doc, article, mentions, coder=name) -> list[Event]``  (no date / place yet)
- dates    ``date_resolvers[name](doc, article) -> list[TimeExpr]``;
           ``dates.date_events(events, dates, doc, article) -> list[Event]``   (fills Event.date)
- places   ``geocoders[name](doc, article, mentions) -> list[Place]``;
           ``places.place_events(events, places, doc, article) -> list[Event]`` (fills Event.place)
- quotes   ``quotes.extract(doc, article, mentions) -> list[Quote]``
- features ``features.extract(doc, article, events) -> DocFeatures``
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from newsevents import dates, events, features, places, quotes, registry
from newsevents.records import Article, ArticleResult

__all__ = ["PipelineConfig", "process_doc", "DEFAULT_CONFIG"]


@dataclass(frozen=True)
class PipelineConfig:
    """Which named part runs each swappable stage (see ``newsevents.registry``)."""

    coder: str = events.DEFAULT_CODER
    actor_resolver: str = "default"
    geocoder: str = "default"
    date_resolver: str = "default"

    def check(self) -> "PipelineConfig":
        """Fail early, with the choices, when a name is not registered."""
        registry.event_coders.get(self.coder)
        registry.actor_resolvers.get(self.actor_resolver)
        registry.geocoders.get(self.geocoder)
        registry.date_resolvers.get(self.date_resolver)
        return self


DEFAULT_CONFIG = PipelineConfig()


def process_doc(article: Article, doc: Doc, config: PipelineConfig = DEFAULT_CONFIG) -> ArticleResult:
    """Run every stage after parsing on one article."""
    mentions, actor_list = registry.actor_resolvers.get(config.actor_resolver)(doc, article)
    evs = events.code(doc, article, mentions, coder=config.coder)
    times = registry.date_resolvers.get(config.date_resolver)(doc, article)
    evs = dates.date_events(evs, times, doc, article)
    found = registry.geocoders.get(config.geocoder)(doc, article, mentions)
    evs = places.place_events(evs, found, doc, article)
    qs = quotes.extract(doc, article, mentions)
    feats = features.extract(doc, article, evs)
    # input warnings first (e.g. a publication date that could not be read), then the text's
    warnings = tuple(str(w) for w in article.metadata.get("warnings") or ()) + tuple(
        f"weekday mismatch: {t.text!r} at {t.start} does not fall on that weekday ({t.value})"
        for t in times if t.weekday_mismatch
    )
    return ArticleResult(
        article=article,
        sentences=tuple((s.start_char, s.end_char) for s in doc.sents),
        mentions=tuple(mentions),
        actors=tuple(actor_list),
        events=tuple(evs),
        dates=tuple(times),
        places=tuple(found),
        quotes=tuple(qs),
        features=feats,
        warnings=warnings,
    )
