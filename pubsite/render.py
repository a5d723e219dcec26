"""Turning the model into text: HTML fragment, full page, Markdown or JSON.

Templates come from the site's ``templates/`` folder first and the packaged
defaults second, so a site overrides any template by name; ``!default/NAME``
always reaches the packaged one, so an override can extend it.  Autoescaping
is on for every template and undefined variables are errors: unsafe or
silently empty output should be hard to produce.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from itertools import chain, islice, repeat
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

import jinja2
from markupsafe import Markup, escape

from .atom import feed_href
from .authorlist import author_runs
from .bibtex import to_bibtex
from .colors import text_on
from .config import Config
from .jsonld import HEAD, TAIL, article_json, json_ld_parts, script_text
from .jsonld import RUN as LD_RUN
from .mdtext import md_html, md_text, md_url
from .model import Author, NewsItem, Publication, Site
from .ordering import grouped, type_key
from .spill import Piece, Spill
from .template_errors import template_error

if TYPE_CHECKING:
    from .cache import FragmentStore

TEMPLATES = {"fragment": "fragment.html", "page": "page.html", "markdown": "publications.md"}
ALL_SECTIONS = ("news", "publications")
#: Name of the stylesheet written beside the output by ``--css file``.
CSS_FILE = "pubsite.css"
STATUS_LABELS = {"to-appear": "To appear", "submitted": "Submitted"}


def override_folder(template_dir: str | None) -> str | None:
    """The site's template folder as an absolute path, or None when there is none.

    :func:`environment` is cached per folder name: a relative ``templates``
    would reuse the environment built for another working directory (and a
    site's overrides would silently be ignored).
    """
    if template_dir and os.path.isdir(template_dir):
        return os.path.abspath(template_dir)
    return None


# Code points HTML forbids in a document (controls other than whitespace,
# noncharacters, lone surrogates): browsers cope, but validators and strict
# parsers do not, and no bib or news text means them.  A YAML "\v" or a NUL
# pasted from a PDF would otherwise reach the page.
_NOT_IN_HTML = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff"
                          + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                    for plane in range(17)) + "]")


# The parts of _NOT_IN_HTML below U+0080 and below U+D800: a value's largest
# character says which class can match in it, and searching a small class is
# about ten times faster than the full one (every value of every entry passes here).
_NOT_IN_HTML_ASCII = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NOT_IN_HTML_LOW = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _forbidden(value: str) -> re.Pattern[str]:
    if value.isascii():
        return _NOT_IN_HTML_ASCII
    return _NOT_IN_HTML_LOW if max(value) < "\ud800" else _NOT_IN_HTML


def _clean(text: str) -> str:
    """``text`` minus the code points HTML forbids (see :func:`_printable`), for a plain string.

    Every forbidden code point is also one ``str.isprintable`` rejects (a
    control, a surrogate or an unassigned code point; a test holds this for
    every code point), and that one pass clears nearly every value at once,
    without finding the largest character first.  What it does not clear
    (a newline, a no-break space) is searched as before.
    """
    if text.isprintable() or not _forbidden(text).search(text):
        return text
    return _NOT_IN_HTML.sub("", text)


def _printable(value: Any) -> Any:
    """Every ``{{ }}`` value on its way out, escaped or not, minus the code points HTML forbids."""
    if type(value) is _Cleaned:
        return value  # every value in it went through here as it was made
    if not isinstance(value, str) and hasattr(value, "__html__"):
        value = value.__html__()  # markup made when printed (the JSON-LD)
        if type(value) is _Cleaned:
            return value
        value = Markup(value)
    if not isinstance(value, str):
        return value
    if not value.isprintable() and _forbidden(value).search(value):  # see _clean
        cleaned = _NOT_IN_HTML.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


class _Cleaned(Markup):
    """Markup known to hold no code point HTML forbids: an entry's ``<li>`` made of values that have
    all been through :func:`_printable` already, or text that went through it whole.

    Printed on the page, it is not searched for forbidden code points a second
    time: on a large page that search of every whole entry cost half as much
    as formatting the entries.  Markup's operations (``+``, ``replace``...)
    build their results with ``self.__class__``, which is plain ``Markup``
    here, so whatever a template makes out of an entry is searched as usual.
    """

    __slots__ = ()

    @property  # type: ignore[misc]
    def __class__(self) -> type[Markup]:  # type: ignore[override]
        return Markup


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs, in the user's cache folder, as Python keeps ``.pyc`` files.

    Compiling the default templates was a sixth of a small site's render.
    Jinja keys each compiled template by its name, file and source checksum
    (and the Python version), so an edited or overriding template is never
    served stale; a folder that cannot be made just means compiling each time.
    """
    from .fsutil import user_cache_folder

    folder = user_cache_folder("templates")
    return jinja2.FileSystemBytecodeCache(folder) if folder is not None else None


@lru_cache(maxsize=8)
def environment(template_dir: str | None) -> jinja2.Environment:
    """One compiled environment per template folder (templates compile once per process)."""
    package = jinja2.PackageLoader("pubsite", "templates")
    loaders: list[jinja2.BaseLoader] = []
    if template_dir and os.path.isdir(template_dir):
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders.append(package)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*loaders, jinja2.PrefixLoader({"!default": package})]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_printable,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["md"] = md_text
    env.filters["md_html"] = md_html
    env.filters["md_url"] = md_url
    env.globals["status_labels"] = STATUS_LABELS
    env.globals["author_runs"] = author_runs
    env.globals["bibtex"] = to_bibtex
    env.globals["badge_style"] = badge_style
    return env


