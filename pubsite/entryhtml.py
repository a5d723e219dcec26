"""Each entry's ``<li>``, printed in plain Python exactly as the default ``publication`` macro prints it.

Why it exists: speed.  Formatting every entry through the Jinja macro was
the largest part of rendering a big bibliography's page; most of that time
went to the macro runtime itself (attribute lookups, ``Markup``
concatenation, the ``finalize`` hook), not to the markup.  The same text
made here costs a fraction of that.

Why it must match the macro to the byte: ``_macros.html`` stays the
documented place to change how an entry looks, and the macro is what runs for
a site that overrides ``_macros.html`` or ``publications.html``.  A site that
overrides neither must get exactly what the macro would have printed, or
cached pages, reference outputs and users' diffs would change under them.  A
test compares the two on every shipped and fixture entry and on hand-made
entries that reach every branch (and the corpus tests on whole bibliographies).

Every printed value goes through :func:`_text`, which is what the template
environment does to a ``{{ value }}``: its ``finalize`` hook
(:func:`pubsite.render._printable`, dropping the code points HTML forbids),
then autoescaping with ``markupsafe.escape``.  The markup between values is
the macro's, with the whitespace ``trim_blocks``/``lstrip_blocks`` leave.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable

from markupsafe import escape

from .authorlist import author_runs
from .bibtex import to_bibtex
from .config import Config
from .model import Author, Publication
from .render import STATUS_LABELS, _clean, _printable, badge_style


def _replace_escape(value: str) -> str:
    """The replacements ``markupsafe.escape`` makes, for a markupsafe without its string-only escape."""
    return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


try:
    #: ``markupsafe.escape`` of a plain string without the ``Markup`` around its result: the same C
    #: loop, one pass over the text instead of five ``replace`` calls, and the string itself back when
    #: nothing needs escaping.  Private to markupsafe (3.0 on), hence the stand-in.
    from markupsafe._speedups import _escape_inner as _escape_str
except ImportError:  # pragma: no cover - markupsafe before 3.0, or without its C extension
    _escape_str = _replace_escape


def _text(value: Any) -> str:
    """``{{ value }}`` as the template environment prints it: finalized, then escaped, as a plain ``str``.

    A plain string is escaped as ``markupsafe.escape`` escapes it (the tests
    that compare entries with the macro's hold the two equal): its ``Markup``
    result costs twice as much, and added to a ``str`` it would escape the
    ``str``.  Nearly every value passes ``isprintable``, which clears it of
    the code points HTML forbids without a call (see :func:`pubsite.render._clean`).
    """
    if type(value) is not str:
        return str(escape(_printable(value)))
    return _escape_str(value if value.isprintable() else _clean(value))


def _author(author: Author) -> str:
    """One name with its marks, as the macro's author loop prints it (without the separator)."""
    name = _text(author.name)
    if author.owner:
        html = '<em class="pubsite-author pubsite-owner">' + name
    elif author.url:
        html = ('<span class="pubsite-author"><a class="pubsite-coauthor" href="' + _text(author.url)
                + '">' + name + "</a>")
    else:
        html = '<span class="pubsite-author">' + name
    if author.equal:
        html += '<span class="pubsite-equal">*</span>'
    for mark in author.marks:
        html += '<sup class="pubsite-mark">' + _text(mark) + "</sup>"
    return html + ("</em>" if author.owner else "</span>")


#: What an author with no mark, link or owner flag has in those fields.
_PLAIN = (False, False, (), None)
_flags = attrgetter("owner", "equal", "marks", "url")
_name = attrgetter("name")
#: Stands between names while they are cleaned and escaped together; a list with a name holding it
#: takes the general path.  Neither cleaning nor escaping touches it, and both act character by
#: character, so the joined names come out as each name would, with the stand-in between them.
_GAP = "|"
_PLAIN_GAP = '</span>, <span class="pubsite-author">'


def _authors(pub: Publication, max_authors: int) -> str:
    """The ``<br><span class="pubsite-authors">`` line, folded runs and "et al." included.

    Nearly every list is shown whole and names no owner, co-author page or
    mark: its names are then cleaned and escaped as one text, which costs
    less than a call per name (a test holds this equal to the general path).
    """
    authors = pub.authors
    if authors and (max_authors <= 0 or len(authors) <= max_authors) and all(map(_PLAIN.__eq__, map(_flags, authors))):
        joined = _GAP.join(map(_name, authors))
        if joined.count(_GAP) == len(authors) - 1:
            return ('<br><span class="pubsite-authors"><span class="pubsite-author">'
                    + _text(joined).replace(_GAP, _PLAIN_GAP)
                    + ('</span>, <span class="pubsite-etal">et al.</span></span>\n' if pub.et_al
                       else "</span></span>\n"))
    return _general_authors(pub, max_authors)


def _general_authors(pub: Publication, max_authors: int) -> str:
    """:func:`_authors` for any list, a name at a time."""
    parts = ['<br><span class="pubsite-authors">']
    runs = author_runs(pub.authors, max_authors)
    for number, run in enumerate(runs):
        if run.folded:
            parts.append('<details class="pubsite-more"><summary>, <span class="pubsite-more-label">'
                         + ("and " if number == len(runs) - 1 else "")
                         + _text(len(run.authors)) + " more</span></summary>")
        for index, author in enumerate(run.authors):
            if run.folded or number or index:
                parts.append(", ")
            parts.append(_author(author))
        if run.folded:
            parts.append("</details>")
    if pub.et_al:
        parts.append(', <span class="pubsite-etal">et al.</span>' if pub.authors
                     else '<span class="pubsite-etal">et al.</span>')
    parts.append("</span>\n")
    return "".join(parts)


def entry_formatter(config: Config) -> Callable[[Publication], str]:
    """``publication(pub)`` of the default ``_macros.html`` for this config, as a Python function.

    The config is read once here: the same switches hold for every entry of a render.
    """
    show_preview = config.show_preview
    show_badge = config.show_venue_badge
    show_award = config.show_award
    show_abstract = config.show_abstract
    show_bibtex = config.show_bibtex
    max_authors = config.max_authors

    def publication(pub: Publication) -> str:
        preview = show_preview and pub.preview
        parts = ['<li class="pubsite-pub pubsite-', _text(pub.status),
                 ' pubsite-has-preview"' if preview else '"', ' id="', _text(pub.key), '">\n']
        title = _text(pub.title)
        if preview:
            parts += ['<img class="pubsite-preview" src="', _text(pub.preview), '" alt="Preview of ', title,
                      '" loading="lazy" decoding="async">\n']
        if show_badge and pub.venue_short:
            style = badge_style(pub.venue_short, config)
            parts += ['<span class="pubsite-badge pubsite-venue-badge"',
                      ' style="' + _text(style) + '"' if style else "", ">", _text(pub.venue_short), "</span> "]
        parts += ['<strong class="pubsite-title">', title, "</strong>\n"]
        if pub.authors or pub.et_al:
            parts.append(_authors(pub, max_authors))
        parts.append("<br>")
        if pub.venue_line:
            parts += ['<em class="pubsite-venue">', _text(pub.venue_line), "</em>"]
        if pub.status in STATUS_LABELS:
            parts += [' <em class="pubsite-status">', _text(STATUS_LABELS[pub.status]), "</em>"]
        if pub.award and show_award:
            parts += [' <span class="pubsite-badge pubsite-award">', _text(pub.award), "</span>"]
        if pub.links.all:
            parts.append(' <span class="pubsite-links">')
            for index, link in enumerate(pub.links.all):
                parts += [" [" if index else "[", '<a class="pubsite-link pubsite-link-', _text(link.kind),
                          '" href="', _text(link.url), '">', _text(link.label), "</a>]"]
            parts.append("</span>")
        if pub.abstract and show_abstract:
            parts += [' <details class="pubsite-toggle pubsite-abstract"><summary>[<span class="pubsite-toggle-label">'
                      'Abstract</span>]</summary><p class="pubsite-abstract-text">', _text(pub.abstract),
                      "</p></details>"]
        if show_bibtex:
            parts += [' <details class="pubsite-toggle pubsite-bibtex"><summary>[<span class="pubsite-toggle-label">'
                      'BibTeX</span>]</summary><pre class="pubsite-bibtex-code"><code>', _text(to_bibtex(pub)),
                      "</code></pre></details>"]
        parts.append("\n</li>")
        return "".join(parts)

    return publication
