"""Writing output files: atomically for files, in place for devices and pipes."""

from __future__ import annotations

import gc
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

from pubsite.fsutil import SpooledOutput, write_atomic


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


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_spooled_page_is_renamed_into_place_keeping_the_targets_mode(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_bytes(b"old page")
    target.chmod(0o640)
    out = SpooledOutput.spool(str(target), iter([b"<p>new ", "pag\u00e9</p>".encode()]))
    assert target.read_bytes() == b"old page"  # nothing replaced before write()
    assert len(_temps(tmp_path)) == 1
    assert out.text == "<p>new pag\u00e9</p>" and out.size() == len(out.data)
    assert out.write() is True
    assert target.read_text() == "<p>new pag\u00e9</p>"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _temps(tmp_path) == []
    again = SpooledOutput.spool(str(target), iter([b"<p>new ", "pag\u00e9</p>".encode()]))
    assert again.matches(target) and again.write() is False
    assert _temps(tmp_path) == []


def test_a_render_failing_midway_leaves_no_temp_file_and_the_target_alone(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_text("precious")

    def pieces() -> Iterator[bytes]:
        yield b"half a page"
        raise RuntimeError("template failed")

    with pytest.raises(RuntimeError):
        SpooledOutput.spool(str(target), pieces())
    assert target.read_text() == "precious" and _temps(tmp_path) == []


def test_a_spooled_output_let_go_of_deletes_its_temp_file(tmp_path: Path) -> None:
    out = SpooledOutput.spool(str(tmp_path / "index.html"), iter([b"page"]))
    assert len(_temps(tmp_path)) == 1
    out.discard()
    assert _temps(tmp_path) == []
    out = SpooledOutput.spool(str(tmp_path / "index.html"), iter([b"page"]))
    del out
    gc.collect()
    assert _temps(tmp_path) == []


def test_a_spooled_output_compares_by_content_not_size(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_bytes(b"abcd" * 600_000)  # over a read chunk
    same = SpooledOutput.spool(str(target), iter([b"abcd" * 300_000, b"abcd" * 300_000]))
    changed = SpooledOutput.spool(str(target), iter([b"abcd" * 599_999 + b"abce"]))
    assert same.matches(target) and not changed.matches(target)
    assert not same.matches(tmp_path / "missing.html")
    same.discard()
    changed.discard()


def test_a_page_for_a_folder_not_yet_made_is_held_in_memory_and_the_folder_made_on_write(tmp_path: Path) -> None:
    target = tmp_path / "build" / "index.html"
    out = SpooledOutput.spool(str(target), iter([b"page"]))
    assert not target.parent.exists()  # a render that fails later must leave no trace
    assert out.write() is True and target.read_bytes() == b"page"


@pytest.mark.skipif(os.name != "posix", reason="symlinks need privileges on Windows")
def test_a_spooled_page_is_written_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "site" / "index.html"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "index.html"
    link.symlink_to(real)
    out = SpooledOutput.spool(str(link), iter([b"new"]))
    assert out.write() is True
    assert link.is_symlink() and real.read_text() == "new"
    assert _temps(tmp_path) == [] and _temps(real.parent) == []


@pytest.mark.parametrize("kernel_copy", [True, False])
def test_a_spooled_page_is_copied_exactly_after_what_the_file_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_copy: bool) -> None:
    # The render cache keeps a copy of the page; where the kernel cannot copy into a file
    # (macOS sends only to sockets), the copy goes through this process.
    if not kernel_copy:
        def refuse(*args: object) -> int:
            raise OSError("not a socket")

        monkeypatch.setattr(os, "sendfile", refuse, raising=False)
    page = [b"<p>" * 100_000, "pag\u00e9 \U0001f389</p>".encode()] * 7
    out = SpooledOutput.spool(str(tmp_path / "index.html"), iter(page))
    with open(tmp_path / "copy", "wb") as handle:
        handle.write(b"head:")
        out.copy_into(handle)
        handle.write(b":tail")
    assert (tmp_path / "copy").read_bytes() == b"head:" + b"".join(page) + b":tail"
