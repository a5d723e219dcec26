"""Markdown text: whatever the input, a CommonMark reader shows exactly the input."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pubsite.mdtext import md_html, md_text, md_url

_MD = MarkdownIt("commonmark")


def shown(markdown: str) -> str:
    """The text a reader sees: tags dropped, references decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", _MD.render(markdown))).strip()


# Printable text with every ASCII punctuation mark over-represented, no line breaks.
TEXT = st.text(st.one_of(st.sampled_from(list("\\`*_[]#|~{}$@!<>&\"'().:-+=/ wx0")),
                         st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))), max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_reads_back_literally(text: str) -> None:
    assert shown(f"x{md_text(text)}x") == f"x{text}x"


@pytest.mark.parametrize("text", [
    "Templating {{ braces }} and {% endraw %}", "it's \"fine\"", "a -- b --- c", "wait...", "*not em*",
    "_nor this_", "[link](x)", "`code`", "#1 | x", "https://example.org", "www.example.org",
    "me@example.org", "$$x$$", "{: .class}", "~~gone~~", "<b>bold</b> &amp;",
])
def test_no_markdown_syntax_survives(text: str) -> None:
    out = md_text(text)
    assert not re.search(r"[*_`\[\]#|~{}$@\\]|\.\.|--|://|www\.", str(out).replace("&#", "")), out
    assert "<b>" not in out
    assert shown(f"x {out} x") == f"x {text} x"


def test_news_html_keeps_its_tags_and_neutralises_its_text() -> None:
    out = md_html('<a href="https://x.org/a_b">see https://x.org *x*</a> &amp; &#39;')
    assert out.startswith('<a href="https://x.org/a_b">')  # the tag (and its URL) untouched
    assert shown(out) == "see https://x.org *x* & '"


def test_url_destination_is_read_to_its_end() -> None:
    url = "https://example.org/a (b)/c<d>?q=\"1\"&r=2"
    out = _MD.render(f"[x]({md_url(url)})")
    assert 'href="https://example.org/a%20%28b%29/c%3Cd%3E?q=%221%22&amp;r=2"' in out
