"""schema.org metadata of the publications, for search engines and reference managers.

The JSON sits inside a ``<script>`` element, where HTML escaping does not
apply and the first ``</script>`` in *any* string would end the element and
let the rest of a title run as markup.  So ``<``, ``>`` and ``&`` are written
as JSON ``\\u003c``-style escapes: the data is unchanged for a JSON reader and
no input can close the element or open a comment.
"""

from __future__ import annotations

import json
from itertools import islice
from json.encoder import encode_basestring
from typing import Any, Iterable, Iterator
from urllib.parse import urljoin

from markupsafe import Markup

from .model import Publication
from .ordering import type_key

#: Characters written as their JSON escape inside the ``<script>`` (the escapes hold none of them,
#: so the order of replacing does not matter).  Replacing each that occurs is ten times faster
#: than ``str.translate`` with a table of multi-character replacements, and every entry passes here.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def absolute(url: str, base: str) -> str:
    """``url`` resolved against the site's address when one is configured."""
    return urljoin(base, url) if base else url


def _date(pub: Publication) -> str | None:
    if pub.year is None:
        return None
    return f"{pub.year:04d}-{pub.month:02d}" if pub.month else f"{pub.year:04d}"


def article(pub: Publication, base: str = "") -> dict[str, Any]:
    """One ``ScholarlyArticle``; keys with no value are left out rather than null."""
    item: dict[str, Any] = {"@type": "ScholarlyArticle", "@id": absolute(f"#{pub.key}", base),
                            "name": pub.title}
    authors = []
    for author in pub.authors:
        person: dict[str, Any] = {"@type": "Person", "name": author.name}
        if author.url:
            person["url"] = absolute(author.url, base)
        authors.append(person)
    if authors:
        item["author"] = authors
    if date := _date(pub):
        item["datePublished"] = date
    if pub.venue:
        kind = "Periodical" if type_key(pub) == "journal" else "CreativeWork"
        item["isPartOf"] = {"@type": kind, "name": pub.venue}
    if pub.abstract:
        item["abstract"] = pub.abstract
    if pub.keywords:
        item["keywords"] = list(pub.keywords)
    if pub.award:
        item["award"] = pub.award
    same = []
    if pub.links.doi:
        same.append(f"https://doi.org/{pub.links.doi}")
    if pub.links.arxiv:
        same.append(f"https://arxiv.org/abs/{pub.links.arxiv}")
    if same:
        item["sameAs"] = same
    main = pub.links.pdf or next((link.url for link in pub.links.all), None)
    if main:
        item["url"] = absolute(main, base)
    if pub.preview:
        item["image"] = absolute(pub.preview, base)
    return item


def _person(name: str, url: str | None, base: str) -> str:
    if url:
        return ('{"@type": "Person", "name": ' + encode_basestring(name) + ', "url": '
                + encode_basestring(absolute(url, base)) + "}")
    return '{"@type": "Person", "name": ' + encode_basestring(name) + "}"


def article_json(pub: Publication, base: str = "") -> str:
    """``json.dumps(article(pub, base), ensure_ascii=False)``, written directly.

    Every entry of the page has its line, and building the dict only to have
    the encoder walk it again cost more than writing the text: each string
    goes through the encoder's own string writer, between the separators
    ``json.dumps`` prints, so the bytes are the same (a test holds the two
    equal on every fixture and corpus entry).
    """
    parts = ['{"@type": "ScholarlyArticle", "@id": ', encode_basestring(absolute(f"#{pub.key}", base)),
             ', "name": ', encode_basestring(pub.title)]
    if pub.authors:
        parts += [', "author": [', ", ".join([_person(author.name, author.url, base) for author in pub.authors]),
                  "]"]
    if date := _date(pub):
        parts += [', "datePublished": "', date, '"']
    if pub.venue:
        parts += [', "isPartOf": {"@type": "Periodical", "name": ' if type_key(pub) == "journal"
                  else ', "isPartOf": {"@type": "CreativeWork", "name": ', encode_basestring(pub.venue), "}"]
    if pub.abstract:
        parts += [', "abstract": ', encode_basestring(pub.abstract)]
    if pub.keywords:
        parts += [', "keywords": [', ", ".join(map(encode_basestring, pub.keywords)), "]"]
    if pub.award:
        parts += [', "award": ', encode_basestring(pub.award)]
    same = []
    if pub.links.doi:
        same.append(encode_basestring(f"https://doi.org/{pub.links.doi}"))
    if pub.links.arxiv:
        same.append(encode_basestring(f"https://arxiv.org/abs/{pub.links.arxiv}"))
    if same:
        parts += [', "sameAs": [', ", ".join(same), "]"]
    main = pub.links.pdf or next((link.url for link in pub.links.all), None)
    if main:
        parts += [', "url": ', encode_basestring(absolute(main, base))]
    if pub.preview:
        parts += [', "image": ', encode_basestring(absolute(pub.preview, base))]
    parts.append("}")
    return "".join(parts)


def script_text(text: str) -> str:
    """JSON text made safe as the content of a ``<script>`` element."""
    for char, escaped in _SCRIPT_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


def script_json(data: Any) -> Markup:
    """JSON that is safe as the content of a ``<script>`` element."""
    return Markup(script_text(json.dumps(data, ensure_ascii=False)))


#: The document's text before and after its articles.
HEAD = '{"@context": "https://schema.org", "@graph": [\n'
TAIL = "\n]}"

#: Articles joined into one piece of the document.  A page printed each article's line as a piece
#: of its own, and the template engine's work per piece (and encoding each) cost several times
#: what joining them does; a few hundred lines are still only a fraction of a megabyte.
RUN = 256


def json_ld_parts(lines: Iterable[str], run: int = RUN) -> Iterator[str]:
    """The page's ``application/ld+json`` document in pieces: one ``@graph`` of articles, one per line.

    One line per article keeps the page small and its diffs readable.
    ``lines`` are the articles' :func:`script_json`, in order (a render makes
    them with each entry's HTML, in parallel or from its cache); they come
    joined ``run`` at a time.  Only joined here: the pieces are the lines' text.
    """
    yield HEAD
    lines = iter(lines)
    separator = ""
    while batch := list(islice(lines, run)):
        yield separator + ",\n".join(batch)
        separator = ",\n"
    yield TAIL
