"""``pubsite import``: merge exported BibTeX into the site's bib, safely and repeatably.

Users keep their list current by exporting everything from Google Scholar
(or DBLP, ACM, arXiv) and pasting it in, every week.  That must neither
duplicate a paper already there (under another key, or as its preprint) nor
lose what they typed by hand (``pdf``/``code`` links, ``selected``, ``*``
marks).  So each incoming entry is matched to an existing one (DOI, then
arXiv id, then fuzzy title with compatible authors and years, see
:mod:`pubsite.matching`) and then:

* a new paper is appended at the end of the file, in the export's order,
  keeping the export's key (with a suffix when another paper has it);
* the same paper fills in the bibliographic fields the entry lacks, and
  nothing the user wrote is removed or rewritten;
* a published version turns the user's preprint entry into the published
  one in place: same key, every user field kept, the arXiv id kept as a field;
* a preprint of a paper already there as published is skipped.

The file is edited as text, never re-serialised: entries that did not change
stay byte-for-byte as they were (comments, order, formatting, line endings).
Nothing here prints or exits; :func:`write_plan` writes atomically.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Mapping, Sequence

from . import bib
from .bibedit import EntryEditor
from .bibspan import LineMap, locate, scan_entry
from .errors import Problem, PubsiteError
from .fsutil import write_atomic
from .latex import decode
from .links import find_arxiv, normalize_doi
from .matching import PaperIndex, identity, titles_match
from .names import Owners, fold, parse_authors
from .publications import build
from .venues import raw_venue, venue_field, venue_of

Action = Literal["added", "updated", "superseded", "skipped"]

_NO_OWNERS = Owners()
_BOM = "\ufeff"
#: Fields a matching export may fill in when the user's entry lacks them.
FILLED = ("year", "month", "volume", "number", "pages", "doi", "publisher")
#: Fields a published version brings when it supersedes a preprint.
PUBLISHED = ("journal", "journaltitle", "booktitle", "eventtitle", "school", "institution",
             "year", "month", "volume", "number", "pages", "doi", "publisher", "organization",
             "series", "address", "edition")
_VENUE_NAMES = ("journal", "journaltitle", "booktitle", "eventtitle", "howpublished", "publisher")
_PREPRINT_TEXT = re.compile(r"arxiv|\bcorr\b|biorxiv|medrxiv|ssrn|preprint|openreview", re.IGNORECASE)
_PREPRINT_STATUS = re.compile(r"preprint|submitted|under review|in submission|under submission",
                              re.IGNORECASE)
_ARXIV_DOI = "10.48550/"
#: A syntax slip ``bib`` repaired to read on: fine for rendering, not for rewriting or copying.
_REPAIRED = "PS502"


def _unclean(problem: Problem) -> bool:
    """A problem that makes text unsafe to rewrite or to copy into the user's file."""
    return problem.level == "error" or problem.code == _REPAIRED


@dataclass(frozen=True)
class Source:
    """One export to import: a display name for messages (a path, or ``<stdin>``) and its text."""

    name: str
    text: str


@dataclass(frozen=True)
class Outcome:
    """What happened to one incoming entry, as one line of the report."""

    action: Action
    #: The entry of the target it concerns (the key written, or the one matched).
    key: str
    #: The incoming entry's key in the export.
    incoming: str
    #: ``path:line`` of the incoming entry.
    origin: str
    fields: tuple[str, ...] = ()
    reason: str = ""

    def __str__(self) -> str:
        names = ", ".join(self.fields)
        if self.action == "added":
            renamed = "" if self.key == self.incoming else (
                f" (the export's key '{self.incoming}' belongs to another paper)")
            return f"added {self.key}{renamed}"
        if self.action == "updated":
            return f"updated {self.key}: {names} (from {self.incoming}, {self.reason})"
        if self.action == "superseded":
            return f"superseded preprint {self.key} by {self.incoming}: {names}"
        return f"skipped {self.incoming}: {self.reason}"


@dataclass(frozen=True)
class ImportPlan:
    """The merge, computed but not written: the report, the old and new text."""

    target: str
    old_text: str
    new_text: str
    outcomes: tuple[Outcome, ...]
    problems: tuple[Problem, ...]
    bom: bool = False
    exists: bool = True

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text or (not self.exists and bool(self.new_text))

    def count(self, action: Action) -> int:
        return sum(o.action == action for o in self.outcomes)

    def summary(self) -> str:
        parts = [f"{self.count(a)} {a}" for a in ("added", "updated", "superseded", "skipped")]
        return ", ".join(parts)

    def diff(self) -> str:
        """A unified diff of the file, with line endings shown as plain newlines."""
        old = self.old_text.replace("\r\n", "\n").splitlines(keepends=True)
        new = self.new_text.replace("\r\n", "\n").splitlines(keepends=True)
        for lines in (old, new):
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n\\ No newline at end of file\n"
        return "".join(difflib.unified_diff(old, new, f"{self.target} (before)",
                                            f"{self.target} (after import)"))


