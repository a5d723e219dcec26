"""An Atom feed of the news and the publications, so followers learn of new work.

The feed is deterministic like every other output: it carries no generation
time, and its ``updated`` is the date of the newest item, so re-rendering
unchanged inputs leaves the file (and the site's git history) untouched.
Ids are stable across renders: the site URL plus the citation key when a
``site_url`` is configured, a ``urn:`` otherwise.  The XML is built with
ElementTree, which escapes every text and attribute; characters XML 1.0 cannot
carry at all (control codes pasted from PDFs) are removed first.
"""

from __future__ import annotations

import hashlib
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .config import Config
from .jsonld import absolute
from .model import NewsItem, Publication, Site
from .ordering import type_key

ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EPOCH = "1970-01-01T00:00:00Z"


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _stamp(year: int, month: int | None = None, day: int | None = None) -> str:
    return f"{year:04d}-{month or 1:02d}-{day or 1:02d}T00:00:00Z"


@dataclass(frozen=True)
class _Entry:
    updated: str
    id: str
    title: str
    link: str | None
    summary: str
    html: str | None
    authors: tuple[str, ...]
    category: str


def _id(config: Config, kind: str, name: str) -> str:
    if config.site_url:
        return absolute(f"#{quote(name, safe='')}", config.site_url)
    return f"urn:pubsite:{kind}:{quote(name, safe='')}"


def _news_entry(item: NewsItem, config: Config) -> _Entry:
    year, month, *day = (int(part) for part in item.date.split("-"))
    digest = hashlib.sha1(item.text.encode("utf-8")).hexdigest()[:12]
    link = absolute(item.link, config.site_url) if item.link else None
    return _Entry(_stamp(year, month, day[0] if day else None), _id(config, "news", f"{item.date}-{digest}"),
                  item.text, link, item.text, item.html, (), "news")


def _pub_entry(pub: Publication, config: Config) -> _Entry:
    assert pub.year is not None
    main = pub.links.pdf or next((link.url for link in pub.links.all), None)
    link = absolute(main, config.site_url) if main else (
        absolute(f"#{pub.key}", config.site_url) if config.site_url else None)
    names = ", ".join(a.name for a in pub.authors) + (", et al." if pub.et_al else "")
    summary = ". ".join(part for part in (names, pub.venue_line) if part)
    return _Entry(_stamp(pub.year, pub.month), _id(config, "publication", pub.key), pub.title, link,
                  summary, None, tuple(a.name for a in pub.authors), type_key(pub))


def _feed_author(config: Config) -> str:
    if config.profile and config.profile.name:
        return config.profile.name
    return config.owner[0] if config.owner else config.page_title


def feed_href(config: Config) -> str | None:
    """Where the standalone page links its feed: the feed's path relative to the page's folder."""
    if not config.feed:
        return None
    page_dir = os.path.dirname(config.output) if config.output not in (None, "-") else "."
    return Path(os.path.relpath(config.feed, page_dir or ".")).as_posix()


def to_atom(site: Site, config: Config) -> str:
    """The feed as an XML document; publications without a numeric year are left out (no date to give)."""
    entries = [_news_entry(n, config) for n in site.news]
    entries += [_pub_entry(p, config) for p in site.publications if p.year is not None]
    entries.sort(key=lambda e: (e.updated, e.id), reverse=True)
    feed = ET.Element("feed", {"xmlns": ATOM, "{http://www.w3.org/XML/1998/namespace}lang": config.lang})

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrs.items()})
        if text is not None:
            element.text = _text(text)
        return element

    add(feed, "title", config.page_title)
    add(feed, "id", config.site_url or "urn:pubsite:feed")
    add(feed, "updated", entries[0].updated if entries else _EPOCH)
    if config.site_url:
        add(feed, "link", rel="alternate", type="text/html", href=config.site_url)
    add(add(feed, "author"), "name", _feed_author(config))
    add(feed, "generator", "pubsite")
    for entry in entries:
        node = add(feed, "entry")
        add(node, "id", entry.id)
        add(node, "title", entry.title)
        add(node, "updated", entry.updated)
        if entry.link:
            add(node, "link", rel="alternate", href=entry.link)
        for name in entry.authors:
            add(add(node, "author"), "name", name)
        add(node, "category", term=entry.category)
        if entry.html is not None:
            add(node, "content", entry.html, type="html")
        else:
            add(node, "summary", entry.summary)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
