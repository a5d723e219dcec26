"""The render cache must never serve stale output, and must never be the reason a render fails.

Each test renders a small site, changes one input, renders again and checks
that the output follows the change; a counter on ``publications.build`` tells
which renders were served from the cache and how many entries were rebuilt.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner

from pubsite import cache as cache_module
from pubsite import publications
from pubsite.config import Config, load_config
from pubsite.fsutil import Output
from pubsite.site import render_site

from .conftest import invoke

BIB = """\
@inproceedings{he2023gluefl,
  title={{GlueFL}: Reconciling Client Sampling},
  author={He, Shiqi and Yan, Qifan},
  booktitle={Proceedings of Machine Learning and Systems},
  year={2023}, month={jun}
}

@article{wu2023fedamd,
  title={Anchor Sampling for Federated Learning},
  author={Wu*, Feijie and He*, Shiqi},
  journal={Journal of Things},
  year={2022}
}

@misc{third,
  title={A Third Paper},
  author={Doe, Jane},
  year={2021}
}
"""
NEWS = "- date: 2024-12\n  text: FedFetch has been accepted to INFOCOM 2025\n"
CONFIG = 'owner = "Shiqi He"\n'


@pytest.fixture
def site(write_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_site({"data/publications.bib": BIB, "data/news.yaml": NEWS, "pubsite.toml": CONFIG})
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Keys of the entries built (decoded and formatted) since the test started."""
    built: list[str] = []
    real = publications.build

    def counting(entry: Any, *args: Any, **kwargs: Any) -> Any:
        built.append(entry.key)
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(publications, "build", counting)
    return built


def config(cached: bool = True, **overrides: Any) -> Config:
    """Settings as the command line would give them; ``cached=False`` is ``--no-cache``."""
    loaded = load_config(None, {"format": "page", **overrides})
    return loaded if cached else replace(loaded, cache_dir=None)


def render(cached: bool = True, **overrides: Any) -> str:
    return render_site(config(cached, **overrides)).text


def test_unchanged_site_is_served_from_the_cache(site: Path, builds: list[str]) -> None:
    first = render()
    assert sorted(builds) == ["he2023gluefl", "third", "wu2023fedamd"]
    builds.clear()
    result = render_site(config())
    assert builds == []  # nothing decoded or formatted again
    assert result.text == first == render(cached=False)
    assert (result.publication_count, result.news_count) == (3, 1)
    # The model behind a cached render is still there for whoever asks.
    assert [p.key for p in result.site.publications][0] == "he2023gluefl"


def test_cached_problems_are_the_same(site: Path) -> None:
    (site / "data/publications.bib").write_text(BIB + "@misc{notitle, year={2020}}\n")
    first = render_site(load_config(None, {}))
    second = render_site(load_config(None, {}))
    assert first.problems and second.problems == first.problems


def _edit_title(site: Path) -> None:
    path = site / "data/publications.bib"
    path.write_text(path.read_text().replace("A Third Paper", "A Renamed Paper"))


def _edit_config(site: Path) -> None:
    (site / "pubsite.toml").write_text(CONFIG + 'publications_title = "Papers"\n')


def _edit_news(site: Path) -> None:
    (site / "data/news.yaml").write_text(NEWS.replace("FedFetch", "FedFetch (journal version)"))


def _add_template(site: Path) -> None:
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/news.html").write_text("<p>news replaced</p>\n")


def _edit_template(site: Path) -> None:
    _add_template(site)
    render()
    (site / "templates/news.html").write_text("<p>news replaced again</p>\n")


def _touch_only(site: Path) -> None:
    path = site / "data/publications.bib"
    os.utime(path, (1, 1))  # a new mtime, the same bytes: still the same site


