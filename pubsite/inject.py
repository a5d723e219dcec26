"""Swapping pubsite's output into a page the user wrote, between marker comments.

A page holds one or more regions::

    <!-- pubsite:start -->            the whole fragment (news, then publications)
    <!-- pubsite:start news -->       the news section only
    <!-- pubsite:start publications --> the publications section only

each closed by ``<!-- pubsite:end -->`` (or ``<!-- pubsite:end NAME -->``).
Only the text between a pair changes; every other byte of the file, front
matter and line endings included, is kept, so the user's page is never
reformatted and a second run changes nothing.  Marker trouble (a missing,
duplicated, misordered or unclosed marker) raises before anything is written,
naming the file and line, because guessing where the user meant the output to
go is how a page gets mangled.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Mapping

from .errors import PubsiteError

#: Section names a region may carry, and what each one renders.
SECTIONS: dict[str | None, tuple[str, ...]] = {
    None: ("news", "publications"),
    "news": ("news",),
    "publications": ("publications",),
}

_MARKER = re.compile(r"<!--[ \t]*pubsite:(?P<kind>start|end)(?:[ \t]+(?P<name>[^\s>]+))?[ \t]*-->")
_ANY_MARKER = re.compile(r"<!--[ \t]*pubsite:")


@dataclass(frozen=True)
class Region:
    """One marker pair: its name and the span of text between the two markers."""

    name: str | None
    start: int  # offset just after the start marker
    end: int  # offset of the end marker
    line: int  # 1-based line of the start marker

    @property
    def sections(self) -> tuple[str, ...]:
        return SECTIONS[self.name]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _label(name: str | None) -> str:
    return f"'pubsite:start {name}'" if name else "'pubsite:start'"


def find_regions(text: str, path: str) -> list[Region]:
    """Every marker pair of ``text`` in file order; raise on any marker trouble.

    A comment that starts like a marker but is not one (``<!-- pubsite:begin -->``)
    is an error too: a typo in a marker must not silently leave the page stale.
    """
    regions: list[Region] = []
    open_name: str | None = None
    open_at: tuple[int, int] | None = None  # (offset after marker, line)
    seen: dict[str, int] = {}  # section -> line of the region holding it
    for found in _ANY_MARKER.finditer(text):
        line = _line_of(text, found.start())
        marker = _MARKER.match(text, found.start())
        if marker is None:
            raise PubsiteError("malformed pubsite marker; expected '<!-- pubsite:start [NAME] -->' "
                               "or '<!-- pubsite:end [NAME] -->'", path, line)
        name = marker.group("name")
        if marker.group("kind") == "start":
            if name not in SECTIONS:
                close = difflib.get_close_matches(name or "", [s for s in SECTIONS if s], n=1, cutoff=0.4)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise PubsiteError(f"unknown pubsite region '{name}'{hint}; "
                                   "use 'news', 'publications' or no name", path, line)
            if open_at is not None:
                raise PubsiteError(f"{_label(name)} before the region opened on line {open_at[1]} "
                                   "is closed with 'pubsite:end'", path, line)
            for section in SECTIONS[name]:
                if section in seen:
                    raise PubsiteError(f"duplicate marker: the {section} section already has a region "
                                       f"(line {seen[section]})", path, line)
                seen[section] = line
            open_name, open_at = name, (marker.end(), line)
        else:
            if open_at is None:
                raise PubsiteError("'pubsite:end' without a 'pubsite:start' before it", path, line)
            if name is not None and name != open_name:
                raise PubsiteError(f"'pubsite:end {name}' closes {_label(open_name)} of line {open_at[1]}",
                                   path, line)
            regions.append(Region(open_name, open_at[0], marker.start(), open_at[1]))
            open_name, open_at = None, None
    if open_at is not None:
        raise PubsiteError(f"{_label(open_name)} is never closed with 'pubsite:end'", path, open_at[1])
    if not regions:
        raise PubsiteError("no '<!-- pubsite:start -->' ... '<!-- pubsite:end -->' markers; add them "
                           "where the output should go", path)
    return regions


def newline_of(text: str) -> str:
    """The file's own line ending, judged by its first line, so CRLF files stay CRLF."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def front_matter(text: str) -> str | None:
    """``yaml`` for a ``---`` first line, ``toml`` for ``+++``, else None (BOM ignored)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r").rstrip()
    return {"---": "yaml", "+++": "toml"}.get(first)


def splice(text: str, regions: list[Region], contents: Mapping[str | None, str]) -> str:
    """``text`` with each region's inside replaced by ``contents[region.name]``.

    The new inside is a line break, the content (in the file's line endings, ending
    with one), then the end marker: stable, so splicing the same content twice is a
    no-op.
    """
    newline = newline_of(text)
    out: list[str] = []
    position = 0
    for region in regions:
        body = contents[region.name]
        if body and not body.endswith("\n"):
            body += "\n"
        body = body.replace("\r\n", "\n")
        if newline != "\n":
            body = body.replace("\n", newline)
        out.append(text[position:region.start])
        out.append(newline + body)
        position = region.end
    out.append(text[position:])
    return "".join(out)


def inject(text: str, path: str, contents: Mapping[str | None, str]) -> str:
    """Replace every region of ``text`` (the file at ``path``) with its content.

    Raises :class:`PubsiteError` for marker trouble, and also when the content
    itself would carry a marker (it cannot: inputs are escaped; the check makes a
    second run provably see the same regions).
    """
    regions = find_regions(text, path)
    result = splice(text, regions, contents)
    again = find_regions(result, path)
    if [r.name for r in again] != [r.name for r in regions]:  # pragma: no cover - a bug, not input
        raise PubsiteError("rendered output contains a pubsite marker; refusing to write", path)
    return result
