"""Per-entry extras beyond the bibliography's own fields: co-author homepages, thumbnails, keywords.

Co-author homepages come from the site's table of them and are applied to
built publications (every output format then reads the same enriched model);
thumbnails and keywords come from the entry's own fields, read where the
entry is built (see :func:`from_fields`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Mapping

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


def enrich(pubs: Iterable[Publication], *, coauthors: Iterable[tuple[str, str]] = ()) -> list[Publication]:
    """Publications with the configured co-authors' homepages linked."""
    homepages = Coauthors(coauthors)
    if not homepages:
        return list(pubs)
    out: list[Publication] = []
    for pub in pubs:
        authors = tuple(a if a.owner or (url := homepages.url_of(a)) is None else replace(a, url=url)
                        for a in pub.authors)
        out.append(changed(pub, {"authors": authors}) if authors != pub.authors else pub)
    return out


def from_fields(fields: Mapping[str, str], preview_base: str) -> tuple[str | None, tuple[str, ...], str | None]:
    """The preview URL and keywords an entry's fields give, and a preview that is no usable URL.

    Read where the entry is built (the preview's folder is a build setting,
    as the folder of bare file links is), so that an entry kept in the render
    cache keeps them too.
    """
    preview = fields.get("preview")
    url = bad = None
    if preview and preview.strip():
        url = safe_url(preview, preview_base)
        if url is None:
            bad = preview.strip()
    return url, keywords_of(fields.get("keywords") or fields.get("keyword")), bad


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
