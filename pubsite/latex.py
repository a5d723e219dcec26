"""LaTeX to Unicode for the text a reader sees.

Decoding is the slowest step of any BibTeX pipeline, so it is applied only to
displayed strings, skipped for strings with nothing to decode, and memoised
per distinct string (author names and venues repeat a lot).  The decoding
itself is pylatexenc's; this module only adds the fast paths and the few
conventions pylatexenc does not know (``$^*$`` marks, ``{}`` case protection).
"""

from __future__ import annotations

import html
import re
import threading
from functools import lru_cache
from typing import Any

from .fastlatex import to_text

_NEEDS_WORK = re.compile(r"[\\{}$~&]|--|``|''")
_SPACE = re.compile(r"\s+")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
# Superscript marks written in math or with \textsuperscript: kept as glyphs.
_SUPER = re.compile(
    r"\$\s*\^\s*\{?\s*(\\ast|\*|\\dagger|\\ddagger|\\S|\\P|\\star|\\#)\s*\}?\s*\$"
    r"|\\textsuperscript\s*\{\s*(\\ast|\*|\\dagger|\\ddagger|\\S|\\P|\\star|\\#|[^{}\\]{1,3})\s*\}"
)
_GLYPHS = {
    "\\ast": "*", "*": "*", "\\dagger": "†", "\\ddagger": "‡", "\\S": "§",
    "\\P": "¶", "\\star": "⋆", "\\#": "#",
}
_BRACES_ONLY = re.compile(r"[\\$~&]|--|``|''")
# A caret or tilde typed as an accent on nothing (``{\^{}}``): pylatexenc drops it.
_BARE_ACCENT = re.compile(r"\\([\^~])\{\}")
# ``{\"\{o}}``: an accent typed on an escaped brace, meant for the letter after it.
_ACCENT_ON_BRACE = re.compile(r"(\\[\"'`^~=.uvHcrbdk])\\\{")
# DBLP exports math as escaped text (``{\textdollar}{\textbackslash}mathrm...``);
# once decoded it is LaTeX again, and is decoded a second time.
_MATH_DEBRIS = re.compile(r"\$[^$]*\\[A-Za-z][^$]*\$")
_MATH = re.compile(r"\$[^$]+\$|\\\(.+?\\\)")
_SCRIPT = re.compile(r"([\^_])(?:\{((?:\\mbox\{)?[0-9+\-=()ni]+\}?)\}|([0-9]))")
_SUPERSCRIPTS = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")

_converter = None
_KEEP_ARGUMENT = ("texttt", "textsf", "textup", "textmd", "textsl", "textnormal", "mbox", "hbox",
                  "fbox", "text", "url")


def _latex_to_text(text: str) -> str:
    """pylatexenc's reading of ``text``, on a thread of its own.

    pylatexenc ends a parse on an end-of-input exception that it keeps in a
    local of a frame the exception's traceback holds: a reference cycle.
    Each frame in it holds its caller's frame, up to the top of the stack,
    and a render runs without the cyclic garbage collector (see
    :mod:`pubsite.site`): called on the render's own stack, one such cycle
    kept every entry, block and intermediate list of the render alive to
    the end.  A thread's stack ends with the thread, so only this call's
    few frames are kept.  (A thread costs tens of microseconds, and few
    strings get this far: see :mod:`pubsite.fastlatex`.)
    """
    converter = _pylatexenc()
    result: list[str] = []

    def run() -> None:
        try:
            result.append(converter.latex_to_text(text))
        except Exception:  # told to the caller below, like any failure of pylatexenc
            pass

    thread = threading.Thread(target=run, name="pubsite-latex", daemon=True)
    thread.start()
    thread.join()
    if not result:
        raise ValueError("pylatexenc could not read the text")
    return result[0]


