"""Writing output files: atomically for files, in place for devices and pipes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pubsite.fsutil import write_atomic


def test_regular_file_is_replaced_and_unchanged_bytes_skipped(tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    assert write_atomic(target, "one") is True
    assert write_atomic(target, "one") is False
    assert write_atomic(target, "two") is True and target.read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]  # no temp file left


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX")
def test_a_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    # What "-o /dev/null" or a process substitution hands us: renaming a temp
    # file over it would turn a device into a plain file for every program.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    writer = threading.Thread(target=write_atomic, args=(pipe, "rendered page"), daemon=True)
    reader.start()
    writer.start()
    writer.join(timeout=10)
    reader.join(timeout=10)
    assert not writer.is_alive(), "writing to a pipe blocked (it was read or replaced, not written)"
    assert received == [b"rendered page"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="orphans are recognised by process id on POSIX only")
def test_temp_files_of_dead_writers_are_cleared_and_no_others(tmp_path: Path) -> None:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    target = tmp_path / "index.html"
    orphan = tmp_path / f".index.html.{finished.pid}.abc123.tmp"
    running = tmp_path / f".index.html.{os.getppid()}.def456.tmp"  # a live process's write in progress
    other = tmp_path / f".other.html.{finished.pid}.ghi789.tmp"
    for path in (orphan, running, other):
        path.write_text("half a page")
    write_atomic(target, "the page")
    assert target.read_text() == "the page"
    assert not orphan.exists()
    assert running.exists() and other.exists()
