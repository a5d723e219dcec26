"""A broken site template as ``path:line: message``, never a traceback.

Users edit templates by hand, so a typo or an unknown variable is input error
like any other: name the template file and the line, the way Jinja itself
knows them (its compiled frames carry the template's file name and line).
"""

from __future__ import annotations

import os
import traceback

import jinja2

from .errors import PubsiteError


def _where(exc: jinja2.TemplateError) -> tuple[str | None, int | None]:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name, exc.lineno
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if frame.filename.endswith((".html", ".md", ".css", ".xml", ".txt"))]
    if frames:
        return frames[-1].filename, frames[-1].lineno
    return None, None


def template_error(exc: jinja2.TemplateError) -> PubsiteError:
    """The :class:`PubsiteError` to raise for a template that cannot be rendered."""
    path, line = _where(exc)
    if path and os.path.isabs(path):
        try:
            path = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            pass
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template not found: {exc.name}"
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        message = f"template syntax error: {exc.message}"
    else:
        message = f"template error: {exc.message or type(exc).__name__}"
    return PubsiteError(message, path, line)
