"""Reading BibTeX files into raw entries, tolerating what real exports contain.

Splitting into blocks is :mod:`pubsite.splitter` (bibtexparser v2's rules,
with a fast path for the common entry shape); we expand ``@string`` macros
and ``#`` concatenation ourselves, because bibtexparser 2.1 leaves
concatenations unresolved.  Nothing is decoded here:
LaTeX decoding is costly and only displayed fields need it (see ``latex``).

Every block that cannot be used becomes a :class:`~pubsite.errors.Problem`
with its file and 1-based line; the other entries are returned as usual.
"""

from __future__ import annotations

import os
import re
from itertools import islice
from sys import intern
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .errors import Problem, PubsiteError
from .splitter import Block, LineEntry
from .repair import repair_block, split_glued_field, stray_key

MONTH_MACROS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April",
    "may": "May", "jun": "June", "jul": "July", "aug": "August",
    "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}

@dataclass(frozen=True)
class RawEntry:
    """One BibTeX entry with macros expanded, still raw LaTeX.

    ``fields`` keeps file order and lower-cased names; ``line`` is 1-based.
    """

    key: str
    type: str
    fields: tuple[tuple[str, str], ...]
    path: str
    line: int
    raw: str = ""

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.fields:
            if key == name:
                return value
        return default

    @property
    def field_dict(self) -> dict[str, str]:
        return dict(self.fields)


def read_text(path: str | os.PathLike[str], display: str) -> tuple[str, list[Problem]]:
    """Read a bib file as text; Latin-1 files are read but reported.

    A UTF-8 BOM and CRLF line endings are accepted silently: editors on Windows
    produce them and they mean nothing.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise PubsiteError("file not found", display) from None
    except IsADirectoryError:
        raise PubsiteError("is a directory, not a BibTeX file", display) from None
    except OSError as exc:
        raise PubsiteError(f"cannot read file: {exc.strerror}", display) from None
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("cp1252", errors="replace")
        problems.append(Problem(display, line, "warning", "PS002",
                                "file is not UTF-8 (read as Latin-1/Windows-1252); save it as UTF-8"))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


_TOKEN = re.compile(r'\s*(?:(\{)|(")|(\d+)|([^\s#{}"]+))\s*')


_BRACE = re.compile(r"[{}]")
_QUOTE_OR_BRACE = re.compile(r'[{}"]')


def _braced_end(text: str, start: int) -> int:
    """Index just past the brace group opening at ``start`` (or -1 if unbalanced).

    Only braces matter, so a regex jumps between them: values are long and
    every field of every entry goes through here.
    """
    depth = 0
    for match in _BRACE.finditer(text, start):
        if match.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.end()
    return -1


def _quoted_end(text: str, start: int) -> int:
    depth = 0
    for match in _QUOTE_OR_BRACE.finditer(text, start + 1):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and text[match.start() - 1] != "\\":
            return match.end()
    return -1


class MalformedValue(ValueError):
    """A field value that is not braces, quotes, a number or macros joined by ``#``.

    ``at`` is where unexpected text follows a complete value (a missing comma
    glues the next field on), or None for other defects.
    """

    def __init__(self, message: str, at: int | None = None):
        super().__init__(message)
        self.at = at


def expand(value: str, strings: dict[str, str], undefined: list[str] | None = None) -> str:
    """Resolve one raw field value: braces, quotes, numbers, macros and ``#``.

    >>> expand('icml # " 2023"', {"icml": "ICML"})
    'ICML 2023'
    >>> expand("{A {B} C}", {})
    'A {B} C'

    :raises MalformedValue: for text BibTeX itself would reject (``{2020} journal={X}``).
    """
    # The two shapes nearly every value has, decided without a scan when no
    # inner brace or quote can change the answer.
    if value.startswith("{") and value.endswith("}"):
        inner = value[1:-1]
        if ("{" not in inner and "}" not in inner) or _braced_end(value, 0) == len(value):
            return inner
    elif value.startswith('"') and value.endswith('"') and len(value) > 1:
        inner = value[1:-1]
        if '"' not in inner:
            # Depth is only looked at on a quote, so only the closing one counts.
            if inner.count("{") == inner.count("}") and not inner.endswith("\\"):
                return inner
        elif _quoted_end(value, 0) == len(value):
            return inner
    if value.isdigit():
        return value
    parts: list[str] = []
    pos = 0
    length = len(value)
    while pos < length:
        while pos < length and value[pos].isspace():
            pos += 1
        if pos >= length:
            break
        char = value[pos]
        if char == "{":
            end = _braced_end(value, pos)
            if end < 0:
                raise MalformedValue("unbalanced braces")
            parts.append(value[pos + 1:end - 1])
        elif char == '"':
            end = _quoted_end(value, pos)
            if end < 0:
                raise MalformedValue("unterminated quote")
            parts.append(value[pos + 1:end - 1])
        else:
            end = pos
            while end < length and value[end] not in '#{}"' and not value[end].isspace():
                end += 1
            if end == pos:
                raise MalformedValue(f"unexpected '{value[pos]}'")
            parts.append(_word(value[pos:end], strings, undefined))
        pos = end
        while pos < length and value[pos].isspace():
            pos += 1
        if pos < length:
            if value[pos] != "#":
                raise MalformedValue("text after the value (a missing comma?)", at=pos)
            pos += 1
    return "".join(parts)


def _word(word: str, strings: dict[str, str], undefined: list[str] | None) -> str:
    """One bare word of a value: a number, a macro, or (reported) itself."""
    if word.isdigit():
        return word
    lowered = word.lower()
    if lowered in strings:
        return strings[lowered]
    if lowered in MONTH_MACROS:
        return MONTH_MACROS[lowered]
    if undefined is not None:
        undefined.append(word)
    return word


_NEWLINE = re.compile("\n")


def _line_offset(text: str, line: int, known: tuple[int, int] = (0, 0)) -> int:
    """Offset of the start of 0-based ``line`` (only computed for the rare failed block).

    ``known`` is (offset, line) of a line start at or before it, so a second
    look-up further down the file walks only the lines in between.
    """
    start, start_line = known
    if line <= start_line:
        return start if line == start_line else _line_offset(text, line)
    # The regex engine walks the newlines; a Python loop took a noticeable time deep in a large file.
    newline = next(islice(_NEWLINE.finditer(text, start), line - start_line - 1, None), None)
    return newline.end() if newline is not None else len(text)


def _last_non_space(text: str, end: int) -> int:
    """Index of the last non-whitespace character before ``end`` (-1 if none), without copying the text."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end - 1


