"""Splitting BibTeX text into blocks: a fast path that agrees with bibtexparser exactly.

bibtexparser 2 walks the file one syntax mark at a time in Python, which makes
splitting the slowest part of reading a large bibliography.  Almost every real
entry has the same simple shape (``@type{key, name = {..} | ".." | word, ...}``),
and for those one regular expression per field finds the same boundaries.  Most
are also laid out one field per line; those are read by a regex scanner with a
running line count, in far fewer Python steps (see :func:`_line_entry`).

Exactness rests on one property of bibtexparser's splitter: an ``@type{`` (or
``@type(``) at the start of a line, after optional whitespace, always begins a
new block, whatever state the previous block was in (every state aborts there).
So the file is cut at those points into chunks that bibtexparser handles
independently.  A chunk the fast path can read with certainty is read here;
any chunk with something unusual (parenthesised blocks, a missing comma, an
unbalanced brace, a field with no ``=``...) is handed, whole, to bibtexparser,
with its line numbers shifted.  Both paths produce the same :class:`Block`
records, which tests compare on real corpora and on generated text.
"""

from __future__ import annotations

import bisect
import logging
import re
from itertools import accumulate
from sys import intern
from dataclasses import dataclass, field

__all__ = ["Block", "LineEntry", "line_block", "split", "split_records", "split_with_bibtexparser"]

# bibtexparser logs its own warning for every failed block; callers report them.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

#: A block start exactly as bibtexparser's splitter sees one (no look-behind: "\@x{" counts).
_BLOCK_START = re.compile(r"@\w*[ \t]*(?=[{(])")
#: Syntax marks; one preceded by a backslash is text, as in bibtexparser.
_MARK = re.compile(r'(?<!\\)[{}",=]')
# One whole field in its common shapes.  A key holds no mark, backslash or "@";
# a value is a brace group (at most two levels deep, backslash-free braces), a
# quoted string, or bare words/numbers/"#"; then the "," or "}" that ends it.
_KEY = r'([^{}",=\\@]*)='
# Written as "unrolled loops" (runs of plain characters between escapes) rather
# than one alternation per character, which the regex engine walks far slower.
_INNER = r'[^{}\\]*(?:\\[^{}\\][^{}\\]*)*'
_BRACED = rf"\{{{_INNER}(?:\{{{_INNER}\}}{_INNER})*\}}"
_QUOTED = r'"[^"\\]*(?:\\[^\\][^"\\]*)*"'
_BARE = r'[^{}",=\\]*'
_FIELD = re.compile(rf"{_KEY}\s*(?:(?:\{{[^{{}}\\]*\}}|{_BRACED}|{_QUOTED})\s*|{_BARE})([,}}])")
_HEAD = re.compile(r'([^{}",=\\@]*),')
_CLOSE = re.compile(r"\s*\}")
# A whole entry in the layout nearly every file uses: the key on the "@" line, then
# one field per line, each name on a new line after the previous comma.  Values are
# the shapes of _FIELD less its free-form bare text, and only spaces and tabs sit
# around names, "=" and values: so each field's "=" is on the line after the
# previous value's last line.  A scanner reads the fields one after another, in C.
_NAME = r'[^{}",=\\@\s]+'
_LINE_HEAD = re.compile(rf"[ \t]*({_NAME}|)[ \t]*")
# Every brace group _BRACED reads means its own text, and so does a quoted string
# with balanced braces (two levels at most) and no quote, brace or backslash escaped
# inside: the text between the delimiters is captured as the value's "plain" text
# (None for any other value), the braced form told by the opening brace's group.
# A bare value that is one word (no "#") is captured too: it is a number or a macro.
# Each reads a subset of what _BRACED, _QUOTED or the bare form read, with the same
# end (a word is never followed by more bare text), so no boundary moves.
_QUOTED_INNER = r'[^{}"\\]*(?:\\[^{}"\\][^{}"\\]*)*'
_PLAIN = (rf'(?:(\{{)|")((?(3){_INNER}(?:\{{{_INNER}\}}{_INNER})*'
          rf'|{_QUOTED_INNER}(?:\{{{_QUOTED_INNER}\}}{_QUOTED_INNER})*))(?(3)\}}|")')
