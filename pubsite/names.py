"""Author fields to display-ready :class:`~pubsite.model.Author` records.

Names are the part of a bibliography that exporters mangle most (Scholar drops
the dots from initials, DBLP wraps lines, IEEE braces surnames, bioRxiv shouts
in capitals), and the site owner has to be recognised in every one of those
spellings to be highlighted.  Splitting follows BibTeX's own rules on the *raw*
LaTeX, because braces are what keep ``{Barnes and Noble}`` one author; decoding
to Unicode happens afterwards, per part.

Parsing is memoised per distinct field and per distinct name string: in a
large bibliography the same co-authors come back thousands of times.  Each
distinct name is shown by one shared (frozen) :class:`Author`; the owner flag,
which depends on configuration, is memoised per owner list and applied after
the cached parse.  Most names are plain words, commas and spaces, which skip
mark lifting and decoding altogether: those steps leave such names unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import NamedTuple

from .latex import decode
from .model import Author

__all__ = ["Owners", "comma_separated", "fold", "parse_authors", "split_name", "strip_marks"]

# Bidi controls, zero-width characters and soft hyphens: copy-pasted from PDFs
# and web pages, invisible on screen, but they break equality and splitting.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# -- contribution marks -------------------------------------------------------

_GLYPH = {
    "ast": "*", "textasteriskcentered": "*", "∗": "*", "⁎": "*",
    "dagger": "†", "dag": "†", "textdagger": "†",
    "ddagger": "‡", "ddag": "‡", "textdaggerdbl": "‡",
    "S": "§", "textsection": "§", "P": "¶", "textparagraph": "¶", "star": "⋆",
}
_TOKEN = (
    r"\\(?:textasteriskcentered|textdaggerdbl|textdagger|textsection|textparagraph"
    r"|ddagger|dagger|ddag|dag|ast|star|S|P)(?![A-Za-z])|\\?[#*∗⁎†‡§¶⋆]"
)
_TOKEN_RE = re.compile(_TOKEN)
# A mark is typed in math (``$^{*\dagger}$``), in ``\textsuperscript{*}`` or bare
# (``Wu*†``, ``{*}``); all three are lifted out of the raw text before the name
# is split, so a mark separated by a space cannot become a surname.
_MARKS = re.compile(
    rf"\$(?:[\s^{{}},]|{_TOKEN})+\$"
    rf"|\\textsuperscript\s*\{{(?:[\s{{}},]|{_TOKEN})+\}}"
    rf"|(?<!\\)\^?(?:{_TOKEN})"
)
# Safety net after decoding, for spellings the raw pass did not know.
_GLYPH_LEFT = re.compile(r"\^?[*∗⁎†‡§¶⋆#]")


def _glyph(token: str) -> str:
    token = token.lstrip("\\")
    return _GLYPH.get(token, token)


def _take_marks(text: str) -> tuple[str, list[str]]:
    found: list[str] = []

    def lift(match: re.Match[str]) -> str:
        found.extend(_glyph(t) for t in _TOKEN_RE.findall(match.group(0)))
        return ""

    return _MARKS.sub(lift, text), found


def _drop_glyphs(text: str, found: list[str]) -> str:
    def lift(match: re.Match[str]) -> str:
        found.append(_glyph(match.group(0).lstrip("^")))
        return ""

    return " ".join(_GLYPH_LEFT.sub(lift, text).split())


# -- splitting raw LaTeX at brace level 0 ------------------------------------------

_SPECIAL = re.compile(r"\\.|[{}]", re.DOTALL)


def _balance(text: str) -> str:
    """Delete unmatched braces: one stray brace must not swallow the rest of the list."""
    if "{" not in text and "}" not in text:
        return text
    stack: list[int] = []
    drop: set[int] = set()
    for match in _SPECIAL.finditer(text):
        token = match.group()
        if token == "{":
            stack.append(match.start())
        elif token == "}":
            if stack:
                stack.pop()
            else:
                drop.add(match.start())
    drop.update(stack)
    return "".join(c for j, c in enumerate(text) if j not in drop) if drop else text


def _mask(text: str) -> str:
    """Same-length copy where braced and escaped characters cannot act as separators."""
    if "{" not in text and "\\" not in text:
        return text
    out: list[str] = []
    depth = last = 0
    for match in _SPECIAL.finditer(text):
        start, end = match.span()
        out.append("\0" * (start - last) if depth else text[last:start])
        out.append("\0" * (end - start))
        if match.group() == "{":
            depth += 1
        elif match.group() == "}":
            depth = max(depth - 1, 0)
        last = end
    out.append("\0" * (len(text) - last) if depth else text[last:])
    return "".join(out)


_AND = re.compile(r"(?<!\S)and(?!\S)", re.IGNORECASE)
_WORD = re.compile(r"[^\s~,]+")


def _split_and(value: str) -> list[str]:
    mask = _mask(value)
    if mask == value:  # nothing braced or escaped, as in most fields
        pieces = _AND.split(value)
    else:
        pieces = []
        start = 0
        for match in _AND.finditer(mask):
            pieces.append(value[start:match.start()])
            start = match.end()
        pieces.append(value[start:])
    return [p for p in map(str.strip, pieces) if p]


# -- one name --------------------------------------------------------------------------

_SUFFIX = {"jr", "sr", "jnr", "snr"}
_ROMAN = {"II", "III", "IV"}


def _plain(word: str) -> str:
    return decode(word) if "\\" in word or "{" in word else word


def _is_suffix(word: str, roman: bool) -> bool:
    bare = _plain(word).rstrip(".")
    return bare.lower() in _SUFFIX or (roman and bare in _ROMAN)


def _is_lower(word: str) -> bool:
    """BibTeX's case test for von particles; a brace group not opened by a command is caseless."""
    first = word[:1]
    if first.isascii() and first.isalpha():  # most words: decoding cannot change a leading letter
        return first.islower()
    if word.startswith("{") and not word.startswith("{\\"):
        return False
    for char in _plain(word):
        if char.isalpha():
            return char.islower()
    return False