def _repair_failed(text: str, block: Block, next_line: int | None, path: str,
                   problems: list[Problem]) -> tuple[list[Block], int | None]:
    """Entries recovered from a block bibtexparser gave up on, and the line of the slip.

    The block's text (up to the next real block, at 0-based ``next_line``) is patched in memory and
    parsed again on its own; padding with newlines keeps line numbers true.
    """
    from bibtexparser import model

    from .splitter import _convert, parse_blocks

    reason = block.reason
    end_index = block.end_index
    raw = block.raw
    start_line = block.line
    line_start = _line_offset(text, start_line)
    start = text.find(raw, line_start) if raw else -1
    if start < 0 or end_index is None:
        return [], None
    # The line of the last thing read before the parser gave up (counted from the block's line:
    # start_line newlines come before line_start, and a large file has many).
    slip = max(_last_non_space(text, min(end_index, len(text))), 0)
    if slip >= line_start:
        slip_line = start_line + text.count("\n", line_start, slip) + 1
    else:
        slip_line = text.count("\n", 0, slip) + 1
    stop = len(text)
    if next_line is not None:
        found = text.find("@", _line_offset(text, next_line, (line_start, start_line)))
        stop = found if found >= 0 else stop
    patch = repair_block(text[start:stop], reason, end_index - start)
    if patch is None:
        return [], slip_line
    # Read alone and shifted to its line: bibtexparser took a long time over newlines put before it.
    again = parse_blocks(patch.text)
    entries = [b for b in again if isinstance(b, (model.Entry, model.DuplicateFieldKeyBlock))]
    failed = any(isinstance(b, model.ParsingFailedBlock) for b in again)
    if len(entries) != 1 or failed and not isinstance(entries[0], model.DuplicateFieldKeyBlock):
        return [], slip_line
    line = start_line + patch.text.count("\n", 0, patch.at) + 1
    found = entries[0]
    key = found.ignore_error_block.key if isinstance(found, model.DuplicateFieldKeyBlock) else found.key
    problems.append(Problem(path, line, "warning", "PS502", f"entry '{key}': {patch.message}"))
    return _convert(entries, start_line), slip_line


