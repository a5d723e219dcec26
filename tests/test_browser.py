"""The shipped site in a real browser: what a visitor sees, not what the HTML says.

Debian's chromium, driven by Playwright, loads pages served from 127.0.0.1.
Screenshots land in ``test-artifacts/`` (git-ignored) for a human to look at.
Without chromium or playwright these tests skip locally and fail under CI.
"""

from __future__ import annotations

import functools
import struct
import threading
import zlib
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest

from pubsite.config import Config, load_config
from pubsite.scaffold import init_site
from pubsite.site import render_site

from .conftest import ROOT, missing_tool
from .preview import NEW_ENTRY, TIMEOUT, running_preview

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
#: Run as root, never touch the network beyond 127.0.0.1.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
#: Served page -> screenshot name.
PAGES = {"index.html": "page", "hostile.html": "hostile", "extras.html": "extras"}

#: Every per-entry extra at once: a long author list with the owner past the
#: fold, an abstract with markup-like text, a thumbnail, an award, a badge.
AUTHORS = [f"Author{n} Person{n}" for n in range(1, 13)] + ["Shiqi He", "Last Coauthor"]
EXTRAS_BIB = """
@inproceedings{{many2024,
  title     = {{A Paper with Fourteen Authors}},
  author    = {{{authors}}},
  booktitle = {{International Conference on Machine Learning}},
  year      = {{2024}},
  abstract  = {{We show that <b>tags</b> & ampersands stay text.}},
  preview   = {{thumb.png}},
  award     = {{Best Paper Award}},
  code      = {{https://example.org/code}},
  pdf       = {{https://example.org/paper.pdf}},
  selected  = {{true}}
}}
""".format(authors=" and ".join(AUTHORS))

#: What a real host theme does to bare elements (resets, a small base font,
#: unstyled links, light bold); the fragment has to look the same inside it.
HOSTILE_CSS = """
* { box-sizing: border-box; }
body { font-size: 10px; line-height: 1; color: #333; }
ul, ol { padding: 0; margin: 0; }
li { list-style: square; margin: 3em; }
em, i { font-style: normal; }
u, a { text-decoration: none; }
a { color: orange; }
strong, b { font-weight: 300; }
h2, h3 { font-size: 40px; text-transform: uppercase; letter-spacing: 0.2em; margin: 0; }
p { margin: 0; }
sup { vertical-align: baseline; font-size: 100%; }
summary { display: list-item; }
pre { background: #272822; color: #f8f8f2; padding: 2em; white-space: pre; }
code { color: #e83e8c; }
img { display: block; width: 100%; }
"""

HOST = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host</title>
<style>{css}</style>
</head><body><h1>Someone's homepage</h1>
{fragment}</body></html>
"""

#: Computed style properties that make up the fragment's look, per element.
LOOK = {
    ".pubsite": ["font-size", "line-height", "color"],
    ".pubsite h2": ["font-size", "font-weight", "text-transform", "letter-spacing"],
    "li.pubsite-pub": ["list-style-type", "margin-top", "margin-bottom", "margin-left"],
    "li.pubsite-news-item": ["list-style-type", "margin-top", "margin-bottom", "margin-left"],
    ".pubsite-title": ["font-weight", "font-style", "color"],
    ".pubsite-owner": ["font-style", "font-weight", "text-decoration-line"],
    ".pubsite-author:not(.pubsite-owner)": ["font-style", "font-weight", "text-decoration-line"],
    ".pubsite-venue": ["font-style", "color"],
    ".pubsite-date": ["font-weight", "color"],
    ".pubsite-link": ["text-decoration-line", "color"],
    ".pubsite-toggle > summary": ["display"],
    ".pubsite-bibtex-code": ["background-color", "color", "white-space"],
    ".pubsite-bibtex-code code": ["color"],
}

_STYLES_JS = """(elements, props) => elements.map(e => {
    const s = getComputedStyle(e);
    return Object.fromEntries(props.map(p => [p, s.getPropertyValue(p)]));
})"""


def _png(width: int, height: int) -> bytes:
    """A small grey PNG, so the thumbnail really loads."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x99" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@dataclass
