"""Building every entry of a bibliography: from the render cache, or on two cores.

Each entry the cache does not know is built (and, for a render, identified
for duplicate detection) by :func:`pubsite.publications.build`; some of them
in a forked child when there are many (see :mod:`pubsite.parallel`), whose
results come back packed (see :mod:`pubsite.packing`).  The model built is
the same whichever way it was made.
"""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .config import Config
from .errors import Problem

if TYPE_CHECKING:
    from .bib import RawEntry
    from .cache import RenderCache
    from .matching import Identity
    from .model import Publication
    from .packing import Packed

    #: An entry built: the publication (None: nothing to show), its problems, its packed form,
    #: and its identity for duplicate detection with the identity's key in the cache.
    Built = tuple[Publication | None, list[Problem], Packed | None, Identity | None, bytes | None]

#: ``progress(done, total)``: see :func:`pubsite.site.build_entries`.
Progress = Callable[[int, int], None]


#: A first bib file this large (about 1,000 entries) has its first part read and built by a child
#: forked as soon as the file is read (see :func:`build_all`).
EARLY_BYTES = 300_000

#: The part of that file the child reads and builds, in characters.  It reads its part while this
#: process reads the whole file (it needs every entry), so its share of the building is what
#: balances the two: timed on large.bib on a 2-core Linux VM (medians of 3 alternating runs,
#: building done at 1.074 s, 1.078 s and 1.137 s for 0.5, 0.55 and 0.45, and 1.119 s when the
#: child is forked once the whole file is read), 0.55 left this process waiting least.
EARLY_SHARE = 0.55


