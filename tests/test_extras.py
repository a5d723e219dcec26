"""Per-entry extras, each switched by config: what a visitor sees with it on and off."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import fields, replace
from pathlib import Path

import pytest

from pubsite.authorlist import author_runs
from pubsite.colors import contrast
from pubsite.config import load_config
from pubsite.errors import ConfigError
from pubsite.extras import changed
from pubsite.model import Author, Publication
from pubsite.site import build_publications

from .conftest import ROOT
from .htmltools import by_class, dom, has_class, render_bib, text

ENTRY = r"""
@inproceedings{gluefl,
  title = {GlueFL: Reconciling Client Sampling},
  author = {He*, Shiqi and Wu*, Feijie and L{\'e}cuyer, Mathias},
  booktitle = {Conference on Machine Learning and Systems},
  year = 2023, month = jun,
  abstract = {We <b>reconcile</b> sampling \& masking.},
  award = {Best Paper Award},
  preview = {gluefl.png},
  abbr = {MLSys},
  selected = {true},
  pdf = {https://arxiv.org/pdf/2212.01523.pdf}
}
@misc{bare, title = {Bare Entry}, author = {He, Shiqi}, year = 2020}
"""


def entry(root: ET.Element, key: str) -> ET.Element:
    (li,) = [li for li in root.iter("li") if li.get("id") == key]
    return li


def seen_text(element: ET.Element, opened: bool = False) -> str:
    """Text a visitor sees with every <details> closed (only summaries) or opened (summaries hidden)."""
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        parts.append(node.text or "")
        for child in node:
            if child.tag == "details" and not opened:
                for summary in child.iter("summary"):
                    parts.append("".join(summary.itertext()))
            elif child.tag != "summary":
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


def runner_page(tmp_path: Path, *flags: str) -> ET.Element:
    """The same site rendered through the command line, with ``flags``."""
    from click.testing import CliRunner

    from pubsite.cli import cli

    (tmp_path / "cli.bib").write_text(ENTRY, encoding="utf-8")
    (tmp_path / "cli.toml").write_text("", encoding="utf-8")  # not the config of wherever the tests run
    (tmp_path / "cli.yaml").write_text("[]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", "--config", str(tmp_path / "cli.toml"), "--bib",
                                      str(tmp_path / "cli.bib"), "--news", str(tmp_path / "cli.yaml"),
                                      "--owner", "Shiqi He", "-q", *flags], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return dom(result.stdout)


def page(tmp_path: Path, **settings: object) -> ET.Element:
    result = render_bib(tmp_path, ENTRY, **settings)
    return dom(result.text)


# -- BibTeX and abstract toggles ------------------------------------------------------

@pytest.mark.parametrize("show", [True, False])
def test_bibtex_toggle(tmp_path: Path, show: bool) -> None:
    root = page(tmp_path, show_bibtex=show)
    toggles = by_class(root, "pubsite-bibtex", "details")
    assert len(toggles) == (2 if show else 0)
    if show:
        toggle = toggles[0]
        assert text(toggle.find("summary")) == "[BibTeX]"  # type: ignore[arg-type]
        code = "".join(toggle.find("pre/code").itertext())  # type: ignore[union-attr]
        assert code.startswith("@inproceedings{gluefl,\n  title = {GlueFL: Reconciling Client Sampling},\n")
        assert "  author = {He, Shiqi and Wu, Feijie and L{\\'e}cuyer, Mathias}," in code
        assert "abbr" not in code and "selected" not in code and "arxiv.org" not in code


@pytest.mark.parametrize("show", [True, False])
def test_abstract_toggle_only_where_there_is_an_abstract(tmp_path: Path, show: bool) -> None:
    root = page(tmp_path, show_abstract=show)
    toggles = by_class(root, "pubsite-abstract", "details")
    assert [t for t in toggles if entry(root, "bare").find(".//details") is t] == []
    assert len(toggles) == (1 if show else 0)
    if show:
        assert text(toggles[0].find("summary")) == "[Abstract]"  # type: ignore[arg-type]
        assert text(toggles[0].find("p")) == "We <b>reconcile</b> sampling & masking."  # type: ignore[arg-type]


def test_toggles_are_closed_and_need_no_javascript(tmp_path: Path) -> None:
    result = render_bib(tmp_path, ENTRY, format="page")
    root = dom(result.text)
    assert all(d.get("open") is None for d in root.iter("details"))
    assert [s.get("type") for s in root.iter("script")] == ["application/ld+json"]


# -- badges ---------------------------------------------------------------------------

def test_venue_badge_is_off_by_default_and_shows_the_short_name(tmp_path: Path) -> None:
    assert by_class(page(tmp_path), "pubsite-venue-badge") == []
    root = page(tmp_path, show_venue_badge=True)
    (badge,) = by_class(entry(root, "gluefl"), "pubsite-venue-badge")
    assert text(badge) == "MLSys" and badge.get("style") is None
    assert by_class(entry(root, "bare"), "pubsite-venue-badge") == []  # no short name, no badge


@pytest.mark.parametrize("color, background", [
    ("#0b6e4f", "#0b6e4f"), ("#FFD54F", "#ffd54f"), ("#f0f", "#ff00ff"), ("#777777", "#777777"),
])
def test_venue_badge_colour_from_config_with_readable_text(tmp_path: Path, color: str, background: str) -> None:
    (tmp_path / "pubsite.toml").write_text(f'show_venue_badge = true\n[venue_colors]\nmlsys = "{color}"\n')
    config = load_config(cwd=str(tmp_path))
    root = page(tmp_path, show_venue_badge=True, venue_colors=config.venue_colors)
    (badge,) = by_class(root, "pubsite-venue-badge")
    style = dict(part.split(":") for part in (badge.get("style") or "").split(";"))
    assert style["background-color"] == background
    assert contrast(style["color"], background) >= 4.5


@pytest.mark.parametrize("bad", ['"red"', '"#12345"', '"#fff; background:url(x)"', "3"])
def test_venue_colour_must_be_hex(tmp_path: Path, bad: str) -> None:
    (tmp_path / "pubsite.toml").write_text(f"[venue_colors]\nICML = {bad}\n")
    with pytest.raises(ConfigError, match=r"pubsite.toml:2: \[venue_colors\] 'ICML' must be a #rgb or #rrggbb"):
        load_config(cwd=str(tmp_path))


@pytest.mark.parametrize("show", [True, False])
def test_award_badge(tmp_path: Path, show: bool) -> None:
    badges = by_class(page(tmp_path, show_award=show), "pubsite-award")
    assert [text(b) for b in badges] == (["Best Paper Award"] if show else [])
    assert all(has_class(b, "pubsite-badge") for b in badges)


# -- thumbnails -----------------------------------------------------------------------

@pytest.mark.parametrize("show", [True, False])
def test_preview_thumbnail_is_lazy_with_alt_text(tmp_path: Path, show: bool) -> None:
    root = page(tmp_path, show_preview=show, preview_base="/img/previews/")
    cli_page = runner_page(tmp_path, "--show-preview" if show else "--hide-preview", "--preview-base", "/img/previews/")
    assert [i.get("src") for i in cli_page.iter("img")] == [i.get("src") for i in root.iter("img")]
    images = list(root.iter("img"))
    assert len(images) == (1 if show else 0)
    if show:
        (img,) = images
        assert img.get("src") == "/img/previews/gluefl.png"
        assert img.get("loading") == "lazy"
        assert img.get("alt") == "Preview of GlueFL: Reconciling Client Sampling"
        assert has_class(entry(root, "gluefl"), "pubsite-has-preview")


@pytest.mark.parametrize("value, src", [
    ("https://cdn.example.org/a.png", "https://cdn.example.org/a.png"),
    ("/abs/a.png", "/abs/a.png"),
    ("a.png", "/assets/img/publication_preview/a.png"),
    ("javascript:alert(1)", None),
    ("data:image/svg+xml,<svg onload=alert(1)>", None),
])
def test_preview_url_goes_through_the_url_allow_list(tmp_path: Path, value: str, src: str | None) -> None:
    result = render_bib(tmp_path, f"@misc{{k, title={{T}}, author={{He, Shiqi}}, year=2020, preview={{{value}}}}}")
    assert [i.get("src") for i in dom(result.text).iter("img")] == ([src] if src else [])
    warnings = [p for p in result.problems if p.code == "PS301"]
    assert len(warnings) == (0 if src else 1)
    if warnings:
        assert warnings[0].line == 1 and "preview" in warnings[0].message


# -- co-author links ------------------------------------------------------------------

COAUTHORS = (("Feijie Wu", "https://feijie.example.org/"), ("Lécuyer, Mathias", "http://mathias.lecuyer.me/"),
             ("Shiqi He", "https://me.example.org/"))


@pytest.mark.parametrize("written, linked", [
    ("Wu, Feijie", "https://feijie.example.org/"),
    ("Wu, F.", "https://feijie.example.org/"),
    ("Feijie Wu*", "https://feijie.example.org/"),
    ("Wu, Xiaoyu", None),
    ("Lecuyer, Mathias", "http://mathias.lecuyer.me/"),
    ("L{\\'e}cuyer, M.", "http://mathias.lecuyer.me/"),
    ("Wu, Feijie Zhang", None),  # more given names than configured: another person
])
def test_coauthor_links_match_names_like_the_owner(tmp_path: Path, written: str, linked: str | None) -> None:
    result = render_bib(tmp_path, f"@misc{{k, title={{T}}, author={{He, Shiqi and {written}}}, year=2020}}",
                        coauthors=COAUTHORS)
    root = dom(result.text)
    links = [(text(a), a.get("href")) for a in by_class(root, "pubsite-coauthor", "a")]
    assert [href for _, href in links] == ([linked] if linked else [])
    assert by_class(root, "pubsite-owner")[0].find("a") is None  # the owner's own page needs no link


def test_coauthor_urls_are_checked_in_config(tmp_path: Path) -> None:
    (tmp_path / "pubsite.toml").write_text('[coauthors]\n"Feijie Wu" = "javascript:alert(1)"\n')
    with pytest.raises(ConfigError, match="pubsite.toml:2: .coauthors. 'Feijie Wu' must be an http"):
        load_config(cwd=str(tmp_path))


# -- long author lists ----------------------------------------------------------------

def names(count: int, owner: int | None) -> list[Author]:
    return [Author(f"A{i}", "", f"A{i}", owner=(i == owner)) for i in range(1, count + 1)]


@pytest.mark.parametrize("count, owner, limit, shown, folded", [
    (5, 1, 10, "A1 A2 A3 A4 A5", []),           # short list: everything shown
    (12, 2, 0, " ".join(f"A{i}" for i in range(1, 13)), []),   # 0 = never fold
    (15, 2, 3, "A1 A2 A3", [12]),               # first N, the rest folded
    (15, 12, 3, "A1 A2 A3 A12", [8, 3]),        # owner past N stays visible, in place
    (15, 15, 3, "A1 A2 A3 A15", [11]),          # owner last (the PI)
    (4, 4, 3, "A1 A2 A3 A4", []),               # a lone folded name is shown instead
    (6, 5, 3, "A1 A2 A3 A4 A5 A6", []),         # lone names on both sides of the owner
])
def test_author_runs(count: int, owner: int, limit: int, shown: str, folded: list[int]) -> None:
    runs = author_runs(names(count, owner), limit)
    assert " ".join(a.name for r in runs if not r.folded for a in r.authors) == shown
    assert [len(r.authors) for r in runs if r.folded] == folded
    assert [a.name for r in runs for a in r.authors] == [a.name for a in names(count, owner)]


def test_long_author_list_folds_behind_and_k_more(tmp_path: Path) -> None:
    authors = " and ".join(f"Person{i}, P." for i in range(1, 21)).replace("Person15, P.", "He, Shiqi")
    result = render_bib(tmp_path, f"@article{{k, title={{T}}, author={{{authors}}}, journal={{J}}, year=2020}}",
                        max_authors=3)
    (names_span,) = by_class(dom(result.text), "pubsite-authors")
    assert seen_text(names_span) == "P. Person1, P. Person2, P. Person3, 11 more, Shiqi He, and 5 more"
    everyone = [f"P. Person{i}" for i in range(1, 21)]
    everyone[14] = "Shiqi He"
    assert seen_text(names_span, opened=True) == ", ".join(everyone)
    assert [len(d.findall("span")) for d in by_class(names_span, "pubsite-more", "details")] == [11, 5]


def test_default_folds_after_ten(tmp_path: Path) -> None:
    authors = " and ".join(f"Person{i}, P." for i in range(1, 31))
    result = render_bib(tmp_path, f"@article{{k, title={{T}}, author={{{authors}}}, journal={{J}}, year=2020}}")
    (names_span,) = by_class(dom(result.text), "pubsite-authors")
    assert seen_text(names_span).endswith("P. Person10, and 20 more")


def test_a_changed_publication_is_what_replace_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    # enrich copies an entry's attributes instead of calling dataclasses.replace; that is only the
    # same object while Publication's constructor adds nothing of its own.
    assert not hasattr(Publication, "__post_init__") and not hasattr(Publication, "__slots__")
    monkeypatch.chdir(ROOT)
    pubs, _ = build_publications(load_config(None, {"cache_dir": None}))
    assert pubs
    changes = {"keywords": ("a", "b"), "preview": "https://example.org/p.png", "authors": ()}
    for pub in pubs:
        made, expected = changed(pub, changes), replace(pub, **changes)
        assert made == expected and type(made) is type(expected)
        assert list(vars(made).items()) == list(vars(expected).items())
        assert made is not pub and vars(pub) != vars(made)
    assert [f.name for f in fields(Publication)] == list(vars(pubs[0]))
