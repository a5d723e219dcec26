"""A broken template override is an input error naming its file and line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pubsite.cli import cli

BIB = "@misc{a, title={T}, author={Doe, Jane}, year=2020}\n"


@pytest.mark.parametrize(("template", "expected"), [
    ('{% extends "!default/page.html" %}\n{% block title %}\n{{ nope.x }}{% endblock %}\n',
     "templates/page.html:3: template error: 'nope' is undefined"),
    ("<title>\n{% block title %\n",
     "templates/page.html:2: template syntax error: expected token 'end of statement block', got '%'"),
    ('{% extends "!default/nope.html" %}\n', "templates/page.html:1: template not found: !default/nope.html"),
    ('<p>\n{% include "missing.html" %}\n', "templates/page.html:2: template not found: missing.html"),
    ("{{ site.publications[0].title | nofilter }}\n",
     "templates/page.html:1: template syntax error: No filter named 'nofilter'."),
])
def test_broken_override_is_reported_with_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         template: str, expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(template, encoding="utf-8")
    (tmp_path / "p.bib").write_text(BIB, encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", "--bib", "p.bib", "--format", "page", "-o", "out.html"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {expected}\n"
    assert not (tmp_path / "out.html").exists()