def parse_text(text: str, path: str, *, reference: bool = False) -> tuple[list[RawEntry], list[Problem]]:
    """Parse BibTeX text; ``path`` is only used in messages and records.

    Blocks come from :func:`pubsite.splitter.split`, which agrees with
    bibtexparser exactly; ``reference=True`` uses bibtexparser alone (for tests).
    """
    from .splitter import line_block, split_records, split_with_bibtexparser

    blocks: list[Block | LineEntry] = list(split_with_bibtexparser(text)) if reference else split_records(text)
    problems: list[Problem] = []
    strings: dict[str, str] = {}
    defined: set[str] = set()
    entries: list[RawEntry] = []
    seen: dict[str, int] = {}
    referring: list[int] = []  # the entries that may have a crossref field

    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if type(block) is tuple:
            # Most entries: read from the splitter's tuple, without a Block (see _plain_line_fields).
            line = block[0] + 1
            key = block[1]
            lowered = key.lower()
            plain = None if lowered in seen else _plain_line_fields(block, strings)
            if plain is None:
                block = line_block(block)
            else:
                seen[lowered] = line
                fields, crossref = plain
                if crossref:
                    referring.append(len(entries))
                entries.append(_raw_entry(key, block[2].lower(), fields, path, line, block[3]))
                continue
        line = block.line + 1
        if block.kind == "string":
            if block.key in defined:  # bibtexparser keeps the first definition of a name
                continue
            defined.add(block.key)
            try:
                strings[block.key.lower()] = expand(block.value, strings)
            except MalformedValue as exc:
                problems.append(Problem(path, line, "error", "PS001",
                                        f"@string '{block.key}': {exc}"))
            continue
        if block.kind == "other":
            continue
        if block.kind == "failed":
            following = blocks[index] if index < len(blocks) else None
            next_line = None if following is None else following[0] if type(following) is tuple else following.line
            recovered, slip_line = _repair_failed(text, block, next_line, path, problems)
            if recovered:
                blocks[index:index] = recovered
                continue
            message = block.message
            if slip_line is not None and slip_line != line:
                message += f" (entry starts at line {line})"
            problems.append(Problem(path, slip_line or line, "error", "PS001", message))
            continue
        key = block.key
        if block.duplicate_fields:
            names = sorted({f[0].lower() for f in block.fields
                            if sum(g[0].lower() == f[0].lower() for g in block.fields) > 1})
            problems.append(Problem(path, line, "warning", "PS104",
                                    f"entry '{key}' gives field(s) {', '.join(names)} twice; "
                                    "the first value is used"))
        if key.lower() in seen:
            problems.append(Problem(path, line, "error", "PS102",
                                    f"duplicate key '{key}' (first defined at line {seen[key.lower()]}); "
                                    "this entry is skipped"))
            continue
        seen[key.lower()] = line
        fields, crossref = _fields(block, key, strings, path, problems)
        if crossref:
            referring.append(len(entries))
        entries.append(_raw_entry(key, block.type.lower(), tuple(fields), path, line, block.raw))
    return _resolve_crossrefs(entries, referring, problems), problems


_new = object.__new__


def _raw_entry(key: str, type: str, fields: tuple[tuple[str, str], ...], path: str, line: int,
               raw: str) -> RawEntry:
    """``RawEntry(key, type, fields, path, line, raw)``, made without its ``__init__``.

    A frozen dataclass sets each attribute through ``object.__setattr__``,
    a noticeable cost over every entry of a large file; the instance is the same.
    """
    entry = _new(RawEntry)
    # One key at a time: an empty instance dict updated from a dict (keywords are one) copies
    # that dict's table, and every entry would keep its own copy of the field names.
    attributes = entry.__dict__
    attributes["key"], attributes["type"], attributes["fields"] = key, type, fields
    attributes["path"], attributes["line"], attributes["raw"] = path, line, raw
    return entry


#: Raw field name -> its lower-cased, interned form, or "" for a name that needs the careful path.
_PLAIN_NAMES: dict[str, str] = {}


def _plain_name(raw_name: str) -> str:
    """``raw_name`` lower-cased if it needs no repair or report, else ""; remembered per spelling."""
    name = intern(raw_name.lower())
    plain = name if name.strip() and stray_key(raw_name) is None else ""
    if len(_PLAIN_NAMES) < 4096:  # names repeat in every entry; a file of odd ones must not grow this forever
        _PLAIN_NAMES[raw_name] = plain
    return plain


