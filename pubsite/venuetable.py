"""The table of known venues, and matching of exporter spellings against it.

The same venue reaches a bibliography in a dozen spellings: Google Scholar's
"Proceedings of the IEEE/CVF conference on computer vision and pattern
recognition", DBLP's "IEEE/CVF Conference on Computer Vision and Pattern
Recognition, CVPR 2022, New Orleans, LA, USA, June 18-24, 2022", IEEE's
"2022 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
Semantic Scholar's "Computer Vision and Pattern Recognition".  A homepage
wants all of them shown as one venue with its short name.

Matching is deliberately *exact* after normalisation: the noise that varies
between exports of one venue (edition numbers, years, places, "Proceedings of
the", publisher prefixes, a parenthesised acronym) is removed, and what is
left must equal a spelling from the table (or one of a few variants generated
from it).  Substring or fuzzy matching would be shorter to write but would
turn "Workshop on X at ICML", "Findings of ... EMNLP" or "International
Conference on Machine Learning and Applications" into ICML or EMNLP, which
on a CV is a false claim; an unrecognised venue merely loses its short name.

The table lives in ``data/venues.yaml`` so that users can send additions
without touching code.  It is read once, on first use, into a dict from
normalised spelling to venue, so a lookup costs a handful of dict probes
regardless of the table's size.  That dict is kept between runs in the
user's cache folder, as compiled templates are (see :func:`_table`).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator, Mapping

from .names import LETTER_FOLDS

#: The venue kinds the table may use.
KINDS = frozenset({"conference", "journal", "preprint", "workshop"})


@dataclass(frozen=True)
class KnownVenue:
    """A venue from the table: what to display for it and what sort of venue it is."""

    short: str  # "ICML", "NeurIPS", "USENIX Security", "INFOCOM", "PVLDB", "arXiv"
    name: str  # canonical full name for display
    kind: str  # "conference" | "journal" | "preprint" | "workshop"


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

# Letters that Unicode decomposition does not reduce to ASCII.
_FOLD = str.maketrans({
    **LETTER_FOLDS,  # ß needs no entry: casefold() already spells it "ss"
    # Quotes and dashes vary with the exporter's typography.
    "\u2019": "'", "\u2018": "'", "\u00b4": "'", "\u2032": "'",
    "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
})
# ACM leaks HTML entities and double escapes into its exports.
_AMPERSAND = re.compile(r"&amp;|&#0*38;|&")
# "CHI '23: Proceedings of ...", "SC22: International Conference ...": the
# leading series label repeats the venue and carries the year.
_SERIES_LABEL = re.compile(r"^\s*[a-z][a-z/&*+.-]*\s?'?\s?(?:\d{2}|\d{4})\s*:\s*")
# "arXiv:1706.05125 [cs]": a bracketed subject class is never part of a name.
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_PARENS = re.compile(r"\(([^()]*)\)")
_APOSTROPHE_YEAR = re.compile(r"['`]\s?\d{2}\b")
_GLUED_YEAR = re.compile(r"(?<=[a-z])(?=(?:19|20)\d\d\b)")
_VOLUME = re.compile(r"\b(?:volume|vol)\b\.?\s*(?:\d+|[ivx]+)\b")
_ORDINAL_NUMBER = re.compile(r"\b\d+\s?(?:st|nd|rd|th)\b")
_ORDINAL_WORD = re.compile(
    r"\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)[\s-]?)?"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth)\b"
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_HAS_DIGIT = re.compile(r"\d")
# Roman numerals up to 39: Robotics: Science and Systems numbers its volumes.
_ROMAN = re.compile(r"^(?=[ivx]{2,}$)x{0,3}(?:ix|iv|v?i{0,3})$")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")

# A parenthesis holding one of these words names a different publication
# ("(Volume 3: System Demonstrations)", "(Findings)"), so its words are kept
# and the venue then no longer matches the main conference.  Any other
# parenthesis ("(ICML 2023)", "(Volume 1: Long Papers)", "(Poster)") is noise.
_DISTINGUISHING = frozenset({
    "workshop", "workshops", "findings", "companion", "adjunct", "demo", "demos",
    "demonstration", "demonstrations", "abstract", "abstracts", "tutorial", "tutorials",
    "doctoral", "student", "students", "industry", "track", "datasets", "benchmarks",
})
# Words that, after a comma, mean the text is not the main proceedings, so
# DBLP-style "Name, ACRO 2023, Place, Dates" must not be cut back to "Name".
_CUT_BLOCKERS = frozenset({
    "workshop", "workshops", "findings", "companion", "adjunct", "demo", "demos",
    "demonstration", "demonstrations", "tutorial", "tutorials", "doctoral", "student",
})

# Publisher and society prefixes that exporters add or drop at will
# ("IEEE/CVF", "ACM SIGSAC", "USENIX").  SIGCOMM, SIGGRAPH and SIGMETRICS are
# absent on purpose: there the SIG *is* the venue.
_ORGS = frozenset({
    "acm", "ieee", "usenix", "cvf", "rsj", "ras", "siam", "ifip", "sigsac", "sigplan",
    "sigact", "sigai", "sigops", "sigsoft", "sigarch", "sigda", "sigmobile", "sigmod",
    "sigkdd", "sigir", "sigchi", "sigbed", "sigmicro", "sigaccess",
})
# "International"/"Annual" are dropped only in front of these, so that
# "International Journal of X" stays distinct from "Journal of X".
_EVENT_WORDS = frozenset({"conference", "symposium", "joint", "workshop", "meeting", "colloquium"})
_QUALIFIERS = frozenset({"international", "annual"})
# A variant made only of these would match far too much ("Conference").
_GENERIC = frozenset({
    "conference", "symposium", "workshop", "meeting", "journal", "transactions", "letters",
    "magazine", "international", "annual", "joint", "proceedings", "on", "of", "in", "for",
    "and", "research", "science", "security", "computing", "systems",
}) | _ORGS
# Leading "Conference on" etc. that Semantic Scholar drops ("Empirical Methods
# in Natural Language Processing").  "Workshop on" is kept: a workshop is not
# its parent conference.
_EVENT_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("joint", "conference", "on"), ("conference", "on"), ("symposium", "on"),
    ("colloquium", "on"), ("conference", "of"),
)


def _fold(text: str) -> str:
    """Lowercase ASCII: accents dropped, ø/ß/æ spelled out, quotes and dashes unified."""
    text = text.casefold()
    if text.isascii():  # the common case, and the slow part below is per character
        return text
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _paren(match: re.Match[str]) -> str:
    inner = match.group(1)
    if _DISTINGUISHING.intersection(_NON_ALNUM.split(inner)):
        return f" {inner} "
    return " "


def _strip_leading_noise(tokens: list[str]) -> list[str]:
    """Drop "In", "Proceedings of", "Proc." in front; keep them if nothing but a publisher would remain."""
    out = list(tokens)
    while out:
        if out[0] == "in":
            out.pop(0)
        elif out[0] in ("proceedings", "proc", "procs"):
            out.pop(0)
            if out and out[0] in ("of", "on"):
                out.pop(0)
        else:
            break
    # "Proceedings of the IEEE" is a journal whose name is not just "IEEE".
    if not out or all(tok in _ORGS for tok in out):
        return list(tokens)
    return out


@lru_cache(maxsize=65536)
def normalize_venue(text: str) -> str:
    """Comparison key for a venue string (already LaTeX-decoded Unicode).

    Two exports of the same venue should give the same key, so everything that
    varies between them goes: case, accents, punctuation, "&" vs "and", "the",
    a leading "In"/"Proceedings of"/"Proc.", ordinals ("59th", "Thirty-Seventh"),
    years ("2023", "'23"), bare numbers (volumes, arXiv ids), "Volume 1",
    parenthesised acronyms/years/volumes ("(USENIX Security 24)",
    "(Volume 1: Long Papers)"), bracketed subject classes and a trailing
    "Proceedings" or Roman volume number.  Words that make a *different*
    publication ("Workshop", "Findings", "Companion", "Adjunct") are kept, as
    are publisher prefixes ("IEEE", "ACM"): those are handled by the table's
    generated variants, because "IEEE Micro" and "MICRO" are different venues.

    >>> normalize_venue("Proceedings of the 59th ACM/IEEE Design Automation Conference")
    'acm ieee design automation conference'
    >>> normalize_venue("33rd USENIX Security Symposium (USENIX Security 24)")
    'usenix security symposium'
    >>> normalize_venue("arXiv preprint arXiv:2206.06090")
    'arxiv preprint arxiv'
    """
    return _finish(_body_tokens(_fold(text), at_start=True))


def _body_tokens(text: str, at_start: bool) -> list[str]:
    """The tokens of already-folded text with the noise removed that can occur
    anywhere in it.  No step looks across a comma, so the tokens of a text are
    those of its comma-separated pieces put together (see ``_candidates``)."""
    text = text.replace("{", "").replace("}", "").replace("\\", " ")
    # Each step runs only when the text holds a character or word its pattern
    # needs: most venues need none of them, and this runs once per distinct venue.
    if at_start and ":" in text:
        text = _SERIES_LABEL.sub("", text)
    if "&" in text:
        text = _AMPERSAND.sub(" and ", text)
    if "[" in text:
        text = _BRACKETS.sub(" ", text)
    if "(" in text:
        for _ in range(3):  # innermost parentheses first; nesting is rare and shallow
            text, count = _PARENS.subn(_paren, text)
            if not count:
                break
    if "'" in text or "`" in text:
        text = _APOSTROPHE_YEAR.sub(" ", text)
    if "19" in text or "20" in text:
        text = _GLUED_YEAR.sub(" ", text)
    if "vol" in text:
        text = _VOLUME.sub(" ", text)
    if _HAS_DIGIT.search(text):
        text = _ORDINAL_NUMBER.sub(" ", text)
    if "th" in text or "first" in text or "second" in text:  # every ordinal word holds one
        text = _ORDINAL_WORD.sub(" ", text)
    return [tok for tok in _NON_ALNUM.split(text) if tok and not tok.isdigit() and tok != "the"]


def _finish(tokens: list[str]) -> str:
    """The key from body tokens: noise that only counts at either end removed."""
    tokens = _strip_leading_noise(tokens)
    while len(tokens) > 1 and tokens[-1] in ("proceedings", "proc"):
        tokens.pop()
    if len(tokens) > 2 and _ROMAN.match(tokens[-1]):
        tokens.pop()
    return " ".join(tokens)


def _strip_orgs(key: str) -> str:
    """Drop leading publisher/society prefixes and "International"/"Annual" before an event word."""
    tokens = key.split()
    while tokens:
        if tokens[0] in _ORGS:
            tokens.pop(0)
        elif (tokens[0] in _QUALIFIERS and len(tokens) > 1
              and (tokens[1] in _EVENT_WORDS or tokens[1] in _ORGS or tokens[1] in _QUALIFIERS)):
            tokens.pop(0)
        else:
            break
    return " ".join(tokens)


def _strip_event_prefix(key: str) -> str:
    """"conference on empirical methods ..." -> "empirical methods ..." (else unchanged)."""
    tokens = key.split()
    for prefix in _EVENT_PREFIXES:
        if tuple(tokens[: len(prefix)]) == prefix:
            return " ".join(tokens[len(prefix):])
    return key


def _specific(key: str, min_tokens: int) -> bool:
    """Whether a generated variant is specific enough to stand for one venue."""
    tokens = key.split()
    return len(tokens) >= min_tokens and not all(tok in _GENERIC for tok in tokens)


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Table:
    venues: tuple[KnownVenue, ...]
    keys: dict[str, KnownVenue]  # normalised spelling or variant -> venue
    by_short: dict[str, KnownVenue]  # casefolded short name -> venue
    spellings: int  # distinct explicit spellings (short, name, aliases)
    problems: tuple[str, ...]  # data errors; the tests require none


def _entry_problems(index: int, entry: Any) -> list[str]:
    where = f"entry {index + 1}"
    if not isinstance(entry, dict):
        return [f"{where}: not a mapping"]
    problems = []
    if isinstance(entry.get("short"), str) and entry["short"].strip():
        where = f"entry {index + 1} ({entry['short']})"
    for field in ("short", "name", "kind"):
        value = entry.get(field)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: '{field}' must be a non-empty string")
    if entry.get("kind") not in KINDS:
        problems.append(f"{where}: kind {entry.get('kind')!r} not in {sorted(KINDS)}")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(f"{where}: 'aliases' must be a list of non-empty strings")
    unknown = set(entry) - {"short", "name", "kind", "aliases"}
    if unknown:
        problems.append(f"{where}: unknown fields {sorted(unknown)}")
    return problems


def _variants(venue: KnownVenue, spellings: Iterable[str]) -> Iterator[str]:
    """Generated keys for one venue: publisher prefixes dropped, "Conference on"
    dropped, and the acronym before or after the full name."""
    keys = [normalize_venue(s) for s in spellings]
    acronyms = {normalize_venue(venue.short)} | {k for k in keys if len(k.split()) == 1}
    longs = {k for k in keys if len(k.split()) > 1} | {normalize_venue(venue.name)}
    acronyms.discard("")
    for long in longs:
        bare = _strip_orgs(long)
        if _specific(bare, 2):
            yield bare
        shorter = _strip_event_prefix(bare)
        if shorter != bare and _specific(shorter, 3):
            yield shorter
        for acronym in acronyms:
            for form in {long, bare}:
                if form:
                    yield f"{form} {acronym}"
                    yield f"{acronym} {form}"


def _build(entries: Any) -> _Table:
    """Index the YAML entries.  Explicit spellings must be unambiguous (a clash
    is a data error); generated variants that two venues share are dropped."""
    problems: list[str] = []
    if not isinstance(entries, list):
        return _Table((), {}, {}, 0, ("the venue table must be a list of entries",))
    venues: list[KnownVenue] = []
    explicit: dict[str, KnownVenue] = {}
    by_short: dict[str, KnownVenue] = {}
    pending: list[tuple[KnownVenue, list[str]]] = []
    for index, entry in enumerate(entries):
        entry_problems = _entry_problems(index, entry)
        if entry_problems:
            problems.extend(entry_problems)
            continue
        venue = KnownVenue(short=entry["short"].strip(), name=entry["name"].strip(),
                           kind=entry["kind"])
        folded = venue.short.casefold()
        if folded in by_short:
            problems.append(f"short name {venue.short!r} used by two entries")
            continue
        by_short[folded] = venue
        venues.append(venue)
        spellings = [venue.short, venue.name, *entry.get("aliases", [])]
        for spelling in spellings:
            key = normalize_venue(spelling)
            if not key:
                problems.append(f"{venue.short}: spelling {spelling!r} normalises to nothing")
                continue
            owner = explicit.setdefault(key, venue)
            if owner != venue:
                problems.append(f"{spelling!r} ({key!r}) claimed by both {owner.short} and {venue.short}")
        pending.append((venue, spellings))
    generated: dict[str, KnownVenue | None] = {}
    for venue, spellings in pending:
        for key in set(_variants(venue, spellings)):
            if key in explicit:
                continue
            if key in generated and generated[key] != venue:
                generated[key] = None  # shared by two venues: ambiguous, so unusable
            else:
                generated[key] = venue
    keys = {k: v for k, v in generated.items() if v is not None}
    keys.update(explicit)
    return _Table(tuple(venues), keys, by_short, len(explicit), tuple(problems))


def _load_entries(text: str | None = None) -> Any:
    """The table's entries, from ``text`` (default: the shipped file)."""
    import yaml

    if text is None:
        text = _source().decode("utf-8")
    # libyaml's loader when PyYAML has it: the pure-Python one took a tenth of a
    # second for this table, on every cold render.  Same data either way (tested).
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _source() -> bytes:
    return resources.files("pubsite").joinpath("data/venues.yaml").read_bytes()


