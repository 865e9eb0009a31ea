"""`newsevents load`: load the Parquet parts of a cluster run into a store."""
from __future__ import annotations

import click

from newsevents.cli.options import db_option, handle_errors


@click.command()
@click.argument("parts_dir", type=click.Path(exists=True, file_okay=False))
@db_option
@click.option("--no-fuse", is_flag=True, help="Skip linking events across reports after loading.")
@handle_errors
def load(parts_dir: str, db: str, no_fuse: bool) -> None:
    """Load PARTS_DIR (Parquet parts written by `run --scheduler` workers) into the store.

    Idempotent: loading the same parts again leaves the store as one load did.
    """
    from newsevents.pipeline.cluster import load_parts
    from newsevents.store import Store

    with Store(db) as store:
        got = load_parts(store, parts_dir)
        click.echo(f"Loaded {got['parts']:,} part(s), {got['articles']:,} article(s) into {db}.")
        if got["articles"] and not no_fuse:
            from newsevents.fusion import fuse_store

            stats = fuse_store(store)
            click.echo(f"Linked across reports: {stats['multi_report_clusters']:,} multi-report event "
                       f"clusters, {stats['contested']:,} with conflicting reports.")
