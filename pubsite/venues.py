"""Where an entry appeared, as a reader wants to see it: "Full Name (SHORT YEAR)".

Exporters disagree on where the venue lives (``booktitle``, ``journal``,
BibLaTeX's ``journaltitle``/``eventtitle``, ``school``...) and pad it with
"Proceedings of the 59th", years and places.  This module picks the field
that fits the entry type, strips that noise, and asks the known-venue table
(plus the user's own venues, which win) for the short name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from .latex import decode
from .venuetable import KnownVenue, match_venue

# Fields that name the venue, by entry type, in order of preference.
_SOURCES: dict[str, tuple[str, ...]] = {
    "article": ("journal", "journaltitle", "booktitle", "howpublished", "publisher"),
    "inproceedings": ("booktitle", "eventtitle", "journal", "journaltitle", "howpublished"),
    "conference": ("booktitle", "eventtitle", "journal", "howpublished"),
    "incollection": ("booktitle", "journal", "publisher"),
    "inbook": ("booktitle", "title", "publisher"),
    "phdthesis": ("school", "institution"),
    "mastersthesis": ("school", "institution"),
    "thesis": ("school", "institution"),
    "techreport": ("institution", "school", "publisher"),
    "book": ("publisher",),
    "proceedings": ("publisher", "organization"),
}
_DEFAULT_SOURCES = ("journal", "journaltitle", "booktitle", "howpublished", "publisher",
                    "institution", "school")

_PROCEEDINGS = re.compile(r"^(?:in\s*:?\s+)?(?:(?:proc(?:eedings\b|\.|\b)|companion proceedings\b)\s*)?"
                          r"(?:of\s+)?(?:the\s+)?", re.IGNORECASE)
_ORDINAL = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
    r"nineteenth|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-?(?:first|second|"
    r"third|fourth|fifth|sixth|seventh|eighth|ninth))?|(?:twentieth|thirtieth|fortieth|fiftieth|"
    r"sixtieth|seventieth|eightieth|ninetieth))\b\s*",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\w/])(?:19|20)\d\d(?![\w/])")
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_SPACES = re.compile(r"\s+")
_TRAILING_PUNCT = re.compile(r"\s*[,:;\-–—]\s*$")
_LEADING_PUNCT = re.compile(r"^[,:;\-–—]\s*")
_PREPRINT_KINDS = ("preprint",)
# ``howpublished = {\url{...}}`` is a link, not a venue.
_URLISH = re.compile(r"^\s*(?:\\url\s*\{|https?://)", re.IGNORECASE)
# What an acronym of a venue looks like: "CNS", "ICSE-NIER", "MobiCom", "SIGMOD/PODS".
_ACRONYM = r"[A-Z][A-Za-z0-9]*(?:[-/&+][A-Za-z0-9]+)*"
# IEEE's "2020 IEEE Conference on Communications and Network Security (CNS)".
_PAREN_ACRONYM = re.compile(rf"\(\s*({_ACRONYM})(?:\s+'?(?:19|20)?\d\d)?\s*\)\s*$")
# DBLP's "Stabilization, Safety, and Security ... - 13th International Symposium, SSS 2011, Grenoble, ...".
_DBLP_ACRONYM = re.compile(rf",\s+({_ACRONYM})\s+(?:19|20)\d\d\s*(?:,|\.|$)")


@dataclass(frozen=True)
class Venue:
    """The venue of one entry; ``kind`` comes from the known-venue table when matched."""

    name: str | None
    short: str | None
    kind: str | None = None
    #: The raw text the venue was read from (after LaTeX decoding).
    source: str | None = None

    @property
    def is_preprint(self) -> bool:
        return self.kind in _PREPRINT_KINDS


def venue_field(entry_type: str, fields: Mapping[str, str]) -> str | None:
    """The name of the field the venue is read from for this entry type (``check`` lints it)."""
    for name in _SOURCES.get(entry_type, _DEFAULT_SOURCES):
        value = fields.get(name)
        if value and value.strip() and not _URLISH.match(value):
            return name
    return None


def raw_venue(entry_type: str, fields: Mapping[str, str]) -> str | None:
    """The decoded text of the field that names the venue for this entry type."""
    name = venue_field(entry_type, fields)
    return decode(fields[name]) if name else None


@lru_cache(maxsize=65536)  # venue strings repeat across a bibliography's entries
def _acronym(text: str) -> str | None:
    """The short name a venue string carries itself, when the table does not know the venue.

    >>> _acronym("2020 IEEE Conference on Communications and Network Security (CNS)")
    'CNS'
    >>> _acronym("Proceedings of ACL (Volume 1: Long Papers)") is None
    True
    """
    for pattern in (_PAREN_ACRONYM, _DBLP_ACRONYM):
        match = pattern.search(text)
        if match:
            word = match.group(1)
            if sum(c.isupper() for c in word) >= 2 and len(word) <= 16:
                return word
    return None


def _dblp_name(text: str) -> str:
    """DBLP's "Name, ACRONYM YEAR, Place, Dates. Proceedings" cut to the name."""
    match = _DBLP_ACRONYM.search(text)
    return text[:match.start()] if match else text


