"""Formatted text parked in temp files until the page prints it, instead of in memory.

The formatted entries of a large bibliography are a page's worth of text: tens
of megabytes as Python strings (two or four bytes a character in an entry
with one uncommon character).  Made ahead of the page, on two cores (see
:mod:`pubsite.parallel`), they were all alive at once and set a render's peak
memory.  Each piece is written UTF-8 encoded to an anonymous temp file as it
is made and read back when printed; what stays in memory is one integer per
piece, which is also all a forked child sends back.

The two processes of a split write to two files opened before the fork, so
each knows its own offsets.  Where no temp file can be made, pieces simply
stay in memory: parking is an optimisation, never a reason to fail.
"""

from __future__ import annotations

import os
from typing import BinaryIO, Iterable, Union

#: Below this many pieces a temp file costs more than it saves.
MIN_PIECES = 1000

#: Pieces written to a file at a time.
_BATCH = 256

#: Bytes read at a time beyond the piece asked for (see :meth:`Spill.get`).
_READ_AHEAD = 1 << 18

#: A piece as kept: its text, where it was parked (see :meth:`Spill.put`), or its UTF-8 bytes (as
#: the render cache keeps it).
Piece = Union[str, int, bytes]


class Spill:
    """Parked pieces of text for one render step; ``put`` a text, ``get`` it back."""

    def __init__(self, expected: int) -> None:
        self._parent = os.getpid()
        self._files: list[BinaryIO] = []
        self._ends = [0, 0]
        self._block: tuple[int, int, memoryview] = (-1, 0, memoryview(b""))  # see get()
        self._pending: list[bytes] = []  # written a batch at a time: one call per piece was a tenth of the cost
        if expected < MIN_PIECES or not hasattr(os, "pread"):  # Windows has no pread/pwrite
            return
        import tempfile

        try:
            self._files = [tempfile.TemporaryFile(), tempfile.TemporaryFile()]  # this process's, a child's
        except OSError:
            self._files = []

    def put(self, text: str) -> Piece:
        """Park ``text``; the returned piece is the text itself when nothing can be parked."""
        if not self._files:
            return text
        which = self._which()
        data = text.encode("utf-8", "surrogatepass")
        at = self._ends[which]
        self._pending.append(data)
        self._ends[which] = at + len(data)
        if len(self._pending) >= _BATCH:
            self.flush()
        return ((at << 32 | len(data)) << 1) | which

    def flush(self) -> None:
        """Make what this process parked readable (before it is read, or a child hands back)."""
        if not self._files:
            return
        mine = self._files[self._which()]
        if self._pending:
            mine.write(b"".join(self._pending))
            self._pending.clear()
        mine.flush()

    def _which(self) -> int:
        """The file this process writes to: the first here, the second in a forked child."""
        return 0 if os.getpid() == self._parent else 1

    def get(self, piece: Piece) -> str:
        """The text of a piece.

        Pieces are mostly read in the order they were written (the page
        prints entries in the order they were made, and so does the cache's
        writer), so a read takes the next :data:`_READ_AHEAD` bytes with it:
        one system call for a few hundred pieces.  Files only grow, so bytes
        once read never change.
        """
        if isinstance(piece, str):
            return piece
        return str(self._read((piece,))[0], "utf-8", "surrogatepass")  # type: ignore[arg-type]

    def joined(self, pieces: Iterable[Piece], separator: bytes) -> bytes:
        """The UTF-8 bytes of ``pieces`` joined by ``separator``, parked ones never decoded.

        A page printed its entries as text: each parked piece decoded, the
        texts joined, then the whole run encoded again to be written, which
        was a third of a large page's assembly.  The bytes read here are what
        that encoding gives back: a parked text was encoded whole, and a page
        prints only texts already cleaned of lone surrogates (see
        :func:`pubsite.render._clean`), the one thing ``surrogatepass`` lets through.
        """
        return separator.join(self._read(pieces))  # type: ignore[arg-type]

    def data(self, pieces: Iterable[Piece | None]) -> list[bytes | memoryview | None]:
        """Each piece's UTF-8 bytes (None stays None), parked ones never decoded, in one loop: the
        render cache keeps the bytes, and a store of every entry of a large page, read as text a
        call or two per piece, spent most of its time there."""
        return self._read(pieces)

    def _read(self, pieces: Iterable[Piece | None]) -> list[bytes | memoryview | None]:
        """The pieces' UTF-8 bytes (see :meth:`joined` and :meth:`data`), encoded as :meth:`put` does."""
        out: list[bytes | memoryview | None] = []
        append = out.append
        block_which, start, block = self._block
        for piece in pieces:
            if piece is None or isinstance(piece, bytes):
                append(piece)
                continue
            if isinstance(piece, str):
                append(piece.encode("utf-8", "surrogatepass"))
                continue
            which, place = piece & 1, piece >> 1
            at, size = place >> 32, place & 0xFFFFFFFF
            offset = at - start
            if block_which != which or offset < 0 or offset + size > len(block):
                block = memoryview(os.pread(self._files[which].fileno(), max(size, _READ_AHEAD), at))
                block_which, start, offset = which, at, 0
            append(block[offset:offset + size])
        self._block = (block_which, start, block)
        return out