_WORD = r'([^{}",=\\\s#]+)(?![^{}",=\\\s])'
#: One field with the comma before it: (name, value, opening brace of a plain value, plain text, word).
_LINE_FIELD = re.compile(rf'[ \t]*,[ \t]*\n[ \t]*({_NAME})[ \t]*=[ \t]*'
                         rf'({_PLAIN}|{_WORD}|{_QUOTED}|[^{{}}",=\\\s]+)[ \t]*')
_LINE_TAIL = re.compile(r"(?:,\s*|\s*)\}")
_groups = re.Match.groups


@dataclass
class Block:
    """What one bibtexparser block means to pubsite (implicit comments are dropped).

    ``kind`` is ``entry``, ``string``, ``failed`` or ``other`` (an explicit
    comment or a preamble: nothing to read, but it is where a failed block's
    text stops).  ``line`` is 0-based as in bibtexparser.  Entry fields are
    (name as written, raw value, 0-based line of the ``=``);
    ``duplicate_fields`` is bibtexparser's (case-sensitive) test.  A failed
    block keeps bibtexparser's reason and ``end_index`` (an offset into the
    text with one newline prepended, as bibtexparser reports it) for repairs.
    """

    kind: str
    line: int
    key: str = ""
    type: str = ""
    fields: list[tuple[str, str, int]] = field(default_factory=list)
    raw: str = ""
    value: str = ""
    duplicate_fields: bool = False
    message: str = ""
    reason: str = ""
    end_index: int | None = None


#: An entry read by :func:`_line_entry`, left as a tuple until someone needs its :class:`Block`
#: (most never do: see :func:`split_records`): (0-based line, key, type, raw text,
#: field names, raw values, plain texts, words), the plain text of a value being None unless it
#: is a brace group or quoted string with nothing inside to read, its word None unless it is one
#: bare word (see :data:`_PLAIN`).
LineEntry = tuple[int, str, str, str, tuple[str, ...], tuple[str, ...], tuple[str | None, ...],
                  tuple[str | None, ...]]


def line_block(entry: LineEntry) -> Block:
    """The :class:`Block` of an entry read by :func:`_line_entry`.

    Each field's ``=`` is on the line after the previous value's last line
    (the layout has one field per line), so lines follow from the values.
    """
    line, key, type_, raw, names, values = entry[:6]
    starts = accumulate([value.count("\n") + 1 for value in values], initial=line + 1)
    fields = [(intern(name), value, field_line) for name, value, field_line in zip(names, values, starts)]
    return Block("entry", line, key=key, type=type_, fields=fields, raw=raw,
                 duplicate_fields=len(set(names)) != len(names))


class _Uncertain(Exception):
    """The fast path cannot vouch for this chunk; bibtexparser reads it."""


