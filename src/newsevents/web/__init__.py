"""``newsevents serve``: a read-only local web app over the store — a JSON API (OpenAPI at
``/openapi.json``) and a page with a map, a timeline, an actor network, an event table and an
event view showing the evidence. Everything it shows ships in the package (no CDN).

    from newsevents.web import create_app, serve, BackgroundServer
"""
from __future__ import annotations

from newsevents.web.app import create_app
from newsevents.web.server import BackgroundServer, serve

__all__ = ["create_app", "serve", "BackgroundServer"]
