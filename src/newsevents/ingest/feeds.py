"""RSS 2.0 / RSS 1.0 (RDF) / Atom feeds -> one RawDoc per item.

Parsed with lxml (entities not resolved, no network, ``recover`` so a feed with one bad
character still yields its good items). Elements are matched by local name, so namespaced
variants (``content:encoded``, ``dc:date``, Atom 0.3) need no special cases.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from newsevents.ingest.common import Item, RawDoc, fail, normalize_line
from newsevents.ingest.html import drop_furniture, html_to_text

__all__ = ["iter_feed", "looks_like_feed"]

_FEED_START = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF)\b", re.I)

# Body candidates in order of preference: full text first, summaries last.
_BODY = ("encoded", "content", "description", "summary")
_DATES = ("pubDate", "published", "issued", "date", "updated", "modified")


def looks_like_feed(head: bytes) -> bool:
    """True when the document's root element (within the first bytes) is rss, feed or rdf:RDF."""
    head = head[:4096]
    # Skip the XML declaration, comments and processing instructions before the root element.
    stripped = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.S)
    m = _FEED_START.search(stripped)
    return bool(m) and stripped[: m.start()].strip() == b""


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Any, *names: str) -> Any:
    for name in names:
        for c in el:
            if _local(c.tag) == name:
                return c
    return None


def _text_of(el: Any) -> str:
    """Text of an item element: Atom ``type="xhtml"`` holds markup as child elements; RSS and
    Atom ``html`` hold escaped HTML as a string; both are rendered to text."""
    from lxml import etree

    if el is None:
        return ""
    if len(el):  # inline XHTML children
        inner = (el.text or "") + "".join(etree.tostring(c, encoding="unicode") for c in el)
        return html_to_text(inner)
    raw = el.text or ""
    if el.get("type", "").lower() == "text":
        return raw
    return html_to_text(raw) if "<" in raw or "&" in raw else raw


def _link(item: Any) -> str | None:
    links = [c for c in item if _local(c.tag) == "link"]
    for c in links:  # Atom: <link rel="alternate" href=...> (rel defaults to alternate)
        if c.get("href") and c.get("rel", "alternate") == "alternate":
            return c.get("href")
    for c in links:  # RSS: <link>url</link>
        if c.text and c.text.strip():
            return c.text.strip()
    guid = _child(item, "guid", "id")
    if guid is not None and guid.text and guid.text.strip().startswith("http"):
        return guid.text.strip()
    return None


def iter_feed(data: bytes, origin: str) -> Iterator[Item]:
    """Yield one RawDoc (or Failure) per feed item; origin of each is ``origin#item-N``."""
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        yield fail(origin, "bad_record", f"feed is not parseable XML ({exc})")
        return
    if root is None:
        yield fail(origin, "bad_record", "feed is not parseable XML (no root element)")
        return
    kind = _local(root.tag).lower()
    channel = _child(root, "channel") if kind in ("rss", "rdf") else root
    feed_title = normalize_line(_text_of(_child(channel, "title"))) if channel is not None else ""
    items = [el for el in root.iter() if _local(el.tag) in ("item", "entry")]
    if not items:
        yield fail(origin, "empty", f"{kind} feed has no items")
        return
    for n, item in enumerate(items, 1):
        item_origin = f"{origin}#item-{n}"
        body = ""
        body_from = None
        for name in _BODY:
            el = _child(item, name)
            text = drop_furniture(_text_of(el))
            # Prefer the longest of full text and summary: some feeds put a teaser in
            # content:encoded and the whole story in description, others the reverse.
            if text.strip() and len(text) > len(body):
                body, body_from = text, name
        date_el = _child(item, *_DATES)
        author = _child(item, "author", "creator")
        meta: dict[str, Any] = {
            "format": {"feed": "atom", "rdf": "rss1"}.get(kind, kind),
            "feed_title": feed_title or None,
            "body_field": body_from,
        }
        if author is not None:
            name_el = _child(author, "name")
            meta["author"] = normalize_line((name_el if name_el is not None else author).text or "")
        guid = _child(item, "guid", "id")
        if guid is not None and guid.text:
            meta["guid"] = guid.text.strip()
        yield RawDoc(
            origin=item_origin,
            text=body,
            title=normalize_line(_text_of(_child(item, "title"))),
            url=_link(item),
            source=feed_title or None,
            published=(date_el.text or "").strip() if date_el is not None else None,
            metadata={k: v for k, v in meta.items() if v},
        )