class _Lines:
    """0-based line of an offset, counted as bibtexparser counts (a newline after "\\" is not one)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.escaped = "\\\n" in text
        self.pos = 0
        self.line = 0

    def at(self, pos: int) -> int:
        text = self.text
        if pos >= self.pos:
            count = text.count("\n", self.pos, pos)
            if self.escaped and count:
                count -= text.count("\\\n", max(self.pos - 1, 0), pos)
            self.line += count
        else:  # rare: go back (a chunk re-read by bibtexparser)
            count = text.count("\n", 0, pos)
            if self.escaped:
                count -= text.count("\\\n", 0, pos)
            self.line = count
        self.pos = pos
        return self.line


def _failure_message(block: object) -> str:
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None)
    if reason:
        return "cannot parse entry: " + " ".join(str(reason).split())
    if error is not None and str(error):
        return "cannot parse entry: " + " ".join(str(error).split())
    return "cannot parse entry"


def _convert(blocks: list[object], line_offset: int = 0, index_offset: int = 0) -> list[Block]:
    """bibtexparser blocks as :class:`Block` records, lines and offsets shifted into the whole text."""
    from bibtexparser import model

    out: list[Block] = []
    for block in blocks:
        if isinstance(block, model.DuplicateBlockKeyBlock):
            # Duplicates are judged over the whole file by the caller, not per chunk.
            block = block.ignore_error_block
        start = getattr(block, "start_line", 0) or 0
        if isinstance(block, model.String):
            out.append(Block("string", start + line_offset, key=block.key, value=str(block.value)))
        elif isinstance(block, model.DuplicateFieldKeyBlock):
            out.append(_entry_record(block.ignore_error_block, line_offset, duplicate=True))
        elif isinstance(block, model.ParsingFailedBlock):
            error = getattr(block, "error", None)
            end_index = getattr(error, "end_index", None)
            out.append(Block("failed", start + line_offset, raw=block.raw or "",
                             message=_failure_message(block),
                             reason=str(getattr(error, "abort_reason", "") or ""),
                             end_index=None if end_index is None else end_index + index_offset))
        elif isinstance(block, model.Entry):
            out.append(_entry_record(block, line_offset, duplicate=False))
        elif isinstance(block, (model.ExplicitComment, model.Preamble)):
            out.append(Block("other", start + line_offset))
    return out


def parse_blocks(text: str) -> list[object]:
    """bibtexparser's blocks of ``text``, its failed blocks' errors let go of their tracebacks.

    A failed block holds its error, the error's traceback holds bibtexparser's
    frames, one of which holds the block: a reference cycle.  Through the
    frames' callers it kept every block of the file alive until the garbage
    collector ran, and a render runs without it (see :mod:`pubsite.site`).
    """
    import bibtexparser
    from bibtexparser import model

    blocks = bibtexparser.parse_string(text, parse_stack=[]).blocks
    for block in blocks:
        if isinstance(block, model.ParsingFailedBlock):
            error = getattr(block, "error", None)
            while error is not None:
                error.__traceback__ = None
                error = error.__context__
    return list(blocks)


def _entry_record(entry: object, line_offset: int, duplicate: bool) -> Block:
    fields = [(f.key, str(f.value), (f.start_line or 0) + line_offset) for f in entry.fields]  # type: ignore[attr-defined]
    return Block("entry", (entry.start_line or 0) + line_offset, key=entry.key,  # type: ignore[attr-defined]
                 type=entry.entry_type, fields=fields, raw=entry.raw or "",  # type: ignore[attr-defined]
                 duplicate_fields=duplicate)


def split_with_bibtexparser(text: str) -> list[Block]:
    """The reference: bibtexparser's own splitter over the whole text."""
    import bibtexparser

    return _convert(parse_blocks(text))


def _is_line_start(text: str, pos: int) -> bool:
    start = text.rfind("\n", 0, pos) + 1
    return start == pos or text[start:pos].isspace()


def line_of(text: str, pos: int) -> int:
    """The 0-based line of ``pos``, counted as blocks' lines are (see :class:`_Lines`)."""
    return _Lines(text).at(pos)


def bounds_from(text: str, pos: int, count: int) -> list[int]:
    """The first ``count`` chunk bounds of :func:`split_records` at or after ``pos`` (fewer at the end).

    A chunk is read from its text alone, up to the next bound, and the
    opening of the block there (see :func:`_slow_chunk`): so the text up to a
    bound reads as the same blocks as the whole text does, but for its last chunk.
    """
    found: list[int] = []
    for match in _BLOCK_START.finditer(text, pos):
        if _is_line_start(text, match.start()):
            found.append(match.start())
            if len(found) == count:
                break
    return found


def split(text: str) -> list[Block]:
    """Blocks of ``text``, identical to :func:`split_with_bibtexparser`, usually much faster."""
    return [block if type(block) is Block else line_block(block) for block in split_records(text)]


