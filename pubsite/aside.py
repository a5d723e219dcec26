"""Render-cache stores written by a forked child while the render goes on.

Packing, marshalling and writing a large bibliography's entry store and
fragment store took a fifth of a second of the one core that then assembles
the page, while the other core idled.  A child forked at that point writes
the store from its copy-on-write view of the data, and the render only waits
for it at the end: :func:`wait` runs before a cached render returns and
before any store is read, so neither this process nor a later command ever
finds a store still being written (a store is written to a temp file and
renamed into place: at worst it is not there, which is a miss, never wrong).

Like :mod:`pubsite.parallel`, only where forking is safe and a second core
exists (never in a threaded caller such as ``serve``); elsewhere, and for
small stores, the write simply happens here.
"""

from __future__ import annotations

import os
from typing import Callable

#: Below this many items a store is written here: a fork costs more than the write.
MIN_ITEMS = 1000

#: Writers still running: (child's pid, pid of the process that forked it, what it writes, and
#: ``write``, which holds what it writes).
_pending: list[tuple[int, int, str, Callable[[], None]]] = []

#: Where reaped writers' data goes instead of being freed, when the process is about to end anyway
#: (see :func:`keep_until_exit`).
_kept: list[object] | None = None


def keep_until_exit(kept: list[object]) -> None:
    """Put what reaped writers held into ``kept`` rather than freeing it.

    For a program that ends with ``os._exit`` and never frees ``kept``
    (``pubsite.cli.main``): letting go of a large render's stores still wrote
    to the 10,000 pages their objects live in, 22 ms at the end of the render.
    """
    global _kept
    _kept = kept


def write_aside(write: Callable[[], None], items: int, name: str) -> None:
    """``write()`` of the store ``name``, in a forked child when ``items`` make it worth it and a
    core is free.

    ``write`` must ignore its own failures (a cache write never fails a
    render); in a child, whatever it raises just ends the child.
    """
    from .parallel import workers

    if items >= MIN_ITEMS and workers() > 1:
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:  # the child: never returns into the caller's code
            try:
                write()
            finally:
                os._exit(0)  # no exit handlers, no flushing the parent's buffered output twice
        if pid > 0:
            # What the child writes is let go of only once it is reaped (see wait()).
            _pending.append((pid, os.getpid(), name, write))
            return
    write()


def wait(name: str | None = None) -> None:
    """Return once the store ``name`` (None: every store) this process handed to a child is in place.

    Reading one store need not wait for another: the fragment store is read
    while the entry store may still be being written.

    What a writer was given is let go of here, after the child is gone: after
    a fork every page is shared until one process writes to it, and a page
    this process writes while the child lives is first copied.  Freed right
    after forking, a large render's entry store wrote to some 15,000 pages
    (its records and every entry and publication they point into): 40 ms.
    Freed once the child is reaped, a page is still faulted on, but not
    copied.
    """
    me = os.getpid()
    for item in list(_pending):
        pid, parent, writes, write = item
        if name is not None and writes != name:
            continue
        _pending.remove(item)
        if _kept is not None:
            _kept.append(write)
        if parent == me:  # a forked worker inherits the list, not the children
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
