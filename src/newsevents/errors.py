"""One exception hierarchy. Messages name the input and, where there is one, the fix."""
from __future__ import annotations

__all__ = ["NewsEventsError", "InputError", "StoreError", "ConfigError", "EvalError"]


class NewsEventsError(Exception):
    """Base class of every error newsevents raises on purpose."""

    exit_code = 1


class InputError(NewsEventsError):
    """A document cannot be read or is not codeable (empty, binary, too large, not English...).

    ``reason`` is a short machine-readable kind stored in the failures table.
    """

    exit_code = 2

    def __init__(self, origin: str, reason: str, message: str):
        self.origin = origin
        self.reason = reason
        super().__init__(f"{origin}: {message}")


class StoreError(NewsEventsError):
    exit_code = 3


class ConfigError(NewsEventsError):
    exit_code = 4


class EvalError(NewsEventsError):
    exit_code = 5
