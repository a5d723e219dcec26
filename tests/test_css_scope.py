"""The packaged stylesheet never reaches a host page's own elements."""

from __future__ import annotations

import re

import pytest

from pubsite.render import stylesheet

#: At-rules whose block holds rules (checked like the top level); others hold declarations.
_GROUPING = ("@media", "@supports", "@layer", "@container")
#: A selector is ours when it starts at the fragment root or at one of our own prefixed classes.
_OURS = re.compile(r"\.pubsite(-[\w-]+)?(?![\w-])")


def selectors(css: str) -> list[str]:
    """Every selector of every style rule, at any nesting of grouping at-rules."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found: list[str] = []
    depth_kinds: list[str] = []  # "group", "rule" or "other" per open brace
    prelude = ""
    for char in css:
        if char == "{":
            head = prelude.strip()
            prelude = ""
            if depth_kinds and depth_kinds[-1] != "group":
                depth_kinds.append("other")
            elif head.startswith(_GROUPING):
                depth_kinds.append("group")
            elif head.startswith("@"):
                depth_kinds.append("other")
            else:
                depth_kinds.append("rule")
                found.extend(s.strip() for s in head.split(","))
        elif char == "}":
            depth_kinds.pop()
            prelude = ""
        elif char == ";" and (not depth_kinds or depth_kinds[-1] == "group"):
            prelude = ""  # a statement at-rule such as @import
        else:
            prelude += char
    assert not depth_kinds, "unbalanced braces in pubsite.css"
    return found


def test_every_selector_is_scoped() -> None:
    found = selectors(stylesheet())
    assert found, "no rules found: the parser or the stylesheet is broken"
    unscoped = [s for s in found if not _OURS.match(s)]
    assert unscoped == []


@pytest.mark.parametrize("css, bad", [
    (".pubsite a { color: red } a { color: blue }", ["a"]),
    ("@media print { .pubsite { x: y } body { margin: 0 } }", ["body"]),
    (".pubsite, li { x: y }", ["li"]),
    (".pubsitex { x: y }", [".pubsitex"]),
    ("@font-face { font-family: x } .pubsite-page { x: y }", []),
])
def test_the_scope_check_catches_host_selectors(css: str, bad: list[str]) -> None:
    assert [s for s in selectors(css) if not _OURS.match(s)] == bad
