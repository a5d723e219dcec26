"""``pubsite check``: every problem of a site's inputs, each with its rule id, for CI.

Loading and building already report what they cannot use (parse failures,
duplicate keys, missing titles, unsafe links, bad news dates); this module
runs the same steps and adds the rules that only matter when someone asks:
the owner missing from an entry, a venue without a short name, LaTeX that
will not display, the same paper twice, malformed arXiv ids, news links to
publications that do not exist.  It returns problems; it never prints and
never decides exit codes (the CLI does).  The rule ids live in ``rules``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence
from urllib.parse import unquote

from .bib import RawEntry
from .config import Config
from .errors import Problem, ProblemCounts
from .latexlint import trouble
from .links import arxiv_id
from .matching import entry_identities, find_duplicates
from .model import NewsItem, Publication
from .names import Owners, fold, split_name
from .rules import ENTRY_FIELD, RULES, Silencer, entry_rule_ids
from .site import build_entries, load_all_news
from .venues import venue_field

Built = Sequence[tuple[RawEntry, Publication | None]]

#: Entry types of BibTeX and BibLaTeX (and the few exporters add); others are likely typos.
KNOWN_TYPES = frozenset("""
    article book booklet conference inbook incollection inproceedings manual mastersthesis misc
    phdthesis proceedings techreport unpublished online electronic www report thesis collection
    mvbook mvcollection mvproceedings mvreference bookinbook suppbook suppcollection
    suppperiodical periodical patent reference inreference set xdata dataset software
    artwork audio image jurisdiction legislation legal letter movie music performance review
    standard video commentary preprint presentation talk
