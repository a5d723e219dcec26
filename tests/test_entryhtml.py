"""An entry printed in Python reads exactly as the default ``publication`` macro prints it.

A site that overrides neither ``_macros.html`` nor ``publications.html`` gets
its entries from :mod:`pubsite.entryhtml` (the macro is slow on thousands of
entries); every other site, and the documentation, still go through the
macro.  The two must print the same bytes for every entry and every setting:
the shipped bibliography, every exporter fixture, and hand-made entries that
reach each branch (escaping, code points HTML forbids, folded author lists,
"et al.", every switch, badge colours).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path
from typing import Callable, Iterable

import pytest

from pubsite.config import Config, load_config
from pubsite.entryhtml import entry_formatter
from pubsite.model import Author, Link, Links, Publication
from pubsite.render import environment
from pubsite.site import build_publications, render_site

from .conftest import ROOT

EXPORTERS = Path(__file__).parent / "exporters"


def macro(config: Config) -> Callable[[Publication], str]:
    """The packaged ``publication`` macro, as the templates call it."""
    module = environment(None).get_template("_macros.html").make_module({"config": config})
    return lambda pub: str(module.publication(pub))


def differing(pubs: Iterable[Publication], config: Config) -> list[tuple[str, str, str]]:
    """(key, macro's text, Python's text) of each entry the two print differently."""
    jinja, python = macro(config), entry_formatter(config)
    return [(pub.key, a, b) for pub in pubs if (a := jinja(pub)) != (b := python(pub))]


def test_every_shipped_entry_prints_as_the_macro_prints_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    config = load_config(None, {"cache_dir": None})
    pubs, _ = build_publications(config)
    assert len(pubs) > 5
    for switched in (config, dataclasses.replace(config, show_venue_badge=True, max_authors=2,
                                                 venue_colors=(("infocom", "#1a5fb4"),))):
        assert differing(pubs, switched) == []


@pytest.mark.parametrize("name", sorted(p.stem for p in EXPORTERS.glob("*.bib")))
def test_every_exporter_entry_prints_as_the_macro_prints_it(name: str) -> None:
    config = Config(bib=(str(EXPORTERS / f"{name}.bib"),), news=None, cache_dir=None, show_venue_badge=True)
    pubs, _ = build_publications(config)
    assert pubs
    assert differing(pubs, config) == []


# -- hand-made entries --------------------------------------------------------------------

#: Everything an attribute value or a text node can hold that must be escaped or dropped:
#: the five HTML specials, controls HTML forbids (\x0b, NUL, C1), a noncharacter, a lone
#: surrogate, and characters outside the Basic Multilingual Plane, which are kept.
ODD = "<b>Tom & \"Jerry\"'s</b> \x0b\x00\x85\ufdd0\ud800 \U0001F600 \U0010FFFD\U0010FFFF\U0010FFFE"


def person(name: str, **kwargs: object) -> Author:
    return Author(name, name.split()[0], name.split()[-1], **kwargs)  # type: ignore[arg-type]


OWNER = person("Shiqi He", owner=True, equal=True, marks=("\u2020",))
AUTHORS = (
    person("Ada Lovelace", equal=True),
    person("Bo <Li> & Co", url="https://example.org/?a=1&b=\"2\""),
    person("Cy\x0bCode \U0001D49E", marks=("\u2020", "<\u2021>")),
    person("Di Dee"),
    OWNER,
    person("Ed Eel", marks=("*",)),
    person("Fa Fay", url="https://example.org/fay"),
    person("Gu Gil"),
)
LINKS = Links(pdf="a.pdf", doi="10.1/x", all=(
    Link("pdf", ".pdf", "/assets/pdf/a&b.pdf"), Link("doi", "DOI", "https://doi.org/10.1/x<y>"),
    Link("code", "code \x0b'", "https://github.com/x/y?q=\"1\""),
))
FIELDS = (("title", "A {Title} with <tags> & \x0b"), ("author", "Lovelace*, Ada and He, Shiqi"),
          ("journal", "J & \"Q\""), ("year", "2020"), ("month", "July"), ("abbr", "X"))


def entry(key: str, **changes: object) -> Publication:
    base = Publication(key, "article", "Title", (), 2020, None, "Venue", None, "published", Links(),
                       fields=(("title", "Title"),))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


HAND_MADE = [
    entry("plain"),
    entry("no-venue-line", venue_line=""),
    entry("odd:key&\"x\"", title=ODD, authors=AUTHORS, venue_line=ODD, venue_short=ODD, award=ODD,
          abstract=ODD, preview="fig.png?a=1&b=<2>", links=LINKS, fields=FIELDS, et_al=True,
          status="to-appear"),
    entry("everything", title="Everything \U0001F600", authors=AUTHORS, venue_line="ICML 2023",
          venue_short="ICML", award="Oral", abstract="We show <things> & more.", preview="fig.png",
          links=LINKS, fields=FIELDS, status="submitted"),
    entry("owner-last-folded", authors=AUTHORS[:3] + AUTHORS[5:] + (OWNER,), venue_short="icml"),
    entry("one-author", authors=(OWNER,), status="preprint", venue_line="arXiv preprint arXiv:2004.09125"),
    entry("et-al-alone", et_al=True, links=Links(all=(Link("arxiv", "arXiv", "https://arxiv.org/abs/1"),))),
    entry("et-al-after", authors=AUTHORS[:2], et_al=True, venue_short="NeurIPS"),
    entry("empty-title", title="", venue_short="", award="", abstract="", preview="", fields=()),
    entry("control-only", title="\x0b\x01", authors=(person("\x7f Zed"),), venue_line="\x9f"),
]

CONFIGS = [
    Config(),
    Config(max_authors=0),
    Config(max_authors=1),
    Config(max_authors=3, show_venue_badge=True,
           venue_colors=(("ICML", "#1a5fb4"), ("neurips", "#ffdd00"), (ODD, "#000000"))),
    Config(max_authors=4, show_bibtex=False, show_abstract=False, show_award=False, show_preview=False,
           show_venue_badge=True),
    Config(max_authors=2, show_bibtex=True, show_abstract=True, show_award=True, show_preview=True,
           show_venue_badge=True, venue_colors=(("icml", "#ffffff"),)),
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"max{c.max_authors}-badge{c.show_venue_badge}"
                         f"-bibtex{c.show_bibtex}")
def test_hand_made_entries_print_as_the_macro_prints_them(config: Config) -> None:
    assert differing(HAND_MADE, config) == []


def test_every_switch_reaches_the_output_in_both() -> None:
    """The comparisons above hold because each branch is taken, not because both print little."""
    seen = "".join(entry_formatter(config)(pub) for config, pub in itertools.product(CONFIGS, HAND_MADE))
    for feature in ('class="pubsite-pub pubsite-to-appear pubsite-has-preview"', 'id="odd:key&amp;&#34;x&#34;"',
                    "pubsite-preview", "pubsite-venue-badge", "background-color:#1a5fb4", "pubsite-owner",
                    "pubsite-coauthor", 'href="https://example.org/?a=1&amp;b=&#34;2&#34;"', "pubsite-equal",
                    '<sup class="pubsite-mark">&lt;\u2021&gt;</sup>', "pubsite-more", "and 3 more",
                    ">2 more<", "pubsite-etal", "pubsite-venue", "To appear", "Submitted", "pubsite-award",
                    "pubsite-link-code", "pubsite-abstract", "pubsite-bibtex", "month = jul",
                    "&lt;b&gt;Tom &amp; &#34;Jerry&#34;&#39;s&lt;/b&gt;  \U0001F600 \U0010FFFD</strong>",
                    'CyCode \U0001D49E'):
        assert feature in seen, feature
    for gone in ("\x0b", "\x00", "\x85", "\ufdd0", "\ud800", "\U0010FFFE", "\U0010FFFF", "\x7f", "\x9f"):
        assert gone not in seen, repr(gone)
    off = entry_formatter(CONFIGS[4])(HAND_MADE[3])
    for feature in ("pubsite-abstract", "pubsite-bibtex", "pubsite-award", "pubsite-preview"):
        assert feature not in off, feature
    assert "pubsite-more" in off and "pubsite-more" not in entry_formatter(CONFIGS[1])(HAND_MADE[3])


# -- a site's own templates ----------------------------------------------------------------

BIB = "@article{k, title = {Own Macro & Co}, author = {He, Shiqi and Doe, Jane}, journal = {J}, year = 2020}\n"
OWN = """\
{% macro publication(pub, anchor=true) -%}
<li class="mine" data-max="{{ config.max_authors }}">{{ pub.title }} / {{ site.title }}</li>
{%- endmacro %}"""


def own_macros() -> str:
    """The packaged ``_macros.html`` with the site's own ``publication`` macro in place of ours."""
    packaged = (ROOT / "pubsite" / "templates" / "_macros.html").read_text(encoding="utf-8")
    ours = re.search(r"\{% macro publication\(.*?\{%- endmacro %\}", packaged, re.S)
    assert ours is not None
    return packaged[: ours.start()] + OWN + packaged[ours.end():]