def _plain_fields(raw_fields: list[tuple[str, str, int]],
                  strings: dict[str, str]) -> tuple[list[tuple[str, str]], bool] | None:
    """What :func:`_fields` gives for an entry with nothing to report, or None (then it reads it).

    Nearly every entry has clean, distinct names and values that are one brace
    group without inner braces; those skip the per-field bookkeeping that
    repairs and reports need, and the call to :func:`expand`.
    """
    fields: list[tuple[str, str]] = []
    names = _PLAIN_NAMES
    undefined: list[str] = []
    for raw_name, value, _ in raw_fields:
        name = names.get(raw_name)
        if name is None:
            name = _plain_name(raw_name)
        if not name:
            return None
        first = value[:1]
        if first == "{":
            if value[-1:] == "}":
                inner = value[1:-1]
                if "{" not in inner and "}" not in inner:
                    fields.append((name, inner))
                    continue
        elif first == '"':
            if value[-1:] == '"' and len(value) > 1:
                inner = value[1:-1]
                # As in expand: with no inner quote, only the closing one is read at depth.
                if '"' not in inner and inner.count("{") == inner.count("}") and inner[-1:] != "\\":
                    fields.append((name, inner))
                    continue
        elif value.isdigit():
            fields.append((name, value))
            continue
        try:
            fields.append((name, expand(value.strip(), strings, undefined)))
        except MalformedValue:
            return None
    seen = {name for name, _ in fields}
    if undefined or len(seen) != len(fields):
        return None
    return fields, "crossref" in seen


#: Raw field names of an entry, in order -> (their lower-cased forms, whether "crossref" is one),
#: or None when one needs the careful path or two are the same once lower-cased.
_NAME_PLANS: dict[tuple[str, ...], tuple[tuple[str, ...], bool] | None] = {}


def _name_plan(raw_names: tuple[str, ...]) -> tuple[tuple[str, ...], bool] | None:
    """What :data:`_NAME_PLANS` holds for ``raw_names``, remembered: most entries of a file share a few orders."""
    names = _PLAIN_NAMES
    lowered = tuple([names.get(raw) or _plain_name(raw) for raw in raw_names])
    plan = None
    if "" not in lowered and len(set(lowered)) == len(lowered):
        plan = lowered, "crossref" in lowered
    if len(_NAME_PLANS) < 4096:  # as _PLAIN_NAMES: bounded for files of odd names
        _NAME_PLANS[raw_names] = plan
    return plan


_UNKNOWN = ((), False)


def _plain_line_fields(entry: LineEntry,
                       strings: dict[str, str]) -> tuple[tuple[tuple[str, str], ...], bool] | None:
    """What :func:`_fields` gives for an entry the splitter left as a tuple, if it has nothing to report.

    :func:`_plain_fields`, with two steps taken once for many fields: the names
    are judged once per order of names, and a value the splitter found plain
    is its own plain text (what :func:`expand` gives), a one-word value is read as
    :func:`expand` reads a word, and only the others are expanded.
    Values from that layout have no surrounding space to strip.
    """
    raw_names, values, plains, words = entry[4], entry[5], entry[6], entry[7]
    plan = _NAME_PLANS.get(raw_names, _UNKNOWN)
    if plan is _UNKNOWN:
        plan = _name_plan(raw_names)
    if plan is None:
        return None
    if None in plains:
        undefined: list[str] = []
        try:
            plains = tuple([plain if plain is not None
                            else _word(word, strings, undefined) if word is not None
                            else expand(value, strings, undefined)
                            for value, plain, word in zip(values, plains, words)])
        except MalformedValue:
            return None
        if undefined:
            return None
    return tuple(zip(plan[0], plains)), plan[1]  # type: ignore[arg-type]


