"""Per-entry extras that depend on the site's config: co-author homepages, thumbnails, keywords.

They are applied to built publications rather than inside the BibTeX-to-model
step, because they come from the site's settings (a table of homepages, where
preview images live), not from the entry alone; every output format then reads
the same enriched model.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from .errors import Problem
from .latex import decode
from .links import safe_url
from .model import Author, Publication
from .names import Owners, fold, split_name

_KEYWORD_SEPARATORS = re.compile(r"[,;]")


def _squashed(text: str) -> str:
    return fold(text).replace(" ", "")


class Coauthors:
    """Homepages of co-authors, recognised in any spelling the owner matcher accepts.

    Each configured name becomes its own :class:`~pubsite.names.Owners`, so
    "Feijie Wu" also links "Wu, F." and "Wu, Feijie"; candidates are looked up
    by folded family name (and by whole name, for names split differently) so
    a long table costs little per author.
    """

    def __init__(self, table: Iterable[tuple[str, str]]):
        self._by_family: dict[str, list[tuple[Owners, str]]] = {}
        self._by_whole: dict[str, str] = {}
        for name, url in table:
            given, family, _ = split_name(name)
            matcher = Owners.from_names([name])
            self._by_family.setdefault(_squashed(family), []).append((matcher, url))
            self._by_whole.setdefault(_squashed(f"{given} {family}"), url)

    def __bool__(self) -> bool:
        return bool(self._by_whole)

    def url_of(self, author: Author) -> str | None:
        for matcher, url in self._by_family.get(_squashed(author.family), ()):
            if matcher.matches(author.given, author.family):
                return url
        return self._by_whole.get(_squashed(f"{author.given} {author.family}"))


def keywords_of(value: str | None) -> tuple[str, ...]:
    """The ``keywords`` field as a list: exporters separate with commas (ACM) or semicolons (IEEE)."""
    if not value:
        return ()
    words = (" ".join(decode(part).split()) for part in _KEYWORD_SEPARATORS.split(value))
    return tuple(dict.fromkeys(w for w in words if w))


def enrich(pubs: Iterable[Publication], *, coauthors: Iterable[tuple[str, str]] = (),
           preview_base: str = "") -> tuple[list[Publication], list[Problem]]:
    """Publications with co-author links, preview URL and keywords filled in, plus problems found."""
    homepages = Coauthors(coauthors)
    out: list[Publication] = []
    problems: list[Problem] = []
    for pub in pubs:
        fields = dict(pub.fields)
        changes: dict[str, object] = {}
        if homepages:
            authors = tuple(a if a.owner or (url := homepages.url_of(a)) is None else replace(a, url=url)
                            for a in pub.authors)
            if authors != pub.authors:
                changes["authors"] = authors
        preview = fields.get("preview")
        if preview and preview.strip():
            url = safe_url(preview, preview_base)
            if url is None:
                problems.append(Problem(pub.path, pub.line, "warning", "PS301",
                                        f"entry '{pub.key}': preview '{preview.strip()}' is not an http(s) "
                                        "or site-relative URL; it is not shown"))
            else:
                changes["preview"] = url
        keywords = keywords_of(fields.get("keywords") or fields.get("keyword"))
        if keywords:
            changes["keywords"] = keywords
        out.append(replace(pub, **changes) if changes else pub)  # type: ignore[arg-type]
    return out, problems
