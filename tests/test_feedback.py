"""What render tells a person on stderr: one summary line, and progress only on a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from pubsite import feedback
from pubsite.cli import cli
from pubsite.feedback import Progress, summary

ENTRY = """
@article{{paper{n},
  title = {{Paper number {n}}},
  author = {{Doe, Jane and Roe, Richard}},
  journal = {{Journal of Things}},
  year = {{20{n:02d}}}
}}
"""
NO_YEAR = """
@article{undated,
  title = {Undated},
  author = {Doe, Jane},
  journal = {Journal of Things}
}
"""
NEWS = "- date: 2024-01\n  text: Hello\n- date: 2023-05\n  text: Older\n"


@pytest.mark.parametrize(("counts", "expected"), [
    ((7, 7, "build/index.html", 0, 0), "7 publications, 7 news → build/index.html"),
    ((7, 7, "build/index.html", 2, 3), "7 publications, 7 news → build/index.html; 2 errors, 3 warnings"),
    ((7, 0, "stdout", 0, 2), "7 publications, 0 news → stdout; 2 warnings"),
    ((1, 1, "out.md", 1, 0), "1 publication, 1 news → out.md; 1 error"),
    ((0, 0, "stdout", 0, 1), "0 publications, 0 news → stdout; 1 warning"),
])
def test_summary_line(counts: tuple[int, int, str, int, int], expected: str) -> None:
    assert summary(*counts) == expected


def _site(tmp_path: Path, entries: int, extra: str = "") -> Path:
    (tmp_path / "data").mkdir()
    bib = "".join(ENTRY.format(n=n) for n in range(entries)) + extra
    (tmp_path / "data" / "publications.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "data" / "news.yaml").write_text(NEWS, encoding="utf-8")
    return tmp_path


def test_render_ends_with_one_summary_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_site(tmp_path, 3))
    result = CliRunner().invoke(cli, ["render", "--owner", "Jane Doe", "-o", "out.html"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "3 publications, 2 news → out.html\n"


def test_summary_counts_problems_after_reporting_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_site(tmp_path, 2, NO_YEAR))
    result = CliRunner().invoke(cli, ["render", "--owner", "Jane Doe", "--format", "json"])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) >= 2
    assert all(": warning: " in line or ": error: " in line for line in lines[:-1])
    problems = [line.split(": ")[1] for line in lines[:-1]]
    expected_tail = summary(3, 2, "stdout", problems.count("error"), problems.count("warning"))
    assert lines[-1] == expected_tail
    assert "; " in lines[-1]


def test_quiet_silences_the_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_site(tmp_path, 3))
    result = CliRunner().invoke(cli, ["render", "--owner", "Jane Doe", "-o", "out.html", "-q"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert Path("out.html").read_text(encoding="utf-8").count('class="pubsite-pub ') == 3


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_waits_for_long_work_then_redraws_in_place() -> None:
    stream, clock = Terminal(), Clock()
    progress = Progress(stream, delay=0.5, interval=0.1, clock=clock)
    progress(1, 200)
    clock.now += 0.4
    progress(50, 200)
    assert stream.getvalue() == ""  # short work shows nothing
    clock.now += 0.2
    progress(60, 200)
    clock.now += 0.05
    progress(61, 200)  # too soon to redraw
    clock.now += 0.1
    progress(200, 200)
    assert stream.getvalue() == "\r60/200 entries\r200/200 entries"
    progress.close()
    assert stream.getvalue().endswith("\r" + " " * len("200/200 entries") + "\r")


def test_progress_never_writes_to_a_pipe_or_file() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, delay=0, clock=clock)
    for done in range(1, 101):
        clock.now += 1
        progress(done, 100)
    progress.close()
    assert stream.getvalue() == ""


@pytest.mark.parametrize("terminal", [True, False])
def test_render_shows_progress_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  terminal: bool) -> None:
    monkeypatch.chdir(_site(tmp_path, 30))
    monkeypatch.setattr(feedback, "DELAY", 0.0)
    monkeypatch.setattr(feedback, "_is_terminal", lambda stream: terminal)
    result = CliRunner().invoke(cli, ["render", "--owner", "Jane Doe", "-o", "out.html"])
    assert result.exit_code == 0
    last = result.stderr.rsplit("\r", 1)[-1]
    assert last == "30 publications, 2 news → out.html\n"
    assert ("/30 entries" in result.stderr) is terminal
    assert ("\r" in result.stderr) is terminal
