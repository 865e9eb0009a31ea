"""`newsevents serve`: the local web app (map, timeline, actor network, events, evidence)."""
from __future__ import annotations

import click

from newsevents.cli.options import db_option, handle_errors


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only loopback unless --allow-remote.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port to listen on.")
@click.option("--allow-remote", is_flag=True,
              help="Allow a non-loopback --host (prints a warning: no authentication, no TLS).")
@handle_errors
def serve(db: str, host: str, port: int, allow_remote: bool) -> None:
    """Serve the store read-only as a web page and a JSON API (docs/web.md).

    Open http://127.0.0.1:8765/ in a browser. Works while `newsevents run` writes to the
    same store.
    """
    from newsevents.web import serve as run_server

    run_server(db, host=host, port=port, allow_remote=allow_remote,
               echo=lambda line: click.echo(line, err=line.startswith("warning")))
