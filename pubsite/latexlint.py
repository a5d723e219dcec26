"""Does the decoded text of a field say what its LaTeX meant?

Decoding is lenient on purpose (a render must never fail on odd LaTeX), so
mistakes vanish silently: a stray brace is dropped, ``\\cite{A}`` and
``\\label{B}`` come out as nothing, an unknown command eats its argument.  This
module finds those cases for ``pubsite check`` by comparing the raw text with
what :func:`pubsite.latex.decode` makes of it, so it follows the decoder: when
the decoder learns a command, the warning goes away by itself.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from .latex import decode

# pylatexenc logs a warning for each command it cannot substitute; we report them ourselves.
logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)

# A command, and whether a non-empty ``{...}`` argument follows it.
_MACRO = re.compile(r"\\([a-zA-Z]+)\s*(\{(?!\}))?")
# Commands that rightly print nothing: font switches, spacing and math sizing.
_SILENT = frozenset("""
    bf it em sc tt rm sf sl up md normalfont bfseries itshape scshape ttfamily rmfamily
    sffamily upshape mdseries slshape relax protect xspace noindent newblock nobreak
    allowbreak small large Large LARGE huge Huge tiny scriptsize footnotesize normalsize
    selectfont left right big Big bigg Bigg bigl bigr Bigl Bigr displaystyle textstyle
    limits nolimits hfill unskip null strut noopsort nocorr
""".split())
#: Characters that only LaTeX markup puts in decoded text, and how the raw text escapes each.
_ESCAPES = {
    "{": ("\\{", "\\textbraceleft", "\\lbrace"),
    "}": ("\\}", "\\textbraceright", "\\rbrace"),
    "$": ("\\$", "\\textdollar"),
    "\\": ("\\textbackslash", "\\backslash"),
}


def _unbalanced(raw: str) -> str | None:
    """Unescaped braces that do not pair up, or an odd number of unescaped ``$``."""
    depth = 0
    dollars = 0
    escaped = False
    for char in raw:
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return "a '}' closes no brace"
        elif char == "$":
            dollars += 1
    if depth > 0:
        return "a '{' is never closed"
    if dollars % 2:
        return "a '$' opens math that is never closed"
    return None


@lru_cache(maxsize=4096)
def _eats_argument(name: str) -> bool:
    """True when the decoder loses the text of ``\\name{...}`` (``\\cite``, ``\\label``)."""
    return _letters(decode(f"\\{name}{{Zq}}")) != _letters("Zq")


@lru_cache(maxsize=4096)
def _shows_nothing(name: str) -> bool:
    """True when ``\\name`` alone decodes to nothing and is not a font switch (``\\LaTeX``)."""
    return name not in _SILENT and decode(f"\\{name}") == ""


def _letters(text: str) -> Counter[str]:
    """Letters and digits of ``text``, accents, case and math alphabets folded, as a multiset."""
    return Counter(c for c in unicodedata.normalize("NFKD", text).casefold() if c.isalnum())


def trouble(raw: str) -> str | None:
    """Why ``raw`` (a field value, macros expanded) does not display as written, or None.

    >>> trouble("{GlueFL}: Reconciling") is None
    True
    >>> print(trouble("A \\cite{B} C"))
    '\\cite{B}' shows as nothing
    >>> print(trouble("Cost of {Big-O"))
    a '{' is never closed
    """
    if not any(c in raw for c in "\\{}$"):
        return None
    reason = _unbalanced(raw)
    if reason or not ("\\" in raw or "$" in raw):
        return reason  # balanced braces alone decode by being removed
    shown = decode(raw)
    for char, escapes in _ESCAPES.items():
        allowed = sum(raw.count(e) for e in escapes)
        if shown.count(char) > allowed:
            return f"'{char}' is left in the displayed text"
    lost = _letters(_MACRO.sub(" ", raw)) - _letters(shown)
    culprits: dict[str, None] = {}
    for match in _MACRO.finditer(raw):
        name, argument = match.group(1), match.group(2)
        # An argument-eater is only named when text was really lost: a probe
        # with one argument cannot judge ``\frac{a}{b}``.
        if argument and lost and _eats_argument(name):
            culprits[_shorten(raw[match.start():_group_end(raw, match.end() - 1)])] = None
        elif not argument and _shows_nothing(name):
            culprits[f"\\{name}"] = None
    if culprits:
        return ", ".join(f"'{c}'" for c in culprits) + " shows as nothing"
    if lost:
        return f"text is lost in decoding (shown as '{_shorten(shown)}')"
    return None


def _group_end(text: str, start: int) -> int:
    """Index just past the ``{...}`` group opening at ``start`` (end of text if unclosed)."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{" and text[index - 1] != "\\":
            depth += 1
        elif text[index] == "}" and text[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
