"""The same paper under two keys, as ``render`` shows it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pubsite.config import Config
from pubsite.site import render_site

PREPRINT = """\
% pasted from arXiv
@misc{he2022gluefl,
      title={GlueFL: Reconciling Client Sampling and Model Masking for Bandwidth Efficient Federated Learning},
      author={Shiqi He and Qifan Yan and Feijie Wu and Lanjun Wang and Mathias Lécuyer and Ivan Beschastnikh},
      year={2022},
      eprint={2212.01523},
      archivePrefix={arXiv},
      primaryClass={cs.LG},
      selected={true}
}
"""
PUBLISHED = """\
@inproceedings{he2023gluefl,
  title={Gluefl: Reconciling client sampling and model masking for bandwidth efficient federated learning},
  author={He, Shiqi and Yan, Qifan and Wu, Feijie and Wang, Lanjun and L{\\'e}cuyer, Mathias and Beschastnikh, Ivan},
  booktitle={Proceedings of Machine Learning and Systems},
  year={2023},
  pdf={gluefl.pdf},
  doi={10.1000/mlsys.2023.1}
}
"""
OTHER = """\
@article{other2021, title={Something Else Entirely}, author={Doe, Jane}, journal={Journal of Things}, year={2021}}
"""


def render(tmp_path: Path, files: dict[str, str], fmt: str = "json", **settings: Any):
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    return render_site(Config(bib=tuple(paths), news=None, format=fmt, cache_dir=None, **settings))


def test_preprint_shown_once_under_its_published_version(tmp_path: Path) -> None:
    result = render(tmp_path, {"arxiv.bib": PREPRINT, "pubs.bib": PUBLISHED + OTHER})
    pubs = json.loads(result.text)["publications"]
    assert [p["key"] for p in pubs] == ["he2023gluefl", "other2021"]
    merged = pubs[0]
    assert merged["links"]["arxiv"] == "2212.01523" and merged["links"]["doi"] == "10.1000/mlsys.2023.1"
    assert merged["selected"] is True  # the preprint was selected
    # One warning, on the later entry, naming both places.
    (problem,) = result.problems
    assert (problem.path, problem.line, problem.level, problem.code) == (str(tmp_path / "pubs.bib"), 1,
                                                                         "warning", "PS207")
    assert f"same paper as 'he2022gluefl' at {tmp_path / 'arxiv.bib'}:2" in problem.message
    assert "'he2022gluefl' is shown as the arXiv link of 'he2023gluefl'" in problem.message


def test_merged_entry_shows_the_arxiv_button_between_pdf_and_doi(tmp_path: Path) -> None:
    html = render(tmp_path, {"pubs.bib": PUBLISHED + PREPRINT}, fmt="fragment").text
    assert 'id="he2022gluefl"' not in html and 'id="he2023gluefl"' in html
    assert html.count("https://arxiv.org/abs/2212.01523") == 1
    assert html.index("gluefl.pdf") < html.index("arxiv.org/abs/2212.01523") < html.index("doi.org/10.1000")


def test_keep_preprints_shows_both_and_still_warns(tmp_path: Path) -> None:
    result = render(tmp_path, {"pubs.bib": PREPRINT + PUBLISHED}, merge_preprints=False)
    keys = [p["key"] for p in json.loads(result.text)["publications"]]
    assert sorted(keys) == ["he2022gluefl", "he2023gluefl"]
    assert [p.code for p in result.problems] == ["PS207"]
    assert "shown as the arXiv link" not in result.problems[0].message


@pytest.mark.parametrize(
    "files, shown",
    [
        # Two published versions (Scholar's two spellings of one ICLR paper): both stay, the user decides.
        ({"a.bib": PUBLISHED, "b.bib": PUBLISHED.replace("he2023gluefl", "he2023glueflb")},
         ["he2023gluefl", "he2023glueflb"]),
        # Two preprints (arXiv's and DBLP's record of one id): both stay.
        ({"a.bib": PREPRINT, "b.bib": "@article{DBLP:corr/gluefl, title={GlueFL}, author={Shiqi He},"
                                      " journal={CoRR}, volume={abs/2212.01523}, year={2022}}\n"},
         ["he2022gluefl", "DBLP:corr/gluefl"]),
    ],
)
def test_duplicates_of_one_kind_are_reported_not_merged(tmp_path: Path, files: dict[str, str],
                                                        shown: list[str]) -> None:
    result = render(tmp_path, files)
    assert sorted(p["key"] for p in json.loads(result.text)["publications"]) == sorted(shown)
    assert [p.code for p in result.problems] == ["PS207"]


def test_three_records_of_one_paper_show_as_one(tmp_path: Path) -> None:
    dblp = ("@article{DBLP:corr/gluefl, title={GlueFL: Reconciling Client Sampling and Model Masking for Bandwidth"
            " Efficient Federated Learning}, author={Shiqi He and Qifan Yan}, journal={CoRR},"
            " volume={abs/2212.01523}, year={2022}}\n")
    result = render(tmp_path, {"a.bib": PREPRINT + dblp + PUBLISHED})
    pubs = json.loads(result.text)["publications"]
    assert [(p["key"], p["links"]["arxiv"]) for p in pubs] == [("he2023gluefl", "2212.01523")]
    assert {p.code for p in result.problems} == {"PS207"} and len(result.problems) == 3


def test_published_version_keeps_its_own_arxiv_link(tmp_path: Path) -> None:
    published = PUBLISHED.replace("doi=", "arxiv={2212.01523},\n  doi=")
    result = render(tmp_path, {"a.bib": PREPRINT + published}, fmt="fragment")
    assert result.text.count("arxiv.org/abs/2212.01523") == 1


@pytest.mark.parametrize("volume, codes", [
    ("@proceedings{proc, title={Proceedings of Things}, editor={Poe, Ed}, year=2020, doi={10.1000/proc}}", []),
    # Not shown (no title), yet its DOI is still the volume's, not the papers'.
    ("@proceedings{proc, booktitle={Proceedings of Things}, year=2020, doi={10.1000/proc}}", ["PS201"]),
], ids=["shown volume", "untitled volume"])
def test_papers_sharing_a_proceedings_doi_are_not_duplicates(tmp_path: Path, volume: str,
                                                            codes: list[str]) -> None:
    text = (
        "@inproceedings{p1, title={First Paper}, author={Doe, Jane}, crossref={proc}}\n"
        "@inproceedings{p2, title={Second Paper}, author={Roe, Rick}, crossref={proc}}\n"
        + volume + "\n"
    )
    result = render(tmp_path, {"a.bib": text})
    assert [p.code for p in result.problems] == codes
    assert {"p1", "p2"} <= {p.key for p in result.site.publications}


def test_silencing_the_rule_keeps_the_merge(tmp_path: Path) -> None:
    result = render(tmp_path, {"a.bib": PREPRINT + PUBLISHED}, ignore=("PS207",))
    assert result.problems == ()
    assert [p["key"] for p in json.loads(result.text)["publications"]] == ["he2023gluefl"]


def test_an_id_copied_onto_another_paper_hides_nothing(tmp_path: Path) -> None:
    # Seen in a real bib: a preprint whose eprint is another paper's arXiv id.
    wrong = ("@article{meng2022, title={Internal Language Model Adaptation With Text-Only Data},"
             " author={Zhong Meng and Yashesh Gaur}, journal={arXiv:2110.05354}, year={2022},"
             " archiveprefix={arXiv}, eprint={2212.01523}}\n")
    result = render(tmp_path, {"a.bib": wrong + PUBLISHED.replace("doi=", "arxiv={2212.01523},\n  doi=")})
    keys = [p["key"] for p in json.loads(result.text)["publications"]]
    assert sorted(keys) == ["he2023gluefl", "meng2022"]
    assert [p.code for p in result.problems] == ["PS207"]
    assert "same arXiv id" in result.problems[0].message
