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
    # The one-field-per-line layout the fast path reads in one go, and near misses.
    "line layout": '@article{a,\n  title = {T},\n  author = "A and B",\n  year = 2020,\n  month = jan\n}\n',
    "line layout multi-line values": '@misc{a,\n  title = {Long\n  title},\n  note = "x\n\ny",\n  year=1\n}\n',
    "line layout trailing comma": "@misc{a,\n  title={T},\n}\n@misc{b,\n  title={T},\n\n  }\n",
    "line layout tabs": "@misc{ a ,\t\n\ttitle\t=\t{T}\t,\n year=1}\n",
    "line layout two on a line": "@misc{a,\n title={T}, year=1,\n note={n}\n}\n",
    "line layout field on the head line": "@misc{a, title={T},\n year=1\n}\n",
    "line layout newline after equals": "@misc{a,\n title =\n {T},\n year=1\n}\n",
    "line layout newline before comma": "@misc{a,\n title = {T}\n, year=1\n}\n",
    "line layout blank line between": "@misc{a,\n title = {T},\n\n year=1\n}\n",
    "line layout literal quote": '@misc{a,\n title = "A {"} B",\n year=1\n}\n',
    "line layout brace quote in braces": '@misc{a,\n title = {A {"} B},\n year=1\n}\n',
    "line layout duplicate": "@misc{a,\n title={A},\n Title={B},\n title={C}\n}\n",
    "line layout unicode space": "@misc{a,\n\u00a0title={A},\n year={1}\u00a0\n}\n@misc{b,\n t={A}\u2003,\n}\n",
    "line layout escaped newline": "@misc{a,\n title={A\\\nB}\n}\n@misc{b,\n title={B},\n y=1\n}\n",
    "line layout bare junk": "@misc{a,\n year = 2020 x,\n title={T}\n}\n",
    "line layout empty value": "@misc{a,\n title=,\n year=1\n}\n",
    "line layout deep braces": "@misc{a,\n title={A {B {C}} D},\n year=1\n}\n",
    "line layout escapes": '@misc{a,\n title={A \\{ B},\n note="x\\"y",\n z={\\\\},\n w="\\\\"\n}\n',
    "line layout accepted escapes": '@misc{a,\n title={A \\"o {\\\'e} \\% B},\n note="x\\"y {\\ss}"\n}\n',
    "line layout unclosed": "@misc{a,\n title={A},\n year=1\n@misc{b,\n title={B}\n}\n",
    "line layout comment line": "@misc{a,\n % c\n title={A}\n}\n",
    "line layout at in name": "@misc{a,\n ti@tle={A}\n}\n",
    "line layout key with space": "@misc{a b,\n title={A}\n}\n@misc{,\n title={A}\n}\n",
    "line layout concatenation": "@misc{a,\n title = x # {y},\n year=1\n}\n",
    "line layout carriage return": "@misc{a,\r\n title={A}\r\n}\n",
    "line layout no fields": "@misc{a,\n}\n@misc{b,\n title={B}}\n",
    "line layout at in value": "@misc{a,\n note={me@home {x}},\n url={@a{b}}\n}\n",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippets_split_exactly_as_bibtexparser(name: str) -> None:
    assert_same(SNIPPETS[name])


_PIECES = ["@article{", "@misc(", "@string{", "@comment{", "@preamble{", "\n@book{", "k,", "title",
           "note", " = ", "=", "{", "}", '"', ",", " # ", "\n", "  ", "\\", "\\{", "\\\"", '{"}',
           "@", "x", "2020", "jan", ")", "é", "\u00a0"]


def test_the_line_layout_is_read_in_one_go() -> None:
    """The snippets above prove the fast entry path only if it is taken for them."""
    text = SNIPPETS["line layout multi-line values"]
    opener = text.index("{")
    entry = splitter._line_entry(text, 0, "@misc", opener, len(text), splitter._Lines(text))
    assert entry is not None
    block = splitter.line_block(entry)
    assert block == splitter.split_with_bibtexparser(text)[0]
    assert [line for _, _, line in block.fields] == [1, 3, 6]


_NAMES = ["title", "Title", "note", "x y", "t@x", "", "year"]
_EQUALS = [" = ", "=", "\t=\t", " =\n ", " "]
_VALUES = ["{A}", "{A {B} C}", '"q"', '"a {"} b"', "2020", "jan", "{x\ny}", '"x\ny"', '{\\"o}',
           '"\\\\"', "", "{a\\}b}", "x # {y}", "{A} z", "{", '"', "{\u00a0}", "{{{deep}}}"]
_JOINS = [",\n  ", ",\n", ", ", "\n", ",\t\n", ",\n\n ", " ,\n", ",\r\n"]
_ENDS = ["\n}", ",\n}", "}", "\n", ",\n\n}", "\n\n@misc{z,\n q={Q}\n}"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_NAMES), st.sampled_from(_EQUALS), st.sampled_from(_VALUES),
                          st.sampled_from(_JOINS)), min_size=1, max_size=6),
       st.sampled_from(["a", " a ", "a b", ""]), st.sampled_from(_ENDS), st.sampled_from(["", "x\n", "\\\n"]))
def test_generated_line_layout_entries_split_exactly_as_bibtexparser(
        fields: list[tuple[str, str, str, str]], key: str, end: str, before: str) -> None:
    """Entries near the one-field-per-line layout, where the fast entry path must take or refuse them exactly."""
    body = "".join(join + name + equals + value for name, equals, value, join in fields)
    text = before + "@article{" + key + body + end + "\n@misc{last,\n title={L}\n}\n"
    try:
        reference = splitter.split_with_bibtexparser(text)
    except Exception:  # bibtexparser's own internal errors: not a case pubsite could match
        return
    assert splitter.split(text) == reference


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_generated_text_splits_exactly_as_bibtexparser(pieces: list[str]) -> None:
    text = "".join(pieces)
    try:
        reference = splitter.split_with_bibtexparser(text)
    except Exception:  # bibtexparser's own internal errors: not a case pubsite could match
        return
    assert splitter.split(text) == reference
