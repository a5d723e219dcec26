"""The default ``publication`` macro prints exactly what the building blocks it spells out print.

It inlines ``authors``/``author``/``marks``/``links``/``toggle`` for speed, while
sites keep composing their own entries from those blocks; the two must never
drift apart.  The site here overrides ``publication`` with the composed form
and every feature an entry can show is switched on.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from pubsite.config import load_config
from pubsite.site import render_site

PACKAGED = Path(__file__).resolve().parent.parent / "pubsite" / "templates" / "_macros.html"

COMPOSED = """\
{% macro publication(pub, anchor=true) -%}
{% set preview = config.show_preview and pub.preview %}
<li class="pubsite-pub pubsite-{{ pub.status }}{% if preview %} pubsite-has-preview{% endif %}"{% if anchor %} id="{{ pub.key }}"{% endif %}>
{% if preview %}
<img class="pubsite-preview" src="{{ pub.preview }}" alt="Preview of {{ pub.title }}" loading="lazy" decoding="async">
{% endif %}
{% if config.show_venue_badge and pub.venue_short %}{{ venue_badge(pub) }} {% endif %}<strong class="pubsite-title">{{ pub.title }}</strong>
{% if pub.authors or pub.et_al %}
<br>{{ authors(pub) }}
{% endif %}
<br>{% if pub.venue_line %}<em class="pubsite-venue">{{ pub.venue_line }}</em>{% endif %}
{% if pub.status in status_labels %} <em class="pubsite-status">{{ status_labels[pub.status] }}</em>{% endif %}
{% if pub.award and config.show_award %} <span class="pubsite-badge pubsite-award">{{ pub.award }}</span>{% endif %}
{% if pub.links.all %} <span class="pubsite-links">{{ links(pub) }}</span>{% endif %}
{% if pub.abstract and config.show_abstract %} {% call toggle("abstract", "Abstract") %}<p class="pubsite-abstract-text">{{ pub.abstract }}</p>{% endcall %}{% endif %}
{% if config.show_bibtex %} {% call toggle("bibtex", "BibTeX") %}<pre class="pubsite-bibtex-code"><code>{{ bibtex(pub) }}</code></pre>{% endcall %}{% endif %}

</li>
{%- endmacro %}"""

BIB = r"""
@inproceedings{many,
  title = {Forty Authors \& One Owner},
  author = {A, Anna and B, Ben and C, Cid and D, Dan and E, Eve and He*, Shiqi and F, Fay and G, Gil
            and Wu$^\dagger$, Feijie and H, Hal and others},
  booktitle = {International Conference on Machine Learning},
  year = {2023}, abbr = {ICML}, award = {Oral}, code = {https://github.com/x/y},
  pdf = {https://example.org/a.pdf}, preview = {fig.png},
  abstract = {We show <things> & more.},
}
@article{later,
  title = {To Appear Somewhere},
  author = {He, Shiqi and Wu, Feijie},
  journal = {Journal of Things}, year = {to appear}, doi = {10.1000/xyz},
}
@misc{alone,
  title = {No Authors At All}, year = {2020}, note = {others},
}
@misc{etal,
  title = {Only Others}, author = {others}, year = {2019}, eprint = {2004.09125}, archivePrefix = {arXiv},
}
"""

CONFIG = """\
owner = "Shiqi He"
max_authors = 3
show_venue_badge = true
[venue_colors]
icml = "#1a5fb4"
[coauthors]
"Feijie Wu" = "https://example.org/feijie"
"""


@pytest.mark.parametrize("format_", ["page", "fragment"])
def test_composed_and_inlined_entries_print_the_same(write_site: Callable[..., Path],
                                                     monkeypatch: pytest.MonkeyPatch, format_: str) -> None:
    packaged = PACKAGED.read_text(encoding="utf-8")
    inlined = re.search(r"\{% macro publication\(.*?\{%- endmacro %\}", packaged, re.S)
    assert inlined is not None
    composed = packaged[: inlined.start()] + COMPOSED + packaged[inlined.end():]
    root = write_site({"data/publications.bib": BIB, "pubsite.toml": CONFIG,
                       "composed/_macros.html": composed})
    monkeypatch.chdir(root)
    default = render_site(load_config(None, {"format": format_, "cache_dir": None})).text
    mine = render_site(load_config(None, {"format": format_, "cache_dir": None,
                                          "template_dir": "composed"})).text
    assert mine == default
    for feature in ("pubsite-owner", "pubsite-equal", "pubsite-mark", "pubsite-coauthor", "pubsite-more",
                    "pubsite-etal", "pubsite-venue-badge", "background-color", "pubsite-award",
                    "pubsite-status", "pubsite-link-code", "pubsite-abstract", "pubsite-bibtex",
                    "pubsite-preview", "&lt;things&gt;"):
        assert feature in default, feature
