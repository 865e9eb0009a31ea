"""What fusion knows of one coded event: its profile.

A profile is a JSON-ready dict built once per event from the store's tables (events, mentions,
places, features, articles) and kept in ``fusion_events`` so later batches compare against it
without re-reading the articles:

- ``kind``: PLOVER type, CAMEO code, base (3 digits), root (2 digits), quad class;
- ``lo``/``hi``: the days the event can have happened (ordinal days): the stated date at its
  precision, else the days just before publication (or after it, for a future act);
- ``stated``: the date the sentence itself states (value, precision) — the only date a conflict
  can be about;
- ``names``: specific participants named in the sentence (resolved people and organisations);
  ``ctx``: the same over the whole article plus its city-level places (the story's cast);
- ``places``: resolved places of the sentence (gazetteer id, country, admin1, feature, lat, lon),
  ``scene``: where it happened (the sentence's places, else the article title's, else the
  event's own place);
- ``words``/``title``: content words of the sentence and the title;
- ``counts``: killed/wounded/arrested... stated in the sentence;
- ``excluded``: why the event does not enter fusion (negated or hypothetical, inside a direct
  quotation, a link list, heading or byline, a counterfactual); ``background``: why it is not
  linked to a dated incident (cumulative, habitual, earlier act).
"""
from __future__ import annotations

import datetime as _dt
import json
from collections import Counter, defaultdict
from typing import Any, Iterable, Sequence

from newsevents.fusion.text import background_reason, content_words, link_section_start, nonevent_reason

__all__ = ["load_profiles", "build_profile", "interval", "PUBLICATION_SPAN"]

#: An event the text does not date happened on, or at most this many days before, publication.
PUBLICATION_SPAN = 1
#: ... and a future act within this many days after it.
FUTURE_SPAN = 30
#: An act the sentence dates more than this many days before publication is background.
RETROSPECTIVE_DAYS = 14
#: The article's cast: its most named participants and city-level places.
CAST = 15
_COUNT_KINDS = ("killed", "wounded", "injured", "arrested", "kidnapped", "displaced", "missing")
_GENERIC_ID = ("agent:", "state:")
_CITY = ("city", "capital", "point", "district", "neighbourhood", "village", "town", "building", "site")


def _parse_day(value: str | None) -> tuple[_dt.date, _dt.date] | None:
    """The first and last day a TIMEX-like value covers ("2024-12-01", "2024-12", "2024")."""
    if not value:
        return None
    v = value.strip()
    try:
        if len(v) >= 10 and v[4] == "-" and v[7] == "-":
            d = _dt.date.fromisoformat(v[:10])
            return d, d
        if len(v) == 7 and v[4] == "-" and v[5:7].isdigit():
            y, m = int(v[:4]), int(v[5:7])
            first = _dt.date(y, m, 1)
            last = (_dt.date(y + (m == 12), m % 12 + 1, 1) - _dt.timedelta(days=1))
            return first, last
        if len(v) >= 8 and v[4:6] == "-W" and v[6:8].isdigit():
            first = _dt.date.fromisocalendar(int(v[:4]), int(v[6:8]), 1)
            return first, first + _dt.timedelta(days=6)
        if len(v) == 4 and v.isdigit():
            return _dt.date(int(v), 1, 1), _dt.date(int(v), 12, 31)
    except ValueError:
        return None
    return None


def interval(date_value: str | None, basis: str | None, published: _dt.date | None,
             modality: str | None = None) -> tuple[int, int] | None:
    """Ordinal days [lo, hi] within which the event happened; None when nothing dates it."""
    if basis in ("explicit", "relative"):
        span = _parse_day(date_value)
        if span:
            return span[0].toordinal(), span[1].toordinal()
    if published is None:
        span = _parse_day(date_value)
        return (span[0].toordinal(), span[1].toordinal()) if span else None
    p = published.toordinal()
    if modality == "future":
        return p, p + FUTURE_SPAN
    return p - PUBLICATION_SPAN, p


def _as_date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return _dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _place(p: dict[str, Any]) -> dict[str, Any]:
    return dict(id=p.get("gazetteer_id"), name=p.get("name"), country=p.get("country"),
                admin1=p.get("admin1"), feature=p.get("feature"),
                lat=p.get("lat"), lon=p.get("lon"))


