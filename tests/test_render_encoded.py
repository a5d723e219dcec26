"""The page rendered straight to bytes must be exactly the page rendered as text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import pytest

from pubsite.config import load_config
from pubsite.render import render, render_encoded
from pubsite.site import build_site

from .conftest import ROOT


@pytest.mark.parametrize("format_", ["page", "fragment", "markdown", "json"])
def test_bytes_are_the_text_encoded(format_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    config = replace(load_config(overrides={"format": format_}), cache_dir=None)
    site, _ = build_site(config)
    assert bytes(render_encoded(site, config)) == render(site, config).encode("utf-8")


def test_json_ld_made_on_demand_is_still_cleaned(write_site: Callable[..., Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_site({"p.bib": "@misc{a, title={Bad\x7fTitle\x01}, year=2020}\n"})
    monkeypatch.chdir(root)
    config = replace(load_config(overrides={"format": "page", "bib": ("p.bib",)}), cache_dir=None)
    site, _ = build_site(config)
    page = bytes(render_encoded(site, config)).decode("utf-8")
    assert "BadTitle" in page and "application/ld+json" in page
    assert "\x7f" not in page and "\x01" not in page


def test_json_ld_printed_twice_is_whole_both_times(write_site: Callable[..., Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The lines made ahead serve the first printing only; a second one makes them again."""
    root = write_site({"p.bib": "@misc{a, title={First}, year=2020}\n@misc{b, title={Second}, year=2021}\n",
                       "templates/page.html": '{% extends "!default/page.html" %}'
                                              '{% block head %}<script>{{ json_ld }}</script>{% endblock %}\n'})
    monkeypatch.chdir(root)
    config = replace(load_config(overrides={"format": "page", "bib": ("p.bib",)}), cache_dir=None)
    site, _ = build_site(config)
    page = bytes(render_encoded(site, config)).decode("utf-8")
    blocks = [b.split("</script>")[0] for b in page.split("<script")[1:]]
    assert len(blocks) == 2 and blocks[0].split(">", 1)[1].strip() == blocks[1].split(">", 1)[1].strip()
    assert "First" in blocks[1] and "Second" in blocks[1]
