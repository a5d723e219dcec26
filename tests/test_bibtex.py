"""The BibTeX a visitor copies: rebuilt from parsed fields, public fields only, marks gone."""

from __future__ import annotations

import bibtexparser
import pytest

from pubsite.bib import parse_text
from pubsite.bibtex import PUBLIC_FIELDS, to_bibtex
from pubsite.model import Links, Publication
from pubsite.names import Owners, strip_marks
from pubsite.publications import build


def copy_of(bib: str) -> str:
    """Parse ``bib`` the way a render does and return the copyable BibTeX of its one entry."""
    entries, problems = parse_text(bib, "t.bib")
    assert not [p for p in problems if p.level == "error"]
    pub, _ = build(entries[0], Owners.from_names(["Shiqi He"]), aliases={}, venue_names={},
                   file_base="/assets/pdf/")
    assert pub is not None
    return to_bibtex(pub)


@pytest.mark.parametrize("field", [
    "abbr = {ICML}", "selected = {true}", "pdf = {paper.pdf}", "code = {https://github.com/x/y}",
    "equal = {1,2}", "annotation = {† Corresponding author}", "venue = {ICML}", "preview = {fig.png}",
    "award = {Best Paper}", "award_name = {Oral}", "bibtex_show = {true}", "slides = {s.pdf}",
    "abstract = {We show things.}", "keywords = {a, b}", "timestamp = {Tue, 01 Jan 2019}",
    "biburl = {https://dblp.org/rec/x.bib}", "file = {:paper.pdf:PDF}", "status = {accepted}",
    "url_poster = {https://example.org/p.pdf}",
])
def test_private_and_site_fields_are_left_out(field: str) -> None:
    name = field.split("=")[0].strip()
    out = copy_of(f"@inproceedings{{k,\n  title = {{T}},\n  {field},\n  year = 2020\n}}\n")
    assert f"  {name} =" not in out
    assert "  title = {T}," in out and "  year = {2020}" in out


def test_a_title_mentioning_private_field_names_is_kept_whole() -> None:
    # A line filter over the source would delete this title (al-folio's bug).
    bib = "@article{k,\n  title = {Where is the code? pdf = {x}, abbr and selected},\n  code = {x},\n}\n"
    assert "  title = {Where is the code? pdf = {x}, abbr and selected}" in copy_of(bib)


@pytest.mark.parametrize("author, expected", [
    ("Wu*, Feijie and He*, Shiqi", "Wu, Feijie and He, Shiqi"),
    ("Feijie Wu$^*$ and Shiqi He$^{*\\dagger}$", "Feijie Wu and Shiqi He"),
    ("Wu\\textsuperscript{*}, Feijie and Guo\\textsuperscript{\\dag}, Song", "Wu, Feijie and Guo, Song"),
    ("Wu{*}, F. and L{\\\"u}ck†, A.", "Wu, F. and L{\\\"u}ck, A."),
    ("{Barnes and Noble} and He, Shiqi", "{Barnes and Noble} and He, Shiqi"),
    ("He, Shiqi and others", "He, Shiqi and others"),
    ("He, Shiqi and ...", "He, Shiqi and others"),
    ("He,\n      Shiqi and\n   Wu, Feijie", "He, Shiqi and Wu, Feijie"),
])
def test_author_marks_are_stripped_and_latex_kept(author: str, expected: str) -> None:
    assert f"  author = {{{expected}}}" in copy_of(f"@article{{k, title={{T}}, author={{{author}}}, year=2020}}")
    assert strip_marks(author) == expected


@pytest.mark.parametrize("month, expected", [
    ("jul", "jul"), ("{July}", "jul"), ("7", "jul"), ("{sept}", "sep"), ("{Summer}", "{Summer}"),
])
def test_month_is_written_as_the_standard_macro(month: str, expected: str) -> None:
    assert f"  month = {expected}" in copy_of(f"@article{{k, title={{T}}, year=2020, month={month}}}")


@pytest.mark.parametrize("url, kept", [
    ("https://example.org/p", True),
    ("http://example.org/p", True),
    ("paper.pdf", False),  # a file of the owner's site, meaningless elsewhere
    ("javascript:alert(1)", False),
])
def test_url_is_kept_only_when_absolute_and_safe(url: str, kept: bool) -> None:
    out = copy_of(f"@misc{{k, title={{T}}, url={{{url}}}}}")
    assert ("  url = " in out) is kept


