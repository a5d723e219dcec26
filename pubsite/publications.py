"""From a raw BibTeX entry to the :class:`~pubsite.model.Publication` every format shows.

This is where the per-field modules meet: names, venues, links, dates and
status.  Problems found on the way are reported against the entry's file and
line; an entry is dropped only when it has nothing to show (no title).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Mapping

from .bib import MONTH_MACROS, RawEntry
from .errors import Problem
from .extras import from_fields
from .latex import decode
from .links import links_of
from .model import Publication, Status
from .names import Owners, comma_separated, parse_authors
from .venues import Venue, display, venue_of

_MONTHS = {name.lower(): index for index, name in enumerate(MONTH_MACROS.values(), 1)}
_MONTHS.update({abbr: index for index, abbr in enumerate(MONTH_MACROS, 1)})
_MONTHS.update({"sept": 9, "june": 6, "july": 7})
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_UPCOMING = ("forthcoming", "in press", "to appear", "accepted", "in print")
_STATUS_WORDS: tuple[tuple[str, Status], ...] = (
    ("to appear", "to-appear"), ("to-appear", "to-appear"), ("accepted", "to-appear"),
    ("in press", "to-appear"), ("forthcoming", "to-appear"),
    ("submitted", "submitted"), ("under review", "submitted"), ("under submission", "submitted"),
    ("in submission", "submitted"), ("preprint", "preprint"), ("published", "published"),
)
_TRUE = {"true", "yes", "1", "y", "on"}
_MARK_LEGEND = re.compile(r"([*∗†‡§¶#])\s*[:=\-–]?\s*([^;\n]+)")

Report = Callable[[str, str, str], None]
_new = object.__new__


def _new_publication(**values: object) -> Publication:
    """``Publication(**values)`` for every field, at a fraction of its cost (one per entry of a render).

    A frozen dataclass's ``__init__`` sets each of its 23 fields through
    ``object.__setattr__``; :class:`Publication` has no ``__post_init__``, so
    filling the instance's dictionary in field order makes the same object
    (tests hold the two equal on every entry of the corpora, and check that
    ``values`` names every field in order).
    """
    publication = _new(Publication)
    # Pairs, not the dict itself: updating an empty instance dict from a dict copies that
    # dict's own table, and every instance would keep a private copy of the field names
    # (600 bytes more each; 9 MB over large.bib) instead of sharing its class's.
    publication.__dict__.update(values.items())
    return publication


def parse_month(value: str | None) -> int | None:
    """1-12 from ``jul``, ``July``, ``{July}``, ``7``, ``07``, ``Sept``; None otherwise."""
    if not value:
        return None
    text = value.strip().strip("{}").strip().rstrip(".").lower()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(text) or _MONTHS.get(text[:3])


def parse_year(fields: Mapping[str, str]) -> tuple[int | None, int | None, str | None]:
    """(year, month, year_text) from ``year``/``month`` or BibLaTeX ``date``."""
    month = parse_month(fields.get("month"))
    raw = (fields.get("year") or "").strip()
    match = _YEAR.match(raw.strip("{}"))
    if match:
        return int(match.group(1)), month, None
    if raw:
        text = decode(raw)
        lowered = text.lower()
        if any(word in lowered for word in _UPCOMING):
            return None, month, text
    date = _DATE.match(fields.get("date") or "")
    if date:
        if month is None and date.group(2):
            month = parse_month(date.group(2))
        return int(date.group(1)), month, None
    if raw:
        return None, month, decode(raw)
    return None, month, None


def _status(fields: Mapping[str, str], venue: Venue, year_text: str | None) -> Status:
    for source in (fields.get("status"), fields.get("pubstate")):
        if source:
            lowered = decode(source).lower()
            for word, status in _STATUS_WORDS:
                if word in lowered:
                    return status
    if year_text and any(word in year_text.lower() for word in _UPCOMING):
        return "to-appear"
    note = (fields.get("note") or "").lower()
    for word, status in _STATUS_WORDS[:-2]:
        if word in note:
            return status
    if venue.is_preprint:
        return "preprint"
    return "published"


def _positions(value: str | None) -> frozenset[int]:
    if not value:
        return frozenset()
    return frozenset(int(part) for part in re.findall(r"\d+", value))


def _legend(fields: Mapping[str, str], configured: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    legend = dict(configured)
    for glyph, text in _MARK_LEGEND.findall(decode(fields.get("annotation") or "")):
        legend[glyph] = text.strip().rstrip(".")
    return tuple(legend.items())


def build(entry: RawEntry, owners: Owners, *, aliases: Mapping[str, str],
          venue_names: Mapping[str, str], file_base: str, preview_base: str = "",
          marks: Iterable[tuple[str, str]] = ()) -> tuple[Publication | None, list[Problem]]:
    """One publication (or None when there is nothing to show) and its problems."""
    problems: list[Problem] = []

    def warn(message: str, code: str) -> None:
        problems.append(Problem(entry.path, entry.line, "warning", code,
                                f"entry '{entry.key}': {message}"))

    fields = entry.field_dict
    title_raw = fields.get("title", "")
    title = decode(title_raw) if title_raw.strip() else ""
    if not title:
        problems.append(Problem(entry.path, entry.line, "error", "PS201",
                                f"entry '{entry.key}' has no title; it is skipped"))
        return None, problems
    author_field = fields.get("author")
    if author_field is None and entry.type in ("proceedings", "book", "collection"):
        author_field = fields.get("editor")
    authors, et_al = parse_authors(author_field or "", owners, _positions(fields.get("equal")))
    for role in ("author", "editor"):
        if fields.get(role) and comma_separated(fields[role]):
            warn(f"{role} names are separated by commas, not 'and' (BibTeX reads them as one "
                 "name); read as a list", "PS503")
    if not authors:
        warn("has no authors", "PS202")
    year, month, year_text = parse_year(fields)
    if year is None and not year_text:
        warn("has no year", "PS203")
    venue = venue_of(entry.type, fields, aliases, venue_names)
    links = links_of(fields, file_base, warn)
    arxiv = links.arxiv  # find_arxiv(fields), which links_of has looked for already
    status = _status(fields, venue, year_text)
    if venue.is_preprint and arxiv and venue.short in (None, "arXiv", "CoRR"):
        venue_line = f"arXiv preprint arXiv:{arxiv}"
    else:
        venue_line = display(venue, year, year_text if status != "to-appear" else None)
    preview, keywords = None, ()
    if "keywords" in fields or "preview" in fields or "keyword" in fields:  # most entries have none
        preview, keywords, bad = from_fields(fields, preview_base)
        if bad is not None:
            warn(f"preview '{bad}' is not an http(s) or site-relative URL; it is not shown", "PS301")
    award = fields.get("award_name") or fields.get("award")
    if award and award.strip().lower() in _TRUE:
        award = "Award"
    publication = _new_publication(
        key=entry.key,
        type=entry.type,
        title=title,
        authors=authors,
        year=year,
        month=month,
        venue=venue.name,
        venue_short=venue.short,
        status=status,
        links=links,
        selected=(fields.get("selected") or "").strip().lower() in _TRUE,
        et_al=et_al,
        year_text=year_text,
        award=decode(award) if award else None,
        abstract=decode(fields["abstract"]) if fields.get("abstract") else None,
        note=decode(fields["note"]) if fields.get("note") else None,
        venue_line=venue_line,
        mark_legend=_legend(fields, marks),
        preview=preview,
        keywords=keywords,
        path=entry.path,
        line=entry.line,
        fields=entry.fields,
    )
    return publication, problems
