"""Settings: defaults < config file < command-line flags.

A site works with no config file at all.  When there is one (``pubsite.toml``
or ``[tool.pubsite]`` in ``pyproject.toml``), every key is checked up front and
all mistakes are reported together, each with a "did you mean", because a
typo silently ignored is the worst kind of config bug.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

from .colors import parse_hex
from .errors import ConfigError
from .ordering import TYPE_KEYS
from .profile import Profile, parse_profile
from .rules import parse_rule_ids

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FORMATS = ("fragment", "page", "markdown", "json", "atom")
GROUPINGS = ("none", "year", "type")
HOSTS = ("auto", "jekyll", "hugo", "plain")
CSS_MODES = ("inline", "file", "none")


@dataclass(frozen=True)
class VenueSetting:
    """A venue the user names in config: its short name, display name and spellings."""

    short: str
    name: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """Every setting of a render; each has a CLI flag of the same name."""

    #: BibTeX files, read in order.
    bib: tuple[str, ...] = ("data/publications.bib",)
    #: News feed (YAML); a missing default file just means no news.
    news: str | None = "data/news.yaml"
    #: The site owner's name and its other spellings.
    owner: tuple[str, ...] = ()
    #: Output format.
    format: str = "fragment"
    #: Output path; ``-`` or None means standard output.
    output: str | None = None
    #: Folder of template overrides.
    template_dir: str = "templates"
    #: Flat list (as the reference homepage), or headings per year or per type.
    group_by: str = "none"
    #: Only entries with ``selected = {true}``.
    selected_only: bool = False
    #: Show at most this many news items (0 = all).
    news_limit: int = 0
    #: Base URL for link fields given as a bare file name (``pdf = {paper.pdf}``).
    file_base: str = "/assets/pdf/"
    #: Heading of the news section.
    news_title: str = "News"
    #: Heading of the publications section.
    publications_title: str = "Publications & Pre-prints"
    #: ``<title>`` of the standalone page.
    page_title: str = "Publications"
    #: Warnings make the command fail.
    strict: bool = False
    #: Page to inject into, between ``<!-- pubsite:start -->`` and ``<!-- pubsite:end -->``.
    inject: str | None = None
    #: Site generator that embeds the output (``auto``: judged from the target file).
    host: str = "auto"
    #: Stylesheet: a ``<style>`` in the output, a ``pubsite.css`` beside it, or none.
    css: str = "inline"
    #: Venues the user names: short name -> display name and spellings.
    venues: tuple[VenueSetting, ...] = ()
    #: Legend of author marks other than ``*`` (``"†" = "Corresponding author"``).
    marks: tuple[tuple[str, str], ...] = ()
    #: Short venue names, most prominent first: orders entries of the same year and month.
    venue_rank: tuple[str, ...] = ()
    #: A preprint and its published version are shown once, as the published one with the arXiv link.
    merge_preprints: bool = True
    #: Rule ids (``PS205``...) that ``check`` and ``render`` do not report.
    ignore: tuple[str, ...] = ()
    #: Language of the standalone page (``<html lang>``), for screen readers and hyphenation.
    lang: str = "en"
    #: Profile header of the standalone page (name, photo, bio, links); none by default.
    profile: Profile | None = None
    #: Copyable BibTeX of each entry behind a toggle, private fields left out.
    show_bibtex: bool = True
    #: The ``abstract`` field behind a toggle.
    show_abstract: bool = True
    #: A badge with ``award``/``award_name``.
    show_award: bool = True
    #: The ``preview`` image of an entry as a thumbnail.
    show_preview: bool = True
    #: A badge with the venue's short name before the title.
    show_venue_badge: bool = False
    #: Badge colour per venue short name (``#rrggbb``).
    venue_colors: tuple[tuple[str, str], ...] = ()
    #: URL prefix for ``preview`` values naming a bare file.
    preview_base: str = "/assets/img/publication_preview/"
    #: Co-author name (any spelling the owner matcher reads) -> homepage.
    coauthors: tuple[tuple[str, str], ...] = ()
    #: Show at most this many authors, the rest behind "and K more" (0 = all).
    max_authors: int = 10
    #: Order of the sections when grouping by type.
    type_order: tuple[str, ...] = TYPE_KEYS
    #: A "Selected publications" section before the full list.
    show_selected: bool = False
    #: Heading of that section.
    selected_title: str = "Selected publications"
    #: Only entries from this year on (0 = no bound).
    year_from: int = 0
    #: Only entries up to this year (0 = no bound).
    year_to: int = 0
    #: Only these kinds (journal, conference, preprint, thesis, other); empty = all.
    types: tuple[str, ...] = ()
    #: Only entries whose ``keywords`` field has one of these; empty = all.
    keywords: tuple[str, ...] = ()
    #: Only entries with the owner among the authors (a lab's shared bib).
    owner_only: bool = False
    #: schema.org JSON-LD of the publications in the standalone page.
    json_ld: bool = True
    #: Absolute URL of the published page, for Atom ids and absolute links.
    site_url: str = ""
    #: Also write an Atom feed here, linked from the standalone page.
    feed: str | None = None
    #: Render cache folder (false: no cache); see the README's "Performance".
    cache_dir: str | None = ".pubsite-cache"
    #: The config file read, if any (for messages).
    source: str | None = None

    @property
    def venue_aliases(self) -> dict[str, str]:
        """Spelling -> short name, for the venue matcher (user entries win over the table)."""
        out: dict[str, str] = {}
        for venue in self.venues:
            out[venue.short] = venue.short
            if venue.name:
                out[venue.name] = venue.short
            for alias in venue.aliases:
                out[alias] = venue.short
        return out

    @property
    def venue_names(self) -> dict[str, str]:
        """Short name -> display name chosen by the user."""
        return {v.short: v.name for v in self.venues if v.name}


_LIST_KEYS = {"bib", "owner", "ignore", "type_order", "types", "keywords", "venue_rank"}
_BOOL_KEYS = {"selected_only", "strict", "show_bibtex", "show_abstract", "show_award", "show_preview",
              "show_venue_badge", "show_selected", "owner_only", "json_ld", "merge_preprints"}
_INT_KEYS = {"news_limit", "max_authors", "year_from", "year_to"}
_TABLE_KEYS = {"venues", "marks", "venue_colors", "coauthors", "profile"}
_STR_KEYS = {f.name for f in fields(Config)} - _LIST_KEYS - _BOOL_KEYS - _INT_KEYS - _TABLE_KEYS - {
    "source", "news", "output", "inject", "feed", "cache_dir"
}
_KNOWN = {f.name for f in fields(Config)} - {"source"}
_PATH_KEYS = ("bib", "news", "output", "template_dir", "inject", "feed", "cache_dir")


def _suggest(key: str, known: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _find_line(text: str, key: str) -> int | None:
    """Best-effort line of a key, since tomllib does not report positions."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        bare = stripped.lstrip("\"'")  # a quoted key: "Feijie Wu" = ...
        if bare.startswith(key) and bare[len(key):].lstrip("\"'").lstrip().startswith(("=", ".")):
            return number
        if stripped.startswith("[") and key in stripped:
            return number
    return None


