"""Machine-readable metadata: schema.org JSON-LD in the page, and the Atom feed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

import pytest

from click.testing import CliRunner

from pubsite.cli import cli
from pubsite.config import Config
from pubsite.site import render_site

from .htmltools import dom, render_bib

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_TITLES = [
    "</script><script>alert(1)</script>",
    "</SCRIPT >x",
    "<!-- <script>",
    "a & b < c > d",
]


@pytest.mark.parametrize("value, written", [
    ("</script>", "\\u003c/script\\u003e"), ("<!--", "\\u003c!--"), ("a&b", "a\\u0026b"),
    ("x\u2028y\u2029", "x\\u2028y\\u2029"),
    ("<a&b>\u2029<</", "\\u003ca\\u0026b\\u003e\\u2029\\u003c\\u003c/"),
])
def test_script_json_escapes(value: str, written: str) -> None:
    from pubsite.jsonld import script_json

    out = str(script_json({"v": value}))
    assert f'"v": "{written}"' in out and json.loads(out) == {"v": value}


def ld(html: str) -> dict:  # type: ignore[type-arg]
    (script,) = [s for s in dom(html).iter("script") if s.get("type") == "application/ld+json"]
    return json.loads(script.text or "")


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_json_ld_cannot_be_closed_by_input(tmp_path: Path, title: str) -> None:
    bib = f"@article{{k, title={{{title}}}, author={{He, Shiqi and {{{title}}}}}, journal={{{title}}}, year=2020}}"
    html = render_bib(tmp_path, bib, format="page").text
    block = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.S)
    assert block is not None
    assert not re.search(r"[<>&\u2028]", block.group(1))
    data = ld(html)  # the browser's parse finds one script holding all of it
    (item,) = data["@graph"]
    (shown,) = json.loads(render_bib(tmp_path, bib, format="json").text)["publications"]
    assert item["name"] == shown["title"]
    assert item["author"][1]["name"] == shown["authors"][1]["name"]
    assert item["isPartOf"]["name"] == shown["venue"]


@pytest.mark.parametrize("settings", [{}, {"template_dir": "own"}], ids=["default", "own-macros"])
def test_json_ld_holds_no_code_point_html_forbids(tmp_path: Path, settings: dict[str, str]) -> None:
    # JSON escapes controls below U+0020 but not C1 controls or noncharacters; the page drops them.
    from pubsite.model import Author, Links, Publication, Site
    from pubsite.render import render

    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "_macros.html").write_text(
        (Path(__file__).parent.parent / "pubsite/templates/_macros.html").read_text(encoding="utf-8"))
    pub = Publication("k", "misc", "Zero\x85Width\ufdd0 \U0001F600", (Author("A\x9fB", "A", "B"),), 2020,
                      None, None, None, "published", Links())
    settings = {k: str(tmp_path / v) for k, v in settings.items()}
    html = render(Site(publications=(pub,), news=()), Config(format="page", cache_dir=None, **settings))
    (item,) = ld(html)["@graph"]
    assert item["name"] == "ZeroWidth \U0001F600" and item["author"][0]["name"] == "AB"
    assert not re.search("[\x85\x9f\ufdd0]", html)


def test_json_ld_describes_each_publication(tmp_path: Path) -> None:
    bib = r"""@inproceedings{he2023gluefl, title={GlueFL}, author={He, Shiqi and L{\'e}cuyer, Mathias},
      booktitle={Conference on Machine Learning and Systems}, year=2023, month=jun,
      doi={10.1000/xyz}, eprint={2212.01523}, archivePrefix={arXiv}, pdf={gluefl.pdf}, abstract={A b.},
      keywords={federated learning; systems}}
    @article{j, title={J}, author={He, Shiqi}, journal={Nature}, year=2021}"""
    html = render_bib(tmp_path, bib, format="page", site_url="https://me.example.org/",
                      coauthors=(("Mathias Lécuyer", "http://mathias.lecuyer.me/"),)).text
    data = ld(html)
    assert data["@context"] == "https://schema.org"
    first, second = data["@graph"]
    assert first == {
        "@type": "ScholarlyArticle",
        "@id": "https://me.example.org/#he2023gluefl",
        "name": "GlueFL",
        "author": [{"@type": "Person", "name": "Shiqi He"},
                   {"@type": "Person", "name": "Mathias Lécuyer", "url": "http://mathias.lecuyer.me/"}],
        "datePublished": "2023-06",
        "isPartOf": {"@type": "CreativeWork", "name": "Conference on Machine Learning and Systems"},
        "abstract": "A b.",
        "keywords": ["federated learning", "systems"],
        "sameAs": ["https://doi.org/10.1000/xyz", "https://arxiv.org/abs/2212.01523"],
        "url": "https://me.example.org/assets/pdf/gluefl.pdf",
    }
    assert second["isPartOf"] == {"@type": "Periodical", "name": "Nature"}
    assert second["datePublished"] == "2021"


@pytest.mark.parametrize("format_, settings, present", [
    ("page", {}, True), ("page", {"json_ld": False}, False), ("fragment", {}, False),
])
def test_json_ld_only_in_the_page_and_switchable(tmp_path: Path, format_: str, settings: dict[str, object],
                                                 present: bool) -> None:
    html = render_bib(tmp_path, "@misc{k, title={T}, year=2020}", format=format_, **settings).text
    assert ("application/ld+json" in html) is present


# -- Atom -------------------------------------------------------------------------------

NEWS = """
- date: 2024-12
  text: "[FedFetch](https://arxiv.org/abs/x) accepted <b>at</b> INFOCOM & more"
- date: 2023-09-01
  text: Starting my PhD
  link: /phd.html
"""
BIB = r"""
@inproceedings{new, title={Newest </title> & <b>Paper</b>}, author={He, Shiqi and Wu\v{}, F.}, booktitle={ICML}, year=2025, month=may,
  pdf={https://example.org/new.pdf}}
@article{old, title={Old}, author={He, Shiqi}, journal={Nature}, year=2020}
@article{soon, title={Forthcoming}, author={He, Shiqi}, journal={Nature}, year={forthcoming}}
"""


def feed(tmp_path: Path, **settings: object) -> tuple[str, ET.Element]:
    (tmp_path / "p.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "news.yaml").write_text(NEWS, encoding="utf-8")
    config = Config(bib=(str(tmp_path / "p.bib"),), news=str(tmp_path / "news.yaml"), owner=("Shiqi He",),
                    format="atom", **settings)  # type: ignore[arg-type]
    xml = render_site(config).text
    return xml, ET.fromstring(xml.encode("utf-8"))


def test_atom_is_valid_xml_with_every_item(tmp_path: Path) -> None:
    xml, root = feed(tmp_path)
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    # Newest first; the forthcoming paper has no date to give and is left out.
    assert titles == ["Newest </title> & <b>Paper</b>", "FedFetch accepted <b>at</b> INFOCOM & more",
                      "Starting my PhD", "Old"]
    assert root.findtext(f"{ATOM}updated") == "2025-05-01T00:00:00Z"
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2025-05-01T00:00:00Z", "2024-12-01T00:00:00Z", "2023-09-01T00:00:00Z",
        "2020-01-01T00:00:00Z"]
    for entry in entries:  # what RFC 4287 requires of each entry
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}title") is not None
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Shiqi He"  # type: ignore[union-attr]
    news = entries[1].find(f"{ATOM}content")
    assert news is not None and news.get("type") == "html"
    assert news.text == '<a href="https://arxiv.org/abs/x">FedFetch</a> accepted &lt;b&gt;at&lt;/b&gt; INFOCOM &amp; more'
    paper = entries[0]
    assert paper.find(f"{ATOM}link").get("href") == "https://example.org/new.pdf"  # type: ignore[union-attr]
    assert [a.findtext(f"{ATOM}name") for a in paper.findall(f"{ATOM}author")] == ["Shiqi He", "F. Wu"]


def test_atom_ids_are_stable_and_use_the_site_url(tmp_path: Path) -> None:
    _, plain = feed(tmp_path)
    ids = [e.findtext(f"{ATOM}id") for e in plain.findall(f"{ATOM}entry")]
    assert ids[0] == "urn:pubsite:publication:new" and plain.findtext(f"{ATOM}id") == "urn:pubsite:feed"
    assert ids[1].startswith("urn:pubsite:news:2024-12-")  # type: ignore[union-attr]
    _, hosted = feed(tmp_path, site_url="https://me.example.org/")
    entries = hosted.findall(f"{ATOM}entry")
    assert entries[0].findtext(f"{ATOM}id") == "https://me.example.org/#new"
    assert entries[2].find(f"{ATOM}link").get("href") == "https://me.example.org/phd.html"  # type: ignore[union-attr]
    assert hosted.find(f"{ATOM}link").get("href") == "https://me.example.org/"  # type: ignore[union-attr]


def test_atom_is_deterministic(tmp_path: Path) -> None:
    assert feed(tmp_path)[0] == feed(tmp_path)[0]


def test_empty_feed_is_still_valid(tmp_path: Path) -> None:
    (tmp_path / "p.bib").write_text("")
    xml = render_site(Config(bib=(str(tmp_path / "p.bib"),), news=None, format="atom")).text
    root = ET.fromstring(xml)
    assert root.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"
    assert root.findall(f"{ATOM}entry") == []


def test_characters_xml_cannot_carry_are_dropped() -> None:
    from pubsite.atom import to_atom
    from pubsite.model import Author, Links, Publication, Site

    pub = Publication("k", "misc", "Control\x0bchar\x00s", (Author("A\x1fB", "A", "B"),), 2020, None, None,
                      None, "published", Links())
    xml = to_atom(Site(publications=(pub,), news=()), Config())
    entry = ET.fromstring(xml).find(f"{ATOM}entry")
    assert entry is not None and entry.findtext(f"{ATOM}title") == "Controlchars"


def test_feed_beside_the_page(tmp_path: Path, runner: CliRunner, chdir: Callable[[Path], None]) -> None:
    chdir(tmp_path)  # no pubsite.toml of the folder the tests run in
    (tmp_path / "p.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "news.yaml").write_text(NEWS, encoding="utf-8")
    args = ["render", "--bib", str(tmp_path / "p.bib"), "--news", str(tmp_path / "news.yaml"),
            "--format", "page", "-o", str(tmp_path / "site" / "index.html"),
            "--feed", str(tmp_path / "site" / "feeds" / "atom.xml"), "-q"]
    (tmp_path / "site" / "feeds").mkdir(parents=True)
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    (link,) = [e for e in dom(page).iter("link") if e.get("rel") == "alternate"]
    assert link.get("type") == "application/atom+xml" and link.get("href") == "feeds/atom.xml"
    feed_text = (tmp_path / "site" / "feeds" / "atom.xml").read_text(encoding="utf-8")
    assert len(ET.fromstring(feed_text).findall(f"{ATOM}entry")) == 4
    # --check sees a stale feed like any other output.
    assert runner.invoke(cli, args + ["--check"]).exit_code == 0
    (tmp_path / "site" / "feeds" / "atom.xml").write_text(feed_text.replace("Old", "Older"), encoding="utf-8")
    assert runner.invoke(cli, args + ["--check"]).exit_code == 1


def test_feed_cannot_overwrite_the_output(tmp_path: Path, runner: CliRunner,
                                          chdir: Callable[[Path], None]) -> None:
    chdir(tmp_path)
    (tmp_path / "p.bib").write_text(BIB, encoding="utf-8")
    out = str(tmp_path / "index.html")
    result = runner.invoke(cli, ["render", "--bib", str(tmp_path / "p.bib"), "--format", "page", "-o", out,
                                 "--feed", out])
    assert result.exit_code == 2 and "the feed and the output are the same file" in result.output
    assert not (tmp_path / "index.html").exists()


def test_no_feed_link_without_a_feed(tmp_path: Path) -> None:
    html = render_bib(tmp_path, "@misc{k, title={T}, year=2020}", format="page").text
    assert list(dom(html).iter("link")) == []
