"""The BibTeX a visitor copies: the entry rebuilt from parsed fields, public fields only.

Owners annotate their bib file for the site (``abbr``, ``selected``, ``pdf``,
``equal``, ``annotation``, marks after names...), and none of that belongs in
someone else's reference list.  The block is therefore *rebuilt* from the
parsed fields through an allow-list of standard BibTeX/BibLaTeX fields, never
obtained by deleting lines of the source: a line filter cannot tell a private
``code = {...}`` from a title that happens to contain "code", and it breaks on
values that span lines.  Values stay in the user's LaTeX (accents, protected
capitals), so the copy compiles exactly as their own document does.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .bib import MONTH_MACROS
from .links import safe_url
from .model import Publication
from .names import strip_marks
from .publications import parse_month

#: Fields a reader's bibliography can use, in the vocabulary of BibTeX and
#: BibLaTeX.  Left out on purpose: ``abstract`` (shown in its own toggle, and
#: long), ``keywords``, ``file``, ``crossref`` (its fields are inlined), and
#: every site or exporter annotation (``abbr``, ``pdf``, ``code``, ``timestamp``...).
PUBLIC_FIELDS: frozenset[str] = frozenset({
    "author", "editor", "title", "subtitle", "booktitle", "journal", "journaltitle",
    "eventtitle", "year", "month", "date", "volume", "number", "issue", "pages",
    "chapter", "edition", "series", "publisher", "organization", "institution",
    "school", "address", "location", "howpublished", "type", "note", "doi", "url",
    "eprint", "eprinttype", "archiveprefix", "primaryclass", "eprintclass",
    "isbn", "issn", "pubstate",
})
_NAME_FIELDS = ("author", "editor")
_MACRO_OF_MONTH = dict(enumerate(MONTH_MACROS, 1))


_BRACE = re.compile(r"[{}]")
#: Text whose braces all pair up, three levels deep at most.
_NESTED = re.compile(r"[^{}]*(?:\{[^{}]*(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}[^{}]*)*\}[^{}]*)*")


def _balanced(value: str) -> str:
    """Drop unmatched braces, counted as BibTeX counts them, so the block always parses.

    Only the braces are visited (a regex jumps between them): every field of
    every entry on the page passes through here.  Most braced values nest
    no deeper than three levels and are matched whole by one regex first.
    """
    if "{" not in value and "}" not in value or _NESTED.fullmatch(value) is not None:
        return value
    opened: list[int] = []
    unmatched: list[int] = []
    for match in _BRACE.finditer(value):
        if match.group() == "{":
            opened.append(match.start())
        elif opened:
            opened.pop()
        else:
            unmatched.append(match.start())
    unmatched += opened
    if not unmatched:
        return value
    drop = set(unmatched)
    return "".join(char for index, char in enumerate(value) if index not in drop)


#: A name of an author list that ``strip_marks`` gives back as it is: space-separated words, none of
#: them "and" in any case, none of the characters or pairs that need care (braces, backslash, marks,
#: math, invisibles), no comma at either end, and not "others" or "et al." give or take dots and
#: spaces (the words ``strip_marks`` turns into "others"; a wider match only leaves more to it).
_WORD = (r"(?!(?i:and)(?: |$))[^ \\{}$~&^#*"
         "\u2217\u204e\u2020\u2021\u00a7\u00b6\u22c6\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+")
_ET_AL = r"[. ]*(?:(?i:o[. ]*t[. ]*h[. ]*e[. ]*r[. ]*s|e[. ]*t[. ]*a[. ]*l(?:[. ]*i[. ]*i)?)|\u2026)?[. ]*(?: and |$)"
_NAME = rf"(?!,|{_ET_AL}){_WORD}(?: {_WORD})*(?<!,)"
_PLAIN_NAMES = re.compile(rf"{_NAME}(?: and {_NAME})*(?: and others)?")


#: An accent typed in LaTeX (``\\"o``, ``{\\'{e}}``, ``\\c{c}``, ``{\\ss}``...): ``strip_marks`` leaves it as it
#: is, since none is a mark, an empty group or a stray brace.  None may spell ``\\dots``, ``\\ldots`` or
#: ``\\textellipsis`` once braces, dots and ties are dropped (as the test for "others" drops them), so
#: ``~`` and ``.`` take no d, l or t, and the lettered accents are only those written with a brace.
_ARG = r"(?:[A-Za-z]|\{[A-Za-z]\}|\{\\[ij]\}|\\[ij](?![A-Za-z]))"
_ARG_NO_DLT = r"(?:[A-CE-KM-SU-Za-ce-km-su-z]|\{[A-CE-KM-SU-Za-ce-km-su-z]\}|\{\\[ij]\}|\\[ij](?![A-Za-z]))"
_ACCENT_ONLY = rf"(?:\\(?:['\"`^=]|[cvuHkrb](?=\{{)){_ARG}|\\[~.]{_ARG_NO_DLT})"
_ACCENT = re.compile(rf"\{{{_ACCENT_ONLY}\}}|{_ACCENT_ONLY}|\{{\\(?:aa|AA|ss|o|O|ae|AE|oe|OE|i|j)\}}")
#: Letters protected by braces (``{D}e``, ``{de Barbaro}``), without another brace, tie or accent inside.
_BRACED = re.compile(r"\{([A-Za-z]+(?: [A-Za-z]+)*)\}")


def _is_plain(text: str) -> bool:
    """True for a list ``strip_marks`` gives back as it is (pairs it treats with care excluded outright)."""
    return _PLAIN_NAMES.fullmatch(text) is not None and "--" not in text and "``" not in text and "''" not in text


def _names(text: str) -> str:
    """:func:`~pubsite.names.strip_marks` of a whitespace-collapsed author or editor field.

    Nearly every field is a plain list of names that ``strip_marks`` leaves
    as it is, and one match says so for a fraction of its cost (a test holds
    the two equal on the corpora and on generated lists).  A sixth of real
    fields have accents or protected letters, which ``strip_marks`` keeps as
    typed: with each accent read as a letter and the braces of protected
    letters dropped, the same match says so for them.  Braces hide what
    ``strip_marks`` would read as "others" from the literal "and others" the
    match allows at the end, so that end must be literal in the field itself.
    """
    if _is_plain(text):
        return text
    if "{" in text or "\\" in text:
        shape = _BRACED.sub(r"\1", _ACCENT.sub("x", text))
        if _is_plain(shape) and (text.endswith(" and others") or not shape.endswith(" and others")):
            return text
    return strip_marks(text)


def _value(name: str, raw: str) -> str | None:
    """The ``{...}`` (or month macro) to write for one field, or None to leave it out."""
    text = " ".join(raw.split())
    spaced = text  # whitespace already collapsed (the join is idempotent), until text changes
    if name in _NAME_FIELDS:
        text = _names(text)
    elif name == "month":
        month = parse_month(text)
        if month is not None:
            return _MACRO_OF_MONTH[month]
    elif name == "url":
        url = safe_url(text, "")
        # A bare file name means a file of the owner's site: useless in someone else's bibliography.
        if url is None or not url.lower().startswith(("http://", "https://")):
            return None
        text = url
    balanced = _balanced(text)
    if balanced is not spaced:  # dropping braces, marks or URL escapes may leave runs of spaces
        text = " ".join(balanced.split())
    return "{" + text + "}" if text else None


#: Fields many entries share word for word (a venue, a publisher, a year): their
#: cleaned value is remembered rather than worked out again for every entry.
_SHARED_FIELDS = frozenset({"booktitle", "journal", "journaltitle", "eventtitle", "year", "month", "volume",
                            "number", "issue", "edition", "series", "publisher", "organization", "institution",
                            "school", "address", "location", "editor", "eprinttype", "archiveprefix",
                            "primaryclass", "eprintclass", "pubstate", "type", "issn"})
_shared_value = lru_cache(maxsize=8192)(_value)


@lru_cache(maxsize=4096)
def _serialize(type_: str, key: str, fields: tuple[tuple[str, str], ...]) -> str:
    lines = [f"@{type_}{{{key},"]
    for name, raw in fields:
        if name not in PUBLIC_FIELDS:
            continue
        value = _shared_value(name, raw) if name in _SHARED_FIELDS else _value(name, raw)
        if value is not None:
            lines.append(f"  {name} = {value},")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}"


def to_bibtex(pub: Publication) -> str:
    """The entry as BibTeX text (not escaped: the template escapes it for HTML).

    Fields keep the order of the user's file.

    >>> from pubsite.model import Links, Publication
    >>> print(to_bibtex(Publication("k", "misc", "T", (), 2020, None, None, None,
    ...       "published", Links(), fields=(("title", "T"), ("abbr", "X"), ("month", "July")))))
    @misc{k,
      title = {T},
      month = jul
    }
    """
    return _serialize(pub.type, pub.key, pub.fields)
