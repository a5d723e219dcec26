"""How fast is pubsite on real bibliographies, next to the tools people compare it with?

Usage::

    python benchmarks/run.py [--corpus PATH]... [--repeat N]

Without ``--corpus`` it measures ``medium.bib`` and ``large.bib`` from the
shared corpora folder beside the repository.  For each corpus it prints:

- entries rendered / reported (errors, warnings);
- median wall time, peak RSS and CPU time of cold ``pubsite render --format
  page`` (empty cache, ``--no-cache``, and on one core with
  ``PUBSITE_JOBS=1``), warm ``render`` and warm ``render --check`` (nothing
  changed); a cold render finds the compiled templates
  and the venue index that any earlier run left in the user's cache folder,
  as Python finds its ``.pyc`` files, and "cold, 1st run" is one without
  them either;
- the stage breakdown of an uncached render (parse, normalize, render,
  write), and how many entries are built again after one entry is edited;
- the ratios against a bare ``bibtexparser.parse_file`` of the same file run
  in the same way (and bibtex2html on the repaired file, when installed);
- the start-up ratios: ``pubsite --help`` against ``python -c pass``, and a
  render of the medium corpus against importing its four big dependencies.

Every tool runs as a fresh subprocess, so times include interpreter start-up,
as a user or a CI job experiences them; the bare parse and the cold renders
take turns, run after run, so that a noisy machine slows them alike.  Peak RSS and CPU time come
from ``wait4`` (CPU time counts every process a run forked and waited for: what two cores cost over one).
Nothing here is a pass/fail test: the numbers go to the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
PY = sys.executable


@dataclass(frozen=True)
class Run:
    """One subprocess: wall seconds, peak RSS in MiB, peak memory of all its processes, exit code, stderr,
    and the CPU seconds (user and system) of it and every child it waited for."""

    wall: float
    rss_mb: float
    total_mb: float
    code: int
    stderr: str
    cpu: float = 0.0


def _tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and its children, in MiB (shared pages counted once)."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{current}/task/{current}/children") as handle:
                todo += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            pass
    return total / 1024


class _Sampler(threading.Thread):
    """Peak PSS of a process tree, sampled every 10 ms (in a run of its own: see :func:`run`).

    ``wait4``'s peak RSS is that of the largest single process: with a forked
    worker the two processes' memory adds up, so the benchmark samples the sum
    too.  (0 where /proc has no smaps_rollup.)
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.01):
            self.peak = max(self.peak, _tree_pss_mb(self.pid))


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None, sample: bool = False) -> Run:
    """Run a command once, measuring its own wall time and peak memory (not the benchmark's).

    ``sample``: also sample the memory of all its processes, which slows it
    (reading a process's page tables competes with it), so such a run's time is not used.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        sampler = _Sampler(proc.pid)
        if sample:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if sample:
            sampler.done.set()
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(wall, usage.ru_maxrss / 1024, sampler.peak, proc.returncode, text,
               usage.ru_utime + usage.ru_stime)


def median_run(argv: list[str], cwd: Path, repeat: int, before: object = None,
               env: dict[str, str] | None = None) -> tuple[float, float, float, float, Run]:
    """Median wall time, max peak RSS and median CPU time over ``repeat`` runs, and the peak total PSS
    of one more run.

    ``before`` resets state before each run.
    """
    runs = []
    for _ in range(repeat + 1):
        if callable(before):
            before()
        runs.append(run(argv, cwd, env, sample=len(runs) == repeat))
    timed = runs[:repeat]
    return (statistics.median(r.wall for r in timed), max(r.rss_mb for r in timed),
            runs[-1].total_mb, statistics.median(r.cpu for r in timed), timed[-1])


Case = tuple[list[str], Any, "dict[str, str] | None"]  # argv, what resets state before a run, env


def interleaved(cases: dict[str, Case], cwd: Path, repeat: int,
                ) -> dict[str, tuple[float, float, float, float, Run]]:
    """:func:`median_run` of each case, the cases taking turns (in a rotating order) run after run.

    Timed one after another, the cases measured first ran slower on a noisy
    VM (a cold render measured 0.3 s slower than the same render without its
    user cache, measured next): taking turns, each case meets the same machine.
    """
    names = list(cases)
    timed: dict[str, list[Run]] = {name: [] for name in names}
    for turn in range(repeat):
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            argv, before, env = cases[name]
            if callable(before):
                before()
            timed[name].append(run(argv, cwd, env))
    out = {}
    for name in names:
        argv, before, env = cases[name]
        if callable(before):
            before()
        sampled = run(argv, cwd, env, sample=True)
        runs = timed[name]
        out[name] = (statistics.median(r.wall for r in runs), max(r.rss_mb for r in runs), sampled.total_mb,
                     statistics.median(r.cpu for r in runs), runs[-1])
    return out


def pubsite_env() -> dict[str, str]:
    """Run this checkout's pubsite, whatever is installed, with its modules compiled as an install has them."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "pubsite")], stdout=subprocess.DEVNULL, check=False)
    return env


