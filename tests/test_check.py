"""`pubsite check`: each rule finds its planted problem at the right line; silencing; exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pubsite.check import check_site, internal_target
from pubsite.cli import cli
from pubsite.config import load_config
from pubsite.errors import ConfigError
from pubsite.latexlint import trouble
from pubsite.rules import RULES, Silencer
from pubsite.site import render_site

from .conftest import DATA, ROOT

PLANTED = DATA / "check"
BIB = PLANTED / "problems.bib"
LATIN1 = PLANTED / "latin1.bib"
NEWS = PLANTED / "news.yaml"

# (rule, file, text of the line the problem must be reported at, text the message must contain)
CASES = [
    ("PS001", BIB, "@article{broken2020 title=", "cannot parse entry"),
    ("PS002", LATIN1, "title={Caf", "not UTF-8"),
    ("PS101", BIB, "@inproceedigs{typo2021,", "did you mean '@inproceedings'"),
    ("PS102", BIB, "@ARTICLE{twice2022,", "duplicate key 'twice2022' (first defined at line"),
    ("PS103", BIB, "@inproceedings{macro2022,", "undefined macro 'nosuchmacro'"),
    ("PS104", BIB, "@article{fieldtwice2022,", "year twice"),
    ("PS105", BIB, "@inproceedings{orphan2022,", "missing entry 'nosuchparent'"),
    ("PS106", BIB, "pages={1--2} 5,", "field 'pages' is malformed"),
    ("PS107", BIB, "@article{silence2022,", "unknown rule 'PS250'"),
    ("PS201", BIB, "@article{notitle2022,", "has no title"),
    ("PS202", BIB, "@article{noauthor2022,", "has no authors"),
    ("PS203", BIB, "@article{noyear,", "has no year"),
    ("PS204", BIB, "@article{misspelt2022,", "owner 'Shiqi He' not among the authors; closest: 'Shiqi Hu'"),
    ("PS205", BIB, "@article{obscure2022,", "venue 'Journal of Results Nobody Abbreviates' has no short name"),
    ("PS206", BIB, "@article{latex2022,", "field 'title': a '$' opens math that is never closed"),
    ("PS206", BIB, "@article{macrotypo2022,", "'\\notacommand' shows as nothing"),
    ("PS207", BIB, "@inproceedings{samedoi2023,", "same paper as 'clean2023' at "),
    ("PS301", BIB, "@article{unsafe2022,", "field 'code' has a URL that is not http(s)/mailto"),
    ("PS301", BIB, "@article{unsafepreview2022,", "preview 'javascript:alert(2)' is not an http(s)"),
    ("PS302", BIB, "@article{baddoi2022,", "'n/a' is not a DOI"),
    ("PS303", BIB, "@article{badarxiv2022,", "eprint '2212.01523 [cs.LG]' is not an arXiv id"),
    ("PS401", NEWS, "- date: 2024-13", "invalid date '2024-13'"),
    ("PS402", NEWS, "- date: 2024-05", "missing or empty text"),
    ("PS403", NEWS, "- just a string", "must be a mapping"),
    ("PS404", NEWS, "- date: 2024-04", "unknown key 'url'"),
    ("PS405", NEWS, "- date: 2024-03", "link must be http(s)"),
    ("PS406", NEWS, "- date: 2024-02", "news link '#nosuchkey' points at no publication"),
    ("PS502", BIB, "title{Equals Sign Missing}", "'=' missing after field 'title'"),
    ("PS503", BIB, "@article{commalist2022,", "author names are separated by commas"),
]
#: Rules raised only while rendering pages, tested where they are raised.
RENDER_ONLY: set[str] = set()


def line_of(path: Path, text: str) -> int:
    """The 1-based line holding ``text``, which must occur exactly once in the file."""
    lines = path.read_bytes().decode("latin-1").splitlines()
    found = [number for number, line in enumerate(lines, 1) if text in line]
    assert len(found) == 1, f"{text!r} occurs {len(found)} times in {path.name}"
    return found[0]


def planted_config(**overrides: object):
    settings = {"bib": (str(BIB), str(LATIN1)), "news": str(NEWS), "owner": ("Shiqi He",)}
    settings.update(overrides)
    return load_config(overrides=settings, cwd=str(PLANTED))


@pytest.fixture(scope="module")
def planted_problems():
    return check_site(planted_config()).problems


@pytest.mark.parametrize("code, path, marker, text", CASES, ids=[f"{c[0]}-{c[2][:24]}" for c in CASES])
def test_each_planted_problem_is_found_at_its_line(planted_problems, code: str, path: Path,
                                                    marker: str, text: str) -> None:
    line = line_of(path, marker)
    found = [p for p in planted_problems if p.code == code and p.path == str(path) and p.line == line]
    assert found, f"no {code} at {path.name}:{line}; found: " + "; ".join(map(str, planted_problems))
    assert any(text in p.message for p in found), [p.message for p in found]
    assert all(p.level == RULES[code].level for p in found)


def test_nothing_but_the_planted_problems_is_reported(planted_problems) -> None:
    expected = sorted((str(path), line_of(path, marker), code) for code, path, marker, _ in CASES)
    assert sorted((p.path, p.line, p.code) for p in planted_problems) == expected


def test_every_rule_about_inputs_has_a_planted_problem() -> None:
    assert {code for code, *_ in CASES} == set(RULES) - RENDER_ONLY


def test_every_id_in_the_code_is_in_the_catalogue() -> None:
    used = set()
    for source in (ROOT / "pubsite").glob("*.py"):
        used |= set(re.findall(r'"(PS\d{3})"', source.read_text(encoding="utf-8")))
    assert used - set(RULES) == set()


def test_problems_come_sorted_by_file_then_line(planted_problems) -> None:
    assert list(planted_problems) == sorted(planted_problems)
    assert [p.path for p in planted_problems] == sorted(p.path for p in planted_problems)


# -- rules in detail ----------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("{GlueFL}: Reconciling Client Sampling", None),
    (r"Sch{\"o}lkopf and Fran\c{c}ois", None),
    (r"$O(n^2)$ time, 100\% of \$5", None),
    (r"{\bf Bold} \emph{emphasis} \textbf{strong}", None),
    (r"$\mathcal{O}(n)$ and $\frac{a}{b}$ and $\alpha$-nets", None),
    (r"Set $\{x\}$ and \v{S}ekar", None),
    ("Cost of {Big-O", "a '{' is never closed"),
    ("Closing } too early {", "a '}' closes no brace"),
    ("Pay $5", "a '$' opens math that is never closed"),
    (r"See \ref{sec} above", r"'\ref{sec}' shows as nothing"),
    (r"A \mbox{kept} word and \LaTeX{}", None),
    (r"\textit{\nosuchcommand}", r"'\nosuchcommand' shows as nothing"),
])
def test_leftover_latex(raw: str, expected: str | None) -> None:
    assert trouble(raw) == expected


@pytest.mark.parametrize("href, key", [
    ("#he2023gluefl", "he2023gluefl"),
    ("/publications#he2023gluefl", "he2023gluefl"),
    ("/publications/#he2023gluefl", "he2023gluefl"),
    ("publications.html#DBLP%3Aconf%2Fx", "DBLP:conf/x"),
    ("/#he2023gluefl", "he2023gluefl"),
    ("/about#me", None),
    ("https://example.org/publications#x", None),
    ("//example.org/#x", None),
    ("/publications", None),
    ("#", None),
])
def test_what_counts_as_an_internal_link(href: str, key: str | None) -> None:
    assert internal_target(href) == key


@pytest.mark.parametrize("authors, expected", [
    ("He, Shiqi and Yan, Qifan", None),
    ("He, S. and Yan, Qifan", None),
    ("Yan, Qifan and He, Shiqi", None),
    ("Hu, Shiqi and Yan, Qifan", "closest: 'Shiqi Hu'"),
    ("Yan, Qifan and Liu, Andrew", "closest: "),
    ("Yan, Qifan and others", None),  # the owner may be among "others"
    ("Yan, Qifan and Hee, Shiqi and others", "closest: 'Shiqi Hee'"),  # ...but a near miss is worth a look
])
def test_owner_missing(write_site, authors: str, expected: str | None) -> None:
    site = write_site({"p.bib": f"@article{{k, title={{T}}, author={{{authors}}}, journal={{Nature}}, year={{2020}}}}\n"})
    config = load_config(overrides={"bib": (str(site / "p.bib"),), "news": None, "owner": ("Shiqi He",)},
                         cwd=str(site))
    messages = [p.message for p in check_site(config).problems if p.code == "PS204"]
    if expected is None:
        assert messages == []
    else:
        assert len(messages) == 1 and expected in messages[0]


def test_no_owner_configured_means_no_owner_rule(write_site) -> None:
    site = write_site({"p.bib": "@article{k, title={T}, author={Yan, Qifan}, journal={Nature}, year={2020}}\n"})
    config = load_config(overrides={"bib": (str(site / "p.bib"),), "news": None}, cwd=str(site))
    assert check_site(config).problems == ()


def test_papers_of_one_proceedings_are_not_duplicates_through_its_doi(write_site) -> None:
    site = write_site({"p.bib": """\
        @inproceedings{a, title={First Paper}, author={He, Shiqi}, crossref={proc}}
        @inproceedings{b, title={Second Paper}, author={Yan, Qifan}, crossref={proc}}
        @proceedings{proc, title={Proceedings of ICML}, year={2020}, doi={10.1000/volume}, editor={Doe, Jane}}
        """})
    config = load_config(overrides={"bib": (str(site / "p.bib"),), "news": None}, cwd=str(site))
    assert [p for p in check_site(config).problems if p.code == "PS207"] == []


def test_duplicate_paper_across_files_names_both_places(write_site) -> None:
    site = write_site({
        "a.bib": "@article{pre, title={GlueFL: Reconciling Client Sampling}, author={He, Shiqi}, "
                 "journal={arXiv preprint arXiv:2212.01523}, year={2022}}\n",
        "b.bib": "\n\n@inproceedings{pub, title={{GlueFL}: reconciling client sampling}, author={He, Shiqi and Yan, Qifan}, "
                 "booktitle={Proceedings of Machine Learning and Systems}, year={2023}}\n",
    })
    config = load_config(overrides={"bib": (str(site / "a.bib"), str(site / "b.bib")), "news": None}, cwd=str(site))
    [problem] = check_site(config).problems
    assert str(problem) == (f"{site / 'b.bib'}:3: warning: entry 'pub': same paper as 'pre' at "
                            f"{site / 'a.bib'}:1 (same title) [PS207]")


def test_news_link_to_a_publication_not_shown_is_dead(write_site) -> None:
    site = write_site({
        "p.bib": "@article{shown, title={T}, author={He, Shiqi}, journal={Nature}, year={2020}, selected={true}}\n"
                 "@article{hidden, title={U}, author={He, Shiqi}, journal={Nature}, year={2020}}\n",
        "n.yaml": "- date: 2024-01\n  text: see [this](#hidden), [that](#shown) and [a typo](#shwon)\n",
    })
    overrides = {"bib": (str(site / "p.bib"),), "news": str(site / "n.yaml"), "selected_only": True}
    problems = check_site(load_config(overrides=overrides, cwd=str(site))).problems
    assert [(p.code, p.line, p.message) for p in problems] == [
        ("PS406", 1, "news link '#hidden' points at no publication"),
        ("PS406", 1, "news link '#shwon' points at no publication (did you mean '#shown'?)")]


# -- silencing ------------------------------------------------------------------------------


def test_config_ignore_drops_rules(write_site) -> None:
    site = write_site({"pubsite.toml": f'ignore = ["PS205", "ps204"]\nowner = "Shiqi He"\n'
                                       f'bib = ["{BIB.as_posix()}"]\nnews = false\n'})
    config = load_config(str(site / "pubsite.toml"))
    assert config.ignore == ("PS204", "PS205")
    codes = {p.code for p in check_site(config).problems}
    assert codes and not codes & {"PS204", "PS205"}


@pytest.mark.parametrize("toml, message", [
    ('ignore = ["PS250"]', "pubsite.toml:1: 'ignore': unknown rule 'PS250' (did you mean 'PS"),
    ('owner = "X"\nignore = ["PSX"]', "pubsite.toml:2: 'ignore': unknown rule 'PSX'"),
    ("ignore = 205", "pubsite.toml:1: 'ignore' must be a string or a list of strings"),
])
def test_unknown_rule_in_config_is_a_config_error(write_site, toml: str, message: str) -> None:
    site = write_site({"pubsite.toml": toml + "\n"})
    with pytest.raises(ConfigError) as caught:
        load_config(str(site / "pubsite.toml"))
    assert message in str(caught.value)


def test_ignore_flag_adds_to_the_config(write_site) -> None:
    site = write_site({"pubsite.toml": 'ignore = ["PS205"]\n'})
    config = load_config(str(site / "pubsite.toml"), {"ignore": ("PS204",)})
    assert config.ignore == ("PS204", "PS205")


def test_entry_field_silences_rules_for_that_entry_only(write_site) -> None:
    site = write_site({"p.bib": """\
        @article{quiet, title={A}, author={He, Shiqi}, journal={Obscure Letters}, year={2020},
          pubsite_ignore={PS205, PS106}, pages={1} 5, note={x}}
        @article{loud, title={B}, author={He, Shiqi}, journal={Obscure Letters}, year={2021}}
        """})
    config = load_config(overrides={"bib": (str(site / "p.bib"),), "news": None}, cwd=str(site))
    assert [(p.code, p.line) for p in check_site(config).problems] == [("PS205", 3)]


def test_either_entry_can_accept_a_duplicate_pair(write_site) -> None:
    site = write_site({"p.bib": """\
        @article{a, title={Same Title}, author={He, Shiqi}, journal={Nature}, year={2020}, pubsite_ignore={PS207}}
        @article{b, title={Same Title}, author={He, Shiqi}, journal={Nature}, year={2020}}
        """})
    config = load_config(overrides={"bib": (str(site / "p.bib"),), "news": None}, cwd=str(site))
    assert check_site(config).problems == ()


def test_silencer_only_covers_the_lines_of_the_entry() -> None:
    from pubsite.bib import parse_text
    from pubsite.errors import Problem

    entries, _ = parse_text("@article{a,\n  title={A},\n  pubsite_ignore={PS104}\n}\n\n@article{b, title={B}}\n", "x.bib")
    silencer = Silencer((), entries)
    kept = silencer([Problem("x.bib", line, "warning", "PS104", "m") for line in range(1, 8)])
    assert [p.line for p in kept] == [5, 6, 7]


def test_render_drops_silenced_warnings_too(write_site) -> None:
    site = write_site({"p.bib": "@article{k, title={T}, author={He, Shiqi}, journal={Nature}, year={2020}, doi={n/a}}\n"})
    overrides = {"bib": (str(site / "p.bib"),), "news": None}
    assert [p.code for p in render_site(load_config(overrides=overrides, cwd=str(site))).problems] == ["PS302"]
    overrides["ignore"] = ("PS302",)
    assert render_site(load_config(overrides=overrides, cwd=str(site))).problems == ()


# -- the command ----------------------------------------------------------------------------


def invoke(args: list[str], **kwargs: object) -> Result:
    result = CliRunner().invoke(cli, ["check", *args], **kwargs)
    assert "Traceback" not in result.output
    return result


def planted_args(*extra: str) -> list[str]:
    return ["--bib", str(BIB), "--bib", str(LATIN1), "--news", str(NEWS), "--owner", "Shiqi He", *extra]


@pytest.fixture(autouse=True)
def _in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No pubsite.toml around unless a test writes one."""
    monkeypatch.chdir(tmp_path)


