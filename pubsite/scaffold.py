"""``pubsite init``: a new site that renders cleanly on the first try and shows how to grow.

Every scaffolded file is an example a user edits rather than reads about:
a commented config whose every line is a real setting, two BibTeX entries
using the fields people ask about, a news feed, and a template override that
extends the packaged page.  Nothing is ever overwritten: all targets are
checked before the first byte is written, and a file that appears meanwhile
stops the run and removes what this run created.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import PubsiteError

CONFIG = '''\
# pubsite settings. Every key also has a command-line flag (pubsite render --help),
# and flags win over this file. Paths are relative to this file.

# Your name as it appears in BibTeX; it is underlined in every author list.
# Other spellings go in a list: ["Jane Doe", "J. Doe"].
owner = {owner}

# Where your data lives (these are the defaults).
# bib = ["data/publications.bib"]
# news = "data/news.yaml"
# template_dir = "templates"

# What to write: fragment (to embed in a Jekyll/Hugo page), page, markdown or json.
# format = "page"
# output = "build/index.html"

# How to list publications: none (one flat list), year or type headings.
# group_by = "year"
# selected_only = false
# news_limit = 5
# file_base = "/assets/pdf/"
# strict = false

# Headings.
# news_title = "News"
# publications_title = "Publications & Pre-prints"
# page_title = "Publications"

# A venue shown as "Full Name (SHORT YEAR)"; aliases are other spellings of it
# in your exports.
# [venues.CES]
# name = "Conference on Example Studies"
# aliases = ["Proc. Conf. Example Studies"]

# Legend of author marks other than * (equal contribution).
# [marks]
# "†" = "Corresponding author"
'''

BIB = '''\
% Your publications: paste entries exported from Google Scholar, DBLP, ACM or
% arXiv below; pubsite lists them newest first. Replace these two examples.
%
% Beyond the standard fields pubsite reads: abbr (the venue's short name),
% selected = {{true}}, pdf, code, slides, video, award. Mark equal
% contributors with a * after the name ("Roe*, Richard").

@inproceedings{{example2024paper,
  title     = {{An Example Paper: Replace Me with Your Own}},
  author    = {{{owner} and Roe*, Richard and Smith, Alex}},
  booktitle = {{Proceedings of the Conference on Example Studies}},
  abbr      = {{CES}},
  year      = {{2024}},
  month     = {{jun}},
  pdf       = {{https://example.org/example-paper.pdf}},
  code      = {{https://example.org/example-code}},
  selected  = {{true}},
}}

@article{{example2023journal,
  title   = {{A Second Example, in a Journal}},
  author  = {{Roe, Richard and {owner}}},
  journal = {{Journal of Example Research}},
  abbr    = {{JER}},
  volume  = {{12}},
  pages   = {{1--10}},
  year    = {{2023}},
  doi     = {{10.1000/example}},
}}
'''

NEWS = '''\
# News, one item per line; pubsite shows them newest first.
# date: YYYY-MM or YYYY-MM-DD. text: one line of Markdown (links, *emphasis*).
# link (optional) links the whole line.

- date: 2024-06
  text: "[An Example Paper](#example2024paper) was accepted to *CES 2024*"
- date: 2023-09-01
  text: Started this homepage with pubsite.
'''

PAGE_OVERRIDE = '''\
{#- An example override. A file in templates/ replaces the packaged template
    of the same name (fragment.html, page.html, news.html, publications.html,
    _macros.html, publications.md, pubsite.css). This one extends the packaged
    page and changes only its title; delete it to get the default back. -#}
{% extends "!default/page.html" %}
{% block title %}{% if config.owner %}{{ config.owner[0] }} · {% endif %}{{ super() }}{% endblock %}
'''

#: Relative path -> template of its text (``{owner}`` filled in per file type).
FILES = {
    "pubsite.toml": CONFIG,
    "data/publications.bib": BIB,
    "data/news.yaml": NEWS,
    "templates/page.html": PAGE_OVERRIDE,
}


def _check_owner(owner: str) -> str:
    name = " ".join(owner.split())
    if not name:
        raise PubsiteError("the owner's name is empty")
    if any(c in name for c in "{}\\"):
        raise PubsiteError(f"the owner's name {name!r} has braces or backslashes; "
                           "give it as plain text (Unicode is fine) and edit data/publications.bib after")
    return name


def scaffold_texts(owner: str) -> dict[str, str]:
    """Relative path -> content of every file :func:`init_site` writes."""
    name = _check_owner(owner)
    texts = {}
    for rel, template in FILES.items():
        if rel == "pubsite.toml":
            texts[rel] = template.replace("{owner}", json.dumps(name, ensure_ascii=False))
        elif rel.endswith(".bib"):
            texts[rel] = template.format(owner=name)
        else:
            texts[rel] = template
    return texts


def _blocked(root: Path, rel: str) -> Path | None:
    """The existing path that stops ``rel`` from being created, if any (the file, or a file
    standing where one of its folders should be)."""
    target = root / rel
    if target.exists() or target.is_symlink():
        return target
    for parent in target.relative_to(root).parents:
        folder = root / parent
        if folder.exists() and not folder.is_dir():
            return folder
    return None


def init_site(directory: str | os.PathLike[str], owner: str) -> list[Path]:
    """Create a new site in ``directory``; return the files written, in order.

    :raises PubsiteError: naming every file that already exists; nothing is written then.
    """
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise PubsiteError("not a folder", str(root))
    texts = scaffold_texts(owner)
    blocked = sorted({str(p) for rel in texts if (p := _blocked(root, rel)) is not None})
    if blocked:
        raise PubsiteError("\n".join(f"{path}: already exists" for path in blocked)
                           + "\nnothing was written: pubsite init never overwrites a file")
    written: list[Path] = []
    try:
        for rel, text in texts.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            written.append(path)
    except FileExistsError as exc:
        _remove(written)
        raise PubsiteError("appeared while writing; nothing was kept", exc.filename) from None
    except OSError as exc:
        _remove(written)
        raise PubsiteError(f"cannot write: {exc.strerror}", exc.filename) from None
    return written


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass
