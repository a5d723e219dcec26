"""When two BibTeX entries are the same paper.

Used by ``check`` (duplicate papers), by ``render`` (a preprint shown once,
under its published version) and by ``import`` (an export merged into the
site's bib).  Order of evidence: same DOI, same arXiv id, then the same
normalised title with compatible authors and years at most one apart.  The
author condition is what keeps a workshop paper and its journal extension by
other people, or a thesis chapter, apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Mapping, Sequence

from .bib import RawEntry
from .latex import decode
from .links import find_arxiv, normalize_doi
from .model import Author
from .names import Owners, fold, parse_authors

_NO_OWNER = Owners()
_TITLE_NOISE = re.compile(r"[^\w]+")
_YEAR = re.compile(r"\d{4}")
#: rapidfuzz ratio (0-100) above which two normalised titles are one title.
TITLE_THRESHOLD = 94.0


@lru_cache(maxsize=65536)  # check, render and import each identify the same entries
def normalize_title(title: str) -> str:
    """Case, accents, braces, LaTeX and punctuation folded: Scholar's lowercasing is absorbed."""
    text = decode(title)
    folded = fold(text)
    if text.isascii():  # folding left only ASCII letters, digits and single spaces: nothing more to do
        return folded
    return " ".join(_TITLE_NOISE.sub(" ", folded).split())


#: Folded family names by raw author field: see :func:`remember_families`.
_FAMILIES: dict[str, tuple[str, ...]] = {}
_FAMILIES_LIMIT = 1 << 16


def remember_families(names: str, authors: Iterable[Author]) -> tuple[str, ...]:
    """The folded family names of ``authors``, parsed from the raw field ``names``, kept for :func:`identity`.

    A render has parsed every author field once already, to build its
    publications; handing those authors over here spares identifying an
    entry a second parse.  Family names do not depend on the site owner or
    on ``equal`` marks, so the publication's authors serve as well as
    :func:`~pubsite.names.parse_authors` with no owner.
    """
    if len(_FAMILIES) >= _FAMILIES_LIMIT:  # a long-lived process must not grow without bound
        _FAMILIES.clear()
    families = _FAMILIES[names] = tuple(fold(a.family).replace(" ", "") for a in authors if a.family)
    return families


def _families(names: str) -> tuple[str, ...]:
    known = _FAMILIES.get(names)
    if known is not None:
        return known
    return remember_families(names, parse_authors(names, _NO_OWNER)[0])


@dataclass(frozen=True, slots=True)
class Identity:
    """What identifies a paper, computed once per entry.

    Slotted: finding the duplicates of a large bibliography reads every
    identity's fields, and without an instance dict each read is one
    pointer less to chase (the first pass over them cost half as much again).
    """

    doi: str | None
    arxiv: str | None
    title: str
    families: tuple[str, ...]
    year: int | None

    @property
    def first_family(self) -> str:
        return self.families[0] if self.families else ""

    def values(self) -> tuple[str | None, str | None, str, tuple[str, ...], int | None]:
        """The fields in order, as a record or a message to another process carries them."""
        return self.doi, self.arxiv, self.title, self.families, self.year


def identity(fields: Mapping[str, str]) -> Identity:
    """The identity of an entry from its (macro-expanded, raw LaTeX) fields."""
    doi = normalize_doi(fields["doi"]) if fields.get("doi") else None
    if doi and doi.lower().startswith("10.48550/arxiv."):
        # DBLP's arXiv DOIs name the preprint, not a separate publication.
        arxiv = doi[len("10.48550/arxiv."):]
        doi = None
    else:
        arxiv = find_arxiv(fields)
    year_match = _YEAR.search(fields.get("year") or fields.get("date") or "")
    return Identity(
        doi=doi.lower() if doi else None,
        arxiv=arxiv,
        title=normalize_title(fields.get("title") or ""),
        families=_families(fields.get("author") or fields.get("editor") or ""),
        year=int(year_match.group(0)) if year_match else None,
    )


