"""Commands that read the store: events, actors, quotes, places, articles, failures (stories: cli/stories.py)."""
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
@format_option
@limit_option
@click.option("--actor", help="Source or target actor code prefix (SYR, RUSGOV), actor id, or a name, "
              "alias or mention text (Assad).")
@click.option("--root", help="CAMEO root or code prefix (19, 0874).")
@click.option("--plover", help="PLOVER type (ASSAULT, AID, ...).")
@click.option("--since", help="Event date on or after (YYYY[-MM[-DD]]).")
@click.option("--until", help="Event date on or before (YYYY[-MM[-DD]]).")
@click.option("--modality", type=click.Choice(["asserted", "reported", "negated", "hypothetical", "future"]))
@click.option("--article", help="Article id (prefix).")
@handle_errors
def events(db: str, fmt: str, limit: int | None, **filters: Any) -> None:
    """Show coded events."""
    with open_store(db) as store:
        rows = store.events(limit=limit, **filters)
    if fmt == "json":
        return emit(rows, fmt)
    flat = [
        dict(
            date=(r["date"] or {}).get("value"), source=actors_cell(r["source"]),
            cameo=r["cameo_code"], plover=r["plover_type"], target=actors_cell(r["target"]),
            place=(r["place"] or {}).get("name"), modality=r["modality"],
            conf=r["confidence"], trigger=r["trigger"]["text"], evidence=r["evidence"],
        )
        for r in rows
    ]
    emit(flat, fmt)


@click.command()
@db_option
@format_option
@limit_option
@click.option("--code", help="Actor code prefix (SYR, RUSGOV, IGOUNO).")
@click.option("--name", help="Name or alias contains.")
@handle_errors
def actors(db: str, fmt: str, limit: int | None, code: str | None, name: str | None) -> None:
    """Show resolved actors with their roles over time."""
    with open_store(db) as store:
        rows = store.actors(code=code, name=name)[:limit]
    if fmt != "json":
        rows = [dict(id=r["id"], name=r["name"], kind=r["kind"], code=r["code"], country=r["country"],
                     sector=r["sector"], articles=r["n_articles"],
                     roles="; ".join(_role_text(x) for x in r["roles"])) for r in rows]
    emit(rows, fmt)


def _role_text(role: dict[str, Any]) -> str:
    span = f"{role.get('start') or '?'}..{role.get('end') or ''}"
    return f"{role.get('status', '')} {role.get('title')} {role.get('organisation') or ''} ({span})".strip()


@click.command()
@db_option
@format_option
@limit_option
@click.option("--speaker", help="Speaker name or mention text (contains), alias, code prefix or actor id.")
@click.option("--article", help="Article id (prefix).")
@handle_errors
def quotes(db: str, fmt: str, limit: int | None, speaker: str | None, article: str | None) -> None:
    """Show quotations with their speakers."""
    with open_store(db) as store:
        rows = store.quotes(speaker=speaker, article=article)[:limit]
    if fmt != "json":
        rows = [dict(speaker=_speaker(r["speaker"]), code=(r["speaker"] or {}).get("code"),
                     via=(r["via"] or {}).get("name"), cue=r["cue"], direct=r["direct"], text=r["text"])
                for r in rows]
    emit(rows, fmt)


def _speaker(sp: dict | None) -> str | None:
    """"Kremlin insiders (Russia (GOV))": the mention, then the actor when they differ."""
    if not sp:
        return None
    name, text = sp.get("name"), sp.get("text") or sp.get("name")
    return text if not name or name == text else f"{text} ({name})"


@click.command()
@db_option
@format_option
@limit_option
@click.option("--country", help="ISO3 country code.")
@handle_errors
def places(db: str, fmt: str, limit: int | None, country: str | None) -> None:
    """Show places mentioned, resolved to the gazetteer (unresolved ones last)."""
    with open_store(db) as store:
        rows = store.places(country=country)[:limit]
    emit(rows, fmt, ["name", "country", "admin1", "lat", "lon", "feature", "mentions", "articles", "gazetteer_id"]
         if fmt != "json" else None)


@click.command()
@db_option
@format_option
@limit_option
@click.option("--theme", help="Only articles with this theme (ARMED_CONFLICT, PROTEST, ...; docs/themes.md).")
@click.option("--since", help="Published on or after (YYYY-MM-DD).")
@click.option("--until", help="Published on or before (YYYY-MM-DD).")
@handle_errors
def articles(db: str, fmt: str, limit: int | None, theme: str | None, since: str | None,
             until: str | None) -> None:
    """Show stored articles with themes, tone, counts and what was coded from each."""
    with open_store(db) as store:
        rows = store.articles(theme=theme, since=since, until=until)[:limit]
    if fmt != "json":
        rows = [dict(id=r["id"], published=r["published"], source=r["source"], title=r["title"],
                     events=r["events"], quotes=r["quotes"], tone=r["tone"],
                     themes=", ".join(r["themes"] or []),
                     counts="; ".join(f"{c['number']} {c['kind']}" for c in r["counts"] or []),
                     warnings="; ".join(r["warnings"] or []))
                for r in rows]
    emit(rows, fmt)


@click.command()
@db_option
@format_option
@handle_errors
def failures(db: str, fmt: str) -> None:
    """Show documents that could not be coded, and why."""
    with open_store(db) as store:
        emit(store.failures(), fmt)