def _is_city(p: dict[str, Any]) -> bool:
    return (p.get("feature") or "") in _CITY


def build_profile(ev: dict[str, Any], art: dict[str, Any], mentions: Sequence[dict[str, Any]],
                  places: Sequence[dict[str, Any]], counts: Sequence[dict[str, Any]],
                  art_ctx: Sequence[str], title_places: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The profile of event row ``ev`` (an ``events`` row) of article ``art``; ``mentions``,
    ``places`` and ``counts`` are those of the event's sentence. ``art["links_from"]``, when
    given, is where the article's link-list section starts (``link_section_start``)."""
    published = _as_date(art.get("published"))
    evidence = ev.get("evidence") or ""
    start = ev.get("sentence_start") or 0
    links_from = art.get("links_from")
    if links_from is None:
        links_from = link_section_start(art.get("text") or "")
    excluded = None
    trigger_at = ev.get("trigger_start")
    if ev.get("modality") in ("negated", "hypothetical"):
        excluded = ev["modality"]  # what did not, or might, happen is no event to link
    elif trigger_at is not None and any(q0 <= trigger_at < q1 for q0, q1 in art.get("quoted") or ()):
        # inside a direct quotation: what the speaker claims; the saying is the reported event
        excluded = "inside a quotation"
    elif links_from is not None and links_from <= start:
        excluded = "link list section"
    else:
        excluded = nonevent_reason(evidence, ev.get("trigger") or "")
    background = None if excluded else background_reason(evidence)
    basis = ev.get("date_basis")
    stated = None
    if basis in ("explicit", "relative") and ev.get("date_value") and _parse_day(ev["date_value"]):
        # the date the report gives this act (in its sentence, or carried from the sentence
        # before by the dates stage) - never a publication date: only this can contradict
        value = ev["date_value"]
        precision = ev.get("date_precision")
        if len(value) >= 10 and value[4] == "-" and value[7] == "-":
            value, precision = value[:10], "day"
        dtext = ev.get("date_text") or ""
        stated = dict(value=value, precision=precision, basis=basis, text=dtext,
                      in_sentence=bool(dtext and dtext in evidence))
    span = interval(ev.get("date_value"), basis, published, ev.get("modality"))
    if background is None and stated and published and span and \
            span[1] < published.toordinal() - RETROSPECTIVE_DAYS:
        # an act dated weeks before the report is background to it, not what it reports
        background = "earlier event"
    names = sorted({m["actor_id"] for m in mentions
                    if m.get("actor_id") and not m["actor_id"].startswith(_GENERIC_ID)})
    src_named = []  # [actor id, code] of the named sources
    actor_ids = set()  # the event's own named participants (source and target)
    for side in ("source", "target"):
        refs = json.loads(ev.get(side) or "[]") if isinstance(ev.get(side), str) else (ev.get(side) or [])
        for a in refs:
            aid = a.get("actor_id")
            if aid and not aid.startswith(_GENERIC_ID):
                actor_ids.add(aid)
                if aid not in names:
                    names.append(aid)
                if side == "source" and a.get("code"):
                    src_named.append([aid, a["code"]])
    sent_places = [_place(p) for p in places if p.get("resolved") and p.get("gazetteer_id")]
    scene = sent_places or [dict(p) for p in title_places]
    if not scene and ev.get("place_id"):
        scene = [dict(id=ev.get("place_id"), name=ev.get("place_name"), country=ev.get("place_country"),
                      admin1=ev.get("place_admin1"), feature=ev.get("place_precision"),
                      lat=ev.get("place_lat"), lon=ev.get("place_lon"))]
    cnt = []
    for c in counts:
        kind = c.get("kind")
        if kind in _COUNT_KINDS and (c.get("event_id") in (None, ev["id"])):
            cnt.append(dict(kind="wounded" if kind == "injured" else kind, number=int(c["number"]),
                            approximate=bool(c.get("approximate")), text=c.get("text")))
    code = ev.get("cameo_code") or ""
    return dict(
        id=ev["id"], article_id=ev["article_id"], sentence=ev.get("sentence"),
        source=art.get("src") or "", title=art.get("title") or "",
        published=published.isoformat() if published else None,
        evidence=evidence, trigger=ev.get("trigger"),
        plover=ev.get("plover_type"), code=code, base=code[:3], root=code[:2],
        quad=ev.get("quad_class"), modality=ev.get("modality"), label=ev.get("cameo_label"),
        src_codes=sorted({c for c in (ev.get("source_codes") or []) if c}),
        tgt_codes=sorted({c for c in (ev.get("target_codes") or []) if c}),
        src_named=sorted(src_named), actor_ids=sorted(actor_ids),
        lo=span[0] if span else None, hi=span[1] if span else None,
        date=ev.get("date_value"), date_basis=basis, date_precision=ev.get("date_precision"),
        stated=stated,
        names=sorted(names), ctx=sorted(art_ctx),
        places=sent_places, scene=scene,
        event_place=(dict(name=ev.get("place_name"), id=ev.get("place_id"), country=ev.get("place_country"))
                     if ev.get("place_name") else None),
        words=sorted(content_words(evidence)), title_words=sorted(content_words(art.get("title") or "")),
        counts=cnt, excluded=excluded, background=background,
    )


def load_profiles(store, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Profiles of every event of ``article_ids`` (in article, sentence, trigger order)."""
    if not article_ids:
        return []
    ids = list(article_ids)
    q = store.query
    arts = {r["id"]: r for r in q(
        "SELECT id, published, title, text, coalesce(source, url, origin, id) AS src FROM articles"
        " WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids])}
    for a in arts.values():
        a["links_from"] = link_section_start(a.pop("text") or "")
        a["quoted"] = []
    for r in q('SELECT article_id, "start", "end" FROM quotes WHERE direct'
               " AND article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]):
        if r["article_id"] in arts and r["start"] is not None and r["end"] is not None:
            arts[r["article_id"]]["quoted"].append((r["start"], r["end"]))
    events = q("SELECT * FROM events WHERE article_id IN (SELECT unnest(?::VARCHAR[]))"
               " ORDER BY article_id, sentence, trigger_start, id", [ids])
    ment: dict[tuple[str, int], list[dict]] = defaultdict(list)
    ctx: dict[str, Counter] = defaultdict(Counter)
    for m in q("SELECT article_id, sentence, actor_id, kind FROM mentions"
               " WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]):
        ment[(m["article_id"], m["sentence"])].append(m)
        if m["actor_id"] and not m["actor_id"].startswith(_GENERIC_ID):
            ctx[m["article_id"]][m["actor_id"]] += 1
    plc: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for p in q("SELECT article_id, sentence, \"start\", name, gazetteer_id, country, admin1, lat, lon, feature, resolved"
               " FROM places WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]):
        plc[(p["article_id"], p["sentence"])].append(p)
        if p["resolved"] and p["gazetteer_id"] and _is_city(p):
            ctx[p["article_id"]][p["gazetteer_id"]] += 1
    cnts: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for f in q("SELECT article_id, counts FROM features WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]):
        for c in json.loads(f["counts"] or "[]"):
            cnts[(f["article_id"], c.get("sentence"))].append(c)
    title_places = _title_places(arts, q)
    out = []
    seen = set()
    for ev in events:
        if ev["id"] in seen:
            continue
        seen.add(ev["id"])
        art = arts.get(ev["article_id"])
        if art is None:
            continue
        key = (ev["article_id"], ev["sentence"])
        out.append(build_profile(ev, art, ment.get(key, ()), plc.get(key, ()), cnts.get(key, ()),
                                 [k for k, _ in ctx[ev["article_id"]].most_common(CAST)], title_places.get(ev["article_id"], ())))
    return out


def _title_places(arts: dict[str, dict[str, Any]], q) -> dict[str, list[dict[str, Any]]]:
    """Resolved places whose name the article's title contains (the story's scene)."""
    out: dict[str, list[dict[str, Any]]] = {}
    ids = list(arts)
    rows = q("SELECT DISTINCT article_id, text, gazetteer_id, name, country, admin1, lat, lon, feature FROM places"
             " WHERE resolved AND gazetteer_id IS NOT NULL AND article_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
    for p in rows:
        title = arts[p["article_id"]].get("title") or ""
        if p["text"] and p["text"] in title:
            lst = out.setdefault(p["article_id"], [])
            if all(x["id"] != p["gazetteer_id"] for x in lst):
                lst.append(_place(p))
    return out


def iter_chunks(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for x in items:
        chunk.append(x)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
