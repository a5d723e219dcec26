"""LaTeX to Unicode for displayed text: every spelling exporters produce."""

from __future__ import annotations

import pytest

from pubsite.latex import decode


@pytest.mark.parametrize(
    "text, expected",
    [
        (r"Sch{\"o}lkopf", "Schölkopf"),
        (r"Sch\"{o}lkopf", "Schölkopf"),
        (r"Garc{\'\i}a", "García"),
        (r"Fran\c{c}ois", "François"),
        (r"J{\o}rgensen", "Jørgensen"),
        (r"Stra\ss{}e", "Straße"),
        (r"{\L}ukasz", "Łukasz"),
        (r"N\'{u}\~{n}ez", "Núñez"),
        ("pages 10--20 --- done", "pages 10–20 — done"),
        ("J.~Smith", "J. Smith"),
        (r"R\&D at 10\% off", "R&D at 10% off"),
        (r"\textit{Italic} \emph{em} \textbf{bold}", "Italic em bold"),
        (r"$\alpha$-divergence", "α-divergence"),
        (r"Wu$^*$", "Wu*"),
        (r"Wu$^\ast$", "Wu*"),
        (r"He\textsuperscript{*}", "He*"),
        (r"He\textsuperscript{\dagger}", "He†"),
        ("{GlueFL}: Reconciling {C}lient  Sampling", "GlueFL: Reconciling Client Sampling"),
        ("Title wrapped\n     over lines", "Title wrapped over lines"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        # Macros pylatexenc would drop with their argument: the words must survive.
        (r"Solving with \texttt{clingo}", "Solving with clingo"),
        (r"\mbox{k}-means", "k-means"),
        (r"Typesetting with \LaTeX", "Typesetting with LaTeX"),
        (r"\TeX{} and friends", "TeX and friends"),
        (r"\textsf{Sans} \textup{Up}", "Sans Up"),
        ("plain text", "plain text"),
    ],
)
def test_decode(text: str, expected: str) -> None:
    assert decode(text) == expected


@pytest.mark.parametrize(
    "raw, shown",
    [
        # DBLP's math in titles: boxes keep their text, scripts become Unicode.
        (r"AC\({}^{\mbox{0}}\)[{\(\oplus\)}]", "AC⁰[⊕]"),
        (r"$O(n^{2})$ and $H_2O$", "O(n²) and H₂O"),
        (r"$x^{ab}$", "x^ab"),  # no Unicode for it: left readable
        ("x^2 outside math", "x^2 outside math"),
        # DBLP's other spelling of the same title: math escaped as text, decoded twice.
        (r"{\textdollar}{\textbackslash}mathrm\{AC\}{\^{}}0[{\textbackslash}oplus]{\textdollar}", "AC⁰[⊕]"),
        # An accent on nothing is the character itself.
        (r"a {\^{}} b {\~{}} c", "a ^ b ~ c"),
        # A typo seen in a real bib: the accent put on an escaped brace.
        (r"J{\"\{o}}rg", "Jörg"),
        # ACM's double escape of an ampersand, and its HTML entities.
        (r"Needs \&\#38; Motivations", "Needs & Motivations"),
        ("Responsible &amp; Inclusive", "Responsible & Inclusive"),
        # Literal special characters stay literal.
        (r"ASP\{f\}", "ASP{f}"),
        (r"100\% of \$5", "100% of $5"),
        (r"\emph{k}-SAT", "k-SAT"),
        ("{{Tracking}} of {{Screen Time}}", "Tracking of Screen Time"),
    ],
)
def test_decode_exporter_spellings(raw: str, shown: str) -> None:
    assert decode(raw) == shown


# -- substring shortcuts agree with the patterns they stand for ----------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pubsite import latex  # noqa: E402

_SHORTCUT_PIECES = st.sampled_from(list("\\{}$~&-`' \t\n\u00a0\u2003\u3000\x1caZ.") + ["--", "``", "''"])


def _shortcuts_agree(text: str) -> None:
    assert latex._needs_work(text) == bool(latex._NEEDS_WORK.search(text))
    assert latex._more_than_braces(text) == bool(latex._BRACES_ONLY.search(text))
    assert latex._squeeze(text) == latex._SPACE.sub(" ", text).strip()


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(_SHORTCUT_PIECES, max_size=12).map("".join)))
def test_substring_shortcuts_agree_with_the_patterns(text: str) -> None:
    _shortcuts_agree(text)


def test_squeeze_reads_every_whitespace_character_as_the_pattern_does() -> None:
    for code in range(0x110000):
        char = chr(code)
        if not 0xD800 <= code <= 0xDFFF:
            _shortcuts_agree(f"a{char}b{char}")
