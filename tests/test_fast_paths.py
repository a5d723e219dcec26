"""Hand-written fast paths of entry formatting give exactly what the general path gives.

Formatting runs once per entry of the page, so some of its steps are written
out by hand where a general tool (``json.dumps`` of a dict, a regex search of
every value) cost more.  Each is compared here with the path it stands for,
on hand-made entries that reach every branch, on every exporter fixture and
on the real corpora.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from pubsite.config import Config
from pubsite.jsonld import article, article_json
from pubsite.model import Publication
from pubsite.render import _NOT_IN_HTML, _clean, _forbidden
from pubsite.site import build_publications

from .conftest import SHARED
from .test_entryhtml import HAND_MADE

EXPORTERS = Path(__file__).parent / "exporters"
CORPORA = SHARED / "corpora"
BASES = ("", "https://example.org/people/me/")


def _exporter_pubs() -> list[Publication]:
    pubs: list[Publication] = []
    for bib in sorted(EXPORTERS.glob("*.bib")):
        pubs += build_publications(Config(bib=(str(bib),), news=None, cache_dir=None))[0]
    return pubs


@pytest.fixture(scope="module", params=["medium.bib", "large.bib"])
def corpus(request: pytest.FixtureRequest) -> list[Publication]:
    if not CORPORA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CORPORA} is missing; CI must put shared/ beside the clone")
        pytest.skip("shared/corpora is not beside this clone (it holds the real bibliographies)")
    return build_publications(Config(bib=(str(CORPORA / request.param),), news=None, cache_dir=None))[0]


def _json_differences(pubs: list[Publication]) -> list[str]:
    return [pub.key for base in BASES for pub in pubs
            if article_json(pub, base) != json.dumps(article(pub, base), ensure_ascii=False)]


def test_article_json_is_the_dumped_article_on_hand_made_and_exporter_entries() -> None:
    pubs = HAND_MADE + _exporter_pubs()
    assert len(pubs) > 20
    assert _json_differences(pubs) == []


@pytest.mark.slow
def test_article_json_is_the_dumped_article_on_the_corpora(corpus: list[Publication]) -> None:
    assert _json_differences(corpus) == []


def test_every_code_point_html_forbids_is_one_isprintable_rejects() -> None:
    # What lets _clean skip the search when isprintable() holds.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if _NOT_IN_HTML.match(char):
            assert not char.isprintable(), hex(code)


@pytest.mark.parametrize("text", ["", "plain", "tab\tand\nnewline", "no\u00a0break", "é\x85", "\u4e00\ud800",
                                  "a\ufdd0", "\U0001ffff", "b\x7f", "ok é", "\x0b\x00", "\U0010fffe x"])
def test_clean_is_the_full_search(text: str) -> None:
    assert _clean(text) == _NOT_IN_HTML.sub("", text)
    assert _clean(text) == _forbidden(text).sub("", text)
