"""Text for Markdown that Jekyll's kramdown and Hugo's goldmark read the same way.

Backslash escapes are not enough: kramdown keeps ``\\*`` verbatim inside inline
HTML such as ``<u><em>``, and turns ``...``/``--`` into typographic symbols that
CommonMark leaves alone; goldmark links bare ``https://`` and ``www.`` text and
e-mail addresses that kramdown does not.  So every character with a Markdown
meaning in either dialect is written as a numeric character reference, which
both decode to the same character and neither treats as syntax.  HTML escaping
comes first (``&``, ``<``, ``>``, quotes), so no input can open a tag or an
entity of its own.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Markdown syntax in CommonMark, GFM or kramdown (math '$', IAL '{:', tables '|',
# strikethrough '~', autolinked e-mail '@'); '&', '<', '>' and quotes are escaped as HTML.
_SPECIAL = "\\`*_[]#|~{}$@"
_TOKEN = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"  # an entity: keep
                    r"|[" + re.escape(_SPECIAL) + r"]"
                    r"|\.(?=\.)|-(?=-)"  # '...' and '--' become typographic symbols in kramdown
                    r"|(?<=www)\.|:(?=//)", re.IGNORECASE)  # 'www.' and 'https://' are autolinked by goldmark
_TAG = re.compile(r"(<[^>]*>)")


def _reference(match: re.Match[str]) -> str:
    token = match.group()
    return token if token.startswith("&") else f"&#{ord(token)};"


def neutral(escaped: str) -> str:
    """Already HTML-escaped text with every Markdown-significant character as a reference."""
    return _TOKEN.sub(_reference, escaped)


def md_text(text: str) -> Markup:
    """Plain text from the inputs, safe and literal in kramdown and CommonMark alike."""
    return Markup(neutral(str(escape(text))))


def md_html(html: str) -> Markup:
    """Sanitised inline HTML (a news line): its tags kept, the text between them made literal."""
    return Markup("".join(part if part.startswith("<") else neutral(part) for part in _TAG.split(str(html))))


def md_url(url: str) -> Markup:
    """A link destination both dialects read to the end: no space, bracket or quote left raw."""
    for char in " ()<>\"\\":
        url = url.replace(char, f"%{ord(char):02X}")
    return Markup(str(escape(url)))
