"""The render cache: an unchanged site re-renders in milliseconds, a changed entry alone is rebuilt.

Two levels, both in the cache folder (``.pubsite-cache/`` by default, git-ignored):

- **Output.**  Keyed by the pubsite code (a digest of the package's own
  files, the Python version and the installed distributions), the whole
  configuration and the working directory.  The record lists every file the
  render depended on with a digest of its bytes: the files the configuration
  names (bib files, news, the page to inject into, the config file...), every
  file in the template folder, and every other file the render opened.  It is
  used only if all of those still have the same bytes; mtimes are never
  trusted, so a file touched but unchanged still hits and a file changed
  within the same second still misses.
- **Entries.**  What :func:`pubsite.publications.build` made of each entry
  (the :class:`~pubsite.model.Publication` and its problems), keyed by the
  entry's fields after macro expansion and crossref, under a digest of the
  pubsite code and the settings passed to ``build``.  When one entry changes,
  only that entry is decoded and formatted again.

A cache is an optimisation, never a source of truth: a missing, unreadable,
corrupt or foreign record is ignored and rebuilt, a folder that cannot be
written is simply not written, and no error ever comes from here.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time
from dataclasses import fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, NamedTuple, Sequence

from . import __version__, aside
from .errors import Problem
from .fsutil import Output, replace_file

#: Bump when the layout of a record changes.
FORMAT = 3
#: Output records and entry stores kept per cache folder (least recently written go first).
KEEP_OUTPUTS = 8
KEEP_ENTRY_STORES = 4
_PACKAGE = Path(__file__).resolve().parent
_SYSTEM_ROOTS = tuple({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
_VOLATILE_ROOTS = ("/proc/", "/sys/", "/dev/")
#: Folders whose files are never the user's, as their paths start.
_NOT_INPUT = tuple(folder + os.sep for folder in (str(_PACKAGE), *_SYSTEM_ROOTS))
#: Settings naming files pubsite writes and never reads (a page to inject into is read: not here).
_WRITTEN = frozenset({"output", "feed", "cache_dir"})


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Everything about the code that could change output: pubsite's files, Python, installed packages.

    Reading the package's own files (not its version number alone) means an
    edit to a template, a table or a module invalidates every record, so a
    development checkout can never be served output of older code.
    """
    parts: list[bytes | str] = [f"pubsite {__version__}", sys.version]
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [str(path.relative_to(_PACKAGE)), path.read_bytes()]
    # Installed distributions (names carry versions), from the folders our dependencies live in.
    folders = set()
    for name in ("jinja2", "markupsafe", "bibtexparser", "pylatexenc", "yaml", "markdown_it", "rapidfuzz"):
        module = sys.modules.get(name)
        origin = getattr(module, "__file__", None) if module else _find_origin(name)
        if origin:
            folders.add(os.path.dirname(os.path.dirname(origin)))
    for folder in sorted(folders):
        try:
            parts += sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            pass
    return _digest(*parts)


def _find_origin(name: str) -> str | None:
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None else None


def file_digest(path: str) -> str | None:
    """Digest of a regular file's bytes; None when it is missing or not a regular file."""
    if not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def folder_digest(path: str) -> str | None:
    """Digest of every file under a folder (names and bytes); None when it is not a folder."""
    if not os.path.isdir(path):
        return None
    parts: list[bytes | str] = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            parts += [os.path.relpath(full, path), file_digest(full) or "-"]
    return _digest(*parts)


# -- which files a render reads ------------------------------------------------------------

_opened: list[str] | None = None
_hooked = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _opened is not None:
        path, mode, flags = args
        if isinstance(path, str) and (mode is None or not set(str(mode)) & set("wax+")) \
                and not (isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR)):
            _opened.append(path)


class _Recording:
    """Paths opened for reading while active (through Python's audit hook, so no caller can forget one)."""

    def __enter__(self) -> list[str]:
        global _opened, _hooked
        if not _hooked:
            sys.addaudithook(_audit)  # cannot be removed; it does nothing while not recording
            _hooked = True
        _opened = []
        return _opened

    def __exit__(self, *exc: object) -> None:
        global _opened
        _opened = None
        aside.wait()  # the stores this render wrote in the background are in place when it returns


