"""The ``pubsite`` command: a thin click layer over the library.

Each command turns flags into a :class:`~pubsite.config.Config`, calls one
library function and reports.  Library errors become ``path:line: message``
on stderr with exit code 2 (click's default of 1 is reserved for failed
checks); no traceback ever reaches the user.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, NoReturn

import click

from . import __version__
from .config import CSS_MODES, FORMATS, GROUPINGS, HOSTS, Config, load_config
from .errors import Problem, PubsiteError
from .fsutil import Output
from .ordering import TYPE_KEYS

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class InputError(click.ClickException):
    """Unusable input or config: exit 2, message already says where."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


def fail(exc: PubsiteError) -> NoReturn:
    raise InputError(str(exc))


def report(problems: Iterable[Problem]) -> None:
    """Every problem, a line each, in one write: echoed a line at a time (each flushed), a large
    bibliography's thousand warnings took 5 ms, a twentieth of a render the cache serves."""
    lines = [str(problem) for problem in problems]
    if lines:
        click.echo("\n".join(lines), err=True)


def config_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command that reads a site shares."""
    options = [
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="Config file (default: pubsite.toml, or [tool.pubsite] in pyproject.toml)."),
        click.option("--bib", multiple=True, type=click.Path(dir_okay=False),
                     help="BibTeX file; repeat for several (default: data/publications.bib)."),
        click.option("--news", type=click.Path(dir_okay=False),
                     help="News feed in YAML (default: data/news.yaml, if present)."),
        click.option("--owner", multiple=True,
                     help="Site owner's name; repeat for other spellings."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def ignore_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--ignore", multiple=True, metavar="PSxxx",
                        help="Do not report this rule (repeatable; adds to 'ignore' in config).")(func)


def _switch(name: str, help_: str) -> Callable[[Callable[..., Any]], Any]:
    """``--show-X/--hide-X`` for the boolean ``show_X`` setting; unset means "as configured"."""
    flag = name.replace("_", "-")
    return click.option(f"--show-{flag}/--hide-{flag}", f"show_{name}", default=None, help=help_)


def page_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """What the output shows: per-entry extras, sections and filters (settings of the same name)."""
    options = [
        _switch("bibtex", "BibTeX toggle on each entry (default: shown)."),
        _switch("abstract", "Abstract toggle on entries that have one (default: shown)."),
        _switch("award", "Award badge (default: shown)."),
        _switch("preview", "Thumbnail from the preview field (default: shown)."),
        _switch("venue_badge", "Badge with the venue's short name (default: hidden)."),
        _switch("selected", "'Selected publications' section before the full list (default: hidden)."),
        click.option("--preview-base", default=None,
                     help="URL prefix for preview fields naming a bare file (default: /assets/img/publication_preview/)."),
        click.option("--max-authors", type=click.IntRange(min=0), default=None,
                     help="Fold author lists after N names, the owner always shown (0: never; default 10)."),
        click.option("--type-order", "type_order", multiple=True, type=click.Choice(TYPE_KEYS),
                     help="Section order with --group-by type; repeat (default: journal conference preprint thesis other)."),
        click.option("--year-from", type=click.IntRange(min=0), default=None, help="Only entries from this year on."),
        click.option("--year-to", type=click.IntRange(min=0), default=None, help="Only entries up to this year."),
        click.option("--type", "types", multiple=True, type=click.Choice(TYPE_KEYS),
                     help="Only entries of this kind; repeat for several."),
        click.option("--keyword", "keywords", multiple=True,
                     help="Only entries whose keywords field has this keyword; repeat for several."),
        click.option("--owner-only", is_flag=True, default=None, help="Only entries the owner is an author of."),
        click.option("--venue-rank", "venue_rank", multiple=True, metavar="SHORT",
                     help="Short venue name, most prominent first; orders entries of the same month (repeat)."),
        click.option("--merge-preprints/--keep-preprints", "merge_preprints", default=None,
                     help="Show a preprint under its published version (default) or both."),
        click.option("--json-ld/--no-json-ld", "json_ld", default=None,
                     help="schema.org JSON-LD in the standalone page (default: on)."),
        click.option("--lang", default=None, help="Language of the standalone page (default: en)."),
        click.option("--site-url", default=None, help="Public URL of the page, for Atom ids and absolute links."),
        click.option("--feed", type=click.Path(dir_okay=False), default=None,
                     help="Also write an Atom feed of news and publications here (linked from the page)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _load(config_path: str | None, **flags: Any) -> Config:
    try:
        return load_config(config_path, flags)
    except PubsiteError as exc:
        fail(exc)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="pubsite")
def cli() -> None:
    """Turn a BibTeX file and a news feed into the News and Publications of a homepage."""


@cli.command()
@config_options
@click.option("--format", "format_", type=click.Choice(FORMATS), default=None,
              help="Output format (default: fragment).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write here; '-' is standard output (the default).")
@click.option("--template-dir", type=click.Path(file_okay=False),
              help="Folder whose templates override the defaults by name (default: templates).")
@click.option("--group-by", type=click.Choice(GROUPINGS), default=None,
              help="Flat list (none), or headings per year or per type.")
@click.option("--selected-only", is_flag=True, default=None,
              help="Only entries with selected = {true}.")
@click.option("--news-limit", type=click.IntRange(min=0), default=None,
              help="Show at most N news items (0: all).")
@click.option("--file-base", default=None,
              help="URL prefix for link fields that name a bare file (default: /assets/pdf/).")
@click.option("--inject", type=click.Path(dir_okay=False),
              help="Replace what stands between <!-- pubsite:start --> and <!-- pubsite:end --> in this page.")
@click.option("--host", type=click.Choice(HOSTS), default=None,
              help="Site generator embedding the output: keeps {{ }} and {% %} literal (default: auto).")
@click.option("--css", type=click.Choice(CSS_MODES), default=None,
              help="Stylesheet: <style> in the output, pubsite.css beside it, or none (default: inline).")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 and show a diff when the output on disk is stale.")
@click.option("--strict", is_flag=True, default=None, help="Warnings make the command fail (exit 1).")
@ignore_option
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
@click.option("--cache-dir", type=click.Path(file_okay=False),
              help="Render cache folder (default: .pubsite-cache).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the render cache.")
@page_options
def render(config_path: str | None, bib: tuple[str, ...], news: str | None, owner: tuple[str, ...],
           format_: str | None, output: str | None, template_dir: str | None,
           group_by: str | None, selected_only: bool | None, news_limit: int | None,
           file_base: str | None, inject: str | None, host: str | None, css: str | None,
           check: bool, strict: bool | None, ignore: tuple[str, ...], quiet: bool,
           cache_dir: str | None, no_cache: bool, **page: Any) -> None:
    """Render publications and news to HTML, Markdown or JSON.

    Example:

    \b
        pubsite render --format page -o build/index.html
        pubsite render --owner "Shiqi He" --format json
        pubsite render --inject _pages/about.md --check
    """
    from .feedback import Progress, summary
    from .site import render_site

    config = _load(config_path, bib=bib, news=news, owner=owner, format=format_, output=output,
                   template_dir=template_dir, group_by=group_by, selected_only=selected_only,
                   news_limit=news_limit, file_base=file_base, strict=strict, inject=inject,
                   host=host, css=css, ignore=ignore, cache_dir=cache_dir, **page)
    if no_cache:
        config = replace(config, cache_dir=None)
    progress = Progress(sys.stderr) if not quiet else None
    try:
        result = render_site(config, progress)
        if _KEPT is not None:
            _KEPT.append(result)
    except PubsiteError as exc:
        fail(exc)
    finally:
        if progress is not None:
            progress.close()
    target = result.files[-1].path
    try:
        report(result.problems)
        if check:
            if target is None:
                raise click.UsageError("--check needs an output file (-o, --inject, or 'output' in config).")
            stale = [out.path for out in result.files if out.path and _is_stale(out.path, out)]
            if stale:
                sys.exit(1)
        else:
            for out in result.files:
                if out.path is None:
                    click.echo(out.text, nl=False)
                    continue
                try:
                    out.write()
                except OSError as exc:
                    raise InputError(f"{out.path}: cannot write: {exc.strerror}") from None
    finally:
        for out in result.files:  # a page rendered into a temp file: never left behind
            out.discard()
    if not quiet:
        click.echo(summary(result.publication_count, result.news_count, target or "stdout",
                           result.errors, result.warnings), err=True)
    if config.strict and result.problems:
        click.echo(f"error: {len(result.problems)} problem(s) in strict mode", err=True)
        sys.exit(1)


@cli.command()
@config_options
@click.option("--template-dir", type=click.Path(file_okay=False),
              help="Folder whose templates override the defaults by name (default: templates).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")
def serve(config_path: str | None, bib: tuple[str, ...], news: str | None, owner: tuple[str, ...],
          template_dir: str | None, port: int) -> None:
    """Preview the page on 127.0.0.1, rebuilt and reloaded whenever a file changes.

    Watches the bib files, the news feed, the config and the templates. A
    broken file shows its error in the page (and here) until it is fixed.

    Example:

    \b
        pubsite serve
        pubsite serve --port 0
    """
    from .serve import serve as run

    overrides = {"bib": bib, "news": news, "owner": owner, "template_dir": template_dir}
    try:
        run(config_path, overrides, port=port, report=lambda line: click.echo(line, err=True),
            ready=lambda url: click.echo(f"Serving {url}  (Ctrl-C to stop)", err=True))
    except PubsiteError as exc:
        fail(exc)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--owner", help="Your name as it appears in BibTeX (asked for when not given).")
def init(directory: str, owner: str | None) -> None:
    """Start a new site: config, example data and a template override.

    Never overwrites a file: if any of them exists, nothing is written.

    Example:

    \b
        pubsite init --owner "Jane Doe"
        pubsite init my-site
    """
    from .scaffold import init_site

    if owner is None:
        owner = click.prompt("Your name, as it appears in your BibTeX")
    try:
        written = init_site(directory, owner)
    except PubsiteError as exc:
        fail(exc)
    for path in written:
        click.echo(f"created {path}")
    where = "" if Path(directory) == Path(".") else f"cd {directory} && "
    click.echo(f"next: {where}pubsite serve   (live preview), or pubsite render --format page -o build/index.html")


@cli.command("check")
@config_options
@ignore_option
@click.option("--format", "format_", type=click.Choice(("text", "json")), default="text",
              help="text: 'path:line: level: message [PSxxx]' lines; json: a list of objects.")
@click.option("--list-rules", is_flag=True, help="Print the rule ids, levels and meanings, and exit.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
def check_command(config_path: str | None, bib: tuple[str, ...], news: str | None,
                  owner: tuple[str, ...], ignore: tuple[str, ...], format_: str,
                  list_rules: bool, quiet: bool) -> None:
    """Validate the bib files and news feed for CI; exit 1 when anything is reported.

    Reports parse errors, duplicate keys and papers, missing titles, authors
    and years, the owner missing from an entry, venues with no short name,
    unsafe links, malformed DOIs and arXiv ids, LaTeX that will not display,
    and news with bad dates or dead links to publications.  Silence a rule
    with 'ignore = ["PS205"]' in config, --ignore, or a pubsite_ignore field.

    Example:

    \b
        pubsite check
        pubsite check --format json --ignore PS205
    """
    from .rules import RULES

    if list_rules:
        for rule in RULES.values():
            click.echo(f"{rule.code}  {rule.level:<7}  {rule.summary}")
        return
    from .check import check_site
    from .feedback import check_summary

    config = _load(config_path, bib=bib, news=news, owner=owner, ignore=ignore)
    try:
        result = check_site(config)
    except PubsiteError as exc:
        fail(exc)
    if format_ == "json":
        rows = [{"path": p.path, "line": p.line, "level": p.level, "code": p.code, "message": p.message}
                for p in result.problems]
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for problem in result.problems:
            click.echo(str(problem))
    if not quiet:
        click.echo(check_summary(result.errors, result.warnings, result.files, result.entries,
                                 result.news), err=True)
    if result.problems:
        sys.exit(1)


def _is_stale(target: str, out: Output) -> bool:
    """Show a unified diff and return True when ``target`` does not hold exactly ``out``.

    The file is compared byte for byte (no newline translation), as it would be written.
    """
    try:
        if out.matches(target):
            return False
        data = Path(target).read_bytes()
    except FileNotFoundError:
        data = None
    except OSError as exc:
        raise InputError(f"{target}: cannot read: {exc}") from None
    text = out.text
    try:
        current = None if data is None else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{target}: cannot read: {exc}") from None
    if current is None:
        click.echo(f"{target}: missing; run pubsite render to create it", err=True)
    else:
        import difflib

        diff = difflib.unified_diff(current.splitlines(keepends=True), text.splitlines(keepends=True),
                                    f"{target} (on disk)", f"{target} (rendered)")
        click.echo("".join(diff), nl=False)
        click.echo(f"{target}: stale; run pubsite render to update it", err=True)
    return True


@cli.command("import")
@click.argument("exports", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--bib", "target", type=click.Path(dir_okay=False),
              help="BibTeX file to merge into (default: the first configured bib).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file (default: pubsite.toml, or [tool.pubsite] in pyproject.toml).")
@click.option("--dry-run", is_flag=True, help="Show the report and a diff; write nothing.")
@click.option("--force", is_flag=True,
              help="Merge even into a file with parse errors (the broken parts are left as they are).")
def import_(exports: tuple[str, ...], target: str | None, config_path: str | None,
            dry_run: bool, force: bool) -> None:
    """Merge exported BibTeX (Scholar, DBLP, ACM, arXiv...) into the site's bib.

    Papers already there (same DOI, arXiv id, or title and authors) are
    skipped or completed, a published version replaces its preprint in place,
    new papers go at the end of the file. '-' reads an export from standard input.

    Example:

    \b
        pubsite import ~/Downloads/citations.bib --dry-run
        pbpaste | pubsite import -
    """
    from .merge import Source, TargetNotClean, import_files, read_source

    if exports.count("-") > 1:
        raise InputError("'-' (standard input) can be given only once")
    config = _load(config_path, bib=(target,) if target else None)
    if not config.bib:
        raise click.UsageError("no BibTeX file to import into: give --bib or set 'bib' in config.")
    sources: list[Source] = []
    problems: list[Problem] = []
    for name in exports:
        if name == "-":
            text = sys.stdin.read()
            sources.append(Source("<stdin>", text.lstrip("\ufeff")))
            continue
        try:
            source, read_problems = read_source(name)
        except PubsiteError as exc:
            fail(exc)
        sources.append(source)
        problems.extend(read_problems)
    try:
        plan = import_files(config.bib[0], sources, force=force, dry_run=dry_run,
                            aliases=config.venue_aliases)
    except TargetNotClean as exc:
        report(exc.problems[1:])
        fail(exc)
    except PubsiteError as exc:
        fail(exc)
    except OSError as exc:
        raise InputError(f"{config.bib[0]}: cannot write: {exc.strerror}") from None
    report(problems + list(plan.problems))
    for outcome in plan.outcomes:
        click.echo(str(outcome))
    if dry_run:
        click.echo(plan.diff(), nl=False)
        state = "would change" if plan.changed else "nothing to change in"
        click.echo(f"{plan.summary()}; dry run: {state} {plan.target}, nothing written")
    else:
        state = "wrote" if plan.changed else "nothing to change in"
        click.echo(f"{plan.summary()}; {state} {plan.target}")


#: What a command made, kept until the process ends when it runs as a program (see :func:`main`).
_KEPT: list[object] | None = None


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point.

    A large render leaves millions of objects; freeing them one by one at
    exit took half a second after the work was done (and so is what the
    render's cache writers held: see :func:`pubsite.aside.keep_until_exit`).  The process ends
    without that (streams flushed first; pubsite registers no exit handlers).
    """
    from . import aside

    global _KEPT
    _KEPT = []
    aside.keep_until_exit(_KEPT)
    try:
        cli.main(args=argv, prog_name="pubsite")
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    if not _KEPT or not isinstance(code, (int, type(None))):
        sys.exit(code)  # nothing large to skip freeing, or a message to print on the way out
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code or 0)
