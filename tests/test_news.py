"""Tests for the news feed: loading, validation, ordering and Markdown sanitising."""

from __future__ import annotations

import re
from pathlib import Path
import html5lib
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pubsite.errors import Problem, PubsiteError
from pubsite.model import NewsItem
from pubsite.news import inline_markdown, is_safe_url, load_news, parse_news

DATA = Path(__file__).parent / "data" / "news"
ALLOWED_TAGS = {"a", "em", "strong", "code", "br"}


def one(text: str) -> tuple[list[NewsItem], list[Problem]]:
    """Parse inline YAML under a fixed name, as most cases need no file."""
    return parse_news(text, "news.yaml")


# --- dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-12", "2024-12"),  # a string to YAML
        ('"2024-12"', "2024-12"),
        ("2024-12-05", "2024-12-05"),  # a datetime.date to YAML
        ("'2024-12-05'", "2024-12-05"),
        ("2024-02-29", "2024-02-29"),  # leap year
        ("2000-02-29", "2000-02-29"),
        ("1999-01-31", "1999-01-31"),
    ],
)
def test_valid_dates(raw: str, expected: str) -> None:
    items, problems = one(f"- date: {raw}\n  text: hi\n")
    assert problems == []
    assert [i.date for i in items] == [expected]


@pytest.mark.parametrize(
    "raw",
    [
        "2024-13",
        "2024-00",
        "2024-02-30",  # PyYAML's own date constructor would raise on this one
        "2023-02-29",
        "2024-04-31",
        "2024-12-00",
        "2024-5",
        "2024-1-5",  # a YAML timestamp, but not zero-padded
        "Dec 2024",
        "\u0662\u0660\u0662\u0664-\u0661\u0662",  # non-ASCII digits
        "2024-12-05x",
        "2024",  # an integer
        "2024-12-05 10:30:00",  # a datetime: times are not supported
        "[2024, 12]",
        "",
        "~",
    ],
)
def test_invalid_dates(raw: str) -> None:
    items, problems = one(f"- date: {raw}\n  text: hi\n- date: 2020-01\n  text: ok\n")
    assert [i.text for i in items] == ["ok"]
    assert [(p.code, p.level, p.line) for p in problems] == [("PS401", "error", 1)]


def test_missing_date() -> None:
    _, problems = one("- text: hi\n")
    assert [(p.code, p.line) for p in problems] == [("PS401", 1)]
    assert "missing date" in problems[0].message


# --- the file as a whole ------------------------------------------------------


def test_good_file_loads_newest_first_with_lines() -> None:
    items, problems = load_news(DATA / "good.yaml")
    assert problems == []
    assert [(i.date, i.line) for i in items] == [
        ("2024-12-05", 4),
        ("2024-12-05", 9),
        ("2024-12", 6),
        ("2023-06", 2),
    ]
    assert all(i.path == str(DATA / "good.yaml") for i in items)


def test_bad_items_reported_with_their_lines_and_good_ones_kept() -> None:
    items, problems = load_news(DATA / "bad_items.yaml", display_path="news.yaml")
    assert [(i.date, i.text, i.line) for i in items] == [
        ("2024-06", "link dropped", 16),
        ("2024-05", "kept despite an unknown key", 13),
        ("2024-01-02", "good one", 3),
    ]
    assert [(p.line, p.level, p.code) for p in problems] == [
        (1, "error", "PS401"),
        (5, "error", "PS403"),
        (6, "error", "PS401"),
        (8, "error", "PS402"),
        (9, "error", "PS401"),
        (11, "warning", "PS404"),
        (11, "error", "PS401"),
        (13, "warning", "PS404"),
        (16, "warning", "PS405"),
    ]
    assert all(p.path == "news.yaml" for p in problems)
    assert items[0].link is None and items[0].html == "link dropped"


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [("dat", "date"), ("txt", "text"), ("url", "link"), ("href", "link"),
     ("Date", "date"), ("lnik", "link"), ("title", "text")],
)
def test_unknown_key_suggests(key: str, suggestion: str) -> None:
    items, problems = one(f"- date: 2024-01\n  text: hi\n  {key}: x\n")
    assert len(items) == 1
    assert [(p.code, p.level) for p in problems] == [("PS404", "warning")]
    assert f"did you mean '{suggestion}'" in problems[0].message