""".split())
#: Types whose venue is a journal or conference, where a short name is expected (PS205).
_VENUE_TYPES = frozenset({"article", "inproceedings", "conference"})
#: Ids the rendered output itself gives sections; a news link to them is not dead.
SECTION_IDS = frozenset({"news", "publications"})
_PAGES = frozenset({"publications", "publications.html", "index.html", ""})
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_HREF = re.compile(r'<a href="([^"]*)"')
#: How alike (0-100) an author's name must be to the owner's to be named in a list with "et al.".
_CLOSE = 80.0


@dataclass(frozen=True)
class CheckReport(ProblemCounts):
    """What one check found; ``problems`` are already silenced as configured, sorted by file and line."""

    problems: tuple[Problem, ...]
    entries: int
    news: int

    @property
    def files(self) -> int:
        return len({p.path for p in self.problems})


def check_site(config: Config) -> CheckReport:
    """Every problem of the configured inputs that is not silenced.

    :raises PubsiteError: when an input cannot be read at all (missing file,
        unparseable news YAML); the CLI turns that into exit 2.
    """
    built, problems = build_entries(config)
    news, news_problems = load_all_news(config)
    problems.extend(news_problems)
    silencer = Silencer(config.ignore, [entry for entry, _ in built])
    problems.extend(lint(built, news, config, silencer))
    return CheckReport(problems=tuple(sorted(set(silencer(problems)))), entries=len(built), news=len(news))


def lint(built: Built, news: Sequence[NewsItem], config: Config,
         silencer: Silencer | None = None) -> list[Problem]:
    """The problems only ``check`` looks for (loading and building report the others)."""
    silencer = silencer or Silencer(config.ignore)
    owners = Owners.from_names(config.owner)
    problems: list[Problem] = []
    for entry, pub in built:
        problems.extend(_entry_problems(entry, pub, owners, config))
    problems.extend(_duplicate_papers([entry for entry, _ in built], silencer))
    shown = {pub.key for _, pub in built
             if pub is not None and (pub.selected or not config.selected_only)}
    problems.extend(_dead_news_links(news, shown))
    return problems


def _problem(entry: RawEntry, code: str, message: str) -> Problem:
    return Problem(entry.path, entry.line, RULES[code].level, code, f"entry '{entry.key}': {message}")


def _entry_problems(entry: RawEntry, pub: Publication | None, owners: Owners,
                    config: Config) -> Iterator[Problem]:
    _, unknown = entry_rule_ids(entry.get(ENTRY_FIELD))
    for message in unknown:
        yield _problem(entry, "PS107", f"{ENTRY_FIELD}: {message}")
    if entry.type not in KNOWN_TYPES:
        close = difflib.get_close_matches(entry.type, sorted(KNOWN_TYPES), n=1, cutoff=0.75)
        hint = f" (did you mean '@{close[0]}'?)" if close else ""
        yield _problem(entry, "PS101", f"unknown entry type '@{entry.type}'{hint}")
    yield from _arxiv_problems(entry)
    if pub is None:
        return
    fields = entry.field_dict
    for name in _displayed_fields(entry):
        reason = trouble(fields[name])
        if reason:
            yield _problem(entry, "PS206", f"field '{name}': {reason}")
    if owners.names and pub.authors and not any(a.owner for a in pub.authors):
        message = _owner_missing(pub, config.owner[0])
        if message:
            yield _problem(entry, "PS204", message)
    if (entry.type in _VENUE_TYPES and pub.venue and not pub.venue_short
            and "abbr" not in fields and "venue_short" not in fields):
        yield _problem(entry, "PS205", f"venue '{pub.venue}' has no short name "
                                       "(set abbr = {...} in the entry, or add it under [venues] in config)")


def _displayed_fields(entry: RawEntry) -> list[str]:
    """The raw fields whose decoded text a reader sees."""
    fields = entry.field_dict
    names = ["title", "author" if "author" in fields else "editor",
             venue_field(entry.type, fields), "venue", "abbr", "venue_short", "award_name"]
    return [n for n in dict.fromkeys(names) if n and fields.get(n)]


def _owner_missing(pub: Publication, owner: str) -> str | None:
    """The PS204 message naming the author closest to the owner, or None to stay quiet.

    With "and others" the owner may be among the unnamed authors, so only a
    near miss (a likely misspelling) is worth a warning there.
    """
    from rapidfuzz import fuzz

    given, family, _ = split_name(owner)
    target = fold(f"{given} {family}")
    scored = [(fuzz.token_sort_ratio(target, fold(a.name)), a.name) for a in pub.authors]
    score, closest = max(scored, key=lambda item: item[0])
    if pub.et_al and score < _CLOSE:
        return None
    return f"owner '{owner}' not among the authors; closest: '{closest}'"


def _arxiv_problems(entry: RawEntry) -> Iterator[Problem]:
    """PS303: an arXiv id that the links code would silently ignore."""
    prefix = (entry.get("archiveprefix") or entry.get("eprinttype") or "").strip().lower()
    eprint = entry.get("eprint")
    if prefix == "arxiv" and eprint and eprint.strip() and arxiv_id(eprint) is None:
        yield _problem(entry, "PS303", f"eprint '{eprint}' is not an arXiv id (like 2212.01523 or cs/0112017)")
    value = entry.get("arxiv")
    if value and value.strip() and arxiv_id(value) is None:
        yield _problem(entry, "PS303", f"arxiv '{value}' is not an arXiv id (like 2212.01523 or cs/0112017)")


def _duplicate_papers(entries: Sequence[RawEntry], silencer: Silencer) -> Iterator[Problem]:
    """PS207 on the later entry of each pair, naming the earlier one's file and line."""
    for i, j, reason in find_duplicates(entry_identities(entries)):
        first, second = entries[i], entries[j]
        if "PS207" in silencer.entry_ignores(first.path, first.line):
            continue  # either entry may declare the pair intended
        yield _problem(second, "PS207", f"same paper as '{first.key}' at {first.path}:{first.line} ({reason})")


def internal_target(href: str) -> str | None:
    """The citation key a news link points at, or None when it leaves the publications.

    Internal means ``#KEY``, or a site-relative path to the publications page
    (``/publications#KEY``, ``publications.html#KEY``, ``/#KEY``): those are
    the anchors pubsite itself writes, one per entry.
    """
    path, hash_, fragment = href.partition("#")
    if not hash_ or not fragment or _SCHEME.match(path) or path.startswith("//"):
        return None
    page = path.rstrip("/").rsplit("/", 1)[-1].lower()
    if page not in _PAGES:
        return None
    return unquote(fragment)


def _dead_news_links(news: Iterable[NewsItem], keys: set[str]) -> Iterator[Problem]:
    """PS406: a news link to ``#KEY`` where no publication shown has that key."""
    import html

    for item in news:
        hrefs = [html.unescape(h) for h in _HREF.findall(item.html)]
        if item.link:
            hrefs.append(item.link)
        for href in dict.fromkeys(hrefs):
            key = internal_target(href)
            if key is None or key in keys or key in SECTION_IDS:
                continue
            close = difflib.get_close_matches(key, sorted(keys), n=1)
            hint = f" (did you mean '#{close[0]}'?)" if close else ""
            yield Problem(item.path, item.line, RULES["PS406"].level, "PS406",
                          f"news link '{href}' points at no publication{hint}")
