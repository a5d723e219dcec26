"""Real Jekyll and Hugo builds of sites that embed pubsite's output.

Each generator builds a small site: one page includes the generated fragment
(a Jekyll include, a Hugo partial), one page has the fragment injected between
markers in Markdown with front matter (the layout of an academicpages /
Minimal Mistakes homepage), and one has the Markdown output injected.  The built
pages must show every title, the owner markup, and titles and news holding
``{{ braces }}`` and ``{% endraw %}`` literally, while the host's own template
syntax outside the markers still works.  Without jekyll or hugo these tests skip
locally and fail under CI, which installs both.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import html5lib
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from pubsite.cli import cli

from .conftest import ROOT, missing_tool

BRACES_TITLE = "Templating {{ braces }} and {% endraw %} – it's \"fine\"... *really*"
BRACES_NEWS = "Talk on {{ site.title }} and {% endraw %} tricks"
EXTRA_BIB = r"""
@misc{braces2024,
  title={Templating \{\{ braces \}\} and \{\% endraw \%\} -- it's "fine"... *really*},
  author={Doe, Jane and He*, Shiqi},
  howpublished={arXiv preprint arXiv:2401.00001},
  year={2024}
}
"""
EXTRA_NEWS = '- date: 2024-12-31\n  text: "Talk on {{ site.title }} and {% endraw %} tricks"\n'
HOMEPAGE = """Welcome to my homepage, {greeting}!

<!-- pubsite:start news -->
<!-- pubsite:end news -->

Some *Markdown* text between the sections.

<!-- pubsite:start publications -->
<!-- pubsite:end publications -->
"""
WHOLE = "<!-- pubsite:start -->\n<!-- pubsite:end -->\n"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing_tool(f"{name} is not installed (Debian: apt-get install -y {name})")
    return path


def build(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command[:2])} failed:\n{done.stdout}{done.stderr}"


def pubsite(*args: str) -> str:
    result = CliRunner().invoke(cli, ["render", "-q", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The shipped site's data plus an entry and a news line full of template syntax."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "extra.bib").write_text(EXTRA_BIB, encoding="utf-8")
    news = (ROOT / "data/news.yaml").read_text(encoding="utf-8")
    (folder / "news.yaml").write_text(news.rstrip("\n") + "\n" + EXTRA_NEWS, encoding="utf-8")
    return ["--config", str(ROOT / "pubsite.toml"), "--bib", str(ROOT / "data/publications.bib"),
            "--bib", str(folder / "extra.bib"), "--news", str(folder / "news.yaml")]


@pytest.fixture(scope="module")
def expected(inputs: list[str]) -> dict[str, Any]:
    return json.loads(pubsite(*inputs, "--format", "json"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def jekyll_site(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    jekyll = _tool("jekyll")
    src = tmp_path_factory.mktemp("jekyll")
    _write(src / "_config.yml", "title: Test site\n")
    _write(src / "_layouts/default.html", "<!DOCTYPE html>\n<html><body>\n{{ content }}\n</body></html>\n")
    _write(src / "included.html", "---\nlayout: default\ntitle: Included\n---\n<h1>{{ page.title }}</h1>\n"
                                  "{% include publications.html %}\n")
    _write(src / "about.md", "---\nlayout: default\ntitle: About\n---\n"
                             + HOMEPAGE.format(greeting="{{ page.title }}"))
    _write(src / "markdown.md", "---\nlayout: default\ntitle: MD\n---\n" + WHOLE)
    # No --host anywhere: _includes/ and front matter must be recognised as Jekyll's.
    pubsite(*inputs, "-o", str(src / "_includes/publications.html"))
    pubsite(*inputs, "--inject", str(src / "about.md"))
    pubsite(*inputs, "--inject", str(src / "markdown.md"), "--format", "markdown")
    out = src / "_site"
    build([jekyll, "build", "--source", str(src), "--destination", str(out), "--quiet", "--disable-disk-cache"])
    return out


@pytest.fixture(scope="module")
def hugo_site(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    hugo = _tool("hugo")
    src = tmp_path_factory.mktemp("hugo")
    _write(src / "hugo.toml", 'baseURL = "https://example.org/"\ntitle = "Test site"\n'
                              'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
                              "[markup.goldmark.renderer]\nunsafe = true\n")
    _write(src / "layouts/index.html", "<!DOCTYPE html>\n<html><body>\n<h1>{{ .Title }}</h1>\n"
                                       '{{ partial "publications.html" . }}\n</body></html>\n')
    _write(src / "layouts/_default/single.html", "<!DOCTYPE html>\n<html><body>\n<h1>{{ .Title }}</h1>\n"
                                                 "{{ .Content }}\n</body></html>\n")
    _write(src / "content/about.md", '+++\ntitle = "About"\n+++\n' + HOMEPAGE.format(greeting="{{< param title >}}"))
    _write(src / "content/markdown.md", "---\ntitle: MD\n---\n" + WHOLE)
    # layouts/ and TOML front matter are recognised as Hugo's; YAML front matter needs --host hugo.
    pubsite(*inputs, "-o", str(src / "layouts/partials/publications.html"))
    pubsite(*inputs, "--inject", str(src / "content/about.md"))
    pubsite(*inputs, "--inject", str(src / "content/markdown.md"), "--format", "markdown", "--host", "hugo")
    out = src / "public"
    build([hugo, "--source", str(src), "--destination", str(out), "--quiet"])
    return out


def _parse(path: Path) -> Any:
    return html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)


def _text(element: Any) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _news(expected: dict[str, Any]) -> list[str]:
    """News lines as shown: a line break in the text becomes <br>, so compare without whitespace."""
    return [re.sub(r"\s+", "", f"{n['date']} - {n['text']}") for n in expected["news"]]


def _fragment_page(path: Path, expected: dict[str, Any], greeting: str | None) -> None:
    """What a visitor of a page embedding the HTML fragment sees."""
    doc = _parse(path)
    pubs = {li.get("id"): li for li in doc.iter("li") if "pubsite-pub" in (li.get("class") or "")}
    assert list(pubs) == [p["key"] for p in expected["publications"]]
    for pub in expected["publications"]:
        title = pubs[pub["key"]].find(".//strong[@class='pubsite-title']")
        assert _text(title) == pub["title"]
        owners = [_text(e) for e in pubs[pub["key"]].iter("em") if "pubsite-owner" in (e.get("class") or "")]
        assert [o.rstrip("*") for o in owners] == [a["name"] for a in pub["authors"] if a["owner"]]
    assert _text(pubs["braces2024"].find(".//strong")) == BRACES_TITLE
    news = [_text(li) for li in doc.iter("li") if "pubsite-news-item" in (li.get("class") or "")]
    assert [re.sub(r"\s+", "", n) for n in news] == _news(expected)
    assert f"2024-12-31 - {BRACES_NEWS}" in news
    page = _text(doc.find("body"))
    assert "{% raw %}" not in page and "endraw %}" not in page.replace(BRACES_TITLE, "").replace(BRACES_NEWS, "")
    if greeting:  # the host's own template syntax outside the markers still ran
        assert greeting in page


def test_jekyll_include_and_injected_markdown_page(jekyll_site: Path, expected: dict[str, Any]) -> None:
    _fragment_page(jekyll_site / "included.html", expected, None)
    _fragment_page(jekyll_site / "about.html", expected, "Welcome to my homepage, About!")
    assert "Some Markdown text between the sections." in _text(_parse(jekyll_site / "about.html"))


def test_hugo_partial_and_injected_content_page(hugo_site: Path, expected: dict[str, Any]) -> None:
    _fragment_page(hugo_site / "index.html", expected, None)
    _fragment_page(hugo_site / "about/index.html", expected, "Welcome to my homepage, About!")


def _markdown_items(doc: Any) -> list[dict[str, Any]]:
    """Every list item as a reader sees it: text, title, owner markup, links."""
    items = []
    for li in doc.iter("li"):
        anchor = li.find(".//a[@id]")
        strong = li.find(".//strong")
        items.append({
            "key": anchor.get("id") if anchor is not None else None,
            "strong": _text(strong) if strong is not None else None,
            "owners": [_text(em) for u in li.iter("u") for em in u.iter("em")],
            "links": [a.get("href") for a in li.iter("a") if a.get("href")],
            "text": _text(li),
        })
    return items


def test_markdown_reads_the_same_in_kramdown_goldmark_and_commonmark(
        inputs: list[str], jekyll_site: Path, hugo_site: Path, expected: dict[str, Any]) -> None:
    markdown = pubsite(*inputs, "--format", "markdown")
    commonmark = html5lib.parse(MarkdownIt("commonmark").render(markdown), namespaceHTMLElements=False)
    kramdown = _markdown_items(_parse(jekyll_site / "markdown.html"))
    goldmark = _markdown_items(_parse(hugo_site / "markdown/index.html"))
    assert kramdown == goldmark == _markdown_items(commonmark)
    pubs = [item for item in kramdown if item["key"]]
    assert [(p["key"], p["strong"]) for p in pubs] == [(p["key"], p["title"]) for p in expected["publications"]]
    for item, pub in zip(pubs, expected["publications"]):
        assert [o.rstrip("*") for o in item["owners"]] == [a["name"] for a in pub["authors"] if a["owner"]]
    braces = next(p for p in pubs if p["key"] == "braces2024")
    assert braces["owners"] == ["Shiqi He*"]
    assert braces["strong"] == BRACES_TITLE
    assert braces["links"] == ["https://arxiv.org/abs/2401.00001"]
    news = [item["text"] for item in kramdown if not item["key"]]
    assert [re.sub(r"\s+", "", n) for n in news] == _news(expected)
    assert f"2024-12-31 - {BRACES_NEWS}" in news
