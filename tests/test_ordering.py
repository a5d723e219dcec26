"""Display order, and the venue rank that orders entries of the same year and month."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pubsite.cli import cli
from pubsite.config import Config, load_config
from pubsite.site import render_site

BIB = """\
@inproceedings{ws, title={Workshop Paper}, author={Doe, Jane}, year=2023, month=jul,
  booktitle={Proceedings of the 1st Workshop on Obscure Things}}
@inproceedings{nips, title={NeurIPS Paper}, author={Doe, Jane}, year=2023, month=jul,
  booktitle={Advances in Neural Information Processing Systems}}
@inproceedings{icml, title={ICML Paper}, author={Doe, Jane}, year=2023, month=jul,
  booktitle={Proceedings of the 40th International Conference on Machine Learning}}
@inproceedings{aaai, title={AAAI Paper}, author={Doe, Jane}, year=2023, month=jul,
  booktitle={Proceedings of the AAAI Conference on Artificial Intelligence}}
@inproceedings{later, title={Later ICLR}, author={Doe, Jane}, year=2023, month=dec,
  booktitle={International Conference on Learning Representations}}
@inproceedings{older, title={Older ICML}, author={Doe, Jane}, year=2022, month=dec,
  booktitle={International Conference on Machine Learning}}
"""


def keys(tmp_path: Path, rank: tuple[str, ...]) -> list[str]:
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    result = render_site(Config(bib=(str(path),), news=None, format="json", venue_rank=rank, cache_dir=None))
    return [p["key"] for p in json.loads(result.text)["publications"]]


@pytest.mark.parametrize(
    "rank, expected",
    [
        # No rank: same month goes by the venue as displayed.
        ((), ["later", "aaai", "nips", "icml", "ws", "older"]),
        # Ranked venues first, in the order given, then the rest by venue.
        (("ICML", "NeurIPS"), ["later", "icml", "nips", "aaai", "ws", "older"]),
        (("NeurIPS",), ["later", "nips", "aaai", "icml", "ws", "older"]),
        # Short names match whatever their case; unknown names and repeats do no harm.
        (("neurips", "NoSuchVenue", "icml", "NeurIPS"), ["later", "nips", "icml", "aaai", "ws", "older"]),
        # The rank never beats the date: December's ICLR stays above July's ICML,
        # and 2022's ICML below all of 2023.
        (("ICML", "NeurIPS", "ICLR"), ["later", "icml", "nips", "aaai", "ws", "older"]),
    ],
)
def test_venue_rank_orders_within_a_month(tmp_path: Path, rank: tuple[str, ...], expected: list[str]) -> None:
    assert keys(tmp_path, rank) == expected


def test_venue_rank_from_config_file_and_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "pubsite.toml").write_text('bib = "refs.bib"\nnews = false\nvenue_rank = ["NeurIPS", "ICML"]\n')
    assert load_config(cwd=str(tmp_path)).venue_rank == ("NeurIPS", "ICML")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["render", "--format", "json", "--venue-rank", "ICML", "-q"])
    assert result.exit_code == 0, result.output
    # The flag replaces the file's list.
    assert [p["key"] for p in json.loads(result.stdout)["publications"]][:3] == ["later", "icml", "aaai"]


def test_venue_rank_must_be_a_list_of_names(tmp_path: Path) -> None:
    (tmp_path / "pubsite.toml").write_text("venue_rank = 3\n")
    from pubsite.errors import ConfigError

    with pytest.raises(ConfigError, match="venue_rank"):
        load_config(cwd=str(tmp_path))
