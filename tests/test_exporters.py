"""Every exporter's BibTeX, rendered through the library, against a record checked by eye.

``tests/exporters/<exporter>.bib`` holds entries copied verbatim from real
exports (the ``%`` line above each names its source); ``<exporter>.expected.json``
holds what a reader should see for each: title, authors as displayed (and
which of them is the owner named in the file), year, month, venue, short
venue, status and links, plus the problems reported.  Regenerate with
``pytest tests/test_exporters.py --update-golden`` and read the whole diff.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest

from pubsite.config import Config
from pubsite.site import render_site

EXPORTERS = Path(__file__).parent / "exporters"
NAMES = sorted(p.name[: -len(".expected.json")] for p in EXPORTERS.glob("*.expected.json"))


def record(pub: dict[str, Any]) -> dict[str, Any]:
    """The part of the JSON output a reader sees, in a form easy to check by eye."""
    return {
        "key": pub["key"],
        "title": pub["title"],
        "authors": [a["name"] for a in pub["authors"]],
        "owner": [a["name"] for a in pub["authors"] if a["owner"]],
        "et_al": pub["et_al"],
        "year": pub["year"],
        "month": pub["month"],
        "venue": pub["venue"],
        "venue_short": pub["venue_short"],
        "status": pub["status"],
        "links": {kind: url for kind, url in pub["links"].items() if url},
    }


def rendered(name: str, owner: list[str]) -> dict[str, Any]:
    path = EXPORTERS / f"{name}.bib"
    result = render_site(Config(bib=(str(path),), news=None, owner=tuple(owner), format="json", cache_dir=None))
    return {
        "owner": owner,
        "problems": [str(p)[len(str(path)) + 1:].replace(str(path), path.name) for p in result.problems],
        "publications": [record(p) for p in json.loads(result.text)["publications"]],
    }


def test_every_exporter_has_a_fixture() -> None:
    wanted = {"google-scholar", "dblp", "acm", "ieee", "arxiv", "semantic-scholar", "acl-anthology",
              "biorxiv-medrxiv", "zotero-biblatex", "zotero-bibtex", "jabref"}
    assert wanted <= set(NAMES)
    for name in NAMES:
        assert (EXPORTERS / f"{name}.bib").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_exporter_renders_to_expected_records(name: str, update_golden: bool) -> None:
    path = EXPORTERS / f"{name}.expected.json"
    expected = json.loads(path.read_text(encoding="utf-8"))
    got = rendered(name, expected["owner"])
    if update_golden:
        path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    if got != expected:
        diff = difflib.unified_diff(json.dumps(expected, ensure_ascii=False, indent=2).splitlines(True),
                                    json.dumps(got, ensure_ascii=False, indent=2).splitlines(True),
                                    f"exporters/{name}.expected.json", "rendered")
        pytest.fail("".join(diff))
