"""Named, swappable parts of the pipeline, chosen by name (after spaCy's ``registry``).

Four kinds of part can be swapped without touching their callers:

========================  ==========================================  =======================
registry                  a part is called as                           built in
========================  ==========================================  =======================
``event_coders``          ``coder(doc, article, mentions) -> [Event]``  ``rules``
``actor_resolvers``       ``resolver(doc, article) -> (mentions, actors)``  ``default``
``geocoders``             ``geocoder(doc, article, mentions) -> [Place]``   ``default``
``date_resolvers``        ``resolver(doc, article) -> [TimeExpr]``           ``default``
========================  ==========================================  =======================

Built-in parts are registered as ``"module:attribute"`` strings and imported on first use, so
``import newsevents`` stays cheap. A plugin registers a callable (or a string) under a new name::

    from newsevents.registry import event_coders

    @event_coders.register("my-coder")
    def my_coder(doc, article, mentions):
        ...

or through the entry-point group ``newsevents.event_coders`` (``actor_resolvers``, ``geocoders``,
``date_resolvers``) of an installed package. ``newsevents run --coder my-coder`` then uses it.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable

from newsevents.errors import ConfigError

__all__ = ["Registry", "event_coders", "actor_resolvers", "geocoders", "date_resolvers"]


class Registry:
    """Names -> parts of one kind. A part is a callable or a ``"module:attribute"`` string."""

    def __init__(self, kind: str, group: str) -> None:
        self.kind = kind
        self.group = group  # entry-point group searched for names not registered here
        self._parts: dict[str, Callable[..., Any] | str] = {}

    def register(self, name: str, part: Callable[..., Any] | str | None = None) -> Any:
        """Register ``part`` under ``name``; without ``part``, return a decorator."""
        if part is None:
            def deco(func: Callable[..., Any]) -> Callable[..., Any]:
                self._parts[name] = func
                return func

            return deco
        self._parts[name] = part
        return part

    def names(self) -> list[str]:
        """Registered names (entry points of installed packages included)."""
        return sorted(set(self._parts) | set(self._entry_points()))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self._parts or name in self._entry_points())

    def get(self, name: str) -> Callable[..., Any]:
        """The part registered as ``name``; a ``ConfigError`` naming the choices if there is none."""
        part = self._parts.get(name)
        if part is None:
            ep = self._entry_points().get(name)
            if ep is None:
                raise ConfigError(f"unknown {self.kind} {name!r}; choose one of: {', '.join(self.names())}")
            part = self._parts[name] = ep.load()
        if isinstance(part, str):
            # Looked up on every call, not cached: what the module holds now is what runs (the
            # benchmark's stage clock wraps module attributes), and the lookup costs ~1 µs.
            module, _, attr = part.partition(":")
            return getattr(importlib.import_module(module), attr)
        return part

    def _entry_points(self) -> dict[str, Any]:
        from importlib.metadata import entry_points

        try:
            return {ep.name: ep for ep in entry_points(group=self.group)}
        except Exception:  # a broken third-party distribution must not break ours
            return {}


event_coders = Registry("event coder", "newsevents.event_coders")
actor_resolvers = Registry("actor resolver", "newsevents.actor_resolvers")
geocoders = Registry("geocoder", "newsevents.geocoders")
date_resolvers = Registry("date resolver", "newsevents.date_resolvers")

event_coders.register("rules", "newsevents.events.rules:code")
event_coders.register("learned", "newsevents.events.learned:code_learned")
event_coders.register("hybrid", "newsevents.events.learned:code_hybrid")
actor_resolvers.register("default", "newsevents.actors:extract")
geocoders.register("default", "newsevents.places:extract")
date_resolvers.register("default", "newsevents.dates:extract")
