"""`newsevents stories`: events linked across reports, with the evidence and the conflicts."""
from __future__ import annotations

from typing import Any

import click

from newsevents.cli.options import db_option, emit, format_option, handle_errors, limit_option, open_store


def _conflict_text(c: dict[str, Any]) -> str:
    return f"{c['field']}: " + " vs ".join(
        f"{v['value']} ({', '.join(v['sources'])})" for v in c["values"])


def _evidence_text(r: dict[str, Any]) -> str:
    """What linked the reports: the evidence of each cross-article link, deduplicated."""
    parts: list[str] = []
    for link in r.get("links") or ():
        for e in link.get("evidence") or ():
            if e not in parts and e not in ("same article", "same sentence"):
                parts.append(e)
    return "; ".join(parts)


def _blocks(rows: list[dict[str, Any]]) -> str:
    """Readable text: one block per cluster, a line per report, then evidence and conflicts."""
    out = []
    for r in rows:
        outlets = sorted({rep.get("source") or "?" for rep in r["reports"]})
        out.append(
            f"{r['id']}  {r['cameo_code']} {r.get('plover_type') or '-'}  {r.get('label') or ''}"
            f"  | date {r.get('date') or '?'} | {r['num_articles']} report(s), {len(outlets)} outlet(s),"
            f" {r['num_events']} mention(s) | seen {r.get('first_seen') or '?'} .. {r.get('last_seen') or '?'}")
        for rep in r["reports"]:
            sent = " ".join((rep.get("sentence") or "").split())
            if len(sent) > 160:
                sent = sent[:157] + "..."
            out.append(f"  [{rep.get('published') or '?'}] {rep.get('source') or '?'}: {rep.get('title') or rep['article_id']}"
                       f" ({rep['mentions']}x) -- \"{sent}\"")
        ev = _evidence_text(r)
        if ev:
            out.append(f"  linked by: {ev}")
        for c in r["conflicts"]:
            out.append(f"  CONFLICT {_conflict_text(c)}")
        out.append("")
    return "\n".join(out).rstrip() or "(no stories)"


@click.command()
@db_option
@format_option
@limit_option
@click.option("--contested", is_flag=True, help="Only clusters whose reports contradict each other.")
@click.option("--min-reports", type=click.IntRange(min=1), default=2, show_default=True,
              help="Only events reported by at least N articles (1: every event).")
@handle_errors
def stories(db: str, fmt: str, limit: int | None, contested: bool, min_reports: int) -> None:
    """Show events linked across reports: the reports, outlets, first/last seen, the evidence
    that linked them, and where they contradict each other."""
    from newsevents.fusion import cluster_rows, ensure_fused

    open_store(db).close()  # one clear line when the store is missing
    warning = ensure_fused(db)  # a kill during fusion or `run --no-fuse` leaves it stale
    if warning:
        click.echo(f"newsevents: warning: {warning}", err=True)
    with open_store(db) as store:
        rows = cluster_rows(store, contested=contested, min_articles=min_reports)
    if limit is not None:
        rows = rows[:max(limit, 0)]
    if fmt == "table":
        click.echo(_blocks(rows))
        return
    if fmt == "csv":
        rows = [dict(id=r["id"], cameo=r["cameo_code"], plover=r.get("plover_type"), event=r.get("label"),
                     date=r.get("date"), reports=r["num_articles"], outlets=r["num_sources"],
                     mentions=r["num_events"], first_seen=r["first_seen"], last_seen=r["last_seen"],
                     articles=" | ".join(f"{x.get('published')} {x.get('source')}: {x.get('title')}" for x in r["reports"]),
                     evidence=_evidence_text(r),
                     conflicts="; ".join(_conflict_text(c) for c in r["conflicts"]))
                for r in rows]
    emit(rows, fmt)
