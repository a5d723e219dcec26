"""Links of an entry: the fields people already use, and only safe URLs.

Users copy link fields from al-folio (``pdf``, ``code``, ``slides``...),
BibBase (``url_<label>``) and exporters (``url``, ``doi``, ``eprint``).  A
value without a scheme is a file of the site (al-folio puts ``pdf = {paper.pdf}``
under ``/assets/pdf/``).  Anything that is not http(s), mailto or site-relative
is dropped with a warning, since a ``javascript:`` URL in a bib file would
otherwise run on the owner's page.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Mapping

from .model import Link, Links

# Order and labels of the buttons, as the reference homepage and al-folio show them.
LINK_FIELDS: tuple[tuple[str, str], ...] = (
    ("pdf", ".pdf"), ("arxiv", "arXiv"), ("doi", "DOI"), ("html", "html"),
    ("code", "code"), ("supp", "supp"), ("slides", "slides"), ("poster", "poster"),
    ("video", "video"), ("blog", "blog"), ("website", "website"), ("url", "link"),
)

ARXIV_NEW = r"\d{4}\.\d{4,5}"
ARXIV_OLD = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = re.compile(rf"^(?:arxiv:)?\s*({ARXIV_NEW}|{ARXIV_OLD})(v\d+)?$", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv(?:\.org/(?:abs|pdf)/|\s*(?:preprint)?\s*(?:arxiv)?\s*:?\s*)|abs/)"
    rf"({ARXIV_NEW}|{ARXIV_OLD})(?:v\d+)?",
    re.IGNORECASE,
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
# doi.org and the resolvers exporters used before it (ACM's pre-2020 "doi.acm.org").
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.(?:org|acm\.org)/|doi:\s*)", re.IGNORECASE)
# A publisher's landing page named by the DOI (".../doi/10.1089/x", ".../doi/abs/10.1002/y").
_DOI_LANDING = re.compile(r"^https?://[^/]+/doi/(?:abs/|full/)?(10\.\d{4,9}/\S+?)/?$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_LATEX_ESCAPES = re.compile(r"\\([_%#&~$])")
_URL_MACRO = re.compile(r"^\\(?:url|href)\s*\{([^{}]*)\}")
SAFE_SCHEMES = ("http", "https", "mailto")

#: ``warn(message, rule_id)``: PS301 for an unsafe URL, PS302 for a malformed DOI.
Warn = Callable[[str, str], None]


def clean_value(value: str) -> str:
    """Undo the LaTeX escaping exporters put in URLs (``\\_``, ``\\url{}``, braces)."""
    value = value.strip()
    match = _URL_MACRO.match(value)
    if match:
        value = match.group(1)
    value = _LATEX_ESCAPES.sub(r"\1", value)
    return "".join(value.replace("{", "").replace("}", "").split())


def safe_url(value: str, file_base: str = "/assets/pdf/") -> str | None:
    """The URL to emit, or None when it must not reach the page.

    >>> safe_url("paper.pdf")
    '/assets/pdf/paper.pdf'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    value = clean_value(value)
    if not value:
        return None
    # Browsers ignore control characters inside a scheme; so must we.
    probe = _CONTROL.sub("", value)
    match = _SCHEME.match(probe)
    if match:
        return value if match.group(1).lower() in SAFE_SCHEMES else None
    if probe.startswith("//"):
        return None
    if value.startswith(("/", "#", "?", "./", "../")):
        return value
    return file_base.rstrip("/") + "/" + value if file_base else value


def normalize_doi(value: str) -> str | None:
    """A bare DOI (``10.xxxx/...``) from any way exporters write one, or None."""
    doi = _DOI_PREFIX.sub("", clean_value(value))
    return doi if _DOI.match(doi) else None


def arxiv_id(value: str) -> str | None:
    """The arXiv identifier in a field value (``2212.01523``, ``cs/0112017``), version dropped."""
    value = clean_value(value)
    match = _ARXIV_ID.match(value)
    if match:
        return match.group(1)
    match = _ARXIV_IN_TEXT.search(value)
    return match.group(1) if match else None


# Fields whose text may name an arXiv id, in the order they are searched.
_ARXIV_TEXT_FIELDS = ("journal", "journaltitle", "howpublished", "url", "note", "volume", "number")