def _first_last(words: list[str]) -> tuple[list[str], list[str]]:
    """"First von Last": the family starts at the first lowercase word (von) or else at the last word."""
    if len(words) < 2:
        return [], words
    lower = [i for i, w in enumerate(words[:-1]) if _is_lower(w)]
    # An all-lowercase name ("danah boyd") is a style, not a string of particles.
    if not lower or all(_is_lower(w) for w in words):
        return words[:-1], words[-1:]
    return words[: lower[0]], words[lower[0]:]


# What remains of a word once commands, braces and math shifts are gone; a word
# that leaves nothing ("{}", "\\relax", a lifted mark's "$$") is checked by decoding.
_VISIBLE = re.compile(r"\\[A-Za-z]+|[{}$\\\s]")


def _sections(text: str) -> list[list[str]]:
    mask = _mask(text)
    sections: list[list[str]] = []
    start = 0
    for end in [i for i, c in enumerate(mask) if c == ","] + [len(text)]:
        words = [text[m.start():m.end()] for m in _WORD.finditer(mask, start, end)]
        sections.append([w for w in words if _VISIBLE.sub("", w) or decode(w)])
        start = end + 1
    while sections and not sections[-1]:
        sections.pop()
    return sections


def _plain_sections(text: str) -> list[list[str]]:
    """:func:`_sections` of text without braces, escapes or ties, where a word is just a run of non-spaces."""
    if "," not in text:  # "First von Last", the commonest form
        words = text.split()
        return [words] if words else []
    sections = [section.split() for section in text.split(",")]
    while sections and not sections[-1]:
        sections.pop()
    return sections


