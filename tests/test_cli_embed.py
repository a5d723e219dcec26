"""Embedding from the command line: --inject, --check, --host, --css, stable bytes."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pubsite import __version__
from pubsite.cli import cli

BIB = r"""
@inproceedings{he2023gluefl,
  title={{GlueFL}: Reconciling Client Sampling},
  author={He, Shiqi and Yan, Qifan},
  booktitle={Proceedings of Machine Learning and Systems},
  year={2023}, month={jun}
}
@misc{he2024braces,
  title={Templating \{\{ braces \}\} and \{\% endraw \%\} literally},
  author={Doe, Jane and He, Shiqi},
  howpublished={arXiv preprint arXiv:2401.00001},
  year={2024}
}
"""
NEWS = """\
- date: 2024-01
  text: "Talk on {{ site.title }} and {% raw %} tricks"
"""
PAGE = "---\nlayout: single\ntitle: Me\n---\nHi, I am {{ page.title }}.\n\n## Papers\n" \
       "<!-- pubsite:start -->\nold text\n<!-- pubsite:end -->\n\nThe end.\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data/publications.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "data/news.yaml").write_text(NEWS, encoding="utf-8")
    (tmp_path / "pubsite.toml").write_text('owner = "Shiqi He"\n', encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["render", "-q", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _outside(text: str) -> tuple[str, str]:
    head, rest = text.split("<!-- pubsite:start -->", 1)
    return head, rest.split("<!-- pubsite:end -->", 1)[1]


def test_inject_changes_only_the_region_and_is_idempotent(site: Path) -> None:
    page = site / "about.md"
    page.write_bytes(PAGE.encode())
    code, _, err = run("--inject", "about.md")
    assert code == 0, err
    text = page.read_text(encoding="utf-8")
    assert _outside(text) == _outside(PAGE)
    assert "GlueFL: Reconciling Client Sampling" in text
    assert '<em class="pubsite-author pubsite-owner">Shiqi He</em>' in text
    first = page.read_bytes()
    old = 1_000_000_000
    os.utime(page, ns=(old, old))
    assert run("--inject", "about.md")[0] == 0
    assert page.read_bytes() == first
    assert page.stat().st_mtime_ns == old  # not rewritten: same bytes
    assert run("--inject", "about.md", "--check")[0] == 0


def test_inject_keeps_crlf_and_front_matter(site: Path) -> None:
    page = site / "index.html"
    crlf = PAGE.replace("\n", "\r\n").encode()
    page.write_bytes(crlf)
    assert run("--inject", "index.html")[0] == 0
    data = page.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.startswith(b"---\r\nlayout: single\r\ntitle: Me\r\n---\r\nHi, I am {{ page.title }}.\r\n")
    assert data.endswith(b"<!-- pubsite:end -->\r\n\r\nThe end.\r\n")
    assert run("--inject", "index.html", "--check")[0] == 0


def test_check_with_inject_shows_a_diff_of_the_whole_file_and_writes_nothing(site: Path) -> None:
    page = site / "about.md"
    page.write_bytes(PAGE.encode())
    code, out, err = run("--inject", "about.md", "--check")
    assert code == 1
    assert "--- about.md (on disk)" in out and "+++ about.md (rendered)" in out
    assert "-old text" in out and "+<strong class=\"pubsite-title\">GlueFL" in "".join(out.split("\n"))
    assert "about.md: stale; run pubsite render to update it" in err
    assert page.read_bytes() == PAGE.encode()


@pytest.mark.parametrize("page, where", [
    ("<p>\n<!-- pubsite:start -->\n<!-- pubsite:start -->\n<!-- pubsite:end -->\n", "page.html:3:"),
    ("<p>\n<!-- pubsite:end -->\n", "page.html:2:"),
    ("<p>\n\n<!-- pubsite:start news -->\n", "page.html:3:"),
    ("nothing to see\n", "page.html:"),
])
def test_bad_markers_exit_2_and_leave_the_file_untouched(site: Path, page: str, where: str) -> None:
    target = site / "page.html"
    target.write_bytes(page.encode())
    code, _, err = run("--inject", "page.html")
    assert code == 2
    assert err.startswith(f"error: {where} ")
    assert len(err.strip().splitlines()) == 1
    assert target.read_bytes() == page.encode()


@pytest.mark.parametrize("args, message", [
    (["--inject", "about.md", "-o", "x.html"], "either an output file or a page to inject into"),
    (["--inject", "about.md", "--format", "page"], "cannot inject format 'page'"),
    (["--inject", "about.md", "--format", "json"], "cannot inject format 'json'"),
    (["--inject", "missing.md"], "missing.md: file to inject into not found"),
    (["--css", "file"], "give an output file"),
])
def test_impossible_requests_exit_2(site: Path, args: list[str], message: str) -> None:
    (site / "about.md").write_text(PAGE, encoding="utf-8")
    code, _, err = run(*args)
    assert code == 2
    assert message in err
    assert (site / "about.md").read_text(encoding="utf-8") == PAGE


def test_named_regions_get_their_own_section(site: Path) -> None:
    page = site / "index.html"
    page.write_text("<h1>Me</h1>\n<!-- pubsite:start news -->\n<!-- pubsite:end news -->\n<p>bio</p>\n"
                    "<!-- pubsite:start publications -->\n<!-- pubsite:end publications -->\n", encoding="utf-8")
    assert run("--inject", "index.html")[0] == 0
    text = page.read_text(encoding="utf-8")
    news, pubs = text.split("<p>bio</p>")
    assert 'class="pubsite-news"' in news and "pubsite-publications" not in news
    assert 'class="pubsite-publications"' in pubs and "pubsite-news" not in pubs
    assert "GlueFL" in pubs and "Talk on" in news
    # One stylesheet per page: the first region carries it.
    assert news.count("<style>") == 1 and "<style>" not in pubs
    assert pubs.count('<div class="pubsite">') == 1


def test_jekyll_page_gets_raw_blocks_and_a_plain_page_does_not(site: Path) -> None:
    (site / "about.md").write_text(PAGE, encoding="utf-8")
    (site / "plain.html").write_text(PAGE.split("---\n", 2)[2], encoding="utf-8")
    assert run("--inject", "about.md")[0] == 0
    assert run("--inject", "plain.html")[0] == 0
    jekyll = (site / "about.md").read_text(encoding="utf-8")
    plain = (site / "plain.html").read_text(encoding="utf-8")
    assert "<!-- pubsite:start -->\n{% raw %}\n<div" in jekyll and "</div>\n{% endraw %}\n<!-- pubsite:end -->" in jekyll
    assert "and &#123;% endraw %} literally" in jekyll  # cannot close the raw block early
    assert "{% raw %}" not in plain.replace("{% raw %} tricks", "")
    assert "Templating {{ braces }} and {% endraw %} literally" in plain
    # --host overrides what the front matter suggests.
    assert run("--inject", "about.md", "--host", "plain")[0] == 0
    assert "{% raw %}\n<div" not in (site / "about.md").read_text(encoding="utf-8")


def test_output_under_includes_is_made_liquid_safe(site: Path) -> None:
    assert run("-o", "_includes/publications.html")[0] == 0
    text = (site / "_includes/publications.html").read_text(encoding="utf-8")
    assert text.startswith("{% raw %}\n") and text.endswith("{% endraw %}\n")
    assert run("-o", "layouts/partials/publications.html")[0] == 0
    assert "{{" not in (site / "layouts/partials/publications.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("css, inline, linked", [("inline", True, False), ("file", False, True),
                                                  ("none", False, False)])
@pytest.mark.parametrize("format_", ["fragment", "page"])
def test_css_modes(site: Path, css: str, inline: bool, linked: bool, format_: str) -> None:
    assert run("--format", format_, "--css", css, "-o", "out/index.html")[0] == 0
    text = (site / "out/index.html").read_text(encoding="utf-8")
    assert ("<style>" in text) is inline
    assert ('<link rel="stylesheet" href="pubsite.css">' in text) is linked
    sheet = site / "out/pubsite.css"
    assert sheet.exists() is linked
    if linked:
        assert ".pubsite .pubsite-owner" in sheet.read_text(encoding="utf-8")
        sheet.write_text("/* edited */\n", encoding="utf-8")
        code, out, _ = run("--format", format_, "--css", css, "-o", "out/index.html", "--check")
        assert code == 1 and "-/* edited */" in out


def test_css_setting_in_config(site: Path) -> None:
    (site / "pubsite.toml").write_text('owner = "Shiqi He"\ncss = "none"\nhost = "hugo"\n', encoding="utf-8")
    code, out, _ = run()
    assert code == 0 and "<style>" not in out and "{{" not in out
    (site / "pubsite.toml").write_text('css = "external"\n', encoding="utf-8")
    code, _, err = run()
    assert code == 2 and "pubsite.toml:1: 'css' must be one of inline, file, none, not 'external'" in err


@pytest.mark.parametrize("format_", ["fragment", "page", "markdown", "json"])
def test_output_holds_no_version_or_date_and_is_rewritten_only_on_change(site: Path, format_: str) -> None:
    target = site / f"out.{format_}"
    assert run("--format", format_, "-o", str(target))[0] == 0
    text = target.read_text(encoding="utf-8")
    assert __version__ not in text
    assert datetime.date.today().isoformat() not in text
    old = 1_000_000_000
    os.utime(target, ns=(old, old))
    assert run("--format", format_, "-o", str(target))[0] == 0
    assert target.stat().st_mtime_ns == old
    (site / "data/news.yaml").write_text(NEWS + "- date: 2023-01\n  text: More\n", encoding="utf-8")
    assert run("--format", format_, "-o", str(target))[0] == 0
    assert target.stat().st_mtime_ns != old


def test_inject_through_a_symlink_keeps_the_link(site: Path) -> None:
    real = site / "pages/about.md"
    real.parent.mkdir()
    real.write_text(PAGE, encoding="utf-8")
    link = site / "about.md"
    link.symlink_to(real)
    assert run("--inject", "about.md")[0] == 0
    assert link.is_symlink()
    assert "GlueFL" in real.read_text(encoding="utf-8")
