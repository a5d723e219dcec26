"""``pubsite serve``: the page as it will look, rebuilt and reloaded on every save.

A preview is only useful if it keeps running while the user breaks and fixes
their files, so nothing a user can type stops it: an unusable input (bad
config, unreadable bib, broken template) replaces the page by an error page,
and entry-level problems are listed in a box above the page.  Both also go to
the terminal.  The reload script and that box exist only in what this server
sends; rendered output never contains them.

Changes arrive from watchfiles (inotify and friends) as soon as a file is
saved; on every quiet second the server also compares the watched files'
stat signatures with the ones it last built from, so a change that the
notifier missed (or made before it started) is still picked up.  It listens
on 127.0.0.1 only and answers only requests addressed to that host.
"""

from __future__ import annotations

import html
import os
import re
import threading
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import unquote

from .config import Config, load_config
from .errors import Problem, PubsiteError
from .feedback import summary

HOST = "127.0.0.1"
VERSION_PATH = "/__pubsite/version"
#: How often the open page asks whether it is stale (ms), and the quiet-time re-check (ms).
POLL_MS = 500
RECHECK_MS = 1000

_RELOAD = """<script>/* pubsite serve only: reload when the page is rebuilt */
(function () {
  var version = "%s";
  setInterval(function () {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) { if (v !== version) { location.reload(); } })
      .catch(function () {});
  }, %d);
})();
</script>
"""
_BOX_STYLE = ("margin:0;padding:0.7em 1em;font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap;"
              "background:#fff4e5;color:#4a2f00;border-bottom:3px solid #d98e04;")
_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>pubsite: cannot render</title></head>
<body style="margin:0;font-family:system-ui,sans-serif">
<div id="pubsite-serve-error" role="alert" style="%s"><strong>pubsite cannot render this site</strong>
%s</div>
<p style="margin:1em">Fix the file and save it: this page reloads by itself.</p>
</body>
</html>
"""
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Build:
    """One rebuild's outcome: what the server sends, and what the terminal is told."""

    version: int
    html: bytes
    lines: tuple[str, ...]
    ok: bool


@dataclass(frozen=True)
class WatchPlan:
    """What to watch: folders handed to the notifier, and which paths in them matter."""

    folders: tuple[str, ...]
    files: frozenset[str]
    trees: tuple[str, ...]

    def accepts(self, change: Any, path: str) -> bool:
        """The notifier's filter: a watched file, anything in the template folder, or a
        folder on the way to one (its creation changes what can be watched)."""
        path = os.path.abspath(path)
        if path in self.files or any(path == t or path.startswith(t + os.sep) for t in self.trees):
            return True
        return any(f.startswith(path + os.sep) for f in (*self.files, *self.trees))

    def signature(self) -> tuple[tuple[str, int, int, int], ...]:
        """Stat of every watched file, so a missed or early change is still noticed."""
        seen = []
        paths = set(self.files)
        for tree in self.trees:
            for folder, _, names in os.walk(tree):
                paths.update(os.path.join(folder, name) for name in names)
        for path in sorted(paths):
            try:
                st = os.stat(path)
            except OSError:
                continue
            seen.append((path, st.st_mtime_ns, st.st_size, st.st_ino))
        return tuple(seen)