def _bibtex_parts(secs: list[list[str]]) -> tuple[str, str, str]:
    """Raw (given, family-with-von, suffix) from the three BibTeX forms plus exporters' variants."""
    if not secs:
        return "", "", ""
    if len(secs) > 3:  # "a, b, c, d": BibTeX reads the extras as more given names
        secs = secs[:2] + [[w for s in secs[2:] for w in s]]
    suffix: list[str] = []
    # Zotero writes "Fulton, James E., Jr.", the suffix last.
    if len(secs) == 3 and secs[2] and all(_is_suffix(w, True) for w in secs[2]) \
            and not all(_is_suffix(w, True) for w in secs[1]):
        secs[1], secs[2] = secs[2], secs[1]
    # "John Smith, Jr." and "Smith, Jr."; but "Smith, IV" is Scholar's initials.
    if len(secs) == 2 and secs[1] and all(_is_suffix(w, len(secs[0]) > 1) for w in secs[1]):
        suffix, secs = secs[1], secs[:1]
    if len(secs) == 1:
        words = secs[0]
        if len(words) > 1 and _is_suffix(words[-1], roman=len(words) > 2):
            suffix, words = [words[-1]] + suffix, words[:-1]
        first, family = _first_last(words)
    else:
        family, first = secs[0], secs[-1]
        suffix = secs[1] if len(secs) == 3 else []
        if not suffix and len(family) > 1 and _is_suffix(family[-1], roman=True):
            suffix, family = family[-1:], family[:-1]
    return " ".join(first), " ".join(family), " ".join(suffix)


# A letter or digit, as ``str.isalnum`` has it.
_ALNUM = re.compile(r"[^\W_]")


class _Name(NamedTuple):
    given: str
    family: str
    suffix: str
    equal: bool
    marks: tuple[str, ...]
    #: How the name shows when it is not the owner's and no ``equal`` field marks it: built
    #: once per distinct name, since a co-author recurs across a bibliography.
    author: Author
    #: Whether it has a letter or digit to show (a stray "~" or "-" is no name).
    shown: bool


# Anything that makes a name more than words, commas and spaces: markup for
# ``decode``, marks, braces, ties and invisible characters.  Most names have none.
_NEEDS_CARE = re.compile(
    r"[\\{}$~&^#*∗⁎†‡§¶⋆\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
    r"|--|``|''"
)


@lru_cache(maxsize=65536)
def _parse_name(raw: str) -> _Name:
    if _NEEDS_CARE.search(raw) is None:
        # Nothing to lift, balance or decode: the BibTeX parts are already the display parts.
        parts = _common_parts(raw)
        if parts is not None:
            return _name(_dotted(*parts), parts[1], "", False, ())
        return _assemble(*_bibtex_parts(_plain_sections(raw)), [])
    return _parse_marked_up(raw)


def _common_parts(raw: str) -> tuple[str, str] | None:
    """(given, family) of a plain name in the two shapes most names have, or None for any other.

    "Given Names Family" whose given names all start with a capital (so none is a
    von particle) and "Family, Given Names" with a one-word family, neither with a
    suffix anywhere: in these :func:`_bibtex_parts` has nothing to decide, and
    nine names in ten (in real bibliographies) skip its lists and tests.
    """
    if "," not in raw:
        words = raw.split()
        if len(words) < 2 or words[-1].rstrip(".").lower() in _SUFFIX:
            return None
        for word in words[:-1]:
            if not "A" <= word[0] <= "Z":
                return None
        if len(words) > 2 and words[-1].rstrip(".") in _ROMAN:
            return None
        return " ".join(words[:-1]), words[-1]
    family, _, given = raw.partition(",")
    if "," in given:
        return None
    family_words, given_words = family.split(), given.split()
    if len(family_words) != 1 or not given_words:
        return None
    for word in given_words:
        if word.rstrip(".").lower() in _SUFFIX:
            return None
    return " ".join(given_words), family_words[0]


def _parse_marked_up(raw: str) -> _Name:
    """The full reading, for names with LaTeX, marks or invisible characters in them (and any other)."""
    text, found = _take_marks(_balance(_INVISIBLE.sub("", raw)))
    try:
        parts = _bibtex_parts(_sections(text))
    except Exception:  # never let one odd name take the list down
        parts = ("", text.replace("{", "").replace("}", ""), "")
    given, family, suffix = (_drop_glyphs(decode(p), found) if p else "" for p in parts)
    return _assemble(given, family, suffix, found)


