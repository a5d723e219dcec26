"""The command line: exit codes, messages with file and line, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from .conftest import invoke

GOOD = """\
@inproceedings{he2023gluefl,
  title={{GlueFL}: Reconciling Client Sampling},
  author={He, Shiqi and Yan, Qifan},
  booktitle={Proceedings of Machine Learning and Systems},
  year={2023}, month={jun}
}
"""
BROKEN = GOOD + """
@article{broken,
  title={Broken} 2020,
  author={Doe, Jane}
}

@article{fine2019,
  title={Still Rendered},
  author={He, S.},
  journal={Journal of Things},
  year={2019}
}
"""


pytestmark = pytest.mark.usefixtures("in_empty_folder")


def test_render_json_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    bib = tmp_path / "p.bib"
    bib.write_text(GOOD)
    result = invoke(runner, ["render", "--bib", str(bib), "--news", str(tmp_path / "none.yaml"),
                             "--owner", "Shiqi He", "--format", "json", "-q"], catch_exceptions=False)
    # An explicitly named news file that does not exist is an input error.
    assert result.exit_code == 2
    assert "none.yaml: news file not found" in result.stderr
    result = invoke(runner, ["render", "--bib", str(bib), "--owner", "Shiqi He", "--format", "json", "-q"],
                    catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    pub = data["publications"][0]
    assert pub["title"] == "GlueFL: Reconciling Client Sampling"
    assert pub["authors"][0] == {"name": "Shiqi He", "given": "Shiqi", "family": "He", "owner": True, "equal": False}
    assert (pub["year"], pub["month"], pub["venue_short"], pub["status"]) == (2023, 6, "MLSys", "published")
    assert data["news"] == []


def test_bad_entry_is_reported_and_the_rest_renders(runner: CliRunner, tmp_path: Path) -> None:
    bib = tmp_path / "p.bib"
    bib.write_text(BROKEN)
    result = invoke(runner, ["render", "--bib", str(bib), "--owner", "Shiqi He", "--format", "json"])
    assert result.exit_code == 0
    titles = [p["title"] for p in json.loads(result.stdout)["publications"]]
    assert titles == ["GlueFL: Reconciling Client Sampling", "Still Rendered"]
    assert f"{bib}:9: error: entry 'broken': field 'title' is malformed" in result.stderr
    assert f"{bib}:8: error: entry 'broken' has no title; it is skipped" in result.stderr
    assert "2 publications, 0 news → stdout; 2 errors" in result.stderr


def test_strict_turns_problems_into_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    bib = tmp_path / "p.bib"
    bib.write_text(BROKEN)
    out = tmp_path / "out.html"
    result = invoke(runner, ["render", "--bib", str(bib), "--strict", "-o", str(out)])
    assert result.exit_code == 1
    assert "strict mode" in result.stderr


def test_unreadable_input_exit_2_with_path(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, ["render", "--bib", str(tmp_path / "missing.bib")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'missing.bib'}: file not found"


def test_bad_config_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "pubsite.toml"
    config.write_text('ownr = "X"\n')
    result = invoke(runner, ["render", "--config", str(config)])
    assert result.exit_code == 2
    assert f"{config}:1: unknown setting 'ownr' (did you mean 'owner'?)" in result.stderr


def test_usage_error_exit_2(runner: CliRunner) -> None:
    result = invoke(runner, ["render", "--format", "pdf"])
    assert result.exit_code == 2


def test_output_written_atomically_and_only_when_changed(runner: CliRunner, tmp_path: Path) -> None:
    bib = tmp_path / "p.bib"
    bib.write_text(GOOD)
    out = tmp_path / "build" / "index.html"
    args = ["render", "--bib", str(bib), "--format", "page", "-o", str(out), "-q"]
    assert invoke(runner, args, catch_exceptions=False).exit_code == 0
    first = out.read_bytes()
    assert first.startswith(b"<!DOCTYPE html>")
    mtime = out.stat().st_mtime_ns
    assert invoke(runner, args).exit_code == 0
    assert out.read_bytes() == first and out.stat().st_mtime_ns == mtime
    assert [p.name for p in out.parent.iterdir()] == ["index.html"]  # no temp file left


def test_failed_render_leaves_existing_output_untouched(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "index.html"
    out.write_text("precious")
    result = invoke(runner, ["render", "--bib", str(tmp_path / "missing.bib"), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text() == "precious"


def test_check_reports_stale_output(runner: CliRunner, tmp_path: Path) -> None:
    bib = tmp_path / "p.bib"
    bib.write_text(GOOD)
    out = tmp_path / "index.html"
    base = ["render", "--bib", str(bib), "-o", str(out), "-q"]
    result = invoke(runner, base + ["--check"])
    assert result.exit_code == 1 and "missing" in result.stderr and not out.exists()
    invoke(runner, base)
    assert invoke(runner, base + ["--check"]).exit_code == 0
    out.write_text(out.read_text().replace("GlueFL", "Glue"))
    result = invoke(runner, base + ["--check"])
    assert result.exit_code == 1
    assert "+<strong class=\"pubsite-title\">GlueFL" in result.stdout
    assert "stale" in result.stderr


def test_help_works_with_h(runner: CliRunner) -> None:
    result = invoke(runner, ["render", "-h"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_check_of_a_page_leaves_no_temp_file_and_the_page_alone(runner: CliRunner, tmp_path: Path) -> None:
    # A page is rendered into a temp file beside its target; --check only compares it.
    bib = tmp_path / "p.bib"
    bib.write_text(GOOD)
    out = tmp_path / "index.html"
    base = ["render", "--bib", str(bib), "--format", "page", "-o", str(out), "-q", "--no-cache"]
    assert invoke(runner, base).exit_code == 0
    assert invoke(runner, base + ["--check"]).exit_code == 0
    stale = out.read_text().replace("GlueFL", "Glue")
    out.write_text(stale)
    assert invoke(runner, base + ["--check"]).exit_code == 1
    assert out.read_text() == stale
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "p.bib"]
