"""Splitting per-entry work over two processes changes speed, never results."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

import pytest

from pubsite import parallel
from pubsite.config import load_config
from pubsite.site import render_site

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


@pytest.fixture
def small_splits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split even a handful of items, so small test inputs take the two-process path.

    Two workers are forced: other tests leave threads behind (a browser, a
    server), and with threads about a real run would not fork at all.
    """
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "workers", lambda: 2)


def squares(chunk: Sequence[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in chunk]


@needs_fork
def test_halves_are_joined_in_order_and_one_is_done_elsewhere(small_splits: None) -> None:
    results = parallel.split_map(squares, list(range(11)))
    assert [value for value, _ in results] == [n * n for n in range(11)]
    first = int(11 * parallel.CHILD_SHARE)
    assert os.getpid() not in {pid for _, pid in results[:first]}  # the first part ran in the child
    assert {pid for _, pid in results[first:]} == {os.getpid()}


@needs_fork
def test_a_failing_child_is_redone_here(small_splits: None) -> None:
    parent = os.getpid()

    def fails_in_child(chunk: Sequence[int]) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return list(chunk)

    assert parallel.split_map(fails_in_child, list(range(6))) == list(range(6))


@needs_fork
def test_an_error_is_raised_here_like_a_serial_run(small_splits: None) -> None:
    def broken(chunk: Sequence[int]) -> list[int]:
        raise ValueError("bad entry")

    with pytest.raises(ValueError, match="bad entry"):
        parallel.split_map(broken, list(range(6)))


def test_a_threaded_process_never_forks() -> None:
    import threading

    release = threading.Event()
    thread = threading.Thread(target=release.wait, daemon=True)
    thread.start()
    try:
        assert parallel.workers() == 1
        assert {pid for _, pid in parallel.split_map(squares, list(range(5000)))} == {os.getpid()}
    finally:
        release.set()
        thread.join()


def test_jobs_1_and_small_inputs_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBSITE_JOBS", "1")
    assert {pid for _, pid in parallel.split_map(squares, list(range(5000)))} == {os.getpid()}
    monkeypatch.delenv("PUBSITE_JOBS")
    assert {pid for _, pid in parallel.split_map(squares, list(range(10)))} == {os.getpid()}


@needs_fork
@pytest.mark.parametrize("format_", ["page", "fragment"])
def test_a_split_render_is_byte_identical(small_splits: None, monkeypatch: pytest.MonkeyPatch,
                                         write_site: Callable[..., Path], format_: str) -> None:
    data = Path(__file__).resolve().parent.parent / "data"
    root = write_site({"data/publications.bib": (data / "publications.bib").read_text(encoding="utf-8"),
                       "data/news.yaml": (data / "news.yaml").read_text(encoding="utf-8")})
    monkeypatch.chdir(root)
    config = load_config(None, {"format": format_, "owner": ("Shiqi He",), "cache_dir": None})
    split = render_site(config).text
    monkeypatch.setenv("PUBSITE_JOBS", "1")
    assert render_site(config).text == split


@needs_fork
def test_a_split_build_fills_the_cache_and_an_edit_rebuilds_one_entry(
        small_splits: None, monkeypatch: pytest.MonkeyPatch, write_site: Callable[..., Path]) -> None:
    from pubsite import publications

    data = Path(__file__).resolve().parent.parent / "data"
    bib = (data / "publications.bib").read_text(encoding="utf-8")
    root = write_site({"data/publications.bib": bib})
    monkeypatch.chdir(root)
    config = load_config(None, {"format": "page", "owner": ("Shiqi He",)})
    first = render_site(config).text
    built: list[str] = []
    real = publications.build
    monkeypatch.setattr(publications, "build", lambda entry, *a, **k: built.append(entry.key) or real(entry, *a, **k))
    assert render_site(config).text == first and built == []
    (root / "data/publications.bib").write_text(bib.replace("{INFOCOM}", "{INFOCOM Edited}", 1), encoding="utf-8")
    edited = render_site(config).text
    assert len(built) == 1
    assert edited == render_site(load_config(None, {"format": "page", "owner": ("Shiqi He",), "cache_dir": None})).text
    assert edited != first
