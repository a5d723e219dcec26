"""The fast splitter must read every file exactly as bibtexparser does.

Equality is checked three ways: on every real file we have (both corpora and
every exporter sample), on a table of awkward snippets, and on generated text
made of BibTeX's syntax characters, where the two paths are most likely to part.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubsite import bib, splitter

from .conftest import SHARED

REAL_FILES = sorted((SHARED / "exports").glob("*.bib")) + sorted((SHARED / "corpora").glob("*.bib"))


def _read(path: Path) -> str:
    return bib.read_text(path, str(path))[0]


def assert_same(text: str) -> None:
    fast = splitter.split(text)
    reference = splitter.split_with_bibtexparser(text)
    for index, (mine, theirs) in enumerate(zip(fast, reference)):
        assert mine == theirs, f"block {index} differs"
    assert len(fast) == len(reference)


@pytest.mark.slow
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_real_files_split_exactly_as_bibtexparser(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    text = _read(path)
    assert_same(text)
    assert bib.parse_text(text, path.name) == bib.parse_text(text, path.name, reference=True)


def test_real_files_are_there() -> None:
    """The shared data sits beside the repository (CI puts it there): without it the test above proves nothing."""
    names = {p.name for p in REAL_FILES}
    assert {"large.bib", "medium.bib", "dblp.bib", "google-scholar.bib"} <= names


SNIPPETS = {
    "plain": "@article{a, title={T}, year=2020}\n",
    "trailing comma": "@article{a, title={T},\n}\n",
    "quoted with braces": '@article{a, title="A {B} C", note = "x}y"}\n',
    "literal quote in quotes": '@article{a, title="A {"} B", year=1}\n',
    "escaped quote": '@article{a, title="A \\" B", year=1}\n',
    "escaped brace": "@article{a, title={A \\} B}, year=1}\n",
    "double backslash before brace": "@article{a, title={A \\\\}, year=1}\n}\n",
    "nested braces": "@article{a, title={{A} {\\\"o} {{deep {deeper}}}}, year=1}\n",
    "concatenation": '@string{c = "C"}\n@article{a, booktitle = c # " 2023" # {x}, month=jan}\n',
    "missing comma": "@article{a, title={T} year=2021,\n journal={J}}\n@misc{b, title={U}}\n",
    "missing equals": "@article{a, title{T}, year=2020}\n@misc{b, title={U}}\n",
    "dangling key": "@article{a, title={T}, year}\n@misc{b, title={U}}\n",
    "unclosed entry": "@article{a, title={T},\n@misc{b, title={U}}\n",
    "unclosed brace at eof": "@article{a, title={T\n",
    "no fields": "@misc{lonely}\n@misc{b, title={U}}\n",
    "paren block": "@article(a, title={T}, year=2020)\n@misc{b, title={U}}\n",
    "comment block": "@comment{ @article{x, title={no}} }\n@misc{b, title={U}}\n",
    "comment at line start inside": "@comment{\n@article{x, title={yes}}\n}\n",
    "preamble": '@preamble{"\\newcommand{\\x}{y}"}\n@misc{b, title={U}}\n',
    "mid-line block": "@misc{a, title={A}}@inproceedings{b, title={B}}\n",
    "at sign in value": "@misc{a, note={mail me@home {x}}, title={A}}\n",
    "at line start in value": "@misc{a, note={first\n  @book{b, title={B}}\n",
    "duplicate fields": "@misc{a, title={A}, Title={B}, title={C}}\n",
    "duplicate strings": '@string{x = "1"}\n@string{x = "2"}\n@string{X = "3"}\n@misc{a, title=x}\n',
    "escaped newline": "@misc{a, title={A\\\nB},\n note={N}}\n@misc{b,\n title={B}}\n",
    "type with space": "@article  {a, title={T}}\n",
    "block start escaped": "text \\@misc{a, title={A}}\n",
    "equals in value": "@misc{a, url={http://x?a=b&c=d}, title={A}}\n",
    "quote inside braces": '@misc{a, title={5" floppy}, note="x"}\n',
    "string with paren": '@string(x = "a)b")\n@misc{a, title=x}\n',
    "crlf-free unicode space": "@misc{a,\u00a0title={A}}\n\u2003@misc{b, title={B}}\n",
    "empty": "",
    "only comments": "% nothing here\n",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippets_split_exactly_as_bibtexparser(name: str) -> None:
    assert_same(SNIPPETS[name])


_PIECES = ["@article{", "@misc(", "@string{", "@comment{", "@preamble{", "\n@book{", "k,", "title",
           "note", " = ", "=", "{", "}", '"', ",", " # ", "\n", "  ", "\\", "\\{", "\\\"", '{"}',
           "@", "x", "2020", "jan", ")", "é", "\u00a0"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_generated_text_splits_exactly_as_bibtexparser(pieces: list[str]) -> None:
    text = "".join(pieces)
    try:
        reference = splitter.split_with_bibtexparser(text)
    except Exception:  # bibtexparser's own internal errors: not a case pubsite could match
        return
    assert splitter.split(text) == reference
