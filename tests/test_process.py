"""``python -m pubsite`` as a separate process: what a shell or CI job sees.

The entry point ends the process without freeing a large render's objects one
by one, so these check that nothing written is lost on the way out and that
exit codes are the commands' own.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from pubsite.config import load_config
from pubsite.site import render_site

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pubsite", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=120)


@pytest.fixture
def site(write_site: Callable[..., Path]) -> Path:
    data = ROOT / "data"
    return write_site({"data/publications.bib": (data / "publications.bib").read_text(encoding="utf-8"),
                       "data/news.yaml": (data / "news.yaml").read_text(encoding="utf-8"),
                       "pubsite.toml": 'owner = "Shiqi He"\n'})


def test_a_page_written_to_a_pipe_arrives_whole(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    done = run(["render", "--format", "page", "--no-cache"], site)
    assert done.returncode == 0
    monkeypatch.chdir(site)
    expected = render_site(load_config(None, {"format": "page", "cache_dir": None})).text
    assert done.stdout.decode("utf-8") == expected
    assert done.stderr.decode("utf-8").strip().endswith("news → stdout")


def test_exit_codes_and_messages_survive_the_quick_exit(site: Path) -> None:
    assert run(["render", "-o", "out.html"], site).returncode == 0
    (site / "out.html").write_text("stale", encoding="utf-8")
    stale = run(["render", "-o", "out.html", "--check"], site)
    assert stale.returncode == 1 and b"out.html" in stale.stdout + stale.stderr
    missing = run(["render", "--bib", "nowhere.bib"], site)
    assert missing.returncode == 2 and b"nowhere.bib: file not found" in missing.stderr
    assert run(["--help"], site).returncode == 0
    assert run(["render", "--no-such-option"], site).returncode == 2


def test_a_render_leaves_garbage_collection_as_it_found_it(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    render_site(load_config(None, {"cache_dir": None}))
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_render_hands_what_it_made_to_the_oldest_generation(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No collection walks the render's objects on the way out (the young generation held them all)."""
    monkeypatch.chdir(site)
    config = load_config(None, {"cache_dir": None})
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        result = render_site(config)
    finally:
        gc.callbacks.remove(seen)
    assert result.publication_count > 0
    assert collections == []
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_render_leaves_collection_off_when_the_caller_had_turned_it_off(site: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site)
    gc.disable()
    try:
        render_site(load_config(None, {"cache_dir": None}))
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()


CYCLES_BIB = r"""
@article{greek,
  title = {The $\lambda$-calculus and $\phi$},
  author = {Doe, Jane}, journal = {J}, year = {2020},
}
@article{glued,
  title = {Glued} year = {2021},
  author = {Roe, Ann}, journal = {J},
}
@article(paren,
  title = {Parenthesised}, author = {Poe, Al}, journal = {J}, year = {2019},
)
@article{unbalanced,
  title = {Unbalanced {brace},
  author = {Moe, Bo}, journal = {J}, year = {2018},
}
@article{fine,
  title = {Fine}, author = {Zoe, Cy}, journal = {J}, year = {2017},
}
"""


def test_a_render_leaves_no_reference_cycle_holding_its_entries(tmp_path: Path) -> None:
    # A render runs without the cyclic collector: a cycle from an error kept by pylatexenc or
    # bibtexparser, or by our own parse, held every caller's frame, and so every entry, until exit.
    bib = tmp_path / "cycles.bib"
    bib.write_text(CYCLES_BIB, encoding="utf-8")
    config = load_config(None, {"bib": (str(bib),), "cache_dir": None, "news": ""})
    gc.collect()
    try:
        result = render_site(config)
        assert "λ-calculus" in result.text and "Fine" in result.text and result.errors
        del result
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    # (The templates' own cycles may hold the finished model: that lives to the end anyway.)
    assert left & {"RawEntry", "Block", "Identity", "Entry", "ParsingFailedBlock"} == set()