def _is_input(path: str, cache_root: str) -> bool:
    """A file the user owns (not Python's, not pubsite's own, not the cache, not /proc).

    A render opens a few hundred of Python's and pubsite's own files (modules
    imported on first use): those whose path already says so are passed over
    without resolving links, which cost a few milliseconds in all.
    """
    if path.startswith(_VOLATILE_ROOTS) or path.startswith(cache_root + os.sep) or path.startswith(_NOT_INPUT):
        return False
    real = os.path.realpath(path)
    if real.startswith(str(_PACKAGE) + os.sep):
        return False
    return not any(real.startswith(root + os.sep) for root in _SYSTEM_ROOTS)


def _named_files(value: Any, out: set[str]) -> None:
    """Every existing regular file a setting names (strings anywhere in the config)."""
    if isinstance(value, str):
        if value and value != "-" and os.path.isfile(value):
            out.add(os.path.abspath(value))
    elif isinstance(value, (tuple, list)):
        for item in value:
            _named_files(item, out)
    elif is_dataclass(value):
        for f in fields(value):
            _named_files(getattr(value, f.name), out)


# -- the cache folder -----------------------------------------------------------------------


class Cached(NamedTuple):
    """A render served from the cache: files to write (as UTF-8 bytes), problems, and counts."""

    files: tuple[tuple[str | None, bytes], ...]
    problems: tuple[Problem, ...]
    publications: int
    news: int


