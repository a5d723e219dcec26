"""The library's front door: inputs named by a :class:`Config` to a rendered string.

The CLI and the tests both call :func:`build_site` and :func:`render_site`;
nothing here prints, exits or imports click.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import gc
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

from .building import EARLY_BYTES, Progress
from .config import Config
from .errors import Problem, ProblemCounts
from .fsutil import Output, EncodedOutput

if TYPE_CHECKING:  # the rest is imported where used: a cached render needs none of it
    from .bib import RawEntry
    from .cache import RenderCache
    from .model import NewsItem, Publication, Site
    from .parallel import Forked


@dataclass(frozen=True)
class Result(ProblemCounts):
    """What one render produced: the files, the model behind them, and every problem.

    A render served from the cache carries no model; ``site`` builds it on first
    use, and ``publication_count``/``news_count`` never need it.
    """

    problems: tuple[Problem, ...]
    #: Every file the render writes (see :mod:`pubsite.targets`), the main output last.
    files: tuple[Output, ...]
    publication_count: int = 0
    news_count: int = 0
    site_: Site | None = field(default=None, repr=False, compare=False)
    config: Config | None = field(default=None, repr=False, compare=False)
    #: What the render made on the way and no longer needs (see :func:`build_publications`).
    kept_: tuple[object, ...] = field(default=(), repr=False, compare=False)

    @property
    def text(self) -> str:
        """The main output's text."""
        return self.files[-1].text

    @property
    def site(self) -> Site:
        if self.site_ is None:
            assert self.config is not None
            site, _ = build_site(self.config)
            object.__setattr__(self, "site_", site)
        return self.site_  # type: ignore[return-value]


def build_entries(config: Config, progress: Progress | None = None, cache: RenderCache | None = None,
                  ) -> tuple[list[tuple[RawEntry, Publication | None]], list[Problem]]:
    """Every entry of the configured bib files and what it builds to (None: nothing to show).

    Nothing is silenced or filtered here: ``check`` lints every entry and
    applies the silencing itself.  ``progress(done, total)`` is called per
    entry so a terminal can show that a big bib is still being worked through.
    With a ``cache``, an entry built before with the same fields and settings
    is taken from it instead of being decoded and formatted again.
    """
    from .building import build_all

    built, problems, _ = build_all(config, progress, cache, identify=False)
    return built, problems


def build_publications(config: Config, progress: Progress | None = None, cache: RenderCache | None = None,
                       keep: list[object] | None = None) -> tuple[list[Publication], list[Problem]]:
    """Every entry of the configured bib files that has something to show, in display order.

    The raw entries and their identities are appended to ``keep`` when given:
    freed here, on return, they cost a large render 12 ms of the one core
    between building and formatting; a render hands them to its
    :class:`Result`, which the command line never frees (see ``cli.main``).
    """
    from itertools import compress
    from operator import itemgetter

    from .dedupe import merge_duplicates
    from .extras import enrich
    from .filters import select
    from .ordering import ordered
    from .rules import Silencer

    from .building import build_all

    built, problems, identities = build_all(config, progress, cache, identify=True)
    if cache is not None and cache.entry_store is not None:
        # Written aside now, while this process merges, enriches and orders on one core: its
        # writer is then done before the entries are formatted on both.
        cache.entry_store.save()
    shown = [pub is not None for _, pub in built]
    pubs, duplicates = merge_duplicates(list(compress(built, shown)), config.merge_preprints,  # type: ignore[arg-type]
                                        identities=list(compress(identities, shown)))  # type: ignore[arg-type]
    pubs = enrich(pubs, coauthors=config.coauthors)
    problems = Silencer(config.ignore, list(map(itemgetter(0), built)))(problems + duplicates)
    if keep is not None:
        keep.append((built, identities))
    return ordered(select(pubs, config), config.venue_rank), problems


def load_all_news(config: Config) -> tuple[list[NewsItem], list[Problem]]:
    """Every news item, newest first; a missing default news file just means no news."""
    if not config.news:
        return [], []
    from .config import Config as _Defaults

    required = config.news != _Defaults.news
    if not required and not os.path.lexists(config.news):
        return [], []  # without importing the news reader and PyYAML: 17 ms of a render without news
    from .news import load_news

    return load_news(config.news, required=required)


def build_news(config: Config) -> tuple[list[NewsItem], list[Problem]]:
    """The news items to show (``news_limit`` applied) and the problems not silenced."""
    from .rules import Silencer

    items, problems = load_all_news(config)
    if config.news_limit:
        items = items[: config.news_limit]
    return items, Silencer(config.ignore)(problems)


