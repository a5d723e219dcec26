"""CPU cost of loading a bibliography, the one serial stage of a render.

Usage::

    python benchmarks/load_entries.py [--corpus PATH] [--profile]
    python benchmarks/load_entries.py --against OTHER_CHECKOUT [--rounds N]

The first form times :func:`pubsite.bib.load` on the corpus (``large.bib``
from the shared corpora folder by default) once, in this process, and prints
the cost per entry in microseconds and the total in seconds.  Memo caches start
empty, as in a cold render, so each measurement is one pass in a fresh process.

The second form compares two checkouts on the same machine: it runs the
first form alternately with the other checkout's ``pubsite`` and this one's,
``--rounds`` times each, and prints the medians and their ratio.  Alternating
keeps a busy machine from favouring one side.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perentry import main  # noqa: E402


def prepare(corpus: str) -> Callable[[], int]:
    """Loading ``corpus`` once."""
    from pubsite import bib

    return lambda: len(bib.load([corpus])[0])


if __name__ == "__main__":
    main(__doc__, __file__, prepare, sort="tottime", seconds=True)