def test_unknown_key_without_suggestion() -> None:
    _, problems = one("- date: 2024-01\n  text: hi\n  venue: x\n")
    assert "did you mean" not in problems[0].message


def test_top_level_mapping_with_news_key() -> None:
    items, problems = load_news(DATA / "mapping.yaml")
    assert problems == []
    assert [(i.text, i.line) for i in items] == [("hello", 3)]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "[]\n", "news:\n", "news: []\n"])
def test_empty_means_no_news(text: str) -> None:
    assert parse_news(text, "news.yaml") == ([], [])


def test_empty_file() -> None:
    assert load_news(DATA / "empty.yaml", required=True) == ([], [])


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("not_a_list.yaml", 1),
    ],
)
def test_not_a_list(source: str, line: int) -> None:
    with pytest.raises(PubsiteError) as info:
        load_news(DATA / source, display_path="news.yaml")
    assert (info.value.path, info.value.line) == ("news.yaml", line)


@pytest.mark.parametrize(
    ("text", "line"),
    [("just a string\n", 1), ("\n\n42\n", 3), ("news: 3\n", 1), ("news:\n  a: b\n", 2),
     ("other: []\n", 1)],
)
def test_bad_top_level(text: str, line: int) -> None:
    with pytest.raises(PubsiteError) as info:
        parse_news(text, "news.yaml")
    assert (info.value.path, info.value.line) == ("news.yaml", line)


def test_yaml_syntax_error_has_line() -> None:
    with pytest.raises(PubsiteError) as info:
        load_news(DATA / "syntax_error.yaml", display_path="news.yaml")
    assert info.value.message.startswith("invalid YAML: ")
    assert (info.value.path, info.value.line) == ("news.yaml", 4)
    assert str(info.value).startswith("news.yaml:4: invalid YAML")


def test_control_character_is_a_pubsite_error_with_line() -> None:
    with pytest.raises(PubsiteError) as info:
        parse_news("- date: 2024-01\n  text: a\x00b\n", "news.yaml")
    assert info.value.line == 2 and "U+0000" in info.value.message


def test_missing_file_optional_and_required(tmp_path: Path) -> None:
    missing = tmp_path / "news.yaml"
    assert load_news(missing) == ([], [])
    with pytest.raises(PubsiteError) as info:
        load_news(missing, required=True, display_path="site/news.yaml")
    assert info.value.message == "news file not found"
    assert info.value.path == "site/news.yaml"


def test_not_utf8() -> None:
    with pytest.raises(PubsiteError) as info:
        load_news(DATA / "latin1.yaml")
    assert info.value.path == str(DATA / "latin1.yaml")
    assert info.value.line == 2
    assert "UTF-8" in info.value.message


def test_utf8_bom_accepted(tmp_path: Path) -> None:
    path = tmp_path / "news.yaml"
    path.write_bytes("\ufeff- date: 2024-01\n  text: café\n".encode())
    items, _ = load_news(path)
    assert items[0].text == "café"


def test_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PubsiteError):
        load_news(tmp_path)


@pytest.mark.parametrize(
    ("body", "code"),
    [("  text: ''", "PS402"), ("  text:", "PS402"), ("  text: [a, b]", "PS402"),
     ("  text: '   '", "PS402")],
)
def test_bad_text(body: str, code: str) -> None:
    items, problems = one(f"- date: 2024-01\n{body}\n")
    assert items == [] and [(p.code, p.line) for p in problems] == [(code, 1)]


def test_text_is_source_text_not_yaml_types() -> None:
    items, _ = one("- date: 2024-01\n  text: yes\n- date: 2024-01\n  text: 1.50\n")
    assert [i.text for i in items] == ["yes", "1.50"]


# --- ordering -----------------------------------------------------------------


