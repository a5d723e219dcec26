"""The news feed: a small YAML list of dated one-liners in inline Markdown.

The file is read with ``yaml.compose``, not ``yaml.load``, so every item keeps
its line for messages and values are taken from their source text: PyYAML would
crash the whole file on an unquoted ``2024-02-30`` and turn ``text: yes`` into
``True``.  Each item is checked on its own: a bad one becomes a :class:`Problem`
and is skipped, the good ones still load.  Markdown goes through our own
renderer over markdown-it's tokens, which knows only a handful of tags, so raw
HTML, images and unsafe link schemes cannot reach the page by construction.
"""

from __future__ import annotations

import calendar
import difflib
import html
import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

import yaml

from .errors import Level, Problem, PubsiteError
from .model import NewsItem

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_KEYS = ("date", "text", "link")
# Names people plausibly type that difflib cannot connect to ours.
_ALIASES = {
    "url": "link", "href": "link", "links": "link", "when": "date", "day": "date",
    "title": "text", "body": "text", "content": "text", "message": "text",
}
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")  # ASCII digits only
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Browsers ignore ASCII whitespace and control characters inside a scheme.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")
_NULL = "tag:yaml.org,2002:null"


def _escape(text: str) -> str:
    """Escape for both element content and double-quoted attributes."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto and scheme-less (site-relative) URLs.

    An allow-list, judged after undoing every encoding a browser would undo
    (entities, percent-escapes, embedded whitespace, case), so that
    ``JaVa\\tScRiPt:`` or ``&#106;avascript:`` cannot sneak past it.
    Protocol-relative ``//host/x`` has no scheme of its own and is allowed.
    """
    text = url
    for _ in range(4):  # decode until stable; nested encodings are rare but cheap
        decoded = _INVISIBLE.sub("", html.unescape(unquote(text))).lower()
        if decoded == text:
            break
        text = decoded
    head = re.split(r"[/?#]", text, maxsplit=1)[0]
    return ":" not in head or head.split(":", 1)[0] in _SAFE_SCHEMES


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """Build the parser once, lazily: importing markdown-it costs start-up time."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    # Parse every destination as a link so that an unsafe one can be dropped
    # by the renderer while its text stays (not shown as raw ``[x](...)``).
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_SIMPLE_TAGS = {"em_open": "<em>", "em_close": "</em>",
                "strong_open": "<strong>", "strong_close": "</strong>"}


def _render(tokens: list[Token], out: list[str], plain: list[str]) -> bool:
    """Append HTML and plain text for inline ``tokens``; return True if a link was kept.

    Unknown token types fall back to their escaped text content, never to markup.
    """
    has_link = False
    kept: list[bool] = []  # one entry per open link: was its <a> emitted?
    for tok in tokens:
        kind = tok.type
        if kind in ("softbreak", "hardbreak"):
            out.append("<br>")
            plain.append("\n")
        elif kind in _SIMPLE_TAGS:
            out.append(_SIMPLE_TAGS[kind])
        elif kind == "code_inline":
            out.append(f"<code>{_escape(tok.content)}</code>")
            plain.append(tok.content)
        elif kind == "link_open":
            href = str(tok.attrs.get("href", ""))
            keep = bool(href) and is_safe_url(href)
            kept.append(keep)
            if keep:
                out.append(f'<a href="{_escape(href)}">')
                has_link = True
        elif kind == "link_close":
            if kept and kept.pop():
                out.append("</a>")
        elif kind == "image":
            # Images are not news text: keep only the alt text, as plain text.
            alt: list[str] = []
            _render(tok.children or [], [], alt)
            out.append(_escape("".join(alt)))
            plain.extend(alt)
        elif tok.children:
            has_link |= _render(tok.children, out, plain)
        else:
            out.append(_escape(tok.content))
            plain.append(tok.content)
    return has_link


@lru_cache(maxsize=4096)
def _convert(text: str) -> tuple[str, str, bool]:
    """Return (html, plain text, has its own link) for one news text."""
    out: list[str] = []
    plain: list[str] = []
    has_link = _render(_markdown().parseInline(text), out, plain)
    return "".join(out), "".join(plain), has_link


def inline_markdown(text: str) -> str:
    """Render one news text to sanitised HTML (a, em, strong, code, br only)."""
    return _convert(text)[0]


def _parse_date(node: yaml.Node | None) -> str | None:
    """Normalise a date to ``YYYY-MM`` or ``YYYY-MM-DD``; None if invalid.

    The scalar's source text is used, so YAML's own date typing (unquoted
    ``2024-12-05``) and a quoted string are judged by the same rule.
    """
    match = _DATE.fullmatch((_scalar(node) or "").strip())
    if not match:
        return None
    year, month, day = (int(g) if g else 0 for g in match.groups())
    if not 1 <= month <= 12:
        return None
    if match.group(3) and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return match.group(0)


def _scalar(node: yaml.Node | None) -> str | None:
    """A scalar's source text (``yes`` stays "yes"), or None if absent, null or a collection."""
    if isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
        return str(node.value)
    return None


