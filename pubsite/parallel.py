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


class Claims:
    """Items of one list shared out between a forked child, taking them from the front, and this
    process, taking them from the back, until the two meet.

    A split fixed in advance left one process waiting for the other: on
    large.bib the early build child finished anywhere from 80 ms before this
    process to 250 ms after it, as the share moved by a twentieth or the
    machine was busy.  Taking items from either end, whichever process is
    quicker does more.

    Two counters in memory shared with the child (made before the fork): the
    next item the child is taking, and the last one this process took.  Each
    process says which item it takes, then looks whether the other has taken
    it.  They may both take the item where they meet (each saw the other's
    word too late), which only costs doing it twice; or both leave it, so the
    caller does, after the child is done, whatever neither did.
    """

    _FAR = 1 << 62  # this process has taken nothing yet: the child may go on

    def __init__(self) -> None:
        self._shared = mmap.mmap(-1, 16)  # anonymous and shared: a child forked later sees our writes
        self._shared[8:16] = self._FAR.to_bytes(8, "little")

    def take_front(self, position: int) -> bool:
        """In the child: take the item at ``position``, counted from the front (0, 1, ...)?"""
        shared = self._shared
        shared[0:8] = (position + 1).to_bytes(8, "little")
        return position < int.from_bytes(shared[8:16], "little")

    def take_back(self, position: int) -> bool:
        """Here: take the item at ``position`` (the last one first, then backwards)?"""
        shared = self._shared
        shared[8:16] = position.to_bytes(8, "little")
        return position >= int.from_bytes(shared[0:8], "little")

    def close(self) -> None:
        self._shared.close()


class Batches:
    """Results a forked child hands over a batch at a time, for this process to take in while it
    still works.

    Sent whole once the child was done, a large build's half was pickled
    there and unpickled here, and its publications made again from their
    packed form, while the other core waited: 125 ms at the end of the
    building.  Taken in as they come, that work is shared out like the
    rest (see :class:`Claims`).

    The batches go to an anonymous file in memory; a counter in memory
    shared with the child (made before the fork) says how many bytes of whole
    batches it holds, and is moved only once a batch is written.
    """

    def __init__(self) -> None:
        self._file = _results_file()
        self._shared = mmap.mmap(-1, 8)
        self._end = 0  # the child's: bytes written; here: bytes taken

    def put(self, batch: list[Any]) -> None:
        """In the child: hand over ``batch``."""
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        os.pwrite(self._file.fileno(), len(data).to_bytes(8, "little") + data, self._end)
        self._end += 8 + len(data)
        self._shared[0:8] = self._end.to_bytes(8, "little")

    def take(self) -> list[Any]:
        """Here: the items of every whole batch handed over since the last call.

        A batch the counter announces but this process cannot read whole yet
        (a processor that orders memory weakly may show the counter first) is
        left for the next call; one never read whole leaves its items to the
        caller, which builds whatever the child did not hand over.
        """
        end = int.from_bytes(self._shared[0:8], "little")
        if end <= self._end:
            return []
        data = memoryview(os.pread(self._file.fileno(), end - self._end, self._end))
        items: list[Any] = []
        at = 0
        while at + 8 <= len(data):
            size = int.from_bytes(data[at:at + 8], "little")
            if not size or at + 8 + size > len(data):
                break
            try:
                batch = pickle.loads(data[at + 8:at + 8 + size])
            except Exception:  # not all of it there yet
                break
            items.extend(batch)
            at += 8 + size
        self._end += at
        return items

    def close(self) -> None:
        self._file.close()
        self._shared.close()


class Forked:
    """Work running in a forked child (see :func:`fork_work`), whose result is taken when needed."""

    def __init__(self, pid: int, results: BinaryIO, done: BinaryIO) -> None:
        self.pid = pid
        self.results = results
        self.done = done

    def result(self) -> list[Any] | None:
        """The child's list; None if it failed or died: the caller then does the work itself.

        A child that said it is done has nothing left to do but exit, which
        for one that built half of a large bibliography took 7 ms of this
        process, waiting: it is reaped later instead (see :func:`reap`).
        """
        with self.results, self.done:
            found = _load(self.results, self.done.read(8))
        if isinstance(found, list):
            _exiting.append(self.pid)
            return found
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:  # reaped already (a caller's own wait)
            pass
        return None

    def cancel(self) -> None:
        """Stop the child: its result will not be wanted."""
        self.results.close()
        self.done.close()
        _stop(self.pid)


#: Children whose results were taken, maybe still exiting: reaped by :func:`reap`.
_exiting: list[int] = []


def reap() -> None:
    """Collect the children that have exited since their results were taken; never waits.

    Run before each fork, so a process that renders again and again (the
    tests) keeps at most the last render's children unreaped; a program that
    ends leaves them to the system, as for any process that exits.
    """
    for pid in list(_exiting):
        try:
            exited = os.waitpid(pid, os.WNOHANG)[0] != 0
        except ChildProcessError:  # reaped already (a caller's own wait)
            exited = True
        if exited:
            _exiting.remove(pid)


def fork_work(work: Callable[[], list[Any]]) -> Forked | None:
    """``work()`` started in a forked child, or None where a split is not used (see :func:`workers`).

    The child sees the process as it is now (copy-on-write) and sends back
    only its list, pickled: whatever it raises just ends it, so an error is
    raised where the caller redoes the work itself, with a normal traceback.
    """
    if workers() < 2:
        return None
    reap()
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
