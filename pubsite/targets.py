"""What one render writes, and where: the output file or the injected page, plus
``pubsite.css`` with ``--css file``.

Everything is computed in memory first so that nothing is written unless the
whole render succeeded, and so that ``--check`` can compare every file without
writing any.  Host protection (see :mod:`pubsite.host`) is applied here, to the
formats a site generator embeds: a fragment and Markdown.  A standalone page and
JSON are never run through a template engine, so they are left as they are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import host as hosts
from .config import Config
from .errors import ConfigError, PubsiteError
from .fsutil import EncodedOutput, Output, SpooledOutput
from .inject import find_regions, front_matter, inject
from .model import Site
from .atom import to_atom
from .render import CSS_FILE, render, render_encoded, render_pieces, stylesheet

if TYPE_CHECKING:
    from .cache import FragmentStore

#: Formats whose text ends up inside another generator's page.
EMBEDDED = ("fragment", "markdown")
#: Formats that carry the stylesheet (Markdown has no pubsite classes to style).
STYLED = ("fragment", "page")


def _read_page(path: str) -> str:
    """The page's exact text: bytes decoded as UTF-8, line endings untouched."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise PubsiteError("file to inject into not found", path) from None
    except OSError as exc:
        raise PubsiteError(f"cannot read: {exc.strerror}", path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PubsiteError("not valid UTF-8; save the page as UTF-8 first", path, line) from None


def _validate(config: Config) -> None:
    if config.inject and config.output not in (None, "-"):
        raise ConfigError("give either an output file or a page to inject into, not both")
    if config.inject and config.format not in EMBEDDED:
        raise ConfigError(f"cannot inject format '{config.format}' into a page; "
                          "use fragment or markdown")
    if config.css == "file" and config.format in STYLED and not (config.inject or config.output
                                                                 not in (None, "-")):
        raise ConfigError("css = file writes pubsite.css beside the output: give an output file")


def _stylesheet_beside(path: str, template_dir: str | None) -> Output:
    return Output(os.path.join(os.path.dirname(path), CSS_FILE), stylesheet(template_dir))


def planned(site: Site, config: Config, store: FragmentStore | None = None) -> tuple[Output, ...]:
    """Every file this render writes, the main output last.

    ``store`` (the render cache's formatted entries) is read and filled by the renders.
    The stylesheet comes first so a page never links to a stylesheet not yet
    written.  Raises :class:`PubsiteError` for unusable settings or markers.
    """
    _validate(config)
    files: list[Output] = []
    if config.inject:
        path = config.inject
        text = _read_page(path)
        host = hosts.resolve(config.host, hosts.host_for_page(front_matter(text), path))
        contents: dict[str | None, str] = {}
        for number, region in enumerate(find_regions(text, path)):
            # Only the first region carries the stylesheet; one <style> per page is enough.
            css = config.css if number == 0 else "none"
            body = render(site, config, sections=region.sections, css=css, store=store)
            contents[region.name] = hosts.protect(body, host)
        main = Output(path, inject(text, path, contents))
    else:
        target = config.output if config.output not in (None, "-") else None
        if config.format in EMBEDDED:
            text = render(site, config, store=store)
            text = hosts.protect(text, hosts.resolve(config.host, hosts.host_for_output(target)))
            main = Output(target, text)
        else:
            main = (SpooledOutput.spool(target, render_pieces(site, config, store)) if target is not None
                    else EncodedOutput(None, render_encoded(site, config, store)))
    if config.css == "file" and config.format in STYLED and main.path is not None:
        files.append(_stylesheet_beside(main.path, config.template_dir))
    if config.feed and config.format != "atom":
        if main.path is not None and os.path.abspath(config.feed) == os.path.abspath(main.path):
            raise ConfigError("the feed and the output are the same file; give the feed its own name")
        # Written before the page so the page never links to a feed not yet there.
        files.append(Output(config.feed, to_atom(site, config)))
    files.append(main)
    return tuple(files)