@pytest.mark.parametrize("format_", ["page", "fragment"])
def test_a_site_overriding_the_entry_macro_gets_its_own_entries(write_site: Callable[..., Path],
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 format_: str) -> None:
    root = write_site({"data/publications.bib": BIB, "templates/_macros.html": own_macros(),
                       "pubsite.toml": 'owner = "Shiqi He"\nmax_authors = 7\n'})
    monkeypatch.chdir(root)
    out = render_site(load_config(None, {"format": format_, "cache_dir": None})).text
    assert '<li class="mine" data-max="7">Own Macro &amp; Co / Publications</li>' in out
    assert '<strong class="pubsite-title">' not in out


def test_what_a_site_template_makes_of_an_entry_is_still_cleaned(write_site: Callable[..., Path],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # Entries made in Python are not searched again for the code points HTML forbids when printed;
    # markup a site's own template derives from one (here with a vertical tab) still is.
    fragment = r'<div>{% for pub in publications %}{{ publication_html(pub) + "\x0b!" }}{% endfor %}</div>'
    root = write_site({"data/publications.bib": BIB, "templates/fragment.html": fragment + "\n"})
    monkeypatch.chdir(root)
    out = render_site(load_config(None, {"format": "fragment", "cache_dir": None})).text
    assert '<strong class="pubsite-title">Own Macro &amp; Co</strong>' in out
    assert out.endswith("</li>!</div>\n")
    assert "\x0b" not in out
