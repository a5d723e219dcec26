"""Where each entry and each field sits in a BibTeX file's original text.

``import`` must leave every entry it does not change byte-for-byte as the
user wrote it, so it never re-serialises a file: it edits the original text
in place.  For that it needs exact character offsets, which bibtexparser does
not give (only a start line and the block's text).  This module turns those
into offsets in the file as it is on disk, whatever its line endings, and
scans one entry's fields into spans that an edit can splice.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Sequence

from .bib import RawEntry, _braced_end, _quoted_end

_NEWLINE = re.compile(r"\r\n|\r|\n")
_HEAD = re.compile(r"@\s*([A-Za-z][\w-]*)\s*([{(])\s*")
_NAME = re.compile(r"[^\s=,{}()\"#%]+")
_BARE = re.compile(r"[^\s,#{}()\"]+")


@dataclass(frozen=True)
class FieldSpan:
    """One ``name = value`` of an entry; offsets are into the entry's own text."""

    name: str
    start: int
    name_end: int
    value_start: int
    value_end: int
    #: Index of the comma that follows the value, or None (last field, no trailing comma).
    comma: int | None

    def value_text(self, text: str) -> str:
        return text[self.value_start:self.value_end]


@dataclass(frozen=True)
class EntryText:
    """One entry's text with the spans an edit needs (offsets into ``text``)."""

    text: str
    type_start: int
    type_end: int
    key_start: int
    key_end: int
    #: Index just past the comma after the key (or past the key when there is none).
    head_end: int
    #: Index of the closing ``}`` or ``)``.
    close: int
    fields: tuple[FieldSpan, ...]

    @property
    def type(self) -> str:
        return self.text[self.type_start:self.type_end]

    @property
    def key(self) -> str:
        return self.text[self.key_start:self.key_end]

    def field(self, name: str) -> FieldSpan | None:
        """The first field of that name, as BibTeX (and ``bib``) use the first of duplicates."""
        for span in self.fields:
            if span.name == name:
                return span
        return None

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _value_end(text: str, pos: int) -> int:
    """End of a value (pieces joined by ``#``) starting at ``pos``, or -1."""
    while True:
        if pos >= len(text):
            return -1
        char = text[pos]
        if char == "{":
            end = _braced_end(text, pos)
        elif char == '"':
            end = _quoted_end(text, pos)
        else:
            match = _BARE.match(text, pos)
            end = match.end() if match else -1
        if end <= pos:
            return -1
        after = _skip_space(text, end)
        if after < len(text) and text[after] == "#":
            pos = _skip_space(text, after + 1)
            continue
        return end


def scan_entry(text: str) -> EntryText | None:
    """Spans of one entry's text (``@type{key, name = value, ...}``); None when unusual.

    None means "do not edit this entry": the caller leaves it as it is rather
    than risk damaging text it does not understand.
    """
    head = _HEAD.match(text)
    if head is None:
        return None
    close_char = "}" if head.group(2) == "{" else ")"
    key_start = head.end()
    pos = key_start
    while pos < len(text) and text[pos] not in ",}) \t\r\n":
        pos += 1
    key_end = pos
    pos = _skip_space(text, pos)
    fields: list[FieldSpan] = []
    if pos < len(text) and text[pos] == ",":
        pos += 1
    head_end = pos
    while True:
        pos = _skip_space(text, pos)
        if pos >= len(text):
            return None
        if text[pos] == close_char:
            break
        name = _NAME.match(text, pos)
        if name is None:
            return None
        after_name = _skip_space(text, name.end())
        if after_name >= len(text) or text[after_name] != "=":
            return None
        value_start = _skip_space(text, after_name + 1)
        value_end = _value_end(text, value_start)
        if value_end < 0:
            return None
        pos = _skip_space(text, value_end)
        comma = None
        if pos < len(text) and text[pos] == ",":
            comma = pos
            pos += 1
        elif pos >= len(text) or text[pos] != close_char:
            return None
        fields.append(FieldSpan(name.group(0).lower(), name.start(), name.end(),
                                value_start, value_end, comma))
    if pos != len(text) - 1:
        return None
    return EntryText(text, head.start(1), head.end(1), key_start, key_end, head_end, pos,
                     tuple(fields))


class LineMap:
    """Offsets in the original text from (line, column) of its newline-normalised copy.

    ``bib.read_text`` turns CRLF and CR into LF before parsing; columns within
    a line are the same in both texts, so only line starts need mapping.
    """

    def __init__(self, original: str):
        self.original = original
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(original)]
        self.normalised = _NEWLINE.sub("\n", original)
        self.norm_starts = [0] + [m.end() for m in re.finditer("\n", self.normalised)]

    def to_original(self, norm_pos: int) -> int:
        line = bisect.bisect_right(self.norm_starts, norm_pos) - 1
        return self.starts[line] + (norm_pos - self.norm_starts[line])


def locate(original: str, entries: Sequence[RawEntry]) -> dict[int, tuple[int, int]]:
    """``{index in entries: (start, end)}`` of each entry's text in ``original``.

    Entries whose text cannot be found where bibtexparser said it starts are
    left out; the caller then refuses to edit them.
    """
    lines = LineMap(original)
    norm = lines.normalised
    found: dict[int, tuple[int, int]] = {}
    for index, entry in enumerate(entries):
        if not entry.raw or entry.line < 1 or entry.line > len(lines.norm_starts):
            continue
        line_start = lines.norm_starts[entry.line - 1]
        pos = norm.find(entry.raw, line_start)
        next_line = lines.norm_starts[entry.line] if entry.line < len(lines.norm_starts) else len(norm) + 1
        if pos < 0 or pos >= next_line:
            continue
        found[index] = (lines.to_original(pos), lines.to_original(pos + len(entry.raw)))
    return found
