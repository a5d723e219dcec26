"""Writing files without ever leaving a user's file half-written.

click's ``atomic=True`` replaces the target even after an exception, so we do
it ourselves: temp file in the same directory, fsync, ``os.replace``, and the
temp file removed on any failure.  The target is untouched until the rename.
"""

from __future__ import annotations

import hashlib
import os
import stat
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator


@dataclass(frozen=True)
class Output:
    """One file to write (``path`` None: standard output) and its full text.

    The methods below are how the CLI and the cache use an output, so that one
    held in a temp file (:class:`SpooledOutput`) is never read into memory whole.
    """

    path: str | None
    text: str

    @property
    def data(self) -> bytes | bytearray:
        """The bytes to write (UTF-8)."""
        return self.text.encode("utf-8")

    def matches(self, path: str | os.PathLike[str]) -> bool:
        """Does the file at ``path`` hold exactly these bytes? (A missing file does not.)

        :raises OSError: when the file exists but cannot be read.
        """
        data = self.data
        return _file_holds(path, len(data), lambda: iter((data,)))

    def write(self) -> bool:
        """Put the output at ``path`` atomically; False when the bytes were already there.

        Skipping identical content keeps CI commits quiet and mtimes stable.  A
        symlink is written through (its target replaced), so a page linked into
        a site stays linked; a device or a pipe (``-o /dev/null``, a process
        substitution) is written into, since renaming a temp file over it would
        replace it with a plain file, for every program.
        """
        assert self.path is not None
        target = Path(os.path.realpath(self.path))
        if _is_special(target):
            with open(target, "wb") as handle:
                self.copy_into(handle)
            return True
        try:
            if self.matches(target):
                return False
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = target.stat().st_mode & 0o777
        except OSError:
            mode = 0o644
        self._replace(target, mode)
        return True

    def _replace(self, target: Path, mode: int) -> None:
        """Put the bytes at ``target`` through a temp file and a rename (see :func:`replace_file`)."""
        replace_file(target, self.data, sync=True, mode=mode)

    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def size(self) -> int:
        return len(self.data)

    def copy_into(self, handle: BinaryIO) -> None:
        handle.write(self.data)

    def discard(self) -> None:
        """Let go of what holds the output (nothing, for one in memory)."""


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


#: How much of a file is read at a time when comparing or copying it.
_CHUNK = 1 << 20


def _file_holds(path: str | os.PathLike[str], size: int, pieces: Callable[[], Iterator[bytes]]) -> bool:
    """Does the file at ``path`` hold exactly ``size`` bytes, equal to ``pieces()`` joined?

    The size is compared first (a changed page nearly always changes length,
    and then nothing is read), then the bytes a chunk at a time, so checking
    a large page never holds a second copy of it.
    """
    try:
        if os.stat(path).st_size != size:
            return False
    except (FileNotFoundError, NotADirectoryError):
        return False
    with open(path, "rb") as handle:
        for piece in pieces():
            view = memoryview(piece)
            for start in range(0, len(view), _CHUNK):
                # Compared as bytes: comparing a memoryview goes item by item, ten times slower.
                part = view[start:start + _CHUNK].tobytes()
                if handle.read(len(part)) != part:
                    return False
        return handle.read(1) == b""


