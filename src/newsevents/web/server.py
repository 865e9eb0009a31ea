"""Running the application: ``serve`` for ``newsevents serve`` (foreground, uvicorn) and
``BackgroundServer`` for tests and benchmarks (a thread on a free loopback port)."""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
from pathlib import Path
from typing import Callable

from newsevents.errors import ConfigError, StoreError

__all__ = ["serve", "BackgroundServer", "is_loopback", "check_host"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_remote: bool) -> str | None:
    """None for a loopback host; the warning to print for another host when allowed; raise else."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise ConfigError(f"--host {host}: not a loopback address; the store would be readable by anyone "
                          "who can reach this machine. Add --allow-remote to serve it anyway.")
    return (f"warning: serving {host}: anyone who can reach this machine on this port can read the store "
            "(no authentication, no TLS)")


def _check_db(db: str) -> None:
    if not Path(db).is_file():
        raise StoreError(f"{db}: no such store; create it with `newsevents run PATH --db {db}`")


def _config(db: str, any_host: bool = False, **kw):
    import uvicorn

    from newsevents.web.app import create_app

    return uvicorn.Config(create_app(db, any_host=any_host), log_level=kw.pop("log_level", "warning"), access_log=False,
                          server_header=False, **kw)


def serve(db: str, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, allow_remote: bool = False,
          echo: Callable[[str], None] = print) -> None:
    """Serve ``db`` until interrupted."""
    import uvicorn

    _check_db(db)
    warning = check_host(host, allow_remote)
    if warning:
        echo(warning)
    shown = f"[{host}]" if ":" in host else host
    echo(f"serving {db} on http://{shown}:{port}/ (Ctrl+C to stop)")
    uvicorn.Server(_config(db, any_host=not is_loopback(host), host=host, port=port)).run()


class BackgroundServer:
    """``newsevents serve`` in a thread on a free loopback port: ``start()``, ``url``, ``stop()``."""

    def __init__(self, db: str, host: str = DEFAULT_HOST, port: int = 0):
        _check_db(db)
        if not is_loopback(host):
            raise ConfigError("BackgroundServer listens on loopback only")
        self.db, self.host, self.port = db, host, port
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> "BackgroundServer":
        import uvicorn

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        self._server = uvicorn.Server(_config(self.db))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="newsevents-serve", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(10)
            self._server = None

    def __enter__(self) -> "BackgroundServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