def _coerce(data: Mapping[str, Any], path: str, text: str) -> dict[str, Any]:
    errors: list[str] = []
    out: dict[str, Any] = {}

    def bad(key: str, message: str) -> None:
        line = _find_line(text, key)
        where = f"{path}:{line}" if line else path
        errors.append(f"{where}: {message}")

    for key, value in data.items():
        if key not in _KNOWN:
            bad(key, f"unknown setting '{key}'{_suggest(key, _KNOWN)}")
        elif key in _LIST_KEYS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                bad(key, f"'{key}' must be a string or a list of strings")
            elif key == "ignore":
                codes, unknown = parse_rule_ids(value)
                for message in unknown:
                    bad(key, f"'ignore': {message}")
                out[key] = codes
            else:
                out[key] = tuple(value)
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                bad(key, f"'{key}' must be true or false")
            else:
                out[key] = value
        elif key in _INT_KEYS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                bad(key, f"'{key}' must be a whole number >= 0")
            else:
                out[key] = value
        elif key in ("news", "output", "inject", "feed", "cache_dir"):
            if value is not False and not isinstance(value, str):
                bad(key, f"'{key}' must be a path (or false)")
            else:
                out[key] = value or None
        elif key == "venues":
            venues = _venues(value, bad)
            if venues is not None:
                out[key] = venues
        elif key == "profile":
            profile = parse_profile(value, bad, _suggest)
            if profile is not None:
                out[key] = profile
        elif key in ("venue_colors", "coauthors"):
            table = _string_table(key, value, bad)
            if table is not None:
                out[key] = table
        elif key == "marks":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                bad(key, "'marks' must be a table of glyph = \"legend\"")
            else:
                out[key] = tuple(sorted(value.items()))
        else:
            if not isinstance(value, str):
                bad(key, f"'{key}' must be a string")
            else:
                out[key] = value
    for key, choices in (("format", FORMATS), ("group_by", GROUPINGS), ("host", HOSTS), ("css", CSS_MODES)):
        if key in out and out[key] not in choices:
            bad(key, f"'{key}' must be one of {', '.join(choices)}, not '{out[key]}'")
    for key in ("type_order", "types"):
        for kind in out.get(key, ()):
            if kind not in TYPE_KEYS:
                bad(key, f"'{key}' entries must be among {', '.join(TYPE_KEYS)}, not '{kind}'")
    if errors:
        raise ConfigError("\n".join(errors))
    return out


