"""Injecting between markers: only the regions change, bad markers are refused."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pubsite.errors import PubsiteError
from pubsite.inject import find_regions, front_matter, inject, newline_of

CONTENT = {None: "<p>all</p>\n", "news": "<p>news</p>\n", "publications": "<p>pubs</p>\n"}


def test_only_the_region_changes() -> None:
    page = "---\ntitle: Me\n---\nHello {{ page.title }}\n<!-- pubsite:start -->\nold\n<!-- pubsite:end -->\nBye\n"
    out = inject(page, "p.md", CONTENT)
    assert out == ("---\ntitle: Me\n---\nHello {{ page.title }}\n<!-- pubsite:start -->\n<p>all</p>\n"
                   "<!-- pubsite:end -->\nBye\n")


def test_idempotent() -> None:
    page = "a\n<!-- pubsite:start news -->\n<!-- pubsite:end news -->\nb\n<!-- pubsite:start publications -->x" \
           "<!-- pubsite:end -->"
    once = inject(page, "p.html", CONTENT)
    assert inject(once, "p.html", CONTENT) == once
    assert once == ("a\n<!-- pubsite:start news -->\n<p>news</p>\n<!-- pubsite:end news -->\nb\n"
                    "<!-- pubsite:start publications -->\n<p>pubs</p>\n<!-- pubsite:end -->")


def test_named_regions_select_their_section() -> None:
    page = "<!-- pubsite:start publications -->\n<!-- pubsite:end -->\n<!-- pubsite:start news -->\n" \
           "<!-- pubsite:end -->\n"
    regions = find_regions(page, "p.html")
    assert [(r.name, r.sections, r.line) for r in regions] == [
        ("publications", ("publications",), 1), ("news", ("news",), 3)]
    assert find_regions("<!--pubsite:start-->\n<!--  pubsite:end  -->", "p")[0].sections == ("news", "publications")


def test_crlf_file_stays_crlf() -> None:
    page = "title\r\n<!-- pubsite:start -->\r\nold\r\n<!-- pubsite:end -->\r\nend\r\n"
    out = inject(page, "p.html", {None: "<ul>\n<li>x</li>\n</ul>\n"})
    assert out == "title\r\n<!-- pubsite:start -->\r\n<ul>\r\n<li>x</li>\r\n</ul>\r\n<!-- pubsite:end -->\r\nend\r\n"
    assert "\n" not in out.replace("\r\n", "")
    assert newline_of(page) == "\r\n" and newline_of("a\nb\r\n") == "\n"


@pytest.mark.parametrize("page, line, message", [
    ("no markers here\n", None, "no '<!-- pubsite:start -->'"),
    ("a\n<!-- pubsite:end -->\n", 2, "'pubsite:end' without a 'pubsite:start'"),
    ("<!-- pubsite:start -->\n\n<!-- pubsite:start -->\n<!-- pubsite:end -->", 3, "before the region opened on line 1"),
    ("x\n<!-- pubsite:start news -->\nnever closed\n", 2, "'pubsite:start news' is never closed"),
    ("<!-- pubsite:start -->\n<!-- pubsite:end -->\n<!-- pubsite:start -->\n<!-- pubsite:end -->\n", 3,
     "duplicate marker: the news section already has a region (line 1)"),
    ("<!-- pubsite:start news -->\n<!-- pubsite:end -->\n<!-- pubsite:start -->\n<!-- pubsite:end -->\n", 3,
     "duplicate marker"),
    ("<!-- pubsite:start news -->\n<!-- pubsite:end publications -->\n", 2,
     "'pubsite:end publications' closes 'pubsite:start news' of line 1"),
    ("\n<!-- pubsite:start pubs -->\n<!-- pubsite:end -->\n", 2,
     "unknown pubsite region 'pubs' (did you mean 'publications'?)"),
    ("<!-- pubsite:begin -->\n", 1, "malformed pubsite marker"),
    ("<!-- pubsite:end -->\n<!-- pubsite:start -->\n", 1, "'pubsite:end' without"),
])
def test_marker_trouble_names_file_and_line(page: str, line: int | None, message: str) -> None:
    with pytest.raises(PubsiteError) as caught:
        inject(page, "site/index.md", CONTENT)
    assert caught.value.path == "site/index.md"
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"site/index.md:{line}: " if line else "site/index.md: ")


@pytest.mark.parametrize("text, kind", [
    ("---\nlayout: single\n---\n", "yaml"),
    ("\ufeff---\r\nx: 1\r\n---\r\n", "yaml"),
    ("+++\ntitle = 'x'\n+++\n", "toml"),
    ("<html>\n", None),
    ("", None),
    ("# ---\n", None),
])
def test_front_matter_kind(text: str, kind: str | None) -> None:
    assert front_matter(text) == kind


@settings(max_examples=200, deadline=None)
@given(before=st.text(), middle=st.text(), after=st.text(), body=st.text(), crlf=st.booleans())
def test_any_page_keeps_its_bytes_outside_the_markers(before: str, middle: str, after: str, body: str,
                                                       crlf: bool) -> None:
    assume("pubsite:" not in before + middle + after + body)
    page = f"{before}<!-- pubsite:start -->{middle}<!-- pubsite:end -->{after}"
    if crlf:
        page = page.replace("\r\n", "\n").replace("\n", "\r\n")
    once = inject(page, "p", {None: body})
    assert inject(once, "p", {None: body}) == once
    head, rest = once.split("<!-- pubsite:start -->", 1)
    inside, tail = rest.split("<!-- pubsite:end -->", 1)
    assert head == page.split("<!-- pubsite:start -->", 1)[0]
    assert tail == page.split("<!-- pubsite:end -->", 1)[1]
    assert inside.startswith(newline_of(page))
    if newline_of(page) == "\r\n":
        assert "\n" not in inside.replace("\r\n", "")
