"""Repairs for the few syntax slips real bibliographies are full of.

A hand-edited bib file collects typos that BibTeX itself shrugs off or
misreads silently: a stray character after a field (``url={...},m``), a
missing comma between two fields, ``title{...}`` without ``=``, an entry whose
closing brace was deleted.  Rejecting the whole entry for these would hide a
good publication over one keystroke; ignoring them would hide the mistake.
So each one is repaired the only way it can sensibly be read, and reported
with the line of the slip so the user can fix the file.

Only slips with one obvious reading are repaired; anything else stays a parse
error.  Nothing here touches the user's file: repairs apply to the text in
memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# A BibTeX field name: what bibtexparser accepts after the stray text is cut off.
_FIELD_NAME = re.compile(r"[A-Za-z][\w\-:.+]*")
# ``name = value`` glued to the previous value by a missing comma.
_NEXT_FIELD = re.compile(r"\s*([A-Za-z][\w\-:.+]*)\s*=\s*(\S.*)", re.DOTALL)
_MISSING_EQUALS = re.compile(r"Expected a `=` after entry key, but found `[{\"]`")
_LAST_FIELD = re.compile(r"\n\s*[A-Za-z][\w\-:.+]*\s*=\s*(?:\{(?:[^{}\n]|\{[^{}\n]*\})*\}|\"[^\"\n]*\"|\w+)\s*,?$")
_UNCLOSED = ("Unexpected block start", "Unexpectedly reached end of file")


@dataclass(frozen=True)
class StrayKey:
    """A field name preceded by junk: ``'m\\n doi'`` is field ``doi`` after a stray ``m``."""

    name: str
    stray: str
    #: Lines between the junk and the field name (the junk is this many lines earlier).
    lines_before: int


@lru_cache(maxsize=4096)  # field names repeat in every entry
def stray_key(key: str) -> StrayKey | None:
    """Split a field name that swallowed the text before it, or None if the name is clean.

    >>> stray_key("m\\n doi")
    StrayKey(name='doi', stray='m', lines_before=1)
    >>> stray_key("doi") is None
    True
    """
    words = key.split()
    if len(words) < 2 or not _FIELD_NAME.fullmatch(words[-1]):
        return None
    stray = " ".join(words[:-1])
    tail = key.rstrip()
    name_start = len(tail) - len(words[-1])
    return StrayKey(words[-1], stray, key.count("\n", key.find(words[0]), name_start))


def split_glued_field(rest: str) -> tuple[str, str] | None:
    """``(name, raw value)`` when ``rest`` (text after a complete value) is another field.

    ``title={T}\\n year={2008}`` reaches us as one value whose text after
    ``{T}`` is ``year={2008}``: a comma was forgotten, and the remainder is a
    field of its own.
    """
    match = _NEXT_FIELD.fullmatch(rest)
    if not match:
        return None
    return match.group(1), match.group(2).strip()


@dataclass(frozen=True)
class BlockRepair:
    """A patched copy of a failed block's text and what was wrong with it."""

    text: str
    message: str
    #: Offset (in the patched text) of the place the slip was found.
    at: int


def repair_block(text: str, reason: str, error_at: int | None) -> BlockRepair | None:
    """Patch the text of one entry that failed to parse, or None when there is no single reading.

    ``text`` starts at the entry's ``@`` and ends where the next block starts;
    ``error_at`` is where the parser stopped, relative to ``text``.
    """
    if error_at is None or error_at <= 0:
        return None
    error_at = min(error_at, len(text))
    if _MISSING_EQUALS.search(reason):
        brace = error_at - 1
        name = re.search(r"([A-Za-z][\w\-:.+]*)\s*$", text[:brace])
        field = name.group(1) if name else "a field"
        return BlockRepair(text[:brace] + "=" + text[brace:],
                           f"'=' missing after field '{field}'; read as {field} = ...", brace)
    if reason.startswith(_UNCLOSED):
        body = text[:error_at].rstrip()
        # Only "one closing brace short" after a complete last field; an
        # unclosed *value* would otherwise swallow the fields after it.
        if body.count("{") - body.count("}") != 1 or not _LAST_FIELD.search(body):
            return None
        return BlockRepair(body + "}", "entry not closed ('}' missing); read up to the next entry",
                           len(body))
    return None