def _suggest(key: str) -> str:
    """A "did you mean" hint, since a misspelt key otherwise silently loses its value."""
    guess = _ALIASES.get(key.lower()) or next(
        iter(difflib.get_close_matches(key.lower(), _KEYS, n=1, cutoff=0.6)), None
    )
    return f"; did you mean '{guess}'?" if guess else ""


def _item(node: yaml.Node, path: str, problems: list[Problem]) -> NewsItem | None:
    """Check one item; report what is wrong and return None if it cannot be used."""
    line = node.start_mark.line + 1

    def report(level: Level, code: str, message: str) -> None:
        problems.append(Problem(path, line, level, code, message))

    if not isinstance(node, yaml.MappingNode):
        report("error", "PS403", "news item must be a mapping with 'date' and 'text'")
        return None
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        if key in _KEYS:
            fields[key] = value_node
        else:
            report("warning", "PS404", f"unknown key '{key}' in news item{_suggest(key)}")
    date = _parse_date(fields.get("date"))
    if date is None:
        given = _scalar(fields.get("date"))
        absent = given is None and not isinstance(fields.get("date"), yaml.CollectionNode)
        what = f"invalid date '{given}'" if given else "missing date" if absent else "invalid date"
        report("error", "PS401", f"{what}: expected a real date as YYYY-MM or YYYY-MM-DD")
    text = (_scalar(fields.get("text")) or "").strip()
    if not text:
        bad = isinstance(fields.get("text"), yaml.CollectionNode)
        report("error", "PS402", "text must be a string" if bad else "missing or empty text")
    if date is None or not text:
        return None
    link = (_scalar(fields.get("link")) or "").strip()
    if isinstance(fields.get("link"), yaml.CollectionNode):
        report("warning", "PS405", "link must be a single URL; dropped")
    elif link:
        link = _markdown().normalizeLink(link)  # same encoding as links in the text
        if not is_safe_url(link):
            report("warning", "PS405", "link must be http(s), mailto or site-relative; dropped")
            link = ""
    body, plain, has_link = _convert(text)
    if link and not has_link:
        body = f'<a href="{_escape(link)}">{body}</a>'
    return NewsItem(date=date, text=plain, html=body, link=link or None, path=path, line=line)


def _top_items(root: yaml.Node | None, path: str) -> list[yaml.Node]:
    """The item nodes of a top-level list or of a ``{news: [...]}`` mapping."""
    if isinstance(root, yaml.MappingNode):
        news = [v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "news"]
        if not news:
            raise PubsiteError("expected a 'news' key holding a list of items",
                               path, root.start_mark.line + 1)
        root = news[-1]  # the last duplicate wins, as in yaml.safe_load
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL):
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise PubsiteError("expected a list of news items (or a mapping with a 'news' list)",
                           path, root.start_mark.line + 1)
    return list(root.value)


def parse_news(text: str, path: str) -> tuple[list[NewsItem], list[Problem]]:
    """Parse news YAML ``text``; ``path`` is only used in messages.

    Items come back newest first.  Equal dates keep file order, and a
    month-only date sorts as if it were day 00: after the specific days of the
    same month.  That is plain string order on the normalised dates, so any
    consumer sorting the JSON ``date`` field gets the same order.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as exc:  # control characters; carries no mark
        line = text.count("\n", 0, exc.position) + 1
        raise PubsiteError(f"invalid YAML: {exc.reason} (U+{int(exc.character):04X})",
                           path, line) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PubsiteError(f"invalid YAML: {problem}", path,
                           mark.line + 1 if mark else None) from exc
    except RecursionError:  # PyYAML's composer recurses once per nesting level
        raise PubsiteError("invalid YAML: nested too deeply", path) from None
    problems: list[Problem] = []
    items = [item for node in _top_items(root, path)
             if (item := _item(node, path, problems)) is not None]
    items.sort(key=lambda item: item.date, reverse=True)  # sort is stable with reverse
    return items, problems


def load_news(
    path: str | os.PathLike[str], *, required: bool = False, display_path: str | None = None
) -> tuple[list[NewsItem], list[Problem]]:
    """Read and parse a news file; a missing optional file simply means no news.

    ``display_path`` is the name used in messages and on items (e.g. relative
    to the site root) when it differs from the path opened.
    """
    shown = display_path if display_path is not None else os.fspath(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        if required:
            raise PubsiteError("news file not found", shown) from None
        return [], []
    except OSError as exc:
        raise PubsiteError(f"cannot read news file: {exc.strerror}", shown) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PubsiteError("news file is not valid UTF-8", shown, line) from exc
    return parse_news(text, shown)
