"""Hand-written fast paths of entry formatting give exactly what the general path gives.

Formatting runs once per entry of the page, so some of its steps are written
out by hand where a general tool (``json.dumps`` of a dict, a regex search of
every value) cost more.  Each is compared here with the path it stands for,
on hand-made entries that reach every branch, on every exporter fixture and
on the real corpora.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from pubsite.bibtex import _balanced, _names
from pubsite.config import Config
from pubsite.entryhtml import _authors, _escape_str, _general_authors, _replace_escape
from pubsite.jsonld import article, article_json
from pubsite.model import Author, Links, Publication
from pubsite.names import strip_marks
from pubsite.render import _NOT_IN_HTML, _clean, _forbidden
from pubsite.site import build_publications

from .conftest import SHARED
from .test_entryhtml import HAND_MADE

EXPORTERS = Path(__file__).parent / "exporters"
CORPORA = SHARED / "corpora"
BASES = ("", "https://example.org/people/me/")


def _exporter_pubs() -> list[Publication]:
    pubs: list[Publication] = []
    for bib in sorted(EXPORTERS.glob("*.bib")):
        pubs += build_publications(Config(bib=(str(bib),), news=None, cache_dir=None))[0]
    return pubs


@pytest.fixture(scope="module", params=["medium.bib", "large.bib"])
def corpus(request: pytest.FixtureRequest) -> list[Publication]:
    if not CORPORA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CORPORA} is missing; CI must put shared/ beside the clone")
        pytest.skip("shared/corpora is not beside this clone (it holds the real bibliographies)")
    return build_publications(Config(bib=(str(CORPORA / request.param),), news=None, cache_dir=None))[0]


def _json_differences(pubs: list[Publication]) -> list[str]:
    return [pub.key for base in BASES for pub in pubs
            if article_json(pub, base) != json.dumps(article(pub, base), ensure_ascii=False)]


def test_article_json_is_the_dumped_article_on_hand_made_and_exporter_entries() -> None:
    pubs = HAND_MADE + _exporter_pubs()
    assert len(pubs) > 20
    assert _json_differences(pubs) == []


@pytest.mark.slow
def test_article_json_is_the_dumped_article_on_the_corpora(corpus: list[Publication]) -> None:
    assert _json_differences(corpus) == []


def test_every_code_point_html_forbids_is_one_isprintable_rejects() -> None:
    # What lets _clean skip the search when isprintable() holds.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if _NOT_IN_HTML.match(char):
            assert not char.isprintable(), hex(code)


@pytest.mark.parametrize("text", ["", "plain", "tab\tand\nnewline", "no\u00a0break", "é\x85", "\u4e00\ud800",
                                  "a\ufdd0", "\U0001ffff", "b\x7f", "ok é", "\x0b\x00", "\U0010fffe x"])
def test_clean_is_the_full_search(text: str) -> None:
    assert _clean(text) == _NOT_IN_HTML.sub("", text)
    assert _clean(text) == _forbidden(text).sub("", text)


# -- author and editor fields of the BibTeX copy ----------------------------------------------

_PIECES = ["and", "AND", "And", "others", "Others", "OTHERS", "et", "al", "al.", "et al.", "etal", "ii",
           "...", ". .", "\u2026", "O.", "E.", "Ed", "Otto", "Etalii", ",", "a,", ",b", "He,", "Shiqi",
           "{Li}", "}", "\\'e", "$^*$", "*", "\u2020", "--", "``", "''", "\u200b", "~", "x", "o.t.h.e.r.s",
           "\u0130", "\u212a", "and,", "\u00a0"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_plain_name_lists_are_what_strip_marks_gives(words: list[str]) -> None:
    text = " ".join(" ".join(words).split())
    assert _names(text) == strip_marks(text)


#: Accents, protected letters and near misses of both, glued to their neighbours or not: the pieces
#: an accented list is made of, and those that would spell "others" or "\\dots" once braces go.
_GLUED = _PIECES + ["\\'e", "{\\'e}", "\\'{e}", "{\\'{\\i}}", "\\\"o", "\\~{n}", "\\~n", "\\~{d}", "\\.{l}",
                    "\\~T", "\\c{c}", "\\c c", "\\d{o}", "\\v{s}", "{\\ss}", "{\\o}", "\\o", "{\\ldots}", "\\l",
                    "{D}", "{o}", "{O}", "{others}", "thers", "o{t}hers", "ots", "dots", "{de Barbaro}", "{A and B}",
                    "{-}", "{", "{}", "\\^{}", "\\^{o}", "\\={a}", "{\\i}", "\\i", "\\\\", "\\S", "\\dag", "{*}"]


@given(st.lists(st.tuples(st.sampled_from(_GLUED), st.sampled_from(["", " "])), max_size=12))
def test_accented_name_lists_are_what_strip_marks_gives(pieces: list[tuple[str, str]]) -> None:
    text = " ".join("".join(piece + glue for piece, glue in pieces).split())
    assert _names(text) == strip_marks(text)


@pytest.mark.parametrize("text", ["Wu, Feijie and He, Shiqi and others", "A and others", "others",
                                  "Otto Ed and E. T. Al", "A and and B", "and A", "A AND B", "A, and B,",
                                  "A and \u2026", "A and . . .", "A -- B and C", "Ann Now{\\'e}", "",
                                  "J{\\\"o}rg Hoffmann and {D}e Cat", "A and {others}", "A and o{t}hers",
                                  "A and \\~{d}ots", "A and \\d{o}ts", "{Kleine B{\\\"u}ning}, Hans and Sim{\\~a}o",
                                  "{Barnes and Noble} and others", "Piotr Rafa\\l Gzubicki"])
def test_plain_name_lists_on_edges(text: str) -> None:
    assert _names(text) == strip_marks(text)


def _name_fields(pubs: list[Publication]) -> list[str]:
    return [" ".join(value.split()) for pub in pubs for name, value in pub.fields if name in ("author", "editor")]


def test_plain_name_lists_of_the_exporter_entries() -> None:
    fields = _name_fields(_exporter_pubs())
    assert len(fields) > 20
    assert [text for text in fields if _names(text) != strip_marks(text)] == []


@pytest.mark.slow
def test_plain_name_lists_of_the_corpora(corpus: list[Publication]) -> None:
    fields = _name_fields(corpus)
    assert [text for text in fields if _names(text) != strip_marks(text)] == []


# -- escaping of entry values ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "plain", "a & b", "<script>", "'single' \"double\"", "&amp;", "é & ü <\u2028>",
                                  "\U0001f600 > x", "&&<<>>''\"\""])
def test_string_escape_is_markupsafes(text: str) -> None:
    assert _escape_str(text) == _replace_escape(text) == str(escape(text))


@given(st.text())
def test_string_escape_is_markupsafes_on_any_text(text: str) -> None:
    assert _escape_str(text) == _replace_escape(text) == str(escape(text))


# -- author lines of entries ------------------------------------------------------------------------

_LIMITS = (0, 1, 3, 10)
_ODD_NAMES = ["A|B", "|", "C & D", "<E>", "'F' \"G\"", "H\x0bI", "\x7f", "J\u00a0K", "", "L\nM", "\ufdd0N"]


def _author_differences(pubs: list[Publication]) -> list[str]:
    return [pub.key for limit in _LIMITS for pub in pubs
            if _authors(pub, limit) != _general_authors(pub, limit)]


def test_author_lines_are_the_general_ones_on_hand_made_and_exporter_entries() -> None:
    pubs = HAND_MADE + _exporter_pubs()
    odd = [Publication(f"k{i}", "misc", "T", tuple(Author(n, "", n) for n in names), 2020, None, None, None,
                       "published", Links(), et_al=et_al)
           for i, (names, et_al) in enumerate([(_ODD_NAMES, False), (_ODD_NAMES[:2], True), (["x|y|z"], True),
                                               (["A", "B|"], False), ([], True), (["Solo"], False)])]
    assert _author_differences(pubs + odd) == []


@pytest.mark.slow
def test_author_lines_are_the_general_ones_on_the_corpora(corpus: list[Publication]) -> None:
    assert _author_differences(corpus) == []


# -- braces of the BibTeX copy ----------------------------------------------------------------------

def _balanced_by_count(value: str) -> str:
    """:func:`pubsite.bibtex._balanced` brace by brace, without the regex that accepts paired text whole."""
    opened: list[int] = []
    unmatched: list[int] = []
    for index, char in enumerate(value):
        if char == "{":
            opened.append(index)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                unmatched.append(index)
    drop = set(unmatched + opened)
    return "".join(char for index, char in enumerate(value) if index not in drop)


@given(st.text(alphabet="{}a \\", max_size=20))
def test_balanced_braces_are_counted_ones(value: str) -> None:
    assert _balanced(value) == _balanced_by_count(value)


@pytest.mark.parametrize("value", ["", "a", "{a}", "}{", "{{{{a}}}}", "{{{a}}}", "{a}}", "{{a}", "x{y{z}w}v",
                                   "{a}{b}{", "\\{a}"])
def test_balanced_braces_on_edges(value: str) -> None:
    assert _balanced(value) == _balanced_by_count(value)


@pytest.mark.slow
def test_balanced_braces_of_the_corpora(corpus: list[Publication]) -> None:
    values = [value for pub in corpus for _, value in pub.fields]
    assert [value for value in values if _balanced(value) != _balanced_by_count(value)] == []
