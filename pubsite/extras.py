"""Per-entry extras that depend on the site's config: co-author homepages, thumbnails, keywords.

They are applied to built publications rather than inside the BibTeX-to-model
step, because they come from the site's settings (a table of homepages, where
preview images live), not from the entry alone; every output format then reads
the same enriched model.
"""

from __future__ import annotations

import re
from dataclasses import replace
from operator import itemgetter
from typing import Iterable, Mapping

from .errors import Problem
from .latex import decode
from .links import safe_url
from .model import Author, Publication
from .names import Owners, fold, split_name

_KEYWORD_SEPARATORS = re.compile(r"[,;]")

#: The fields :func:`enrich` reads; most entries have none of them.
_READ = frozenset({"preview", "keywords", "keyword"})
_NAME = itemgetter(0)


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
        changes: dict[str, object] = {}
        if homepages:
            authors = tuple(a if a.owner or (url := homepages.url_of(a)) is None else replace(a, url=url)
                            for a in pub.authors)
            if authors != pub.authors:
                changes["authors"] = authors
        if not _READ.isdisjoint(map(_NAME, pub.fields)):  # checking names costs a third of a dict
            problem = _from_fields(pub, dict(pub.fields), preview_base, changes)
            if problem is not None:
                problems.append(problem)
        out.append(changed(pub, changes) if changes else pub)
    return out, problems


def _from_fields(pub: Publication, fields: Mapping[str, str], preview_base: str,
                 changes: dict[str, object]) -> Problem | None:
    """Adds the preview URL and keywords of the entry's ``fields`` to ``changes``; a bad preview's problem."""
    problem = None
    preview = fields.get("preview")
    if preview and preview.strip():
        url = safe_url(preview, preview_base)
        if url is None:
            problem = Problem(pub.path, pub.line, "warning", "PS301",
                              f"entry '{pub.key}': preview '{preview.strip()}' is not an http(s) "
                              "or site-relative URL; it is not shown")
        else:
            changes["preview"] = url
    keywords = keywords_of(fields.get("keywords") or fields.get("keyword"))
    if keywords:
        changes["keywords"] = keywords
    return problem


def changed(pub: Publication, changes: Mapping[str, object]) -> Publication:
    """``dataclasses.replace(pub, **changes)`` at a fifth of its cost (a sixth of the entries of a large
    bibliography get keywords here).

    ``replace`` calls ``__init__`` with every field by name, and a frozen
    dataclass's ``__init__`` sets each through ``object.__setattr__``; a
    :class:`Publication` has no ``__post_init__`` and nothing else its
    constructor would add, so copying the attributes makes the same object (a
    test holds the two equal, and checks the class still has no such hook).
    """
    copy = object.__new__(type(pub))
    attributes = copy.__dict__
    attributes.update(pub.__dict__.items())  # pairs: see publications._new_publication
    attributes.update(changes)
    return copy
