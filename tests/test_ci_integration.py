"""The GitHub Action and the pre-commit hooks: well-formed, and running commands that exist."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from pubsite.cli import cli

from .conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
SCRIPTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]


def command_exists(argv: list[str]) -> None:
    """``argv`` is a pubsite command line whose command and options the CLI knows."""
    assert argv[0] in SCRIPTS, f"{argv[0]} is not a console script of the package"
    if argv[1] not in cli.commands:
        if argv[1] == "check":
            pytest.skip("'pubsite check' has not landed in the CLI yet")
        pytest.fail(f"pubsite has no command '{argv[1]}'")
    command = cli.commands[argv[1]]
    options = {opt for param in command.params if isinstance(param, click.Option) for opt in param.opts}
    for word in argv[2:]:
        if word.startswith("-"):
            assert word in options, f"'pubsite {argv[1]}' has no option {word}"


def test_action_is_a_composite_that_installs_itself() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {"args", "check"} <= set(ACTION["inputs"])
    assert ACTION["inputs"]["check"]["default"] == "false"
    steps = ACTION["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert "pip install" in steps[1]["run"] and "$GITHUB_ACTION_PATH" in steps[1]["run"]
    for step in steps[1:]:
        assert step["shell"] == "bash"
        # Inputs reach scripts through env only: no expression is pasted into shell code.
        assert "${{" not in step["run"]
    assert "pubsite render" in steps[-1]["run"]


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["id"])
def test_hook_runs_an_existing_command(hook: dict[str, Any]) -> None:
    assert hook["language"] == "python"  # pre-commit installs this repository with pip
    assert hook["pass_filenames"] is False  # the commands read the site's config, not file names
    assert set(hook) <= {"id", "name", "description", "entry", "language", "pass_filenames", "files",
                         "always_run", "types", "args"}
    command_exists(shlex.split(hook["entry"]))


def test_hooks_are_the_documented_ones() -> None:
    assert {hook["id"]: hook["entry"] for hook in HOOKS} == {
        "pubsite-check": "pubsite check", "pubsite-render-check": "pubsite render --check"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for hook in HOOKS:
        assert f"id: {hook['id']}" in readme


def _action_step(inputs: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The render step's script and environment, with ``${{ inputs.X }}`` resolved as GitHub does."""
    step = ACTION["runs"]["steps"][-1]
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | inputs
    env = {key: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], value)
           for key, value in step["env"].items()}
    return step["run"], env


@pytest.fixture
def shim(tmp_path: Path) -> dict[str, str]:
    """An environment whose ``pubsite`` is this checkout (as the action's pip install provides)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pubsite").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pubsite "$@"\n')
    (bin_dir / "pubsite").chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps run in bash")
def test_action_render_step_renders_and_checks(tmp_path: Path, shim: dict[str, str]) -> None:
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "data/publications.bib").write_text(
        "@article{a, title={A Paper}, author={Doe, Jane}, journal={J}, year={2020}}\n", encoding="utf-8")
    page = site / "index.html"
    page.write_text("<h1>Jane</h1>\n<!-- pubsite:start -->\n<!-- pubsite:end -->\n", encoding="utf-8")

    def run(**inputs: str) -> subprocess.CompletedProcess[str]:
        script, env = _action_step(inputs)
        return subprocess.run(["bash", "-c", script], cwd=site, env={**shim, **env}, capture_output=True,
                              text=True, timeout=60)

    stale = run(args="--inject index.html --owner 'Jane Doe'", check="true")
    assert stale.returncode == 1, stale.stderr
    assert "index.html: stale" in stale.stderr and "+<strong class=\"pubsite-title\">A Paper</strong>" in stale.stdout
    assert "A Paper" not in page.read_text(encoding="utf-8")
    done = run(args="--inject index.html --owner 'Jane Doe'")
    assert done.returncode == 0, done.stderr
    assert '<em class="pubsite-author pubsite-owner">Jane Doe</em>' in page.read_text(encoding="utf-8")
    assert run(args="--inject index.html --owner 'Jane Doe'", check="true").returncode == 0
    wrong = run(args="--inject index.html", check="maybe")
    assert wrong.returncode == 2 and "input 'check' must be true or false" in wrong.stderr
