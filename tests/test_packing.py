"""Publications packed for the cache or another process come back equal, field for field."""

from __future__ import annotations

import marshal
from dataclasses import fields, replace
from pathlib import Path

from pubsite.config import load_config
from pubsite.model import Author, Link, Links, Publication
from pubsite.packing import pack, shown, unpack
from pubsite.site import build_site

ROOT = Path(__file__).resolve().parent.parent


def test_every_shipped_and_exported_publication_survives_a_marshal_round_trip() -> None:
    bibs = (str(ROOT / "data/publications.bib"), *map(str, sorted((ROOT / "tests/exporters").rglob("*.bib"))))
    site, _ = build_site(load_config(None, {"bib": bibs, "owner": ("Shiqi He",), "cache_dir": None}))
    assert len(site.publications) > 50
    for pub in site.publications:
        back = unpack(marshal.loads(marshal.dumps(pack(pub))), pub.fields)
        assert back == pub
        assert [getattr(back, f.name) for f in fields(back)] == [getattr(pub, f.name) for f in fields(pub)]


def _full() -> Publication:
    """A publication with every field of every part set."""
    return Publication(
        key="k", type="article", title="T", year=2020, month=7, venue="V", venue_short="VS",
        status="to-appear", selected=True, et_al=True, year_text="in press", award="Best", abstract="A",
        note="N", venue_line="L", mark_legend=(("†", "Intern"),), preview="p.png", keywords=("x", "y"),
        path="a.bib", line=3, fields=(("title", "T"),),
        authors=(Author("Ann Bo", "Ann", "Bo", owner=True, equal=True, marks=("†",), url="https://a.b"),),
        links=Links(pdf="a.pdf", arxiv="2001.1", doi="10.1/x", code="https://c",
                    all=(Link("pdf", ".pdf", "a.pdf"), Link("code", "code", "https://c"))),
    )


def test_every_field_of_every_part_is_carried() -> None:
    pub = _full()
    assert unpack(pack(pub), (("title", "T"),)) == pub
    assert hash(unpack(pack(pub), (("title", "T"),))) == hash(pub)


def test_the_entry_fields_are_not_packed_but_given_back() -> None:
    # The entry the publication was built from holds them; packing them too doubled their memory.
    fields_ = (("title", "A long title"), ("author", "Doe, Jane"))
    pub = Publication("k", "misc", "T", (), 2020, None, None, None, "published", Links(), fields=fields_)
    assert "A long title" not in repr(pack(pub))
    assert unpack(pack(pub), fields_).fields is fields_


def test_a_moved_entry_comes_back_at_its_new_place() -> None:
    pub = Publication("k", "misc", "T", (), 2020, None, None, None, "published", Links(), path="a.bib", line=3)
    assert unpack(pack(pub), (), "b.bib", 9) == Publication("k", "misc", "T", (), 2020, None, None, None,
                                                        "published", Links(), path="b.bib", line=9)


def test_what_a_template_shows_follows_every_field_of_every_part_but_the_place() -> None:
    # The render cache keys an entry's HTML by it: a field left out would serve stale HTML.
    pub = _full()
    before = marshal.dumps(shown(pub), 0)
    assert marshal.dumps(shown(replace(pub, path="b.bib", line=9)), 0) == before
    author, link = pub.authors[0], pub.links.all[0]
    changed = [replace(pub, **{f.name: _other(getattr(pub, f.name))})
               for f in fields(pub) if f.name not in ("path", "line", "authors", "links")]
    changed += [replace(pub, authors=(replace(author, **{f.name: _other(getattr(author, f.name))}),))
                for f in fields(author)]
    changed += [replace(pub, links=replace(pub.links, **{f.name: _other(getattr(pub.links, f.name))}))
                for f in fields(pub.links) if f.name != "all"]
    changed += [replace(pub, links=replace(pub.links, all=(replace(link, **{f.name: "other"}),) + pub.links.all[1:]))
                for f in fields(link)]
    assert len(changed) == len(fields(pub)) - 4 + len(fields(author)) + len(fields(pub.links)) - 1 + len(fields(link))
    assert all(marshal.dumps(shown(other), 0) != before for other in changed)


def _other(value: object) -> object:
    """A different value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    assert isinstance(value, tuple)
    return value + value[:1]
