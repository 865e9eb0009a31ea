"""`newsevents summary`: counts by CAMEO root, QuadClass, dyad and month, with mean Goldstein."""
from __future__ import annotations

import json
from typing import Any

import click

from newsevents.cli.options import check_text, checked, date_option, db_option, emit, handle_errors, open_store
from newsevents.store import checks as F


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@click.option("--actor", callback=checked(check_text),
              help="Source or target actor code prefix (SYR, RUSGOV) or actor id.")
@click.option("--root", callback=checked(F.cameo_prefix), help="CAMEO root or code prefix (19, 0874).")
@click.option("--plover", callback=checked(F.plover_type), help="PLOVER type (ASSAULT, AID, ...).")
@date_option("--since", "Event date on or after")
@date_option("--until", "Event date on or before")
@click.option("--top", type=click.IntRange(1, 1000), default=15, show_default=True, help="Dyads to list.")
@handle_errors
def summary(db: str, fmt: str, top: int, **filters: Any) -> None:
    """Summarise the coded events: by CAMEO root, QuadClass, dyad and month, with mean Goldstein."""
    from newsevents.store import views
    from newsevents.store.filters import EventFilters

    f = EventFilters(**filters).validated()
    with open_store(db) as store:
        s = views.summary(store, f, top=top)
    if fmt == "json":
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    click.echo(f"{s['events']:,} events from {s['articles']:,} articles; mean Goldstein "
               f"{_g(s['goldstein_mean'])}")
    sections = [
        ("By CAMEO root", s["by_root"], ["root", "label", "events", "goldstein_mean"]),
        ("By QuadClass", [dict(r, name=_QUADS.get(r["quad_class"], "")) for r in s["by_quad_class"]],
         ["quad_class", "name", "events", "goldstein_mean"]),
        ("By dyad (source -> target)", s["by_dyad"], ["source", "target", "events", "goldstein_mean"]),
        ("By month", s["by_month"], ["month", "events", "goldstein_mean"]),
    ]
    for title, rows, cols in sections:
        click.echo(f"\n{title}")
        emit(rows, "table", cols)


_QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def _g(v: float | None) -> str:
    return "-" if v is None else f"{v:+.2f}"
