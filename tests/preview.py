"""Running ``pubsite serve`` in a thread for tests, with every wait bounded."""

from __future__ import annotations

import queue
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from typing import Callable, Iterator

from pubsite.serve import serve

#: An entry tests add to a running site's bib to see it rebuild.
NEW_ENTRY = """
@article{fresh2025,
  title   = {A Freshly Added Paper},
  author  = {Doe, Jane},
  journal = {Journal of Example Research},
  year    = {2025}
}
"""

#: Longest a test waits for the server or a rebuild; a healthy one takes well under a second.
TIMEOUT = 15.0


def wait_until(predicate: Callable[[], bool], timeout: float = TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


class Running:
    """A live preview: its URL, what it told the terminal, and how to read its state."""

    def __init__(self, url: str, lines: list[str]) -> None:
        self.url = url
        self.lines = lines

    def page(self) -> str:
        return fetch(self.url)[1]

    def version(self) -> str:
        return fetch(self.url + "__pubsite/version")[1]

    def changes(self, edit: Callable[[], None]) -> str:
        """Apply ``edit`` and return the page once the server has rebuilt it."""
        before = self.version()
        edit()
        assert wait_until(lambda: self.version() != before), f"no rebuild; server said {self.lines}"
        return self.page()


@contextmanager
def running_preview(config_path: str | None = None) -> Iterator[Running]:
    """Serve the site in the current directory on a free port; stop and check it on exit."""
    urls: queue.Queue[str] = queue.Queue()
    lines: list[str] = []
    stop = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            serve(config_path, {}, port=0, report=lines.append, ready=urls.put, stop=stop)
        except BaseException as exc:  # surfaced by the test, not lost in the thread
            failure.append(exc)
            urls.put("")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        url = urls.get(timeout=TIMEOUT)
        assert url, f"server failed to start: {failure}"
        yield Running(url, lines)
    finally:
        stop.set()
        thread.join(timeout=TIMEOUT)
    assert not thread.is_alive(), "the server did not stop"
    assert not failure, failure
