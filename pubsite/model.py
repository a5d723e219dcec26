"""The one model every output format reads.

Templates, JSON, Markdown and the checks all consume these frozen dataclasses,
so the formats cannot drift apart.  Everything here is already decoded to
Unicode and validated; nothing is escaped (escaping happens at the output edge).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["published", "to-appear", "preprint", "submitted"]


@dataclass(frozen=True)
class Author:
    """One author as displayed: ``name`` is "Given Family[ Suffix]"."""

    name: str
    given: str
    family: str
    owner: bool = False
    equal: bool = False
    #: Other contribution marks typed after the name (``†``, ``‡``...), in order.
    marks: tuple[str, ...] = ()
    #: Homepage of a co-author, from the ``[coauthors]`` table of config.
    url: str | None = None


@dataclass(frozen=True)
class Link:
    """A labelled link shown after the venue (``[.pdf]``, ``[code]``...)."""

    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class Links:
    """The well-known links of an entry plus every other labelled link.

    ``arxiv`` and ``doi`` are identifiers (not URLs), as in the JSON contract;
    ``all`` is the display list in a fixed order.
    """

    pdf: str | None = None
    arxiv: str | None = None
    doi: str | None = None
    code: str | None = None
    all: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Publication:
    """One rendered entry of the bibliography."""

    key: str
    type: str
    title: str
    authors: tuple[Author, ...]
    year: int | None
    month: int | None
    venue: str | None
    venue_short: str | None
    status: Status
    links: Links
    selected: bool = False
    #: True when the author list ended in "and others".
    et_al: bool = False
    #: Text for a non-numeric year ("forthcoming", "in press").
    year_text: str | None = None
    award: str | None = None
    abstract: str | None = None
    note: str | None = None
    #: "arXiv preprint arXiv:2004.09125"-style line when the venue is a preprint server.
    venue_line: str = ""
    #: Legend for marks other than "*", from the entry's ``annotation`` field.
    mark_legend: tuple[tuple[str, str], ...] = ()
    #: Thumbnail URL from the ``preview`` field, already checked safe.
    preview: str | None = None
    #: The ``keywords`` field, split and decoded, in file order.
    keywords: tuple[str, ...] = ()
    #: Where the entry was read from, for messages.
    path: str = ""
    line: int = 0
    #: The entry's fields after macro expansion, raw LaTeX, in file order.
    fields: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def has_equal(self) -> bool:
        return any(a.equal for a in self.authors)


@dataclass(frozen=True)
class NewsItem:
    """One news line; ``html`` is sanitised inline Markdown, safe to embed as-is."""

    date: str
    text: str
    html: str
    link: str | None = None
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class Site:
    """Everything one render needs: the ordered publications and news."""

    publications: tuple[Publication, ...]
    news: tuple[NewsItem, ...]
    title: str = "Publications"
    #: The profile's bio as sanitised HTML when it was made with the news, which need the same
    #: Markdown reader (see :func:`pubsite.site.build_site`); None: made from the config when shown.
    bio: str | None = None