def _context(site: Site, config: Config, sections: tuple[str, ...], css: str,
             store: FragmentStore | None = None, splice: _Splice | None = None) -> dict[str, Any]:
    """What every template sees; each entry's ``<li>`` is made up front when the templates allow.

    ``publication_html(pub)`` prints an entry as ``_macros.html``'s
    ``publication`` macro would.  The default ``publications.html`` uses it so
    that those entries can be formatted before the template runs: on two
    cores, and taken from ``store`` (the render cache) when an entry is
    unchanged.  A site's own ``publications.html`` may print entries however
    it likes, so nothing is made ahead for it.

    With ``splice`` (the page is being written as bytes, see
    :func:`render_pieces`), the entries and JSON-LD lines made ahead are
    printed as placeholders for their bytes.
    """
    pubs = list(site.publications)
    context = {
        "site": site,
        "publications": pubs,
        "groups": grouped(pubs, config.group_by, config.type_order),
        "selected": [p for p in pubs if p.selected] if config.show_selected else [],
        "profile_bio": Markup(site.bio) if site.bio is not None else _profile_bio(config),
        "feed_href": feed_href(config) if config.format == "page" else None,
        "news": list(site.news),
        "legend": _legend(pubs),
        "config": config,
        "css": _css(override_folder(config.template_dir)),
        "sections": sections,
        # The page carries the stylesheet in its <head>; a fragment carries its own.
        "page_css": css if config.format == "page" else "none",
        "fragment_css": "none" if config.format == "page" else css,
        "css_href": CSS_FILE,
    }
    publication_html, runs, lines = _entries_ahead(pubs, context, config, sections, store, splice)
    context["publication_html"] = publication_html
    context["publication_runs"] = runs
    context["json_ld"] = _json_ld(pubs, config, lines) if _wants_json_ld(config) else None
    return context


def _legend(pubs: list[Publication]) -> list[tuple[str, str]]:
    """The marks used on the page with what they mean: ``*`` first, then the entries' own, by glyph."""
    legend: dict[str, str] = {}
    if any(a.equal for pub in pubs for a in pub.authors):  # one loop, not a property call per entry
        legend["*"] = "Equal contribution"
    for pub in pubs:
        if pub.mark_legend:  # most entries explain no marks: theirs need not be collected
            used = {m for a in pub.authors for m in a.marks}
            for glyph, text in pub.mark_legend:
                if glyph in used and glyph not in legend:
                    legend[glyph] = text
    return sorted(legend.items(), key=lambda kv: (kv[0] != "*", kv[0]))


def _wants_json_ld(config: Config) -> bool:
    return bool(config.json_ld) and config.format == "page"


