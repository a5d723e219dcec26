"""Folding long author lists: the first N names, the rest behind "and K more".

A 40-author paper should not push the next entry off the screen, yet the
owner's own name is why the entry is on the page, so it is never folded away:
names are shown if they are among the first N *or* are the owner, and each
stretch of folded names between them becomes one toggle that opens in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .model import Author


@dataclass(frozen=True)
class Run:
    """Consecutive authors that are either all shown or all folded behind one toggle."""

    authors: tuple[Author, ...]
    folded: bool = False


def author_runs(authors: Sequence[Author], limit: int) -> list[Run]:
    """Split ``authors`` into shown and folded runs; ``limit`` 0 shows everyone.

    A run of a single folded name is shown instead: "and 1 more" is no shorter
    than the name itself.

    >>> a = [Author(n, "", n) for n in "ABCDE"]
    >>> [("".join(x.name for x in r.authors), r.folded) for r in author_runs(a, 2)]
    [('AB', False), ('CDE', True)]
    """
    if limit <= 0 or len(authors) <= limit:
        return [Run(tuple(authors))] if authors else []
    runs: list[Run] = []
    for index, author in enumerate(authors):
        folded = index >= limit and not author.owner
        if runs and runs[-1].folded == folded:
            runs[-1] = Run(runs[-1].authors + (author,), folded)
        else:
            runs.append(Run((author,), folded))
    merged: list[Run] = []
    for run in runs:
        if run.folded and len(run.authors) == 1:
            run = Run(run.authors)
        if merged and not merged[-1].folded and not run.folded:
            merged[-1] = Run(merged[-1].authors + run.authors)
        else:
            merged.append(run)
    return merged