def _assemble(given: str, family: str, suffix: str, found: list[str]) -> _Name:
    """The decoded parts as a name, whichever way they were split (a mark may have left one empty)."""
    if not family and given:  # ", John", or the surname was only a mark
        *rest, family = given.split()
        given = " ".join(rest)
    elif not family:  # a name that was only "Jr."
        family, suffix = suffix, ""
    marks = tuple([g for g in found if g != "*"]) if found else ()
    return _name(_dotted(given, family), family, suffix, "*" in found, marks)


def _name(given: str, family: str, suffix: str, equal: bool, marks: tuple[str, ...]) -> _Name:
    author = Author(name=" ".join([p for p in (given, family, suffix) if p]), given=given, family=family,
                    equal=equal, marks=marks)
    shown = _ALNUM.search(given) is not None or _ALNUM.search(family) is not None
    return _Name(given, family, suffix, equal, marks, author, shown)


def _dotted(given: str, family: str) -> str:
    """Initials as people print them: Scholar's "Yu, Timothy T" and "Deisenroth, MP" lose their dots.

    >>> _dotted("Timothy T", "Yu"), _dotted("MP", "Deisenroth"), _dotted("DEBSINDHU", "BHOWMIK")
    ('Timothy T.', 'M. P.', 'DEBSINDHU')
    """
    if not given:
        return given
    words = given.split()
    if (len(words) == 1 and 2 <= len(given) <= 3 and given.isalpha() and given.isupper()
            and not family.isupper()):
        return " ".join([f"{c}." for c in given])
    return " ".join([f"{w}." if len(w) == 1 and w.isalpha() and w.isupper() else w for w in words])


def split_name(name: str) -> tuple[str, str, str]:
    """(given, family, suffix) in Unicode, marks removed; also reads owner config strings."""
    parsed = _parse_name(name)
    return parsed.given, parsed.family, parsed.suffix


# -- folding and owner matching --------------------------------------------------------

#: Letters NFKD cannot decompose, spelled as ASCII-only exports spell them
#: (shared with the venue table, which folds venue names the same way).
LETTER_FOLDS = {
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "ı": "i",
    "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
}
_FOLD_EXTRA = str.maketrans(LETTER_FOLDS)


# ASCII punctuation, symbols and control characters (categories P, S, C), which fold deletes.
_ASCII_DROP = re.compile(r"[^a-z0-9\s]")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Comparison key, so that exporters' spellings of one name compare equal.

    Letters NFKD cannot decompose (ø, ł, æ...) are transliterated as they are in
    ASCII-only exports; punctuation and symbols (hyphens, dots, apostrophes,
    marks) are deleted rather than turned into spaces, so "O'Brien" = "OBrien".
    """
    if text.isascii():  # most titles and names: the same result without the per-character loop
        return " ".join(_ASCII_DROP.sub("", text.lower()).split())
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA).casefold())
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace() or category == "Zs":
            out.append(" ")
        elif category[0] not in "MPSC":
            out.append(char)
    return " ".join("".join(out).split())


def _squash(text: str) -> str:
    return fold(text).replace(" ", "")


_GIVEN_SPLIT = re.compile(r"[\s.\-‐‑‒–—]+")


def _given_tokens(given: str, family: str) -> tuple[str, ...]:
    """Folded given names; Scholar's undotted "MP" counts as two initials unless the whole name is in capitals."""
    shouting = (given + family).isupper()
    tokens: list[str] = []
    for token in _GIVEN_SPLIT.split(given):
        if not shouting and token.isalpha() and token.isupper() and 1 < len(token) < 4:
            tokens.extend(fold(c) for c in token)
        elif folded := _squash(token):
            tokens.append(folded)
    return tuple(tokens)


