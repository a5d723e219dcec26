"""Changing one BibTeX entry's text the way its author would have typed it.

When ``import`` fills in a field or turns a preprint into its published
version, the user should see a small diff in their own style: the new line
indented like its neighbours, ``key={value}`` or DBLP's column-aligned
``key       = {value}``, their trailing-comma habit, their line endings.
Every line that is not changed stays exactly as it was.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .bibspan import EntryText

_DIGITS = re.compile(r"^\d+$")


def collapse(value: str) -> str:
    """One line of text: exporters hard-wrap long values (DBLP), a new field should not."""
    return " ".join(value.split())


def _case_like(sample: str, word: str) -> str:
    """``word`` in the letter case ``sample`` uses (``ARTICLE``, ``Article``, ``article``)."""
    if sample.isupper():
        return word.upper()
    if sample[:1].isupper() and sample[1:].islower():
        return word.capitalize()
    return word.lower()


@dataclass
class _Style:
    """How this entry writes a field: indentation, ``=`` spacing, delimiters."""

    between: str
    pre: str
    post: str
    align: int | None
    delimiter: str
    bare_numbers: bool
    names_sample: str


def _style(entry: EntryText) -> _Style:
    text, spans = entry.text, entry.fields
    nl = entry.newline
    between = None
    for current, following in zip(spans, spans[1:]):
        if current.comma is not None:
            between = text[current.value_end:following.start]
            break
    if between is None:
        line_start = text.rfind("\n", 0, spans[0].start) + 1 if spans else 0
        lead = text[line_start:spans[0].start] if spans else ""
        if not spans:
            between = "," + nl + "  "
        elif line_start > 0 and not lead.strip():
            between = "," + nl + lead
        else:
            between = ", "
    pres: Counter[str] = Counter()
    posts: Counter[str] = Counter()
    widths: Counter[int] = Counter()
    delimiters: Counter[str] = Counter()
    bare_numbers = False
    for span in spans:
        gap = text[span.name_end:span.value_start]
        eq = gap.index("=")
        pres[gap[:eq]] += 1
        posts[gap[eq + 1:]] += 1
        widths[span.name_end - span.start + eq] += 1
        first = text[span.value_start]
        delimiters[first if first in '{"' else "bare"] += 1
        bare_numbers = bare_numbers or bool(_DIGITS.match(span.value_text(text)))
    align = None
    if len(spans) >= 2 and any(len(p) > 1 for p in pres):
        width, count = widths.most_common(1)[0]
        if count >= 2:
            align = width
    names = "".join(text[s.start:s.name_end] for s in spans)
    return _Style(
        between=between,
        pre=pres.most_common(1)[0][0] if pres else " ",
        post=posts.most_common(1)[0][0] if posts else " ",
        align=align,
        delimiter='"' if delimiters and delimiters.most_common(1)[0][0] == '"' else "{",
        bare_numbers=bare_numbers,
        names_sample=names if names else "a",
    )


def _wrap(value: str, delimiter: str, bare: bool) -> str:
    if bare and _DIGITS.match(value):
        return value
    if delimiter == '"' and '"' not in value:
        return f'"{value}"'
    return "{" + value + "}"


@dataclass
class EntryEditor:
    """Edits to one entry, rendered onto its original text in its own style.

    ``fields`` mirrors the entry's (expanded) field values after the edits,
    so the caller can recompute the entry's identity and status.
    """

    entry: EntryText
    fields: dict[str, str]
    _values: dict[int, str] = field(default_factory=dict)
    _renamed: dict[int, str] = field(default_factory=dict)
    _removed: set[int] = field(default_factory=set)
    _added: list[tuple[str, str]] = field(default_factory=list)
    _type: str | None = None
    _key: str | None = None
    changed: list[str] = field(default_factory=list)

    def _note(self, name: str) -> None:
        if name not in self.changed:
            self.changed.append(name)

    def set_type(self, entry_type: str) -> None:
        if entry_type.lower() != self.entry.type.lower():
            self._type = _case_like(self.entry.type, entry_type)
            self._note("type")

    def set_key(self, key: str) -> None:
        self._key = key

    def set(self, name: str, value: str, *, rewrite: bool = False) -> None:
        """Give ``name`` this (raw LaTeX) value: in place when present, else as a new line.

        ``name`` is written as given (``archivePrefix``) when it is new;
        ``rewrite`` writes the value even when it reads the same (a macro
        spelled out).
        """
        value = collapse(value)
        lower = name.lower()
        for index, span in enumerate(self.entry.fields):
            current = self._renamed.get(index, span.name).lower()
            if current == lower and index not in self._removed:
                if rewrite or self.fields.get(lower) != value:
                    self._values[index] = value
                    self.fields[lower] = value
                    self._note(lower)
                return
        for position, (added, _) in enumerate(self._added):
            if added.lower() == lower:
                self._added[position] = (added, value)
                self.fields[lower] = value
                return
        self._added.append((name, value))
        self.fields[lower] = value
        self._note(lower)

    def replace(self, old: str, name: str, value: str) -> None:
        """Put ``name = value`` where the field ``old`` was (a preprint's journal becomes a booktitle)."""
        for index, span in enumerate(self.entry.fields):
            if span.name == old and index not in self._removed:
                self.remove(old)
                self._removed.discard(index)
                self._renamed[index] = name
                self._values[index] = collapse(value)
                self.fields[name.lower()] = collapse(value)
                self._note(name.lower())
                return
        self.set(name, value)

    def remove(self, name: str) -> None:
        """Drop every field of that name (BibTeX reads the first; the rest is noise)."""
        name = name.lower()
        for index, span in enumerate(self.entry.fields):
            if self._renamed.get(index, span.name).lower() == name:
                self._removed.add(index)
                self._values.pop(index, None)
                self._renamed.pop(index, None)
        if self.fields.pop(name, None) is not None:
            self._note(name)

    @property
    def entry_type(self) -> str:
        """The entry type after the edits, lower-cased as ``bib`` reports types."""
        return (self._type or self.entry.type).lower()

    @property
    def dirty(self) -> bool:
        return bool(self._values or self._removed or self._added or self._type or self._key
                    or self._renamed)

    @staticmethod
    def _field_text(name: str, value: str, style: _Style) -> str:
        written = name.upper() if style.names_sample.isupper() else name
        if style.align is not None:
            gap = " " * max(1, style.align - len(written)) + "=" + style.post
        else:
            gap = style.pre + "=" + style.post
        return written + gap + _wrap(value, style.delimiter, style.bare_numbers)

    def render(self) -> str:
        """The entry's new text; the original text when nothing was edited."""
        entry, text = self.entry, self.entry.text
        if not self.dirty:
            return text
        style = _style(entry)
        spans = entry.fields
        kept = [i for i in range(len(spans)) if i not in self._removed]
        items: list[tuple[str, int | None]] = []
        for index in kept:
            span = spans[index]
            core = text[span.start:span.value_end]
            if index in self._renamed:
                core = self._field_text(self._renamed[index], self._values[index], style)
            elif index in self._values:
                own = text[span.value_start]
                core = text[span.start:span.value_start] + _wrap(
                    self._values[index], own if own in '{"' else style.delimiter,
                    bool(_DIGITS.match(span.value_text(text))))
            items.append((core, index))
        for name, value in self._added:
            items.append((self._field_text(name, value, style), None))
        if not spans:
            # A field-less entry: open a body after the key, close it on its own line.
            head = text[:entry.head_end]
            if not head.rstrip().endswith(","):
                head = head.rstrip() + ","
            body = style.between[1:] + style.between.join(core for core, _ in items) if items else ""
            out = [head, body, entry.newline if items else "", text[entry.close:]]
        else:
            last_sep = text[spans[-1].value_end:entry.close]
            out = [text[:spans[0].start]]
            for position, (core, index) in enumerate(items):
                out.append(core)
                if position == len(items) - 1:
                    out.append(last_sep)
                elif index is not None and index + 1 < len(spans) and index + 1 in kept:
                    out.append(text[spans[index].value_end:spans[index + 1].start])
                else:
                    out.append(style.between)
            out.append(text[entry.close:])
        result = "".join(out)
        if self._type is not None or self._key is not None:
            new_type = self._type if self._type is not None else entry.type
            new_key = self._key if self._key is not None else entry.key
            result = (result[:entry.type_start] + new_type + result[entry.type_end:entry.key_start]
                      + new_key + result[entry.key_end:])
        return result

