"""Property tests over the whole pipeline: any bib file and news feed, every output format.

Generated inputs mix BibTeX structure, names, LaTeX, Markdown and the
payloads an attacker would put in a shared bib file.  Whatever they are:

- the library raises nothing but :class:`~pubsite.errors.PubsiteError`;
- the same inputs give byte-identical output;
- HTML output parses (html5lib, strict) with every tag closed where it opened;
- nothing from the input becomes markup: no element or attribute of its
  own, no ``javascript:`` (or other non-web) link, and the Markdown output,
  read by a CommonMark parser, holds to the same rules.

Example counts are modest: each example renders four formats.
"""

from __future__ import annotations

import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import html5lib
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pubsite.config import Config
from pubsite.errors import PubsiteError
from pubsite.site import render_site

# -- strategies -------------------------------------------------------------------

#: What an attacker or a mangled export puts into values.  The tag and
#: attribute names are unique so that finding them in the output means they
#: became markup.
PAYLOADS = [
    "<evil-tag>x</evil-tag>", '"><evil-tag evil-attr="1">', "' evil-attr='1", '" onmouseover="evil()',
    "<script>evil()</script>", "</script><evil-tag>", "<!--", "-->", "<![CDATA[", "]]>",
    "javascript:evil()", " JaVaScRiPt:evil()", "java\tscript:evil()", "data:text/html,<evil-tag>",
    "vbscript:evil", "//evil.example/x", "https://ok.example/a?b=1&c=2", "mailto:a@b.example",
    "paper.pdf", "/assets/x.pdf", "&", "&amp;", "&#60;evil-tag&#62;", "&lt;", "{{ site.title }}", "{% raw %}",
    "[link](javascript:evil())", "<https://x.example>", "*em*", "**strong**", "`code`", "\\", "|", "#",
]
LATEX = [
    "{", "}", "\\", "$", "$^*$", "$\\dagger$", "\\textbf{", "\\emph{x}", "{\\\"o}", "\\'e", "\\url{",
    "\\href{javascript:evil()}{x}", "--", "~", "\\&", "\\$", "\\%", "\\#", "^", "_", "\\\\", "\\mbox{",
    "{\\textdollar}", "\\(x^2\\)", "%", "@", ",", "=", "#", '"',
]
WORDS = ["Smith", "John", "van", "der", "Jr.", "and", "others", "et al.", "Müller", "O'Brien", "李",
         "GlueFL", "2023", "jul", "forthcoming", "arXiv:2212.01523", "10.1145/123", "preprint"]
SPACES = [" ", "\n", "\r\n", "\t", "\u00a0", "\u202a", "\ufeff", "\x00", "\x0b"]

piece = st.one_of(st.sampled_from(PAYLOADS), st.sampled_from(LATEX), st.sampled_from(WORDS),
                  st.sampled_from(SPACES), st.text(max_size=4))
value = st.lists(piece, max_size=6).map("".join)

name = st.builds(
    lambda given, family, mark, comma: f"{family}, {given}{mark}" if comma else f"{given} {family}{mark}",
    st.sampled_from(["John", "J.", "Ann-Marie", "{\\'E}mile", "", "MP", "Jörg"]) | value,
    st.sampled_from(["Smith", "van der Berg", "{Barnes and Noble}", "O'Brien", "He"]) | value,
    st.sampled_from(["", "*", "$^*$", "$^\\dagger$", "\\textsuperscript{*}"]),
    st.booleans(),
)
authors = st.lists(name, max_size=4).map(" and ".join) | st.sampled_from(["others", "A, B, C, D", ""])

FIELDS = ["title", "year", "month", "date", "journal", "booktitle", "venue", "abbr", "doi", "url", "pdf",
          "code", "html", "slides", "url_demo", "eprint", "archiveprefix", "note", "abstract", "award",
          "selected", "status", "crossref", "equal", "annotation", "keywords", "howpublished", "school",
          "preview", "pubsite_ignore"]


def balanced(text: str) -> str:
    """``text`` without the braces that would end the value early (most real values are balanced)."""
    out, depth = [], 0
    for char in text:
        if char == "}" and depth == 0:
            continue
        depth += (char == "{") - (char == "}")
        out.append(char)
    return "".join(out) + "}" * depth