def find_arxiv(fields: Mapping[str, str]) -> str | None:
    """arXiv id from ``eprint``+prefix, an ``arxiv`` field, or the venue/url text."""
    if fields.get("arxiv"):
        found = arxiv_id(fields["arxiv"])
        if found:
            return found
    eprint = fields.get("eprint")
    if eprint:
        prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
        if prefix in ("arxiv", "") and _ARXIV_ID.match(clean_value(eprint)):
            return arxiv_id(eprint)
    # DBLP's "CoRR" journal puts the id in ``volume`` without saying "arXiv" anywhere.
    corr = "corr" in fields.get("journal", "").lower()
    for name in _ARXIV_TEXT_FIELDS:
        value = fields.get(name)
        if value and (corr or "arxiv" in value.lower() or name == "volume" and value.startswith("abs/")):
            found = arxiv_id(value) if name != "volume" else arxiv_id(value.replace("abs/", ""))
            if found:
                return found
    return None


def links_of(fields: Mapping[str, str], file_base: str, warn: Warn) -> Links:
    """All links of one entry, in display order, unsafe ones dropped with a warning."""
    found: list[Link] = []
    urls: set[str] = set()

    def add(kind: str, label: str, raw: str) -> str | None:
        url = safe_url(raw, file_base)
        if url is None:
            warn(f"field '{kind}' has a URL that is not http(s)/mailto; it is dropped", "PS301")
            return None
        if url in urls:
            return url
        urls.add(url)
        found.append(Link(kind, label, url))
        return url

    arxiv = find_arxiv(fields)
    doi = normalize_doi(fields["doi"]) if fields.get("doi") else None
    if fields.get("doi") and doi is None:
        warn(f"'{fields['doi']}' is not a DOI (10.xxxx/...)", "PS302")
    pdf = code = None
    for kind, label in LINK_FIELDS:
        if kind == "arxiv":
            if arxiv and not _points_to_arxiv(urls, arxiv):
                add("arxiv", label, f"https://arxiv.org/abs/{arxiv}")
            continue
        if kind == "doi":
            if doi and not (arxiv and doi.lower() == f"10.48550/arxiv.{arxiv}".lower()):
                # DBLP gives preprints arXiv's own DOI: the [arXiv] button already goes there.
                add("doi", label, f"https://doi.org/{doi}")
            continue
        value = fields.get(kind)
        if not value or not value.strip():
            continue
        if kind == "url" and (_same_doi(value, doi) or (arxiv and arxiv in value)):
            continue
        url = add(kind, label, value)
        if kind == "pdf":
            pdf = url
        elif kind == "code":
            code = url
    for name in sorted([name for name in fields if name.startswith("url_")]):
        if fields[name].strip():
            add(name, name[4:].replace("_", " "), fields[name])
    return Links(pdf=pdf, arxiv=arxiv, doi=doi, code=code, all=tuple(found))


def with_arxiv(links: Links, arxiv: str) -> Links:
    """``links`` plus an arXiv id and its [arXiv] button in display order (a merged preprint's).

    Nothing changes when the entry already names an arXiv id or links to that preprint.
    """
    if links.arxiv or _points_to_arxiv({link.url for link in links.all}, arxiv):
        return links
    button = Link("arxiv", dict(LINK_FIELDS)["arxiv"], f"https://arxiv.org/abs/{arxiv}")
    before = [link for link in links.all if link.kind == "pdf"]
    after = [link for link in links.all if link.kind != "pdf"]
    return replace(links, arxiv=arxiv, all=(*before, button, *after))


def _points_to_arxiv(urls: set[str], arxiv: str) -> bool:
    """A pdf link already on arXiv makes a second arXiv button noise (as the reference shows)."""
    return any("arxiv.org" in url and arxiv in url for url in urls)


def _same_doi(value: str, doi: str | None) -> bool:
    """A url that is the DOI again (through a resolver or the publisher's DOI landing page)."""
    if doi is None:
        return False
    if normalize_doi(value) == doi:
        return True
    landing = _DOI_LANDING.match(clean_value(value))
    return landing is not None and landing.group(1).lower() == doi.lower()
