"""``pubsite import`` on the command line: report, diff, stdin, exit codes, a killed write."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pubsite import bib

from .conftest import DATA, ROOT, invoke

IMPORT = DATA / "import"
SHIPPED = ROOT / "data" / "publications.bib"


pytestmark = pytest.mark.usefixtures("in_empty_folder")


def site(tmp_path: Path, source: Path = SHIPPED) -> Path:
    target = tmp_path / "data" / "publications.bib"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def test_default_target_is_the_configured_bib(runner: CliRunner, tmp_path: Path) -> None:
    target = site(tmp_path)
    old = target.read_text()
    result = invoke(runner, ["import", str(IMPORT / "dblp-gluefl.bib")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "skipped DBLP:journals/corr/abs-2212-01523: preprint of he2023gluefl, which is already there "
        "as published",
        "updated he2023gluefl: publisher (from DBLP:conf/mlsys/HeYWWLB23, same title)",
        "0 added, 1 updated, 0 superseded, 1 skipped; wrote data/publications.bib",
    ]
    assert target.read_text() != old and "publisher={mlsys.org}" in target.read_text()


def test_config_bib_first_file_is_the_target(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "pubsite.toml").write_text('bib = ["mine.bib", "others.bib"]\n')
    result = invoke(runner, ["import", str(IMPORT / "arxiv.bib")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine.bib").is_file() and not (tmp_path / "others.bib").exists()


def test_dry_run_prints_report_and_diff_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = site(tmp_path, IMPORT / "preprints.bib")
    old = target.read_bytes()
    result = invoke(runner, ["import", "--dry-run", str(IMPORT / "scholar-he.bib")])
    assert result.exit_code == 0
    assert target.read_bytes() == old
    out = result.stdout
    assert out.startswith("skipped yan2025fedfetch: same as yan2025fedfetch (same title)\n")
    assert "superseded preprint he2022gluefl by he2023gluefl" in out
    assert "--- data/publications.bib (before)\n+++ data/publications.bib (after import)\n" in out
    assert "-  journal={arXiv preprint arXiv:2212.01523},\n" in out
    assert "+@inproceedings{jiang2024lotto,\n" in out
    assert out.endswith("4 added, 0 updated, 2 superseded, 1 skipped; dry run: would change "
                        "data/publications.bib, nothing written\n")


def test_stdin_export(runner: CliRunner, tmp_path: Path) -> None:
    target = site(tmp_path)
    pasted = (IMPORT / "arxiv.bib").read_text()
    result = invoke(runner, ["import", "-", "--bib", str(target)], input=pasted)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "added he2023debertav3improvingdebertausing"
    entries, problems = bib.parse_text(target.read_text(), "t")
    assert len(entries) == 7 + 8 and problems == []


def test_second_run_reports_nothing_to_change(runner: CliRunner, tmp_path: Path) -> None:
    site(tmp_path)
    args = ["import", str(IMPORT / "google-scholar.bib"), str(IMPORT / "dblp.bib")]
    assert invoke(runner, args).exit_code == 0
    second = invoke(runner, args)
    assert second.exit_code == 0
    assert second.stdout.splitlines()[-1] == "0 added, 0 updated, 0 superseded, 16 skipped; " \
                                             "nothing to change in data/publications.bib"


def test_broken_target_exit_2_unless_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "p.bib"
    text = "@article{ok,\n  title={Ok},\n  year={2020}\n}\n\n@article{bad,\n  title={Bad,\n  year={2020}\n}\n"
    target.write_text(text)
    # The refusal names the line the parser names (where it lost track of the entry).
    line = next(p.line for p in bib.parse_text(text, "t")[1] if p.level == "error")
    result = invoke(runner, ["import", "--bib", str(target), str(IMPORT / "arxiv.bib")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {target}:{line}: cannot parse entry")
    assert "--force" in result.stderr
    assert target.read_text() == text
    dry = invoke(runner, ["import", "--dry-run", "--bib", str(target), str(IMPORT / "arxiv.bib")])
    assert dry.exit_code == 2
    forced = invoke(runner, ["import", "--force", "--bib", str(target), str(IMPORT / "arxiv.bib")])
    assert forced.exit_code == 0, forced.output
    assert f"{target}:{line}: error: cannot parse entry" in forced.stderr
    assert target.read_text().startswith(text + "\n@misc{he2023debertav3improvingdebertausing,")


def test_problems_in_the_export_go_to_stderr_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    target = site(tmp_path)
    export = tmp_path / "pasted.bib"
    export.write_text("@article{bad,\n  title={Bad,\n  year={2020}\n}\n\n" + (IMPORT / "arxiv.bib").read_text())
    line = next(p.line for p in bib.parse_text(export.read_text(), "t")[1])
    result = invoke(runner, ["import", str(export), "--bib", str(target)])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"{export}:{line}: error: cannot parse entry")
    assert "added he2023debertav3improvingdebertausing" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["import", "missing.bib"], "error: missing.bib: file not found"),
        (["import", "-", "-"], "error: '-' (standard input) can be given only once"),
        (["import"], "Missing argument"),
        (["import", "-"], "error: <stdin>: no BibTeX entries found; nothing was imported"),
        (["import", "data/news.yaml"], "error: data/news.yaml: no BibTeX entries found"),
        (["import", "data/ris.txt"], "error: data/ris.txt: no BibTeX entries found"),
        (["import", "data/cut.bib"], "error: data/cut.bib:3: no entry could be read (cannot parse entry"),
    ],
)
def test_usage_and_input_errors_exit_2(runner: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    target = site(tmp_path)
    old = target.read_bytes()
    (tmp_path / "data" / "news.yaml").write_text("- date: 2024-12\n  text: Hello\n")
    (tmp_path / "data" / "ris.txt").write_text("@TY  - JOUR\nTI  - A paper exported as RIS\nER  -\n")
    (tmp_path / "data" / "cut.bib").write_text("@article{cut,\n  title={A paste cut short,\n  year={20")
    result = invoke(runner, args, input="")
    assert result.exit_code == 2
    assert message in result.stderr
    assert target.read_bytes() == old


DRIVER = """\
import os, sys, time

