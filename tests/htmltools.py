"""Render a small site and look at the HTML as a browser's DOM would, not as a string."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import html5lib

from pubsite.config import Config
from pubsite.site import Result, render_site


def render_bib(tmp_path: Path, bib: str, **settings: Any) -> Result:
    """Render ``bib`` (no news) with the owner "Shiqi He" and the given settings."""
    path = tmp_path / "p.bib"
    path.write_text(bib, encoding="utf-8")
    settings.setdefault("owner", ("Shiqi He",))
    return render_site(Config(bib=(str(path),), news=None, **settings))


def dom(html: str) -> ET.Element:
    return html5lib.parse(html, namespaceHTMLElements=False)


def has_class(element: ET.Element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def by_class(root: ET.Element, name: str, tag: str = "*") -> list[ET.Element]:
    return [e for e in root.iter(tag) if has_class(e, name)]


def text(element: ET.Element) -> str:
    """Visible text, whitespace folded."""
    return " ".join("".join(element.itertext()).split())
