"""HTML pages and HTML fragments -> text.

Whole pages go through trafilatura (main-text extraction drops navigation, footers, comments);
fragments (feed items) and pages trafilatura gives up on go through a small lxml walker that
keeps paragraph breaks. Neither trafilatura nor htmldate is ever given a URL: they would fetch it.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from newsevents.ingest.common import RawDoc, letter_count, normalize_line, normalize_text

__all__ = ["clean_record_text", "extract_page", "html_to_text", "looks_like_html"]

log = logging.getLogger(__name__)

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|h[1-6]|span|table|br)\b",
    re.I | re.S,
)

# Tags whose content is never article text.
_DROP = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button",
         "select", "iframe", "svg", "head")
# Tags that end a line / paragraph when rendered.
_BLOCK = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote pre section article header "
    "dd dt dl figure figcaption hr address main".split()
)

# htmldate options: only markup (meta tags, <time>, JSON-LD, bylines found by its fast rules),
# not an extensive search of the body, so a date *mentioned* in the story is not taken as the
# publication date; the time and offset are kept when the page states them.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def looks_like_html(head: bytes) -> bool:
    """True when the first bytes of a document look like an HTML page or fragment."""
    return bool(_HTML_START.match(head[:4096]))


_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")
_TAG = re.compile(
    r"<!--|</?(?:p|div|br|span|a|b|i|u|em|strong|table|tbody|tr|td|th|font|blockquote|ul|ol|li|"
    r"h[1-6]|img|sup|sub|small|center|ref|hr|iframe|script|style)\b[^<>]{0,500}>",
    re.I,
)


# Lines that sit inside story bodies but are site furniture: links to other stories ("Read
# more: <another headline>" would be coded as an event of this story), ads, share/follow
# prompts. Found as the only boilerplate trafilatura keeps in bench_readers.py's div layout.
_FURNITURE = re.compile(
    r"^(?:read more|more|related|related stories|see also|also read|recommended|watch|listen|"
    r"click here|sign up|subscribe|follow us|share this|advertisement|sponsored|continue reading)"
    # The keyword alone, or followed by a separator: "More than 40 people were killed" and
    # "Watch the border" are story text, "Read more: ..." and "Watch: ..." are not.
    r"\s*(?:[:|>»\u2013\u2014\u2192\u2026]|\s-\s|\.\.\.).{0,160}$"
    r"|^(?:advertisement|sponsored|read more|related stories|continue reading)\s*$"
    # WordPress feed footer: "The post <title> appeared first on <site>."
    r"|^the post .{1,250} appeared first on .{1,120}$",
    re.I,
)


def drop_furniture(text: str) -> str:
    """Remove whole lines that are site furniture ("Read more: ...", "Advertisement")."""
    if not text:
        return text
    kept = [ln for ln in text.split("\n") if not _FURNITURE.match(ln.strip())]
    return normalize_text("\n".join(kept))


# MediaWiki emphasis ('' and ''') and links ([[target|label]]) left in wiki-derived corpora:
# 28 % of 1,000 Wikinews records wrap outlet names in it ("The ''BBC '' quoted..."), which
# hides the outlet from the quote stage. Two or three apostrophes in a row do not occur in prose.
_WIKI_CLOSE = re.compile(r"\s*'{2,3}(?=[\s,.;:!?)\]]|$)")
_WIKI_QUOTES = re.compile(r"'{2,3}")
_WIKI_LINK = re.compile(r"\[\[(?:[^\[\]|]*\|)?([^\[\]|]*)\]\]")


def _clean_wiki(text: str) -> str:
    text = _WIKI_LINK.sub(r"\1", text)
    if "''" in text:
        text = _WIKI_QUOTES.sub("", _WIKI_CLOSE.sub("", text))
    return text


def clean_record_text(text: str) -> tuple[str, str | None]:
    """Text from a JSON/CSV field, with HTML entities decoded and stray markup rendered.

    Scraped corpora often store text with entities (75 % of 1,000 Wikinews records hold
    ``&quot;``, which hides direct quotes from the quote extractor) and escaped markup residue
    (13 % hold ``&lt;div ...&gt;``), and MediaWiki emphasis / links. Returns (text, what was
    done: None, "entities", "markup", "wiki"; the first kind applied is named).
    """
    done = None
    if "&" in text and _ENTITY.search(text):
        import html as _html

        text, done = _html.unescape(text), "entities"
    if "<" in text and _TAG.search(text):
        text, done = html_to_text(text), "markup"
    if "''" in text or "[[" in text:
        cleaned = _clean_wiki(text)
        if cleaned != text:
            text, done = cleaned, done or "wiki"
    return text, done


def html_to_text(html: str) -> str:
    """Visible text of an HTML page or fragment with block elements as line breaks.

    Nesting depth does not lose text: lxml is asked for deep trees (``huge_tree``: its default
    stops at 256 levels and returned nothing for a page nested deeper), the tree is walked
    without recursion, and when lxml still keeps less than half the letters a tag-stripping
    reading finds (beyond its 2,048-level limit) a streaming parser that has no depth limit
    reads the page instead.
    """
    import lxml.html
    from lxml import etree

    html = html.strip()
    if not html:
        return ""
    try:
        root = lxml.html.fromstring(html, parser=_lxml_parser())
    except (etree.ParserError, ValueError):
        # Not markup at all (e.g. plain text in a feed description): it is its own text.
        return normalize_text(html)
    text = normalize_text(_walk(root))
    if "<" in html and letter_count(text) * 2 < letter_count(_TAGS.sub(" ", _DROPPED.sub(" ", html))):
        streamed = normalize_text(_stream_text(html))
        if letter_count(streamed) > letter_count(text):
            return streamed
    return text


_TAGS = re.compile(r"<[^<>]*>")
_TEMPLATE = re.compile(r"<template\b.*?</template\s*>", re.I | re.S)
_DROPPED = re.compile(r"<(script|style|template|noscript|svg|head)\b.*?</\1\s*>", re.I | re.S)


def _lxml_parser() -> Any:
    import lxml.html

    return lxml.html.HTMLParser(huge_tree=True)


def _walk(root: Any) -> str:
    """Text of ``root``'s subtree, blocks as line breaks (iterative: any depth)."""
    from lxml import etree

    parts: list[str] = []
    skip = 0  # inside a dropped element
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if skip or tag in _DROP:
                skip += 1
                continue
            if tag == "br":  # a line break inside a paragraph, not a paragraph break
                parts.append("\n")
            elif tag in _BLOCK:
                parts.append("\n")
            if el.text and isinstance(el.tag, str) and tag != "br":
                parts.append(el.text)
            continue
        if skip:
            skip -= 1
            if skip:
                continue
        elif tag in _BLOCK:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)
    return "".join(parts)


