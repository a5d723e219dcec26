"""Writing files without ever leaving a user's file half-written.

click's ``atomic=True`` replaces the target even after an exception, so we do
it ourselves: temp file in the same directory, fsync, ``os.replace``, and the
temp file removed on any failure.  The target is untouched until the rename.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> bool:
    """Write ``text`` to ``path`` atomically; return False when the bytes were already there.

    Skipping identical content keeps CI commits quiet and mtimes stable.  A symlink
    is written through (its target replaced), so a page linked into a site stays linked.
    """
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    data = text.encode(encoding)
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(tmp, target.stat().st_mode & 0o777)
        except OSError:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True
