"""The shipped site, rendered, compared byte for byte with output checked by eye.

Regenerate with ``pytest tests/test_golden.py --update-golden`` and read the diff.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from pubsite.config import load_config
from pubsite.site import render_site

from .conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"
CASES = {"fragment.html": "fragment", "page.html": "page", "out.md": "markdown", "out.json": "json"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_shipped_site_matches_golden(name: str, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = render_site(load_config(overrides={"format": CASES[name]}))
    assert result.problems == ()
    path = GOLDEN / name
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(result.text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if result.text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), result.text.splitlines(True),
                                            f"golden/{name}", "rendered"))
        pytest.fail(f"output differs from golden/{name}:\n{diff}")