def _stream_text(html: str) -> str:
    """Text by the standard library's event parser (no tree, so no depth limit)."""
    from html.parser import HTMLParser

    parts: list[str] = []

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.dropped = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _DROP:
                self.dropped += 1
            elif tag == "br" or tag in _BLOCK:
                parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in _DROP:
                self.dropped = max(0, self.dropped - 1)
            elif tag in _BLOCK:
                parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.dropped:
                parts.append(data)

    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parts)


def extract_page(html: str, origin: str, *, url: str | None = None) -> RawDoc:
    """Extract the article of one HTML page: text, title, date, site name, canonical URL.

    ``url`` (e.g. WARC-Target-URI) is used when the page declares no canonical URL.
    The text may be empty: the caller decides whether that is a failure ("no_text").
    """
    import trafilatura

    meta: dict[str, Any] = {"format": "html"}
    if "<template" in html.lower():
        # <template> content is inert markup for scripts, never shown: trafilatura keeps it
        html = _TEMPLATE.sub(" ", html)
    doc = None
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, date_extraction_params=_DATE_PARAMS
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        log.debug("%s: trafilatura failed: %s", origin, exc)
        meta["extractor_error"] = f"{type(exc).__name__}: {exc}"[:200]
    title = normalize_line(getattr(doc, "title", None) or "")
    text = normalize_text(getattr(doc, "text", None) or "")
    if text:
        meta["extractor"] = "trafilatura"
    else:
        # trafilatura returns nothing for short or badly broken pages; keep what the markup has.
        text = html_to_text(html)
        meta["extractor"] = "lxml-fallback"
        if not title:
            title = _title_tag(html)
    text = drop_furniture(_drop_leading_title(text, title))
    page_url = getattr(doc, "url", None) or None
    source = getattr(doc, "sitename", None) or None
    if source is None and getattr(doc, "hostname", None):
        source = doc.hostname
    for key in ("author", "description", "hostname"):
        value = getattr(doc, key, None)
        if value:
            meta[key] = value
    return RawDoc(
        origin=origin,
        text=text,
        title=title,
        url=page_url or url,
        source=normalize_line(source) if source else None,
        published=getattr(doc, "date", None) or None,
        metadata=meta,
    )


def _title_tag(html: str) -> str:
    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    return normalize_line(html_to_text(m.group(1))) if m else ""


def _drop_leading_title(text: str, title: str) -> str:
    # trafilatura keeps the page's <h1> as the first line; the title is stored apart.
    if title and text.startswith(title):
        rest = text[len(title):]
        if rest[:1] in ("\n", ""):
            return rest.lstrip("\n")
    return text
