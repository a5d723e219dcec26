"""Same paper or not: the evidence check, render and import rely on."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pubsite.latex import decode
from pubsite.matching import _TITLE_NOISE, find_duplicates, identity, normalize_title, same_paper
from pubsite.names import fold

GLUEFL_SCHOLAR = {"title": "Gluefl: Reconciling client sampling and model masking for bandwidth efficient federated learning",
                  "author": "He, Shiqi and Yan, Qifan and Wu, Feijie", "year": "2023",
                  "journal": "Proceedings of Machine Learning and Systems"}
GLUEFL_ARXIV = {"title": "{GlueFL}: Reconciling Client Sampling and Model Masking for Bandwidth Efficient Federated Learning",
                "author": "Shiqi He and Qifan Yan and Feijie Wu and Lanjun Wang", "year": "2022",
                "eprint": "2212.01523", "archiveprefix": "arXiv"}
GLUEFL_DBLP = {"title": "GlueFL: Reconciling Client Sampling and Model Masking for Bandwidth\n  Efficient Federated Learning",
               "author": "Shiqi He and\n Qifan Yan", "journal": "CoRR", "volume": "abs/2212.01523", "year": "2022"}


def test_normalize_title() -> None:
    assert normalize_title("{GlueFL}: Reconciling {C}lient  Sampling") == "gluefl reconciling client sampling"
    assert normalize_title("Sch{\\\"o}lkopf's -- Kernels") == "scholkopfs kernels"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_titles_need_nothing_after_folding(title: str) -> None:
    """The shortcut for ASCII titles gives what removing non-word runs would."""
    folded = fold(decode(title))
    assert normalize_title.__wrapped__(title) == " ".join(_TITLE_NOISE.sub(" ", folded).split())


@pytest.mark.parametrize("title", ["snake_case  and\ttabs", "x\x1cy", "Ça va -- Ærø", "A {\\\"o} b_c"])
def test_titles_normalise_alike_either_way(title: str) -> None:
    folded = fold(decode(title))
    assert normalize_title.__wrapped__(title) == " ".join(_TITLE_NOISE.sub(" ", folded).split())


@pytest.mark.parametrize(
    "a, b, reason",
    [
        (GLUEFL_SCHOLAR, GLUEFL_ARXIV, "same title"),
        (GLUEFL_ARXIV, GLUEFL_DBLP, "same arXiv id"),
        ({"title": "A", "doi": "https://doi.org/10.1145/3544548.3580875"},
         {"title": "B", "doi": "10.1145/3544548.3580875"}, "same DOI"),
        ({"title": "A", "doi": "10.1145/ABC"}, {"title": "B", "doi": "10.1145/abc"}, "same DOI"),
        # One typo in a long title still matches.
        ({"title": "Anchor Sampling for Federated Learning with Partial Client Participation", "author": "Wu, Feijie"},
         {"title": "Anchor sampling for federated learning with partial client participaton", "author": "Feijie Wu"},
         "same title"),
        # Scholar's split of a compound surname still shares co-authors.
        ({"title": "Neural Contractive Dynamical Systems", "author": "Beik-Mohammadi, Hadi and Hauberg, S{\\o}ren and Rozo, Leonel", "year": "2024"},
         {"title": "Neural contractive dynamical systems", "author": "Mohammadi, Hadi Beik and Hauberg, S{\\o}ren and Rozo, Leonel", "year": "2023"},
         "same title"),
    ],
)
def test_same(a: dict, b: dict, reason: str) -> None:
    assert same_paper(identity(a), identity(b)) == reason


@pytest.mark.parametrize(
    "a, b",
    [
        # Same title, different people: a thesis chapter or an unrelated paper.
        ({"title": "Federated Learning", "author": "Smith, John", "year": "2020"},
         {"title": "Federated learning", "author": "Doe, Jane and Roe, Rick", "year": "2021"}),
        # Same title and authors, years far apart: a journal extension years later.
        ({"title": "Deep Nets", "author": "Smith, John", "year": "2015"},
         {"title": "Deep Nets", "author": "Smith, John", "year": "2019"}),
        # Conference and journal versions with their own DOIs are two publications.
        ({"title": "Deep Nets", "author": "Smith, John", "doi": "10.1145/1", "year": "2020"},
         {"title": "Deep Nets", "author": "Smith, John", "doi": "10.1109/2", "year": "2021"}),
        ({"title": "Learning to rank"}, {"title": "Learning to rank with trees"}),
        ({"title": "X", "eprint": "2212.01523", "archiveprefix": "arXiv"},
         {"title": "Y", "eprint": "2212.01524", "archiveprefix": "arXiv"}),
    ],
)
def test_not_same(a: dict, b: dict) -> None:
    assert same_paper(identity(a), identity(b)) is None


def test_find_duplicates_uses_indexes_and_reports_pairs() -> None:
    items = [identity(GLUEFL_SCHOLAR), identity({"title": "Other", "author": "X, Y"}),
             identity(GLUEFL_ARXIV), identity(GLUEFL_DBLP)]
    assert find_duplicates(items) == [(0, 2, "same title"), (0, 3, "same title"), (2, 3, "same arXiv id")]


def test_index_prefers_the_strongest_evidence() -> None:
    from pubsite.matching import PaperIndex

    index = PaperIndex()
    by_title = index.add(identity(GLUEFL_SCHOLAR))
    by_arxiv = index.add(identity({"title": "GlueFL (extended)", "eprint": "2212.01523", "archiveprefix": "arXiv",
                                   "author": "He, Shiqi", "year": "2023"}))
    other = index.add(identity({"title": "Other", "author": "X, Y"}))
    assert index.find(identity(GLUEFL_DBLP)) == (by_arxiv, "same arXiv id")
    assert index.find(identity({"title": GLUEFL_SCHOLAR["title"].upper(), "author": "He, S.",
                                "year": "2023"})) == (by_title, "same title")
    assert index.find(identity({"title": "Unrelated", "author": "Z, Q"})) is None
    # An entry that gains a DOI after an edit is found by it.
    index.update(other, identity({"title": "Other", "author": "X, Y", "doi": "10.1145/1"}))
    assert index.find(identity({"title": "Renamed", "doi": "https://doi.org/10.1145/1"})) == (other, "same DOI")


def test_index_title_search_survives_many_shared_endings() -> None:
    from pubsite.matching import PaperIndex

    index = PaperIndex()
    for n in range(300):
        index.add(identity({"title": f"Study {n} of federated learning systems", "author": f"A{n}, B",
                            "year": "2020"}))
    assert index.find(identity({"title": "Study 7 of federated learning systems", "author": "A7, B",
                                "year": "2021"})) == (7, "same title")


def _corpus_entries() -> list[Any]:
    from pubsite import bib

    from .conftest import SHARED

    paths = sorted((SHARED / "corpora").glob("*.bib")) + sorted((SHARED / "exports").glob("*.bib"))
    return [entry for path in paths for entry in bib.load([str(path)])[0]]


@pytest.mark.slow
def test_families_a_build_hands_over_are_those_identity_parses() -> None:
    """The render reuses each publication's authors; an owner or ``equal`` marks must not change a family."""
    from pubsite import matching
    from pubsite.names import Owners
    from pubsite.publications import build

    owners = Owners.from_names(["Shiqi He", "Y. Bengio"])
    entries = _corpus_entries()
    assert len(entries) > 10000, "the shared corpora are missing"
    matching._FAMILIES.clear()
    expected = [identity(entry.field_dict) for entry in entries]
    matching._FAMILIES.clear()
    for entry in entries:
        pub, _ = build(entry, owners, aliases={}, venue_names={}, file_base="")
        if pub is not None and entry.get("author"):
            matching.remember_families(entry.get("author") or "", pub.authors)
    assert [identity(entry.field_dict) for entry in entries] == expected
    matching._FAMILIES.clear()


def test_remembered_families_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from pubsite import matching

    monkeypatch.setattr(matching, "_FAMILIES", {})
    monkeypatch.setattr(matching, "_FAMILIES_LIMIT", 3)
    for n in range(10):
        identity({"title": "T", "author": f"A{n}, B"})
    assert 0 < len(matching._FAMILIES) <= 3
    assert identity({"title": "T", "author": "A1, B and C, D"}).families == ("a1", "c")
