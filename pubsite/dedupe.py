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
from typing import Callable, Mapping, Sequence

from .bib import RawEntry
from .errors import Problem
from .links import with_arxiv
from .matching import Identity, authors_compatible, entry_identities, find_duplicates, remember_families
from .model import Publication

#: Statuses of a version that supersedes a preprint of the same paper.
_PUBLISHED = ("published", "to-appear")


def merge_duplicates(built: Sequence[tuple[RawEntry, Publication]], merge_preprints: bool = True,
                     identify: Callable[[Mapping[str, str]], Identity] | None = None,
                     identities: Sequence[Identity] | None = None,
                     ) -> tuple[list[Publication], list[Problem]]:
    """The publications to show, in input order, and a warning per duplicate pair.

    A preprint is dropped when it pairs with a published (or to-appear)
    version whose authors are compatible with its own: an arXiv id or DOI
    copied onto the wrong entry must not hide a different paper (it is still
    reported).  Each version a preprint is merged into gets its arXiv id when
    it has none, and is ``selected`` if the preprint was.  Pairs of two
    published versions, or two preprints, are reported only: which one to
    delete is the user's call.  ``identify``: see :func:`~pubsite.matching.entry_identities`;
    ``identities``: each entry's, when the caller has them already (a render
    computes them where it builds the entries).
    """
    pubs = [pub for _, pub in built]
    if identities is None:
        for entry, pub in built:
            names = entry.get("author")
            if names:  # then build() parsed exactly this field (else perhaps the editors)
                remember_families(names, pub.authors)
        identities = entry_identities([entry for entry, _ in built], identify)
    pairs = find_duplicates(identities)
    into: dict[int, list[int]] = {}  # preprint index -> indexes of the versions shown instead
    if merge_preprints:
        for i, j, _ in pairs:
            for pre, kept in ((i, j), (j, i)):
                if (pubs[pre].status == "preprint" and pubs[kept].status in _PUBLISHED
                        and authors_compatible(identities[pre], identities[kept])):
                    into.setdefault(pre, []).append(kept)
    shown = list(pubs)
    for pre, targets in sorted(into.items()):
        preprint = pubs[pre]
        for kept in targets:
            links = shown[kept].links
            if preprint.links.arxiv:
                links = with_arxiv(links, preprint.links.arxiv)
            shown[kept] = replace(shown[kept], links=links, selected=shown[kept].selected or preprint.selected)

    problems = []
    for i, j, reason in pairs:
        first, second = pubs[i], pubs[j]
        message = f"entry '{second.key}': same paper as '{first.key}' at {first.path}:{first.line} ({reason})"
        for pre, kept in ((i, j), (j, i)):
            if kept in into.get(pre, ()):
                message += f"; the preprint '{pubs[pre].key}' is shown as the arXiv link of '{pubs[kept].key}'"
        problems.append(Problem(second.path, second.line, "warning", "PS207", message))
    return [pub for index, pub in enumerate(shown) if index not in into], problems