@st.composite
def entry(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["article", "inproceedings", "misc", "phdthesis", "proceedings", "ARTICLE",
                                 "unknowntype"]))
    key = draw(st.sampled_from(["a", "dup", "k-ü", "<evil-tag>"]) | st.text(
        alphabet=st.characters(blacklist_characters="{}(),= \t\n\r@%\"#'\\~"), min_size=1, max_size=8))
    fields = [("author", draw(authors)), ("title", draw(value) or "T")]
    fields += draw(st.lists(st.tuples(st.sampled_from(FIELDS), value), max_size=6))
    if draw(st.integers(0, 4)) == 0:
        del fields[1]  # sometimes no title at all
    body = []
    for field, text in fields:
        # Mostly well-formed, so that most entries get as far as the page.
        form = draw(st.sampled_from(["{}"] * 6 + ['""'] * 2 + ["bare", "broken"]))
        if draw(st.integers(0, 9)):
            text = balanced(text)
        if form == "{}":
            body.append(f"{field} = {{{text}}}")
        elif form == '""':
            body.append(f'{field} = "{text}"')
        elif form == "bare":
            body.append(f"{field} = {draw(st.sampled_from(['2023', 'jul', 'undefinedmacro', 'a # b']))}")
        else:
            body.append(f"{field}{{{text}}}")
    separator = draw(st.sampled_from([",\n  "] * 3 + [", ", ",", "\n  "]))
    return f"@{kind}{{{key},\n  " + separator.join(body) + draw(st.sampled_from(["\n}"] * 4 + [",\n}", "", "}}"]))


bib_text = st.one_of(
    st.lists(entry(), max_size=5).map("\n\n".join),
    st.lists(entry(), max_size=5).map("\n\n".join),
    st.lists(st.one_of(entry(), st.sampled_from(["@string{x = {X}}", "@preamble{\"p\"}", "@comment{c}",
                                                  "% comment", "junk", "@", "}"]), piece), max_size=8).map("".join),
)


@st.composite
def news_text(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=60))  # not YAML at all, or YAML of the wrong shape
    items = []
    for _ in range(draw(st.integers(0, 4))):
        item: dict[str, object] = {
            "date": draw(st.sampled_from(["2024-12", "2023-09-01", "2024-13", "yesterday", ""])),
            "text": draw(value),
        }
        if draw(st.booleans()):
            item["link"] = draw(st.sampled_from(PAYLOADS) | value)
        items.append(item)
    return yaml.safe_dump(items, allow_unicode=True)


# -- checks ---------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# How a browser reads a URL's scheme: leading controls and spaces trimmed, tabs
# and newlines anywhere removed, then letters, digits, "+", "-", "." up to ":".
_IGNORED_IN_URL = re.compile(r"^[\x00-\x20]+|[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


class _Balance(HTMLParser):
    """Every end tag closes the innermost open element; nothing left open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def assert_balanced(html: str) -> None:
    checker = _Balance()
    checker.feed(html)
    checker.close()
    assert checker.errors == [] and checker.stack == [], (checker.errors, checker.stack)


def assert_no_injected_markup(root: ET.Element) -> None:
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        assert "evil" not in tag, f"input became an element: <{tag}>"
        if tag == "script":
            assert element.get("type") == "application/ld+json", "a script that is not our JSON-LD"
        for attribute, content in element.attrib.items():
            assert "evil" not in attribute and not attribute.startswith("on"), f"input became {attribute}="
            if attribute in ("href", "src", "action", "formaction", "srcset"):
                scheme = _SCHEME.match(_IGNORED_IN_URL.sub("", content))
                assert scheme is None or scheme.group(1).lower() in ("http", "https", "mailto"), \
                    f"unsafe {attribute}={content!r}"


def check_html(html: str, page: bool) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(html) if page else parser.parseFragment(html)
    assert_balanced(html)
    assert_no_injected_markup(tree)


_MARKDOWN = MarkdownIt("commonmark")


def check_markdown(text: str) -> None:
    html = _MARKDOWN.render(text)
    tree = html5lib.parseFragment(html, namespaceHTMLElements=False)
    assert_no_injected_markup(tree)


# -- the properties ---------------------------------------------------------------------

FORMATS = ("fragment", "page", "markdown", "json")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bib=bib_text, news=news_text(), owner=st.sampled_from([(), ("John Smith",), ("He, Shiqi", "S. He")]))
def test_any_input_renders_safely_or_fails_cleanly(bib: str, news: str, owner: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        bib_path, news_path = Path(folder, "refs.bib"), Path(folder, "news.yaml")
        bib_path.write_bytes(bib.encode("utf-8", "surrogatepass"))
        news_path.write_bytes(news.encode("utf-8", "surrogatepass"))
        for fmt in FORMATS:
            config = Config(bib=(str(bib_path),), news=str(news_path), owner=owner, format=fmt,
                            template_dir=str(Path(folder, "templates")), cache_dir=None)
            try:
                first = render_site(config).text
            except PubsiteError:
                continue  # unusable input, reported as path:line: message
            assert render_site(config).text == first  # deterministic
            if fmt in ("fragment", "page"):
                check_html(first, page=fmt == "page")
            elif fmt == "markdown":
                check_markdown(first)


@settings(max_examples=60, deadline=None)
@given(authors)
def test_any_author_field_renders_as_escaped_names(field: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "refs.bib")
        path.write_text("@article{k, title={T}, year={2020}, author={" + field.replace("}", "") + "}}\n",
                        encoding="utf-8", errors="surrogatepass")
        try:
            result = render_site(Config(bib=(str(path),), news=None, owner=("John Smith",), cache_dir=None))
        except PubsiteError:
            return
        check_html(result.text, page=False)
