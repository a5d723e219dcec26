"""Display order of publications: a total, stable order so output is byte-identical.

Year descending, then month descending (unknown month after known months of
the same year), then venue, then title, then key as the final tie-break.
Entries with a non-numeric year ("forthcoming") come first, as upcoming work;
entries with no year at all come last.
"""

from __future__ import annotations

from typing import Iterable

from .model import Publication

GROUP_TYPES: dict[str, tuple[str, ...]] = {
    "Journal articles": ("article",),
    "Conference papers": ("inproceedings", "conference", "incollection", "inbook"),
    "Preprints": (),
    "Theses": ("phdthesis", "mastersthesis", "thesis"),
    "Other": (),
}


def sort_key(pub: Publication) -> tuple[object, ...]:
    if pub.year is not None:
        band, year = 1, -pub.year
    elif pub.year_text:
        band, year = 0, 0
    else:
        band, year = 2, 0
    month = -(pub.month or 0) if pub.month else 1
    venue = (pub.venue_line or "").casefold()
    return (band, year, month, venue, pub.title.casefold(), pub.key)


def ordered(pubs: Iterable[Publication]) -> list[Publication]:
    """Publications in display order."""
    return sorted(pubs, key=sort_key)


def type_group(pub: Publication) -> str:
    """Section name of an entry when grouping by type (preprints by status, not by type)."""
    if pub.status == "preprint":
        return "Preprints"
    for group, types in GROUP_TYPES.items():
        if pub.type in types:
            return group
    return "Other"


def grouped(pubs: list[Publication], by: str) -> list[tuple[str, list[Publication]]]:
    """Split already ordered publications into headed groups, keeping their order."""
    if by == "none":
        return [("", pubs)]
    groups: dict[str, list[Publication]] = {}
    if by == "year":
        for pub in pubs:
            label = str(pub.year) if pub.year is not None else (pub.year_text or "Undated")
            groups.setdefault(label, []).append(pub)
        return list(groups.items())
    for name in GROUP_TYPES:
        groups[name] = []
    for pub in pubs:
        groups[type_group(pub)].append(pub)
    return [(name, items) for name, items in groups.items() if items]
