"""Colours a user configures, made safe and readable.

A colour from config ends up inside a ``style`` attribute, so only ``#rgb`` and
``#rrggbb`` are accepted: anything richer (``url(...)``, ``;``) could smuggle
CSS into the page.  The text on a badge is then chosen black or white by WCAG
contrast, so no colour a user picks can make their venue names unreadable:
for every sRGB colour one of the two reaches at least 4.5:1.
"""

from __future__ import annotations

import re

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
BLACK = "#000000"
WHITE = "#ffffff"


def parse_hex(value: str) -> str | None:
    """``#rrggbb`` in lower case, or None when ``value`` is not a hex colour.

    >>> parse_hex("#A1b"), parse_hex("red")
    ('#aa11bb', None)
    """
    value = value.strip()
    if not _HEX.match(value):
        return None
    digits = value[1:].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def luminance(color: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""
    channels = []
    for start in (1, 3, 5):
        c = int(color[start:start + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio (1 to 21) between two ``#rrggbb`` colours."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever reads better on ``background``.

    >>> text_on("#800017"), text_on("#ffd54f")
    ('#ffffff', '#000000')
    """
    return WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK
