"""CPU cost of building every entry of a bibliography, as a cold render builds them.

Usage::

    python benchmarks/build_entries.py [--corpus PATH] [--profile]
    python benchmarks/build_entries.py --against OTHER_CHECKOUT [--rounds N]

The first form loads the corpus (``large.bib`` from the shared corpora
folder by default) with :func:`pubsite.bib.load` and then, in one process,
builds each entry and computes its identity for duplicate detection exactly
as :func:`pubsite.building.build_all` does on one core (no render cache), and
prints the cost per entry in microseconds.  Memo caches start empty, as in a
cold render, so each measurement is one pass in a fresh process.

The second form compares two checkouts on the same machine: it runs the
first form alternately with this checkout's ``pubsite`` and the other one's,
``--rounds`` times each, and prints the medians and their ratio.  Alternating
keeps a busy machine from favouring one side.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perentry import REPO, main  # noqa: E402


def prepare(corpus: str) -> Callable[[], int]:
    """Building and identifying every entry of ``corpus`` once, as a render does on one core."""
    from pubsite import bib
    from pubsite.config import load_config
    from pubsite.matching import identity, own_fields, remember_families
    from pubsite.names import Owners
    from pubsite.publications import build

    config = load_config(cwd=str(REPO))
    entries, _ = bib.load([corpus])
    gc.freeze()
    owners = Owners.from_names(config.owner)
    options = {"aliases": config.venue_aliases, "venue_names": config.venue_names,
               "file_base": config.file_base, "marks": config.marks,
               "preview_base": config.preview_base}
    parents = {entry.key.lower(): entry for entry in entries}

    def build_every() -> int:
        for entry in entries:
            pub, _problems = build(entry, owners, **options)
            if pub is not None:
                names = entry.get("author")
                if names:
                    remember_families(names, pub.authors)
                identity(own_fields(entry, parents))
        return len(entries)

    return build_every


if __name__ == "__main__":
    main(__doc__, __file__, prepare)
