"""Config: defaults < file < flags, and every mistake reported with a suggestion."""

from __future__ import annotations

from pathlib import Path

import pytest

from pubsite.config import Config, load_config
from pubsite.errors import ConfigError


def test_no_config_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(cwd=str(tmp_path))
    assert config == Config()


def test_file_then_flags(tmp_path: Path) -> None:
    (tmp_path / "pubsite.toml").write_text('owner = "Shiqi He"\nformat = "page"\nbib = ["a.bib", "b.bib"]\n')
    config = load_config(cwd=str(tmp_path))
    assert config.owner == ("Shiqi He",)
    assert config.format == "page"
    assert config.bib == (str(tmp_path / "a.bib"), str(tmp_path / "b.bib"))
    flagged = load_config(cwd=str(tmp_path), overrides={"format": "json", "owner": (), "news": None})
    assert flagged.format == "json"
    assert flagged.owner == ("Shiqi He",)  # an empty repeatable flag does not clobber the file


def test_paths_in_a_config_elsewhere_are_relative_to_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "pubsite.toml").write_text('bib = "refs.bib"\nnews = "news.yaml"\n')
    config = load_config(str(site / "pubsite.toml"))
    assert config.bib == (str(site / "refs.bib"),)
    assert config.news == str(site / "news.yaml")


def test_pyproject_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.pubsite]\nowner = ["A B", "B, A"]\n')
    assert load_config(cwd=str(tmp_path)).owner == ("A B", "B, A")


def test_pyproject_without_table_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(cwd=str(tmp_path)) == Config()


def test_unknown_keys_all_reported_with_suggestions(tmp_path: Path) -> None:
    path = tmp_path / "pubsite.toml"
    path.write_text('owner = "A"\nowners = "B"\n\nfromat = "page"\n')
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    message = str(info.value)
    assert f"{path}:2: unknown setting 'owners' (did you mean 'owner'?)" in message
    assert f"{path}:4: unknown setting 'fromat' (did you mean 'format'?)" in message


@pytest.mark.parametrize(
    "text, fragment",
    [
        ('format = "pdf"', "'format' must be one of fragment, page, markdown, json"),
        ("strict = 1", "'strict' must be true or false"),
        ('news_limit = "3"', "'news_limit' must be a whole number"),
        ("owner = 3", "'owner' must be a string or a list of strings"),
        ('[venues.ICML]\nnmae = "x"', "unknown venue setting 'nmae' in [venues.ICML] (did you mean 'name'?)"),
    ],
)
def test_bad_values(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "pubsite.toml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    assert fragment in str(info.value)


def test_invalid_toml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "pubsite.toml"
    path.write_text('owner = "A"\nformat = \n')
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    assert str(info.value).startswith(f"{path}:2: invalid TOML")


def test_venues_table(tmp_path: Path) -> None:
    path = tmp_path / "pubsite.toml"
    path.write_text('[venues]\nMyConf = "My Conference"\n[venues.EMNLP]\nname = "Empirical Methods in NLP"\n'
                    'aliases = ["EMNLP Industry"]\n')
    config = load_config(str(path))
    assert config.venue_aliases == {"MyConf": "MyConf", "My Conference": "MyConf", "EMNLP": "EMNLP",
                                    "Empirical Methods in NLP": "EMNLP", "EMNLP Industry": "EMNLP"}
    assert config.venue_names == {"MyConf": "My Conference", "EMNLP": "Empirical Methods in NLP"}
