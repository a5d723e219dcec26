"""Dates, status and the record built from one entry."""

from __future__ import annotations

import sys

import pytest

from pubsite.publications import parse_month, parse_year


@pytest.mark.parametrize(
    "value, expected",
    [("jul", 7), ("July", 7), ("{July}", 7), ("7", 7), ("07", 7), ("Sept", 9), ("sep", 9),
     ("June", 6), ("Oct.", 10), ("13", None), ("", None), (None, None), ("summer", None)],
)
def test_parse_month(value: str | None, expected: int | None) -> None:
    assert parse_month(value) == expected


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"year": "2023"}, (2023, None, None)),
        ({"year": "{2023}", "month": "jun"}, (2023, 6, None)),
        ({"date": "2023-07-15"}, (2023, 7, None)),
        ({"date": "2023-07"}, (2023, 7, None)),
        ({"date": "2023"}, (2023, None, None)),
        ({"year": "forthcoming"}, (None, None, "forthcoming")),
        ({"year": "In Press"}, (None, None, "In Press")),
        ({"year": "to appear"}, (None, None, "to appear")),
        ({"year": "n.d."}, (None, None, "n.d.")),
        ({}, (None, None, None)),
    ],
)
def test_parse_year(fields: dict[str, str], expected: tuple) -> None:
    assert parse_year(fields) == expected


def _corpus_entries() -> list:
    """Every entry of the shared corpora (skipped without them, but required under CI)."""
    import os

    from pubsite import bib

    from .conftest import SHARED

    corpora = SHARED / "corpora"
    if not corpora.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{corpora} is missing; CI must put shared/ beside the clone")
        pytest.skip("shared/corpora is not beside this clone (it holds the real bibliographies)")
    entries = []
    for path in sorted(corpora.glob("*.bib")):
        entries.extend(bib.load([str(path)])[0])
    return entries


def test_publications_are_made_as_their_constructor_makes_them() -> None:
    from dataclasses import fields

    from pubsite.model import Publication
    from pubsite.names import Owners
    from pubsite.publications import build

    assert not hasattr(Publication, "__post_init__")
    names = [field.name for field in fields(Publication)]
    owners = Owners.from_names(("Shiqi He",))
    built = 0
    for entry in _corpus_entries():
        pub, _ = build(entry, owners, aliases={"Odd Venue": "ICML"}, venue_names={}, file_base="",
                       marks=(("*", "Equal contribution"),))
        if pub is None:
            continue
        built += 1
        assert list(pub.__dict__) == names
        made = Publication(**pub.__dict__)
        assert made == pub and made.__dict__ == pub.__dict__ and hash(made) == hash(pub)
    assert built > 10000


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="instance dicts' layout is CPython's")
def test_objects_made_without_init_share_their_class_field_names() -> None:
    # Updating an empty instance dict from a dict copies that dict's table: each of a large
    # bibliography's objects then kept its own copy of the field names (over 10 MB in all).
    from pubsite.bib import RawEntry, _raw_entry
    from pubsite.extras import changed
    from pubsite.model import Links
    from pubsite.model import Publication
    from pubsite.publications import _new_publication

    values = dict(key="k", type="misc", title="T", authors=(), year=2020, month=None, venue=None,
                  venue_short=None, status="published", links=Links())
    made = Publication(**values)
    fast = _new_publication(**made.__dict__)
    assert fast == made
    slack = 64  # a materialised dict may be a little larger than inline values; a private table is 500+
    assert sys.getsizeof(fast.__dict__) <= sys.getsizeof(Publication(**values).__dict__) + slack
    assert sys.getsizeof(changed(made, {"title": "U"}).__dict__) <= sys.getsizeof(made.__dict__) + slack
    entry = _raw_entry("k", "misc", (("title", "T"),), "a.bib", 1, "@misc{k}")
    assert entry == RawEntry("k", "misc", (("title", "T"),), "a.bib", 1, "@misc{k}")
    assert sys.getsizeof(entry.__dict__) <= sys.getsizeof(RawEntry("k", "misc", (), "a.bib", 1).__dict__) + slack
