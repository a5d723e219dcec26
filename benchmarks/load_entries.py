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

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "large.bib"


def measure(corpus: str, profile: bool) -> tuple[float, float]:
    """(microseconds per entry, seconds) to load ``corpus`` once."""
    from pubsite import bib

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(bib.load, [corpus])
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ.get("ROWS", "40")))
        return 0.0, 0.0
    start = time.process_time()
    entries, _ = bib.load([corpus])
    seconds = time.process_time() - start
    return seconds / len(entries) * 1e6, seconds


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
        per_entry, seconds = measure(args.corpus, profile=False)
        print(f"{per_entry:.1f} us/entry (CPU), {seconds:.3f} s")


if __name__ == "__main__":
    main()
