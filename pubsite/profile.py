"""The optional profile header of the standalone page: who this page is about.

Academic homepages open with a sidebar (photo, name, affiliation, a two-line
bio, links to Scholar/GitHub/email); the standalone page offers the same from
a ``[profile]`` table in config, and shows nothing when there is none.  URLs
are checked here, when the config is read, so a bad one is a config error
with a line number rather than a silently missing link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

KEYS = ("name", "photo", "affiliation", "bio", "email", "links")

Bad = Callable[[str, str], None]


@dataclass(frozen=True)
class Profile:
    """The profile as configured; ``bio`` is inline Markdown, rendered (sanitised) by the template."""

    name: str = ""
    photo: str | None = None
    affiliation: str = ""
    bio: str = ""
    email: str = ""
    #: (label, url) in the order of the config table.
    links: tuple[tuple[str, str], ...] = ()


def _url(value: Any, key: str, what: str, bad: Bad) -> str | None:
    if not isinstance(value, str):
        bad(key, f"{what} must be a URL string")
        return None
    from .links import safe_url  # here: config imports this module, and most sites have no profile

    url = safe_url(value, "")
    if url is None:
        bad(key, f"{what} must be an http(s), mailto or site-relative URL, not '{value}'")
    return url


def parse_profile(value: Any, bad: Bad, suggest: Callable[[str, set[str]], str]) -> Profile | None:
    """Validate a ``[profile]`` table; report every mistake through ``bad(key, message)``."""
    if not isinstance(value, dict):
        bad("profile", "'profile' must be a table ([profile] with name, photo, affiliation, bio, email, links)")
        return None
    ok = True
    for key in value:
        if key not in KEYS:
            bad(key, f"unknown profile setting '{key}'{suggest(key, set(KEYS))}")
            ok = False
    texts: dict[str, str] = {}
    for key in ("name", "affiliation", "bio", "email"):
        if key in value:
            if isinstance(value[key], str):
                texts[key] = value[key].strip()
            else:
                bad(key, f"profile {key} must be a string")
                ok = False
    photo = None
    if "photo" in value:
        photo = _url(value["photo"], "photo", "profile photo", bad)
        ok = ok and photo is not None
    links: list[tuple[str, str]] = []
    raw_links = value.get("links", {})
    if not isinstance(raw_links, dict):
        bad("links", 'profile links must be a table of label = "URL"')
        ok = False
    else:
        for label, target in raw_links.items():
            url = _url(target, label, f"profile link '{label}'", bad)
            if url is None:
                ok = False
            else:
                links.append((label, url))
    if not ok:
        return None
    return Profile(photo=photo, links=tuple(links), **texts)