class TargetNotClean(PubsiteError):
    """The target does not parse cleanly, so rewriting it could lose what we cannot read."""

    def __init__(self, problems: Sequence[Problem]):
        first = problems[0]
        reason = first.message.split("; ")[0]
        super().__init__(f"{reason}: this file does not parse cleanly, so import does not rewrite it "
                         "(fix it, or use --force to merge around the broken part)",
                         first.path, first.line)
        self.problems = tuple(problems)


@dataclass
class _Slot:
    """One entry of the merged file: an existing one (with its span) or a new one."""

    key: str
    type: str
    fields: dict[str, str]
    editor: EntryEditor | None
    span: tuple[int, int] | None = None
    raw: str = ""
    edited: bool = False
    #: Added by this import (else: an entry of the target, even one whose text could not be located).
    new: bool = False


def read_source(path: str) -> tuple[Source, list[Problem]]:
    """An export file as a :class:`Source` (``PubsiteError`` when unreadable)."""
    text, problems = bib.read_text(path, path)
    return Source(path, text), problems


def _is_preprint(entry_type: str, fields: Mapping[str, str], aliases: Mapping[str, str]) -> bool:
    """Preprint or submitted, as the renderer sees it, or an arXiv record with no venue at all."""
    raw = bib.RawEntry(key="", type=entry_type, fields=tuple(fields.items()), path="", line=0)
    pub, _ = build(raw, _NO_OWNERS, aliases=aliases, venue_names={}, file_base="")
    if pub is not None and pub.status in ("preprint", "submitted"):
        return True
    if pub is not None and pub.status == "to-appear":
        return False
    if fields.get("status") or fields.get("pubstate"):
        return False
    return raw_venue(entry_type, fields) is None and find_arxiv(dict(fields)) is not None


def _preprint_evidence(name: str, value: str) -> bool:
    """A field that makes an entry a preprint, which its published version must not keep."""
    plain = decode(value) if "\\" in value or "{" in value else value
    return bool((name in _VENUE_NAMES and _PREPRINT_TEXT.search(plain))
                or (name == "volume" and plain.strip().lower().startswith("abs/"))
                or (name == "number" and "arxiv" in plain.lower())
                or (name in ("status", "pubstate") and _PREPRINT_STATUS.search(plain))
                or (name == "note" and re.match(r"\s*(?:arxiv|preprint)", plain, re.IGNORECASE)))


def _real_doi(value: str | None) -> str | None:
    """A DOI worth filling in: DBLP's arXiv DOIs name the preprint, not the publication."""
    doi = normalize_doi(value) if value else None
    if doi is None or doi.lower().startswith(_ARXIV_DOI):
        return None
    return doi


def _has_marks(fields: Mapping[str, str]) -> bool:
    """The user marked contributions (``*``, ``†``, ``equal``): their author field must stay."""
    if fields.get("equal"):
        return True
    authors, _ = parse_authors(fields.get("author", ""), _NO_OWNERS)
    return any(a.equal or a.marks for a in authors)


def _families(fields: Mapping[str, str]) -> list[str]:
    authors, _ = parse_authors(fields.get("author", ""), _NO_OWNERS)
    return [fold(a.family).replace(" ", "") for a in authors]


def _unique_key(key: str, taken: set[str]) -> str:
    """``key``, or ``key`` + a, b, ... z, aa... : BibTeX keys are compared case-insensitively."""
    if key.lower() not in taken:
        return key
    number = 0
    while True:
        number += 1
        suffix, rest = "", number
        while rest:
            rest, digit = divmod(rest - 1, 26)
            suffix = chr(ord("a") + digit) + suffix
        if (key + suffix).lower() not in taken:
            return key + suffix


def _uses_macro(value_text: str) -> bool:
    """A value written with a bare ``@string`` name, which the target may not define."""
    undefined: list[str] = []
    try:
        bib.expand(value_text.strip(), {}, undefined)
    except bib.MalformedValue:
        return True
    return bool(undefined)