def split_records(text: str) -> list[Block | LineEntry]:
    """What :func:`split` gives, with the entries of the common layout left as :data:`LineEntry` tuples.

    A reader that finds such an entry plain takes what it needs from the tuple;
    making a :class:`Block` of every entry cost a noticeable part of loading.
    """
    starts = [m.start() for m in _BLOCK_START.finditer(text)]
    if not starts:
        return []
    bounds = [p for p in starts if _is_line_start(text, p)]
    if not bounds or bounds[0] != starts[0]:
        # A block before the first line-start one begins mid-line: read from there.
        bounds.insert(0, starts[0])
    lines = _Lines(text)
    out: list[Block] = []
    for index, chunk_start in enumerate(bounds):
        chunk_end = bounds[index + 1] if index + 1 < len(bounds) else len(text)
        mark, saved = len(out), (lines.pos, lines.line)
        try:
            _fast_chunk(text, chunk_start, chunk_end, starts, lines, out)
            continue
        except _Uncertain:
            pass
        # Out of the handler: an error bibtexparser keeps would otherwise chain to ours, whose
        # traceback holds this frame (every block) in a cycle only the garbage collector frees.
        del out[mark:]
        lines.pos, lines.line = saved
        out.extend(_slow_chunk(text, chunk_start, chunk_end, lines))
    return out


def _slow_chunk(text: str, start: int, end: int, lines: _Lines) -> list[Block]:
    """bibtexparser on one chunk, followed by the next block's opening so aborts read the same."""
    follow = _BLOCK_START.match(text, end) if end < len(text) else None
    sub = text[start:end] + (text[end:follow.end() + 1] if follow else "")
    offset = lines.at(start)
    blocks = parse_blocks(sub)
    if follow:
        # The appended opening starts at a line start, so every state of the chunk's
        # last block stops there; it then fails at the end of text, as the last block.
        blocks = blocks[:-1]
    return _convert(blocks, offset, start)


def _fast_chunk(text: str, start: int, end: int, starts: list[int], lines: _Lines,
                out: list[Block | LineEntry]) -> None:
    """Read every block of one chunk, or raise :class:`_Uncertain`."""
    pos = start
    index = bisect.bisect_left(starts, start)
    while index < len(starts) and starts[index] < end:
        at = starts[index]
        if at < pos:  # an "@x{" inside the previous block's text
            index += 1
            continue
        match = _BLOCK_START.match(text, at)
        assert match is not None
        opener = match.end()
        if text[opener] != "{":
            raise _Uncertain
        word = match.group().lower()
        if word.startswith(("@comment", "@preamble")):
            pos = _closing_brace(text, opener + 1, end)
            out.append(Block("other", lines.at(at)))
        elif word.startswith("@string"):
            pos = _string(text, at, opener, end, starts, lines, out)
        else:
            pos = _entry(text, at, word, opener, end, starts, lines, out)
        index += 1


def _has_start(starts: list[int], lo: int, hi: int) -> bool:
    """Is there a block start in [lo, hi)? (bibtexparser would stop there.)"""
    i = bisect.bisect_left(starts, lo)
    return i < len(starts) and starts[i] < hi


def _closing_brace(text: str, pos: int, end: int) -> int:
    """Index after the "}" closing a block whose body starts at ``pos`` (braces only)."""
    depth = 0
    for m in _MARK.finditer(text, pos, end):
        char = m.group()
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return m.end()
            depth -= 1
    raise _Uncertain


def _string(text: str, at: int, opener: int, end: int, starts: list[int], lines: _Lines,
            out: list[Block | LineEntry]) -> int:
    eq = _MARK.search(text, opener + 1, end)
    if eq is None or eq.group() != "=" or _has_start(starts, opener + 1, eq.start()):
        raise _Uncertain
    close = _closing_brace(text, eq.end(), end)
    out.append(Block("string", lines.at(at), key=text[opener + 1:eq.start()].strip(),
                     value=text[eq.end():close - 1].strip()))
    return close