@cache
def _table() -> _Table:
    """The shipped table, indexed: from the user's cache folder when this very table was indexed by
    this very code before.

    Parsing the YAML and generating every variant took 40 ms (and importing
    PyYAML 10 ms more) of every run that shows a venue, a fifth of a small
    site's render; reading the index back takes about one.  It is kept with
    ``marshal`` (plain strings and numbers, no code), under a digest of the
    table's bytes, this module's source and the Python version, so an edited
    table or a changed matcher is indexed again, never served stale.
    """
    from .fsutil import user_cache_folder, write_atomic

    source = _source()
    folder = user_cache_folder("venues")
    if folder is None:
        return _build(_load_entries(source.decode("utf-8")))
    with open(__file__, "rb") as handle:
        code = handle.read()
    digest = hashlib.sha256(b"\0".join((source, code, sys.version.encode()))).hexdigest()[:32]
    path = os.path.join(folder, digest + ".bin")
    found = _read_index(path)
    if found is not None:
        return found
    table = _build(_load_entries(source.decode("utf-8")))
    if not table.problems:
        try:
            for name in os.listdir(folder):  # indexes of older tables or code
                if name.endswith(".bin"):
                    os.unlink(os.path.join(folder, name))
            write_atomic(path, marshal.dumps(_plain(table)))
        except OSError:
            pass  # a cache that cannot be written just means indexing each time
    return table