def _string_table(key: str, value: Any, bad: Any) -> tuple[tuple[str, str], ...] | None:
    """``[venue_colors]`` (short = "#hex") and ``[coauthors]`` (name = "URL"), checked per row."""
    what = "colour" if key == "venue_colors" else "URL"
    if not isinstance(value, dict):
        bad(key, f"'{key}' must be a table of name = \"{what}\"")
        return None
    from .links import safe_url

    rows: list[tuple[str, str]] = []
    for name, raw in value.items():
        checked = None
        if isinstance(raw, str):
            checked = parse_hex(raw) if key == "venue_colors" else safe_url(raw, "")
        if checked is None:
            hint = "a #rgb or #rrggbb colour" if key == "venue_colors" else "an http(s) or site-relative URL"
            bad(name, f"[{key}] '{name}' must be {hint}, not {raw!r}")
        else:
            rows.append((name, checked))
    return tuple(rows)


def _venues(value: Any, bad: Any) -> tuple[VenueSetting, ...] | None:
    if not isinstance(value, dict):
        bad("venues", "'venues' must be a table of [venues.SHORT] tables")
        return None
    result = []
    for short, spec in value.items():
        if isinstance(spec, str):
            result.append(VenueSetting(short=short, name=spec))
            continue
        if not isinstance(spec, dict):
            bad(short, f"venue '{short}' must be a table with 'name' and/or 'aliases'")
            continue
        unknown = set(spec) - {"name", "aliases"}
        for key in sorted(unknown):
            bad(key, f"unknown venue setting '{key}' in [venues.{short}]{_suggest(key, {'name', 'aliases'})}")
        aliases = spec.get("aliases", [])
        if isinstance(aliases, str):
            aliases = [aliases]
        name = spec.get("name")
        if name is not None and not isinstance(name, str):
            bad(short, f"[venues.{short}] name must be a string")
            continue
        result.append(VenueSetting(short=short, name=name, aliases=tuple(str(a) for a in aliases)))
    return tuple(result)


def _relative_to(root: Path, value: str) -> str:
    """Paths written in a config file are relative to that file, as users expect."""
    if value == "-" or os.path.isabs(value) or str(root) in ("", "."):
        return value
    return str(root / value)


def read_config_file(path: str | os.PathLike[str], *, section: str | None = None) -> dict[str, Any]:
    """Parse one config file into validated settings (not yet merged)."""
    display = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("config file not found", display) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file: {exc}", display) from None
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        message = str(exc).split(" (at line")[0]
        raise ConfigError(f"invalid TOML: {message}", display, line) from None
    if section == "tool.pubsite":
        data = data.get("tool", {}).get("pubsite", {})
    settings = _coerce(data, display, text)
    root = Path(path).parent
    for key in _PATH_KEYS:
        value = settings.get(key)
        if isinstance(value, tuple):
            settings[key] = tuple(_relative_to(root, v) for v in value)
        elif isinstance(value, str):
            settings[key] = _relative_to(root, value)
    settings["source"] = display
    return settings


def load_config(config_path: str | None = None, overrides: Mapping[str, Any] | None = None,
                cwd: str = ".") -> Config:
    """Build the effective settings: defaults, then the config file, then flags.

    ``overrides`` holds only the flags the user gave (``None`` means "not given"),
    so a flag never clobbers the file with its default.
    """
    settings: dict[str, Any] = {}
    if config_path is not None:
        section = "tool.pubsite" if Path(config_path).name == "pyproject.toml" else None
        settings = read_config_file(config_path, section=section)
    else:
        own = Path(cwd, "pubsite.toml")
        project = Path(cwd, "pyproject.toml")
        if own.is_file():
            settings = read_config_file(own)
        elif project.is_file():
            settings = read_config_file(project, section="tool.pubsite")
            if len(settings) <= 1:  # only "source": there is no [tool.pubsite] table
                settings = {}
    config = Config(**settings)
    given = {k: v for k, v in (overrides or {}).items() if v is not None and v != ()}
    if given:
        unknown = set(given) - _KNOWN
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        if "ignore" in given:
            # Flags add to the file's list: silencing one more rule for one
            # run should not un-silence the ones the site always ignores.
            codes, problems = parse_rule_ids(given["ignore"])
            if problems:
                raise ConfigError("--ignore: " + "; ".join(problems))
            given["ignore"] = tuple(sorted(set(config.ignore) | set(codes)))
        config = replace(config, **given)
    if config.site_url and not config.site_url.lower().startswith(("http://", "https://")):
        raise ConfigError(f"'site_url' must be an absolute http(s) URL, not '{config.site_url}'", config.source)
    return config
