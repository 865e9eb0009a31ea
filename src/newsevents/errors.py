"""One exception hierarchy. Messages name the input and, where there is one, the fix."""
from __future__ import annotations

__all__ = ["NewsEventsError", "InputError", "StoreError", "ConfigError", "EvalError", "UsageError", "printable"]

# Exit codes of the CLI (docs/cli.md): 0 ok, 1 some documents failed, 2 bad usage, 3 nothing
# could be done (no store, no usable input, a store / config / data error), 5 an evaluation gate
# failed, 130 interrupted (SIGINT).


class NewsEventsError(Exception):
    """Base class of every error newsevents raises on purpose."""

    exit_code = 3


class InputError(NewsEventsError):
    """A document cannot be read or is not codeable (empty, binary, too large, not English...).

    ``reason`` is a short machine-readable kind stored in the failures table.
    """

    exit_code = 3

    def __init__(self, origin: str, reason: str, message: str):
        self.origin = origin
        self.reason = reason
        super().__init__(f"{origin}: {message}")


class StoreError(NewsEventsError):
    exit_code = 3


class ConfigError(NewsEventsError):
    exit_code = 3


class EvalError(NewsEventsError):
    """Gold data, a baseline or a corpus that cannot be used (the gate's own verdict is exit 5)."""

    exit_code = 3


class UsageError(NewsEventsError, ValueError):
    """A bad argument value: ``option`` names it, the message says the accepted form."""

    exit_code = 2

    def __init__(self, option: str, message: str):
        self.option = option
        super().__init__(f"{option}: {message}")


# C0 and C1 control characters, DEL, and the bidirectional overrides that reorder what a
# terminal shows: a file name, JSON key or language code holding "\x1b]0;...\x07" retitles the
# terminal when echoed raw (issue 10).
_UNSAFE = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), *range(0x7f, 0xa0))}
_UNSAFE.update({c: f"\\u{c:04x}" for c in (*range(0x202a, 0x202f), *range(0x2066, 0x206a))})


def printable(text: object, *, newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), so it prints as one
    inert line; with ``newlines=True`` line breaks (and tabs) are kept."""
    s = str(text)
    if s.isprintable() and (newlines or "\n" not in s):
        return s
    table = _UNSAFE if not newlines else {k: v for k, v in _UNSAFE.items() if k not in (0x09, 0x0a)}
    return s.translate(table)
