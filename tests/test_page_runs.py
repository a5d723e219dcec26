"""The page prints its entries and JSON-LD lines a few hundred at a time, as the same bytes as one at a time.

Joined runs skip the search for code points HTML forbids, because each entry
and each line was cleaned as it was made; these tests hold the joined page
equal to the page printed entry by entry through the template engine (which
searches everything), at run boundaries, on every path an entry or a line
can take: made ahead in Python, made by a site's own macro, kept in the cache.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import pytest

from pubsite import render as render_module
from pubsite.config import load_config
from pubsite.jsonld import HEAD, TAIL, json_ld_parts
from pubsite.site import render_site

from .conftest import ROOT

#: The default ``publications.html`` as it was before runs: one entry per template loop.
ONE_AT_A_TIME = (ROOT / "pubsite" / "templates" / "publications.html").read_text(encoding="utf-8").replace(
    "{% for run in publication_runs(pubs) %}\n{{ run }}\n", "{% for pub in pubs %}\n{{ publication_html(pub) }}\n")

#: Titles and names with code points HTML forbids (JSON escapes none of these but \x0b and \x01).
ODD = ["Bad\x9fTitle\ufdd0", "Tab\x0bbed", "Nul\x01l \U0001F600", "Plain", "Del\x7f", "Non\U0010FFFEchar", "C1\x80"]
BIB = "".join(f"@{'article' if n % 2 else 'misc'}{{k{n}, title={{{title}}}, author={{Doe\x9f, Jane and He, Shiqi}}, "
              f"journal={{J}}, year={2000 + n % 3}}}\n" for n, title in enumerate(ODD * 2))


def page(**settings: object) -> str:
    config = load_config(None, {"format": "page", "group_by": "type", "site_url": "https://me.example.org/",
                                **settings})
    return render_site(config).text


@pytest.fixture
def small_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of three entries, so a small site has several, and a last one that is not full."""
    monkeypatch.setattr(render_module, "RUN", 3)


def test_joined_entries_print_as_the_template_prints_each(write_site: Callable[..., Path],
                                                          monkeypatch: pytest.MonkeyPatch, small_runs: None) -> None:
    root = write_site({"data/publications.bib": BIB})
    monkeypatch.chdir(root)
    joined = page(cache_dir=None)
    (root / "each").mkdir()
    (root / "each" / "publications.html").write_text(ONE_AT_A_TIME, encoding="utf-8")
    assert joined == page(cache_dir=None, template_dir="each")
    assert joined.count('<li class="pubsite-pub') == len(ODD) * 2
    for gone in "\ufdd0\x0b\x01\x7f\U0010FFFE\x9f":
        assert gone not in joined, repr(gone)


def test_a_site_macro_s_entries_are_joined_and_still_cleaned(write_site: Callable[..., Path],
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              small_runs: None) -> None:
    # Its own _macros.html (here the packaged one, with a vertical tab in its own text) prints entries
    # through the engine, which cleans the values but not the template's text: each entry is searched
    # before it joins a run.
    root = write_site({"data/publications.bib": BIB})
    monkeypatch.chdir(root)
    (root / "own").mkdir()
    packaged = (ROOT / "pubsite" / "templates" / "_macros.html").read_text(encoding="utf-8")
    (root / "own" / "_macros.html").write_text(packaged.replace('<strong class="pubsite-title">',
                                                                '<strong class="pubsite-title">\x0b'),
                                               encoding="utf-8")
    assert page(cache_dir=None, template_dir="own") == page(cache_dir=None)


def test_entries_and_lines_kept_in_the_cache_print_the_same(write_site: Callable[..., Path],
                                                            monkeypatch: pytest.MonkeyPatch, small_runs: None) -> None:
    root = write_site({"data/publications.bib": BIB})
    monkeypatch.chdir(root)
    page(cache_dir=".cache")
    with open(root / "data/publications.bib", "a", encoding="utf-8") as bib:
        bib.write("@misc{late, title={Late\x9fComer}, year=2001}\n")  # the others come from the cache
    cached = page(cache_dir=".cache")
    assert cached == page(cache_dir=None)
    assert "LateComer" in cached and "\x9f" not in cached


@pytest.mark.parametrize("count", range(8))
@pytest.mark.parametrize("run", [1, 2, 3, 5])
def test_json_ld_parts_are_the_document_one_line_per_article(count: int, run: int) -> None:
    lines = [f'{{"n": {n}}}' for n in range(count)]
    parts = list(json_ld_parts(iter(lines), run))
    assert "".join(parts) == HEAD + ",\n".join(lines) + TAIL
    assert len(parts) == 2 + -(-count // run)


def test_json_ld_printed_whole_by_a_site_template_is_cleaned(write_site: Callable[..., Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # {{ json_ld }} prints the document as one string rather than piece by piece.
    root = write_site({"data/publications.bib": BIB,
                       "templates/page.html": '{% extends "!default/page.html" %}'
                                              '{% block head %}<script>{{ json_ld }}</script>{% endblock %}\n'})
    monkeypatch.chdir(root)
    html = render_site(replace(load_config(None, {"format": "page"}), cache_dir=None)).text
    whole = html.split("<script>", 1)[1].split("</script>", 1)[0]
    assert whole.startswith(HEAD) and "BadTitle" in whole
    for gone in "\ufdd0\x7f\x9f":
        assert gone not in html, repr(gone)
