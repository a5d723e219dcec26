"""Publications as nested tuples of plain values, and back.

A built publication crosses a process boundary (the half of a large
bibliography built in a forked child) and goes into the render cache.  Pickle
rebuilds a frozen dataclass through several Python calls per object, which
made reading 15,000 cached publications take most of a second; a tuple of
strings and numbers loads with ``marshal`` in a few milliseconds, and the
objects are then made directly.  The layout follows the dataclasses' field
order, so it changes with the model, and the cache's key covers the code.

The entry's raw ``fields`` are left out: whoever unpacks holds the entry the
publication was built from (the cache finds it by those very fields), and
sending or storing them again doubled the memory they take.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable

from .model import Author, Link, Links, Publication

Packed = tuple[Any, ...]

_new = object.__new__


def _fields(cls: type) -> tuple[str, ...]:
    return tuple(cls.__dataclass_fields__)  # type: ignore[attr-defined]


def _maker(cls: type) -> Callable[[Any], Any]:
    """Instances made without ``__init__``: the values come from an instance that already passed it."""
    names = _fields(cls)

    def make(values: Any) -> Any:
        obj = _new(cls)
        obj.__dict__.update(zip(names, values))
        return obj

    return make


_PUB = _fields(Publication)
_AUTHORS, _LINKS = _PUB.index("authors"), _PUB.index("links")
_PATH, _LINE, _FIELDS = _PUB.index("path"), _PUB.index("line"), _PUB.index("fields")
_ALL = _fields(Links).index("all")
_pub_values = attrgetter(*_PUB)
_author_values = attrgetter(*_fields(Author))
_links_values = attrgetter(*_fields(Links))
_link_values = attrgetter(*_fields(Link))
_make_pub, _make_author, _make_links, _make_link = map(_maker, (Publication, Author, Links, Link))


def pack(pub: Publication) -> Packed:
    """The publication as nested tuples, without its entry's fields (see :func:`unpack`)."""
    values = list(_pub_values(pub))
    values[_FIELDS] = None
    values[_AUTHORS] = tuple([_author_values(a) for a in pub.authors])
    links = list(_links_values(pub.links))
    links[_ALL] = tuple([_link_values(link) for link in pub.links.all])
    values[_LINKS] = tuple(links)
    return tuple(values)


def unpack(values: Packed, entry_fields: tuple[tuple[str, str], ...], path: str | None = None,
           line: int | None = None) -> Publication:
    """The publication packed from the entry with ``entry_fields``, read from ``path`` at ``line``
    when given (an entry moved in its file)."""
    fields = list(values)
    fields[_FIELDS] = entry_fields
    if path is not None:
        fields[_PATH] = path
    if line is not None:
        fields[_LINE] = line
    fields[_AUTHORS] = tuple([_make_author(a) for a in values[_AUTHORS]])
    links = list(values[_LINKS])
    links[_ALL] = tuple([_make_link(link) for link in links[_ALL]])
    fields[_LINKS] = _make_links(links)
    return _make_pub(fields)  # type: ignore[no-any-return]


_SHOWN = tuple(name for name in _PUB if name not in ("path", "line", "authors", "links"))
_shown_values = attrgetter(*_SHOWN)
_shown_links = attrgetter(*(name for name in _fields(Links) if name != "all"))


def shown(pub: Publication) -> Packed:
    """Every value of the publication and its parts but the file and line it was read from (what a
    template shows), entry fields included, as tuples ``marshal`` writes.

    Made for a digest, never unpacked: one tuple per part straight from
    ``attrgetter``, without :func:`pack`'s copies, is a sixth cheaper.
    """
    links = pub.links
    return (_shown_values(pub), tuple(map(_author_values, pub.authors)), _shown_links(links),
            tuple(map(_link_values, links.all)))