def _entry(text: str, at: int, word: str, opener: int, end: int, starts: list[int],
           lines: _Lines, out: list[Block | LineEntry]) -> int:
    if not lines.escaped:  # an escaped newline is not a line: see _Lines
        entry = _line_entry(text, at, word, opener, end, lines)
        if entry is not None:
            out.append(entry)
            return at + len(entry[3])
    head = _HEAD.match(text, opener + 1, end)
    if head is None:
        raise _Uncertain
    line = lines.at(at)
    key = head.group(1).strip()
    pos = head.end()
    fields: list[tuple[str, str, int]] = []
    names: set[str] = set()
    duplicate = False
    # Field lines are counted from the entry's own line (escaped newlines are rare: see _Lines).
    count = text.count if not lines.escaped else None
    field_match = _FIELD.match
    while True:
        m = field_match(text, pos, end)
        if m is not None:
            eq = m.end(1)
            close = m.start(2)
            value = text[eq + 1:close].strip()
            if '{"' in value:  # bibtexparser's {"} rule: let the exact scan decide
                eq, close = _slow_field(text, pos, end, starts)
                value = text[eq + 1:close].strip()
        else:
            closed = _CLOSE.match(text, pos, end)
            if closed is not None:
                close_end = closed.end()
                break
            eq, close = _slow_field(text, pos, end, starts)
            value = text[eq + 1:close].strip()
        name = intern(text[pos:eq].strip())  # a dozen names, each in every entry
        if name in names:
            duplicate = True
        names.add(name)
        fields.append((name, value, line + count("\n", at, eq) if count else lines.at(eq)))
        if text[close] == ",":
            pos = close + 1
        else:
            close_end = close + 1
            break
    out.append(Block("entry", line, key=key, type=word[1:].strip(), fields=fields,
                     raw=text[at:close_end], duplicate_fields=duplicate))
    return close_end


def _line_entry(text: str, at: int, word: str, opener: int, end: int, lines: _Lines) -> LineEntry | None:
    """The entry at ``at`` if it has the one-field-per-line layout (see :data:`_LINE_FIELD`), else None.

    It is what the field-by-field loop of :func:`_entry` gives, for far fewer
    Python steps: a scanner matches field after field from where the last one
    ended, and the fields' lines are left to :func:`line_block`.
    """
    head = _LINE_HEAD.match(text, opener + 1, end)
    assert head is not None  # it can match nothing
    matches = list(iter(_LINE_FIELD.scanner(text, head.end(), end).match, None))
    if not matches:
        return None
    last = matches[-1].end()
    tail = _LINE_TAIL.match(text, last, end)
    if tail is None:
        return None
    close_end = tail.end()
    raw = text[at:close_end]
    if '{"' in raw:  # bibtexparser's {"} rule: let the exact field-by-field scan decide
        return None
    names, values, _, plains, words = zip(*map(_groups, matches))
    return lines.at(at), head.group(1), word[1:].strip(), raw, names, values, plains, words


def _slow_field(text: str, pos: int, end: int, starts: list[int]) -> tuple[int, int]:
    """(index of "=", index of the "," or "}" ending the value): bibtexparser's rules, mark by mark."""
    eq = _MARK.search(text, pos, end)
    if eq is None or eq.group() != "=" or _has_start(starts, pos, eq.start()):
        raise _Uncertain
    depth = 0
    quoted = False
    size = len(text)
    for m in _MARK.finditer(text, eq.end(), end):
        p = m.start()
        char = text[p]
        if char == '"':
            if depth == 0:
                # bibtexparser reads {"} inside a quoted value as a literal quote.
                if quoted and text[p - 1] == "{" and p + 2 < size and text[p + 1] == "}":
                    continue
                quoted = not quoted
        elif quoted:
            continue
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return eq.start(), p
            depth -= 1
        elif char == "," and depth == 0:
            return eq.start(), p
    raise _Uncertain
