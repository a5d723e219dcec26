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

#: The part of that file the child reads and may build, in characters.  It reads its part while
#: this process reads the whole file (it needs every entry), builds it from the front, and this
#: process, once done with the rest, builds it from the back until the two meet (see
#: :class:`pubsite.parallel.Claims`).  On large.bib on a 2-core Linux VM, at 0.55 the child ran
#: out of entries 50-100 ms before this process was done; at 0.6 this process took the last 400
#: to 1,200 of the child's 8,400 entries, and cold renders took the same time (alternating
#: medians of 13).  The larger part leaves the child work when this process is the slow one.
EARLY_SHARE = 0.6

#: Entries the early child hands over at a time, and how often this process looks for them
#: (see :class:`pubsite.parallel.Batches`).
BATCH = 256


def build_all(config: Config, progress: Progress | None, cache: RenderCache | None, identify: bool,
              ) -> tuple[list[tuple[RawEntry, Publication | None]], list[Problem], list[Identity | None]]:
    """:func:`~pubsite.site.build_entries`, plus (with ``identify``) each built entry's identity.

    Identities are computed on the core that built the entry, from the
    authors it parsed; crossref parents are every entry of the files, as
    ``check`` has them.

    On two cores, a large first file's first part is read and built by a
    child forked as soon as the file is read, while this process reads the
    whole bibliography (it needs every entry) and then builds the rest, and
    then the child's part from its far end until it meets the child:
    reading in the child only costs its own core, where a child forked after
    reading could only share the building.  The text up to a block bound reads
    as the same entries as the whole file (see
    :func:`pubsite.splitter.bounds_from`); the child leaves out entries with a
    crossref (resolved against the whole file), hands over what it built a
    batch at a time, taken in here while this process builds, and all of it
    is matched back by position, line, key and length, or built here again.
    Otherwise the entries are built by :func:`pubsite.parallel.split_map`.
    """
    from . import bib
    from .cache import identity_key
    from .matching import Identity, identity, own_fields, remember_families
    from .names import Owners
    from .packing import pack, unpack
    from .parallel import Batches, Claims, Forked, fork_work, split_map
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
    claims: Claims | None = None
    batches: Batches | None = None

    def start_early(path: str, text: str) -> None:
        nonlocal early, early_path, early_line, claims, batches
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
            # Held by the closure until the child exits: freed entry by entry as this returned, the
            # part kept this process waiting 9 ms for the child's last word at the end of the build.
            held.append(part)
            out = []
            position = 0
            for index, entry in enumerate(part):
                if entry.line >= line:
                    break
                if entry.get("crossref") is not None:
                    continue
                if not shared.take_front(position):
                    break  # this process has built the rest
                position += 1
                built = build_one(entry)
                out.append((index, entry.line, entry.key, len(entry.raw)) + send(built))
                if len(out) == BATCH:
                    sent.put(out)
                    out = []
            sent.put(out)
            return []  # all handed over: the empty list says the child is done and well

        held: list[object] = []
        shared, sent = Claims(), Batches()
        early = fork_work(work)
        if early is None:  # no second core to use (or no fork): split_map decides, as for a small file
            shared.close()
            sent.close()
            return
        early_path, early_line, claims, batches = path, line, shared, sent

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
            assert claims is not None and batches is not None
            # The child's part: the first file's entries above its bound, but those with a crossref.
            theirs = set()
            for index in missing:
                entry = entries[index]
                if entry.path != early_path or entry.line >= early_line:
                    break
                if entry.get("crossref") is None:
                    theirs.add(index)
            from_child: dict[int, Built] = {}
            believed = True

            def take_in() -> None:
                """The child's results handed over so far, made publications again here."""
                nonlocal believed
                for index, line, key, size, *sent in batches.take():  # type: ignore[union-attr]
                    entry = entries[index] if index in theirs else None
                    if entry is None or entry.line != line or entry.key != key or len(entry.raw) != size:
                        believed = False  # it read otherwise than this process: none of it is used
                    if believed:
                        built = receive(sent)
                        if built[2] is not None:
                            built = (unpack(built[2], entry.fields),) + built[1:]  # type: ignore[union-attr]
                        from_child[index] = built

            mine = [index for index in missing if index not in theirs]
            for count, index in enumerate(mine, 1):
                built_missing[index] = build_one(entries[index])
                if count % BATCH == 0:
                    take_in()
                report(count, len(mine))
            # Then the child's part from its far end, until this process meets the child (see Claims).
            order = sorted(theirs)
            for position in range(len(order) - 1, -1, -1):
                if not claims.take_back(position):
                    break
                built_missing[order[position]] = build_one(entries[order[position]])
                if position % BATCH == 0:
                    take_in()
                report(len(mine) + len(order) - position, len(mine))
            finished, early = early.result(), None
            if finished is not None:
                take_in()  # the last batches
            if finished is not None and believed:  # (take_in may have found it read otherwise)
                for index, result in from_child.items():
                    if index not in built_missing:  # both may take the entry where they met
                        built_missing[index] = result
            for index in order:  # what neither took; all the child's part if it failed or read otherwise
                if index not in built_missing:
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
        if claims is not None and batches is not None:
            claims.close()
            batches.close()
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