def build_site(config: Config, progress: Progress | None = None, cache: RenderCache | None = None,
               keep: list[object] | None = None) -> tuple[Site, list[Problem]]:
    """The model of the whole output, plus every problem sorted by file and line (``keep``: see
    :func:`build_publications`)."""
    news_ahead = _news_ahead(config)
    try:
        pubs, problems = build_publications(config, progress, cache, keep)
    except BaseException:
        if news_ahead is not None:
            news_ahead.cancel()
        raise
    found = news_ahead.result() if news_ahead is not None else None
    # The child's news and bio, or (no child, or it failed) made here, where a bad news file raises.
    (news, news_problems), bio = found[0] if found else (build_news(config), None)
    problems.extend(news_problems)
    from .model import Site

    return Site(publications=tuple(pubs), news=tuple(news), bio=bio), sorted(problems)


#: A bibliography this large has its news read by a child (see :func:`_news_ahead`): as large as a
#: first file whose build is split.
NEWS_AHEAD_BYTES = EARLY_BYTES


def _news_ahead(config: Config) -> Forked | None:
    """:func:`build_news`, and the profile's bio, made in a forked child when the bibliography is large.

    Reading the news (importing PyYAML and markdown-it-py, then parsing) took
    a large render 32-44 ms of the one core that merges and orders the
    entries; the other core is idle at the start, until the first bib file is
    read.  The bio is Markdown too: made here, it imported both all the same.
    A small bibliography is not worth a fork.
    """
    bio = config.profile.bio if config.profile is not None and config.profile.bio else None
    if not bio and not (config.news and os.path.lexists(config.news)):
        return None
    try:
        size = sum(os.path.getsize(path) for path in config.bib)
    except OSError:
        return None  # reading the bib reports it
    if size < NEWS_AHEAD_BYTES:
        return None
    from .parallel import fork_work

    def work() -> list[tuple[tuple[list[NewsItem], list[Problem]], str | None]]:
        from .news import inline_markdown

        return [(build_news(config), inline_markdown(bio) if bio else None)]

    return fork_work(work)


def render_site(config: Config, progress: Progress | None = None) -> Result:
    """Build and render; raises :class:`~pubsite.errors.PubsiteError` for unusable input.

    With ``config.cache_dir`` set (the default), an unchanged site comes back
    from the cache and a changed one rebuilds only the entries that changed
    (see :mod:`pubsite.cache`); the result is the same either way.
    """
    with _cycle_collection_paused():
        return _render_cached(config, progress)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while a render builds its model.

    A render allocates millions of objects that live until it ends, and
    CPython's collector walked them again and again (a sixth of a large
    render); what a render makes has almost no cycles to find (a few thousand
    objects in all for large.bib).  Freezing alone still left the young
    generations collected every few hundred allocations and a full pass
    over everything made since the last freeze now and then: another tenth.
    Collection resumes afterwards, so a long-running ``serve`` still collects.
    Everything made meanwhile sat in the youngest generation, and the first
    collection after resuming walked it all: 38 ms after a large render was
    done.  Freezing again first hands it to the oldest generation at once,
    where only a full collection looks at it.
    """
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def _render_cached(config: Config, progress: Progress | None) -> Result:
    from .cache import RenderCache

    cache = RenderCache.for_config(config)
    if cache is not None:
        hit = cache.lookup()
        if hit is not None:
            return Result(problems=hit.problems,
                          files=tuple(EncodedOutput(path, data) for path, data in hit.files),
                          publication_count=hit.publications, news_count=hit.news, config=config)
        with cache.recording() as opened:
            result = _render(config, progress, cache)
        cache.store(opened, result.files, result.problems, result.publication_count, result.news_count)
        return result
    return _render(config, progress, None)


def _render(config: Config, progress: Progress | None, cache: RenderCache | None) -> Result:
    kept: list[Any] = []
    site, problems = build_site(config, progress, cache, kept)
    # Imported (with Jinja) once the build has started a child: 28 ms later for that child to wait.
    from .targets import planned

    store = cache.fragments() if cache is not None else None
    if store is not None:
        store.as_built(kept[0][0])  # the entries as built, kept alive with the result
    files = planned(site, config, store)
    return Result(problems=tuple(problems), files=files, publication_count=len(site.publications),
                  news_count=len(site.news), site_=site, config=config, kept_=tuple(kept))