def test_fields_keep_file_order_macros_expanded_and_whitespace_folded() -> None:
    bib = ('@string{icml = "International Conference on Machine Learning"}\n'
           "@inproceedings{he2023,\n  year = 2023,\n  booktitle = icml # \" 2023\",\n"
           "  title = {A Long Title\n           Wrapped by DBLP},\n  author = {He, Shiqi},\n}\n")
    assert copy_of(bib) == (
        "@inproceedings{he2023,\n"
        "  year = {2023},\n"
        "  booktitle = {International Conference on Machine Learning 2023},\n"
        "  title = {A Long Title Wrapped by DBLP},\n"
        "  author = {He, Shiqi}\n"
        "}"
    )


def test_crossref_fields_are_inlined_and_the_crossref_dropped() -> None:
    bib = ("@inproceedings{p, title={Paper}, crossref={proc}, year=2020}\n"
           "@proceedings{proc, title={Proceedings of X}, publisher={ACM}, year=2020}\n")
    out = copy_of(bib)
    assert "crossref" not in out
    assert "  booktitle = {Proceedings of X}" in out and "  publisher = {ACM}" in out


@pytest.mark.parametrize("bib", [
    "@article{k, title={<script>alert(1)</script> & \\{x\\}}, author={O'Brien, B.}, year=2020}",
    "@misc{k, title={Quotes \"x\" and {nested {braces}}}, note={100\\% done}}",
    "@misc{weird-key:2020/x_y, title={T}}",
])
def test_output_parses_back_to_the_same_public_fields(bib: str) -> None:
    entries, _ = parse_text(bib, "t.bib")
    out = copy_of(bib)
    library = bibtexparser.parse_string(out, parse_stack=[])
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == entries[0].key
    expected = {k: " ".join(v.split()) for k, v in entries[0].fields if k in PUBLIC_FIELDS}
    assert {f.key: str(f.value)[1:-1] for f in entry.fields} == expected


@pytest.mark.parametrize("title, written", [
    ("a } b {", "a  b "), ("}{", ""), ("{{x}", "{x}"), ("x}}", "x"),
])
def test_unbalanced_braces_cannot_break_the_block(title: str, written: str) -> None:
    # The loader rejects such values, but a Publication built by other code may carry one.
    pub = Publication("k", "misc", "T", (), 2020, None, None, None, "published", Links(),
                      fields=(("title", title), ("note", "n")))
    out = to_bibtex(pub)
    assert bibtexparser.parse_string(out, parse_stack=[]).entries[0].key == "k"
    expected = f"  title = {{{' '.join(written.split())}}},\n" if written.strip() else ""
    assert out == "@misc{k,\n" + expected + "  note = {n}\n}"


def test_in_html_the_block_is_escaped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pubsite.config import Config
    from pubsite.site import render_site

    path = tmp_path / "p.bib"
    path.write_text("@misc{k, title={</code></pre></details><script>x()</script>}, year=2020}")
    out = render_site(Config(bib=(str(path),), news=None)).text
    code = out.split('<pre class="pubsite-bibtex-code"><code>')[1].split("</code></pre>")[0]
    assert "title = {&lt;/code&gt;&lt;/pre&gt;&lt;/details&gt;&lt;script&gt;x()&lt;/script&gt;}" in code
    assert "<" not in code


def test_a_value_shared_by_entries_is_written_per_field() -> None:
    # Values many entries share are remembered between entries: "7" is July as a month, 7 as a volume.
    first = Publication("a", "article", "T", (), 2020, None, None, None, "published", Links(),
                        fields=(("month", "7"), ("volume", "7"), ("journal", "J  of  {X}")))
    second = Publication("b", "article", "T", (), 2020, None, None, None, "published", Links(),
                         fields=(("volume", "7"), ("month", "7"), ("journal", "J of {X}}")))
    assert to_bibtex(first) == "@article{a,\n  month = jul,\n  volume = {7},\n  journal = {J of {X}}\n}"
    assert to_bibtex(second) == "@article{b,\n  volume = {7},\n  month = jul,\n  journal = {J of {X}}\n}"