#: Fields crossref may copy from a parent that identify the parent, not the child.
_IDENTITY_KEEP = frozenset({"title", "author", "editor", "year", "date"})


def own_fields(entry: RawEntry, parents: Mapping[str, RawEntry]) -> dict[str, str]:
    """The entry's fields without the DOI, URL... it only inherited through ``crossref``.

    Every paper of a proceedings volume would otherwise share the volume's DOI.
    ``parents`` maps lower-cased keys to entries.
    """
    fields = entry.field_dict
    ref = entry.get("crossref")
    parent = parents.get(ref.strip().lower()) if ref else None
    if parent is None:
        return fields
    inherited = set(parent.fields)
    return {k: v for k, v in fields.items() if k in _IDENTITY_KEEP or (k, v) not in inherited}


def entry_identities(entries: Sequence[RawEntry],
                     identify: Callable[[Mapping[str, str]], Identity] | None = None) -> list[Identity]:
    """The identity of each entry of a bibliography, crossref-inherited identifiers left out.

    ``identify`` stands in for :func:`identity` (the render cache passes a
    memoised one, so an unchanged entry is not decoded again).
    """
    parents = {e.key.lower(): e for e in entries}
    make = identify or identity
    return [make(own_fields(e, parents)) for e in entries]


def titles_match(a: str, b: str) -> bool:
    """Two normalised titles are one title (exact, or within a typo or two)."""
    if not a or not b:
        return False
    if a == b:
        return True
    if abs(len(a) - len(b)) > max(len(a), len(b)) * 0.1:
        return False
    return _ratio()(a, b) >= TITLE_THRESHOLD


@lru_cache(maxsize=1)
def _ratio() -> Callable[[str, str], float]:
    """rapidfuzz's ratio, imported on first use (a render of a bibliography with no near-identical
    titles never needs it); an import statement per comparison was a tenth of the pairs' checks."""
    from rapidfuzz import fuzz

    return fuzz.ratio


def authors_compatible(a: Identity, b: Identity) -> bool:
    """Same first author, or most of the smaller author list shared.

    An empty list on either side is compatible: Scholar exports sometimes
    lack authors, and the title has already matched.
    """
    if not a.families or not b.families:
        return True
    if a.first_family == b.first_family:
        return True
    shared = len(set(a.families) & set(b.families))
    return shared * 2 >= min(len(a.families), len(b.families)) and shared >= 1


def same_paper(a: Identity, b: Identity) -> str | None:
    """Why ``a`` and ``b`` are the same paper ("same DOI"...), or None."""
    if a.doi and b.doi:
        if a.doi == b.doi:
            return "same DOI"
    if a.arxiv and b.arxiv and a.arxiv == b.arxiv:
        return "same arXiv id"
    if not titles_match(a.title, b.title):
        return None
    if a.year is not None and b.year is not None and abs(a.year - b.year) > 1:
        return None
    if a.doi and b.doi:
        # Two different DOIs and the same title: a conference paper and its
        # journal version, which are distinct publications.
        return None
    if not authors_compatible(a, b):
        return None
    return "same title"


def _bucket_keys(item: Identity) -> list[tuple[str, str]]:
    """Index keys under which a possible duplicate of ``item`` must also be filed."""
    keys: list[tuple[str, str]] = []
    if item.doi:
        keys.append(("doi", item.doi))
    if item.arxiv:
        keys.append(("arxiv", item.arxiv))
    if item.title:
        head, tail = _title_keys(item.title)
        keys.append(("head", head))
        keys.append(("tail", tail))
    return keys


def _title_keys(title: str) -> tuple[str, str]:
    """A title's first and last four words: two titles that are the same paper share one of them."""
    words = title.split()
    return " ".join(words[:4]), " ".join(words[-4:])


