"""Which publications a render shows: years, kinds, keywords, and the owner's own papers.

Filters are settings rather than template logic so that every format (HTML,
Markdown, JSON, Atom) shows the same subset, and so a lab's shared bib can
feed each member's page with ``owner_only``.
"""

from __future__ import annotations

from typing import Iterable

from .config import Config
from .errors import ConfigError
from .model import Publication
from .names import fold
from .ordering import type_key


def _in_years(pub: Publication, first: int, last: int) -> bool:
    if not first and not last:
        return True
    if pub.year is None:
        # Upcoming work ("forthcoming") is newer than any year; undated work fits no range.
        return bool(pub.year_text) and not last
    return (not first or pub.year >= first) and (not last or pub.year <= last)


def select(pubs: Iterable[Publication], config: Config) -> list[Publication]:
    """The publications that pass every filter of ``config``, order kept.

    :raises ConfigError: ``owner_only`` without an ``owner`` would silently show nothing.
    """
    if config.owner_only and not config.owner:
        raise ConfigError("'owner_only' needs the owner's name ('owner' in config or --owner)")
    if config.year_from and config.year_to and config.year_from > config.year_to:
        raise ConfigError(f"'year_from' ({config.year_from}) is after 'year_to' ({config.year_to})")
    kinds = set(config.types)
    wanted = {fold(k) for k in config.keywords}
    if not (config.selected_only or config.owner_only or kinds or wanted or config.year_from or config.year_to):
        return list(pubs)  # no filter: every entry passes every test below
    out = []
    for pub in pubs:
        if config.selected_only and not pub.selected:
            continue
        if config.owner_only and not any(a.owner for a in pub.authors):
            continue
        if kinds and type_key(pub) not in kinds:
            continue
        if wanted and not wanted.intersection(fold(k) for k in pub.keywords):
            continue
        if _in_years(pub, config.year_from, config.year_to):
            out.append(pub)
    return out