def build_all(config: Config, progress: Progress | None, cache: RenderCache | None, identify: bool,
              ) -> tuple[list[tuple[RawEntry, Publication | None]], list[Problem], list[Identity | None]]:
    """:func:`~pubsite.site.build_entries`, plus (with ``identify``) each built entry's identity.

    Identities are computed on the core that built the entry, from the
    authors it parsed; crossref parents are every entry of the files, as
    ``check`` has them.

    On two cores, a large first file's first part is read and built by a
    child forked as soon as the file is read, while this process reads the
    whole bibliography (it needs every entry) and then builds the rest:
    reading in the child only costs its own core, where a child forked after
    reading could only share the building.  The text up to a block bound reads
    as the same entries as the whole file (see
    :func:`pubsite.splitter.bounds_from`); the child leaves out entries with a
    crossref (resolved against the whole file), and what it sends is matched
    back by position, line, key and length, or built here again.  Otherwise
    the entries are built by :func:`pubsite.parallel.split_map`.
    """
    from . import bib
    from .cache import identity_key
    from .matching import Identity, identity, own_fields, remember_families
    from .names import Owners
    from .packing import pack, unpack
    from .parallel import Forked, fork_work, split_map
    from .publications import build
    from .splitter import bounds_from, line_of

    owners = Owners.from_names(config.owner)
    options = {"aliases": config.venue_aliases, "venue_names": config.venue_names,
               "file_base": config.file_base, "marks": config.marks,
               "preview_base": config.preview_base}
    store = None
    if cache is not None:
        from .cache import settings_digest

        # Everything build() is given is part of the store's key.
        store = cache.entries(settings_digest(owners, sorted(options.items())))
    keep = store is not None
    parents: dict[str, RawEntry] = {}  # every entry by key, once read (the child needs none: see above)
    parent = os.getpid()

    def build_one(entry: RawEntry) -> Built:
        """The entry built, its identity and (only in a child) its packed form, to cross."""
        pub, entry_problems = build(entry, owners, **options)
        ident = id_key = None
        if identify and pub is not None:
            names = entry.get("author")
            if names:  # then build() parsed exactly this field (else perhaps the editors)
                remember_families(names, pub.authors)
            own = own_fields(entry, parents)
            ident = identity(own)
            # Kept with the entry unless a crossref makes it depend on another (see EntryStore).
            id_key = identity_key(own) if keep and entry.get("crossref") is not None else None
        # Packed only to cross to the parent: the cache packs what it keeps when it is written.
        child = os.getpid() != parent
        return pub, entry_problems, pack(pub) if pub is not None and child else None, ident, id_key

    early: Forked | None = None
    early_path, early_line = "", 0

    def start_early(path: str, text: str) -> None:
        nonlocal early, early_path, early_line
        if len(text) < EARLY_BYTES or store is not None and store.old:
            return  # small, or most entries will come from the store: split_map splits what is left
        # The child reads up to a few bounds past its part: only the last chunk read may read
        # otherwise than in the whole text, and it builds nothing from there.
        bounds = bounds_from(text, int(len(text) * EARLY_SHARE), 3)
        if len(bounds) < 3:
            return
        line = line_of(text, bounds[0]) + 1  # the line its entries have (not every newline counts)

        def work() -> list[tuple[Any, ...]]:
            part, _ = bib.parse_text(text[:bounds[-1]], path)
            out = []
            for index, entry in enumerate(part):
                if entry.line >= line:
                    break
                if entry.get("crossref") is not None:
                    continue
                built = build_one(entry)
                out.append((index, entry.line, entry.key, len(entry.raw)) + send(built))
            return out

        early = fork_work(work)
        early_path, early_line = path, line

    def send(result: Built) -> tuple[Any, ...]:
        ident = result[3]
        return result[2], result[1], ident.values() if ident else None, result[4]

    def receive(sent: Sequence[Any]) -> Built:
        packed, entry_problems, ident, id_key = sent
        return None, entry_problems, packed, Identity(*ident) if ident else None, id_key  # unpacked below

    try:
        entries, problems = bib.load(config.bib, first_read=start_early)
        gc.freeze()
        if identify:
            parents.update((entry.key.lower(), entry) for entry in entries)
        results: list[tuple[Publication | None, list[Problem]] | None] = [None] * len(entries)
        identities: list[Identity | None] = [None] * len(entries)
        missing: list[int] = []
        for index, entry in enumerate(entries):
            found = store.lookup(entry) if store is not None else None
            if found is None:
                missing.append(index)
                continue
            results[index] = found[:2]
            if identify and found[0] is not None:
                identities[index] = found[2] or store.identify(own_fields(entry, parents))  # type: ignore[union-attr]
        done = len(entries) - len(missing)

        def report(count: int, of: int) -> None:
            """Progress after ``count`` of this process's ``of`` entries: another process's part
            goes at about the same pace."""
            if progress is not None and os.getpid() == parent:
                progress(min(len(entries), done + count * len(missing) // of), len(entries))

        built_missing: dict[int, Built] = {}
        if early is not None:
            # The child's part: the first file's entries above its bound, but those with a crossref.
            theirs = set()
            for index in missing:
                entry = entries[index]
                if entry.path != early_path or entry.line >= early_line:
                    break
                if entry.get("crossref") is None:
                    theirs.add(index)
            mine = [index for index in missing if index not in theirs]
            for count, index in enumerate(mine, 1):
                built_missing[index] = build_one(entries[index])
                report(count, len(mine))
            sent, early = early.result(), None
            if sent is not None and {item[0] for item in sent} == theirs and all(
                    entries[index].line == line and entries[index].key == key and len(entries[index].raw) == size
                    for index, line, key, size, *_ in sent):
                for index, _, _, _, *result in sent:
                    built_missing[index] = receive(result)
            else:  # the child failed, or read otherwise than this process: its part is built here
                for index in sorted(theirs):
                    built_missing[index] = build_one(entries[index])
        else:
            def build_some(chunk: Sequence[int]) -> list[Built]:
                out: list[Built] = []
                for index in chunk:
                    out.append(build_one(entries[index]))
                    report(len(out), len(chunk))
                return out

            built_missing = dict(zip(missing, split_map(build_some, missing, send, receive)))
    finally:
        if early is not None:  # an error before its result was taken
            early.cancel()
    gc.freeze()
    made = [built_missing[index] for index in missing]
    if store is not None:
        store.remember([entries[index] for index in missing], made)
    for index, (pub, entry_problems, packed, ident, _) in zip(missing, made):
        if pub is None and packed is not None:  # built by the child: the entry here has the fields
            pub = unpack(packed, entries[index].fields)
        results[index] = (pub, entry_problems)
        identities[index] = ident
    built: list[tuple[RawEntry, Publication | None]] = []
    for entry, result in zip(entries, results):
        assert result is not None
        built.append((entry, result[0]))
        problems.extend(result[1])
    if progress is not None:
        progress(len(entries), len(entries))
    return built, problems, identities
