"""Output that a host's template engine leaves literal."""

from __future__ import annotations

import re

import pytest

from pubsite.host import host_for_output, host_for_page, protect

NASTY = "<b>{{ braces }}</b> {% endraw %} {%- endraw -%} {{{x}}} 100%} }}\n"


def _liquid_raw(text: str) -> str:
    """What Liquid makes of a raw block: it ends at the first endraw tag (as Liquid's own regex)."""
    match = re.fullmatch(r"\{% raw %\}(.*?)\{%-?\s*endraw\s*-?%\}(.*)", text, re.S)
    assert match, "not wrapped in a raw block"
    return match.group(1) + match.group(2)


def _decode_braces(text: str) -> str:
    return text.replace("&#123;", "{")


def test_jekyll_wraps_in_raw_and_endraw_cannot_break_out() -> None:
    out = protect(NASTY, "jekyll")
    assert out.startswith("{% raw %}\n") and out.endswith("{% endraw %}\n")
    inside = _liquid_raw(out)
    # Liquid's raw block ends only at our own endraw: what is left after it is just a newline.
    assert inside.endswith("\n\n") and "{%" not in inside
    assert _decode_braces(inside).strip() == NASTY.strip()


def test_hugo_leaves_no_double_brace() -> None:
    out = protect(NASTY, "hugo")
    assert "{{" not in out
    assert _decode_braces(out) == NASTY


def test_plain_is_untouched() -> None:
    assert protect(NASTY, "plain") == NASTY


@pytest.mark.parametrize("path, host", [
    ("_includes/publications.html", "jekyll"),
    ("site/_layouts/home.html", "jekyll"),
    ("layouts/partials/publications.html", "hugo"),
    ("build/index.html", "plain"),
    ("_includes.html", "plain"),
    (None, "plain"),
    ("-", "plain"),
])
def test_host_of_an_output_path(path: str | None, host: str) -> None:
    assert host_for_output(path) == host


@pytest.mark.parametrize("front, path, host", [
    ("yaml", "index.md", "jekyll"),
    ("toml", "content/_index.md", "hugo"),
    (None, "index.html", "plain"),
    (None, "layouts/index.html", "hugo"),
])
def test_host_of_a_page(front: str | None, path: str, host: str) -> None:
    assert host_for_page(front, path) == host