class _Merger:
    """The state of one import: the target's entries, new ones, and the report."""

    def __init__(self, original: str, entries: Sequence[bib.RawEntry], aliases: Mapping[str, str]):
        self.original = original
        self.aliases = aliases
        self.slots: list[_Slot] = []
        self.index = PaperIndex()
        self.outcomes: list[Outcome] = []
        self.problems: list[Problem] = []
        self.taken: set[str] = set()
        spans = locate(original, entries)
        for position, entry in enumerate(entries):
            self._add_slot(_Slot(entry.key, entry.type, dict(entry.fields), None, spans.get(position)))

    def _add_slot(self, slot: _Slot) -> None:
        self.slots.append(slot)
        self.taken.add(slot.key.lower())
        self.index.add(identity(slot.fields))

    def _refile(self, number: int) -> None:
        slot = self.slots[number]
        if slot.editor is not None:
            slot.fields = dict(slot.editor.fields)
            slot.type = slot.editor.entry_type
        self.index.update(number, identity(slot.fields))

    # -- one incoming entry ------------------------------------------------

    def merge(self, entry: bib.RawEntry, crossref_parents: Mapping[str, bib.RawEntry]) -> None:
        origin = f"{entry.path}:{entry.line}"
        fields = entry.field_dict
        if not (fields.get("title") or "").strip():
            self.problems.append(Problem(entry.path, entry.line, "error", "PS201",
                                         f"entry '{entry.key}' has no title; it is not imported"))
            return
        found = self.index.find(identity(fields))
        if found is None:
            self._add(entry, crossref_parents, origin)
            return
        number, reason = found
        slot = self.slots[number]
        incoming_preprint = _is_preprint(entry.type, fields, self.aliases)
        existing_preprint = _is_preprint(slot.type, slot.fields, self.aliases)
        if existing_preprint and not incoming_preprint:
            self._supersede(number, entry, origin)
        elif incoming_preprint and not existing_preprint:
            self._skip(entry, slot.key, origin, f"preprint of {slot.key}, which is already there as published")
        elif incoming_preprint:
            self._skip(entry, slot.key, origin, f"same as {slot.key} ({reason})")
        else:
            conflict = self._venue_conflict(slot, entry) if reason == "same title" else None
            if conflict:
                self._skip(entry, slot.key, origin,
                           f"same title and authors as {slot.key} but another venue ({conflict}); "
                           "add it by hand if it is a separate publication")
            else:
                self._fill(number, entry, origin, reason)

    def _skip(self, entry: bib.RawEntry, key: str, origin: str, reason: str) -> None:
        self.outcomes.append(Outcome("skipped", key, entry.key, origin, reason=reason))

    def _editable(self, number: int, entry: bib.RawEntry, origin: str) -> EntryEditor | None:
        """The slot's editor, made on first use: scanning every entry of a big file up front is waste."""
        slot = self.slots[number]
        if slot.editor is None and slot.span is not None:
            scanned = scan_entry(self.original[slot.span[0]:slot.span[1]])
            if scanned is not None and scanned.key == slot.key:
                slot.editor = EntryEditor(scanned, dict(slot.fields))
        if slot.editor is None:
            self._skip(entry, slot.key, origin, f"same as {slot.key}, whose text is too unusual to edit "
                       "safely; merge it by hand")
        return slot.editor

    def _venue_conflict(self, slot: _Slot, entry: bib.RawEntry) -> str | None:
        """"ICLR vs NeurIPS" when both name different known venues: a workshop and its conference version."""
        ours = venue_of(slot.type, slot.fields, self.aliases, {}).short
        theirs = venue_of(entry.type, entry.field_dict, self.aliases, {}).short
        if ours and theirs and fold(ours) != fold(theirs):
            return f"{ours} vs {theirs}"
        return None

    def _fill(self, number: int, entry: bib.RawEntry, origin: str, reason: str) -> None:
        slot = self.slots[number]
        incoming = entry.field_dict
        wanted: list[tuple[str, str]] = []
        for name in FILLED:
            if (slot.fields.get(name) or "").strip() or not (incoming.get(name) or "").strip():
                continue
            if name == "doi" and _real_doi(incoming[name]) is None:
                continue
            if name == "publisher" and slot.fields.get("organization"):
                continue
            if name in ("year", "month") and slot.fields.get("date"):
                continue
            wanted.append((name, incoming[name]))
        if raw_venue(slot.type, slot.fields) is None and not slot.fields.get("venue"):
            name = venue_field(slot.type, incoming)
            if name and not _PREPRINT_TEXT.search(incoming[name]):
                wanted.insert(0, (name, incoming[name]))
        if not wanted:
            self._skip(entry, slot.key, origin, f"same as {slot.key} ({reason})")
            return
        editor = self._editable(number, entry, origin)
        if editor is None:
            return
        before = len(editor.changed)
        for name, value in wanted:
            editor.set(name, value)
        slot.edited = True
        self._refile(number)
        self.outcomes.append(Outcome("updated", slot.key, entry.key, origin,
                                     tuple(editor.changed[before:]), reason))

    def _supersede(self, number: int, entry: bib.RawEntry, origin: str) -> None:
        slot = self.slots[number]
        editor = self._editable(number, entry, origin)
        if editor is None:
            return
        before = len(editor.changed)
        arxiv = find_arxiv(dict(slot.fields))
        incoming = entry.field_dict
        editor.set_type(entry.type)
        venue = venue_field(entry.type, incoming)
        for name, value in list(slot.fields.items()):
            if not _preprint_evidence(name, value):
                continue
            if venue and name in _VENUE_NAMES and (venue == name or venue not in editor.fields):
                editor.replace(name, venue, incoming[venue])
            else:
                editor.remove(name)
        for name in PUBLISHED:
            value = incoming.get(name)
            if not value or not value.strip():
                continue
            if name == "doi" and _real_doi(value) is None:
                continue
            editor.set(name, value)
        if not titles_match(identity(slot.fields).title, identity(incoming).title):
            editor.set("title", incoming["title"])
        if (incoming.get("author") and not _has_marks(slot.fields)
                and _families(slot.fields) != _families(incoming)):
            editor.set("author", incoming["author"])
        if arxiv and find_arxiv(dict(editor.fields)) != arxiv:
            if "eprint" in editor.fields:
                editor.set("arxiv", arxiv)
            else:
                editor.set("eprint", arxiv)
                editor.set("archivePrefix", "arXiv")
        slot.edited = True
        self._refile(number)
        self.outcomes.append(Outcome("superseded", slot.key, entry.key, origin,
                                     tuple(editor.changed[before:]), "published version"))

    def _add(self, entry: bib.RawEntry, parents: Mapping[str, bib.RawEntry], origin: str) -> None:
        key = _unique_key(entry.key, self.taken)
        scanned = scan_entry(entry.raw)
        editor = EntryEditor(scanned, dict(entry.fields)) if scanned is not None else None
        if editor is None:
            if key != entry.key:
                self._skip(entry, entry.key, origin, "new, but its key is taken and its text is too "
                           "unusual to rename safely; add it by hand")
                return
        else:
            if key != entry.key:
                editor.set_key(key)
            for span in scanned.fields:
                if _uses_macro(span.value_text(scanned.text)) and entry.get(span.name) is not None:
                    editor.set(span.name, entry.get(span.name) or "", rewrite=True)
            crossref = (entry.get("crossref") or "").strip().lower()
            if crossref in parents:
                written = {span.name for span in scanned.fields}
                for name, value in entry.fields:
                    if name not in written:
                        editor.set(name, value)
                editor.remove("crossref")
            editor.changed.clear()
        fields = dict(editor.fields) if editor is not None else dict(entry.fields)
        self._add_slot(_Slot(key, entry.type, fields, editor, None, entry.raw, edited=True, new=True))
        self.outcomes.append(Outcome("added", key, entry.key, origin))

    # -- the new text ------------------------------------------------------

    def text(self, newline: str) -> str:
        out: list[str] = []
        position = 0
        for slot in sorted((s for s in self.slots if s.span and s.edited and s.editor),
                           key=lambda s: s.span[0] if s.span else 0):
            assert slot.span is not None and slot.editor is not None
            out.append(self.original[position:slot.span[0]])
            out.append(slot.editor.render())
            position = slot.span[1]
        out.append(self.original[position:])
        base = "".join(out)
        added = []
        for slot in self.slots:
            if slot.new:
                text = slot.editor.render() if slot.editor is not None else slot.raw
                added.append(text.replace("\r\n", "\n").replace("\n", newline))
        if not added:
            return base
        body = (newline * 2).join(added) + newline
        if not base.strip():
            return body
        if not base.endswith(("\n", "\r")):
            base += newline
        if not base.endswith(newline * 2):
            base += newline
        return base + body