real_fdopen = os.fdopen


class SlowFile:
    # Writes half of the data, says so, then stalls: the parent kills us mid-write.
    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)

    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        print("writing", flush=True)
        time.sleep(120)
        self.handle.write(data[len(data) // 2:])

    def flush(self):
        self.handle.flush()

    def fileno(self):
        return self.handle.fileno()


os.fdopen = lambda fd, *args, **kwargs: SlowFile(real_fdopen(fd, *args, **kwargs))
from pubsite.cli import main
main(sys.argv[1:])
"""


def big_export(count: int) -> str:
    return "".join(
        f"@article{{author{n}2020paper,\n  title={{Paper number {n} of a big export}},\n"
        f"  author={{Author{n}, Jane and Coauthor{n}, John}},\n  journal={{Journal of Things}},\n"
        f"  volume={{{n}}},\n  pages={{1--10}},\n  year={{2020}}\n}}\n\n"
        for n in range(count))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_killed_mid_write_leaves_the_target_intact(tmp_path: Path) -> None:
    target = site(tmp_path)
    old = target.read_bytes()
    export = tmp_path / "big.bib"
    export.write_text(big_export(800))
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen([sys.executable, str(driver), "import", str(export), "--bib", str(target)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line == "writing\n", process.stderr.read() if process.stderr else ""
        temp = [p for p in target.parent.iterdir() if p.name != target.name]
        assert temp and temp[0].stat().st_size > 0, "the merge should be half-written to a temp file"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == old
    # The next import works from the intact file and writes the complete merge.
    result = invoke(CliRunner(), ["import", str(export), "--bib", str(target)])
    assert result.exit_code == 0, result.output
    entries, problems = bib.parse_text(target.read_text(), str(target))
    assert len(entries) == 7 + 800 and problems == []
    assert target.read_bytes().startswith(old)
    # ... and clears away the temp file the killed write left.
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_help_describes_matching(runner: CliRunner) -> None:
    result = invoke(runner, ["import", "--help"])
    assert result.exit_code == 0
    assert "--dry-run" in result.output and "--force" in result.output
    assert "DOI" in result.output and "arXiv id" in result.output
