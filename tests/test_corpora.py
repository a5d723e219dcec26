"""Real bibliographies of thousands of entries, rendered end to end.

The corpora live in ``shared/corpora/`` beside the clone (see its README):
``medium.bib`` (a group's publication list) and ``large.bib`` (five lab
bibliographies concatenated, with real syntax errors left in).  Every entry
must be either rendered or reported with its line, the two counts must add up
to the number of entries (counted here by bibtexparser, independently of our
splitter), and no LaTeX markup may be left in what a reader sees.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from pubsite.config import Config
from pubsite.errors import Problem
from pubsite.model import Publication
from pubsite.site import render_site

from .conftest import SHARED

CORPORA = SHARED / "corpora"
NAMES = ("medium.bib", "large.bib")

pytestmark = pytest.mark.slow

#: Problems that mean "this entry is not shown".
SKIPPED = {"PS001", "PS102", "PS201"}


@dataclass(frozen=True)
class Block:
    """An entry as bibtexparser sees it: where it starts and ends, and its key if it parsed."""

    start: int
    end: int
    key: str | None


def independent_entries(path: Path) -> list[Block]:
    """Entries (not @string/@preamble/@comment), counted by bibtexparser's own parser."""
    import bibtexparser
    from bibtexparser import model

    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"), parse_stack=[])
    entry_types = (model.Entry, model.ParsingFailedBlock)
    starts: list[tuple[int, str | None]] = []
    for block in library.blocks:
        if isinstance(block, (model.DuplicateFieldKeyBlock, model.DuplicateBlockKeyBlock)):
            starts.append((block.start_line + 1, block.ignore_error_block.key))
        elif isinstance(block, model.ParsingFailedBlock):
            raw = (block.raw or "").lstrip()
            if re.match(r"@\s*(string|preamble|comment)\b", raw, re.IGNORECASE):
                continue
            starts.append((block.start_line + 1, None))
        elif isinstance(block, entry_types):
            starts.append((block.start_line + 1, block.key))
    ends = [start - 1 for start, _ in starts[1:]] + [10**9]
    return [Block(start, max(start, end), key) for (start, key), end in zip(starts, ends)]


@dataclass(frozen=True)
class Outcome:
    blocks: list[Block]
    publications: tuple[Publication, ...]
    problems: tuple[Problem, ...]


def _require_corpora() -> None:
    if not CORPORA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CORPORA} is missing; CI must put shared/ beside the clone")
        pytest.skip("shared/corpora is not beside this clone (it holds the real bibliographies)")


_CACHE: dict[str, Outcome] = {}


@pytest.fixture(params=NAMES)
def corpus(request: pytest.FixtureRequest) -> Outcome:
    """Each corpus rendered once per test session (large.bib takes seconds)."""
    _require_corpora()
    name = request.param
    if name not in _CACHE:
        path = CORPORA / name
        result = render_site(Config(bib=(str(path),), news=None, format="json", cache_dir=None))
        _CACHE[name] = Outcome(independent_entries(path), result.site.publications, result.problems)
    return _CACHE[name]


def accounting(outcome: Outcome) -> tuple[list[Block], dict[str, list[Block]], list[Block]]:
    """(rendered, reported by rule id, neither) over the independently counted entries."""
    shown = {(pub.line, pub.key) for pub in outcome.publications}
    # A block bibtexparser gives up on has no key; we may have repaired and shown it (PS502).
    shown_lines = {pub.line for pub in outcome.publications}
    merged = set()
    for problem in outcome.problems:
        merged.update(re.findall(r"the preprint '([^']+)' is shown as the arXiv link", problem.message))
    skips = sorted((p.line, p.code) for p in outcome.problems if p.level == "error" and p.code in SKIPPED)
    rendered: list[Block] = []
    reported: dict[str, list[Block]] = {}
    missing: list[Block] = []
    for block in outcome.blocks:
        if (block.start, block.key) in shown or block.key is None and block.start in shown_lines:
            rendered.append(block)
            continue
        if block.key in merged:
            reported.setdefault("PS207", []).append(block)
            continue
        codes = [code for line, code in skips if block.start <= line <= block.end]
        if codes:
            reported.setdefault(codes[0], []).append(block)
        else:
            missing.append(block)
    return rendered, reported, missing


def test_every_entry_is_rendered_or_reported_with_its_line(corpus: Outcome) -> None:
    rendered, reported, missing = accounting(corpus)
    assert missing == [], f"{len(missing)} entries neither rendered nor reported, e.g. {missing[:5]}"
    assert len(rendered) + sum(map(len, reported.values())) == len(corpus.blocks)
    # Nothing is rendered that bibtexparser does not see as an entry.
    assert len(corpus.publications) == len(rendered)


def test_problems_name_real_lines(corpus: Outcome) -> None:
    last = corpus.blocks[-1].start + 10_000
    assert all(1 <= p.line <= last for p in corpus.problems)


_ESCAPED = {"{": ("\\{", "\\textbraceleft"), "}": ("\\}", "\\textbraceright"),
            "$": ("\\$", "\\textdollar"), "\\": ("\\textbackslash", "\\\\")}


def leftovers(pub: Publication) -> list[str]:
    """Displayed texts holding markup characters the entry did not escape."""
    raw = " ".join(value for _, value in pub.fields)
    shown = [("title", pub.title), ("venue", pub.venue or ""), ("venue line", pub.venue_line)]
    shown += [("author", author.name) for author in pub.authors]
    bad = []
    for what, text in shown:
        for char, escapes in _ESCAPED.items():
            if char in text and not any(e in raw for e in escapes):
                bad.append(f"{pub.path}:{pub.line}: {what} {text!r}")
    return bad


def test_no_latex_left_in_what_a_reader_sees(corpus: Outcome) -> None:
    bad = [line for pub in corpus.publications for line in leftovers(pub)]
    assert bad == []


def test_every_entry_prints_in_python_as_the_macro_prints_it(corpus: Outcome) -> None:
    """A default site's entries are made without the template engine: byte for byte the macro's text."""
    from .test_entryhtml import differing

    pubs = corpus.publications
    assert len(pubs) > 500
    folded = Config(max_authors=3, show_venue_badge=True, venue_colors=(("icml", "#1a5fb4"), ("acl", "#ffdd00")))
    for config in (Config(), folded):
        bad = differing(pubs, config)
        assert bad == [], f"{len(bad)} entries differ, e.g. {bad[:1]}"
