"""Commands that read the store: events, actors, quotes, places, articles, failures (stories:
cli/stories.py).

Every filter is checked when parsed (``options.checked`` over ``store.checks``): a bad value
exits 2 with one line naming the option and the accepted form.
"""
from __future__ import annotations

from typing import Any

import click

from newsevents.cli.options import (
    actors_cell, check_text, checked, date_option, db_option, emit, format_option, handle_errors,
    limit_option, open_store,
)
from newsevents.store import checks as F

EVENT_COLUMNS = ("date", "source", "cameo", "plover", "target", "place", "modality", "conf", "trigger", "evidence")
ACTOR_COLUMNS = ("id", "name", "kind", "code", "country", "sector", "articles", "roles")
QUOTE_COLUMNS = ("speaker", "code", "via", "cue", "direct", "text")
PLACE_COLUMNS = ("name", "country", "admin1", "lat", "lon", "feature", "mentions", "articles", "gazetteer_id")
ARTICLE_COLUMNS = ("id", "published", "source", "title", "events", "quotes", "tone", "themes", "counts", "warnings")
FAILURE_COLUMNS = ("origin", "reason", "message", "article_id", "failed_at")


@click.command()
@db_option
@format_option
@limit_option
@click.option("--actor", callback=checked(check_text),
              help="Source or target actor code prefix (SYR, RUSGOV), actor id, or a name, alias or "
              "mention text (Assad), taken literally.")
@click.option("--root", callback=checked(F.cameo_prefix), help="CAMEO root or code prefix (19, 0874).")
@click.option("--plover", callback=checked(F.plover_type), help="PLOVER type (ASSAULT, AID, ...).")
@date_option("--since", "Event date on or after")
@date_option("--until", "Event date on or before")
@click.option("--modality", type=click.Choice(["asserted", "reported", "negated", "hypothetical", "future"]))
@click.option("--article", callback=checked(F.article_prefix), help="Article id (prefix).")
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
    emit(flat, fmt, EVENT_COLUMNS)


@click.command()
@db_option
@format_option
@limit_option
@click.option("--code", callback=checked(check_text), help="Actor code prefix (SYR, RUSGOV, IGOUNO).")
@click.option("--name", callback=checked(check_text), help="Name or alias contains (taken literally).")
@handle_errors
def actors(db: str, fmt: str, limit: int | None, code: str | None, name: str | None) -> None:
    """Show resolved actors with their roles over time."""
    with open_store(db) as store:
        rows = store.actors(code=code, name=name)[:limit]
    if fmt != "json":
        rows = [dict(id=r["id"], name=r["name"], kind=r["kind"], code=r["code"], country=r["country"],
                     sector=r["sector"], articles=r["n_articles"],
                     roles="; ".join(_role_text(x) for x in r["roles"])) for r in rows]
    emit(rows, fmt, ACTOR_COLUMNS if fmt != "json" else None)


def _role_text(role: dict[str, Any]) -> str:
    span = f"{role.get('start') or '?'}..{role.get('end') or ''}"
    return f"{role.get('status', '')} {role.get('title')} {role.get('organisation') or ''} ({span})".strip()


@click.command()
@db_option
@format_option
@limit_option
@click.option("--speaker", callback=checked(check_text),
              help="Speaker name or mention text (contains, taken literally), alias, code prefix or actor id.")
@click.option("--article", callback=checked(F.article_prefix), help="Article id (prefix).")
@handle_errors
def quotes(db: str, fmt: str, limit: int | None, speaker: str | None, article: str | None) -> None:
    """Show quotations with their speakers."""
    with open_store(db) as store:
        rows = store.quotes(speaker=speaker, article=article)[:limit]
    if fmt != "json":
        rows = [dict(speaker=_speaker(r["speaker"]), code=(r["speaker"] or {}).get("code"),
                     via=(r["via"] or {}).get("name"), cue=r["cue"], direct=r["direct"], text=r["text"])
                for r in rows]
    emit(rows, fmt, QUOTE_COLUMNS if fmt != "json" else None)


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
@click.option("--country", callback=checked(F.country_code), help="ISO 3166 country code (SYR, or SY).")
@handle_errors
def places(db: str, fmt: str, limit: int | None, country: str | None) -> None:
    """Show places mentioned, resolved to the gazetteer (unresolved ones last)."""
    with open_store(db) as store:
        rows = store.places(country=country)[:limit]
    emit(rows, fmt, PLACE_COLUMNS if fmt != "json" else None)


@click.command()
@db_option
@format_option
@limit_option
@click.option("--theme", callback=checked(F.theme_name),
              help="Only articles with this theme (ARMED_CONFLICT, PROTEST, ...; docs/themes.md).")
@date_option("--since", "Published on or after")
@date_option("--until", "Published on or before")
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
    emit(rows, fmt, ARTICLE_COLUMNS if fmt != "json" else None)


@click.command()
@db_option
@format_option
@limit_option
@handle_errors
def failures(db: str, fmt: str, limit: int | None) -> None:
    """Show documents that could not be coded, and why."""
    with open_store(db) as store:
        emit(store.failures()[:limit], fmt, FAILURE_COLUMNS if fmt != "json" else None)