def _newline_of(text: str) -> str:
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


def _read_target(target: str) -> tuple[str, bool, bool]:
    """(text with its own line endings, had a BOM, exists)."""
    path = Path(target)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "", False, False
    except IsADirectoryError:
        raise PubsiteError("is a directory, not a BibTeX file", target) from None
    except OSError as exc:
        raise PubsiteError(f"cannot read file: {exc.strerror}", target) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PubsiteError("file is not UTF-8; save it as UTF-8 before importing into it "
                           "(rewriting it could change characters you did not touch)", target, line) from None
    bom = text.startswith(_BOM)
    return (text[1:] if bom else text), bom, True


def plan_import(target: str, sources: Sequence[Source], *, force: bool = False,
                aliases: Mapping[str, str] | None = None) -> ImportPlan:
    """Merge ``sources`` (in order) into the bib file ``target``, without writing.

    :raises TargetNotClean: the target has parse errors and ``force`` is off.
    :raises PubsiteError: the target cannot be read, or is not UTF-8.
    """
    original, bom, exists = _read_target(target)
    lines = LineMap(original)
    entries, target_problems = bib.parse_text(lines.normalised, target)
    errors = [p for p in target_problems if _unclean(p)]
    if errors and not force:
        raise TargetNotClean(errors)
    merger = _Merger(original, entries, aliases or {})
    merger.problems.extend(errors)
    for source in sources:
        incoming, problems = bib.parse_text(LineMap(source.text).normalised, source.name)
        if not incoming:
            # Not an export at all (a RIS file, an HTML page, an empty paste): stop before writing.
            first = min(problems, default=None)
            if first is None:
                raise PubsiteError("no BibTeX entries found; nothing was imported", source.name)
            raise PubsiteError(f"no entry could be read ({first.message}); nothing was imported",
                               first.path, first.line)
        merger.problems.extend(problems)
        cited = {(e.get("crossref") or "").strip().lower() for e in incoming} - {""}
        parents = {e.key.lower(): e for e in incoming if e.key.lower() in cited}
        broken = sorted(p.line for p in problems if _unclean(p))
        for entry in incoming:
            last_line = entry.line + entry.raw.count("\n")
            bad = [line for line in broken if entry.line <= line <= last_line]
            if bad:
                merger.outcomes.append(Outcome(
                    "skipped", entry.key, entry.key, f"{entry.path}:{entry.line}",
                    reason=f"not imported, as it does not parse cleanly (see {entry.path}:{bad[0]})"))
                continue
            if entry.key.lower() in parents and entry.type == "proceedings":
                merger.outcomes.append(Outcome(
                    "skipped", entry.key, entry.key, f"{entry.path}:{entry.line}",
                    reason="proceedings volume cited by crossref; its fields are copied "
                           "into the papers that cite it"))
                continue
            merger.merge(entry, parents)
    new_text = merger.text(_newline_of(original))
    _verify(merger, target)
    return ImportPlan(target, original, new_text, tuple(merger.outcomes),
                      tuple(sorted(merger.problems)), bom, exists)