class RenderCache:
    """One cache folder, for one configuration."""

    def __init__(self, root: str, config: Any) -> None:
        self.root = os.path.abspath(root)
        self.config = config
        self.key = _digest(f"output {FORMAT}", code_fingerprint(), repr(config), os.getcwd())
        self._deps: dict[str, str | None] = {}
        self._started = 0.0
        self.entry_store: EntryStore | None = None

    @classmethod
    def for_config(cls, config: Any) -> RenderCache | None:
        root = getattr(config, "cache_dir", None)
        return cls(root, config) if root else None

    # - output level -

    def _explicit_deps(self) -> dict[str, str | None]:
        named: set[str] = set()
        for f in fields(self.config):
            if f.name not in _WRITTEN:
                _named_files(getattr(self.config, f.name), named)
        deps: dict[str, str | None] = {path: file_digest(path) for path in sorted(named)}
        template_dir = getattr(self.config, "template_dir", None)
        if template_dir:
            deps["dir:" + os.path.abspath(template_dir)] = folder_digest(template_dir)
        return deps

    @staticmethod
    def _current(dep: str) -> str | None:
        return folder_digest(dep[4:]) if dep.startswith("dir:") else file_digest(dep)

    def lookup(self) -> Cached | None:
        """The stored render, if every file it depended on still has the same bytes."""
        self._deps = self._explicit_deps()
        record = self._read_marshal(f"out-{self.key}.bin")
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            return None
        try:
            deps: dict[str, list[str | None]] = record["deps"]
            for dep, accepted in deps.items():
                known = self._deps.get(dep, False)
                if (known if known is not False else self._current(dep)) not in accepted:
                    return None
            outputs = {os.path.abspath(path) for path, _, _ in record["files"] if path}
            # A file the render writes is no input, even when a setting names it
            # (the output file exists after the first run); a page injected into is
            # both, and was checked above.
            if set(self._deps) - set(deps) - outputs:
                return None
            files = []
            for path, digest, size in record["files"]:
                data = self._read(f"text-{digest}")
                if data is None or len(data) != size:
                    return None
                files.append((path, data))
            return Cached(files=tuple(files),
                          problems=tuple(Problem(*p) for p in record["problems"]),
                          publications=record["publications"], news=record["news"])
        except (KeyError, TypeError, ValueError):
            return None

    def recording(self) -> _Recording:
        self._started = time.time()
        return _Recording()

    def store(self, opened: Iterable[str], files: Iterable[Output], problems: Iterable[Problem],
              publications: int, news: int) -> None:
        """Keep a render, unless an input changed while it ran (then the next run renders again)."""
        if self._explicit_deps() != self._deps:
            return
        deps: dict[str, list[str | None]] = {dep: [digest] for dep, digest in self._deps.items()}
        for path in dict.fromkeys(os.path.abspath(p) for p in opened):
            if path in deps or os.path.isdir(path) or not _is_input(path, self.root):
                continue
            try:
                if os.stat(path).st_mtime >= self._started - 1:
                    return  # written during (or just before) the render: not trusted
            except OSError:
                pass
            deps[path] = [file_digest(path)]
        stored = []
        for out in files:
            path, digest = out.path, out.sha256()
            if path and os.path.abspath(path) in deps:
                # A page injected into is read, then overwritten with this text: both are current.
                deps[os.path.abspath(path)].append(digest)
            if not os.path.exists(os.path.join(self.root, f"text-{digest}")):
                self._write(f"text-{digest}", out.copy_into)
            stored.append((path, digest, out.size()))
        record = {
            "format": FORMAT, "deps": deps, "files": stored,
            "problems": [(p.path, p.line, p.level, p.code, p.message) for p in problems],
            "publications": publications, "news": news,
        }
        self._write(f"out-{self.key}.bin", marshal.dumps(record))
        self._prune("out-", KEEP_OUTPUTS)
        self._prune_texts()

    def _prune_texts(self) -> None:
        """Texts no output record names any more."""
        try:
            names = os.listdir(self.root)
            wanted: set[str] = set()
            for name in names:
                if name.startswith("out-"):
                    record = self._read_marshal(name)
                    if isinstance(record, dict):
                        wanted.update(f"text-{digest}" for _, digest, _ in record.get("files", ()))
            for name in names:
                if name.startswith("text-") and name not in wanted:
                    os.unlink(os.path.join(self.root, name))
        except (OSError, TypeError, ValueError):
            pass

    # - entry level -

    def entries(self, settings: str) -> EntryStore:
        """The entry store for these build settings (the same object for the rest of the render)."""
        name = _digest(f"entries {FORMAT}", code_fingerprint(), settings)
        if self.entry_store is None or self.entry_store.digest != name:
            self.entry_store = EntryStore(self, name)
        return self.entry_store

    def fragments(self) -> FragmentStore:
        """The store of formatted entries for this configuration and template folder."""
        template_dir = getattr(self.config, "template_dir", None)
        folder = folder_digest(template_dir) if template_dir else None
        return FragmentStore(self, _digest(f"fragments {FORMAT}", code_fingerprint(),
                                           repr(self.config), folder or "-"))

    # - files -

    def _read(self, name: str) -> bytes | None:
        try:
            return Path(self.root, name).read_bytes()
        except OSError:
            return None

    def _read_marshal(self, name: str) -> object:
        data = self._read(name)
        if data is None:
            return None
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None

    def _read_dicts(self, name: str, count: int) -> list[dict[Any, Any]] | None:
        """``count`` dicts written by :func:`_dump_dicts`; None when missing or unreadable."""
        aside.wait(name)  # if this process is still writing it
        dicts: list[dict[Any, Any]] = [{} for _ in range(count)]
        try:
            with open(os.path.join(self.root, name), "rb") as handle:
                left = os.fstat(handle.fileno()).st_size
                while size := int.from_bytes(handle.read(8), "little"):
                    left -= 8 + size
                    if left < 0:  # a corrupt length: not a record of ours
                        return None
                    which, items = marshal.loads(handle.read(size))
                    dicts[which].update(items)
            return dicts
        except (OSError, ValueError, TypeError, IndexError, EOFError):
            return None

    def _write(self, name: str, data: bytes | bytearray | Callable[[BinaryIO], None]) -> None:
        """Atomic and unsynced (see :func:`~pubsite.fsutil.replace_file`); failures are ignored."""
        try:
            os.makedirs(self.root, exist_ok=True)
            ignore = os.path.join(self.root, ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as handle:
                    handle.write("# pubsite's render cache: safe to delete\n*\n")
            replace_file(os.path.join(self.root, name), data, sync=False)
        except OSError:
            pass

    def _prune(self, prefix: str, keep: int) -> None:
        try:
            names = [n for n in os.listdir(self.root) if n.startswith(prefix)]
            if len(names) <= keep:
                return
            names.sort(key=lambda n: os.stat(os.path.join(self.root, n)).st_mtime)
            for name in names[:-keep]:
                os.unlink(os.path.join(self.root, name))
        except OSError:
            pass


#: Items per marshal chunk of a store: a large store is never one string in memory.
_CHUNK = 1000


def _dump_dicts(*dicts: dict[Any, Any],
                plain: Callable[[int, list[tuple[Any, Any]]], list[tuple[Any, Any]]] | None = None,
                ) -> Callable[[BinaryIO], None]:
    """Write dicts as a run of ``(index, items)`` marshal chunks, read back by ``RenderCache._read_dicts``.

    Each chunk is preceded by its length: ``marshal.load`` on a file reads it
    a few bytes at a time and took most of a second for a large store, where
    ``marshal.loads`` of the chunk's bytes takes milliseconds.  ``plain(index,
    items)`` turns the items of a chunk of the ``index``-th dict into what is
    written, a chunk at a time, so the plain forms of a whole store are never
    in memory together.
    """
    def dump(handle: BinaryIO) -> None:
        for which, mapping in enumerate(dicts):
            items = list(mapping.items())
            for start in range(0, len(items), _CHUNK):
                chunk = items[start:start + _CHUNK]
                if plain is not None:
                    chunk = plain(which, chunk)
                data = marshal.dumps((which, chunk))
                handle.write(len(data).to_bytes(8, "little"))
                handle.write(data)
    return dump


class EntryStore:
    """Per-entry results of one settings digest: loaded once, saved with only the entries still in use.

    Two kinds: what ``build`` made of an entry, with the entry's identity for
    duplicate detection (which decodes its title and authors too); and, by a
    digest of its fields, the identity of an entry that has a crossref (whose
    identity leaves out what it inherits, so depends on its parent too).  Both
    are kept as plain tuples (see :mod:`pubsite.packing`) with ``marshal``.
    """

    def __init__(self, cache: RenderCache, digest: str) -> None:
        self.cache = cache
        self.digest = digest
        self.name = f"entries-{digest}.bin"
        #: (key, type, fields) -> (publication, problems as (line offset, level, code, message), identity)
        self.old: dict[tuple[Any, ...], tuple[Any, tuple[tuple[int, str, str, str], ...], Any]] = {}
        self.new: dict[tuple[Any, ...], tuple[Any, tuple[tuple[int, str, str, str], ...], Any]] = {}
        self.old_ids: dict[bytes, tuple[Any, ...]] = {}
        self.new_ids: dict[bytes, tuple[Any, ...]] = {}
        self._built: list[tuple[Sequence[Any], Sequence[tuple[Any, ...]]]] = []  # see remember()
        loaded = cache._read_dicts(self.name, 2)
        if loaded is not None:
            self.old, self.old_ids = loaded

    def identify(self, fields: Any) -> Any:
        """:func:`pubsite.matching.identity` of these fields, from the store when known."""
        from .matching import Identity, identity

        key = identity_key(fields)
        packed = self.old_ids.get(key)
        if packed is not None:
            try:
                found = Identity(*packed)
                self.new_ids[key] = packed
                return found
            except TypeError:  # a record of another shape: made again
                pass
        found = identity(fields)
        self.remember_identity(key, found)
        return found

    def remember_identity(self, key: bytes, found: Any) -> None:
        self.new_ids[key] = found  # made plain when saved

    def lookup(self, entry: Any) -> tuple[Any, list[Problem], Any] | None:
        """What ``build`` made of this entry before, reported at the entry's current place, and its
        identity when one was kept with it; None if new."""
        if not self.old:  # a first render: nothing to look for
            return None
        key = (entry.key, entry.type, entry.fields)
        hit = self.old.get(key)
        if hit is None:
            return None
        from .matching import Identity
        from .packing import unpack

        try:
            packed, problems, ident = hit
            pub = unpack(packed, entry.fields, entry.path, entry.line) if packed is not None else None
            found = [Problem(entry.path, entry.line + delta, level, code, message)
                     for delta, level, code, message in problems]
            ident = Identity(*ident) if ident is not None else None
        except (TypeError, ValueError, IndexError):  # a record of another shape: built again
            return None
        self.new[key] = hit
        return pub, found, ident

    def remember(self, entries: Sequence[Any], built: Sequence[tuple[Any, ...]]) -> None:
        """Keep what ``build`` made of these entries: for each, ``(publication, problems, packed
        publication, identity, identity's key)`` as :mod:`pubsite.building` has it (a publication
        built elsewhere is only packed, and only an entry with a crossref has an identity key).

        The records are made by whoever writes the store (see :func:`_fold`), from these lists,
        which the caller has made anyway: making them here took large.bib's render 26 ms of the
        core that merges and orders next, and letting go of them right after forking the writer
        wrote to (so copied) every page they pointed into (see :func:`pubsite.aside.wait`).
        """
        self._built.append((entries, built))

    def save(self) -> None:
        """Write the entries used by this render, then let go of the store (the model holds them now)."""
        new, new_ids, built = self.new, self.new_ids, self._built
        unchanged = not built and new.keys() == self.old.keys() and new_ids.keys() == self.old_ids.keys()
        self.old, self.old_ids, self.new, self.new_ids, self._built = {}, {}, {}, {}, []
        if unchanged:
            return
        aside.write_aside(lambda: self._write(_fold(new, new_ids, built), new_ids),
                          len(new) + sum(len(entries) for entries, _ in built), self.name)

    def _write(self, new: dict[Any, Any], new_ids: dict[Any, Any]) -> None:
        try:
            self.cache._write(self.name, _dump_dicts(new, new_ids, plain=_plain_entries()))
        except ValueError:  # a value marshal cannot write: keep no store
            try:
                os.unlink(os.path.join(self.cache.root, self.name))
            except OSError:
                pass
            return
        self.cache._prune("entries-", KEEP_ENTRY_STORES)


def _fold(new: dict[Any, Any], new_ids: dict[Any, Any],
          built: list[tuple[Sequence[Any], Sequence[tuple[Any, ...]]]]) -> dict[Any, Any]:
    """``new`` and ``new_ids`` with the records of what :meth:`EntryStore.remember` was given: an
    entry's publication (as packed, when it was), its problems unless one points into another
    file, and its identity (with the entry unless it has a crossref: see :class:`EntryStore`)."""
    for entries, results in built:
        for entry, (pub, problems, packed, ident, id_key) in zip(entries, results):
            value = packed if packed is not None else pub
            if id_key is not None:
                if ident is not None:
                    new_ids[id_key] = ident
                ident = None
            if not problems:  # most entries: spared two generators
                new[(entry.key, entry.type, entry.fields)] = (value, (), ident)
            elif all(p.path == entry.path for p in problems):
                new[(entry.key, entry.type, entry.fields)] = (
                    value, tuple((p.line - entry.line, p.level, p.code, p.message) for p in problems), ident)
    return new


def _plain_entries() -> Callable[[int, list[tuple[Any, Any]]], list[tuple[Any, Any]]]:
    """What an entry store keeps of its items: publications packed, identities as tuples."""
    from .matching import Identity
    from .model import Publication
    from .packing import pack

    def identity(value: Any) -> Any:
        return value.values() if isinstance(value, Identity) else value

    def record(value: Any) -> Any:
        built, problems, ident = value
        return pack(built) if isinstance(built, Publication) else built, problems, identity(ident)

    def plain(which: int, items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
        made = record if which == 0 else identity
        return [(key, made(value)) for key, value in items]

    return plain


class FragmentStore:
    """Each entry's formatted HTML (and JSON-LD line), keyed by everything the entry holds.

    The key is a digest of the publication's values, so an entry whose
    displayed data changed in any way (its own fields, a duplicate merged into
    it, a co-author's URL from config) misses; the store's name covers the
    code, the whole configuration and the site's templates.  A publication
    shown just as it was built is keyed by its entry instead (see
    :meth:`as_built`).  Kept with ``marshal``, as the UTF-8 bytes the page
    prints: loading it is a fraction of the page's render, and neither
    writing it nor printing an entry from it decodes or encodes the text.
    """

    def __init__(self, cache: RenderCache, digest: str) -> None:
        self.cache = cache
        self.name = f"fragments-{digest}.bin"
        loaded = cache._read_dicts(self.name, 1)
        self.old: dict[bytes, tuple[bytes, bytes | None]] = loaded[0] if loaded else {}
        self.new: dict[bytes, tuple[Any, Any]] = {}
        self._built: dict[int, tuple[Any, Any]] = {}

    def as_built(self, built: Iterable[tuple[Any, Any]]) -> None:
        """Say which publications are shown just as ``build`` made them from their entries: pairs
        ``(entry, publication)``.

        Such a publication is what ``build`` makes of its entry's key, type
        and fields with this render's settings (which the entry store relies
        on too, and the store's name covers), so a digest of those keys it:
        a third of the cost of digesting everything it holds, which every
        entry of a large first render paid (0.2 s of CPU on large.bib).  One
        that a duplicate or the co-author links changed afterwards is another
        object, and keeps :func:`fragment_key`.
        """
        self._built = {id(pub): (pub, entry) for entry, pub in built if pub is not None}

    def key(self, pub: Any) -> bytes:
        """The entry's key in the store (see :meth:`as_built` and :func:`fragment_key`).

        Made where the entry is formatted, on both cores, even on a first
        render that finds nothing: made by the store's writer instead, the
        keys were the last thing a large render waited for (about 0.13 s of
        large.bib's cold render).
        """
        found = self._built.get(id(pub))
        if found is not None and found[0] is pub:  # the very object built (ids are reused once freed)
            entry = found[1]
            return hashlib.sha256(b"built\0" + marshal.dumps((entry.key, entry.type, entry.fields), 0)).digest()
        return fragment_key(pub)

    def get(self, key: bytes) -> tuple[bytes, bytes | None] | None:
        found = self.old.get(key)
        if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], bytes):
            return found
        return None

    def put(self, key: bytes, value: tuple[Any, Any], made: bool) -> None:
        """Keep an entry for the next render; ``made``: formatted by this one, not taken from the store.

        ``value`` is the entry's HTML and JSON-LD line, or where they were
        parked (see :mod:`pubsite.spill`): ``save`` is given how to read them.
        """
        self.new[key] = value

    def save(self, data: Callable[[list[Any]], list[Any]] | None = None) -> None:
        """Write the entries made or used by this render, then let go of them (the page holds them now).

        ``data`` reads a list of pieces kept by :meth:`put` as their UTF-8
        bytes (see :meth:`pubsite.spill.Spill.data`); without it, pieces are
        kept as they are.
        """
        new = self.new
        changed = new.keys() != self.old.keys()
        self.old, self.new = {}, {}
        if changed:
            def plain(_: int, items: list[tuple[bytes, tuple[Any, Any]]]) -> list[tuple[bytes, tuple[Any, Any]]]:
                if data is None:
                    return items
                # A value's two pieces in the order they were parked, so the reads go forward.
                read = iter(data([piece for _, value in items for piece in value]))
                return [(key, (html, line)) for (key, _), html, line in zip(items, read, read)]

            def write() -> None:
                self.cache._write(self.name, _dump_dicts(new, plain=plain))
                self.cache._prune("fragments-", KEEP_ENTRY_STORES)

            aside.write_aside(write, len(new), self.name)


def fragment_key(pub: Any) -> bytes:
    """Digest of everything the entry shows; not of where it was read (the default templates never
    print that), so an edit above an entry does not make it, and all below it, new."""
    from .packing import shown

    # marshal version 0: fast, and (unlike later versions) the same bytes for equal values
    # whether or not a string is interned or shared.  SHA-256 has CPU instructions where
    # BLAKE2 has none: a third cheaper here.
    return hashlib.sha256(marshal.dumps(shown(pub), 0)).digest()


def identity_key(fields: Any) -> bytes:
    """Where an entry's identity is kept: a digest of its fields (a tuple of every field's pair,
    kept per entry, was megabytes), marshalled as :func:`fragment_key` is."""
    return hashlib.sha256(marshal.dumps(tuple(fields.items()), 0)).digest()


def settings_digest(*values: Any) -> str:
    """The ``build`` settings of a render, as part of an entry store's name."""
    return _digest(*(repr(v) for v in values))


def iter_records(root: str) -> Iterator[str]:
    """Record files in a cache folder (for tests and ``--clear``-style tools)."""
    try:
        yield from sorted(n for n in os.listdir(root) if n.startswith(("out-", "entries-", "fragments-")))
    except OSError:
        return