def _arxiv_eprint(fields: Mapping[str, str]) -> bool:
    """arXiv's own export (``@misc`` + ``eprint`` + ``archivePrefix``) names no venue at all."""
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    return prefix == "arxiv" and bool((fields.get("eprint") or "").strip())


@lru_cache(maxsize=65536)  # venue strings repeat across a bibliography's entries
def clean_name(text: str) -> str:
    """Strip "Proceedings of the 40th", years and a trailing "(ABBR 'YY)" from a venue.

    >>> clean_name("Proceedings of the 59th ACM/IEEE Design Automation Conference")
    'ACM/IEEE Design Automation Conference'
    >>> clean_name("33rd USENIX Security Symposium (USENIX Security 24)")
    'USENIX Security Symposium'
    """
    name = _PROCEEDINGS.sub("", _dblp_name(text.strip()), count=1)
    name = _ORDINAL.sub("", name, count=1)
    while ")" in name:
        stripped = _TRAILING_PAREN.sub("", name)
        if stripped == name or not stripped:
            break
        name = stripped
    name = _YEAR.sub("", name)
    name = _TRAILING_PUNCT.sub("", _SPACES.sub(" ", name)).strip()
    name = _LEADING_PUNCT.sub("", name)
    if name and name[0].islower() and text.strip()[:1].isupper():
        name = name[0].upper() + name[1:]
    return name or text.strip()


def venue_of(entry_type: str, fields: Mapping[str, str], aliases: Mapping[str, str],
             names: Mapping[str, str]) -> Venue:
    """Resolve the displayed venue of one entry.

    Precedence: the entry's own ``venue``/``abbr``/``venue_short`` fields, then
    the user's config, then the built-in table, then the cleaned raw text.
    An explicitly empty ``abbr = {}`` means "show no short name".
    """
    raw = raw_venue(entry_type, fields)
    if raw is None and not fields.get("venue") and _arxiv_eprint(fields):
        raw = "arXiv"
    own_name = decode(fields["venue"]) if fields.get("venue") else None
    own_short: str | None = None
    explicit_none = False
    for key in ("venue_short", "abbr"):
        if key in fields:
            value = decode(fields[key])
            if value:
                own_short = value
            else:
                explicit_none = True
            break
    known: KnownVenue | None = None
    for probe in (own_short, own_name, raw):
        if probe:
            known = match_venue(probe, aliases)
            if known is not None:
                break
    short = own_short or (known.short if known else None) or (_acronym(raw) if raw else None)
    if explicit_none:
        short = None
    if own_name:
        name: str | None = own_name
    elif known is not None:
        name = names.get(known.short) or known.name
    else:
        name = clean_name(raw) if raw else None
    if short and name is None:
        name = names.get(short)
    return Venue(name=name, short=short, kind=known.kind if known else None, source=raw)


def display(venue: Venue, year: int | None, year_text: str | None = None) -> str:
    """"Full Name (SHORT YEAR)", "SHORT YEAR" when the name adds nothing, "Full Name YEAR" with no short."""
    when = str(year) if year is not None else (year_text or "")
    name, short = venue.name, venue.short
    if short and (not name or name.casefold() == short.casefold()):
        return f"{short} {when}".strip()
    if name and short:
        return f"{name} ({short} {when})".replace(" )", ")") if when else f"{name} ({short})"
    if name:
        return f"{name} {when}".strip()
    return when
