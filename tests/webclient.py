"""A tiny HTTP client for the web tests (stdlib only; loopback servers only)."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


def get(url: str) -> tuple[int, Any, dict[str, str]]:
    """(status, parsed JSON or text, headers) of a GET on a loopback URL."""
    assert url.startswith(("http://127.0.0.1", "http://localhost")), url
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            status, body, headers = resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        status, body, headers = exc.code, exc.read(), dict(exc.headers)
    text = body.decode("utf-8")
    if headers.get("content-type", "").startswith(("application/json", "application/geo+json")):
        return status, json.loads(text), headers
    return status, text, headers