def test_order_newest_first_and_stable() -> None:
    text = "".join(
        f"- date: {d}\n  text: {t}\n"
        for d, t in [("2024-11", "a"), ("2024-12-01", "b"), ("2024-12", "c"),
                     ("2024-12-31", "d"), ("2024-12", "e"), ("2024-12-01", "f"),
                     ("2023-12-31", "g")]
    )
    items, _ = one(text)
    # Month-only dates sort after the specific days of the same month.
    assert [i.text for i in items] == ["d", "b", "f", "c", "e", "a", "g"]


# --- links on items -----------------------------------------------------------


def test_item_link_wraps_text_without_a_link() -> None:
    items, _ = one("- date: 2024-01\n  text: Our *award*\n  link: https://x.org/a?b=1&c=2\n")
    assert items[0].html == '<a href="https://x.org/a?b=1&amp;c=2">Our <em>award</em></a>'
    assert items[0].link == "https://x.org/a?b=1&c=2"
    assert items[0].text == "Our award"


def test_item_link_not_added_when_text_has_a_link() -> None:
    items, _ = one(
        "- date: 2024-01\n  text: '[Paper](https://a.org) out'\n  link: https://b.org\n"
    )
    assert items[0].html == '<a href="https://a.org">Paper</a> out'
    assert items[0].link == "https://b.org"


@pytest.mark.parametrize("link", ["/news.html", "talks.html", "#news", "mailto:me@x.org",
                                  "http://x.org", "HTTPS://X.ORG"])
def test_item_link_allowed(link: str) -> None:
    items, problems = one(f"- date: 2024-01\n  text: t\n  link: '{link}'\n")
    assert problems == [] and items[0].link == link


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "vbscript:x",
                                  "ftp://x.org/f", "JaVaScRiPt:alert(1)"])
def test_item_link_rejected(link: str) -> None:
    items, problems = one(f"- date: 2024-01\n  text: t\n  link: '{link}'\n")
    assert [(p.code, p.level, p.line) for p in problems] == [("PS405", "warning", 1)]
    assert items[0].link is None and items[0].html == "t"


# --- Markdown -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "html", "plain"),
    [
        ("[Lotto](https://www.usenix.org/x.pdf) has been accepted to USENIX Security 2024",
         '<a href="https://www.usenix.org/x.pdf">Lotto</a>'
         " has been accepted to USENIX Security 2024",
         "Lotto has been accepted to USENIX Security 2024"),
        ("[FedAMD](https://arxiv.org/pdf/2206.05891.pdf)",
         '<a href="https://arxiv.org/pdf/2206.05891.pdf">FedAMD</a>', "FedAMD"),
        ("*em* and _em_", "<em>em</em> and <em>em</em>", "em and em"),
        ("**strong**", "<strong>strong</strong>", "strong"),
        ("`a < b`", "<code>a &lt; b</code>", "a < b"),
        ("line one\nline two", "line one<br>line two", "line one\nline two"),
        ("hard  \nbreak", "hard<br>break", "hard\nbreak"),
        ("<https://a.org>", '<a href="https://a.org">https://a.org</a>', "https://a.org"),
        ("<me@x.org>", '<a href="mailto:me@x.org">me@x.org</a>', "me@x.org"),
        ("[t](https://a.org \"title\")", '<a href="https://a.org">t</a>', "t"),
        ("[site](/pubs.html#2024)", '<a href="/pubs.html#2024">site</a>', "site"),
        ("![logo](https://a.org/l.png)", "logo", "logo"),
        ("# not a heading", "# not a heading", "# not a heading"),
        ("[a b](https://a.org/x y)", "[a b](https://a.org/x y)", "[a b](https://a.org/x y)"),
        ("[a](<https://a.org/x y>)", '<a href="https://a.org/x%20y">a</a>', "a"),
    ],
)
def test_markdown_rendering(source: str, html: str, plain: str) -> None:
    assert inline_markdown(source) == html
    items, _ = one(yaml.safe_dump([{"date": "2024-01", "text": source}]))
    assert (items[0].html, items[0].text) == (html, plain)


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('say "hi"', "say &quot;hi&quot;"),
        ("R&D &amp; more", "R&amp;D &amp; more"),
        ("<b onclick=x>bold</b>", "&lt;b onclick=x&gt;bold&lt;/b&gt;"),
        # Quotes and brackets in a destination are percent-encoded, never raw.
        ("[x](https://a.org/?q=\"><script>)",
         '<a href="https://a.org/?q=%22%3E%3Cscript%3E">x</a>'),
        ("[x](https://a.org/?a=1&b=2)", '<a href="https://a.org/?a=1&amp;b=2">x</a>'),
    ],
)
def test_escaping(source: str, html: str) -> None:
    assert inline_markdown(source) == html


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](<java\tscript:alert(1)>)",
        "[click](&#106;avascript:alert(1))",
        "[click](&#x6A;avascript:alert(1))",
        "[click](%6Aavascript:alert(1))",
        "[click]( javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox)",
        "[click](file:///etc/passwd)",
    ],
)
def test_dangerous_links_dropped(source: str) -> None:
    assert inline_markdown(source) == "click"


