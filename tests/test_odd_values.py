"""Odd values real bib files contain, and what the user sees for each.

Loading details (encodings, comments, slips) are in ``test_bib.py``; this file
renders through the library, as ``pubsite render`` does, and asserts on the
published record and the reported problems.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pubsite.config import Config
from pubsite.site import render_site


def render(tmp_path: Path, text: str | bytes, fmt: str = "json") -> tuple[Any, list[tuple[int, str, str]], str]:
    """(publications as JSON, [(line, level, code)], output text) for one bib file."""
    path = tmp_path / "refs.bib"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    result = render_site(Config(bib=(str(path),), news=None, format=fmt, cache_dir=None))
    problems = [(p.line, p.level, p.code) for p in result.problems]
    pubs = json.loads(result.text)["publications"] if fmt == "json" else None
    return pubs, problems, result.text


UPCOMING = """\
@article{old, title={Old}, author={Doe, Jane}, journal={J}, year={2019}}
@article{new, title={New}, author={Doe, Jane}, journal={J}, year={2024}, month={may}}
@article{soon, title={Soon}, author={Doe, Jane}, journal={Journal of Things}, year={%s}}
@article{undated, title={Undated}, author={Doe, Jane}, journal={J}}
"""


@pytest.mark.parametrize("year", ["forthcoming", "in press", "In Press", "to appear", "{To Appear}"])
def test_non_numeric_year_is_upcoming_and_first(tmp_path: Path, year: str) -> None:
    pubs, problems, _ = render(tmp_path, UPCOMING % year)
    assert [p["key"] for p in pubs] == ["soon", "new", "old", "undated"]
    soon = pubs[0]
    assert (soon["year"], soon["status"], soon["year_text"]) == (None, "to-appear", year.strip("{}"))
    # The status is shown once, not also as the venue's "year".
    assert soon["venue_line"] == "Journal of Things"
    assert problems == [(4, "warning", "PS203")]


@pytest.mark.parametrize(
    "fields, expected, problems",
    [
        # Empty fields are absent fields.
        ("title={}, author={Doe, Jane}, year={2020}", None, [(1, "error", "PS201")]),
        ("title={T}, author={}, year={2020}", {"authors": []}, [(1, "warning", "PS202")]),
        ("title={T}, author={Doe, Jane}, year={}", {"year": None, "year_text": None}, [(1, "warning", "PS203")]),
        ("title={T}, author={Doe, Jane}, year={2020}, journal={}", {"venue": None, "venue_line": "2020"}, []),
        ("title={T}, author={Doe, Jane}, year={2020}, month={}", {"month": None}, []),
        ("title={T}, author={Doe, Jane}, year={2020}, doi={}, url={ }", {"links": {}}, []),
        ("title={T}, author={Doe, Jane}, year={2020}, pages={}", {"title": "T"}, []),
        # A field given twice: the first wins, and the user hears about it.
        ("title={T}, author={Doe, Jane}, year={2020}, year={2021}", {"year": 2020}, [(1, "warning", "PS104")]),
        # A missing comma is read as two fields and reported.
        ("title={T} year={2021}, author={Doe, Jane}", {"year": 2021, "title": "T"}, [(1, "warning", "PS502")]),
        # A list typed with commas is read as a list, and reported.
        ("title={T}, author={Ann Lee, Bo Chen, Cy Diaz}, year={2020}",
         {"authors": ["Ann Lee", "Bo Chen", "Cy Diaz"]}, [(1, "warning", "PS503")]),
    ],
)
def test_odd_fields(tmp_path: Path, fields: str, expected: dict[str, Any] | None,
                    problems: list[tuple[int, str, str]]) -> None:
    pubs, got, _ = render(tmp_path, "@article{k, " + fields + "}\n")
    assert got == problems
    if expected is None:
        assert pubs == []
        return
    (pub,) = pubs
    if "authors" in expected:
        pub["authors"] = [a["name"] for a in pub["authors"]]
    if "links" in expected:
        pub["links"] = {k: v for k, v in pub["links"].items() if v}
    assert {k: pub[k] for k in expected} == expected


def test_non_ascii_key_is_kept_and_escaped(tmp_path: Path) -> None:
    text = ("@misc{müller2020über, title={T}, author={Müller, Jörg}, year=2020}\n"
            "@misc{<b>&x, title={U}, author={Doe, J}, year=2019}\n")
    pubs, problems, _ = render(tmp_path, text)
    assert [p["key"] for p in pubs] == ["müller2020über", "<b>&x"] and problems == []
    _, _, html = render(tmp_path, text, fmt="fragment")
    assert 'id="müller2020über"' in html
    assert "<b>" not in html and 'id="&lt;b&gt;&amp;x"' in html


@pytest.mark.parametrize(
    "data, problems",
    [
        ("\ufeff@misc{a,\r\n  title={Café}, author={Doe, J},\r\n  year=2020\r\n}\r\n".encode("utf-8"), []),
        ("@misc{a,\r  title={Café}, author={Doe, J},\r  year=2020\r}\r".encode("utf-8"), []),
        # Latin-1 is read, and the user is told on which line the first non-UTF-8 byte is.
        ("% Jörg's list\n@misc{a,\n  title={Café}, author={Doe, J},\n  year=2020\n}\n".encode("latin-1"), [(1, "warning", "PS002")]),
        ("@misc{a,\n  title={Caf\u00e9 \u2013 Bar}, author={Doe, J},\n  year=2020\n}\n".encode("cp1252"), [(2, "warning", "PS002")]),
    ],
)
def test_encodings_and_line_endings(tmp_path: Path, data: bytes, problems: list[tuple[int, str, str]]) -> None:
    pubs, got, _ = render(tmp_path, data)
    assert got == problems
    assert pubs[0]["title"].startswith("Café") and pubs[0]["year"] == 2020


def test_comments_preamble_and_strings_are_not_publications(tmp_path: Path) -> None:
    text = (
        "% Encoding: UTF-8\n"
        "This line is outside any entry.\n"
        "@preamble{\"\\newcommand{\\noopsort}[1]{}\"}\n"
        "@comment{jabref-meta: databaseType:bibtex;}\n"
        "@string{jt = {Journal of Things}}\n"
        "@article{a, title={T}, author={Doe, Jane}, journal=jt, year=2020}\n"
    )
    pubs, problems, _ = render(tmp_path, text)
    assert [(p["key"], p["venue"]) for p in pubs] == [("a", "Journal of Things")]
    assert problems == []


def test_control_characters_never_reach_the_page(tmp_path: Path) -> None:
    # A NUL pasted from a PDF into a title, a YAML "\v" escape in a news line:
    # HTML forbids both, and strict parsers reject the page.
    import html5lib

    (tmp_path / "news.yaml").write_text('- date: 2024-12\n  text: "Accepted\\vat ICML\\u0001"\n', encoding="utf-8")
    (tmp_path / "refs.bib").write_text("@misc{a\x7f, title={Deep\x00 Nets\x07}, author={Doe, J}, year=2020}\n",
                                       encoding="utf-8")
    for fmt in ("fragment", "page"):
        html = render_site(Config(bib=(str(tmp_path / "refs.bib"),), news=str(tmp_path / "news.yaml"),
                                  format=fmt, cache_dir=None)).text
        assert not any(c in html for c in "\x00\x01\x07\x0b\x7f")
        assert "Deep Nets" in html and "Accepted" in html
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(html) if fmt == "page" else parser.parseFragment(html)
