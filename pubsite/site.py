"""The library's front door: inputs named by a :class:`Config` to a rendered string.

The CLI and the tests both call :func:`build_site` and :func:`render_site`;
nothing here prints, exits or imports click.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import bib
from .bib import RawEntry
from .config import Config
from .dedupe import merge_duplicates
from .errors import Problem, ProblemCounts
from .extras import enrich
from .filters import select
from .model import NewsItem, Publication, Site
from .names import Owners
from .news import load_news
from .ordering import ordered
from .publications import build
from .rules import Silencer
from .targets import Output, planned


@dataclass(frozen=True)
class Result(ProblemCounts):
    """What one render produced: the text, the model behind it, and every problem."""

    text: str
    site: Site
    problems: tuple[Problem, ...]
    #: Every file the render writes (see :mod:`pubsite.targets`); ``text`` is the last one's.
    files: tuple[Output, ...] = ()


Progress = Callable[[int, int], None]


def build_entries(config: Config, progress: Progress | None = None,
                  ) -> tuple[list[tuple[RawEntry, Publication | None]], list[Problem]]:
    """Every entry of the configured bib files and what it builds to (None: nothing to show).

    Nothing is silenced or filtered here: ``check`` lints every entry and
    applies the silencing itself.  ``progress(done, total)`` is called per
    entry so a terminal can show that a big bib is still being worked through.
    """
    entries, problems = bib.load(config.bib)
    owners = Owners.from_names(config.owner)
    aliases = config.venue_aliases
    names = config.venue_names
    built: list[tuple[RawEntry, Publication | None]] = []
    for done, entry in enumerate(entries, 1):
        if progress is not None:
            progress(done, len(entries))
        pub, entry_problems = build(entry, owners, aliases=aliases, venue_names=names,
                                    file_base=config.file_base, marks=config.marks)
        problems.extend(entry_problems)
        built.append((entry, pub))
    return built, problems


def build_publications(config: Config, progress: Progress | None = None,
                       ) -> tuple[list[Publication], list[Problem]]:
    """Every entry of the configured bib files that has something to show, in display order."""
    built, problems = build_entries(config, progress)
    pubs, duplicates = merge_duplicates([(entry, pub) for entry, pub in built if pub is not None],
                                        config.merge_preprints)
    pubs, extra_problems = enrich(pubs, coauthors=config.coauthors, preview_base=config.preview_base)
    problems = Silencer(config.ignore, [entry for entry, _ in built])(problems + duplicates + extra_problems)
    return ordered(select(pubs, config), config.venue_rank), problems


def load_all_news(config: Config) -> tuple[list[NewsItem], list[Problem]]:
    """Every news item, newest first; a missing default news file just means no news."""
    if not config.news:
        return [], []
    from .config import Config as _Defaults

    required = config.news != _Defaults.news
    return load_news(config.news, required=required)


def build_news(config: Config) -> tuple[list[NewsItem], list[Problem]]:
    """The news items to show (``news_limit`` applied) and the problems not silenced."""
    items, problems = load_all_news(config)
    if config.news_limit:
        items = items[: config.news_limit]
    return items, Silencer(config.ignore)(problems)


def build_site(config: Config, progress: Progress | None = None,
               ) -> tuple[Site, list[Problem]]:
    """The model of the whole output, plus every problem sorted by file and line."""
    pubs, problems = build_publications(config, progress)
    news, news_problems = build_news(config)
    problems.extend(news_problems)
    return Site(publications=tuple(pubs), news=tuple(news)), sorted(problems)


def render_site(config: Config, progress: Progress | None = None) -> Result:
    """Build and render; raises :class:`~pubsite.errors.PubsiteError` for unusable input."""
    site, problems = build_site(config, progress)
    files = planned(site, config)
    return Result(text=files[-1].text, site=site, problems=tuple(problems), files=files)
