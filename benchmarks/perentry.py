"""What the per-stage benchmarks share: one timed pass, its profile, and checkouts compared.

Each of ``build_entries.py``, ``format_entries.py`` and ``load_entries.py``
gives a function that prepares its stage's work over a corpus and returns a
pass of that work, which returns how many entries it did; this module times it (CPU time of the first pass,
memo caches cold as in a render), profiles it, or runs the script
alternately with another checkout's ``pubsite`` and prints the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "large.bib"

#: ``prepare(corpus)`` does what is not timed and returns the timed pass, which returns its entry count.
Prepare = Callable[[str], Callable[[], int]]


def measure(prepare: Prepare, corpus: str, profile: bool, sort: str) -> tuple[float, float]:
    """(microseconds of CPU per entry, seconds) of one pass; with ``profile``, its cProfile instead."""
    work = prepare(corpus)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(work)
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", sort)).print_stats(int(os.environ.get("ROWS", "40")))
        return 0.0, 0.0
    start = time.process_time()
    count = work()
    seconds = time.process_time() - start
    return seconds / count * 1e6, seconds


def _run(script: str, root: Path, corpus: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, script, "--corpus", corpus], env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(out.split()[0])


def compare(script: str, other: Path, corpus: str, rounds: int) -> None:
    """Alternate fresh processes of the other checkout and this one; print medians and their ratio."""
    times: dict[str, list[float]] = {"other": [], "this": []}
    for _ in range(rounds):
        times["other"].append(_run(script, other, corpus))
        times["this"].append(_run(script, REPO, corpus))
    before, after = statistics.median(times["other"]), statistics.median(times["this"])
    print(f"other: {before:.1f} us/entry  {times['other']}")
    print(f"this:  {after:.1f} us/entry  {times['this']}")
    print(f"ratio this/other: {after / before:.3f}  (other is {before / after:.2f}x this)")


def main(doc: str, script: str, prepare: Prepare, sort: str = "cumulative", seconds: bool = False) -> None:
    """The command line every per-stage benchmark has (see its docstring)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one pass")
    args = parser.parse_args()
    if args.against:
        compare(script, args.against.resolve(), args.corpus, args.rounds)
    elif args.profile:
        measure(prepare, args.corpus, True, sort)
    else:
        per_entry, total = measure(prepare, args.corpus, False, sort)
        print(f"{per_entry:.1f} us/entry (CPU)" + (f", {total:.3f} s" if seconds else ""))
