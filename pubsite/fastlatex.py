"""LaTeX to Unicode for the common case, without pylatexenc, with pylatexenc's exact output.

Real bibliographies use a small part of LaTeX: accents (``{\\"o}``, ``\\'{e}``,
``\\c c``), a dozen special letters (``\\o``, ``\\ss``, ``\\i``), a few
escapes (``\\&``), ``\\emph{..}`` and dashes and quotes.  pylatexenc handles all
of LaTeX, slowly: building its parser per string costs about half a
millisecond, which on a large bibliography is most of a render.

:func:`to_text` reads exactly that small part and returns None for anything
else (math, unknown macros, comments, unbalanced braces, a blank line after a
macro...), so the caller falls back to pylatexenc.  Every rule below mirrors
what pylatexenc 2 does with ``math_mode="text", strict_latex_spaces=False``
and the macros :mod:`pubsite.latex` adds to it;
tests compare the two on every string of the shared corpora and on
generated strings.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["to_text"]

#: Accent macros and the combining character pylatexenc composes with (NFC).
ACCENTS = {
    "'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "c": "\u0327", "H": "\u030b", "k": "\u0328",
    "b": "\u0331", "d": "\u0323", "r": "\u030a", "u": "\u0306", "v": "\u030c",
}
#: Macros that stand for one letter.
LETTERS = {
    "i": "\u0131", "j": "\u0237", "o": "\u00f8", "O": "\u00d8", "l": "\u0142", "L": "\u0141",
    "ss": "\u00df", "ae": "\u00e6", "AE": "\u00c6", "oe": "\u0153", "OE": "\u0152",
    "aa": "\u00e5", "AA": "\u00c5",
}
#: Macros for one punctuation mark or sign; like letters, they swallow the spaces after them.
TEXT_SYMBOLS = {
    "textendash": "\u2013", "textemdash": "\u2014", "textquotesingle": "'", "textquotedblleft": "\u201c",
    "textquotedblright": "\u201d", "textquoteleft": "\u2018", "textquoteright": "\u2019",
    "ldots": "\u2026", "dots": "\u2026", "textellipsis": "\u2026", "textbullet": "\u2022",
    "textdegree": "\u00b0", "textregistered": "\u00ae", "texttrademark": "\u2122",
    "textcopyright": "\u00a9", "dag": "\u2020", "guillemotleft": "\u00ab", "guillemotright": "\u00bb",
}
#: Macros whose one braced argument is shown as it is: pylatexenc's own, and
#: those :mod:`pubsite.latex` configures it to keep (``\\url``, ``\\texttt``...).
WRAPPERS = frozenset({"emph", "textit", "textbf", "textsc", "textsl", "textrm", "textnormal",
                      "texttt", "textsf", "textup", "textmd", "mbox", "text", "url"})
#: Font switches, which show nothing.
SWITCHES = frozenset({"em", "bf", "it", "sl", "rm", "tt", "sf", "sc", "relax"})
#: Control symbols and what they show (they do not swallow the space after them).
SYMBOLS = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}",
    " ": " ", ",": " ", ";": " ", "-": "\u00ad", "/": "", "!": "", "@": "",
}
#: Symbol macros inside simple inline math, as pylatexenc shows them (none takes an argument).
MATH_SYMBOLS = {
    "alpha": "\u03b1", "beta": "\u03b2", "gamma": "\u03b3", "delta": "\u03b4", "epsilon": "\u03f5",
    "varepsilon": "\u03b5", "zeta": "\u03b6", "eta": "\u03b7", "theta": "\u03b8", "vartheta": "\u03d1",
    "iota": "\u03b9", "kappa": "\u03ba", "lambda": "\u03bb", "mu": "\u03bc", "nu": "\u03bd",
    "xi": "\u03be", "pi": "\u03c0", "varpi": "\u03d6", "rho": "\u03c1", "varrho": "\u03f1",
    "sigma": "\u03c3", "varsigma": "\u03c2", "tau": "\u03c4", "upsilon": "\u03c5", "phi": "\u03d5",
    "varphi": "\u03c6", "chi": "\u03c7", "psi": "\u03c8", "omega": "\u03c9", "omicron": "\u03bf",
    "Gamma": "\u0393", "Delta": "\u0394", "Theta": "\u0398", "Lambda": "\u039b", "Xi": "\u039e",
    "Pi": "\u03a0", "Sigma": "\u03a3", "Upsilon": "\u03a5", "Phi": "\u03a6", "Psi": "\u03a8",
    "Omega": "\u03a9", "Alpha": "\u0391", "Beta": "\u0392", "Epsilon": "\u0395", "Zeta": "\u0396",
    "Eta": "\u0397", "Iota": "\u0399", "Kappa": "\u039a", "Mu": "\u039c", "Nu": "\u039d",
    "Omicron": "\u039f", "Rho": "\u03a1", "Tau": "\u03a4", "Chi": "\u03a7",
    "prime": "'", "rightarrow": "\u2192", "leftarrow": "\u2190", "Rightarrow": "\u21d2",
    "Leftarrow": "\u21d0", "leftrightarrow": "\u2194", "Leftrightarrow": "\u21d4", "to": "\u2192",
    "sim": "\u223c", "approx": "\u2248", "exists": "\u2203", "forall": "\u2200", "nabla": "\u2207",
    "circ": "\u2218", "infty": "\u221e", "pm": "\u00b1", "mp": "\u2213", "times": "\u00d7",
    "cdot": "\u00b7", "leq": "\u2264", "geq": "\u2265", "le": "\u2264", "ge": "\u2265",
    "neq": "\u2260", "ell": "\u2113", "partial": "\u2202", "in": "\u2208", "notin": "\u2209",
    "subset": "\u2282", "subseteq": "\u2286", "cup": "\u222a", "cap": "\u2229", "emptyset": "\u2205",
    "star": "\u22c6", "ast": "\u2217", "dagger": "\u2020", "ldots": "\u2026", "cdots": "\u22ef",
    "equiv": "\u2261", "propto": "\u221d", "mapsto": "\u21a6", "wedge": "\u2227", "vee": "\u2228",
    "oplus": "\u2295", "otimes": "\u2297", "log": "log", "exp": "exp", "sin": "sin", "cos": "cos",
    "max": "max", "min": "min",
}
SPECIALS = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d",
            "!`": "\u00a1", "?`": "\u00bf", "~": "\u00a0"}

_TOKEN = re.compile(
    # pylatexenc reads any letter as part of a macro name ("\\oé" is one unknown macro).
    r"(?P<word>\\[^\W\d_]+)(?P<space>[ \t\n]*)"
    r"|(?P<symbol>\\[^A-Za-z])"
    r"|(?P<open>\{)|(?P<close>\})"
    r"|(?P<special>---|--|``|''|!`|\?`|~)"
    r"|(?P<math>\$(?:[^$\\%#&~`'\"]|\\[^\W\d_]+)+\$)"
    r"|(?P<bad>[$%#^_&\\])"
    r"|(?P<text>[^\\{}$%#^_&~`'!?\-]+|[`'!?\-])"
)
# The braced key list of a ``\\cite``, which pylatexenc shows as "<cit.>" whatever it holds.
_CITE_KEYS = re.compile(r"\{[^{}\\%$]*\}")
# What may come between an accent and its argument: spaces and at most one line break.
_GAP = re.compile(r"[ \t]*(?:\n[ \t]*)?")


class _Unsure(Exception):
    """Outside the part of LaTeX this module vouches for."""


def to_text(text: str) -> str | None:
    """``text`` as pylatexenc would render it, or None when only pylatexenc should decide."""
    try:
        out, end = _group(text, 0, top=True)
    except _Unsure:
        return None
    return out if end == len(text) else None


def _group(text: str, pos: int, top: bool = False) -> tuple[str, int]:
    """Text of a group body starting at ``pos``; returns it and the index after its ``}``."""
    parts: list[str] = []
    size = len(text)
    while pos < size:
        m = _TOKEN.match(text, pos)
        if m is None:
            raise _Unsure
        kind = m.lastgroup
        if kind == "space":  # lastgroup of a control word with its trailing space
            kind = "word"
        pos = m.end()
        if kind == "text":
            parts.append(m.group())
        elif kind == "open":
            inner, pos = _group(text, pos)
            parts.append(inner)
        elif kind == "close":
            if top:
                raise _Unsure
            return "".join(parts), pos
        elif kind == "special":
            parts.append(SPECIALS[m.group()])
        elif kind == "math":
            parts.append(_math(m.group()[1:-1]))
        elif kind == "word":
            if m.group("space").count("\n") > 1:  # a paragraph break: pylatexenc keeps it
                raise _Unsure
            name = m.group("word")[1:]
            if name in LETTERS:
                parts.append(LETTERS[name])
            elif name in SWITCHES:
                pass
            elif name in TEXT_SYMBOLS:
                parts.append(TEXT_SYMBOLS[name])
            elif name == "cite":
                keys = _CITE_KEYS.match(text, pos)
                if keys is None:
                    raise _Unsure
                parts.append("<cit.>")
                pos = keys.end()
            elif name in ACCENTS:
                accented, pos = _accent(text, pos, ACCENTS[name])
                parts.append(accented)
            elif name in WRAPPERS:
                if not text.startswith("{", pos):
                    raise _Unsure
                inner, pos = _group(text, pos + 1)
                parts.append(inner)
            else:
                raise _Unsure
        elif kind == "symbol":
            char = m.group()[1]
            if char in ACCENTS:
                accented, pos = _accent(text, pos, ACCENTS[char])
                parts.append(accented)
            elif char in SYMBOLS:
                parts.append(SYMBOLS[char])
            else:
                raise _Unsure
        else:
            raise _Unsure
    if not top:
        raise _Unsure  # unbalanced: pylatexenc guesses, we do not
    return "".join(parts), pos


#: What simple inline math may hold besides letters, digits and non-ASCII signs (``⁺``, ``₋``):
#: pylatexenc shows all of it as typed (``$n^{5/2}$`` is "n^5/2", ``A${}^*$`` is "A^*"), braces dropped.
_MATH_CHARS = frozenset("+-/()=.,:;<>!?|*[]^_{} ")


_MATH_MACRO = re.compile(r"\\([^\W\d_]+)")


def _math(body: str) -> str:
    """The text of ``$body$`` when it is letters, digits, plain symbols and symbol macros, as pylatexenc shows it.

    Spaces at either end or beside braces, line breaks, a dash pair, an empty
    sub/superscript and unbalanced braces are left to pylatexenc, which treats
    them its own way; so are a space or a group after a macro (pylatexenc
    keeps the space in math, and a group may be an argument).
    """
    if "\\" in body:
        shown = _MATH_MACRO.sub(_math_symbol, body)
        # Checked as if each macro were a letter: that is how it sits among the rest.
        _plain_math(_MATH_MACRO.sub("x", body))
        return shown.replace("{", "").replace("}", "")
    return _plain_math(body)


def _math_symbol(match: re.Match[str]) -> str:
    symbol = MATH_SYMBOLS.get(match.group(1))
    if symbol is None or match.string[match.end():match.end() + 1] in (" ", "{", "\n", "\t"):
        raise _Unsure
    return symbol


def _plain_math(body: str) -> str:
    if body != body.strip() or "--" in body or not all(
            c.isalnum() or c in _MATH_CHARS or (c > "\x7f" and not c.isspace()) for c in body):
        raise _Unsure
    if " " in body and ("{" in body or "}" in body):  # pylatexenc drops spaces beside a group
        raise _Unsure
    depth = 0
    for index, char in enumerate(body):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise _Unsure
        elif char in "^_" and body[index + 1:index + 2] in ("", " ", "}", "^", "_"):
            raise _Unsure
    if depth:
        raise _Unsure
    return body.replace("{", "").replace("}", "")


def _accent(text: str, pos: int, combining: str) -> tuple[str, int]:
    """The accented argument at ``pos`` (a group, a letter macro or one character)."""
    pos = _GAP.match(text, pos).end()  # type: ignore[union-attr]
    if pos >= len(text):
        raise _Unsure
    char = text[pos]
    if char == "{":
        base, pos = _group(text, pos + 1)
        base = base.strip()
    elif char == "\\":
        m = _TOKEN.match(text, pos)
        if m is None or m.lastgroup != "space" or m.group("word")[1:] not in LETTERS \
                or m.group("space").count("\n") > 1:
            raise _Unsure
        base, pos = LETTERS[m.group("word")[1:]], m.end()
    elif char.isalnum():
        base, pos = char, pos + 1
    else:
        raise _Unsure
    return "".join(_compose(c, combining) for c in base), pos


def _compose(char: str, combining: str) -> str:
    # pylatexenc puts the accent on a plain i or j, not on the dotless one.
    if char == "\u0131":
        char = "i"
    elif char == "\u0237":
        char = "j"
    return unicodedata.normalize("NFC", char + combining)
