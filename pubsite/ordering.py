"""Display order of publications: a total, stable order so output is byte-identical.

Year descending, then month descending (unknown month after known months of
the same year), then the configured venue rank (``venue_rank``: ranked venues
first, in the order given), then venue, then title, then key as the final
tie-break.
Entries with a non-numeric year ("forthcoming") come first, as upcoming work;
entries with no year at all come last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

if TYPE_CHECKING:  # annotations only: config imports this module, a cached render needs no model
    from .model import Publication

#: Kinds of publication for sections and filters, in the default section order.
TYPE_TITLES: dict[str, str] = {
    "journal": "Journal articles",
    "conference": "Conference papers",
    "preprint": "Preprints",
    "thesis": "Theses",
    "other": "Other",
}
TYPE_KEYS: tuple[str, ...] = tuple(TYPE_TITLES)
_ENTRY_TYPES: dict[str, tuple[str, ...]] = {
    "journal": ("article",),
    "conference": ("inproceedings", "conference", "incollection", "inbook"),
    "thesis": ("phdthesis", "mastersthesis", "thesis"),
}


def sort_key(pub: Publication, rank: Mapping[str, int] | None = None) -> tuple[object, ...]:
    """``rank`` maps case-folded short venue names to their place; unranked venues come after."""
    if pub.year is not None:
        band, year = 1, -pub.year
    elif pub.year_text:
        band, year = 0, 0
    else:
        band, year = 2, 0
    month = -(pub.month or 0) if pub.month else 1
    ranked = rank.get((pub.venue_short or "").casefold(), len(rank)) if rank else 0
    venue = (pub.venue_line or "").casefold()
    return (band, year, month, ranked, venue, pub.title.casefold(), pub.key)


def ordered(pubs: Iterable[Publication], venue_rank: Sequence[str] = ()) -> list[Publication]:
    """Publications in display order; ``venue_rank`` lists short venue names, most prominent first."""
    rank: dict[str, int] = {}
    for place, short in enumerate(venue_rank):
        rank.setdefault(short.strip().casefold(), place)
    return sorted(pubs, key=lambda pub: sort_key(pub, rank))


def type_key(pub: Publication) -> str:
    """Kind of an entry (a ``TYPE_KEYS`` member); preprints by status, whatever their entry type."""
    if pub.status == "preprint":
        return "preprint"
    for kind, types in _ENTRY_TYPES.items():
        if pub.type in types:
            return kind
    return "other"


def type_group(pub: Publication) -> str:
    """Section heading of an entry when grouping by type."""
    return TYPE_TITLES[type_key(pub)]


def section_order(order: Iterable[str]) -> tuple[str, ...]:
    """The configured kinds first, in their order; kinds left out follow in the default order.

    Leaving a kind out of ``type_order`` must not make its papers vanish
    (that is what the ``types`` filter is for).
    """
    chosen = tuple(dict.fromkeys(k for k in order if k in TYPE_TITLES))
    return chosen + tuple(k for k in TYPE_KEYS if k not in chosen)


def grouped(pubs: list[Publication], by: str,
            type_order: Iterable[str] = TYPE_KEYS) -> list[tuple[str, list[Publication]]]:
    """Split already ordered publications into headed groups, keeping their order."""
    if by == "none":
        return [("", pubs)]
    groups: dict[str, list[Publication]] = {}
    if by == "year":
        for pub in pubs:
            label = str(pub.year) if pub.year is not None else (pub.year_text or "Undated")
            groups.setdefault(label, []).append(pub)
        return list(groups.items())
    for kind in section_order(type_order):
        groups[kind] = []
    for pub in pubs:
        groups[type_key(pub)].append(pub)
    return [(TYPE_TITLES[kind], items) for kind, items in groups.items() if items]
