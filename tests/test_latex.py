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