def _fields(entry: Block, key: str, strings: dict[str, str], path: str,
            problems: list[Problem]) -> tuple[list[tuple[str, str]], bool]:
    """Expanded fields of one entry, first value of a repeated field, slips repaired and reported.

    The flag says whether the entry may have a ``crossref`` field, so that
    resolving them need not look through every entry.
    """
    plain = _plain_fields(entry.fields, strings)
    if plain is not None:
        return plain
    fields: list[tuple[str, str]] = []
    names: set[str] = set()
    undefined: list[str] = []
    entry_line = entry.line + 1
    for raw_name, raw_value, start_line in entry.fields:
        name = intern(raw_name.lower())
        stray = stray_key(raw_name)
        if stray is None and name not in names and name.strip():
            # The common case, without the bookkeeping repairs need.
            try:
                fields.append((name, expand(raw_value.strip(), strings, undefined)))
                names.add(name)
                continue
            except MalformedValue:
                pass
        field_line = start_line + 1
        if stray is not None:
            name = stray.name.lower()
            problems.append(Problem(path, field_line - stray.lines_before, "warning", "PS502",
                                    f"entry '{key}': stray text '{stray.stray}' before field "
                                    f"'{name}'; ignored"))
        if not name.strip():
            problems.append(Problem(path, field_line, "error", "PS106",
                                    f"entry '{key}': a value without a field name; it is ignored"))
            continue
        pending = [(name, raw_value.strip(), field_line)]
        while pending:
            name, raw, value_line = pending.pop()
            if name in names:
                continue
            names.add(name)
            try:
                fields.append((name, expand(raw, strings, undefined)))
                continue
            except MalformedValue as exc:
                # Its message, not the exception: kept in a local, the exception's traceback would
                # hold this frame, and the callers' (every entry of the file), in a reference cycle.
                error, at = str(exc), exc.at
            glued = split_glued_field(raw[at:]) if at is not None else None
            if at is None or glued is None:
                problems.append(Problem(path, value_line, "error", "PS106",
                                        f"entry '{key}': field '{name}' is malformed ({error}); "
                                        "the field is ignored"))
                continue
            head = raw[:at].rstrip()
            problems.append(Problem(path, value_line + raw.count("\n", 0, len(head)), "warning", "PS502",
                                    f"entry '{key}': comma missing after field '{name}'; "
                                    f"read '{glued[0].lower()}' as the next field"))
            names.discard(name)
            pending.append((glued[0].lower(), glued[1], value_line + raw.count("\n", 0, at)))
            pending.append((name, head, value_line))
    for word in dict.fromkeys(undefined):
        if word.lower() not in MONTH_MACROS:
            problems.append(Problem(path, entry_line, "warning", "PS103",
                                    f"entry '{key}' uses undefined macro '{word}'"))
    return fields, "crossref" in names


_INHERITED_RENAMES = {"title": "booktitle"}


def _resolve_crossrefs(entries: list[RawEntry], referring: list[int],
                       problems: list[Problem]) -> list[RawEntry]:
    """Fill fields from ``crossref`` targets as BibTeX does; the targets stay entries too.

    Only the entries at the indices ``referring`` (in order) can have a
    crossref field: the others are not looked through.
    """
    if not any(entries[index].get("crossref") for index in referring):
        return entries
    by_key = {e.key.lower(): e for e in entries}
    out = list(entries)
    for index in referring:
        entry = entries[index]
        ref = entry.get("crossref")
        if not ref:
            continue
        parent = by_key.get(ref.strip().lower())
        if parent is None:
            problems.append(Problem(entry.path, entry.line, "warning", "PS105",
                                    f"entry '{entry.key}' crossrefs missing entry '{ref}'"))
            continue
        have = {k for k, _ in entry.fields}
        extra = []
        for name, value in parent.fields:
            target = _INHERITED_RENAMES.get(name, name) if parent.type == "proceedings" else name
            if target not in have and name != "crossref":
                extra.append((target, value))
                have.add(target)
        out[index] = _raw_entry(entry.key, entry.type, entry.fields + tuple(extra),
                                entry.path, entry.line, entry.raw)
    return out


def load(paths: Iterable[str], first_read: Callable[[str, str], None] | None = None,
         ) -> tuple[list[RawEntry], list[Problem]]:
    """Read every bib file; keys must be unique across files too.

    ``first_read(path, text)`` is called with the first file's text as soon
    as it is read, before it is parsed: its entries come first, whatever the
    other files hold, so work on them can start there (see :mod:`pubsite.building`).
    """
    entries: list[RawEntry] = []
    problems: list[Problem] = []
    seen: dict[str, RawEntry] = {}
    for number, path in enumerate(paths):
        text, read_problems = read_text(path, path)
        if number == 0 and first_read is not None:
            first_read(path, text)
        problems.extend(read_problems)
        file_entries, file_problems = parse_text(text, path)
        problems.extend(file_problems)
        if not entries:
            # parse_text already skipped repeated keys within a file: only later files need the check.
            entries.extend(file_entries)
            continue
        if not seen:
            seen = {entry.key.lower(): entry for entry in entries}
        for entry in file_entries:
            first = seen.get(entry.key.lower())
            if first is not None:
                problems.append(Problem(entry.path, entry.line, "error", "PS102",
                                        f"duplicate key '{entry.key}' (first defined at "
                                        f"{first.path}:{first.line}); this entry is skipped"))
                continue
            seen[entry.key.lower()] = entry
            entries.append(entry)
    return entries, problems