class Served:
    """Base URL of the pages under test, and the model they were rendered from."""

    url: str
    owner_names: int


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The shipped site as a page, and its fragment in a neutral and in a hostile host."""
    root = tmp_path_factory.mktemp("served")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        page = render_site(load_config(overrides={"format": "page"}))
        fragment = render_site(load_config(overrides={"format": "fragment"})).text
    assert page.problems == ()
    (root / "index.html").write_text(page.text, encoding="utf-8")
    (root / "neutral.html").write_text(HOST.format(css="", fragment=fragment), encoding="utf-8")
    (root / "hostile.html").write_text(HOST.format(css=HOSTILE_CSS, fragment=fragment), encoding="utf-8")
    owners = sum(a.owner for pub in page.site.publications for a in pub.authors)
    (root / "extras.bib").write_text(EXTRAS_BIB, encoding="utf-8")
    extras = render_site(Config(bib=(str(root / "extras.bib"),), news=None, owner=("Shiqi He",),
                                format="page", show_venue_badge=True, max_authors=10,
                                coauthors=(("Author2 Person2", "https://example.org/a2"),),
                                preview_base="/img/"))
    assert extras.problems == ()
    (root / "extras.html").write_text(extras.text, encoding="utf-8")
    (root / "img").mkdir()
    (root / "img" / "thumb.png").write_bytes(_png(40, 30))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(url=f"http://127.0.0.1:{server.server_address[1]}/", owner_names=owners)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One chromium for the whole session: starting it is the slow part."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("playwright is not installed: python3 -m pip install -e '.[test]'")
    if not CHROMIUM.exists():
        missing_tool(f"chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Visit:
    """An open tab plus everything that went wrong while it loaded."""

    page: Any
    errors: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)

    def styles(self, selector: str, props: list[str]) -> list[dict[str, str]]:
        return self.page.eval_on_selector_all(selector, _STYLES_JS, props)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _counts(message: Any) -> bool:
    """A console error caused by the page; the browser's own favicon probe is the host's business."""
    url = message.location.get("url", "") if message.location else ""
    return message.type == "error" and not url.endswith("/favicon.ico")


@pytest.fixture
def visit(browser: Any, served: Served) -> Iterator[Any]:
    """Open ``name`` in a fresh context; record console errors, failed requests and hosts."""
    contexts: list[Any] = []

    def open_page(name: str, viewport: dict[str, int] = DESKTOP, color_scheme: str = "light") -> Visit:
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)
        page.on("console", lambda msg: _counts(msg) and seen.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: seen.errors.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: seen.errors.append(f"failed: {req.url} {req.failure}"))
        page.on("response", lambda res: res.status >= 400 and seen.errors.append(f"HTTP {res.status}: {res.url}"))
        page.on("request", lambda req: seen.hosts.add(urlsplit(req.url).hostname or req.url.split(":")[0]))
        page.goto(served.url + name, wait_until="load")
        return seen

    yield open_page
    for context in contexts:
        context.close()


def test_page_loads_without_errors_or_outside_requests(visit: Any) -> None:
    seen = visit("index.html")
    seen.page.wait_for_load_state("networkidle")
    assert seen.errors == []
    assert seen.hosts <= {"127.0.0.1", "data"}, f"requests left the machine: {sorted(seen.hosts)}"
    assert seen.page.locator("li.pubsite-pub").count() > 0
    seen.screenshot("page-desktop.png")


def test_page_carries_the_packaged_stylesheet_verbatim(visit: Any) -> None:
    """Escaping the inline CSS (a quoted font name as &#34;) silently drops declarations."""
    seen = visit("index.html")
    inline = seen.page.eval_on_selector("style", "e => e.textContent")
    packaged = resources.files("pubsite").joinpath("templates", "pubsite.css").read_text(encoding="utf-8")
    assert packaged.strip() in inline


@pytest.mark.parametrize("name", ["index.html", "hostile.html"])
def test_owner_is_visibly_underlined_and_italic(visit: Any, served: Served, name: str) -> None:
    seen = visit(name)
    owners = seen.page.locator(".pubsite-owner")
    assert owners.count() == served.owner_names > 0
    for style in seen.styles(".pubsite-owner", ["text-decoration-line", "font-style", "color"]):
        assert "underline" in style["text-decoration-line"]
        assert style["font-style"] == "italic"
        assert style["color"] not in ("rgba(0, 0, 0, 0)", "transparent")
    for index in range(owners.count()):
        assert owners.nth(index).is_visible()
        assert owners.nth(index).inner_text().startswith("Shiqi He")


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_horizontal_scroll_on_a_phone(visit: Any, name: str) -> None:
    seen = visit(name, viewport=PHONE)
    widths = seen.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px screen"
    seen.screenshot(f"{PAGES[name]}-phone.png")


def test_fragment_keeps_its_look_in_a_hostile_host(visit: Any) -> None:
    neutral = visit("neutral.html")
    hostile = visit("hostile.html")
    differences = []
    for selector, props in LOOK.items():
        expected, actual = neutral.styles(selector, props), hostile.styles(selector, props)
        assert expected, f"nothing matches {selector}"
        for want, got in zip(expected, actual):
            for prop in props:
                if want[prop] != got[prop]:
                    differences.append(f"{selector} {prop}: {want[prop]} in a plain host, {got[prop]} here")
    hostile.screenshot("hostile-desktop.png")
    assert not differences, "\n".join(sorted(set(differences)))


def test_serve_reloads_the_open_page_and_shows_errors_in_it(browser: Any, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    init_site(tmp_path, "Jane Doe")
    monkeypatch.chdir(tmp_path)
    with running_preview() as running:
        context = browser.new_context(viewport=DESKTOP)
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(running.url)
            assert page.locator("li.pubsite-pub").count() == 2
            bib = tmp_path / "data" / "publications.bib"
            good = bib.read_text(encoding="utf-8")
            bib.write_text(good + NEW_ENTRY, encoding="utf-8")
            page.locator("li.pubsite-pub", has_text="A Freshly Added Paper").wait_for(timeout=TIMEOUT * 1000)
            bib.unlink()
            page.locator("#pubsite-serve-error").wait_for(timeout=TIMEOUT * 1000)
            assert "data/publications.bib: file not found" in page.locator("#pubsite-serve-error").inner_text()
            Visit(page).screenshot("serve-error.png")
            bib.write_text(good + "\n@article{cut,\n  title = {Unbalanced,\n", encoding="utf-8")
            page.locator("#pubsite-serve-problems").wait_for(timeout=TIMEOUT * 1000)
            assert page.locator("li.pubsite-pub").count() == 2
            Visit(page).screenshot("serve-problems.png")
            assert errors == []
        finally:
            context.close()


def test_bibtex_toggles_open_and_show_each_entry(visit: Any) -> None:
    seen = visit("index.html")
    entries = seen.page.locator("li.pubsite-pub")
    assert entries.count() > 0
    for index in range(entries.count()):
        entry = entries.nth(index)
        key = entry.get_attribute("id")
        code = entry.locator(".pubsite-bibtex-code")
        assert not code.is_visible()
        entry.locator("details.pubsite-bibtex > summary").click()
        assert code.is_visible()
        text = code.inner_text()
        assert text.startswith("@") and f"{{{key}," in text.splitlines()[0]
        fields = {line.split("=")[0].strip() for line in text.splitlines()[1:] if "=" in line}
        assert "title" in fields and "author" in fields
        assert not fields & {"pdf", "selected", "abbr", "code", "preview"}, f"private fields in {key}"
    seen.screenshot("page-bibtex-open.png")
    assert seen.errors == []


def test_abstract_toggle_shows_the_abstract_as_text(visit: Any) -> None:
    seen = visit("extras.html")
    abstract = seen.page.locator(".pubsite-abstract-text")
    assert not abstract.is_visible()
    seen.page.locator("details.pubsite-abstract > summary").click()
    assert abstract.inner_text() == "We show that <b>tags</b> & ampersands stay text."


def test_long_author_list_is_folded_with_the_owner_visible(visit: Any) -> None:
    seen = visit("extras.html")
    authors = seen.page.locator("li#many2024 .pubsite-author")
    assert authors.count() == len(AUTHORS)
    shown = [authors.nth(i).inner_text() for i in range(authors.count()) if authors.nth(i).is_visible()]
    assert len(shown) < len(AUTHORS)
    assert "Shiqi He" in shown
    more = seen.page.locator("li#many2024 .pubsite-more-label")
    hidden = len(AUTHORS) - len(shown)
    assert more.first.inner_text().endswith(f"{hidden} more")
    seen.screenshot("extras-folded.png")
    more.first.click()
    shown = [authors.nth(i).inner_text() for i in range(authors.count()) if authors.nth(i).is_visible()]
    assert shown == AUTHORS


def test_thumbnail_badges_and_coauthor_link(visit: Any) -> None:
    seen = visit("extras.html")
    image = seen.page.locator("img.pubsite-preview")
    assert image.get_attribute("loading") == "lazy"
    assert image.get_attribute("alt") == "Preview of A Paper with Fourteen Authors"
    image.scroll_into_view_if_needed()
    seen.page.wait_for_function("img => img.complete && img.naturalWidth === 40", arg=image.element_handle())
    assert seen.page.locator(".pubsite-venue-badge").inner_text() == "ICML"
    assert seen.page.locator(".pubsite-award").inner_text() == "Best Paper Award"
    link = seen.page.locator("a.pubsite-coauthor")
    assert (link.inner_text(), link.get_attribute("href")) == ("Author2 Person2", "https://example.org/a2")
    seen.page.wait_for_load_state("networkidle")
    assert seen.errors == []
    assert seen.hosts <= {"127.0.0.1"}
    seen.screenshot("extras-desktop.png")


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_dark_mode_switches_the_palette(visit: Any) -> None:
    props = ["background-color", "color"]
    light = visit("index.html", color_scheme="light")
    dark = visit("index.html", color_scheme="dark")
    light_body, dark_body = light.styles("body", props)[0], dark.styles("body", props)[0]
    assert light_body != dark_body
    assert _luminance(light_body["background-color"]) > _luminance(light_body["color"])
    assert _luminance(dark_body["background-color"]) < _luminance(dark_body["color"])
    for selector in (".pubsite-title", ".pubsite-venue", ".pubsite-link"):
        assert light.styles(selector, ["color"])[0] != dark.styles(selector, ["color"])[0], selector
    for style in dark.styles(".pubsite-owner", ["text-decoration-line", "font-style"]):
        assert "underline" in style["text-decoration-line"] and style["font-style"] == "italic"
    dark.screenshot("page-dark.png")
    visit("index.html", viewport=PHONE, color_scheme="dark").screenshot("page-dark-phone.png")


def test_print_drops_toggles_and_links_and_unfolds_authors(visit: Any) -> None:
    seen = visit("extras.html")
    seen.page.emulate_media(media="print")
    assert not seen.page.locator("details.pubsite-bibtex").is_visible()
    assert not seen.page.locator(".pubsite-links").is_visible()
    authors = seen.page.locator("li#many2024 .pubsite-author")
    assert all(authors.nth(i).is_visible() for i in range(authors.count()))
    assert seen.page.locator(".pubsite-title").is_visible()
