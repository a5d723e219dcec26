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
    """Microseconds per publication to format every publication of ``corpus`` once."""
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

    def format_every() -> None:
        for pub in pubs:
            _ld_line(pub, base)
            entry(pub)

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(format_every)
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ.get("ROWS", "40")))
        return 0.0
    start = time.process_time()
    format_every()
    return (time.process_time() - start) / len(pubs) * 1e6


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