@pytest.mark.parametrize("change, rebuilt", [
    (_edit_title, ["third"]),
    (_edit_config, []),
    (_edit_news, []),
    (_add_template, []),
    (_edit_template, []),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_a_changed_input_changes_the_output(site: Path, builds: list[str], change: Callable[[Path], None],
                                           rebuilt: list[str]) -> None:
    before = render()
    change(site)
    builds.clear()
    after = render()
    assert builds == rebuilt  # only the edited entry is decoded and formatted again
    assert after != before
    assert after == render(cached=False)  # exactly what an uncached render gives


def test_same_bytes_with_a_new_mtime_is_a_hit(site: Path, builds: list[str]) -> None:
    before = render()
    _touch_only(site)
    builds.clear()
    assert render() == before
    assert builds == []


def test_moved_entry_keeps_its_cached_build_but_reports_its_new_line(site: Path, builds: list[str]) -> None:
    path = site / "data/publications.bib"
    path.write_text(BIB + "@misc{notitle, year={2020}}\n")
    before = render_site(load_config(None, {}))
    path.write_text("\n\n\n" + path.read_text())
    builds.clear()
    result = render_site(load_config(None, {}))
    assert builds == []
    uncached = render_site(config(cached=False, format="fragment"))
    assert result.problems == uncached.problems
    assert [p.line for p in result.problems] == [p.line + 3 for p in before.problems]
    assert [(p.key, p.line) for p in result.site.publications] == \
        [(p.key, p.line) for p in uncached.site.publications]
    assert result.text == uncached.text


def test_a_new_pubsite_version_is_a_miss(site: Path, builds: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    before = render()
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    cache_module.code_fingerprint.cache_clear()
    try:
        builds.clear()
        assert render() == before
        assert sorted(builds) == ["he2023gluefl", "third", "wu2023fedamd"]
    finally:
        monkeypatch.undo()
        cache_module.code_fingerprint.cache_clear()


def test_code_fingerprint_follows_every_package_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "pkg"
    (package / "templates").mkdir(parents=True)
    (package / "templates/page.html").write_text("a")
    monkeypatch.setattr(cache_module, "_PACKAGE", package)
    try:
        cache_module.code_fingerprint.cache_clear()
        first = cache_module.code_fingerprint()
        (package / "templates/page.html").write_text("b")
        cache_module.code_fingerprint.cache_clear()
        assert cache_module.code_fingerprint() != first
    finally:
        monkeypatch.undo()
        cache_module.code_fingerprint.cache_clear()


@pytest.mark.parametrize("victim", ["out-", "entries-", "text-"])
def test_a_corrupt_cache_file_is_ignored_and_rebuilt(site: Path, builds: list[str], victim: str) -> None:
    before = render()
    for path in (site / ".pubsite-cache").iterdir():
        if path.name.startswith(victim):
            path.write_bytes(b"\x00garbage" + path.read_bytes()[:10])
    assert render() == before
    # A miss at output level reads the entry store: a corrupt one is rebuilt, then used.
    builds.clear()
    assert render(publications_title="Other") == render(False, publications_title="Other")
    assert len(builds) == (3 if victim == "entries-" else 0) + 3  # + the uncached render's own
    builds.clear()
    render(publications_title="Another")
    assert builds == []


def test_a_truncated_text_is_a_miss_not_wrong_output(site: Path) -> None:
    before = render()
    for path in (site / ".pubsite-cache").iterdir():
        if path.name.startswith("text-"):
            path.write_bytes(path.read_bytes()[:-5])
    assert render() == before


def test_an_unusable_cache_folder_never_fails_a_render(site: Path) -> None:
    (site / "blocker").write_text("a file where the cache folder should be")
    assert render(cache_dir="blocker") == render(cached=False)
    assert (site / "blocker").read_text().startswith("a file")


def test_no_cache_writes_nothing(site: Path, runner: CliRunner) -> None:
    result = invoke(runner, ["render", "--no-cache", "-o", "out.html", "-q"])
    assert result.exit_code == 0, result.output
    assert not (site / ".pubsite-cache").exists()
    result = invoke(runner, ["render", "--cache-dir", "elsewhere", "-o", "out.html", "-q"])
    assert result.exit_code == 0, result.output
    assert any(p.name.startswith("out-") for p in (site / "elsewhere").iterdir())


def test_cli_warm_render_and_check(site: Path, runner: CliRunner, builds: list[str]) -> None:
    assert invoke(runner, ["render", "-o", "out.html", "-q"]).exit_code == 0
    builds.clear()
    assert invoke(runner, ["render", "-o", "out.html", "-q"]).exit_code == 0
    result = invoke(runner, ["render", "-o", "out.html", "--check"])
    assert result.exit_code == 0 and builds == []
    assert "3 publications, 1 news" in result.stderr
    # The output edited by hand: the cached render is still right, and --check says stale.
    (site / "out.html").write_text("edited")
    result = invoke(runner, ["render", "-o", "out.html", "--check"])
    assert result.exit_code == 1 and "stale" in result.stderr
    assert invoke(runner, ["render", "-o", "out.html", "-q"]).exit_code == 0
    assert (site / "out.html").read_text() == render(cached=False, format="fragment")


def test_injected_page_hits_after_it_was_written(site: Path, runner: CliRunner, builds: list[str]) -> None:
    page = site / "about.md"
    page.write_text("# Me\n\n<!-- pubsite:start -->\n<!-- pubsite:end -->\n\nBye\n")
    assert invoke(runner, ["render", "--inject", "about.md", "-q"]).exit_code == 0
    written = page.read_text()
    builds.clear()
    assert invoke(runner, ["render", "--inject", "about.md", "--check", "-q"]).exit_code == 0
    assert builds == [] and page.read_text() == written
    page.write_text(written.replace("# Me", "# Myself"))  # the page edited outside the markers
    assert invoke(runner, ["render", "--inject", "about.md", "-q"]).exit_code == 0
    assert page.read_text().startswith("# Myself") and "GlueFL" in page.read_text()


def test_a_file_read_during_the_render_is_a_dependency(site: Path) -> None:
    """Files no setting names (found by the audit hook) still invalidate the record when they change."""
    config = load_config(None, {})
    extra = site / "extra.txt"
    extra.write_text("one")
    cache = cache_module.RenderCache(".pubsite-cache", config)
    assert cache.lookup() is None
    with cache.recording() as opened:
        extra.read_text()
    os.utime(extra, (1, 1))  # older than the render, as an untouched input is
    cache.store(opened, [Output(None, "output")], [], 0, 0)
    again = cache_module.RenderCache(".pubsite-cache", config)
    assert again.lookup() is not None
    extra.write_text("two")
    assert cache_module.RenderCache(".pubsite-cache", config).lookup() is None


def test_an_input_written_during_the_render_is_not_trusted(site: Path) -> None:
    config = load_config(None, {})
    extra = site / "extra.txt"
    extra.write_text("one")
    cache = cache_module.RenderCache(".pubsite-cache", config)
    cache.lookup()
    with cache.recording() as opened:
        extra.read_text()
    cache.store(opened, [Output(None, "output")], [], 0, 0)  # extra.txt is as new as the render
    assert cache_module.RenderCache(".pubsite-cache", config).lookup() is None


def test_cache_folder_ignores_itself_in_git(site: Path) -> None:
    render()
    assert (site / ".pubsite-cache/.gitignore").read_text().strip().endswith("*")


def _identified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Titles of the entries whose identity is worked out (not taken from the cache) from now on."""
    from pubsite import matching

    seen: list[str] = []
    real = matching.identity

    def counting(fields: Any) -> Any:
        seen.append(fields.get("title", ""))
        return real(fields)

    monkeypatch.setattr(matching, "identity", counting)
    return seen


def test_duplicate_detection_decodes_only_the_edited_entry(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    render()
    seen = _identified(monkeypatch)
    _edit_title(site)
    after = render()
    assert seen == ["A Renamed Paper"]
    assert after == render(cached=False)


@pytest.fixture
def formatted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Titles of the entries whose HTML was made (not taken from the cache) since the test started."""
    made: list[str] = []
    real = cache_module.FragmentStore.put

    def counting(self: Any, key: bytes, value: tuple[str, str | None], new: bool) -> None:
        if new:
            made.append(value[0].split('<strong class="pubsite-title">')[1].split("<")[0])
        real(self, key, value, new)

    monkeypatch.setattr(cache_module.FragmentStore, "put", counting)
    return made


def _color_config(site: Path) -> None:
    (site / "pubsite.toml").write_text(CONFIG + "show_venue_badge = true\n")


def _coauthor_url(site: Path) -> None:
    (site / "pubsite.toml").write_text(CONFIG + '[coauthors]\n"Jane Doe" = "https://example.org/jane"\n')


def _entry_template(site: Path) -> None:
    (site / "templates").mkdir(exist_ok=True)
    packaged = Path(cache_module.__file__).parent / "templates/_macros.html"
    (site / "templates/_macros.html").write_text(
        packaged.read_text().replace('<strong class="pubsite-title">', '<strong class="pubsite-title" data-x="1">'))


def _add_preprint(site: Path) -> None:  # merged into the published version, which gains its arXiv link
    with (site / "data/publications.bib").open("a") as bib:
        bib.write("\n@article{he2022gluefl,\n  title={{GlueFL}: Reconciling Client Sampling},\n"
                  "  author={He, Shiqi and Yan, Qifan},\n  journal={arXiv preprint arXiv:2212.00001},\n"
                  "  eprint={2212.00001}, archiveprefix={arXiv},\n  year={2022}\n}\n")


ALL_TITLES = ["A Third Paper", "Anchor Sampling for Federated Learning", "GlueFL: Reconciling Client Sampling"]


@pytest.mark.parametrize("change, reformatted", [
    (_edit_title, ["A Renamed Paper"]),
    (_edit_news, []),
    (_color_config, ALL_TITLES),  # a setting the entry template reads
    (_coauthor_url, ALL_TITLES),
    (_add_preprint, ["GlueFL: Reconciling Client Sampling"]),  # unchanged entry, changed publication
    (_entry_template, []),  # a site's own entry macro: its entries are never cached
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_only_changed_entries_are_formatted_again(site: Path, formatted: list[str], change: Callable[[Path], None],
                                                  reformatted: list[str]) -> None:
    before = render()
    assert sorted(formatted) == ALL_TITLES
    change(site)
    formatted.clear()
    after = render()
    assert sorted(formatted) == reformatted
    assert after != before
    assert after == render(cached=False)


def test_an_entry_moved_down_the_file_is_not_formatted_again(site: Path, formatted: list[str]) -> None:
    before = render()
    path = site / "data/publications.bib"
    path.write_text("% a comment added on top\n\n" + path.read_text().replace("A Third Paper", "A Renamed Paper"))
    formatted.clear()
    after = render()
    assert formatted == ["A Renamed Paper"]
    assert after == render(cached=False) != before


@pytest.fixture
def aside_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Stores are written by a forked child even for this small site; the children forked."""
    from pubsite import aside, parallel

    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(aside, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(aside.os, "fork", fork)
    return forked


def test_stores_written_aside_are_in_place_when_the_render_returns(site: Path, aside_forks: list[int],
                                                                   builds: list[str]) -> None:
    before = render()
    assert len(aside_forks) == 2  # the entry store and the fragment store
    names = sorted(p.name.split("-")[0] for p in (site / ".pubsite-cache").iterdir() if not p.name.startswith("."))
    assert names == ["entries", "fragments", "out", "text"]  # nothing half-written beside them
    _edit_title(site)
    builds.clear()
    after = render()
    assert builds == ["third"]
    assert after == render(cached=False) != before


def test_a_writer_that_fails_costs_a_miss_never_wrong_output(site: Path, aside_forks: list[int],
                                                            builds: list[str], monkeypatch: pytest.MonkeyPatch,
                                                            ) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug in the writer")

    real = cache_module._dump_dicts
    monkeypatch.setattr(cache_module, "_dump_dicts", broken)
    before = render()
    assert aside_forks and not any(p.name.startswith(("entries-", "fragments-"))
                                   for p in (site / ".pubsite-cache").iterdir())
    monkeypatch.setattr(cache_module, "_dump_dicts", real)
    _edit_title(site)
    builds.clear()
    after = render()
    assert sorted(builds) == ["he2023gluefl", "third", "wu2023fedamd"]  # no store: all built again
    assert after == render(cached=False) != before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_reading_one_store_waits_for_its_own_writer_only(tmp_path: Path, aside_forks: list[int]) -> None:
    from pubsite import aside

    slow, quick = tmp_path / "slow", tmp_path / "quick"

    def write_slowly() -> None:
        time.sleep(0.5)
        slow.write_text("done")

    aside.write_aside(write_slowly, 1, "entries-x.bin")
    aside.write_aside(lambda: quick.write_text("done"), 1, "fragments-x.bin")
    aside.wait("fragments-x.bin")
    assert quick.read_text() == "done" and not slow.exists()  # the other writer is not waited for
    aside.wait()
    assert slow.read_text() == "done"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_program_about_to_end_keeps_what_its_writers_held(tmp_path: Path, aside_forks: list[int],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import weakref

    from pubsite import aside

    class Payload:
        pass

    def writer() -> tuple[Callable[[], None], weakref.ref[Payload]]:
        payload = Payload()
        return (lambda: (tmp_path / "store").write_text(str(id(payload)))), weakref.ref(payload)

    write, held = writer()
    aside.write_aside(write, 1, "entries-x.bin")
    del write
    aside.wait()
    assert aside_forks and (tmp_path / "store").exists()
    assert held() is None  # a library caller gets the memory back once the writer is reaped

    kept: list[object] = []
    monkeypatch.setattr(aside, "_kept", None)
    aside.keep_until_exit(kept)
    write, held = writer()
    aside.write_aside(write, 1, "entries-x.bin")
    del write
    aside.wait()
    assert held() is not None and len(kept) == 1  # the command line, which ends without freeing, skips it


def test_duplicates_found_from_kept_identities_are_the_ones_found_afresh(
        write_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    bib = BIB + """
@misc{preprint, title = {{GlueFL}: Reconciling Client Sampling}, author = {Shiqi He and Qifan Yan},
  year = {2022}, eprint = {2212.00001}, archiveprefix = {arXiv}}
@inproceedings{inproc, title = {Anchor Sampling for Federated Learning}, author = {Feijie Wu and Shiqi He},
  crossref = {volume}}
@proceedings{volume, title = {Proceedings of Things}, year = {2022}, doi = {10.1/things}}
"""
    root = write_site({"data/publications.bib": bib, "pubsite.toml": CONFIG})
    monkeypatch.chdir(root)
    first = render_site(config())
    assert {p.code for p in first.problems} >= {"PS207"}
    seen = _identified(monkeypatch)
    _edit_title(root)
    again = render_site(config())
    assert seen == ["A Renamed Paper"]  # every other identity was kept, the crossref's included
    fresh = render_site(config(cached=False))
    assert again.text == fresh.text and again.problems == fresh.problems


def test_a_new_preview_folder_rebuilds_entries_with_a_preview(write_site: Callable[..., Path],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # Thumbnails are read where entries are built, so the folder they live in is a build setting.
    bib = BIB.replace("year={2021}", "year={2021}, preview={third.png}")
    root = write_site({"data/publications.bib": bib, "pubsite.toml": CONFIG + 'preview_base = "/a/"\n'})
    monkeypatch.chdir(root)
    assert 'src="/a/third.png"' in render(show_preview=True)
    (root / "pubsite.toml").write_text(CONFIG + 'preview_base = "/b/"\n')
    assert 'src="/b/third.png"' in render(show_preview=True)


def test_render_and_check_report_a_bad_preview_alike(write_site: Callable[..., Path],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from pubsite.check import check_site

    bib = BIB + """
@misc{preprint, title = {{GlueFL}: Reconciling Client Sampling}, author = {Shiqi He and Qifan Yan},
  year = {2022}, eprint = {2212.00001}, archiveprefix = {arXiv}, preview = {javascript:alert(1)}}
"""
    root = write_site({"data/publications.bib": bib, "pubsite.toml": CONFIG})
    monkeypatch.chdir(root)
    rendered = [p for p in render_site(config()).problems if p.code == "PS301"]
    assert len(rendered) == 1 and "preprint" in rendered[0].message  # merged into its published version
    assert rendered == [p for p in check_site(config()).problems if p.code == "PS301"]


def test_entries_shown_as_built_are_keyed_by_their_entry(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    digested: list[str] = []
    real = cache_module.fragment_key
    monkeypatch.setattr(cache_module, "fragment_key", lambda pub: digested.append(pub.key) or real(pub))
    render()
    assert digested == []  # all three are shown as built
    _add_preprint(site)
    render()
    assert digested == ["he2023gluefl"]  # the one the preprint was merged into
