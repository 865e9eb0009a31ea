"""`newsevents export`: the store as Parquet/JSONL/CSV or GDELT TSVs."""
from __future__ import annotations

import click

from newsevents.cli.options import db_option, handle_errors, open_store
from newsevents.errors import printable
from newsevents.export import FORMATS


@click.command()
@db_option
@click.option("--format", "fmt", required=True,
              type=click.Choice(FORMATS),
              help="Export format.")
@click.option("--out", "out", required=True, type=click.Path(), help="Output directory (parquet/jsonl/csv) or file (gdelt-*).")
@handle_errors
def export(db: str, fmt: str, out: str) -> None:
    """Export the store: tables as Parquet / JSONL / CSV, or GDELT 2.0 TSVs."""
    from newsevents.export import export_store

    with open_store(db) as store:
        written = export_store(store, fmt, out)
    for path, n in written:
        click.echo(f"wrote {n:,} rows to {printable(path)}")
