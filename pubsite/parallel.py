"""Per-entry work split over two processes, so a large bibliography uses the second core.

A render's per-entry steps (formatting each entry's HTML, its JSON-LD) are
pure functions of data the process already holds, so a forked child can do
the first half while this process does the second: the child inherits the
inputs for free (copy-on-write) and sends back only its results, which are
strings and cheap to pickle.  ``multiprocessing`` would pickle the inputs too
and start a fresh interpreter on platforms without ``fork``.  :func:`split_map`
splits a list; :func:`fork_work` starts any work in a child as soon as its
inputs exist, for the caller to take its result when it needs it.

The split is an optimisation only, never a change of result: the halves are
joined in order, a child that fails or dies is ignored and its half done
here (so an error is raised here, with a normal traceback), and small inputs,
single-core machines, threaded callers (``serve``) and platforms other than
Linux just run in one process.  ``PUBSITE_JOBS=1`` turns it off.
"""

from __future__ import annotations

import mmap
import os
import pickle
import sys
import threading
from typing import Any, BinaryIO, Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items a fork costs more than it saves.
MIN_ITEMS = 1000

#: The child's share of the items.  Each item costs the child more than it
#: costs this process: everything it touches of the inherited heap is copied
#: on first write (reference counts included), and it pickles its results.
#: Rendering large.bib on a 2-core Linux VM, an even split left this process
#: waiting: the child took 0.71 s for the building half against 0.61 s here,
#: and 0.47 s for the formatting half against 0.36 s.
CHILD_SHARE = 0.45


def workers() -> int:
    """How many processes a split may use: 1 or 2.

    Forking a process that runs other threads can copy a lock some thread
    holds, and the child would wait on it forever; so a threaded caller gets one.
    """
    if os.environ.get("PUBSITE_JOBS", "").strip() == "1":
        return 1
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1  # macOS's system libraries are not safe to use in a forked child
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return 2 if cores > 1 else 1


def split_map(work: Callable[[Sequence[T]], list[R]], items: Sequence[T],
              send: Callable[[R], Any] | None = None, receive: Callable[[Any], R] | None = None) -> list[R]:
    """``work(items)``, computed as ``work(first part) + work(the rest)`` on two cores when worth it.

    The child does the first part, :data:`CHILD_SHARE` of the items.

    ``work`` must return one result per item, in order, and depend only on its
    argument and on state that exists before the call (the child sees a copy).
    The child's results cross as ``send(result)`` and come back as
    ``receive(sent)``: a cheaper form to pickle than the result itself.
    """
    if len(items) < MIN_ITEMS or workers() < 2:
        return work(items)
    half = int(len(items) * CHILD_SHARE)
    child = fork_work(lambda: [send(r) for r in work(items[:half])] if send else work(items[:half]))
    if child is None:
        return work(items)
    try:
        mine = work(items[half:])
    except BaseException:
        child.cancel()
        raise
    theirs = child.result()
    if receive is not None and theirs is not None:
        theirs = [receive(r) for r in theirs]
    if theirs is None or len(theirs) != half:
        theirs = work(items[:half])  # the child failed: do its half here (and raise here, if it raises)
    return theirs + mine


class Forked:
    """Work running in a forked child (see :func:`fork_work`), whose result is taken when needed."""

    def __init__(self, pid: int, results: BinaryIO, done: BinaryIO) -> None:
        self.pid = pid
        self.results = results
        self.done = done

    def result(self) -> list[Any] | None:
        """The child's list; None if it failed or died: the caller then does the work itself."""
        with self.results, self.done:
            found = _load(self.results, self.done.read(8))
        _, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not isinstance(found, list):
            return None
        return found

    def cancel(self) -> None:
        """Stop the child: its result will not be wanted."""
        self.results.close()
        self.done.close()
        _stop(self.pid)


def fork_work(work: Callable[[], list[Any]]) -> Forked | None:
    """``work()`` started in a forked child, or None where a split is not used (see :func:`workers`).

    The child sees the process as it is now (copy-on-write) and sends back
    only its list, pickled: whatever it raises just ends it, so an error is
    raised where the caller redoes the work itself, with a normal traceback.
    """
    if workers() < 2:
        return None
    results_file = _results_file()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        results_file.close()
        return None
    if pid == 0:  # the child: never returns into the caller's code
        code = 1
        try:
            os.close(read_end)
            results = work()
            with open(results_file.fileno(), "wb", closefd=False) as out:
                pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)
            size = os.fstat(results_file.fileno()).st_size
            os.write(write_end, size.to_bytes(8, "little"))  # all of it is there (see _load)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no flushing the parent's buffered output twice
    os.close(write_end)
    return Forked(pid, results_file, os.fdopen(read_end, "rb"))


def _results_file() -> BinaryIO:
    """Where a child leaves its pickled results: an anonymous file in memory.

    Streamed through a pipe, the results came only as fast as the child
    pickled them, and only once this process was done with its own part (the
    child sat blocked on the full pipe meanwhile): taking in large.bib's
    building half (a 3 MB pickle) took 80 ms of this process.  Written to a
    file while this process still works, the pickle is whole when wanted and
    loads in one go: 44 ms, of which 23 ms is unpickling.  The pipe now only
    says that the file is complete.
    """
    try:
        return os.fdopen(os.memfd_create("pubsite-split", os.MFD_CLOEXEC), "w+b")
    except (AttributeError, OSError):
        import tempfile

        return tempfile.TemporaryFile()


def _load(file: BinaryIO, done: bytes) -> Any:
    """The child's results, if it said they are all written (a child that failed or died said
    nothing); None otherwise."""
    if len(done) != 8:
        return None
    size = int.from_bytes(done, "little")
    try:
        with mmap.mmap(file.fileno(), size, prot=mmap.PROT_READ) as data:
            return pickle.loads(data) if len(data) == size else None
    except Exception:
        return None


def _stop(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
