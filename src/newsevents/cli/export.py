"""`newsevents export`: the store as Parquet/JSONL/CSV or GDELT TSVs."""
from __future__ import annotations

import click

from newsevents.cli.options import db_option, handle_errors, open_store
from newsevents.errors import printable



@click.command()
@db_option
@click.option("--format", "fmt", required=True,
              type=click.Choice(["parquet", "jsonl", "csv", "gdelt-events", "gdelt-mentions", "gdelt-gkg",
                                 "graphml", "gexf", "edges-csv"]),
              help="Export format.")
@click.option("--out", "out", required=True, type=click.Path(),
              help="Output directory (parquet/jsonl/csv) or file (gdelt-*, graphml, gexf, edges-csv).")
@handle_errors
def export(db: str, fmt: str, out: str) -> None:
    """Export the store: tables as Parquet / JSONL / CSV, GDELT 2.0 TSVs, or the actor network
    (GraphML, GEXF, edge list CSV) for Gephi, networkx or igraph."""
    from newsevents.export import export_store
    from newsevents.export.network import NETWORK_FORMATS, write_network
    from newsevents.fusion import ensure_fused

    open_store(db).close()  # one clear line when the store is missing
    warning = ensure_fused(db)  # clusters first, if a run left them stale
    if warning:
        click.echo(f"newsevents: warning: {warning}", err=True)
    with open_store(db) as store:
        if fmt in NETWORK_FORMATS:
            from pathlib import Path

            from newsevents.store import views

            target = Path(out)
            if target.is_dir():
                raise click.BadParameter(f"{out} is a directory; {fmt} is written to a file", param_hint="--out")
            if target.exists() and target.resolve() == Path(db).resolve():
                raise click.BadParameter(f"{out} is the store itself", param_hint="--out")
            from newsevents.store.filters import EventFilters

            net = views.network(store, EventFilters(), max_nodes=1_000_000)
            nodes, edges = write_network(net, fmt, out)
            click.echo(f"wrote {nodes:,} actors and {edges:,} edges to {out}")
            return
        written = export_store(store, fmt, out)
    for path, n in written:
        click.echo(f"wrote {n:,} rows to {printable(path)}")