def _entries_ahead(pubs: list[Publication], context: dict[str, Any], config: Config,
                   sections: tuple[str, ...], store: FragmentStore | None, splice: _Splice | None,
                   ) -> tuple[Callable[[Publication], Markup],
                              Callable[[Sequence[Publication]], Iterator[_Cleaned]],
                              Callable[[list[Publication], str], Iterator[_Cleaned]] | None]:
    """``publication_html`` and ``publication_runs`` for the templates, and how to print the JSON-LD
    lines made with the entries (None when none were)."""
    env = environment(override_folder(config.template_dir))
    macros = env.get_template("_macros.html").make_module(context)
    html: dict[int, Piece] = {}
    pieces: list[Piece | None] | None = None
    spill = Spill(0)
    clean = False  # entries made are printed as they are
    if config.format in ("fragment", "page") and "publications" in sections \
            and not _overridden(config, "publications.html"):
        if _overridden(config, "_macros.html"):
            store = None  # a site's own macro may read any of the context, not just the entry
            entry: Callable[[Publication], str] = lambda pub: str(macros.publication(pub))
        else:
            from .entryhtml import entry_formatter

            # The default macro's text, made without the template engine; it holds no text of a
            # site's own template, only values already cleaned as they were printed.
            entry, clean = entry_formatter(config), True
        spill = Spill(len(pubs))
        html, pieces = _ahead(pubs, entry, config.site_url if _wants_json_ld(config) else None, store, spill)
    if not clean or _overridden(config, "page.html") or _overridden(config, "fragment.html"):
        splice = None  # only the default templates print each placeholder as a piece of its own

    def printed(pub: Publication) -> str:
        # What {{ publication_html(pub) }} prints; an entry made here without the engine is that already.
        # Let go of each entry once printed: the page being written holds it now.
        found = html.pop(id(pub), None)
        if found is None:
            return _printed(macros.publication(pub))
        return spill.get(found) if clean else _printed(Markup(spill.get(found)))

    def piece(pub: Publication) -> Piece:
        found = html.pop(id(pub), None)
        return found if found is not None else _printed(macros.publication(pub))

    def runs(group: Sequence[Publication]) -> Iterator[_Cleaned]:
        if splice is None:
            return _runs(group, printed)
        return _spliced_runs(group, piece, spill, splice)

    made = pieces

    def lines(pubs: list[Publication], base: str) -> Iterator[_Cleaned]:
        # The lines made ahead serve the first printing and are then let go (megabytes, and the
        # page is still to be written); a template printing the JSON-LD twice gets them made again.
        nonlocal made
        found: Iterable[Piece | None] = chain(made if made is not None else (), repeat(None))
        made = None
        ready = (line if line is not None else _ld_line(pub, base) for pub, line in zip(pubs, found))
        if splice is not None:
            return _spliced_ld(ready, len(pubs), spill, splice)
        return map(_Cleaned, json_ld_parts(map(spill.get, ready)))  # every line is cleaned as made

    return lambda pub: _Cleaned(printed(pub)), runs, (lines if pieces is not None else None)


#: Entries printed as one piece of the page (see :func:`_runs`).
RUN = 256


def _runs(pubs: Sequence[Publication], printed: Callable[[Publication], str]) -> Iterator[_Cleaned]:
    """The entries of one list as the default ``publications.html`` prints them, ``RUN`` at a time.

    Printing each entry as a piece of its own (a template call, the
    ``finalize`` hook, escaping and encoding per entry) cost more than a large
    page's every other step after formatting; joined, the engine does that
    work once per few hundred entries.  Each run is the entries joined by the
    newline the template prints after each, the last one's left to the
    template.
    """
    for start in range(0, len(pubs), RUN):
        yield _Cleaned("\n".join([printed(pub) for pub in pubs[start:start + RUN]]))


def _spliced_runs(pubs: Sequence[Publication], piece: Callable[[Publication], Piece], spill: Spill,
                  splice: _Splice) -> Iterator[_Cleaned]:
    """:func:`_runs` as placeholders for the runs' bytes, each read when the page is written."""
    for start in range(0, len(pubs), RUN):
        run = pubs[start:start + RUN]
        yield splice.mark(lambda run=run:  # type: ignore[misc]
                          spill.joined([piece(pub) for pub in run], b"\n"))


def _spliced_ld(lines: Iterable[Piece], count: int, spill: Spill, splice: _Splice) -> Iterator[_Cleaned]:
    """:func:`~pubsite.jsonld.json_ld_parts` as placeholders for each run of lines' bytes."""
    lines = iter(lines)
    yield _Cleaned(HEAD)
    separator = b""
    for _ in range(0, count, LD_RUN):
        batch = list(islice(lines, LD_RUN))
        yield splice.mark(lambda batch=batch, separator=separator:  # type: ignore[misc]
                          separator + spill.joined(batch, b",\n"))
        separator = b",\n"
    yield _Cleaned(TAIL)


