"""Venue display: the field that fits the type, cleaned, with its short name."""

from __future__ import annotations

import pytest

from pubsite.venues import Venue, clean_name, display, raw_venue, venue_of


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Proceedings of the 59th ACM/IEEE Design Automation Conference", "ACM/IEEE Design Automation Conference"),
        ("33rd USENIX Security Symposium (USENIX Security 24)", "USENIX Security Symposium"),
        ("Proceedings of the Twelfth International Workshop on Foo", "International Workshop on Foo"),
        ("Proc. of the 2022 Conference on Things", "Conference on Things"),
        ("In: Journal of Stuff", "Journal of Stuff"),
        ("Journal of Stuff", "Journal of Stuff"),
        ("Interspeech 2020", "Interspeech"),
        ("IEEE Transactions on Signal Processing", "IEEE Transactions on Signal Processing"),
        # "Proc" is only "Proceedings" as a word of its own.
        ("Procedia computer science", "Procedia computer science"),
        ("Process Safety Progress", "Process Safety Progress"),
        # DBLP's "Name, ACRONYM YEAR, Place, Dates. Proceedings".
        ("Stabilization, Safety, and Security of Distributed Systems - 13th International Symposium, "
         "SSS 2011, Grenoble, France, October 10-12, 2011. Proceedings",
         "Stabilization, Safety, and Security of Distributed Systems - International Symposium"),
    ],
)
def test_clean_name(text: str, expected: str) -> None:
    assert clean_name(text) == expected


@pytest.mark.parametrize(
    "entry_type, fields, expected",
    [
        ("article", {"journal": "J. Foo", "booktitle": "B"}, "J. Foo"),
        ("inproceedings", {"journal": "J", "booktitle": "Proc. {ICML}"}, "Proc. ICML"),
        ("article", {"journaltitle": "Biol. J."}, "Biol. J."),
        ("phdthesis", {"school": "University of British Columbia"}, "University of British Columbia"),
        ("techreport", {"institution": "MIT"}, "MIT"),
        ("misc", {"howpublished": "\\url{https://x.org}"}, None),
        ("misc", {"howpublished": "Blog post"}, "Blog post"),
        ("misc", {}, None),
    ],
)
def test_raw_venue_by_type(entry_type: str, fields: dict[str, str], expected: str | None) -> None:
    assert raw_venue(entry_type, fields) == expected


@pytest.mark.parametrize(
    "venue, year, expected",
    [
        (Venue("International Conference on Machine Learning", "ICML"), 2023,
         "International Conference on Machine Learning (ICML 2023)"),
        (Venue("INFOCOM", "INFOCOM"), 2025, "INFOCOM 2025"),
        (Venue(None, "DAC"), 2022, "DAC 2022"),
        (Venue("USENIX Security Symposium", None), 2024, "USENIX Security Symposium 2024"),
        (Venue("Some Journal", None), None, "Some Journal"),
        (Venue("Some Journal", "SJ"), None, "Some Journal (SJ)"),
        (Venue(None, None), 2020, "2020"),
    ],
)
def test_display(venue: Venue, year: int | None, expected: str) -> None:
    assert display(venue, year) == expected


def test_entry_fields_win() -> None:
    fields = {"booktitle": "33rd USENIX Security Symposium (USENIX Security 24)",
              "venue": "USENIX Security Symposium", "abbr": ""}
    venue = venue_of("inproceedings", fields, {}, {})
    assert (venue.name, venue.short) == ("USENIX Security Symposium", None)
    venue = venue_of("inproceedings", {"booktitle": "My Workshop", "abbr": "MW"}, {}, {})
    assert (venue.name, venue.short) == ("My Workshop", "MW")


def test_config_aliases_and_names_win_over_table() -> None:
    fields = {"booktitle": "Proceedings of the 2022 Conference on Empirical Methods in Natural "
                           "Language Processing: Industry Track"}
    aliases = {"Proceedings of the 2022 Conference on Empirical Methods in Natural Language "
               "Processing: Industry Track": "EMNLP"}
    venue = venue_of("inproceedings", fields, aliases,
                     {"EMNLP": "Empirical Methods in Natural Language Processing"})
    assert (venue.name, venue.short) == ("Empirical Methods in Natural Language Processing", "EMNLP")


def test_unknown_venue_is_cleaned_with_no_short_name() -> None:
    venue = venue_of("inproceedings", {"booktitle": "Proceedings of the 3rd Workshop on Obscure Things"}, {}, {})
    assert (venue.name, venue.short, venue.kind) == ("Workshop on Obscure Things", None, None)


@pytest.mark.parametrize(
    "booktitle, name, short",
    [
        # A venue the table does not know keeps the acronym its own spelling gives.
        ("2020 IEEE Conference on Communications and Network Security (CNS)",
         "IEEE Conference on Communications and Network Security", "CNS"),
        ("2023 IEEE/ACM 45th International Conference on Software Engineering: New Ideas and Emerging "
         "Results (ICSE-NIER)", "IEEE/ACM International Conference on Software Engineering: New Ideas and "
         "Emerging Results", "ICSE-NIER"),
        ("Stabilization, Safety, and Security of Distributed Systems - 13th International Symposium, "
         "SSS 2011, Grenoble, France, October 10-12, 2011. Proceedings",
         "Stabilization, Safety, and Security of Distributed Systems - International Symposium", "SSS"),
        # Not acronyms: a volume note, a single capital, a lower-case word.
        ("Proceedings of the 61st Annual Meeting of the Foo Society (Volume 1: Long Papers)",
         "Annual Meeting of the Foo Society", None),
        ("Workshop on Things (A)", "Workshop on Things", None),
        ("Workshop on Things (online)", "Workshop on Things", None),
    ],
)
def test_unknown_venue_keeps_its_own_acronym(booktitle: str, name: str, short: str | None) -> None:
    venue = venue_of("inproceedings", {"booktitle": booktitle}, {}, {})
    assert (venue.name, venue.short) == (name, short)


@pytest.mark.parametrize(
    "fields, preprint",
    [
        # arXiv's own export: @misc with eprint + archivePrefix and no venue field.
        ({"eprint": "2111.09543", "archiveprefix": "arXiv", "primaryclass": "cs.CL"}, True),
        ({"eprint": "1412.2970", "eprinttype": "arXiv", "eprintclass": "math-ph"}, True),
        # A published paper that also gives its eprint stays at its venue.
        ({"eprint": "2111.09543", "archiveprefix": "arXiv", "journal": "Journal of Stuff"}, False),
        # bioRxiv's eprint is a PDF URL, PubMed's an id: neither makes an arXiv preprint.
        ({"eprint": "12345", "eprinttype": "pubmed"}, False),
    ],
)
def test_arxiv_export_without_venue_is_an_arxiv_preprint(fields: dict[str, str], preprint: bool) -> None:
    venue = venue_of("misc", fields, {}, {})
    assert venue.is_preprint is preprint
    assert (venue.short == "arXiv") is preprint