def test_dangerous_autolink_becomes_text() -> None:
    assert inline_markdown("<javascript:alert(1)>") == "javascript:alert(1)"


@pytest.mark.parametrize(
    ("url", "safe"),
    [("https://a.org", True), ("mailto:a@b.c", True), ("/x", True), ("x.html", True),
     ("#f", True), ("?q=1", True), ("//cdn.org/x", True), ("a/b:c", True),
     ("javascript:x", False), ("JAVASCRIPT:x", False), ("java\nscript:x", False),
     ("\x01javascript:x", False), ("data:x", False), ("java%0Ascript:x", False),
     ("&#x6a;avascript:x", False), ("&amp;#106;avascript:x", False)],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def test_deterministic() -> None:
    source = "[a](https://a.org) *b* `c`\nd"
    assert inline_markdown(source) == inline_markdown(source)
    feed = yaml.safe_dump([{"date": "2024-01", "text": source}])
    assert parse_news(feed, "n") == parse_news(feed, "n")


# --- property -----------------------------------------------------------------

_pieces = st.sampled_from([
    "[", "]", "(", ")", "<", ">", "*", "_", "`", "!", "\\", "\n", "  \n", " ", "&", "#", ";",
    '"', "'", ":", "/", "javascript:", "JaVaScRiPt:", "java\tscript:", "&#106;", "%6A",
    "data:", "https://a.org", "mailto:", "<script>", "</a>", "<a href=x>", "onclick=",
])
_texts = st.one_of(st.text(), st.lists(st.one_of(_pieces, st.text(max_size=3))).map("".join))


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_inline_markdown_is_always_safe(text: str) -> None:
    out = inline_markdown(text)
    assert isinstance(out, str)
    fragment = html5lib.parseFragment(out, namespaceHTMLElements=False)
    for element in fragment.iter():
        if element is fragment or not isinstance(element.tag, str):
            continue  # the fragment root and comments
        assert element.tag in ALLOWED_TAGS, out
        if element.tag == "a":
            assert set(element.attrib) == {"href"}, out
            href = re.sub(r"[\x00-\x20]", "", element.attrib["href"]).lower()
            assert not href.startswith(("javascript:", "data:", "vbscript:")), out
            assert is_safe_url(element.attrib["href"]), out
        else:
            assert not element.attrib, out


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(
    ["- ", "date: ", "text: ", "link: ", "news:", "2024-12", "2024-02-30", "\n", "  ", "[", "]",
     "{", "}", ":", '"', "'", "*", "&a", "!!str ", "~", "javascript:x", "`"])).map("".join)))
def test_parse_news_only_raises_pubsite_error(text: str) -> None:
    try:
        items, problems = parse_news(text, "news.yaml")
    except PubsiteError as exc:
        assert exc.path == "news.yaml"
        return
    assert all(p.line >= 1 for p in problems)
    assert [i.date for i in items] == sorted((i.date for i in items), reverse=True)


def test_deep_nesting_is_a_pubsite_error() -> None:
    with pytest.raises(PubsiteError):
        parse_news("[" * 5000, "news.yaml")
