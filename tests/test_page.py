"""The standalone page: a complete, accessible document, with an optional profile header."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from pubsite.colors import contrast
from pubsite.config import load_config
from pubsite.errors import ConfigError
from pubsite.profile import Profile
from pubsite.site import render_site

from .conftest import ROOT
from .htmltools import by_class, dom, render_bib, text

CSS = resources.files("pubsite").joinpath("templates/pubsite.css").read_text(encoding="utf-8")
BIB = "@article{k, title={T}, author={He, Shiqi}, journal={Nature}, year=2020}\n"


def shipped_page(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    return render_site(load_config(overrides={"format": "page"})).text


def test_page_is_a_complete_document(monkeypatch: pytest.MonkeyPatch) -> None:
    html = shipped_page(monkeypatch)
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    root = dom(html)
    head = root.find("head")
    assert head is not None and head.find("meta[@charset='utf-8']") is not None
    assert head.find("meta[@name='viewport']").get("content") == "width=device-width, initial-scale=1"  # type: ignore[union-attr]
    assert text(head.find("title")) == "Publications"  # type: ignore[arg-type]
    body = root.find("body")
    assert body is not None and "pubsite-page" in (body.get("class") or "")
    assert len(list(root.iter("main"))) == 1 and len(list(root.iter("header"))) == 1


def test_headings_form_one_outline(monkeypatch: pytest.MonkeyPatch) -> None:
    root = dom(shipped_page(monkeypatch))
    levels = [int(e.tag[1]) for e in root.iter() if isinstance(e.tag, str) and re.fullmatch(r"h[1-6]", e.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_lang_setting(tmp_path: Path) -> None:
    assert '<html lang="de">' in render_bib(tmp_path, BIB, format="page", lang="de").text


def test_no_external_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """No fonts, scripts or styles from elsewhere: the page works offline and tracks nobody."""
    html = shipped_page(monkeypatch)
    root = dom(html)
    assert [s.get("type") for s in root.iter("script")] == ["application/ld+json"]
    assert all(s.get("src") is None for s in root.iter("script"))
    assert list(root.iter("link")) == [] and list(root.iter("img")) == []
    assert "@import" not in CSS and "url(" not in CSS


def css_rules(css: str) -> list[tuple[str, str, str]]:
    """(enclosing at-rule, selector list, declarations) for every style rule."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules: list[tuple[str, str, str]] = []
    stack: list[str] = []
    start = 0
    for match in re.finditer(r"[{}]", css):
        if match.group() == "{":
            prelude = css[start:match.start()].strip()
            stack.append(prelude)
            body_start = match.end()
        else:
            prelude = stack.pop()
            if not prelude.startswith("@"):
                rules.append((stack[-1] if stack else "", prelude, css[body_start:match.start()]))
        start = match.end()
    assert not stack
    return rules


def test_every_css_rule_is_scoped() -> None:
    rules = css_rules(CSS)
    assert len(rules) > 30
    for _, selectors, _ in rules:
        for selector in selectors.split(","):
            assert re.match(r"\.pubsite(-page)?(?![\w-])", selector.strip()), selector


def palette(at_rule: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for where, _, body in css_rules(CSS):
        if where == at_rule:
            found.update(re.findall(r"--pubsite-([\w-]+):\s*(#[0-9a-f]{6})", body))
    return found


#: (text, background) custom-property pairs that carry readable text.
PAIRS = [("fg", "bg"), ("strong", "bg"), ("muted", "bg"), ("venue", "bg"), ("link", "bg"),
         ("to-appear", "bg"), ("submitted", "bg"), ("badge-fg", "badge-bg"), ("award-fg", "award-bg"),
         ("fg", "code-bg")]


@pytest.mark.parametrize("scheme", ["", "@media (prefers-color-scheme: dark)", "@media print"])
@pytest.mark.parametrize("fg, bg", PAIRS)
def test_palette_meets_wcag_aa(scheme: str, fg: str, bg: str) -> None:
    colors = {**palette(""), **palette(scheme)}
    ratio = contrast(colors[fg], colors[bg])
    assert ratio >= 4.5, f"{scheme or 'light'}: --pubsite-{fg} on --pubsite-{bg} is {ratio:.2f}:1"


def test_dark_palette_overrides_every_colour() -> None:
    assert set(palette("@media (prefers-color-scheme: dark)")) == set(palette(""))


# -- profile header -----------------------------------------------------------------------

def test_no_profile_unless_configured(tmp_path: Path) -> None:
    root = dom(render_bib(tmp_path, BIB, format="page").text)
    assert by_class(root, "pubsite-profile") == []
    assert [text(h) for h in root.iter("h1")] == ["Publications"]


def test_profile_header(tmp_path: Path) -> None:
    (tmp_path / "pubsite.toml").write_text('''
[profile]
name = "Shiqi He"
photo = "img/me.jpg"
affiliation = "University of Michigan"
bio = "PhD student <script>x()</script> working on *systems* with [Prof. M](https://m.example.org) and [evil](javascript:alert(1))."
email = "me@example.org"
[profile.links]
"Google Scholar" = "https://scholar.google.com/citations?user=x&hl=en"
GitHub = "https://github.com/x"
''')
    config = load_config(cwd=str(tmp_path))
    root = dom(render_bib(tmp_path, BIB, format="page", profile=config.profile).text)
    (header,) = root.iter("header")
    assert [text(h) for h in root.iter("h1")] == ["Shiqi He"]
    (photo,) = by_class(header, "pubsite-profile-photo", "img")
    assert photo.get("src") == "img/me.jpg" and photo.get("alt") == "Photo of Shiqi He"
    assert text(by_class(header, "pubsite-profile-affiliation")[0]) == "University of Michigan"
    (bio,) = by_class(header, "pubsite-profile-bio")
    assert text(bio) == "PhD student <script>x()</script> working on systems with Prof. M and evil."
    assert [a.get("href") for a in bio.iter("a")] == ["https://m.example.org"]
    assert [e.tag for e in bio.iter()][1:] == ["em", "a"]
    links = [(text(a), a.get("href")) for a in by_class(header, "pubsite-profile-links")[0].iter("a")]
    assert links == [("me@example.org", "mailto:me@example.org"),
                     ("Google Scholar", "https://scholar.google.com/citations?user=x&hl=en"),
                     ("GitHub", "https://github.com/x")]


@pytest.mark.parametrize("toml, message", [
    ('[profile]\nname = "A"\nphoto = "javascript:x"\n', "pubsite.toml:3: profile photo must be an http(s)"),
    ('[profile]\nnmae = "A"\n', "pubsite.toml:2: unknown profile setting 'nmae' (did you mean 'name'?)"),
    ('[profile.links]\nScholar = "vbscript:x"\n', "pubsite.toml:2: profile link 'Scholar' must be an http(s)"),
    ('[profile]\nname = 3\n', "pubsite.toml:2: profile name must be a string"),
    ('profile = "me"\n', "pubsite.toml:1: 'profile' must be a table"),
])
def test_profile_mistakes_are_config_errors(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "pubsite.toml").write_text(toml)
    with pytest.raises(ConfigError) as info:
        load_config(cwd=str(tmp_path))
    assert message in str(info.value)


def test_profile_is_only_in_the_page(tmp_path: Path) -> None:
    root = dom(render_bib(tmp_path, BIB, profile=Profile(name="Shiqi He")).text)
    assert by_class(root, "pubsite-profile") == [] and list(root.iter("header")) == []
