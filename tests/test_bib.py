"""Loading BibTeX as real files contain it: macros, encodings, broken entries."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubsite import bib
from pubsite.errors import PubsiteError
from pubsite.splitter import Block


def parse(text: str) -> tuple[list[bib.RawEntry], list]:
    return bib.parse_text(text, "refs.bib")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("{Plain}", "Plain"),
        ('"Quoted {Braces}"', "Quoted {Braces}"),
        ("2023", "2023"),
        ("icml", "International Conference on Machine Learning"),
        ('icml # " 2023"', "International Conference on Machine Learning 2023"),
        ('"Proc. " # icml', "Proc. International Conference on Machine Learning"),
        ("jul", "July"),
        ("{A} # {B} # {C}", "ABC"),
        ("ICML", "International Conference on Machine Learning"),  # macros are case-insensitive
    ],
)
def test_expand(raw: str, expected: str) -> None:
    strings = {"icml": "International Conference on Machine Learning"}
    assert bib.expand(raw, strings) == expected


@pytest.mark.parametrize("raw", ["{2020} journal={X}", "{Title}m", "{open", '"open'])
def test_expand_rejects_malformed(raw: str) -> None:
    with pytest.raises(bib.MalformedValue):
        bib.expand(raw, {})


def test_strings_and_concatenation_in_entries() -> None:
    entries, problems = parse(
        '@string{conf = "Conference on X"}\n'
        '@string{full = "Proceedings of the " # conf}\n'
        "@inproceedings{a, title={T}, booktitle=full # { 2023}, month=jul, year=2023}\n"
    )
    assert problems == []
    assert entries[0].get("booktitle") == "Proceedings of the Conference on X 2023"
    assert entries[0].get("month") == "July"
    assert entries[0].line == 3


def test_undefined_macro_is_a_warning_with_line() -> None:
    entries, problems = parse("\n\n@article{a, title={T}, journal=Bioinformatics, year=2001}\n")
    assert entries[0].get("journal") == "Bioinformatics"
    assert [(p.line, p.level, p.code) for p in problems] == [(3, "warning", "PS103")]
    assert "Bioinformatics" in problems[0].message


def test_one_broken_entry_does_not_hide_the_others() -> None:
    text = (
        "@article{good1, title={One}, year=2020}\n"
        "@article{bad, title={Two}, year={2021} 2022, journal={J}}\n"
        "@article{good2, title={Three}, year=2022}\n"
    )
    entries, problems = parse(text)
    assert [e.key for e in entries] == ["good1", "bad", "good2"]
    assert entries[1].get("year") is None and entries[1].get("title") == "Two"
    assert [(p.line, p.level, p.code) for p in problems] == [(2, "error", "PS106")]


def test_unparseable_block_reported_with_line() -> None:
    text = "@article{ok, title={A}, year=2020}\n\n@article{broken title={B}, year=2020}\n@misc{after, title={C}}\n"
    entries, problems = parse(text)
    assert [e.key for e in entries] == ["ok", "after"]
    assert [(p.line, p.code) for p in problems] == [(3, "PS001")]


def test_parse_error_names_the_line_of_the_slip() -> None:
    text = "@misc{a,\n  title={A},\n  year\n}\n@misc{b, title={B}}\n"
    entries, problems = parse(text)
    assert [e.key for e in entries] == ["b"]
    assert [(p.line, p.code) for p in problems] == [(4, "PS001")]
    assert "entry starts at line 1" in problems[0].message


def test_value_without_field_name() -> None:
    entries, problems = parse("@misc{a,\n  title={A},\n  = {C}\n}\n")
    assert entries[0].fields == (("title", "A"),)
    assert [(p.line, p.level, p.code) for p in problems] == [(3, "error", "PS106")]


# Slips that have exactly one reading are repaired and reported as warnings on
# the line of the slip (the three in the corpora README are the model cases).
@pytest.mark.parametrize(
    "text, fields, line, words",
    [
        # A stray character after a field's comma.
        ("@misc{a,\n url={https://x.org},m\n doi={10.1/x}\n}\n",
         {"url": "https://x.org", "doi": "10.1/x"}, 2, "stray text 'm'"),
        ("@misc{a,\n school={UIUC},.\n keywords={k}\n}\n", {"school": "UIUC", "keywords": "k"}, 2,
         "stray text '.'"),
        # A comma forgotten between two fields, on one line or across lines.
        ("@misc{a,\n title={T}\n year={2008},\n note={n}\n}\n",
         {"title": "T", "year": "2008", "note": "n"}, 2, "comma missing after field 'title'"),
        ('@misc{a, title="T" year=2000}\n', {"title": "T", "year": "2000"}, 1, "comma missing"),
        ("@misc{a, title={T},\n  year={2008}\n  month=jul}\n", {"title": "T", "year": "2008", "month": "July"},
         2, "comma missing after field 'year'"),
        # "title{...}" without "=".
        ("@misc{a,\n author={X},\n title{Low-Resource G2P},\n year={2017}\n}\n",
         {"author": "X", "title": "Low-Resource G2P", "year": "2017"}, 3, "'=' missing after field 'title'"),
        # An entry whose closing brace was deleted, before the next entry and at the end of the file.
        ("@misc{a,\n title={T},\n year={2017}\n\n@book{b, title={B}}\n",
         {"title": "T", "year": "2017"}, 3, "not closed"),
        ("@misc{a,\n title={T},\n publisher = {{IEEE}}\n", {"title": "T", "publisher": "{IEEE}"}, 3, "not closed"),
    ],
)
def test_slips_are_repaired_and_reported(text: str, fields: dict[str, str], line: int, words: str) -> None:
    entries, problems = parse(text)
    assert dict(entries[0].fields) == fields
    assert [(p.line, p.level, p.code) for p in problems] == [(line, "warning", "PS502")]
    assert words in problems[0].message and "'a'" in problems[0].message


def test_repaired_entry_with_an_empty_key() -> None:
    # Found by the property tests: a key of blank characters, then "author{".
    entries, problems = parse("@article{\x0c,\n  author{X}\n}\n")
    assert entries[0].get("author") == "X"
    assert [(p.line, p.code) for p in problems] == [(2, "PS502")]


def test_unrepairable_slips_stay_errors() -> None:
    # An unclosed value (not just an unclosed entry) has no single reading.
    entries, problems = parse("@misc{a,\n title={T,\n year={2017}\n\n@book{b, title={B}}\n")
    assert [e.key for e in entries] == ["b"]
    assert [(p.level, p.code) for p in problems] == [("error", "PS001")]


def test_duplicate_key_names_both_lines() -> None:
    entries, problems = parse("@article{k, title={A}}\n@article{k, title={B}}\n")
    assert [e.get("title") for e in entries] == ["A"]
    assert problems[0].line == 2
    assert "first defined at line 1" in problems[0].message


def test_duplicate_field_keeps_first_and_warns() -> None:
    entries, problems = parse("@article{k, title={A}, year={2020}, year={2021}}\n")
    assert entries[0].get("year") == "2020"
    assert problems[0].code == "PS104" and "year" in problems[0].message


def test_field_names_and_types_are_lower_cased() -> None:
    entries, _ = parse("@ARTICLE{K, TITLE={A}, Journal={J}}\n")
    assert entries[0].type == "article"
    assert entries[0].fields == (("title", "A"), ("journal", "J"))


def test_crossref_inherits_missing_fields() -> None:
    entries, problems = parse(
        "@inproceedings{p, title={Paper}, crossref={proc}}\n"
        "@proceedings{proc, title={Proc of Conf}, year=2020, publisher={ACM}}\n"
    )
    assert problems == []
    paper = entries[0]
    assert paper.get("booktitle") == "Proc of Conf"
    assert paper.get("year") == "2020"
    assert paper.get("title") == "Paper"


def test_crossref_to_missing_entry_warns() -> None:
    _, problems = parse("@inproceedings{p, title={Paper}, crossref={nowhere}}\n")
    assert problems[0].code == "PS105"


def test_bom_crlf_and_latin1(tmp_path: Path) -> None:
    utf = tmp_path / "bom.bib"
    utf.write_bytes("\ufeff@article{a,\r\n  title={Caf\u00e9},\r\n  year=2020\r\n}\r\n".encode("utf-8"))
    entries, problems = bib.load([str(utf)])
    assert problems == [] and entries[0].get("title") == "Caf\u00e9"
    latin = tmp_path / "latin.bib"
    latin.write_bytes("@article{a,\n  title={Caf\u00e9},\n  year=2020\n}\n".encode("latin-1"))
    entries, problems = bib.load([str(latin)])
    assert entries[0].get("title") == "Caf\u00e9"
    assert problems[0].code == "PS002" and problems[0].line == 2


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(PubsiteError) as info:
        bib.load([str(tmp_path / "nope.bib")])
    assert str(info.value).endswith("nope.bib: file not found")


def test_keys_unique_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@article{k, title={A}}\n")
    (tmp_path / "b.bib").write_text("\n@article{K, title={B}}\n")
    entries, problems = bib.load([str(tmp_path / "a.bib"), str(tmp_path / "b.bib")])
    assert len(entries) == 1
    assert problems[0].path.endswith("b.bib") and problems[0].line == 2
    assert "a.bib:1" in problems[0].message


def test_keys_unique_across_files_after_an_empty_one(tmp_path: Path) -> None:
    """The first file with entries is taken whole; later ones are checked against all before them."""
    texts = {"a.bib": "% nothing yet\n", "b.bib": "@misc{k1, title={A}}\n@misc{K1, title={dup}}\n",
             "c.bib": "@misc{K1, title={B}}\n@misc{k2, title={C}}\n", "d.bib": "@misc{k2, title={D}}\n"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
    entries, problems = bib.load([str(tmp_path / name) for name in texts])
    assert [(e.key, e.get("title")) for e in entries] == [("k1", "A"), ("k2", "C")]
    assert [(Path(p.path).name, p.line, p.code) for p in problems] == [
        ("b.bib", 2, "PS102"), ("c.bib", 1, "PS102"), ("d.bib", 1, "PS102")]
    assert "b.bib:1" in problems[1].message and "c.bib:2" in problems[2].message


def test_comments_and_preamble_are_ignored() -> None:
    entries, problems = parse("% a comment\n@comment{x}\n@preamble{\"\\newcommand\"}\n@misc{m, title={T}}\n")
    assert [e.key for e in entries] == ["m"] and problems == []


@pytest.mark.parametrize("text", ["", "a", "a\n", "\n\n", "x\ny\nz", "x\ny\nz\n"])
def test_line_offset_is_where_the_line_starts(text: str) -> None:
    from pubsite.bib import _line_offset

    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    for line in range(len(starts) + 2):
        assert _line_offset(text, line) == (starts[line] if line < len(starts) else len(text))


@pytest.mark.parametrize("text, end, expected", [("", 0, -1), ("  ", 2, -1), ("ab \n ", 5, 1), ("ab", 1, 0)])
def test_last_non_space(text: str, end: int, expected: int) -> None:
    from pubsite.bib import _last_non_space

    assert _last_non_space(text, end) == expected == len(text[:end].rstrip()) - 1


_FIELD_NAMES = ["title", "Title", "TITLE", "crossref", "note", " m\n doi", "", "x y", " ", "year"]
_VALUE_PIECES = ["{", "}", '"', "\\", "a", " ", "#", "jan", "x", "2020", '{"}', "\n", "{A}", '"q"']


_TRICKY_VALUES = ['"a\\"', '"a {b"', '"{a}"', '"a}{"', "{a}b", "{a{b}}", "{}", '""', '"', "{", "}", "2020",
                  "20x", " {a}", "{a} ", '"a" # "b"', "{a}#{b}", "jan", "x", "y", '{a"b}', '"a{"}b"', "{a}}",
                  "{{a}", '"a\\\\"', "{a\\}", "0", "", " ", "\u0663"]


def _fields_both_ways(raw: list[tuple[str, str]]) -> None:
    block = Block("entry", 4, key="k", type="misc", fields=[(name, value, 5 + i) for i, (name, value) in enumerate(raw)])
    strings = {"x": "X"}
    fast_problems: list = []
    fast = bib._fields(block, "k", strings, "refs.bib", fast_problems)
    careful_problems: list = []
    with patch.object(bib, "_plain_fields", lambda *args: None):
        careful = bib._fields(block, "k", strings, "refs.bib", careful_problems)
    assert fast == careful and fast_problems == careful_problems


@pytest.mark.parametrize("value", _TRICKY_VALUES)
def test_plain_fields_agree_with_the_careful_path_on_tricky_values(value: str) -> None:
    """The shortcut for entries with nothing to report gives what the field-by-field path gives."""
    _fields_both_ways([("title", value)])
    _fields_both_ways([("note", "{N}"), ("title", value), ("year", "2020")])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_FIELD_NAMES),
                          st.one_of(st.sampled_from(_TRICKY_VALUES),
                                    st.lists(st.sampled_from(_VALUE_PIECES), max_size=6).map("".join))),
                max_size=5))
def test_plain_fields_agree_with_the_careful_path(raw: list[tuple[str, str]]) -> None:
    """Generated entries: names clean or not, repeated or not, values of every shape."""
    _fields_both_ways(raw)


@pytest.mark.parametrize("before", ["", "% a comment\n\n", "".join(f"@misc{{z{i},\n  title={{Z}}\n}}\n" for i in range(3))])
def test_repaired_entries_deep_in_a_file_keep_their_lines(before: str) -> None:
    """A failed block is read again on its own; its lines are shifted to where it stands."""
    text = "@misc{a,\n title={T},\n year={2017}\n\n@book{b, title={B}}\n"
    alone, alone_problems = parse(text)
    entries, problems = parse(before + text)
    shift = before.count("\n")
    assert [(e.key, e.fields, e.line - shift) for e in entries if not e.key.startswith("z")] == [
        (e.key, e.fields, e.line) for e in alone]
    assert [(p.line - shift, p.message) for p in problems] == [(p.line, p.message) for p in alone_problems]
