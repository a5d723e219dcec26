"""Rendering: escaping, determinism, owner marks, templates overridden by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pubsite.config import Config
from pubsite.site import render_site

HOSTILE = r"""
@article{hostile,
  title={<script>alert("t")</script> \& {Tom's} "quotes"},
  author={O'Brien, <b>Bob</b> and He*, Shiqi and Wu$^\dagger$, Feijie},
  journal={J <img src=x onerror=alert(1)>},
  year={2020},
  annotation={† Corresponding author},
  url={javascript:alert(1)},
  code={https://example.org/?a=1&b="2"}
}
"""


def render(tmp_path: Path, bib: str, **settings: object) -> str:
    path = tmp_path / "p.bib"
    path.write_text(bib, encoding="utf-8")
    config = Config(bib=(str(path),), news=None, owner=("Shiqi He",), **settings)  # type: ignore[arg-type]
    return render_site(config).text


@pytest.mark.parametrize("format_", ["fragment", "page", "markdown"])
def test_everything_from_input_is_escaped(tmp_path: Path, format_: str) -> None:
    out = render(tmp_path, HOSTILE, format=format_)
    # The page's own JSON-LD is the only script element, and no input reaches it unescaped.
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', out, flags=re.S)
    assert len(blocks) == (format_ == "page") and not any("<" in b for b in blocks)
    out = re.sub(r'<script type="application/ld\+json">.*?</script>', "", out, flags=re.S)
    assert "<script" not in out
    assert "<img" not in out and "<b>" not in out
    assert "javascript:" not in out
    assert "&lt;script&gt;" in out
    assert 'a=1&amp;b=&#34;2&#34;' in out or "a=1&amp;b=%222%22" in out


def test_owner_equal_and_marks(tmp_path: Path) -> None:
    out = render(tmp_path, HOSTILE)
    assert '<em class="pubsite-author pubsite-owner">Shiqi He<span class="pubsite-equal">*</span></em>' in out
    assert 'Feijie Wu<sup class="pubsite-mark">†</sup>' in out
    assert "* Equal contribution<br>† Corresponding author" in out


def test_no_legend_without_marks(tmp_path: Path) -> None:
    out = render(tmp_path, "@misc{a, title={T}, author={A, B}, year=2020}")
    assert 'class="pubsite-legend"' not in out


def test_same_input_same_bytes(tmp_path: Path) -> None:
    assert render(tmp_path, HOSTILE, format="page") == render(tmp_path, HOSTILE, format="page")


def test_site_template_overrides_and_extends_default(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text(
        '{% extends "!default/page.html" %}{% block title %}My page{% endblock %}')
    out = render(tmp_path, "@misc{a, title={T}, year=2020}", format="page", template_dir=str(templates))
    assert "<title>My page</title>" in out and 'class="pubsite-title">T</strong>' in out


def test_relative_template_folder_is_each_sites_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sites rendered in one process (tests, pubsite serve) each get their own overrides."""
    plain, custom = tmp_path / "plain", tmp_path / "custom"
    (custom / "templates").mkdir(parents=True)
    plain.mkdir()
    (custom / "templates" / "page.html").write_text(
        '{% extends "!default/page.html" %}{% block title %}Custom{% endblock %}')
    titles = []
    for site in (plain, custom, plain):
        monkeypatch.chdir(site)
        titles.append(render(site, "@misc{a, title={T}, year=2020}", format="page").split("<title>")[1][:6])
    assert titles == ["Public", "Custom", "Public"]


def test_group_by_year_and_type(tmp_path: Path) -> None:
    bib = ("@article{j, title={J}, journal={Nature}, year=2021}\n"
           "@inproceedings{c, title={C}, booktitle={ICML}, year=2020}\n"
           "@misc{p, title={P}, journal={arXiv preprint arXiv:2001.00001}, year=2020}\n")
    by_year = render(tmp_path, bib, group_by="year")
    assert by_year.index(">2021</h3>") < by_year.index(">2020</h3>")
    by_type = render(tmp_path, bib, group_by="type")
    assert by_type.index("Journal articles") < by_type.index("Conference papers") < by_type.index("Preprints")


def test_status_tags(tmp_path: Path) -> None:
    out = render(tmp_path, "@article{a, title={A}, journal={J}, year={forthcoming}}\n"
                           "@article{b, title={B}, journal={J}, year=2020, note={Under review}}\n")
    assert '<em class="pubsite-status">To appear</em>' in out
    assert '<em class="pubsite-status">Submitted</em>' in out
    assert out.index(">A</strong>") < out.index(">B</strong>")  # upcoming work first


def test_site_stylesheet_overrides_packaged_one(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "pubsite.css").write_text(".pubsite .pubsite-title { color: rebeccapurple; }\n")
    out = render(tmp_path, "@misc{a, title={T}, year=2020}", format="page", template_dir=str(templates))
    assert "rebeccapurple" in out
    assert "rebeccapurple" not in render(tmp_path, "@misc{a, title={T}, year=2020}", format="page")


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40))
def test_quick_control_character_search_agrees_with_the_full_one(text: str) -> None:
    from pubsite.render import _NOT_IN_HTML, _forbidden

    assert bool(_forbidden(text).search(text)) == bool(_NOT_IN_HTML.search(text))
    assert _forbidden(text).sub("", text) == _NOT_IN_HTML.sub("", text)


@pytest.mark.parametrize("text", ["é\x85", "\u4e00\ud800", "a\ufdd0", "\U0001ffff", "b\x7f", "ok é"])
def test_quick_control_character_search_on_edges(text: str) -> None:
    from pubsite.render import _NOT_IN_HTML, _forbidden

    assert _forbidden(text).sub("", text) == _NOT_IN_HTML.sub("", text)


def test_compiled_templates_are_kept_and_never_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A later run loads compiled templates from the user's cache folder, yet sees every edit."""
    from dataclasses import replace

    from pubsite import render as render_module
    from pubsite.config import load_config

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    (tmp_path / "templates").mkdir()
    news = tmp_path / "templates/news.html"
    (tmp_path / "p.bib").write_text("@misc{a, title={A Title}, year=2020}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = replace(load_config(overrides={"bib": ("p.bib",), "template_dir": "templates"}), cache_dir=None)
    outputs = []
    for version in ("first", "second"):
        news.write_text(f"<p>{version} news</p>\n", encoding="utf-8")
        render_module.environment.cache_clear()  # as a new process would start
        outputs.append(render_site(config).text)
    render_module.environment.cache_clear()
    assert "first news" in outputs[0] and "second news" in outputs[1] and "first news" not in outputs[1]
    assert len(list((tmp_path / "home-cache/pubsite/templates").iterdir())) >= 4
