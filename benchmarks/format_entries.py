"""CPU cost of formatting every publication for the page, as a cold render formats them.

Usage::

    python benchmarks/format_entries.py [--corpus PATH] [--profile]
    python benchmarks/format_entries.py --against OTHER_CHECKOUT [--rounds N]

The first form builds the site from the corpus (``large.bib`` from the
shared corpora folder by default) once, with no render cache and one core,
and then, in the same process, formats each publication exactly as
:func:`pubsite.render._ahead` does: the entry's ``<li>`` from the default
macro's Python twin and its JSON-LD line.  It prints the cost per entry in
microseconds.  Formatting's memo caches start empty, as in a cold render: the
timed pass is the first one in the process.

The second form compares two checkouts on the same machine: it runs the
first form alternately with the other checkout's ``pubsite`` and this one's,
``--rounds`` times each, and prints the medians and their ratio.  Alternating
keeps a busy machine from favouring one side.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perentry import REPO, main  # noqa: E402


def prepare(corpus: str) -> Callable[[], int]:
    """Formatting every publication of ``corpus`` once, as a render does on one core."""
    os.environ["PUBSITE_JOBS"] = "1"
    from dataclasses import replace

    from pubsite.config import load_config
    from pubsite.entryhtml import entry_formatter
    from pubsite.render import _ld_line
    from pubsite.site import build_site

    config = replace(load_config(cwd=str(REPO)), bib=(corpus,), cache_dir=None)
    site, _ = build_site(config)
    pubs = site.publications
    gc.collect()
    gc.freeze()
    entry = entry_formatter(config)
    base = config.site_url

    def format_every() -> int:
        for pub in pubs:
            _ld_line(pub, base)
            entry(pub)
        return len(pubs)

    return format_every


if __name__ == "__main__":
    main(__doc__, __file__, prepare, sort="tottime")
