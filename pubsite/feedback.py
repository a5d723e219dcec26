"""What a command tells a person on stderr: one summary line, progress only when it helps.

Output meant for scripts (stdout, files, a CI log) must stay byte-stable, so
progress is drawn only on a terminal and only once the work has taken long
enough for a person to wonder whether it hangs.  The library builds these
strings; the CLI decides whether to show them.
"""

from __future__ import annotations

import time
from typing import Callable, TextIO

#: Seconds of work before progress appears: a personal bib renders well within it.
DELAY = 0.5


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def summary(publications: int, news: int, where: str, errors: int = 0, warnings: int = 0) -> str:
    """``7 publications, 7 news → build/index.html; 2 warnings``: the one line render ends with.

    Zero counts of problems are left out so a clean run reads clean.
    """
    line = f"{_count(publications, 'publication')}, {news} news → {where}"
    problems = [_count(n, word) for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return f"{line}; {', '.join(problems)}" if problems else line


def check_summary(errors: int, warnings: int, files: int, entries: int, news: int) -> str:
    """``2 errors, 3 warnings in 1 file``, or ``no problems in 7 entries and 7 news items``."""
    if not errors and not warnings:
        return f"no problems in {_count(entries, 'entry', 'entries')} and {_count(news, 'news item')}"
    problems = [_count(n, word) for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return f"{', '.join(problems)} in {_count(files, 'file')}"


class Progress:
    """A ``done/total`` counter redrawn in place on a terminal, after ``delay`` seconds.

    Short runs (a personal bib renders in well under the delay) never show it,
    and a stream that is not a terminal never gets a byte, so logs and
    redirected output are unchanged.  Call :meth:`close` before printing
    anything else: it wipes the line it drew.
    """

    def __init__(self, stream: TextIO, what: str = "entries", *, delay: float | None = None,
                 interval: float = 0.1, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.what = what
        self.delay = DELAY if delay is None else delay
        self.interval = interval
        self.clock = clock
        self.enabled = _is_terminal(stream)
        self.started = clock()
        self._last_draw: float | None = None
        self._width = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        if self._last_draw is not None and now - self._last_draw < self.interval and done < total:
            return
        self._last_draw = now
        text = f"{done}/{total} {self.what}"
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def close(self) -> None:
        """Erase the progress line, if one was drawn, so the summary starts a clean line."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
