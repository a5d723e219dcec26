"""pubsite: an academic's BibTeX and news feed as the News and Publications of a homepage.

The library API is what the ``pubsite`` command uses::

    from pubsite import load_config, render_site
    result = render_site(load_config(overrides={"owner": ("Shiqi He",), "format": "json"}))

Names are imported lazily so that ``pubsite --help`` starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Config": "config", "load_config": "config",
    "ConfigError": "errors", "Problem": "errors", "PubsiteError": "errors",
    "Author": "model", "Link": "model", "Links": "model", "NewsItem": "model",
    "Publication": "model", "Site": "model",
    "Result": "site", "build_site": "site", "render_site": "site",
    "CheckReport": "check", "check_site": "check", "RULES": "rules",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pubsite' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
