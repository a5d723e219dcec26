"""Sections, the Selected list and filters: which entries a visitor sees, and under which heading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from pubsite.cli import cli
from pubsite.config import load_config
from pubsite.errors import ConfigError

from .htmltools import by_class, dom, render_bib, text

BIB = r"""
@article{j2021, title={Journal 2021}, author={He, Shiqi}, journal={Nature}, year=2021, keywords={Federated Learning; Systems}}
@inproceedings{c2023, title={Conference 2023}, author={He, Shiqi and Wu, Feijie}, booktitle={ICML}, year=2023,
  selected={true}, keywords={federated learning, privacy}}
@misc{p2024, title={Preprint 2024}, author={Wu, Feijie and He, S.}, journal={arXiv preprint arXiv:2401.00001}, year=2024}
@phdthesis{t2022, title={Thesis 2022}, author={He, Shiqi}, school={UBC}, year=2022, selected={yes}}
@misc{o2019, title={Talk 2019}, author={He, Shiqi}, howpublished={Invited talk}, year=2019}
@article{lab2020, title={Lab Mate Paper}, author={Doe, Jane}, journal={Science}, year=2020}
@article{soon, title={Forthcoming Work}, author={He, Shiqi}, journal={Nature}, year={forthcoming}}
@misc{undated, title={Undated Note}, author={He, Shiqi}}
"""
ALL = ["soon", "p2024", "c2023", "t2022", "j2021", "lab2020", "o2019", "undated"]


def shown(tmp_path: Path, **settings: object) -> list[str]:
    """Keys of the entries in the main list, in order."""
    root = dom(render_bib(tmp_path, BIB, **settings).text)
    (section,) = by_class(root, "pubsite-publications", "section")
    return [li.get("id") or "" for li in section.iter("li")]


def headings(tmp_path: Path, **settings: object) -> list[tuple[str, list[str]]]:
    root = dom(render_bib(tmp_path, BIB, **settings).text)
    (section,) = by_class(root, "pubsite-publications", "section")
    out: list[tuple[str, list[str]]] = []
    for child in section:
        if child.tag == "h3":
            out.append((text(child), []))
        elif child.tag == "ul" and out:
            out[-1][1].extend(li.get("id") or "" for li in child.iter("li"))
    return out


def test_flat_by_default(tmp_path: Path) -> None:
    assert shown(tmp_path) == ALL
    assert headings(tmp_path) == []


def test_year_headings(tmp_path: Path) -> None:
    assert headings(tmp_path, group_by="year") == [
        ("forthcoming", ["soon"]), ("2024", ["p2024"]), ("2023", ["c2023"]), ("2022", ["t2022"]),
        ("2021", ["j2021"]), ("2020", ["lab2020"]), ("2019", ["o2019"]), ("Undated", ["undated"])]


@pytest.mark.parametrize("order, expected", [
    ((), ["Journal articles", "Conference papers", "Preprints", "Theses", "Other"]),
    (("preprint", "conference"), ["Preprints", "Conference papers", "Journal articles", "Theses", "Other"]),
    (("other", "thesis", "preprint", "conference", "journal"),
     ["Other", "Theses", "Preprints", "Conference papers", "Journal articles"]),
])
def test_type_sections_in_configured_order(tmp_path: Path, order: tuple[str, ...], expected: list[str]) -> None:
    settings: dict[str, object] = {"group_by": "type"}
    if order:
        settings["type_order"] = order
    groups = headings(tmp_path, **settings)
    assert [h for h, _ in groups] == expected
    assert dict(groups)["Journal articles"] == ["soon", "j2021", "lab2020"]
    assert dict(groups)["Preprints"] == ["p2024"]
    assert dict(groups)["Other"] == ["o2019", "undated"]


def test_selected_section_before_the_full_list(tmp_path: Path) -> None:
    root = dom(render_bib(tmp_path, BIB, show_selected=True, selected_title="Highlights").text)
    sections = [s for s in root.iter("section")]
    assert [s.get("id") for s in sections] == ["selected", "publications"]
    assert text(sections[0].find("h2")) == "Highlights"  # type: ignore[arg-type]
    selected = [text(li.find("strong")) for li in sections[0].iter("li")]  # type: ignore[arg-type]
    assert selected == ["Conference 2023", "Thesis 2022"]
    # The full list still has every entry, and ids stay unique on the page.
    ids = [li.get("id") for li in root.iter("li") if li.get("id")]
    assert ids == ALL and len(set(ids)) == len(ids)


def test_no_selected_section_by_default(tmp_path: Path) -> None:
    assert by_class(dom(render_bib(tmp_path, BIB).text), "pubsite-selected") == []


@pytest.mark.parametrize("settings, expected", [
    ({"year_from": 2021}, ["soon", "p2024", "c2023", "t2022", "j2021"]),
    ({"year_to": 2020}, ["lab2020", "o2019"]),
    ({"year_from": 2021, "year_to": 2022}, ["t2022", "j2021"]),
    ({"types": ("journal",)}, ["soon", "j2021", "lab2020"]),
    ({"types": ("thesis", "preprint")}, ["p2024", "t2022"]),
    ({"keywords": ("federated learning",)}, ["c2023", "j2021"]),
    ({"keywords": ("PRIVACY", "nothing")}, ["c2023"]),
    ({"owner_only": True}, [k for k in ALL if k != "lab2020"]),
    ({"selected_only": True}, ["c2023", "t2022"]),
    ({"owner_only": True, "types": ("journal",), "year_to": 2022}, ["j2021"]),
])
def test_filters(tmp_path: Path, settings: dict[str, object], expected: list[str]) -> None:
    assert shown(tmp_path, **settings) == expected


def test_filters_apply_to_every_format(tmp_path: Path) -> None:
    data = json.loads(render_bib(tmp_path, BIB, format="json", types=("thesis",)).text)
    assert [p["key"] for p in data["publications"]] == ["t2022"]
    assert data["publications"][0]["kind"] == "thesis"


def test_owner_only_needs_an_owner(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'owner_only' needs the owner's name"):
        render_bib(tmp_path, BIB, owner=(), owner_only=True)


@pytest.mark.parametrize("text_, message", [
    ('types = ["journal", "book"]', "'types' entries must be among journal, conference, preprint, thesis, other, not 'book'"),
    ('type_order = "journal"', None),
    ("year_from = -1", "'year_from' must be a whole number >= 0"),
    ('keywords = [1]', "'keywords' must be a string or a list of strings"),
])
def test_filter_settings_are_checked(tmp_path: Path, text_: str, message: str | None) -> None:
    (tmp_path / "pubsite.toml").write_text(text_ + "\n")
    if message is None:
        assert load_config(cwd=str(tmp_path)).type_order == ("journal",)
        return
    with pytest.raises(ConfigError) as info:
        load_config(cwd=str(tmp_path))
    assert f"pubsite.toml:1: {message}" in str(info.value)


def test_cli_flags(tmp_path: Path, runner: CliRunner, chdir: Callable[[Path], None]) -> None:
    chdir(tmp_path)  # no pubsite.toml of the folder the tests run in
    bib = tmp_path / "p.bib"
    bib.write_text(BIB)
    args = ["render", "--bib", str(bib), "--news", str(tmp_path / "none.yaml"), "--owner", "Shiqi He", "-q",
            "--format", "json"]
    (tmp_path / "none.yaml").write_text("[]\n")

    def keys(*flags: str) -> list[str]:
        result = runner.invoke(cli, args + list(flags), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return [p["key"] for p in json.loads(result.stdout)["publications"]]

    assert keys("--year-from", "2022", "--year-to", "2023") == ["c2023", "t2022"]
    assert keys("--type", "journal", "--type", "thesis", "--owner-only") == ["soon", "t2022", "j2021"]
    assert keys("--keyword", "Systems") == ["j2021"]
    result = runner.invoke(cli, args + ["--type", "book"])
    assert result.exit_code == 2 and "'book' is not one of" in result.output
    result = runner.invoke(cli, args[:-2] + ["--format", "fragment", "--group-by", "type",
                                             "--type-order", "thesis", "--show-selected"])
    assert result.exit_code == 0
    root = dom(result.stdout)
    assert [text(h) for h in root.iter("h3")][0] == "Theses"
    assert by_class(root, "pubsite-selected-list")


def test_year_range_backwards_is_an_input_error(tmp_path: Path, runner: CliRunner,
                                                chdir: Callable[[Path], None]) -> None:
    chdir(tmp_path)
    bib = tmp_path / "p.bib"
    bib.write_text(BIB)
    result = runner.invoke(cli, ["render", "--bib", str(bib), "--year-from", "2024", "--year-to", "2020"])
    assert result.exit_code == 2
    assert "'year_from' (2024) is after 'year_to' (2020)" in result.output
    assert "Traceback" not in result.output


def test_selected_section_in_markdown(tmp_path: Path) -> None:
    out = render_bib(tmp_path, BIB, format="markdown", show_selected=True).text
    selected = out.split("## Selected publications\n\n")[1].split("\n\n## ")[0]
    assert selected.splitlines() == [
        "- **Conference 2023**, <u><em>Shiqi He</em></u>, Feijie Wu, *International Conference on Machine Learning (ICML 2023)* ([↓](#c2023))",
        "- **Thesis 2022**, <u><em>Shiqi He</em></u>, *UBC 2022* ([↓](#t2022))",
    ]
    assert "## Selected" not in render_bib(tmp_path, BIB, format="markdown").text