def _existing_folder(path: str) -> str:
    folder = os.path.abspath(path)
    while not os.path.isdir(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


def _plan(config: Config, config_files: tuple[str, ...]) -> WatchPlan:
    files = {os.path.abspath(p) for p in (*config.bib, *config_files) if p}
    if config.news:
        files.add(os.path.abspath(config.news))
    trees = (os.path.abspath(config.template_dir),) if config.template_dir else ()
    folders = {_existing_folder(os.path.dirname(f)) for f in files}
    for tree in trees:
        if os.path.isdir(tree):
            folders.update(folder for folder, _, _ in os.walk(tree))
        else:
            folders.add(_existing_folder(os.path.dirname(tree)))
    return WatchPlan(tuple(sorted(folders)), frozenset(files), trees)


def _decorate(page: str, problems: tuple[Problem, ...], version: int) -> str:
    """Add the serve-only reload script, and the problems box when there are problems."""
    if problems:
        listing = "\n".join(html.escape(str(p)) for p in problems)
        box = (f'<div id="pubsite-serve-problems" role="alert" style="{_BOX_STYLE}">'
               f"<strong>{len(problems)} problem(s)</strong> (shown by pubsite serve only)\n{listing}</div>\n")
        opening = _BODY_OPEN.search(page)
        at = opening.end() if opening else 0
        page = page[:at] + "\n" + box + page[at:]
    script = _RELOAD % (version, VERSION_PATH, POLL_MS)
    closing = None
    for closing in _BODY_CLOSE.finditer(page):
        pass
    if closing is None:
        return page + script
    return page[:closing.start()] + script + page[closing.start():]


class Preview:
    """The current build of a site, and how to make the next one.

    The config is read again on every rebuild: editing ``pubsite.toml`` is a
    change like any other.
    """

    def __init__(self, config_path: str | None = None, overrides: Mapping[str, Any] | None = None,
                 url: str = "") -> None:
        self.config_path = config_path
        self.overrides = dict(overrides or {})
        self.url = url
        self.config_files = (config_path,) if config_path else ("pubsite.toml", "pyproject.toml")
        self._config = Config()
        self.plan = _plan(self._config, self.config_files)
        self.built_from: tuple[tuple[str, int, int, int], ...] = ()
        self.current = Build(version=0, html=b"", lines=(), ok=False)
        self._shown: tuple[str, tuple[Problem, ...]] | None = None

    def _render(self) -> tuple[str, tuple[Problem, ...], str]:
        from .site import render_site

        config = load_config(self.config_path, self.overrides)
        self._config = config
        # The preview is always the standalone page, complete in itself.
        config = replace(config, format="page", output=None, inject=None, css="inline")
        result = render_site(config)
        line = summary(result.publication_count, result.news_count, self.url or "preview",
                       result.errors, result.warnings)
        return result.text, result.problems, line

    def rebuild(self) -> Build:
        """Render again; never raises for anything wrong in the site's files.

        The version (what the open page polls) moves only when what is shown
        changes, so saving a file without changing it does not reload the page.
        """
        from .render import environment

        environment.cache_clear()  # a new or removed override must be seen, not a cached loader
        before = self.plan.signature()
        problems: tuple[Problem, ...] = ()
        try:
            page, problems, line = self._render()
            lines, ok = (*(str(p) for p in problems), line), True
        except PubsiteError as exc:
            page = _ERROR_PAGE % (_BOX_STYLE, html.escape(str(exc)))
            lines, ok = (f"error: {exc} (shown in the page)",), False
        except OSError as exc:  # a file vanished or changed mid-read
            page = _ERROR_PAGE % (_BOX_STYLE, html.escape(f"cannot read the site: {exc}"))
            lines, ok = (f"error: cannot read the site: {exc} (shown in the page)",), False
        except Exception as exc:  # noqa: BLE001 - a bug must not end the preview the user is editing in
            message = f"internal error, please report it: {type(exc).__name__}: {exc}"
            page = _ERROR_PAGE % (_BOX_STYLE, html.escape(message))
            lines, ok = (f"error: {message} (shown in the page)",), False
        old_plan, self.plan = self.plan, _plan(self._config, self.config_files)
        after = self.plan.signature()
        # Built from what was read, unless a file changed meanwhile (then the next check rebuilds).
        self.built_from = after if self.plan != old_plan else (before if before == after else ())
        shown = (page, problems)
        if shown != self._shown:
            self._shown = shown
            version = self.current.version + 1
            self.current = Build(version, _decorate(page, problems, version).encode("utf-8"), lines, ok)
        else:
            self.current = replace(self.current, lines=lines, ok=ok)
        return self.current

    def stale(self) -> bool:
        """True when a watched file changed since the last build (a missed event)."""
        return self.plan.signature() != self.built_from


class _Handler(SimpleHTTPRequestHandler):
    """Serve the preview at ``/``, its version for the reload script, and the site's files."""

    server: PreviewServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def _addressed_to_us(self) -> bool:
        """Refuse other Host headers: a web page cannot reach this server by DNS rebinding."""
        host = (self.headers.get("Host") or "").lower()
        port = self.server.server_address[1]
        return host in (HOST, f"{HOST}:{port}", "localhost", f"localhost:{port}")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self) -> None:
        if not self._addressed_to_us():
            self._send(HTTPStatus.FORBIDDEN, b"pubsite serve answers only 127.0.0.1\n", "text/plain")
            return
        path = unquote(self.path.split("?", 1)[0].split("#", 1)[0])
        if path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.server.preview.current.html, "text/html; charset=utf-8")
        elif path == VERSION_PATH:
            self._send(HTTPStatus.OK, str(self.server.preview.current.version).encode(), "text/plain")
        elif any(part.startswith(".") for part in path.split("/")) or path.endswith("/"):
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")
        elif path == "/favicon.ico" and not os.path.isfile(self.translate_path(path)):
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        elif os.path.isfile(self.translate_path(path)) and self.command == "GET":
            super().do_GET()
        elif os.path.isfile(self.translate_path(path)):
            super().do_HEAD()
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._route()

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._route()


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that serves one :class:`Preview` and the site's files."""

    daemon_threads = True

    def __init__(self, preview: Preview, port: int = 8000, root: str = ".") -> None:
        self.preview = preview
        self.root = os.path.abspath(root)
        try:
            super().__init__((HOST, port), lambda *a: _Handler(*a, directory=self.root))
        except OSError as exc:
            hint = "; choose another with --port, or --port 0 for any free one" if port else ""
            raise PubsiteError(f"{HOST}:{port}: cannot listen: {exc.strerror}{hint}") from None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