def _plain(table: _Table) -> tuple[Any, ...]:
    """The table as lists, dicts and strings, each venue given as its index in ``venues``."""
    index = {venue: number for number, venue in enumerate(table.venues)}
    return ([(v.short, v.name, v.kind) for v in table.venues], {k: index[v] for k, v in table.keys.items()},
            {k: index[v] for k, v in table.by_short.items()}, table.spellings)


def _read_index(path: str) -> _Table | None:
    """The table indexed at ``path``; None if there is none, or it is not one."""
    try:
        with open(path, "rb") as handle:
            venues, keys, by_short, spellings = marshal.loads(handle.read())
        made = tuple(KnownVenue(*venue) for venue in venues)
        return _Table(made, {k: made[i] for k, i in keys.items()}, {k: made[i] for k, i in by_short.items()},
                      spellings, ())
    except (OSError, EOFError, ValueError, TypeError, IndexError, AttributeError):
        return None


def table_stats() -> tuple[int, int]:
    """(number of venues, number of distinct explicit spellings) in the shipped table."""
    table = _table()
    return len(table.venues), table.spellings


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------

def _candidates(text: str) -> Iterator[tuple[str, bool]]:
    """Keys to probe, most specific first; the flag marks keys from a DBLP-style cut.

    DBLP appends ", ACRO 2024, Place, Dates" to proceedings titles, and names
    can themselves contain commas ("Acoustics, Speech and Signal Processing"),
    so the text is also tried cut at every comma with a year somewhere after
    it, longest first.  No cut is made in front of words like "Workshop" or
    "Companion", which would otherwise be cut away.  Keys are produced
    lazily: most venues match on the first probe.
    """
    seen: set[str] = set()

    def probes(key: str, cut: bool) -> Iterator[tuple[str, bool]]:
        for probe in (key, _strip_orgs(key)):
            if probe and probe not in seen:
                seen.add(probe)
                yield probe, cut

    folded = _fold(text)
    yield from probes(normalize_venue(folded), False)
    parts = folded.split(",")
    if len(parts) == 1:
        return
    cuts: list[int] = []
    year_after = False
    for i in range(len(parts) - 1, 0, -1):
        if _CUT_BLOCKERS.intersection(_NON_ALNUM.split(parts[i])):
            break  # a blocker after a comma rules out every cut before it too
        year_after = year_after or bool(_YEAR.search(parts[i]))
        if year_after:
            cuts.append(i)
    if not cuts:
        return
    if all(p.count("(") == p.count(")") and p.count("[") == p.count("]") for p in parts):
        # Normalise each piece once instead of each prefix (DBLP tails have
        # five or more commas, and this runs for every entry of a site).
        pieces = [_body_tokens(p, at_start=(i == 0)) for i, p in enumerate(parts)]
        for i in cuts:
            yield from probes(_finish([tok for piece in pieces[:i] for tok in piece]), True)
    else:
        for i in cuts:
            yield from probes(normalize_venue(",".join(parts[:i])), True)


