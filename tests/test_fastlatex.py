"""The pylatexenc-free decoder must give pylatexenc's output whenever it answers at all."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pubsite import bib, latex
from pubsite.fastlatex import MATH_SYMBOLS, TEXT_SYMBOLS, to_text

from .conftest import SHARED


def reference(text: str) -> str:
    """pylatexenc itself, configured as :mod:`pubsite.latex` configures it."""
    return latex._latex_to_text(text)


@pytest.mark.parametrize("text, expected", [
    (r"Sch{\"o}lkopf", "Schölkopf"),
    (r"Sch\"{o}lkopf", "Schölkopf"),
    (r"Fran\c{c}ois \c c", "François ç"),
    (r"{\'\i}", "í"),
    (r"\o rn \ss{}x", "ørn ßx"),
    (r"\emph{Deep} {\em nets} -- ``fast''", "Deep nets – “fast”"),
    (r"R\&D 50\% a~b", "R&D 50% a\u00a0b"),
    (r"Available: \url{http://x.org/a\_b?c=1}. \texttt{clingo}", "Available: http://x.org/a_b?c=1. clingo"),
    (r"\url {https://x.org/~k}", "https://x.org/\u00a0k"),
])
def test_common_accents_and_macros(text: str, expected: str) -> None:
    assert to_text(text) == expected == reference(text)


@pytest.mark.parametrize("text", [
    r"$\mathcal{C}^2$", r"\unknown{x}", r"\cite[p.~3]{a}", r"\cite{a{b}}", r"\cite", r"\!\ne",
    "\\oé", "\\textendashé", "$\\alphaé$",
    "50% off", r"{\"o", r"\"o}", "\\o\n\nrn", r"\url{a%b}", r"\hbox{x}", r"a\\b", "\\",
])
def test_anything_else_is_left_to_pylatexenc(text: str) -> None:
    assert to_text(text) is None


def test_decode_still_falls_back() -> None:
    assert latex.decode.__wrapped__(r"$\alpha$-nets") == reference(r"$\alpha$-nets").strip()


def _clear_caches() -> None:
    """Memoised decoders elsewhere in the package must not keep what the spy returned."""
    import sys

    for name, module in list(sys.modules.items()):
        if name.startswith("pubsite"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def _corpus_inputs() -> set[str]:
    """Every string decode() has to turn into text in a render of the shared bib files, and in their raw values."""
    from pubsite.config import load_config
    from pubsite.site import build_site

    seen: set[str] = set()
    original = latex.to_text

    def spy(text: str) -> str:
        seen.add(text)
        return text

    paths = sorted((SHARED / "corpora").glob("*.bib")) + sorted((SHARED / "exports").glob("*.bib"))
    _clear_caches()
    latex.to_text = spy  # type: ignore[assignment]
    try:
        for path in paths:
            build_site(load_config(None, {"bib": (str(path),), "news": "", "owner": ("Shiqi He",)}))
            entries, _ = bib.load([str(path)])
            for entry in entries:
                for _, value in entry.fields:
                    latex.decode.__wrapped__(value)
    finally:
        latex.to_text = original  # type: ignore[assignment]
        _clear_caches()
    return seen


@pytest.mark.slow
def test_same_output_as_pylatexenc_on_every_corpus_string() -> None:
    inputs = _corpus_inputs()
    assert len(inputs) > 1000, "the shared corpora are missing"
    answered = 0
    for text in sorted(inputs):
        fast = to_text(text)
        if fast is not None:
            answered += 1
            assert fast == reference(text), text
    assert answered > 0.8 * len(inputs)  # the fast path must actually be the common path


_CHARS = [chr(c) for c in range(32, 127)] + ["\n", "é", "\u00a0"]


@pytest.mark.slow
def test_same_output_on_every_pair_of_characters() -> None:
    for a, b in itertools.product(_CHARS, repeat=2):
        fast = to_text(a + b)
        if fast is not None:
            assert fast == reference(a + b), repr(a + b)


_PIECES = ["\\", "{", "}", "\\\"", "\\'", "\\c", "\\c ", "\\o", "\\i", "\\ss", "\\emph", "\\em", "\\&",
           "\\ ", "~", "-", "'", "`", "o", "e", " ", "\n", "!", "?", "\\v", "\\^", "\\-", "\\,", "I", "1",
           "\\l", "\\textbf", "\\relax", "x", "\\u", "\\H", "\\=", "\\.", "\\~", "\\AA", "\\/",
           "\\url", "\\texttt", "\\mbox", "\\text", "\\textsf", "%", "_", "\\_", ":", "/",
           "\\cite", "\\cite{a}", "{a, b}", "\\textendash", "\\!", "\\@", "\\dots", "[", "]", "é"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12))
def test_same_output_on_generated_strings(pieces: list[str]) -> None:
    text = "".join(pieces)
    fast = to_text(text)
    if fast is not None:
        assert fast == reference(text)


@pytest.mark.parametrize("text, expected", [
    ("The $3L$ Algorithm", "The 3L Algorithm"),
    ("A${}^*$ search", "A^* search"),
    ("$n^{5/2}$ and V$_{H}$", "n^5/2 and V_H"),
    ("$x^2$", "x^2"),
    ("$[$in German$]$", "[in German]"),
    ("Extraction of $F₀$ Rules", "Extraction of F₀ Rules"),
    (r"$\alpha\beta$-nets, $\Pi^P₂$ and 360${}^\circ$", "αβ-nets, Π^P₂ and 360^∘"),
    (r"U2-B$\prime\prime$ and {SAS$⁺$}", "U2-B'' and SAS⁺"),
    (r"see~\cite{a, b}. \textquotedblleft why\textquotedblright in v.\! d.\@ x", "see\u00a0<cit.>. “why”in v. d. x"),
])
def test_simple_inline_math(text: str, expected: str) -> None:
    assert to_text(text) == expected == reference(text)


@pytest.mark.parametrize("name", sorted(MATH_SYMBOLS))
def test_math_symbols_are_pylatexencs(name: str) -> None:
    for text in (f"$\\{name}$", f"a$\\{name}^2$b", f"$x\\{name}\\{name}-$", f"${{\\{name}}}$"):
        assert to_text(text) == reference(text), text


@pytest.mark.parametrize("name", sorted(TEXT_SYMBOLS))
def test_text_symbols_are_pylatexencs(name: str) -> None:
    for text in (f"\\{name}", f"a\\{name} b", f"a\\{name}{{}}b", f"a\\{name}\n b", f"{{\\{name}}}-"):
        assert to_text(text) == reference(text), text


@pytest.mark.parametrize("text", ["$ x $", "$$", "$a--b$", "$a^$", "$x {y}$", "$a\nb$", r"$\mathcal{C}$", "$}{$",
                                  r"$\alpha x$", r"$\alpha{x}$", r"$\ne$", r"$\alpha\,$", "$\\alpha\nx$", "$x\u2009y$"])
def test_math_pylatexenc_treats_its_own_way_is_left_to_it(text: str) -> None:
    assert to_text(text) is None


_MATH_PIECES = ["x", "A", "1", "^", "_", "{", "}", " ", "*", "/", "(", ")", "-", "²", "[", "]", "+", "=",
                ",", ".", "<", ">", "!", "?", "|", ":", ";", "é", "₀", "ab", "$", "'", "~", "\\alpha",
                "\\beta", "\\prime", "\\mathcal", "\\,", "⁺", "\u00a0", "\n", "\\ne", "\\to"]


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(["", "a", "{", "x "]), st.lists(st.sampled_from(_MATH_PIECES), min_size=1, max_size=7),
       st.sampled_from(["", "b", "}", " y", "$z$", "-x"]))
def test_same_output_on_generated_math(before: str, body: list[str], after: str) -> None:
    text = f"{before}${''.join(body)}${after}"
    fast = to_text(text)
    if fast is not None:
        assert fast == reference(text)


def test_shared_data_is_there() -> None:
    assert Path(SHARED / "corpora" / "large.bib").is_file()
