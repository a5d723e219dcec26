"""Shared fixtures: a CLI runner and a tiny site written into tmp_path."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Callable, NoReturn

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, args: list[str], **kwargs: object) -> Result:
    """Run the CLI in-process; whatever happens, the user never sees a traceback."""
    from pubsite.cli import cli

    result = runner.invoke(cli, args, **kwargs)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No site files around unless a test writes them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write_site(tmp_path: Path) -> Callable[..., Path]:
    """Write ``{relative path: text}`` under tmp_path (dedented) and return tmp_path."""

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return tmp_path

    return write


@pytest.fixture
def chdir(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    return lambda path: monkeypatch.chdir(os.fspath(path))


def pytest_configure(config: pytest.Config) -> None:
    """Compiled templates go to a folder of this session, not the user's cache (subprocesses inherit it)."""
    import tempfile

    config._pubsite_cache_home = tempfile.mkdtemp(prefix="pubsite-test-cache-")  # type: ignore[attr-defined]
    os.environ["XDG_CACHE_HOME"] = config._pubsite_cache_home  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    folder = getattr(config, "_pubsite_cache_home", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/ from the current output (review the diff!).")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def missing_tool(reason: str) -> NoReturn:
    """Skip locally when an external tool (chromium, jekyll...) is absent; fail under CI.

    CI installs every tool the suite needs, so there a missing one is a broken
    install step, not a reason to go green without running the test.
    """
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the CI script must install it)", pytrace=False)
    pytest.skip(reason)