def test_text_output_lines_summary_and_exit_1() -> None:
    result = invoke(planted_args())
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(CASES)
    line = line_of(BIB, "@article{obscure2022,")
    assert (f"{BIB}:{line}: warning: entry 'obscure2022': venue 'Journal of Results Nobody Abbreviates' "
            "has no short name (set abbr = {...} in the entry, or add it under [venues] in config) [PS205]") in lines
    errors = sum(RULES[c].level == "error" for c, *_ in CASES)
    assert result.stderr == f"{errors} errors, {len(CASES) - errors} warnings in 3 files\n"


def test_json_output_is_a_list_of_problems() -> None:
    result = invoke(planted_args("--format", "json"))
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) == len(CASES)
    assert all(list(row) == ["path", "line", "level", "code", "message"] for row in rows)
    assert rows == sorted(rows, key=lambda r: (r["path"], r["line"], r["level"], r["code"], r["message"]))
    first = rows[0]
    assert (first["path"], first["line"], first["level"], first["code"]) == (str(LATIN1), 2, "warning", "PS002")


def test_output_is_deterministic() -> None:
    assert invoke(planted_args("--format", "json")).stdout == invoke(planted_args("--format", "json")).stdout


def test_everything_silenced_exits_0() -> None:
    args = planted_args(*[f"--ignore={code}" for code in RULES], "-q")
    result = invoke(args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_clean_input_exits_0_with_a_summary(tmp_path: Path) -> None:
    bib = tmp_path / "p.bib"
    bib.write_text("@article{k, title={T}, author={He, Shiqi}, journal={Nature}, year={2020}}\n")
    result = invoke(["--bib", str(bib), "--owner", "Shiqi He"], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no problems in 1 entry and 0 news items\n"
    assert invoke(["--bib", str(bib), "--format", "json"]).stdout == "[]\n"


def test_shipped_site_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke([], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("no problems in ")


@pytest.mark.parametrize("args, message", [
    (["--bib", "missing.bib"], "error: missing.bib: file not found"),
    (["--ignore", "PS999"], "error: --ignore: unknown rule 'PS999'"),
    (["--config", "nowhere.toml"], "error: nowhere.toml: config file not found"),
])
def test_could_not_run_exits_2(args: list[str], message: str) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_unparseable_news_exits_2(tmp_path: Path) -> None:
    bib = tmp_path / "p.bib"
    bib.write_text("")
    news = tmp_path / "n.yaml"
    news.write_text("- date: [\n")
    result = invoke(["--bib", str(bib), "--news", str(news)])
    assert result.exit_code == 2 and f"{news}:" in result.stderr


def test_render_ignore_flag_silences_its_warnings(tmp_path: Path) -> None:
    bib = tmp_path / "p.bib"
    bib.write_text("@article{k, title={T}, author={He, Shiqi}, journal={Nature}, year={2020}, doi={n/a}}\n")
    args = ["render", "--bib", str(bib), "--format", "json", "--strict"]
    loud = CliRunner().invoke(cli, args)
    assert loud.exit_code == 1 and "[PS302]" in loud.stderr
    quiet = CliRunner().invoke(cli, [*args, "--ignore", "PS302"])
    assert quiet.exit_code == 0 and "PS302" not in quiet.stderr


def test_list_rules_prints_the_catalogue() -> None:
    result = invoke(["--list-rules"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(RULES)


def test_readme_rule_table_matches_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(PS\d{3})` \| (error|warning) \| (.+?) \|$", readme, re.MULTILINE)
    assert rows == [(rule.code, rule.level, rule.summary) for rule in RULES.values()]
