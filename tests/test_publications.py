"""Dates, status and the record built from one entry."""

from __future__ import annotations

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
