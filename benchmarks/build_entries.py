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

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "large.bib"


def measure(corpus: str, profile: bool) -> float:
    """Microseconds per entry to build and identify every entry of ``corpus`` once."""
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

    def build_every() -> None:
        for entry in entries:
            pub, _problems = build(entry, owners, **options)
            if pub is not None:
                names = entry.get("author")
                if names:
                    remember_families(names, pub.authors)
                identity(own_fields(entry, parents))

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(build_every)
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(int(os.environ.get("ROWS", "40")))
        return 0.0
    start = time.process_time()
    build_every()
    return (time.process_time() - start) / len(entries) * 1e6


def _run(root: Path, corpus: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, __file__, "--corpus", corpus], env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(out.split()[0])


def compare(other: Path, corpus: str, rounds: int) -> None:
    """Alternate fresh processes of the other checkout and this one; print medians and their ratio."""
    times: dict[str, list[float]] = {"other": [], "this": []}
    for _ in range(rounds):
        times["other"].append(_run(other, corpus))
        times["this"].append(_run(REPO, corpus))
    before, after = statistics.median(times["other"]), statistics.median(times["this"])
    print(f"other: {before:.1f} us/entry  {times['other']}")
    print(f"this:  {after:.1f} us/entry  {times['this']}")
    print(f"ratio this/other: {after / before:.3f}  (other is {before / after:.2f}x this)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one pass")
    args = parser.parse_args()
    if args.against:
        compare(args.against.resolve(), args.corpus, args.rounds)
    elif args.profile:
        measure(args.corpus, profile=True)
    else:
        print(f"{measure(args.corpus, profile=False):.1f} us/entry (CPU)")


if __name__ == "__main__":
    main()