def _compatible(author: str, owner: str) -> bool:
    if len(author) == 1 or len(owner) == 1:
        return author[0] == owner[0]
    return author == owner


@dataclass(frozen=True)
class Owners:
    """The site owner's name(s), each in any form ``split_name`` reads ("Shiqi He", "He, Shiqi").

    An author is the owner when the whole name folds equal to one of these
    (spacing ignored, so "Shiqi He" = "Shi-Qi He"), or when the family names fold
    equal and the author's given names abbreviate the owner's: each author given
    name equals the owner's at that position, or one of the two is an initial
    with the same first letter.  Configure the fullest spelling: an author may
    drop trailing given names ("S. He" for "Shi Qi He") but never add any, so
    "S. Q. He" is not "Shiqi He" (list "Shi Qi He" too if it should be).  The
    rule is symmetric in initials: an owner configured as "S. He" matches
    "Shiqi He" and, inevitably, "Shiqiang He".  A name without given names
    matches only on the whole name.
    """

    names: tuple[str, ...] = ()

    @classmethod
    def from_names(cls, names: Iterable[str]) -> Owners:
        if isinstance(names, str):
            names = [names]
        return cls(tuple(n.strip() for n in names if n and n.strip()))

    @cached_property
    def _keys(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        keys = []
        for name in self.names:
            given, family, _ = split_name(name)
            keys.append((_squash(f"{given} {family}"), _squash(family), _given_tokens(given, family)))
        return tuple(keys)

    @cached_property
    def _answers(self) -> dict[tuple[str, str], bool]:
        # Co-authors recur thousands of times in a large bibliography.
        return {}

    @cached_property
    def _possible(self) -> dict[str, bool]:
        # Family name -> whether an author of that family can be an owner at all; like
        # ``_answers``, it lives as long as this (per-render) object.
        return {}

    def matches(self, given: str, family: str) -> bool:
        if not self.names:
            return False
        answer = self._answers.get((given, family))
        if answer is None:
            answer = self._answers[given, family] = self._could_be(family) and self._match(given, family)
        return answer

    def flags(self, names: Iterable[tuple[str, str]]) -> list[bool]:
        """:meth:`matches` of each (given, family), ruling most authors out by their family name alone."""
        possible = self._possible
        out = []
        for given, family in names:
            could = possible.get(family)
            if could is None:
                could = possible[family] = self._could_be(family)
            out.append(could and self.matches(given, family))
        return out

    def _could_be(self, family: str) -> bool:
        fam = _squash(family)
        # Folding goes character by character, so a whole name folds to its given names' fold
        # followed by its family's: most authors are ruled out without folding anything else.
        return any(fam == o_fam or o_whole.endswith(fam) for o_whole, o_fam, _ in self._keys)

    def _match(self, given: str, family: str) -> bool:
        """Whether an author whose family name :meth:`_could_be` an owner's is one."""
        fam = _squash(family)
        whole = _squash(f"{given} {family}")
        tokens: tuple[str, ...] | None = None
        for o_whole, o_fam, o_tokens in self._keys:
            if whole and whole == o_whole:
                return True
            if not fam or fam != o_fam or not o_tokens:
                continue
            if tokens is None:
                tokens = _given_tokens(given, family)
            if tokens and len(tokens) <= len(o_tokens) and all(map(_compatible, tokens, o_tokens)):
                return True
        return False


# -- whole fields ---------------------------------------------------------------------------

_ET_AL = {"others", "etal", "etalii", "\\ldots", "\\dots", "\\textellipsis", "…", "$\\ldots$", "$\\dots$"}
_ET_AL_NOISE = re.compile(r"[{}\s.~]")
# What a piece can start with if it is one of those: their first characters, in either case, and the noise.
_ET_AL_FIRST = frozenset("oOeE\\…${}.~")


def _is_et_al(piece: str) -> bool:
    """"others" (BibTeX's own et al.), or "..." left in a hand-shortened list."""
    first = piece.lstrip()[:1]
    if first and first not in _ET_AL_FIRST:  # a name, as nearly every piece is
        return False
    bare = _ET_AL_NOISE.sub("", piece).lower()
    return bare in _ET_AL or (not bare and ".." in "".join(piece.split()))


_INITIALS = re.compile(r"^(?:[A-Z]\.?[\s\-]*)+$")
_LEADING_AMPERSAND = re.compile(r"^(?:\\&|&)\s*")


def _comma_list(piece: str) -> tuple[list[str], bool] | None:
    """Names of a list typed with commas instead of "and", or None when BibTeX's reading stands.

    JabRef keeps hand-typed "Morten O. Alver, Nizar N. Batada, et al."; old
    bibs hold "Marchi, E., Siniscalchi, S.M., Cumani, S." and "A. Itti, G.
    Rees, and J. Tsotsos".  BibTeX would read each as one person with a long
    given name.  Only shapes that cannot be a single name are read as lists:
    BibTeX's own "von Last, Jr, First" (a suffix in the middle or at the end)
    and "Zeng,, Zhihong" (an empty part) keep their meaning.
    """
    if "," not in piece:
        return None
    mask = _mask(piece)
    if "," not in mask:
        return None
    cuts = [i for i, c in enumerate(mask) if c == ","]
    secs = [piece[a + 1:b].strip() for a, b in zip([-1] + cuts, cuts + [len(piece)])]
    trailing = not secs[-1]
    if trailing:
        secs.pop()
    et_al = bool(secs) and _is_et_al(secs[-1])
    if et_al:
        secs.pop()
    secs = [_LEADING_AMPERSAND.sub("", s) for s in secs]
    if not secs or any(not s for s in secs):
        return None
    if et_al or trailing and len(secs) > 1:
        pass
    elif len(secs) < 3 or len(secs) == 3 and any(all(_is_suffix(w, True) for w in s.split()) for s in secs[1:]):
        return None
    plain = [s.replace("{", "").replace("}", "") for s in secs]
    if len(secs) % 2 == 0 and all(_INITIALS.match(s) for s in plain[1::2]) \
            and not any(_INITIALS.match(s) for s in plain[0::2]):
        return [f"{secs[i]}, {secs[i + 1]}" for i in range(0, len(secs), 2)], et_al
    if len(secs) == 1 or all(len(s.split()) >= 2 for s in secs):
        return secs, et_al
    return None


class _Field(NamedTuple):
    #: The names as authors when nobody is the owner and no ``equal`` field applies (most calls);
    #: ``owner`` and ``equal`` are set on copies when they do.
    authors: tuple[Author, ...]
    et_al: bool
    #: Whether commas stood for "and" somewhere.
    commas: bool
    #: (given, family) of each name, as owners are matched on them.
    pairs: tuple[tuple[str, str], ...]


def _field(authors: tuple[Author, ...], et_al: bool, commas: bool) -> _Field:
    return _Field(authors, et_al, commas, tuple([(a.given, a.family) for a in authors]))


class _Piece(NamedTuple):
    """What one "and"-separated piece of a field reads as."""

    authors: tuple[Author, ...]
    et_al: bool
    #: Whether the piece was a list typed with commas.
    commas: bool


_ET_AL_PIECE = _Piece((), True, False)
_NO_NAME_PIECE = _Piece((), False, False)


def _shown_author(raw: str) -> Author | None:
    """The author a name shows as, or None when it has nothing to show.

    Read without :func:`_parse_name`'s memo: the caller is memoised per piece,
    and keeping each parsed name beside its author would double the objects a
    large bibliography keeps, which every full garbage collection walks.
    """
    name = _parse_name.__wrapped__(raw)
    return name.author if name.shown else None


@lru_cache(maxsize=65536)
def _read_piece(piece: str) -> _Piece | Author:
    """One piece, once per distinct piece: a piece depends on nothing but its own text, and
    the same co-author (the same piece) comes back in field after field.

    A piece that is one name, as nearly all are, is that name's author itself,
    without a :class:`_Piece` and tuple around it, for the same reason.
    """
    if _is_et_al(piece):
        return _ET_AL_PIECE
    listed = _comma_list(piece)
    if listed is None:
        author = _shown_author(piece)
        return author if author is not None else _NO_NAME_PIECE
    authors = tuple([a for a in map(_shown_author, listed[0]) if a is not None])
    return _Piece(authors, listed[1], True)


@lru_cache(maxsize=16384)
def _parse_field(value: str) -> _Field:
    authors: list[Author] = []
    et_al = commas = False
    for piece in map(_read_piece, _split_and(_balance(_INVISIBLE.sub("", value)))):
        if type(piece) is Author:
            authors.append(piece)
            continue
        authors.extend(piece.authors)
        et_al = et_al or piece.et_al
        commas = commas or piece.commas
    return _field(tuple(authors), et_al, commas)


def comma_separated(value: str) -> bool:
    """True when a name list used commas where BibTeX needs "and" (worth a warning: BibTeX misreads it)."""
    if "," not in value:  # no piece can be a comma list; spares parsing editor lists just for this
        return False
    try:
        return _parse_field(value).commas
    except Exception:
        return False


def _fallback(value: str) -> _Field:
    try:
        text = decode(value.replace("{", "").replace("}", ""))
    except Exception:
        text = value
    text = _drop_glyphs(text.replace("{", "").replace("}", "").replace("\\", ""), [])
    return _field((_name("", text, "", False, ()).author,) if text else (), False, False)


def parse_authors(
    value: str, owners: Owners, equal_positions: frozenset[int] = frozenset()
) -> tuple[tuple[Author, ...], bool]:
    """(authors, et_al) for a raw author/editor field; never raises, so one bad entry cannot stop a build.

    ``equal_positions`` are 1-based positions among the returned authors
    (after "others" and "..." are dropped), as written in an ``equal`` field.
    """
    if not value or not isinstance(value, str):
        return (), False
    try:
        field = _parse_field(value)
    except Exception:
        field = _fallback(value)
    owned = owners.flags(field.pairs) if owners.names else []
    if not equal_positions and not any(owned):
        return field.authors, field.et_al
    owned = owned or [False] * len(field.authors)
    return tuple(
        _shown(a, owner, a.equal or position in equal_positions)
        for position, (a, owner) in enumerate(zip(field.authors, owned), 1)
    ), field.et_al


def _shown(author: Author, owner: bool, equal: bool) -> Author:
    if owner == author.owner and equal == author.equal:
        return author
    return replace(author, owner=owner, equal=equal)


# Debris a lifted mark leaves in raw LaTeX: "{}", "$$", "$^{}$", "\\textsuperscript{}".
_EMPTY_MARKUP = re.compile(r"\\textsuperscript\s*\{\s*\}|\$\^?\{?\s*\}?\$|\^\{\s*\}|\{\s*\}")


def strip_marks(value: str) -> str:
    """A raw author/editor field without contribution marks, still in the user's LaTeX.

    The BibTeX a visitor copies must cite the paper, not carry the owner's
    ``*``/``\\dagger`` annotations, yet keep accents and braces exactly as typed
    (a Unicode re-spelling would change how the name sorts in their document).
    Each name is split at brace level 0 like :func:`parse_authors` does, so a
    braced ``{Barnes and Noble}`` stays one name; ``others`` and a literal
    "..." both become ``others``.

    >>> strip_marks("Wu*, Feijie and He$^{*\\dagger}$, Shiqi and others")
    'Wu, Feijie and He, Shiqi and others'
    """
    names: list[str] = []
    for piece in _split_and(_balance(_INVISIBLE.sub("", value))):
        if _is_et_al(piece):
            names.append("others")
            continue
        if _NEEDS_CARE.search(piece) is not None:
            piece = _EMPTY_MARKUP.sub("", _take_marks(piece)[0])
        text = " ".join(piece.split()).strip(" ,")
        if text:
            names.append(text)
    return " and ".join(names)
