"""The catalogue of problem ids, and silencing them.

Every :class:`~pubsite.errors.Problem` carries a rule id from this table.  The
ids are a public interface: users write them in ``ignore = [...]`` and in
``pubsite_ignore`` fields, and CI scripts grep for them, so an id is never
reused or renumbered (a retired rule keeps its number, unused).  Ranges:
``PS0xx`` reading a file, ``PS1xx`` BibTeX structure, ``PS2xx`` what an entry
says, ``PS3xx`` its links, ``PS4xx`` the news feed, ``PS5xx`` rendering.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Iterable, Protocol, Sequence

from .errors import Level, Problem


@dataclass(frozen=True)
class Rule:
    """One kind of problem: its stable id, its level and what it means, in one line."""

    code: str
    level: Level
    summary: str


RULES: dict[str, Rule] = {rule.code: rule for rule in (
    Rule("PS001", "error", "a block of a BibTeX file cannot be parsed; that entry is skipped"),
    Rule("PS002", "warning", "a BibTeX file is not UTF-8 (it is read as Latin-1/Windows-1252)"),
    Rule("PS101", "warning", "unknown entry type (a misspelt `@inproceedings`?)"),
    Rule("PS102", "error", "the same citation key twice (both lines named); the later entry is skipped"),
    Rule("PS103", "warning", "an undefined `@string` macro"),
    Rule("PS104", "warning", "a field given twice in one entry; the first value is used"),
    Rule("PS105", "warning", "`crossref` to an entry that does not exist"),
    Rule("PS106", "error", "a field value BibTeX would reject (a missing comma?); the field is ignored"),
    Rule("PS107", "warning", "`pubsite_ignore` names a rule that does not exist"),
    Rule("PS201", "error", "no title; the entry is skipped"),
    Rule("PS202", "warning", "no authors"),
    Rule("PS203", "warning", "no year (nor `date`)"),
    Rule("PS204", "warning", "the site owner is not among the authors (the closest name is given)"),
    Rule("PS205", "warning", "a journal or conference venue with no short name"),
    Rule("PS206", "warning", "unbalanced braces or `$`, or LaTeX that does not decode, in displayed text"),
    Rule("PS207", "warning", "the same paper twice: same DOI, arXiv id, or title with compatible authors"),
    Rule("PS301", "warning", "a link that is not http(s), mailto or site-relative; it is dropped"),
    Rule("PS302", "warning", "a `doi` that is not a DOI (`10.xxxx/...`); it is dropped"),
    Rule("PS303", "warning", "an arXiv `eprint` or `arxiv` field that is not an arXiv id"),
    Rule("PS401", "error", "a news item without a real date (`YYYY-MM` or `YYYY-MM-DD`); it is skipped"),
    Rule("PS402", "error", "a news item without text; it is skipped"),
    Rule("PS403", "error", "a news item that is not a mapping; it is skipped"),
    Rule("PS404", "warning", "an unknown key in a news item"),
    Rule("PS405", "warning", "a news `link` that is not one http(s), mailto or site-relative URL; dropped"),
    Rule("PS406", "warning", "a news link to a publication (`#key`) that does not exist"),
    Rule("PS502", "warning", "a syntax slip repaired the only way it reads (stray text, missing comma or `=`)"),
    Rule("PS503", "warning", "names separated by commas instead of `and` (BibTeX reads one name); read as a list"),
)}

#: The BibTeX field an entry uses to silence rules for itself.
ENTRY_FIELD = "pubsite_ignore"

_SEPARATORS = re.compile(r"[\s,;]+")
_NAME = itemgetter(0)


def unknown_rule_message(given: str) -> str:
    """"unknown rule 'PS250' (did you mean 'PS205'?)", for config and entry fields alike."""
    close = difflib.get_close_matches(given.upper(), sorted(RULES), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown rule '{given}'{hint}"


def parse_rule_ids(values: Iterable[str]) -> tuple[tuple[str, ...], list[str]]:
    """Rule ids as given (any case), sorted and unique, plus one message per unknown id."""
    known: set[str] = set()
    unknown: list[str] = []
    for value in values:
        code = value.strip().upper()
        if code in RULES:
            known.add(code)
        elif code:
            unknown.append(unknown_rule_message(value.strip()))
    return tuple(sorted(known)), unknown


def entry_rule_ids(value: str | None) -> tuple[tuple[str, ...], list[str]]:
    """The ids of a ``pubsite_ignore = {PS205, PS204}`` field (commas, spaces or braces)."""
    if not value:
        return (), []
    return parse_rule_ids(_SEPARATORS.split(value.replace("{", " ").replace("}", " ")))


class _Entry(Protocol):
    path: str
    line: int
    raw: str
    fields: tuple[tuple[str, str], ...]

    def get(self, name: str, default: str | None = None) -> str | None: ...


class Silencer:
    """Decides which problems are reported, from config and per-entry fields.

    An entry's ``pubsite_ignore`` silences problems located anywhere inside
    that entry's text (its first line, or a field line for PS104/PS106), so a
    user can accept one odd entry without hiding the rule everywhere.
    """

    def __init__(self, ignore: Iterable[str] = (), entries: Sequence[_Entry] = ()):
        self.ignore = frozenset(ignore)
        spans: dict[str, list[tuple[int, int, frozenset[str]]]] = {}
        for entry in entries:
            if ENTRY_FIELD not in map(_NAME, entry.fields):  # most have none: skip get()'s loop in Python
                continue
            codes, _ = entry_rule_ids(entry.get(ENTRY_FIELD))
            if codes:
                end = entry.line + entry.raw.count("\n")
                spans.setdefault(entry.path, []).append((entry.line, end, frozenset(codes)))
        self._spans = {path: sorted(items) for path, items in spans.items()}
        self._starts = {path: [start for start, _, _ in items] for path, items in self._spans.items()}

    def entry_ignores(self, path: str, line: int) -> frozenset[str]:
        """The codes silenced by the entry whose text holds ``path:line``."""
        spans = self._spans.get(path)
        if not spans:
            return frozenset()
        index = bisect.bisect_right(self._starts[path], line) - 1
        if index < 0:
            return frozenset()
        start, end, codes = spans[index]
        return codes if start <= line <= end else frozenset()

    def silenced(self, problem: Problem) -> bool:
        return problem.code in self.ignore or problem.code in self.entry_ignores(problem.path, problem.line)

    def __call__(self, problems: Iterable[Problem]) -> list[Problem]:
        return [p for p in problems if not self.silenced(p)]

