"""Human-readable rendering of one article's extractions (the summary `newsevents run` prints)."""
from __future__ import annotations

from typing import Sequence

from newsevents.pipeline.runner import RunSummary
from newsevents.records import ActorRef, ArticleResult

__all__ = ["render_results", "render_result", "render_summary"]


def _label(a: ActorRef) -> str:
    """The words the report used ("armed Syrian opposition forces"), else the actor's name."""
    return (a.text or a.name or "?").replace("\n", " ")


def _actors(refs: Sequence[ActorRef]) -> str:
    return "; ".join(_label(a) + (f" [{a.code}]" if a.code else "") for a in refs) or "-"


def render_result(r: ArticleResult) -> str:
    from newsevents.cli.options import render_table

    a = r.article
    out = [f"== {a.title or a.origin or a.id}  (id {a.id}, published {a.published_date or 'unknown'})"]
    for w in r.warnings:
        out.append(f"WARNING: {w}")
    out.append(f"\nEvents ({len(r.events)})")
    out.append(render_table([
        dict(
            date=(e.date.value or "") + (f" ({e.date.basis})" if e.date else "") if e.date else "",
            source=_actors(e.source),
            event=f"{e.cameo_code} {e.cameo_label}"[:48],
            plover=e.plover_type or "",
            target=_actors(e.target),
            place=(e.place.name or e.place.text) if e.place else "",
            modality=e.modality,
            conf=f"{e.confidence:.2f}",
        )
        for e in r.events
    ], ["date", "source", "event", "plover", "target", "place", "modality", "conf"], max_width=44))
    seen: set[str] = set()
    actor_rows = []
    for act in r.actors:
        if act.id in seen:
            continue
        seen.add(act.id)
        roles = "; ".join(
            f"{x.status} {x.title} {x.organisation or ''} ({x.start or '?'}..{x.end or ''})".strip()
            for x in act.roles
        )
        actor_rows.append(dict(name=act.name, kind=act.kind, code=act.code or "",
                               country=act.country or "", roles=roles))
    out.append(f"\nActors ({len(actor_rows)})")
    out.append(render_table(actor_rows, ["name", "kind", "code", "country", "roles"], max_width=50))
    place_rows, seen = [], set()
    for p in r.places:
        key = p.gazetteer_id or p.text
        if key in seen:
            continue
        seen.add(key)
        place_rows.append(dict(
            text=p.text, name=p.name or "(unresolved)", country=p.country or "",
            lat=f"{p.lat:.2f}" if p.lat is not None else "", lon=f"{p.lon:.2f}" if p.lon is not None else "",
            feature=p.feature or ""))
    out.append(f"\nPlaces ({len(place_rows)})")
    out.append(render_table(place_rows, ["text", "name", "country", "lat", "lon", "feature"]))
    out.append(f"\nDates ({len(r.dates)})")
    out.append(render_table([
        dict(text=t.text, type=t.type, value=t.value or "", precision=t.precision or "", basis=t.basis,
             check="WEEKDAY MISMATCH" if t.weekday_mismatch else "")
        for t in r.dates
    ], ["text", "type", "value", "precision", "basis", "check"]))
    f = r.features
    if f.tone is not None or f.themes:
        themes = ", ".join(f"{t.name} ({', '.join(t.terms[:3])})" for t in f.themes if t.score >= 1.0)
        out.append("\nThemes: " + (themes or "-"))
        if f.tone is not None:
            out.append(f"Tone: compound {f.tone.compound:+.2f} (positive {f.tone.positive:.2f}, "
                       f"negative {f.tone.negative:.2f}, polarity {f.tone.polarity:.2f})")
    if f.counts or f.amounts:
        out.append("Counts: " + "; ".join(
            [f"{c.number}{'~' if c.approximate else ''} {c.object} {c.kind}" for c in f.counts]
            + [f"{a.value:,.0f} {a.unit}" + (f" ({a.object})" if a.object else "") for a in f.amounts]))
    out.append(f"\nQuotes ({len(r.quotes)})")
    out.append(render_table([
        dict(speaker=_actors([q.speaker]) if q.speaker else "?",
             via=_label(q.via) if q.via else "", cue=q.cue or "", direct="yes" if q.direct else "no",
             text=q.text)
        for q in r.quotes
    ], ["speaker", "via", "cue", "direct", "text"], max_width=70))
    return "\n".join(out)


def render_results(results: Sequence[ArticleResult]) -> str:
    return "\n\n".join(render_result(r) for r in results)


def render_summary(summary: RunSummary, details: bool = True) -> str:
    """The end-of-run report: per-article listing (small runs), counts, links and failures."""
    lines = []
    if details and summary.results:
        lines.append(render_results(summary.results))
        lines.append("")
    rate = summary.coded / summary.seconds if summary.seconds else 0.0
    lines.append(
        f"Coded {summary.coded:,} article(s) in {summary.seconds:.1f}s ({rate:,.1f}/s) into {summary.db}; "
        f"{summary.skipped:,} already stored; {summary.failed:,} failed."
    )
    lines.append(
        f"Found {summary.events:,} events, {summary.actors:,} actors, {summary.places:,} place mentions, "
        f"{summary.dates:,} dates, {summary.quotes:,} quotes."
    )
    if summary.clusters:
        lines.append(f"Linked across reports: {summary.clusters:,} multi-report event clusters, "
                     f"{summary.contested:,} with conflicting reports (see `newsevents stories`).")
    if summary.failed:
        reasons = ", ".join(f"{n} {r}" for r, n in summary.failure_reasons.most_common())
        lines.append(f"Failures by reason: {reasons} (see `newsevents failures`).")
    return "\n".join(lines)
