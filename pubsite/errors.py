"""One exception root and one problem record for the whole library.

The library never prints and never exits: it raises :class:`PubsiteError` for
input it cannot use at all, and returns :class:`Problem` records for input it
can partly use, so that one bad entry never hides the good ones.  The CLI is
the only place that turns these into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


def location(path: str | None, line: int | None) -> str:
    """Format ``path:line`` the way compilers do, so editors can jump to it."""
    if path is None:
        return ""
    return f"{path}:{line}" if line is not None else str(path)


class PubsiteError(Exception):
    """Input that cannot be used at all (unreadable file, bad config, bad markers).

    Carries the file and 1-based line so the CLI can print ``path:line: message``.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = location(self.path, self.line)
        return f"{where}: {self.message}" if where else self.message


class ConfigError(PubsiteError):
    """A configuration file or option that cannot be honoured."""


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with one entry or item; the rest of the input still renders.

    ``code`` is a stable rule id (``PS101``...) that users can silence in config.
    Ordering is by file, then line, so reports read top to bottom.
    """

    path: str
    line: int
    level: Level
    code: str
    message: str

    def __str__(self) -> str:
        return f"{location(self.path, self.line)}: {self.level}: {self.message} [{self.code}]"


class ProblemCounts:
    """Mixin for results that hold ``problems``: the counts summary lines print."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(p.level == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.level == "warning" for p in self.problems)
