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


def build_all(config: Config, progress: Progress | None, cache: RenderCache | None, identify: bool,
              ) -> tuple[list[tuple[RawEntry, Publication | None]], list[Problem], list[Identity | None]]:
    """:func:`~pubsite.site.build_entries`, plus (with ``identify``) each built entry's identity.

    Identities are computed on the core that built the entry, from the
    authors it parsed; crossref parents are every entry of the files, as
    ``check`` has them.
    """
    from . import bib
    from .cache import identity_key
    from .matching import Identity, identity, own_fields, remember_families
    from .names import Owners
    from .packing import pack, unpack
    from .parallel import split_map
    from .publications import build

    entries, problems = bib.load(config.bib)
    gc.freeze()
    owners = Owners.from_names(config.owner)
    options = {"aliases": config.venue_aliases, "venue_names": config.venue_names,
               "file_base": config.file_base, "marks": config.marks,
               "preview_base": config.preview_base}
    store = None
    if cache is not None:
        from .cache import settings_digest

        # Everything build() is given is part of the store's key.
        store = cache.entries(settings_digest(owners, sorted(options.items())))
    parents = {entry.key.lower(): entry for entry in entries} if identify else {}
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
    parent = os.getpid()
    done = len(entries) - len(missing)
    keep = store is not None

    def build_some(chunk: Sequence[RawEntry]) -> list[Built]:
        out: list[Built] = []
        child = os.getpid() != parent
        for entry in chunk:
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
            out.append((pub, entry_problems, pack(pub) if pub is not None and child else None,
                        ident, id_key))
            if progress is not None and not child:  # the child's part goes at about the same pace
                progress(min(len(entries), done + len(out) * len(missing) // len(chunk)), len(entries))
        return out

    def send(result: Built) -> tuple[Any, ...]:
        ident = result[3]
        return result[2], result[1], ident.values() if ident else None, result[4]

    def receive(sent: tuple[Any, ...]) -> Built:
        packed, entry_problems, ident, id_key = sent
        return None, entry_problems, packed, Identity(*ident) if ident else None, id_key  # unpacked below

    chunk = [entries[i] for i in missing]
    built_missing = split_map(build_some, chunk, send, receive)
    gc.freeze()
    if store is not None:
        store.remember(chunk, built_missing)
    for index, (pub, entry_problems, packed, ident, _) in zip(missing, built_missing):
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