class _Splice:
    """Text the template prints as a placeholder, and :func:`render_pieces` writes as the bytes it stands
    for (see :meth:`pubsite.spill.Spill.joined`).

    A placeholder is a NUL, a random token and a number: every printed value
    has its NULs removed (see :func:`_printable`), and no template's own text
    can hold a token made for this render.  The default templates print each
    placeholder as a piece of the output of its own, which is all that is looked up.
    """

    def __init__(self) -> None:
        self._token = os.urandom(8).hex()
        self._made: dict[str, Callable[[], bytes]] = {}

    def mark(self, make: Callable[[], bytes]) -> _Cleaned:
        marker = f"\x00{self._token}:{len(self._made)}\x00"
        self._made[marker] = make
        return _Cleaned(marker)

    def take(self, piece: str) -> Callable[[], bytes] | None:
        """How to make the bytes ``piece`` stands for, if it is a placeholder."""
        return self._made.pop(piece, None) if piece[:1] == "\x00" else None


def _printed(value: Any) -> str:
    """``{{ value }}`` as the template environment prints it: finalized, then escaped."""
    return str(escape(_printable(value)))


def _overridden(config: Config, name: str) -> bool:
    folder = override_folder(config.template_dir)
    return folder is not None and os.path.isfile(os.path.join(folder, name))


def _ahead(pubs: list[Publication], entry: Callable[[Publication], str], base: str | None,
           store: FragmentStore | None, spill: Spill,
           ) -> tuple[dict[int, Piece], list[Piece | None] | None]:
    """Each entry's ``<li>`` (``entry(pub)``) by ``id`` of the publication, and (with ``base``) its
    JSON-LD line, in order: parked in ``spill`` as they are made (see :mod:`pubsite.spill`)."""
    from .parallel import split_map

    def work(chunk: Sequence[Publication]) -> list[tuple[bytes | None, tuple[Piece, Piece | None], bool]]:
        out: list[tuple[bytes | None, tuple[Piece, Piece | None], bool]] = []
        for pub in chunk:
            key = store.key(pub) if store is not None else None
            found = store.get(key) if key is not None else None  # type: ignore[union-attr]
            if found is None:
                made = spill.put(entry(pub))  # parked before its line: the store reads them in this order
                out.append((key, (made, spill.put(_ld_line(pub, base)) if base is not None else None), True))
            else:
                out.append((key, found, False))
        spill.flush()
        return out

    html: dict[int, Piece] = {}
    lines: list[Piece | None] = []
    for pub, (key, value, new) in zip(pubs, split_map(work, pubs)):
        html[id(pub)] = value[0]
        lines.append(value[1])
        if key is not None:
            store.put(key, value, new)  # type: ignore[union-attr]
    if store is not None:
        store.save(spill.data)
    return html, (lines if base is not None else None)


def badge_style(short: str, config: Config) -> str:
    """Inline colours of a venue badge the user gave a colour to ('' when none).

    Matched without case: ``[venue_colors] icml`` is meant for "ICML".
    """
    for name, color in config.venue_colors:
        if name.casefold() == short.casefold():
            return f"background-color:{color};color:{text_on(color)}"
    return ""


class _OnDemand:
    """Markup made when the template prints it, and not kept afterwards.

    The JSON-LD of a large bibliography is tens of megabytes as a string;
    made up front it would stay alive through the whole render.  Iterated
    (as the default page does), it comes a piece at a time and is never one
    string at all.
    """

    def __init__(self, parts: Callable[[], Iterator[Markup]]) -> None:
        self._parts = parts

    def __bool__(self) -> bool:
        return True

    def __iter__(self) -> Iterator[Markup]:
        return self._parts()

    def __html__(self) -> Markup:
        return _Cleaned("".join(self._parts()))  # every part is

    def __str__(self) -> str:
        return str(_printable(self.__html__()))


def _json_ld(pubs: list[Publication], config: Config,
             lines: Callable[[list[Publication], str], Iterator[_Cleaned]] | None) -> _OnDemand:
    base = config.site_url

    def parts() -> Iterator[Markup]:
        if lines is not None:
            return lines(pubs, base)
        return map(_Cleaned, json_ld_parts(_ld_line(pub, base) for pub in pubs))  # cleaned as made

    return _OnDemand(parts)


def _ld_line(pub: Publication, base: str) -> str:
    """An article's JSON-LD line, cleaned as it is made (on either core, and kept so in the cache):
    JSON escapes controls below U+0020 but not C1 controls or noncharacters, which HTML forbids.
    Cleaned lines need no search as the page prints them, a few hundred at a time."""
    return _clean(script_text(article_json(pub, base)))


