"""``pubsite serve``: the page over loopback, rebuilt on every change, never stopped by bad input."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable, Iterator

import pytest
from click.testing import CliRunner

from pubsite.cli import cli
from pubsite.errors import PubsiteError
from pubsite.scaffold import init_site
from pubsite.serve import PreviewServer, Preview, serve

from .conftest import ROOT
from .preview import NEW_ENTRY, TIMEOUT, Running, fetch, running_preview

BROKEN_ENTRY = """
@article{broken2025,
  title = {Unbalanced,
  author = {Doe, Jane},
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    init_site(tmp_path, "Jane Doe")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def preview(site: Path) -> Iterator[Running]:
    with running_preview() as running:
        yield running


def _append(path: str, text: str) -> Callable[[], None]:
    def edit() -> None:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    return edit


def _replace(path: str, old: str, new: str) -> Callable[[], None]:
    def edit() -> None:
        text = Path(path).read_text(encoding="utf-8")
        assert old in text
        Path(path).write_text(text.replace(old, new), encoding="utf-8")
    return edit


def _titles(page: str) -> list[str]:
    return re.findall(r'<strong class="pubsite-title">([^<]*)</strong>', page)


def test_serves_the_page_and_rebuilds_when_the_bib_changes(preview: Running) -> None:
    assert preview.url.startswith("http://127.0.0.1:")
    page = preview.page()
    assert _titles(page) == ["An Example Paper: Replace Me with Your Own", "A Second Example, in a Journal"]
    assert preview.lines[-1] == f"2 publications, 2 news → {preview.url}"
    page = preview.changes(_append("data/publications.bib", NEW_ENTRY))
    assert _titles(page)[0] == "A Freshly Added Paper"
    assert "rebuilding: data/publications.bib changed" in preview.lines
    assert preview.lines[-1] == f"3 publications, 2 news → {preview.url}"


EDITS = {
    "news": (_append("data/news.yaml", "- date: 2025-01\n  text: Brand new *news*\n"),
             "Brand new <em>news</em>"),
    "config": (_append("pubsite.toml", '\npublications_title = "Papers"\n'), "<h2>Papers</h2>"),
    "template override": (_replace("templates/page.html", "{{ super() }}", "Edited"), "<title>Jane Doe · Edited"),
    "new template file": (lambda: Path("templates/news.html").write_text("<p>No news here</p>\n"),
                          "<p>No news here</p>"),
    "editor-style atomic save": (lambda: (Path("data/tmp.bib").write_text(NEW_ENTRY),
                                          os.replace("data/tmp.bib", "data/publications.bib")),
                                 "A Freshly Added Paper"),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_any_input_config_or_template_change_rebuilds(preview: Running, what: str) -> None:
    edit, shown = EDITS[what]
    assert shown not in preview.page()
    assert shown in preview.changes(edit)


def test_a_broken_entry_is_listed_above_the_page_and_in_the_terminal(preview: Running) -> None:
    page = preview.changes(_append("data/publications.bib", BROKEN_ENTRY))
    box = re.search(r'<div id="pubsite-serve-problems"[^>]*>(.*?)</div>', page, re.S)
    assert box, "no problems box"
    errors = [line for line in preview.lines if re.match(r"[^:]+:\d+: error: ", line)]
    assert errors and all(line.startswith("data/publications.bib:") for line in errors)
    for line in errors:
        assert line.replace("'", "&#x27;") in box.group(1)
    assert len(_titles(page)) == 2  # the good entries still render
    assert preview.lines[-1].endswith(f"; {len(errors)} error" + ("s" if len(errors) > 1 else ""))


UNUSABLE = {
    "bib deleted": (lambda: os.remove("data/publications.bib"), "data/publications.bib: file not found"),
    "config typo": (_append("pubsite.toml", 'ownr = "x"\n'), "unknown setting &#x27;ownr&#x27;"),
    "template typo": (_replace("templates/page.html", "{% endblock %}", "{% endblock"),
                      "templates/page.html:"),
}


@pytest.mark.parametrize("what", sorted(UNUSABLE))
def test_unusable_input_shows_an_error_page_then_recovers(preview: Running, site: Path, what: str) -> None:
    saved = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    edit, message = UNUSABLE[what]
    page = preview.changes(edit)
    assert 'id="pubsite-serve-error"' in page and message in page
    assert _titles(page) == []
    assert preview.lines[-1].startswith("error: ") and preview.lines[-1].endswith("(shown in the page)")

    def restore() -> None:
        for path, data in saved.items():
            path.write_bytes(data)

    page = preview.changes(restore)
    assert len(_titles(page)) == 2 and "pubsite-serve-error" not in page


def test_reload_script_is_only_in_what_serve_sends(preview: Running, runner: CliRunner) -> None:
    assert "/__pubsite/version" in preview.page()
    result = runner.invoke(cli, ["render", "--format", "page", "-q"])
    assert result.exit_code == 0
    assert "__pubsite" not in result.stdout
    # The page's only script is its JSON-LD data block; nothing executable.
    scripts = re.findall(r"<script[^>]*>", result.stdout)
    assert scripts in ([], ['<script type="application/ld+json">'])


def test_saving_unchanged_content_does_not_reload(site: Path) -> None:
    preview = Preview()
    first = preview.rebuild()
    Path("data/news.yaml").write_bytes(Path("data/news.yaml").read_bytes())
    assert preview.rebuild().version == first.version
    _append("data/news.yaml", "- date: 2025-01\n  text: More\n")()
    assert preview.rebuild().version == first.version + 1


@pytest.mark.parametrize(("path", "headers", "status"), [
    ("", {"Host": "evil.example"}, 403),
    ("", {"Host": "evil.example:80"}, 403),
    (".git/config", {}, 404),
    ("data/", {}, 404),
    ("no/such.pdf", {}, 404),
    ("favicon.ico", {}, 204),
    ("assets/pdf/paper.pdf", {}, 200),
])
def test_what_the_server_answers(preview: Running, site: Path, path: str, headers: dict[str, str],
                                 status: int) -> None:
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text("[secret]\n")
    (site / "assets" / "pdf").mkdir(parents=True)
    (site / "assets" / "pdf" / "paper.pdf").write_bytes(b"%PDF-1.4\n")
    assert fetch(preview.url + path, headers)[0] == status


def test_stops_cleanly_and_frees_the_port(site: Path) -> None:
    with running_preview() as running:
        port = int(running.url.rsplit(":", 1)[1].strip("/"))
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_listens_on_loopback_only(site: Path) -> None:
    server = PreviewServer(Preview(), port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_port_in_use_is_an_input_error(site: Path, runner: CliRunner) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PubsiteError, match=f"127.0.0.1:{port}: cannot listen"):
            serve(port=port, stop=threading.Event())
        result = runner.invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: 127.0.0.1:{port}: cannot listen: ")


def test_command_prints_the_url_and_stops_on_ctrl_c(site: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "pubsite", "serve", "--port", "0"], cwd=site, env=env,
                               stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()  # type: ignore[union-attr]
    try:
        url = ""
        while not url:
            line = lines.get(timeout=TIMEOUT)
            found = re.match(r"Serving (http://127\.0\.0\.1:\d+/) ", line)
            url = found.group(1) if found else ""
        assert "An Example Paper" in fetch(url)[1]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert rest[-1:] == ["stopped\n"]
    assert "Traceback" not in "".join(rest)


def test_falls_back_to_polling_when_files_cannot_be_watched(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import watchfiles

    real = watchfiles.watch

    def no_notify(*args: object, force_polling: bool | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
        if not force_polling:
            raise OSError(28, "inotify watch limit reached")
        return real(*args, force_polling=force_polling, **kwargs)

    monkeypatch.setattr(watchfiles, "watch", no_notify)
    with running_preview() as running:
        page = running.changes(_append("data/publications.bib", NEW_ENTRY))
        assert _titles(page)[0] == "A Freshly Added Paper"
    assert any(line.startswith("cannot watch files (") and line.endswith("polling for changes instead")
               for line in running.lines)