def serve(config_path: str | None = None, overrides: Mapping[str, Any] | None = None, *,
          port: int = 8000, report: Callable[[str], None] = lambda line: None,
          ready: Callable[[str], None] = lambda url: None,
          stop: threading.Event | None = None) -> None:
    """Serve the site's page on 127.0.0.1 and rebuild it on every change until ``stop`` is set.

    :param report: receives each line for the terminal (problems, summaries, errors).
    :param ready: receives the URL once the server listens.
    :raises PubsiteError: only when the port cannot be opened.
    :raises KeyboardInterrupt: on Ctrl-C (after shutting the server down).
    """
    import watchfiles

    stop = stop or threading.Event()
    preview = Preview(config_path, overrides)
    server = PreviewServer(preview, port)
    preview.url = server.url
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="pubsite-serve", daemon=True)
    try:
        for line in preview.rebuild().lines:
            report(line)
        thread.start()
        ready(server.url)
        polling = False
        while not stop.is_set():
            plan = preview.plan
            try:
                for changes in watchfiles.watch(*plan.folders, watch_filter=plan.accepts, recursive=False,
                                                debounce=300, rust_timeout=RECHECK_MS, yield_on_timeout=True,
                                                stop_event=stop, force_polling=polling or None):
                    if not changes and not preview.stale():
                        continue
                    names = sorted({os.path.relpath(path) for _, path in changes}) or ["a watched file"]
                    report(f"rebuilding: {', '.join(names)} changed")
                    for line in preview.rebuild().lines:
                        report(line)
                    if preview.plan != plan:
                        break  # the config now names other files: watch those
            except FileNotFoundError:
                preview.rebuild()  # a watched folder vanished meanwhile: plan again
            except OSError as exc:
                if polling:
                    raise
                # Out of inotify watches, or a file system without change events.
                report(f"cannot watch files ({exc}); polling for changes instead")
                polling = True
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