def _profile_bio(config: Config) -> Markup:
    if config.profile is None or not config.profile.bio:
        return Markup("")
    from .news import inline_markdown

    return Markup(inline_markdown(config.profile.bio))


@lru_cache(maxsize=8)
def _css(template_dir: str | None) -> Markup:
    """The stylesheet (a site's ``templates/pubsite.css`` overrides ours by name, like any template).

    It is the site's own file, not input: escaping it (``"Segoe UI"`` as
    ``&#34;``) would break the CSS.
    """
    env = environment(template_dir)
    source, _, _ = env.loader.get_source(env, "pubsite.css")  # type: ignore[union-attr]
    return Markup(source)


def stylesheet(template_dir: str | None = None) -> str:
    """The text of ``pubsite.css``, for ``--css file``."""
    return str(_css(override_folder(template_dir)))


def author_json(author: Author) -> dict[str, Any]:
    data: dict[str, Any] = {"name": author.name, "given": author.given, "family": author.family,
                            "owner": author.owner, "equal": author.equal}
    if author.marks:
        data["marks"] = list(author.marks)
    if author.url:
        data["url"] = author.url
    return data


def publication_json(pub: Publication) -> dict[str, Any]:
    """The SPEC's JSON record; extra keys come after the contract's keys."""
    return {
        "key": pub.key,
        "type": pub.type,
        "title": pub.title,
        "authors": [author_json(a) for a in pub.authors],
        "year": pub.year,
        "month": pub.month,
        "venue": pub.venue,
        "venue_short": pub.venue_short,
        "status": pub.status,
        "links": {"pdf": pub.links.pdf, "arxiv": pub.links.arxiv, "doi": pub.links.doi,
                  "code": pub.links.code,
                  **{link.kind: link.url for link in pub.links.all
                     if link.kind not in ("pdf", "arxiv", "doi", "code")}},
        "selected": pub.selected,
        "et_al": pub.et_al,
        "venue_line": pub.venue_line,
        "year_text": pub.year_text,
        "award": pub.award,
        "kind": type_key(pub),
        "abstract": pub.abstract,
        "keywords": list(pub.keywords),
        "preview": pub.preview,
        "bibtex": to_bibtex(pub),
    }


def news_json(item: NewsItem) -> dict[str, Any]:
    data: dict[str, Any] = {"date": item.date, "text": item.text, "html": item.html}
    if item.link:
        data["link"] = item.link
    return data


def to_json(site: Site) -> str:
    return json.dumps({"publications": [publication_json(p) for p in site.publications],
                       "news": [news_json(n) for n in site.news]},
                      ensure_ascii=False, indent=2) + "\n"


def render(site: Site, config: Config, *, sections: tuple[str, ...] = ALL_SECTIONS,
           css: str | None = None, store: FragmentStore | None = None) -> str:
    """The whole output for ``config.format`` as one string (written only after this succeeds).

    ``sections`` picks what a fragment or Markdown output holds (an injected region
    may want the news alone); ``css`` overrides ``config.css`` (only the first of
    several injected regions carries the stylesheet).
    """
    if config.format == "json":
        return to_json(site)
    if config.format == "atom":
        from .atom import to_atom

        return to_atom(site, config)
    env = environment(override_folder(config.template_dir))
    try:
        template = env.get_template(TEMPLATES[config.format])
        return template.render(_context(site, config, sections, config.css if css is None else css,
                                        store))
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


def render_encoded(site: Site, config: Config, store: FragmentStore | None = None) -> bytes | bytearray:
    """:func:`render` as the UTF-8 bytes to write, never held as one string (see :func:`render_pieces`)."""
    out = bytearray()
    for piece in render_pieces(site, config, store):
        out += piece
    return out  # not copied into bytes: that would hold the page twice


def render_pieces(site: Site, config: Config, store: FragmentStore | None = None) -> Iterator[bytes]:
    """:func:`render`, as the UTF-8 bytes to write, a piece at a time.

    Templates are rendered piece by piece: a large page as one string, plus
    the list of pieces joined into it, was most of the memory of a large
    render.  The caller writes the pieces out as they come (or joins them).
    """
    if config.format not in TEMPLATES:
        yield render(site, config, store=store).encode("utf-8")
        return
    env = environment(override_folder(config.template_dir))
    try:
        template = env.get_template(TEMPLATES[config.format])
        splice = _Splice()
        for piece in template.generate(_context(site, config, ALL_SECTIONS, config.css, store, splice)):
            made = splice.take(piece)
            yield made() if made is not None else piece.encode("utf-8")
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None
