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

from .errors import ConfigError
from .rules import parse_rule_ids

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FORMATS = ("fragment", "page", "markdown", "json")
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
    #: Rule ids (``PS205``...) that ``check`` and ``render`` do not report.
    ignore: tuple[str, ...] = ()
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


_LIST_KEYS = {"bib", "owner", "ignore"}
_BOOL_KEYS = {"selected_only", "strict"}
_INT_KEYS = {"news_limit"}
_STR_KEYS = {f.name for f in fields(Config)} - _LIST_KEYS - _BOOL_KEYS - _INT_KEYS - {
    "venues", "marks", "source", "news", "output", "inject"
}
_KNOWN = {f.name for f in fields(Config)} - {"source"}
_PATH_KEYS = ("bib", "news", "output", "template_dir", "inject")


def _suggest(key: str, known: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _find_line(text: str, key: str) -> int | None:
    """Best-effort line of a key, since tomllib does not report positions."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(key) and stripped[len(key):].lstrip().startswith(("=", ".")):
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
        elif key in ("news", "output", "inject"):
            if value is not False and not isinstance(value, str):
                bad(key, f"'{key}' must be a path (or false)")
            else:
                out[key] = value or None
        elif key == "venues":
            venues = _venues(value, bad)
            if venues is not None:
                out[key] = venues
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
    if errors:
        raise ConfigError("\n".join(errors))
    return out


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
    return config
