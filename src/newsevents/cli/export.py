"""`newsevents export`: the store as Parquet/JSONL/CSV or GDELT TSVs."""
from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from newsevents.cli.options import (
    FORMATS, actors_cell, db_option, emit, format_option, handle_errors, limit_option, open_store,
)


@click.command()
@db_option
@click.option("--format", "fmt", required=True,
              type=click.Choice(["parquet", "jsonl", "csv", "gdelt-events", "gdelt-mentions", "gdelt-gkg"]),
              help="Export format.")
@click.option("--out", "out", required=True, type=click.Path(), help="Output directory (parquet/jsonl/csv) or file (gdelt-*).")
@handle_errors
def export(db: str, fmt: str, out: str) -> None:
    """Export the store: tables as Parquet / JSONL / CSV, or GDELT 2.0 TSVs."""
    from newsevents.export import export_store
    from newsevents.fusion import ensure_fused

    open_store(db).close()  # one clear line when the store is missing
    warning = ensure_fused(db)  # clusters first, if a run left them stale
    if warning:
        click.echo(f"newsevents: warning: {warning}", err=True)
    with open_store(db) as store:
        written = export_store(store, fmt, out)
    for path, n in written:
        click.echo(f"wrote {n:,} rows to {path}")