_STAGES = r"""
import json, sys, time
t0 = time.perf_counter()
from dataclasses import replace
from pubsite import bib, publications, site, targets, fsutil
from pubsite.config import load_config
t1 = time.perf_counter()
corpus, edited = sys.argv[1], sys.argv[2]
config = replace(load_config(None, {"bib": (corpus,), "format": "page", "output": "stage.html"}),
                 cache_dir=None)
entries, problems = bib.load(config.bib)
t2 = time.perf_counter()
real_load = bib.load
bib.load = lambda paths, **kwargs: (entries, list(problems))  # read once, above
model, problems = site.build_site(config)
bib.load = real_load
t3 = time.perf_counter()
files = targets.planned(model, config)
t4 = time.perf_counter()
for out in files:
    fsutil.write_atomic(out.path, out.data)
t5 = time.perf_counter()
# One entry edited after a cached render: how many entries are built again, and how long it takes.
config = replace(config, bib=(edited,), cache_dir=".stage-cache")
site.render_site(config)
text = open(edited, encoding="utf-8").read()
at = text.index("title", text.index("@inproceedings"))
open(edited, "w", encoding="utf-8").write(text[:at] + "title = {An Edited Title},\n  old" + text[at:])
built = []
real_build = publications.build
def counting(entry, *args, **kwargs):
    built.append(entry.key)
    return real_build(entry, *args, **kwargs)
publications.build = counting
from pubsite import cache
formatted = []
real_put = cache.FragmentStore.put
def counting_put(self, key, value, new):
    formatted.extend([key] if new else [])
    return real_put(self, key, value, new)
cache.FragmentStore.put = counting_put
t6 = time.perf_counter()
site.render_site(config)
t7 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "parse": t2 - t1, "normalize": t3 - t2, "render": t4 - t3,
                  "write": t5 - t4, "edit": t7 - t6, "rebuilt": len(built), "formatted": len(formatted)}))
"""


def stages(corpus: Path, cwd: Path) -> dict[str, float]:
    """Stage breakdown of an uncached render, in one process, with the library's own pieces.

    Also edits one entry of a copy after a cached render and reports how many
    entries the next render built again (it should be one) and its time.
    """
    edited = cwd / ("edited-" + corpus.name)
    shutil.copyfile(corpus, edited)
    out = subprocess.run([PY, "-c", _STAGES, str(corpus), str(edited)], cwd=cwd, env=pubsite_env(),
                         capture_output=True, text=True)
    if out.returncode:
        lines = out.stderr.strip().splitlines()
        return {"error": lines[-1] if lines else "failed"}  # type: ignore[dict-item]
    return json.loads(out.stdout)


def summary(stderr: str) -> str:
    """pubsite's own last line: "N publications, M news → out; E errors, W warnings"."""
    lines = [line for line in stderr.splitlines() if "publications," in line]
    return lines[-1] if lines else "(no summary)"


def repaired(corpus: Path, work: Path) -> Path | None:
    """The corpus with the shared ``*-fixed.patch`` applied, for tools that abort on one bad entry."""
    patch = corpus.with_name(corpus.stem + "-fixed.patch")
    if not patch.is_file() or not shutil.which("patch"):
        return None
    target = work / (corpus.stem + "-fixed.bib")
    done = subprocess.run(["patch", "-s", "-o", str(target), str(corpus), str(patch)],
                          capture_output=True)
    return target if done.returncode == 0 else None


