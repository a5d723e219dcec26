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
