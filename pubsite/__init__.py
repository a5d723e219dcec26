"""pubsite: an academic's BibTeX and news feed as the News and Publications of a homepage.

The library API is what the ``pubsite`` command uses::

    from pubsite import load_config, render_site
    result = render_site(load_config(overrides={"owner": ("Shiqi He",), "format": "json"}))
"""

__version__ = "0.1.0"

from .config import Config, load_config  # noqa: E402
from .errors import ConfigError, Problem, PubsiteError  # noqa: E402
from .model import Author, Link, Links, NewsItem, Publication, Site  # noqa: E402
from .site import Result, build_site, render_site  # noqa: E402

__all__ = [
    "Author", "Config", "ConfigError", "Link", "Links", "NewsItem", "Problem", "Publication",
    "PubsiteError", "Result", "Site", "build_site", "load_config", "render_site", "__version__",
]