@lru_cache(maxsize=65536)
def _match_table(text: str) -> KnownVenue | None:
    return _table_venue(_candidates(text))


def _table_venue(candidates: Iterable[tuple[str, bool]]) -> KnownVenue | None:
    """The table's venue for the first of ``candidates`` (see :func:`_candidates`) it knows."""
    keys = _table().keys
    for key, cut in candidates:
        venue = keys.get(key)
        # Journals never carry DBLP's place-and-date tail, so a cut that lands
        # on one ("Machine Learning, Optimization, and Data Science ...") is a
        # coincidence, not a match.
        if venue is not None and not (cut and venue.kind == "journal"):
            return venue
    return None


@lru_cache(maxsize=64)
def _extra_index(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for spelling, short in items:
        key = normalize_venue(str(spelling))
        if key and short:
            index[key] = str(short).strip()
    return index


def _guess_kind(text: str) -> str:
    words = set(normalize_venue(text).split())
    if words & {"workshop", "workshops"}:
        return "workshop"
    if words & {"preprint", "arxiv", "corr"} or any(w.endswith("rxiv") for w in words):
        return "preprint"
    if words & {"journal", "transactions", "letters", "magazine", "review"}:
        return "journal"
    return "conference"


def _resolve_short(short: str, text: str) -> KnownVenue:
    """The table's venue for a user-given short name, else a venue made from the user's text."""
    table = _table()
    venue = table.by_short.get(short.casefold()) or _match_table(short)
    if venue is not None:
        return venue
    return KnownVenue(short=short, name=" ".join(text.split()), kind=_guess_kind(text))


def match_venue(text: str, extra: Mapping[str, str] | None = None) -> KnownVenue | None:
    """Known venue for a raw venue string as exporters write it, else None.

    ``extra`` maps user spellings -> short name (from the user's config) and
    wins over the table.  A short name the table knows gives that table entry
    (so mapping an odd spelling to "EMNLP" yields the full EMNLP venue); an
    unknown short name gives a venue named by ``text`` itself.

    >>> match_venue("IEEE INFOCOM 2025-IEEE Conference on Computer Communications").short
    'INFOCOM'
    >>> match_venue("ICML 2023 Workshop on Federated Learning") is None
    True
    """
    if not text or not text.strip():
        return None
    if extra:
        return _match_with_extra(text, tuple([(str(k), str(v)) for k, v in extra.items()]))
    return _match_table(text)


@lru_cache(maxsize=65536)
def _match_with_extra(text: str, extra: tuple[tuple[str, str], ...]) -> KnownVenue | None:
    """:func:`match_venue` with the user's spellings, once per distinct venue string and spellings.

    Keyed on the spellings themselves, so two configurations never share an
    answer; the venues returned are frozen, so one can serve every entry.
    """
    index = _extra_index(extra)
    candidates = list(_candidates(text))  # all of them are probed unless the user's spellings match
    for key, _cut in candidates:
        short = index.get(key)
        if short:
            return _resolve_short(short, text)
    return _table_venue(candidates)