def _verify(merger: _Merger, target: str) -> None:
    """Refuse to write a merge whose new text would not read back as intended.

    The untouched text is the user's own bytes; each written entry must parse
    on its own into exactly itself, with no error, so splicing it in cannot
    change how the rest of the file reads.  A last line of defence.
    """
    for slot in merger.slots:
        if not slot.edited:
            continue
        text = slot.editor.render() if slot.editor is not None else slot.raw
        entries, problems = bib.parse_text(LineMap(text).normalised, target)
        if len(entries) != 1 or entries[0].key != slot.key or any(map(_unclean, problems)):
            raise PubsiteError(f"internal error: the merged entry '{slot.key}' would not read back; "
                               "nothing was written (please report this with the export)", target)


def write_plan(plan: ImportPlan) -> bool:
    """Write the merged file atomically; False when there was nothing to change."""
    if not plan.changed:
        return False
    text = (_BOM if plan.bom else "") + plan.new_text
    return write_atomic(plan.target, text)


def import_files(target: str, sources: Sequence[Source], *, force: bool = False,
                 dry_run: bool = False, aliases: Mapping[str, str] | None = None) -> ImportPlan:
    """Plan, and unless ``dry_run``, write: the one call the CLI makes."""
    plan = plan_import(target, sources, force=force, aliases=aliases)
    if not dry_run:
        write_plan(plan)
    return plan


__all__ = ["ImportPlan", "Outcome", "Source", "TargetNotClean", "import_files", "plan_import",
           "read_source", "write_plan"]