def bench_corpus(corpus: Path, repeat: int) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="pubsite-bench-"))
    env = pubsite_env()
    out: dict[str, object] = {"corpus": str(corpus)}
    try:
        bare = [PY, "-c", f"import bibtexparser; bibtexparser.parse_file({str(corpus)!r})"]
        render_cmd = [PY, "-m", "pubsite", "render", "--bib", str(corpus), "--format", "page",
                      "-o", "out.html"]
        cache = work / ".pubsite-cache"

        def clean() -> None:
            shutil.rmtree(cache, ignore_errors=True)
            (work / "out.html").unlink(missing_ok=True)

        def clean_all() -> None:  # a first run on the machine: no compiled templates, no venue index
            clean()
            shutil.rmtree(work / "user-cache", ignore_errors=True)

        first_env = dict(env, XDG_CACHE_HOME=str(work / "user-cache"))
        cold = interleaved({"bare": (bare, None, None), "cold": (render_cmd, clean, env),
                            "first": (render_cmd, clean_all, first_env),
                            "cold, no cache": (render_cmd + ["--no-cache"], clean, env),
                            "one core": (render_cmd, clean, dict(env, PUBSITE_JOBS="1"))}, work, repeat)
        out["bare"] = cold["bare"][:4]
        out["cold"] = cold["cold"][:4]
        out["summary"] = summary(cold["cold"][4].stderr)
        out["code"] = cold["cold"][4].code
        out["first"] = cold["first"][:4]
        out["cold, no cache"] = cold["cold, no cache"][:4]
        out["one core"] = cold["one core"][:4]
        clean()
        run(render_cmd, work, env)  # what the warm runs find
        out["warm"] = median_run(render_cmd, work, repeat, env=env)[:4]
        out["check"] = median_run(render_cmd + ["--check"], work, repeat, env=env)[:4]
        stage_dir = work / "stages"
        stage_dir.mkdir()
        out["stages"] = stages(corpus, stage_dir)

        b2h = shutil.which("bibtex2html")
        fixed = repaired(corpus, work)
        if b2h and fixed:
            b2h_dir = work / "b2h"
            b2h_dir.mkdir()
            cmd = [b2h, "-q", "-i", "-nobibsource", "-o", "out", str(fixed)]
            out["bibtex2html"] = median_run(cmd, b2h_dir, repeat)[:4]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def startup(repeat: int, medium: Path | None) -> dict[str, tuple[float, float, float, float, Run]]:
    work = Path(tempfile.mkdtemp(prefix="pubsite-bench-"))
    env = pubsite_env()
    try:
        res = {
            "python -c pass": median_run([PY, "-c", "pass"], work, repeat),
            "pubsite --help": median_run([PY, "-m", "pubsite", "--help"], work, repeat, env=env),
            "import bibtexparser, jinja2, click, yaml": median_run(
                [PY, "-c", "import bibtexparser, jinja2, click, yaml"], work, repeat),
        }
        if medium is not None:
            cache = work / ".pubsite-cache"
            res["render medium.bib"] = median_run(
                [PY, "-m", "pubsite", "render", "--bib", str(medium), "-o", "out.html"], work, repeat,
                before=lambda: shutil.rmtree(cache, ignore_errors=True), env=env)
        return res
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fmt(measured: object) -> str:
    """Wall time, peak RSS of the largest process, peak PSS of all processes together, and CPU time."""
    wall, rss, total, cpu = measured  # type: ignore[misc]
    return f"{wall:7.3f} s {rss:7.1f} MB {total:7.1f} MB {cpu:7.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", type=Path,
                        help="BibTeX file to measure (repeatable; default: the shared corpora)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args()
    # Resolved here: every tool runs in a temp folder, where a relative path names nothing.
    corpora = [c.resolve() for c in args.corpus or [CORPORA / "medium.bib", CORPORA / "large.bib"]]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print("columns: median wall time, peak RSS of the largest process, peak PSS of all its processes,\n"
          "         median CPU time (user and system) of all its processes")
    for corpus in corpora:
        res = bench_corpus(corpus, args.repeat)
        bare = res["bare"][0]  # type: ignore[index]
        print(f"\n== {corpus.name}: {res['summary']} (exit {res['code']})")
        print(f"  bare bibtexparser.parse_file   {fmt(res['bare'])}")
        if "bibtex2html" in res:
            print(f"  bibtex2html (repaired file)    {fmt(res['bibtex2html'])}")
        for name in ("cold", "first", "cold, no cache", "one core", "warm", "check"):
            wall = res[name][0]  # type: ignore[index]
            label = {"check": "warm --check", "cold, no cache": "cold --no-cache",
                     "first": "cold, 1st run", "one core": "cold, 1 core"}.get(name, name)
            line = f"  pubsite render {label:<15} {fmt(res[name])}   {wall / bare:5.2f}x bare parse"
            if "bibtex2html" in res:
                line += f"   {wall / res['bibtex2html'][0]:5.2f}x bibtex2html"  # type: ignore[index]
            print(line)
        cpu = res["bare"][3]  # type: ignore[index]
        print(f"  CPU time against the bare parse's: cold {res['cold'][3] / cpu:.2f}x on two cores, "  # type: ignore[index]
              f"{res['one core'][3] / cpu:.2f}x on one (PUBSITE_JOBS=1)")  # type: ignore[index]
        st = res["stages"]
        if "error" in st:  # type: ignore[operator]
            print(f"  stages: {st['error']}")  # type: ignore[index]
        else:
            print("  stages (uncached, in-process): " + ", ".join(
                f"{k} {st[k]:.3f} s" for k in ("import", "parse", "normalize", "render", "write")))  # type: ignore[index]
            print(f"  one entry edited after a cached render: {st['rebuilt']} built again, "  # type: ignore[index]
                  f"{st['formatted']} formatted again, {st['edit']:.3f} s in-process")  # type: ignore[index]
    medium = next((c for c in corpora if c.name == "medium.bib"), CORPORA / "medium.bib")
    res = startup(max(args.repeat, 5), medium if medium.is_file() else None)
    print("\n== start-up")
    for name, pair in res.items():
        failed = f"   (exit {pair[4].code}: not a measure)" if pair[4].code else ""  # type: ignore[index]
        print(f"  {name:<42} {fmt(pair[:4])}{failed}")
    print(f"  pubsite --help / python -c pass: {res['pubsite --help'][0] / res['python -c pass'][0]:.2f}x")
    if "render medium.bib" in res:
        base = res["import bibtexparser, jinja2, click, yaml"][0]
        print(f"  render medium.bib / import of its dependencies: {res['render medium.bib'][0] / base:.2f}x")


if __name__ == "__main__":
    main()
