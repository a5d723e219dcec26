"""Splitting per-entry work over two processes changes speed, never results."""

from __future__ import annotations

import os
from dataclasses import replace
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


@needs_fork
@pytest.mark.skipif(not hasattr(os, "waitid"), reason="needs waitid")
def test_a_child_whose_result_was_taken_is_reaped_later(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(parallel, "_exiting", [])
    child = parallel.fork_work(lambda: [1, 2])
    assert child is not None
    assert child.result() == [1, 2]  # taken without waiting for the child to exit
    assert parallel._exiting == [child.pid]
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # until it has exited, left unreaped
    parallel.reap()
    assert parallel._exiting == []
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(child.pid, os.WNOHANG)
    # And every fork first reaps what has exited since.
    other = parallel.fork_work(lambda: [])
    assert other is not None and other.result() == []
    os.waitid(os.P_PID, other.pid, os.WEXITED | os.WNOWAIT)
    again = parallel.fork_work(lambda: [])
    assert again is not None
    assert other.pid not in parallel._exiting
    with pytest.raises(ChildProcessError):
        os.waitpid(other.pid, os.WNOHANG)
    assert again.result() == []


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


ACCENTED = r'D{\"o}rte M{\o}ller'


def _bibliography(count: int) -> str:
    """``count`` entries, with what makes reading one part of a file differ from reading it
    whole: macros, crossrefs to entries further down, a repeated key, a broken entry, a backslash
    before newlines."""
    parts = ["@string{conf = {Proceedings of the Conference}}\n"]
    for n in range(count):
        if n % 7 == 3:  # its parent is near the end of the file
            parts.append(f"@inproceedings{{e{n},\n  author = {{Ann Author{n} and Bo Beta}},\n"
                         f"  title = {{Paper {n}}},\n  crossref = {{proc{n % 3}}}\n}}\n")
        else:
            parts.append(f"@article{{e{n},\n  author = {{Carl Gauss{n} and {ACCENTED}}},\n"
                         f"  title = {{On {{Things}} number {n}}},\n  journal = conf,\n  year = {2000 + n % 20}\n}}\n")
        if n == count // 4:  # a backslash before a newline: not a line break where lines are counted
            parts.append("@article{escaped,\n  title = {One \\\n two \\\n three},\n  year = 2003\n}\n")
        if n == count // 2:
            parts.append("@article{e1,\n  title = {A repeated key},\n  year = 2001\n}\n")
            parts.append("@article{broken,\n  title = {No closing brace},\n  year = 2002\n\n")
    for p in range(3):
        parts.append(f"@proceedings{{proc{p},\n  title = {{Volume {p}}},\n  year = {2010 + p},\n"
                     f"  doi = {{10.1000/vol{p}}}\n}}\n")
    return "".join(parts)


@pytest.fixture
def early_child(small_splits: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first file of any size has its first part read and built in a child."""
    from pubsite import building

    monkeypatch.setattr(building, "EARLY_BYTES", 0)


def _build_here_and_count(monkeypatch: pytest.MonkeyPatch, config: object) -> tuple[object, int]:
    from pubsite import building, publications

    parent = os.getpid()
    here = [0]
    real = publications.build

    def counting(entry: object, *args: object, **kwargs: object) -> object:
        if os.getpid() == parent:
            here[0] += 1
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(publications, "build", counting)
    return building.build_all(config, None, None, identify=True), here[0]  # type: ignore[arg-type]


@needs_fork
def test_a_first_part_read_and_built_in_a_child_gives_what_one_process_does(
        early_child: None, monkeypatch: pytest.MonkeyPatch, write_site: Callable[..., Path]) -> None:
    monkeypatch.setattr(parallel.Claims, "take_back", lambda self, position: False)  # the child's part is its own
    config = _two_files(monkeypatch, write_site)
    split, here = _build_here_and_count(monkeypatch, config)
    built, problems, _ = split  # type: ignore[misc]
    assert len(built) == 65 and 0 < here < 40  # most entries of the first part were built elsewhere
    assert {p.code for p in problems} >= {"PS102", "PS502"}
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    assert _build_here_and_count(monkeypatch, config) == (split, 65)


def _two_files(monkeypatch: pytest.MonkeyPatch, write_site: Callable[..., Path]) -> object:
    root = write_site({"refs.bib": _bibliography(60), "more.bib": "@article{e5,\n  title = {Again}\n}\n"})
    monkeypatch.chdir(root)
    return load_config(None, {"bib": ("refs.bib", "more.bib"), "cache_dir": None})


def _one_process(monkeypatch: pytest.MonkeyPatch, config: object) -> object:
    with monkeypatch.context() as m:
        m.setattr(parallel, "workers", lambda: 1)
        return _build_here_and_count(m, config)[0]


@needs_fork
def test_this_process_takes_over_the_part_of_a_slow_child(
        early_child: None, monkeypatch: pytest.MonkeyPatch, write_site: Callable[..., Path]) -> None:
    import time

    from pubsite import publications

    config = _two_files(monkeypatch, write_site)
    with monkeypatch.context() as m:
        m.setattr(parallel.Claims, "take_back", lambda self, position: False)
        _, mine = _build_here_and_count(m, config)
    parent, real = os.getpid(), publications.build

    def slow_in_child(entry: object, *args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            time.sleep(0.05)
        return real(entry, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(publications, "build", slow_in_child)
    split, here = _build_here_and_count(monkeypatch, config)
    assert here > mine + 10  # this process went on into the child's part from its far end
    assert split == _one_process(monkeypatch, config)


@needs_fork
@pytest.mark.parametrize("meeting", ["both take", "neither takes"])
def test_entries_where_the_two_meet_are_built_once_whoever_takes_them(
        early_child: None, monkeypatch: pytest.MonkeyPatch, write_site: Callable[..., Path], meeting: str) -> None:
    config = _two_files(monkeypatch, write_site)
    if meeting == "both take":  # this process takes every entry, the child's too
        monkeypatch.setattr(parallel.Claims, "take_back", lambda self, position: True)
    else:  # the child stops after five, and this process takes none of its part while it runs
        monkeypatch.setattr(parallel.Claims, "take_back", lambda self, position: False)
        monkeypatch.setattr(parallel.Claims, "take_front", lambda self, position: position < 5)
    split, here = _build_here_and_count(monkeypatch, config)
    assert split == _one_process(monkeypatch, config)
    assert here == (65 if meeting == "both take" else 60)  # the child's five came from the child


def test_claims_share_a_list_out_without_gaps() -> None:
    claims = parallel.Claims()
    front = [n for n in range(10) if claims.take_front(n)]  # alone, the child could take everything
    assert front == list(range(10))
    claims = parallel.Claims()
    taken_front: list[int] = []
    taken_back: list[int] = []
    ahead, back = 0, 9
    while True:  # the two take turns, as two processes might
        if claims.take_front(ahead):
            taken_front.append(ahead)
            ahead += 1
        else:
            break
        if claims.take_back(back):
            taken_back.append(back)
            back -= 1
        else:
            break
    assert sorted(taken_front + taken_back) == list(range(10))
    assert not set(taken_front) & set(taken_back)


@needs_fork
@pytest.mark.parametrize("wrong", ["reads otherwise", "fails"])
def test_a_child_that_reads_otherwise_or_fails_leaves_its_part_to_this_process(
        early_child: None, monkeypatch: pytest.MonkeyPatch, write_site: Callable[..., Path], wrong: str) -> None:
    from pubsite import bib

    parent = os.getpid()
    real = bib.parse_text

    def in_child(text: str, path: str, **kwargs: object) -> object:
        if os.getpid() == parent:
            return real(text, path, **kwargs)
        if wrong == "fails":
            raise RuntimeError("only in the child")
        entries, problems = real(text, path, **kwargs)
        return entries[1:], problems  # every entry one place off

    monkeypatch.setattr(bib, "parse_text", in_child)
    root = write_site({"refs.bib": _bibliography(40)})
    monkeypatch.chdir(root)
    config = load_config(None, {"bib": ("refs.bib",), "cache_dir": None})
    split, here = _build_here_and_count(monkeypatch, config)
    assert here == 45  # all built here
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    assert _build_here_and_count(monkeypatch, config) == (split, 45)


@needs_fork
def test_an_unreadable_second_file_stops_the_child_too(
        early_child: None, monkeypatch: pytest.MonkeyPatch, write_site: Callable[..., Path]) -> None:
    from pubsite.errors import PubsiteError

    started: list[parallel.Forked] = []
    real = parallel.fork_work
    monkeypatch.setattr(parallel, "fork_work", lambda work: started.append(real(work)) or started[-1])
    root = write_site({"refs.bib": _bibliography(40)})
    monkeypatch.chdir(root)
    config = load_config(None, {"bib": ("refs.bib", "missing.bib"), "cache_dir": None})
    with pytest.raises(PubsiteError, match="file not found"):
        _build_here_and_count(monkeypatch, config)
    assert len(started) == 1
    with pytest.raises(ChildProcessError):  # the child is stopped and waited for
        os.waitpid(started[0].pid, os.WNOHANG)


@needs_fork
def test_entries_built_in_an_early_child_fill_the_cache(
        early_child: None, monkeypatch: pytest.MonkeyPatch, write_site: Callable[..., Path]) -> None:
    bib = _bibliography(40)
    root = write_site({"data/publications.bib": bib})
    monkeypatch.chdir(root)
    config = load_config(None, {"format": "page"})
    first = render_site(config).text
    assert render_site(load_config(None, {"format": "page", "cache_dir": None})).text == first
    (root / "data/publications.bib").write_text(bib.replace("number 2}", "number two}", 1), encoding="utf-8")
    from pubsite import publications

    built: list[str] = []
    real = publications.build
    monkeypatch.setattr(publications, "build", lambda entry, *a, **k: built.append(entry.key) or real(entry, *a, **k))
    edited = render_site(config).text
    assert built == ["e2"]  # the store had all the others, those the child built included
    assert edited == render_site(load_config(None, {"format": "page", "cache_dir": None})).text != first


NEWS = """\
- date: 2024-05
  text: "[Lotto](https://example.org/lotto.pdf) has been *accepted*"
  colour: blue
- date: 2023-09
  text: Starting my PhD
  link: javascript:alert(1)
"""


@pytest.fixture
def news_site(write_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_site({"data/publications.bib": _bibliography(3), "data/news.yaml": NEWS,
                       "pubsite.toml": '[profile]\nname = "Ann"\nbio = "Works on *things* at [Uni](https://uni.example)"\n'})
    monkeypatch.chdir(root)
    return root


def _news_readers(monkeypatch: pytest.MonkeyPatch, root: Path, ahead: bool) -> Path:
    """News read ahead by a child when ``ahead`` (even for this small bib); the pids that read
    them are written to the returned file (a child cannot tell this process otherwise)."""
    from pubsite import site

    monkeypatch.setattr(site, "NEWS_AHEAD_BYTES", 0 if ahead else 10**12)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    readers = root / "readers"
    real = site.build_news

    def build_news(config: object) -> object:
        with open(readers, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real(config)  # type: ignore[arg-type]

    monkeypatch.setattr(site, "build_news", build_news)
    return readers


@needs_fork
def test_news_read_ahead_by_a_child_are_the_news_read_here(news_site: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    config = replace(load_config(None, {"format": "page"}), cache_dir=None)
    readers = _news_readers(monkeypatch, news_site, ahead=False)
    here = render_site(config)
    assert readers.read_text().split() == [str(os.getpid())]
    readers.unlink()
    _news_readers(monkeypatch, news_site, ahead=True)
    ahead = render_site(config)
    assert readers.read_text().split() != [str(os.getpid())]  # read in a child only
    assert ahead.text == here.text and "<em>accepted</em>" in ahead.text
    assert 'Works on <em>things</em> at <a href="https://uni.example">Uni</a>' in ahead.text
    assert ahead.problems == here.problems
    assert {p.code for p in ahead.problems} >= {"PS404", "PS405"}  # the news' warnings came back too
    assert here.site_.bio is None and ahead.site_.bio is not None  # the bio was made by the child too


@needs_fork
def test_a_bad_news_file_read_ahead_fails_like_one_read_here(news_site: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from pubsite.errors import PubsiteError

    (news_site / "data" / "news.yaml").write_text("- date: 2024-05\n  text: [unclosed\n", encoding="utf-8")
    config = replace(load_config(None, {"format": "page"}), cache_dir=None)
    messages = []
    for ahead in (False, True):
        _news_readers(monkeypatch, news_site, ahead=ahead)
        with pytest.raises(PubsiteError) as raised:
            render_site(config)
        messages.append(str(raised.value))
    assert messages[0] == messages[1] and "news.yaml" in messages[0] and "invalid YAML" in messages[0]


@needs_fork
def test_a_render_that_fails_stops_the_news_child(news_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pubsite import site
    from pubsite.errors import PubsiteError

    (news_site / "data" / "publications.bib").unlink()
    (news_site / "data" / "publications.bib").mkdir()  # sized, but not a file to read
    _news_readers(monkeypatch, news_site, ahead=True)
    forked: list[int] = []
    real_fork = parallel.fork_work

    def fork_work(work: Callable[[], list[object]]) -> parallel.Forked | None:
        child = real_fork(work)
        if child is not None:
            forked.append(child.pid)
        return child

    monkeypatch.setattr(parallel, "fork_work", fork_work)
    with pytest.raises(PubsiteError, match="publications.bib"):
        site.render_site(replace(load_config(None, {"format": "page"}), cache_dir=None))
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # not left behind, running or unreaped


def test_batches_are_taken_whole_or_left_for_later() -> None:
    import pickle

    def frame(items: list[int]) -> bytes:
        data = pickle.dumps(items)
        return len(data).to_bytes(8, "little") + data

    batches = parallel.Batches()  # read as this process reads what a child handed over
    first, second = frame([1, 2]), frame([3])
    fd = batches._file.fileno()
    os.pwrite(fd, first, 0)
    batches._shared[0:8] = (len(first) + len(second)).to_bytes(8, "little")  # announced before it is there
    assert batches.take() == [1, 2]
    assert batches.take() == []
    os.pwrite(fd, second, len(first))
    assert batches.take() == [3]
    assert batches.take() == []
    batches.close()
