"""Making output survive the site generator that embeds it.

A title or news line may legitimately contain ``{{``, ``{%``, ``}}`` or ``%}``
(papers about templating do).  Jekyll runs Liquid over includes and over pages
with front matter, and Hugo runs shortcodes (``{{< >}}``, ``{{% %}}``) in content
and Go templates in partials, so such text would be eaten or break the build.

- ``jekyll``: the output is wrapped in ``{% raw %}`` ... ``{% endraw %}`` so Liquid
  leaves it alone, and every ``{%`` inside is written ``&#123;%`` (the browser shows
  ``{%``), so an input holding ``{% endraw %}`` cannot end the raw block early.
- ``hugo``: every ``{`` followed by another ``{`` is written ``&#123;``, so no ``{{``
  is left for a shortcode or a template action to start with.  This makes the same
  file safe in a content page and as a partial.
- ``plain``: untouched.

The entity is decoded by the browser (and by kramdown/goldmark in Markdown), so
readers see exactly the input's text.  Our templates never emit ``{{`` or ``{%``
themselves, so only text from the inputs is changed.
"""

from __future__ import annotations

import re
from pathlib import PurePath

_LIQUID_TAG = re.compile(r"\{(?=%)")
_DOUBLE_BRACE = re.compile(r"\{(?=\{)")
_BRACE_ENTITY = "&#123;"


def protect(text: str, host: str) -> str:
    """``text`` made literal for ``host`` (one of jekyll, hugo, plain)."""
    if host == "jekyll":
        if not text:
            return text
        body = _LIQUID_TAG.sub(_BRACE_ENTITY, text)
        if not body.endswith("\n"):
            body += "\n"
        return "{% raw %}\n" + body + "{% endraw %}\n"
    if host == "hugo":
        return _DOUBLE_BRACE.sub(_BRACE_ENTITY, text)
    return text


def host_for_output(path: str | None) -> str:
    """The host a written file is evidently for: Jekyll's ``_includes``/``_layouts``,
    Hugo's ``layouts``; plain otherwise (stdout included)."""
    if not path or path == "-":
        return "plain"
    parts = PurePath(path).parts[:-1]
    if "_includes" in parts or "_layouts" in parts:
        return "jekyll"
    if "layouts" in parts:
        return "hugo"
    return "plain"


def host_for_page(front_matter: str | None, path: str) -> str:
    """The host of a page we inject into: YAML front matter (``---``) means Jekyll,
    TOML front matter (``+++``) means Hugo; otherwise judged by its folder."""
    if front_matter == "yaml":
        return "jekyll"
    if front_matter == "toml":
        return "hugo"
    return host_for_output(path)


def resolve(host: str, detected: str) -> str:
    """The configured host, or the detected one when set to ``auto``."""
    return detected if host == "auto" else host
