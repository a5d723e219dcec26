"""Writing files without ever leaving a user's file half-written.

click's ``atomic=True`` replaces the target even after an exception, so we do
it ourselves: temp file in the same directory, fsync, ``os.replace``, and the
temp file removed on any failure.  The target is untouched until the rename.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable


@dataclass(frozen=True)
class Output:
    """One file to write (``path`` None: standard output) and its full text."""

    path: str | None
    text: str

    @property
    def data(self) -> bytes:
        """The bytes to write (UTF-8)."""
        return self.text.encode("utf-8")


class EncodedOutput(Output):
    """An output held as the bytes it will be written as (a rendered page, a cached render).

    Writing or checking it compares bytes; the text is decoded only if someone
    reads it.  A large page as one Python string can take four bytes per
    character (one emoji or math letter is enough), so not building it is
    most of what keeps a large render's memory down.
    """

    def __init__(self, path: str | None, data: bytes | bytearray) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_text", None)

    @property
    def data(self) -> bytes | bytearray:
        return self._data  # type: ignore[attr-defined, no-any-return]

    @property  # type: ignore[override]
    def text(self) -> str:
        if self._text is None:  # type: ignore[attr-defined]
            object.__setattr__(self, "_text", self._data.decode("utf-8"))  # type: ignore[attr-defined]
        return self._text  # type: ignore[attr-defined, no-any-return]


def write_atomic(path: str | os.PathLike[str], text: str | bytes | bytearray, *,
                 encoding: str = "utf-8") -> bool:
    """Write ``text`` (or bytes) to ``path`` atomically; return False when the bytes were already there.

    Skipping identical content keeps CI commits quiet and mtimes stable.  A symlink
    is written through (its target replaced), so a page linked into a site stays linked.
    """
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    data = text.encode(encoding) if isinstance(text, str) else text
    try:
        special = not stat.S_ISREG(target.stat().st_mode)
    except OSError:
        special = False
    if special:
        # A device or a pipe (``-o /dev/null``, a process substitution): renaming a
        # temp file over it would replace it with a plain file, for every program.
        with open(target, "wb") as handle:
            handle.write(data)
        return True
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    replace_file(target, data, sync=True, mode=mode)
    return True


def replace_file(target: str | os.PathLike[str], data: bytes | bytearray | Callable[[BinaryIO], None], *,
                 sync: bool, mode: int | None = None) -> None:
    """Put ``data`` at ``target`` through a temp file in the same folder and a rename.

    Readers see the old file or the new one, never a part.  ``sync`` makes it
    survive a crash too (a user's file); a cache record skips that cost, since
    a torn record is ignored like any corrupt one.  ``data`` may be a function
    that writes to the open file, so a large record is never held in memory.
    """
    import tempfile  # here: a cached render never writes through it, and it is slow to import

    folder = os.path.dirname(os.path.abspath(target))
    prefix = f".{os.path.basename(target)}."
    _remove_orphans(folder, prefix)
    fd, tmp = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _remove_orphans(folder: str, prefix: str) -> None:
    """Delete temp files that an earlier write left behind when its process was killed.

    A temp file's name carries the writing process's id; one whose process no
    longer exists will never be renamed into place.  Only on POSIX, where
    signal 0 asks whether a process exists (elsewhere ``os.kill`` would kill it).
    """
    if os.name != "posix":
        return
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass
        except OSError:  # alive, someone else's
            pass
