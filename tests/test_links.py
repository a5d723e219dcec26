"""Links: what users type in link fields, and what must never reach a page."""

from __future__ import annotations

import pytest

from pubsite.links import arxiv_id, find_arxiv, links_of, normalize_doi, safe_url


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://example.org/a.pdf", "https://example.org/a.pdf"),
        ("http://example.org", "http://example.org"),
        ("mailto:me@example.org", "mailto:me@example.org"),
        ("paper.pdf", "/assets/pdf/paper.pdf"),
        ("/files/paper.pdf", "/files/paper.pdf"),
        ("\\url{https://example.org/x}", "https://example.org/x"),
        ("https://example.org/a\\_b", "https://example.org/a_b"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("vbscript:x", None),
        ("file:///etc/passwd", None),
        ("//evil.example/x", None),
        ("", None),
    ],
)
def test_safe_url(value: str, expected: str | None) -> None:
    assert safe_url(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("10.1145/3544548.3580875", "10.1145/3544548.3580875"),
        ("https://doi.org/10.1145/3544548.3580875", "10.1145/3544548.3580875"),
        ("http://dx.doi.org/10.1109/ICMA.2017.8015871", "10.1109/ICMA.2017.8015871"),
        ("doi:10.1000/xyz", "10.1000/xyz"),
        ("http://doi.acm.org/10.1145/2638728.2638793", "10.1145/2638728.2638793"),
        ("10.1007/978-3-030-1\\_29", "10.1007/978-3-030-1_29"),
        ("not a doi", None),
    ],
)
def test_normalize_doi(value: str, expected: str | None) -> None:
    assert normalize_doi(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2212.01523", "2212.01523"),
        ("2212.01523v2", "2212.01523"),
        ("arXiv:2004.09125", "2004.09125"),
        ("arXiv preprint arXiv:2206.06090", "2206.06090"),
        ("https://arxiv.org/abs/2111.09543", "2111.09543"),
        ("http://arxiv.org/pdf/1511.06350v3.pdf", "1511.06350"),
        ("cs/0112017", "cs/0112017"),
        ("hep-th/9901001v1", "hep-th/9901001"),
        ("Nature", None),
    ],
)
def test_arxiv_id(value: str, expected: str | None) -> None:
    assert arxiv_id(value) == expected


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"eprint": "2111.09543", "archiveprefix": "arXiv"}, "2111.09543"),
        ({"eprint": "2111.09543", "eprinttype": "arxiv"}, "2111.09543"),
        ({"journal": "CoRR", "volume": "abs/2408.03465"}, "2408.03465"),
        ({"journal": "ArXiv", "volume": "abs/2405.18272"}, "2405.18272"),
        ({"journal": "arXiv preprint arXiv:2206.06090"}, "2206.06090"),
        ({"arxiv": "2212.01523"}, "2212.01523"),
        ({"url": "https://arxiv.org/abs/2406.08958"}, "2406.08958"),
        ({"eprint": "https://www.biorxiv.org/content/early/2022/07/21/x.full.pdf"}, None),
        ({"eprint": "12345678", "eprinttype": "pubmed"}, None),
    ],
)
def test_find_arxiv(fields: dict[str, str], expected: str | None) -> None:
    assert find_arxiv(fields) == expected


def test_links_order_labels_and_warnings() -> None:
    warnings: list[tuple[str, str]] = []
    links = links_of(
        {"code": "https://github.com/x/y", "pdf": "paper.pdf", "doi": "https://doi.org/10.1145/abc",
         "eprint": "2212.01523", "archiveprefix": "arXiv", "slides": "javascript:alert(1)",
         "url_talk": "https://youtu.be/x"},
        "/assets/pdf/", lambda message, code: warnings.append((code, message)),
    )
    assert [(l.label, l.url) for l in links.all] == [
        (".pdf", "/assets/pdf/paper.pdf"),
        ("arXiv", "https://arxiv.org/abs/2212.01523"),
        ("DOI", "https://doi.org/10.1145/abc"),
        ("code", "https://github.com/x/y"),
        ("talk", "https://youtu.be/x"),
    ]
    assert (links.pdf, links.arxiv, links.doi, links.code) == (
        "/assets/pdf/paper.pdf", "2212.01523", "10.1145/abc", "https://github.com/x/y")
    assert warnings == [("PS301", "field 'slides' has a URL that is not http(s)/mailto; it is dropped")]


def test_pdf_on_arxiv_makes_no_second_arxiv_button() -> None:
    links = links_of({"pdf": "https://arxiv.org/pdf/2004.09125.pdf",
                      "journal": "arXiv preprint arXiv:2004.09125"}, "/", lambda message, code: None)
    assert [l.label for l in links.all] == [".pdf"]
    assert links.arxiv == "2004.09125"


@pytest.mark.parametrize(
    "fields, labels",
    [
        ({"doi": "10.1145/1", "url": "https://doi.org/10.1145/1"}, ["DOI"]),
        # ACM's pre-2020 resolver and publishers' DOI landing pages are the DOI again.
        ({"doi": "10.1145/2638728.2638793", "url": "http://doi.acm.org/10.1145/2638728.2638793"}, ["DOI"]),
        ({"doi": "10.1089/cyber.2016.0758", "url": "https://www.liebertpub.com/doi/10.1089/cyber.2016.0758"},
         ["DOI"]),
        ({"doi": "10.1002/sres.2169", "url": "https://onlinelibrary.wiley.com/doi/abs/10.1002/sres.2169"}, ["DOI"]),
        # A PDF, or a page of another paper, is not.
        ({"doi": "10.1145/1", "url": "https://dl.acm.org/doi/pdf/10.1145/1"}, ["DOI", "link"]),
        ({"doi": "10.1145/1", "url": "https://www.liebertpub.com/doi/10.1145/12"}, ["DOI", "link"]),
        # DBLP gives a preprint arXiv's DOI: one [arXiv] button, the DOI still known.
        ({"doi": "10.48550/ARXIV.2408.03465", "eprint": "2408.03465", "eprinttype": "arXiv"}, ["arXiv"]),
        ({"doi": "10.48550/arXiv.2408.03465", "eprint": "2408.03466", "eprinttype": "arXiv"}, ["arXiv", "DOI"]),
    ],
)
def test_url_equal_to_doi_is_not_repeated(fields: dict[str, str], labels: list[str]) -> None:
    links = links_of(fields, "/", lambda message, code: None)
    assert [l.label for l in links.all] == labels
    assert links.doi is not None


def test_bad_doi_warns() -> None:
    warnings: list[tuple[str, str]] = []
    links = links_of({"doi": "n/a"}, "/", lambda message, code: warnings.append((code, message)))
    assert links.doi is None and warnings == [("PS302", "'n/a' is not a DOI (10.xxxx/...)")]
