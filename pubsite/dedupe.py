"""The same paper under two keys, as a render shows it: once, with a warning.

Pasting a Google Scholar export next to a DBLP one, or keeping the arXiv
entry after the paper was accepted, lists one paper twice.  Every such pair
is reported (PS207, the rule ``check`` uses, naming both places) so the user
can tidy the file; and when one entry is a preprint and the other the
published version, only the published one is shown, carrying the preprint's
arXiv link, because that is how a reader expects a publication list to look
(``merge_preprints = false`` shows both).

Which entries are the same paper is :mod:`pubsite.matching`'s decision;
candidates come from its indexes, so a 15,000-entry file is not compared
pair by pair.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from .bib import RawEntry
from .errors import Problem
from .links import with_arxiv
from .matching import entry_identities, find_duplicates
from .model import Publication

#: Statuses of a version that supersedes a preprint of the same paper.
_PUBLISHED = ("published", "to-appear")


def _root(parent: list[int], item: int) -> int:
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def merge_duplicates(built: Sequence[tuple[RawEntry, Publication]],
                     merge_preprints: bool = True) -> tuple[list[Publication], list[Problem]]:
    """The publications to show, in input order, and a warning per duplicate pair.

    In a group of entries that are one paper, preprints are dropped when a
    published (or to-appear) version is there; each published version gets the
    first preprint's arXiv id when it has none, and is ``selected`` if any
    member was.  Groups of only preprints, or only published versions, stay
    as they are: which one to delete is the user's call.
    """
    pubs = [pub for _, pub in built]
    pairs = find_duplicates(entry_identities([entry for entry, _ in built]))
    if not pairs:
        return pubs, []
    parent = list(range(len(pubs)))
    for i, j, _ in pairs:
        parent[_root(parent, j)] = _root(parent, i)
    groups: dict[int, list[int]] = {}
    for index in range(len(pubs)):
        groups.setdefault(_root(parent, index), []).append(index)

    dropped: dict[int, int] = {}  # preprint index -> index of the version shown instead
    shown = list(pubs)
    if merge_preprints:
        for members in groups.values():
            if len(members) < 2:
                continue
            kept = [m for m in members if pubs[m].status in _PUBLISHED]
            preprints = [m for m in members if pubs[m].status == "preprint"]
            if not kept or not preprints:
                continue
            arxiv = next((pubs[m].links.arxiv for m in preprints if pubs[m].links.arxiv), None)
            selected = any(pubs[m].selected for m in members)
            for m in kept:
                links = with_arxiv(pubs[m].links, arxiv) if arxiv else pubs[m].links
                shown[m] = replace(pubs[m], links=links, selected=selected)
            for m in preprints:
                dropped[m] = kept[0]

    problems = []
    for i, j, reason in pairs:
        first, second = pubs[i], pubs[j]
        message = f"entry '{second.key}': same paper as '{first.key}' at {first.path}:{first.line} ({reason})"
        gone = [m for m in (i, j) if m in dropped]
        if gone:
            preprint = pubs[gone[0]]
            instead = pubs[dropped[gone[0]]]
            message += f"; the preprint '{preprint.key}' is shown as the arXiv link of '{instead.key}'"
        problems.append(Problem(second.path, second.line, "warning", "PS207", message))
    return [pub for index, pub in enumerate(shown) if index not in dropped], problems
