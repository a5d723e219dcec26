"""Loading reads most entries from the splitter's tuples; it must give what the Block path gives.

:func:`pubsite.bib.parse_text` takes an entry of the common layout straight
from a :data:`pubsite.splitter.LineEntry` (names judged once per order, values
the splitter found plain not expanded again).  Here that shortcut is compared
with the same text read through :class:`~pubsite.splitter.Block` records only,
and with bibtexparser's own split, on the corpora and on generated entries.
"""

from __future__ import annotations

import os
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pubsite import bib, splitter

from .conftest import SHARED

CORPORA = SHARED / "corpora"


def _require_corpora() -> None:
    if not CORPORA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CORPORA} is missing; CI must put shared/ beside the clone")
        pytest.skip("shared/corpora is not beside this clone (it holds the real bibliographies)")


def _through_blocks(text: str, path: str) -> tuple[list[bib.RawEntry], list]:
    """parse_text with every entry made a Block first: the path the tuples skip."""
    records = splitter.split_records(text)
    blocks = [splitter.line_block(r) if type(r) is tuple else r for r in records]
    with patch.object(splitter, "split_records", lambda _: blocks):
        return bib.parse_text(text, path)


def assert_same_reading(text: str) -> None:
    fast = bib.parse_text(text, "refs.bib")
    assert fast == _through_blocks(text, "refs.bib")
    assert fast == bib.parse_text(text, "refs.bib", reference=True)


def _plain_texts_hold(text: str) -> int:
    """Every plain text the splitter gives is what expand makes of its value; how many there were."""
    count = 0
    for record in splitter.split_records(text):
        if type(record) is tuple:
            for value, plain, word in zip(record[5], record[6], record[7]):
                if plain is not None:
                    assert plain == bib.expand(value, {}), value
                    count += 1
                assert word is None or word == value and "#" not in word
    return count


@pytest.mark.slow
@pytest.mark.parametrize("name", ["medium.bib", "large.bib"])
def test_corpora_read_the_same_from_tuples_and_blocks(name: str) -> None:
    _require_corpora()
    path = CORPORA / name
    text = bib.read_text(path, str(path))[0]
    assert _plain_texts_hold(text) > 1000
    fast = bib.parse_text(text, name)
    assert fast == _through_blocks(text, name)
    assert fast == bib.parse_text(text, name, reference=True)


_NAMES = ["title", "Title", "crossref", "note", "year", "x", "t@x"]
_VALUES = ["{A}", "{A {B} C}", '"q"', '"a {"} b"', "2020", "jan", "x", "undefined", "{x\ny}", '"x\ny"',
           '{\\"o}', '"\\\\"', "{a\\}b}", "x # {y}", "{A} z", "{}", '""', '"a \\& b"', "{a \\& b}",
           '{a "q" b}', '"a\\"b"', '"a\\x"', "{a\\\\}", '"a \\{ b"', "\u0663", "{\u00a0}", "\u00a0x", "{z}",
           '"a}{"', '"a{b"', '"a {b} c"', '"a {b {c}} d"', "a#b", "x#y", "{a {b {c}}}", "{a {\\\"o} b}"]
_JOINS = [",\n  ", ",\n", ", ", ",\n\n "]
_ENDS = ["\n}", ",\n}", "}", "\n"]
_PIECES = ["{", "}", '"', "\\", "a", " ", "#", "jan", "x", "2020", '{"}', "\n", "{A}", '"q"', "\\&", "\u00a0"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_NAMES),
                          st.one_of(st.sampled_from(_VALUES),
                                    st.lists(st.sampled_from(_PIECES), max_size=6).map("".join)),
                          st.sampled_from(_JOINS)), min_size=1, max_size=6),
       st.sampled_from(["a", "A", "b"]), st.sampled_from(_ENDS))
def test_generated_entries_read_the_same_from_tuples_and_blocks(
        fields: list[tuple[str, str, str]], key: str, end: str) -> None:
    body = "".join(join + name + " = " + value for name, value, join in fields)
    text = ('@string{x = "X"}\n@misc{a,\n title={First},\n crossref={b}\n}\n'
            f"@article{{{key}{body}{end}\n@book{{b,\n title={{B}},\n publisher=x\n}}\n")
    try:
        splitter.split_with_bibtexparser(text)
    except Exception:  # bibtexparser's own internal errors: not a case pubsite could match
        return
    _plain_texts_hold(text)
    assert_same_reading(text)


@pytest.mark.parametrize("value", _VALUES)
def test_each_value_reads_the_same_from_tuples_and_blocks(value: str) -> None:
    _plain_texts_hold(f"@misc{{a,\n title = {value},\n year = 2020\n}}\n")
    assert_same_reading(f"@misc{{a,\n title = {value},\n year = 2020\n}}\n@misc{{A,\n note={{n}}\n}}\n")