def _is_special(path: str | os.PathLike[str]) -> bool:
    """A device or a pipe (``-o /dev/null``, a process substitution): written into, never renamed over."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class SpooledOutput(Output):
    """An output written to a temp file beside its target while it is rendered.

    A page of a large bibliography is tens of megabytes: held in memory as
    bytes, it set a render's peak memory.  Written piece by piece into a temp
    file in the target's folder instead, it is renamed into place by
    :meth:`write` (the target is still replaced atomically, and only after
    the whole render succeeded), compared a chunk at a time by :meth:`matches`,
    or deleted by :meth:`discard`.  The temp file's name carries the process
    id, so one left behind by a killed render is deleted by a later write
    (see :func:`_remove_orphans`); one no longer referenced is deleted too.
    """

    def __init__(self, path: str, tmp: str, size: int, sha256: str | None = None) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "_tmp", tmp)
        object.__setattr__(self, "_size", size)
        object.__setattr__(self, "_sha256", sha256)
        object.__setattr__(self, "_finalizer", weakref.finalize(self, _unlink, tmp))

    @classmethod
    def spool(cls, path: str, pieces: Iterable[bytes]) -> Output:
        """``pieces`` written beside ``path``; held in memory when that folder cannot take a temp file.

        A folder that does not exist yet is not made here: a failed render
        must leave no trace, and ``write`` makes it later.
        """
        target = os.path.realpath(path)
        folder = os.path.dirname(target)
        prefix = f".{os.path.basename(target)}."
        fd = -1
        if os.path.isdir(folder) and not _is_special(target):
            import tempfile

            _remove_orphans(folder, prefix)
            try:
                fd, tmp = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}.", suffix=".tmp", dir=folder)
            except OSError:
                fd = -1
        if fd < 0:
            data = bytearray()
            for piece in pieces:
                data += piece
            return EncodedOutput(path, data)
        size = 0
        # Hashed as written: the render cache keeps the page by its digest, and reading a large
        # page back from the temp file to hash it cost a fifth as much again as hashing it.
        digest = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as handle:
                for piece in pieces:
                    handle.write(piece)
                    digest.update(piece)
                    size += len(piece)
        except BaseException:
            _unlink(tmp)
            raise
        return cls(path, tmp, size, digest.hexdigest())

    def _pieces(self) -> Iterator[bytes]:
        with open(self._tmp, "rb") as handle:  # type: ignore[attr-defined]
            while piece := handle.read(_CHUNK):
                yield piece

    @property
    def data(self) -> bytes:
        return b"".join(self._pieces())

    @property  # type: ignore[override]
    def text(self) -> str:
        return self.data.decode("utf-8")

    def matches(self, path: str | os.PathLike[str]) -> bool:
        return _file_holds(path, self._size, self._pieces)  # type: ignore[attr-defined]

    def size(self) -> int:
        return self._size  # type: ignore[attr-defined, no-any-return]

    def sha256(self) -> str:
        if self._sha256 is not None:  # type: ignore[attr-defined]
            return self._sha256  # type: ignore[attr-defined, no-any-return]
        digest = hashlib.sha256()
        for piece in self._pieces():
            digest.update(piece)
        return digest.hexdigest()

    def copy_into(self, handle: BinaryIO) -> None:
        if hasattr(os, "sendfile"):
            handle.flush()
            start = handle.tell()
            try:
                with open(self._tmp, "rb") as source:  # type: ignore[attr-defined]
                    _copy_file(source.fileno(), handle.fileno(), self._size)  # type: ignore[attr-defined]
                handle.seek(0, os.SEEK_END)
                return
            except OSError:  # no in-kernel copy to a file here (macOS): copied below instead
                handle.seek(start)
                handle.truncate()
        for piece in self._pieces():
            handle.write(piece)

    def write(self) -> bool:
        try:
            return super().write()
        finally:
            self.discard()

    def _replace(self, target: Path, mode: int) -> None:
        """The temp file, already beside the target, renamed over it."""
        tmp = self._tmp  # type: ignore[attr-defined]
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        self._finalizer.detach()  # type: ignore[attr-defined]

    def discard(self) -> None:
        self._finalizer()  # type: ignore[attr-defined]


def _copy_file(source: int, target: int, size: int) -> None:
    """``size`` bytes from the start of ``source`` to ``target``'s position, copied by the kernel
    (the page of a large bibliography is tens of megabytes: read and written back here, it
    cost twice as long)."""
    done = 0
    while done < size:
        sent = os.sendfile(target, source, done, size - done)
        if sent == 0:
            raise OSError("source ended early")
        done += sent


def user_cache_folder(name: str) -> str | None:
    """``name``'s folder in pubsite's part of the user's cache (``$XDG_CACHE_HOME/pubsite``, by
    default ``~/.cache/pubsite``), made if needed: for what pubsite derives from its own files
    and keeps between runs, as Python keeps ``.pyc`` files.  None when it cannot be made or
    ``PUBSITE_NO_TEMPLATE_CACHE`` is set (the switch predates the venue index it also turns off)."""
    if os.environ.get("PUBSITE_NO_TEMPLATE_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "pubsite", name)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return folder


def write_atomic(path: str | os.PathLike[str], text: str | bytes | bytearray, *,
                 encoding: str = "utf-8") -> bool:
    """Write ``text`` (or bytes) to ``path`` atomically; return False when the bytes were already there
    (see :meth:`Output.write`)."""
    return EncodedOutput(os.fspath(path), text.encode(encoding) if isinstance(text, str) else text).write()


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