def _pylatexenc() -> Any:
    global _converter
    if _converter is None:
        # Imported lazily: pylatexenc's tables take a noticeable time to build,
        # and many inputs never need them.
        from pylatexenc import latex2text

        context = latex2text.get_default_latex_context_db()
        # pylatexenc drops these macros with their argument; in titles they
        # wrap real words ("\texttt{clingo}", "\mbox{k}-means", "\LaTeX").
        context.add_context_category("pubsite", prepend=True, macros=[
            *(latex2text.MacroTextSpec(name, simplify_repl="%s") for name in _KEEP_ARGUMENT),
            latex2text.MacroTextSpec("LaTeX", simplify_repl="LaTeX"),
            latex2text.MacroTextSpec("TeX", simplify_repl="TeX"),
        ])
        _converter = latex2text.LatexNodes2Text(latex_context=context, math_mode="text",
                                                strict_latex_spaces=False)
    return _converter


def _needs_work(text: str) -> bool:
    """``_NEEDS_WORK.search(text)`` as substring tests, several times faster: most titles are plain."""
    return ("{" in text or "}" in text or "\\" in text or "$" in text or "~" in text or "&" in text
            or "--" in text or "``" in text or "''" in text)


def _more_than_braces(text: str) -> bool:
    """``_BRACES_ONLY.search(text)`` as substring tests, for the same reason."""
    return ("\\" in text or "$" in text or "~" in text or "&" in text
            or "--" in text or "``" in text or "''" in text)


def _squeeze(text: str) -> str:
    """``_SPACE.sub(" ", text).strip()``: both read whitespace as ``str.isspace`` does, and this is faster."""
    return " ".join(text.split())


def _superscript(match: re.Match[str]) -> str:
    token = match.group(1) or match.group(2)
    return _GLYPHS.get(token.strip(), token.strip())


def _script(match: re.Match[str]) -> str:
    """``^{0}`` as ``⁰`` and ``_2`` as ``₂``: how the formula reads once the markup is gone."""
    body = match.group(2) or match.group(3)
    body = body.replace("\\mbox{", "").replace("}", "")
    table = _SUPERSCRIPTS if match.group(1) == "^" else _SUBSCRIPTS
    if not body or any(ord(c) not in table for c in body):
        return match.group(0)
    return body.translate(table)


def _scripts_in_math(text: str) -> str:
    if "^" not in text and "_" not in text:
        return text
    return _MATH.sub(lambda m: _SCRIPT.sub(_script, m.group(0)), text)


@lru_cache(maxsize=65536)
def decode(text: str) -> str:
    """Return ``text`` as plain Unicode with whitespace collapsed.

    >>> decode(r"Sch{\\"o}lkopf")
    'Schölkopf'
    >>> decode("{GlueFL}: Reconciling Client Sampling")
    'GlueFL: Reconciling Client Sampling'
    >>> decode(r"Wu$^*$")
    'Wu*'
    """
    if not _needs_work(text):
        return _squeeze(text)
    if "&" in text:
        # ACM exports leak HTML entities (``&amp;``) into titles.
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
        # A bare "&" is an alignment tab to LaTeX, but in a title it is an ampersand.
        text = re.sub(r"(?<!\\)&", r"\\&", text)
    if not _more_than_braces(text):
        return _squeeze(text.replace("{", "").replace("}", ""))
    text = _SUPER.sub(_superscript, text)
    text = _BARE_ACCENT.sub(lambda m: "^" if m.group(1) == "^" else r"\textasciitilde{}", text)
    text = _ACCENT_ON_BRACE.sub(r"\1{", text)
    out = _to_text(_scripts_in_math(text))
    if "$" in out and _MATH_DEBRIS.search(out):
        out = _MATH_DEBRIS.sub(lambda m: _to_text(_scripts_in_math(m.group(0))), out)
    if "&" in out:
        # ACM double-escapes: ``\&\#38;`` decodes to the entity ``&#38;``.
        out = _ENTITY.sub(lambda m: html.unescape(m.group(0)), out)
    out = out.replace("\u00a0", " ")
    return _squeeze(out)


def _to_text(text: str) -> str:
    try:
        # The common accents and macros without pylatexenc (same output, see fastlatex).
        out = to_text(text)
        return out if out is not None else _latex_to_text(text)
    except Exception:  # pylatexenc is lenient, but never let it take a render down
        return text.replace("{", "").replace("}", "")
