"""``pubsite init``: a new site that renders cleanly, and never a file overwritten."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pubsite.cli import cli
from pubsite.config import load_config
from pubsite.feedback import summary
from pubsite.scaffold import FILES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

OWNERS = ["Jane Doe", "José Núñez-García", "Jean de la Fontaine", "Mary-Jane O'Neil",
          'Jane "JJ" Doe', "Li Wei"]


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _init(root: Path, *args: str, **kwargs: object):
    result = CliRunner().invoke(cli, ["init", str(root), *args], **kwargs)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("owner", OWNERS)
def test_new_site_renders_cleanly_with_the_owner_underlined(tmp_path: Path, owner: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    result = _init(tmp_path / "site", "--owner", owner)
    assert result.exit_code == 0, result.output
    assert sorted(_tree(tmp_path / "site")) == sorted(FILES)
    monkeypatch.chdir(tmp_path / "site")
    for fmt, out in (("fragment", "out.html"), ("page", "build/index.html")):
        rendered = CliRunner().invoke(cli, ["render", "--format", fmt, "-o", out])
        assert rendered.exit_code == 0, rendered.output
        assert rendered.stderr == summary(2, 2, out) + "\n"  # no error, no warning
    page = Path("build/index.html").read_text(encoding="utf-8")
    owners = re.findall(r'<em class="pubsite-author pubsite-owner">([^<]*)<', page)
    expected = owner.replace('"', "&#34;").replace("'", "&#39;")
    assert owners == [expected, expected]
    assert f"<title>{expected} · " in page  # the template override is used


def test_owner_is_asked_for_when_not_given(tmp_path: Path) -> None:
    result = _init(tmp_path, input="Jane Doe\n")
    assert result.exit_code == 0, result.output
    assert "Your name" in result.output
    assert load_config(str(tmp_path / "pubsite.toml")).owner == ("Jane Doe",)


@pytest.mark.parametrize("existing", [*FILES, "data"])
def test_refuses_to_overwrite_and_writes_nothing(tmp_path: Path, existing: str) -> None:
    """Any one target already there (or a file where a folder must go) stops everything."""
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("mine\n", encoding="utf-8")
    before = _tree(tmp_path)
    result = _init(tmp_path, "--owner", "Jane Doe")
    assert result.exit_code == 2
    assert f"{tmp_path / existing}: already exists" in result.stderr
    assert "nothing was written" in result.stderr
    assert _tree(tmp_path) == before


def test_every_existing_file_is_named(tmp_path: Path) -> None:
    assert _init(tmp_path, "--owner", "Jane Doe").exit_code == 0
    result = _init(tmp_path, "--owner", "Someone Else")
    assert result.exit_code == 2
    for rel in FILES:
        assert f"{tmp_path / rel}: already exists" in result.stderr
    assert load_config(str(tmp_path / "pubsite.toml")).owner == ("Jane Doe",)


@pytest.mark.parametrize("owner", ["", "   ", "{Jane} Doe", "Jane \\'Doe"])
def test_unusable_owner_name_is_an_input_error(tmp_path: Path, owner: str) -> None:
    result = _init(tmp_path, "--owner", owner)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the owner's name")
    assert list(tmp_path.iterdir()) == []


def test_commented_settings_are_real_settings(tmp_path: Path) -> None:
    """Uncommenting any example line of the scaffolded config gives a valid config."""
    assert _init(tmp_path, "--owner", "Jane Doe").exit_code == 0
    config = tmp_path / "pubsite.toml"
    lines = config.read_text(encoding="utf-8").splitlines()
    setting = re.compile(r'# (\[[\w.]+\]|"?[^\s"]+"? = .+)$')
    uncommented = [m.group(1) if (m := setting.match(line)) else line for line in lines]
    assert sum(a != b for a, b in zip(lines, uncommented)) >= 10
    config.write_text("\n".join(uncommented) + "\n", encoding="utf-8")
    tomllib.loads(config.read_text(encoding="utf-8"))
    loaded = load_config(str(config))
    assert loaded.format == "page" and loaded.group_by == "year"
    assert loaded.venue_names == {"CES": "Conference on Example Studies"}


@pytest.mark.parametrize("owner", OWNERS)
def test_new_site_passes_check(tmp_path: Path, owner: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _init(tmp_path, "--owner", owner).exit_code == 0
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert ": warning: " not in result.output and ": error: " not in result.output