def find_duplicates(items: Sequence[Identity]) -> list[tuple[int, int, str]]:
    """Pairs ``(i, j, reason)`` with ``i < j`` of items that are the same paper.

    Candidates are found through indexes (DOI, arXiv id, title words: the
    keys of :func:`_bucket_keys`), so a 15,000-entry bibliography is not
    compared pair by pair.  Each kind of key has its own index of the first
    item filed under each key, and a list of items is made only for a key
    given twice: nearly every key of a large bibliography is given once, and
    a list and a tuple key for each was a fifth of the time.
    """
    firsts: tuple[dict[str, int], ...] = ({}, {}, {}, {})  # DOI, arXiv id, first and last title words
    doi_first, arxiv_first, head_first, tail_first = firsts
    shared: dict[tuple[int, str], list[int]] = {}

    def file_again(kind: int, key: str, index: int) -> None:
        members = shared.get((kind, key))
        if members is None:
            shared[(kind, key)] = [firsts[kind][key], index]
        else:
            members.append(index)

    for index, item in enumerate(items):
        if item.doi and doi_first.setdefault(item.doi, index) != index:
            file_again(0, item.doi, index)
        if item.arxiv and arxiv_first.setdefault(item.arxiv, index) != index:
            file_again(1, item.arxiv, index)
        if item.title:
            head, tail = _title_keys(item.title)
            if head_first.setdefault(head, index) != index:
                file_again(2, head, index)
            if tail_first.setdefault(tail, index) != index:
                file_again(3, tail, index)
    pairs: dict[tuple[int, int], str] = {}
    for members in shared.values():
        if len(members) > 200:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if (i, j) in pairs:
                    continue
                reason = same_paper(items[i], items[j])
                if reason:
                    pairs[(i, j)] = reason
    return sorted((i, j, reason) for (i, j), reason in pairs.items())


#: Strength of each kind of evidence, strongest first (the order the import issue asks for).
EVIDENCE_RANK = {"same DOI": 0, "same arXiv id": 1, "same title": 2}


class PaperIndex:
    """Which of many entries a new one is, preferring DOI, then arXiv id, then title.

    Only entries sharing a DOI, an arXiv id or title words are compared, so
    importing into a 15,000-entry file stays fast.  Entries can be re-filed
    after an edit (a preprint that gained a DOI); stale index keys are
    harmless because every candidate is checked against its current identity.
    """

    def __init__(self) -> None:
        self._items: list[Identity] = []
        self._buckets: dict[tuple[str, str], list[int]] = {}

    def _file(self, index: int, item: Identity) -> None:
        for key in _bucket_keys(item):
            members = self._buckets.setdefault(key, [])
            if index not in members:
                members.append(index)

    def add(self, item: Identity) -> int:
        self._items.append(item)
        self._file(len(self._items) - 1, item)
        return len(self._items) - 1

    def update(self, index: int, item: Identity) -> None:
        self._items[index] = item
        self._file(index, item)

    def find(self, item: Identity) -> tuple[int, str] | None:
        """``(index, reason)`` of the entry ``item`` is, by the strongest evidence; None if new."""
        ids: set[int] = set()
        for kind, value in (("doi", item.doi), ("arxiv", item.arxiv)):
            if value:
                ids.update(self._buckets.get((kind, value), ()))
        titled = {i for key in _bucket_keys(item) if key[0] in ("head", "tail")
                  for i in self._buckets.get(key, ())} - ids
        if titled:
            # Titles sharing four words can be many (a common ending); rapidfuzz keeps only
            # the near-identical ones, in C, before the full check.
            from rapidfuzz import fuzz, process

            choices = {i: self._items[i].title for i in titled}
            ids.update(hit[2] for hit in process.extract(item.title, choices, scorer=fuzz.ratio,
                                                         score_cutoff=TITLE_THRESHOLD, limit=None))
        best: tuple[int, str] | None = None
        for index in sorted(ids):
            reason = same_paper(item, self._items[index])
            if reason and (best is None or EVIDENCE_RANK[reason] < EVIDENCE_RANK[best[1]]):
                best = (index, reason)
        return best


def best_match(candidate: Identity, pool: Iterable[tuple[str, Identity]]) -> tuple[str, str] | None:
    """The first entry of ``pool`` (key, identity) that is the same paper, with the reason."""
    for key, other in pool:
        reason = same_paper(candidate, other)
        if reason:
            return key, reason
    return None
