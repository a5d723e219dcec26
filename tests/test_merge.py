"""``import``: what a user sees in their bib file after pasting an export in.

Exports are real (Scholar, DBLP, arXiv; tests/data/import/), targets are the
shipped data/publications.bib or a hand-kept file with a preprint in it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pubsite import bib
from pubsite.bibspan import LineMap, locate
from pubsite.errors import PubsiteError
from pubsite.merge import ImportPlan, Source, TargetNotClean, import_files, plan_import, read_source
from pubsite.names import Owners
from pubsite.publications import build

from .conftest import DATA, ROOT

IMPORT = DATA / "import"
SHIPPED = ROOT / "data" / "publications.bib"


def export(name: str) -> Source:
    return read_source(str(IMPORT / name))[0]


def copy(tmp_path: Path, source: Path, name: str = "publications.bib") -> Path:
    target = tmp_path / name
    shutil.copyfile(source, target)
    return target


def entries_of(text: str) -> dict[str, bib.RawEntry]:
    entries, problems = bib.parse_text(LineMap(text).normalised, "t.bib")
    return {e.key: e for e in entries}


def spans_of(text: str) -> dict[str, str]:
    """Each entry's exact text in the file (with its own line endings)."""
    entries, _ = bib.parse_text(LineMap(text).normalised, "t.bib")
    found = locate(text, entries)
    return {entries[i].key: text[s:e] for i, (s, e) in found.items()}


def assert_only_changed(old: str, new: str, changed: set[str]) -> None:
    """Everything but the ``changed`` entries is byte-identical, and new entries come last."""
    old_spans, new_spans = spans_of(old), spans_of(new)
    for key, text in old_spans.items():
        if key not in changed:
            assert new_spans[key] == text, key
    masked_old, masked_new = old, new
    for key in changed & set(old_spans):
        masked_old = masked_old.replace(old_spans[key], f"<{key}>")
        masked_new = masked_new.replace(new_spans[key], f"<{key}>")
    assert masked_new.startswith(masked_old)


def publication(text: str, key: str):
    pub, _ = build(entries_of(text)[key], Owners.from_names(["Shiqi He"]), aliases={},
                   venue_names={}, file_base="/assets/pdf/")
    return pub


def report(plan: ImportPlan) -> list[str]:
    return [str(o) for o in plan.outcomes]


# -- outcomes -------------------------------------------------------------


@pytest.mark.parametrize(
    "target, exports, expected",
    [
        # The owner's whole Scholar profile, again: everything is already there.
        (SHIPPED, ["scholar-he.bib"], [
            "skipped yan2025fedfetch: same as yan2025fedfetch (same title)",
            "skipped jiang2024lotto: same as jiang2024lotto (same title)",
            "skipped wu2023anchor: same as wu2023anchor (same title)",
            "skipped he2023gluefl: same as he2023gluefl (same title)",
            "skipped ramamonjison2022augmenting: same as ramamonjison2022augmenting (same title)",
            "skipped wu2022sign: same as wu2022sign (same title)",
            "skipped wu2020convergence: same as wu2020convergence (same arXiv id)",
        ]),
        # DBLP's two records of GlueFL: the preprint is skipped, the paper completes ours.
        (SHIPPED, ["dblp-gluefl.bib"], [
            "skipped DBLP:journals/corr/abs-2212-01523: preprint of he2023gluefl, "
            "which is already there as published",
            "updated he2023gluefl: publisher (from DBLP:conf/mlsys/HeYWWLB23, same title)",
        ]),
        (SHIPPED, ["arxiv-gluefl.bib"], [
            "skipped he2023glueflreconcilingclientsampling: preprint of he2023gluefl, "
            "which is already there as published",
        ]),
        # A hand-kept file from before GlueFL and Sign Bit were published.
        (IMPORT / "preprints.bib", ["dblp-gluefl.bib"], [
            "skipped DBLP:journals/corr/abs-2212-01523: same as he2022gluefl (same arXiv id)",
            "superseded preprint he2022gluefl by DBLP:conf/mlsys/HeYWWLB23: type, journal, "
            "booktitle, year, publisher, eprint, archiveprefix",
        ]),
        # Scholar's profile export repeats one paper under two name splits.
        (SHIPPED, ["google-scholar.bib"], [
            "added ajallooeian2010comparative", "added ruckertprinciples", "added shaj2022hidden",
            "added peter2024lens", "added huttenrauch2022regret", "added liu2024retrospective",
            "added beik2024neural",
            "skipped mohammadi2023neural: same as beik2024neural (same title)",
        ]),
    ],
    ids=["scholar-again", "dblp-gluefl", "arxiv-gluefl", "dblp-supersedes", "scholar-new"],
)
def test_outcomes(tmp_path: Path, target: Path, exports: list[str], expected: list[str]) -> None:
    path = copy(tmp_path, target)
    plan = plan_import(str(path), [export(name) for name in exports])
    assert report(plan) == expected


def test_dblp_export_of_gluefl_does_not_duplicate_it(tmp_path: Path) -> None:
    path = copy(tmp_path, SHIPPED)
    old = path.read_text()
    import_files(str(path), [export("dblp-gluefl.bib"), export("arxiv-gluefl.bib")])
    new = path.read_text()
    titles = [e.get("title", "").lower() for e in entries_of(new).values()]
    assert sum("gluefl" in t for t in titles) == 1
    assert_only_changed(old, new, {"he2023gluefl"})
    # The user's own lines of that entry are all still there, in order.
    old_lines = spans_of(old)["he2023gluefl"].splitlines()
    new_lines = spans_of(new)["he2023gluefl"].splitlines()
    assert [line for line in new_lines if line.rstrip(",") in {l.rstrip(",") for l in old_lines}] == \
        [l if l in new_lines else l + "," for l in old_lines]
    assert "  publisher={mlsys.org}" in new_lines


def test_new_entries_go_to_the_end_in_export_order(tmp_path: Path) -> None:
    path = copy(tmp_path, SHIPPED)
    old = path.read_text()
    plan = import_files(str(path), [export("google-scholar.bib"), export("arxiv.bib")])
    new = path.read_text()
    assert_only_changed(old, new, set())
    keys = list(entries_of(new))
    added = [o.key for o in plan.outcomes if o.action == "added"]
    assert keys == list(entries_of(old)) + added
    assert added[:2] == ["ajallooeian2010comparative", "ruckertprinciples"]
    assert added[-1] == "cohngordon2018pragmatically"
    # Added entries are the export's text, verbatim (here: arXiv's trailing ", " and comma).
    assert spans_of(new)["he2023debertav3improvingdebertausing"] == \
        spans_of(export("arxiv.bib").text)["he2023debertav3improvingdebertausing"]
    # ...separated by one blank line from what was there.
    assert new.startswith(old + "\n@article{ajallooeian2010comparative,")


def test_superseded_preprint_keeps_key_user_fields_and_arxiv_link(tmp_path: Path) -> None:
    path = copy(tmp_path, IMPORT / "preprints.bib")
    old = path.read_text()
    plan = import_files(str(path), [export("scholar-he.bib")])
    new = path.read_text()
    assert "superseded preprint he2022gluefl by he2023gluefl: journal, year, volume, eprint, " \
           "archiveprefix" in report(plan)
    assert "superseded preprint wu2022sign by wu2022sign: type, journal, booktitle, pages, eprint, " \
           "archiveprefix" in report(plan)
    assert_only_changed(old, new, {"he2022gluefl", "wu2022sign"})
    gluefl = entries_of(new)["he2022gluefl"].field_dict
    assert gluefl["journal"] == "Proceedings of Machine Learning and Systems"
    assert (gluefl["year"], gluefl["volume"]) == ("2023", "5")
    # Every field the user added survives, untouched.
    for name, value in entries_of(old)["he2022gluefl"].fields:
        if name not in ("journal", "year"):
            assert gluefl[name] == value, name
    pub = publication(new, "he2022gluefl")
    assert (pub.status, pub.venue_short, pub.year, pub.selected) == ("published", "MLSys", 2023, True)
    assert pub.links.arxiv == "2212.01523"
    assert pub.links.code == "https://github.com/example/gluefl"
    # The equal-contribution marks the user typed are kept over Scholar's plain names.
    sign = publication(new, "wu2022sign")
    assert [a.equal for a in sign.authors][:3] == [True, True, False]
    assert (sign.type, sign.venue_short, sign.status) == ("inproceedings", "DAC", "published")
    assert sign.links.arxiv == "2204.06787"
    # The preprint's venue line was replaced in place, not moved to the end.
    assert "  booktitle={Proceedings of the 59th ACM/IEEE Design Automation Conference},\n  year={2022}," \
        in spans_of(new)["wu2022sign"]


def test_preprint_superseded_by_dblp_record_in_dblp_style_target(tmp_path: Path) -> None:
    """A DBLP-kept bib gets new lines in DBLP's column-aligned style."""
    target = tmp_path / "dblp.bib"
    corr = spans_of(export("dblp-gluefl.bib").text)["DBLP:journals/corr/abs-2212-01523"]
    target.write_text("% kept with DBLP exports\n\n" + corr + "\n")
    published = Source("mlsys.bib", "\n".join(
        line for line in export("dblp-gluefl.bib").text.splitlines()) + "\n")
    plan = import_files(str(target), [published])
    new = target.read_text()
    assert [o.action for o in plan.outcomes] == ["skipped", "superseded"]
    entry = spans_of(new)["DBLP:journals/corr/abs-2212-01523"]
    assert entry.startswith("@inproceedings{DBLP:journals/corr/abs-2212-01523,\n  author       = {Shiqi He and\n")
    assert "  booktitle    = {Proceedings of the Sixth Conference on Machine Learning and Systems, " \
           "MLSys 2023, Miami, FL, USA, June 4-8, 2023},\n" in entry
    assert "volume" not in entries_of(new)["DBLP:journals/corr/abs-2212-01523"].field_dict
    pub = publication(new, "DBLP:journals/corr/abs-2212-01523")
    assert (pub.status, pub.venue_short, pub.links.arxiv) == ("published", "MLSys", "2212.01523")


def test_same_title_different_paper_is_not_merged(tmp_path: Path) -> None:
    target = tmp_path / "p.bib"
    target.write_text("@phdthesis{he2025efficient,\n  title={Efficient Federated Learning},\n"
                      "  author={He, Shiqi},\n  school={University of Michigan},\n  year={2025}\n}\n")
    incoming = Source("scholar.bib", "@article{he2025efficient,\n  title={Efficient federated learning},\n"
                      "  author={Smith, John and Doe, Jane},\n  journal={Journal of Things},\n"
                      "  year={2025}\n}\n")
    plan = import_files(str(target), [incoming])
    assert report(plan) == ["added he2025efficienta (the export's key 'he2025efficient' belongs to "
                            "another paper)"]
    entries = entries_of(target.read_text())
    assert list(entries) == ["he2025efficient", "he2025efficienta"]
    assert entries["he2025efficient"].get("author") == "He, Shiqi"


def test_same_title_and_authors_at_another_venue_is_reported_not_merged(tmp_path: Path) -> None:
    target = copy(tmp_path, SHIPPED)
    old = target.read_text()
    workshop = Source("scholar.bib", "@inproceedings{wu2023anchor,\n  title={Anchor sampling for federated "
                      "learning with partial client participation},\n  author={Wu, Feijie and Guo, Song},\n"
                      "  booktitle={Advances in Neural Information Processing Systems},\n"
                      "  pages={1--9},\n  year={2022}\n}\n")
    plan = import_files(str(target), [workshop])
    assert report(plan) == ["skipped wu2023anchor: same title and authors as wu2023anchor but another venue "
                            "(ICML vs NeurIPS); add it by hand if it is a separate publication"]
    assert target.read_text() == old


@pytest.mark.parametrize(
    "existing, expected",
    [
        ({"wu2020convergence"}, "wu2020convergencea"),
        ({"wu2020convergence", "wu2020convergencea"}, "wu2020convergenceb"),
        ({"Wu2020Convergence"}, "wu2020convergencea"),
        ({"smith2020"} | {f"smith2020{chr(c)}" for c in range(ord("a"), ord("z") + 1)}, "smith2020aa"),
    ],
)
def test_key_clash_gets_a_suffix(tmp_path: Path, existing: set[str], expected: str) -> None:
    target = tmp_path / "p.bib"
    target.write_text("".join(f"@misc{{{key},\n  title={{Paper {n}}},\n  year={{2001}}\n}}\n\n"
                              for n, key in enumerate(sorted(existing))))
    key = expected.rstrip("ab") if expected.startswith("wu") else "smith2020"
    incoming = Source("s.bib", f"@article{{{key},\n  title={{A Different Paper}},\n  author={{Wu, Xiao}},\n"
                      "  journal={Journal of Things},\n  year={2020}\n}\n")
    plan = import_files(str(target), [incoming])
    assert [o.key for o in plan.outcomes] == [expected]
    assert expected in entries_of(target.read_text())


# -- writing --------------------------------------------------------------


def test_second_import_changes_nothing(tmp_path: Path) -> None:
    path = copy(tmp_path, IMPORT / "preprints.bib")
    sources = [export(n) for n in ("scholar-he.bib", "dblp-gluefl.bib", "google-scholar.bib", "dblp.bib",
                                   "arxiv.bib", "arxiv-gluefl.bib")]
    first = import_files(str(path), sources)
    assert first.changed
    after_first = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    second = import_files(str(path), sources)
    assert not second.changed
    assert {o.action for o in second.outcomes} == {"skipped"}
    assert path.read_bytes() == after_first
    assert path.stat().st_mtime_ns == mtime


def test_crlf_target_stays_crlf(tmp_path: Path) -> None:
    path = tmp_path / "p.bib"
    crlf = (IMPORT / "preprints.bib").read_text().replace("\n", "\r\n")
    path.write_bytes(crlf.encode())
    import_files(str(path), [export("scholar-he.bib")])
    data = path.read_bytes().decode()
    assert data.count("\n") == data.count("\r\n") > crlf.count("\r\n")
    assert_only_changed(crlf, data, {"he2022gluefl", "wu2022sign"})
    assert "selected={true},\r\n  journal={Proceedings" not in data
    assert "  pages={193--198},\r\n" in data


def test_bom_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "p.bib"
    path.write_bytes(b"\xef\xbb\xbf" + SHIPPED.read_bytes())
    import_files(str(path), [export("google-scholar.bib")])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf% Publications") and data.count(b"\xef\xbb\xbf") == 1


def test_missing_target_is_created(tmp_path: Path) -> None:
    path = tmp_path / "data" / "publications.bib"
    plan = import_files(str(path), [export("arxiv.bib")])
    assert plan.count("added") == 8
    assert list(entries_of(path.read_text()))[0] == "he2023debertav3improvingdebertausing"


def test_dry_run_writes_nothing_and_shows_a_diff(tmp_path: Path) -> None:
    path = copy(tmp_path, IMPORT / "preprints.bib")
    old = path.read_bytes()
    plan = import_files(str(path), [export("dblp-gluefl.bib")], dry_run=True)
    assert path.read_bytes() == old
    assert plan.changed
    diff = plan.diff()
    assert "-@article{he2022gluefl,\n+@inproceedings{he2022gluefl,\n" in diff
    assert "+  publisher={mlsys.org},\n" in diff


# -- safety ---------------------------------------------------------------

GOOD_ENTRY = """\
@article{good2020,
  title={Good},
  author={Doe, Jane},
  journal={Journal of Things},
  year={2020}
}

"""
BROKEN_TARGETS = [
    # A missing comma between fields: read on by guessing (PS502), still not clean enough to rewrite.
    (GOOD_ENTRY + "@article{broken,\n  title={Broken} year={2020},\n}\n", "comma missing after field 'title'"),
    # A missing closing brace: the block cannot be read at all.
    (GOOD_ENTRY + "@article{broken,\n  title={Broken,\n  year={2020}\n}\n", "cannot parse entry"),
    # The same key twice: which one would an edit change?
    (GOOD_ENTRY + GOOD_ENTRY, "duplicate key 'good2020'"),
    # A missing '=': the parser reads a repaired copy, whose text is not in the file.
    (GOOD_ENTRY + "@article{slip,\n  title{Slip},\n  year={2020}\n}\n", "'=' missing after field 'title'"),
]


def first_problem_line(text: str) -> int:
    """The line the parser itself names for the first problem: the refusal must name the same."""
    return min(p.line for p in bib.parse_text(text, "t.bib")[1])


@pytest.mark.parametrize("text, message", BROKEN_TARGETS, ids=["comma", "brace", "dup-key", "equals"])
def test_target_that_does_not_parse_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.bib"
    path.write_text(text)
    with pytest.raises(TargetNotClean) as caught:
        import_files(str(path), [export("arxiv.bib")])
    assert str(caught.value).startswith(f"{path}:{first_problem_line(text)}: ")
    assert message in str(caught.value) and "--force" in str(caught.value)
    assert path.read_text() == text


@pytest.mark.parametrize("text, message", BROKEN_TARGETS, ids=["comma", "brace", "dup-key", "equals"])
def test_force_merges_around_the_broken_part(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.bib"
    path.write_text(text)
    plan = import_files(str(path), [export("arxiv.bib")], force=True)
    assert plan.count("added") == 8
    new = path.read_text()
    assert new.startswith(text.rstrip("\n") + "\n\n@misc{he2023debertav3")
    assert new.count("@") == text.count("@") + 8
    assert [p.line for p in plan.problems if message in p.message] == [first_problem_line(text)]


def test_export_with_a_broken_entry_imports_the_good_ones(tmp_path: Path) -> None:
    path = copy(tmp_path, SHIPPED)
    text = export("arxiv.bib").text
    broken = text.replace("      author={Noga Zaslavsky and Jennifer Hu and Roger P. Levy},",
                          "      author={Noga Zaslavsky and Jennifer Hu and Roger P. Levy}  year={2020},")
    assert broken != text
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "Levy}  year" in text)
    plan = import_files(str(path), [Source("pasted.bib", broken)])
    assert plan.count("added") == 7
    assert "skipped zaslavsky2020ratedistortion: not imported, as it does not parse cleanly (see " \
           f"pasted.bib:{line})" in report(plan)
    assert [(p.path, p.line) for p in plan.problems] == [("pasted.bib", line)]
    assert "zaslavsky2020ratedistortion" not in entries_of(path.read_text())


def test_non_utf8_target_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.bib"
    path.write_bytes("@misc{a,\n  title={Caf\u00e9},\n  year={2020}\n}\n".encode("latin-1"))
    with pytest.raises(PubsiteError, match="not UTF-8"):
        import_files(str(path), [export("arxiv.bib")])


def test_dblp_crossref_export_is_inlined(tmp_path: Path) -> None:
    path = tmp_path / "p.bib"
    plan = import_files(str(path), [export("dblp.bib")])
    assert "skipped DBLP:conf/stoc/2024: proceedings volume cited by crossref; its fields are copied " \
           "into the papers that cite it" in report(plan)
    entry = entries_of(path.read_text())["DBLP:conf/stoc/HakoniemiLT24"].field_dict
    assert "crossref" not in entry
    assert entry["publisher"] == "{ACM}"
    assert entry["editor"] == "Bojan Mohar and Igor Shinkar and Ryan O'Donnell"
    assert "DBLP:conf/stoc/2024" not in entries_of(path.read_text())


def test_export_macros_are_expanded_in_added_entries(tmp_path: Path) -> None:
    path = tmp_path / "p.bib"
    incoming = Source("acl.bib", '@string{emnlp = "Proceedings of EMNLP"}\n'
                      '@inproceedings{x2020y,\n    title = "A Title",\n    booktitle = emnlp # " 2020",\n'
                      '    month = nov,\n    year = "2020",\n}\n')
    import_files(str(path), [incoming])
    text = path.read_text()
    assert '    booktitle = "Proceedings of EMNLP 2020",\n    month = nov,\n' in text
    _, problems = bib.parse_text(text, "p.bib")
    assert problems == []


# -- any target, any export -----------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

POOL = sorted({key: text for name in ("google-scholar.bib", "dblp.bib", "arxiv.bib", "scholar-he.bib",
                                      "dblp-gluefl.bib", "arxiv-gluefl.bib", "preprints.bib")
               for key, text in spans_of((IMPORT / name).read_text()).items()
               if "crossref" not in text and "@string" not in text and "infocom" not in text}.items())
GAPS = ["\n\n", "\n", "\n% a note of mine\n\n", "\n\n\n", " "]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.lists(st.sampled_from(POOL), unique_by=lambda kv: kv[0], max_size=8),
       gaps=st.lists(st.sampled_from(GAPS), min_size=9, max_size=9),
       incoming=st.lists(st.sampled_from(POOL), unique_by=lambda kv: kv[0], min_size=1, max_size=8),
       crlf=st.booleans())
def test_any_import_changes_only_what_it_reports(tmp_path: Path, target: list, gaps: list, incoming: list,
                                                 crlf: bool) -> None:
    old = "% my bib\n" + "".join(text + gap for (_, text), gap in zip(target, gaps))
    if crlf:
        old = old.replace("\n", "\r\n")
    path = tmp_path / "p.bib"
    path.write_bytes(old.encode())
    export_text = "\n\n".join(text for _, text in incoming) + "\n"
    plan = import_files(str(path), [Source("e.bib", export_text)])
    new = path.read_bytes().decode()
    edited = {o.key for o in plan.outcomes if o.action in ("updated", "superseded")}
    assert_only_changed(old, new, edited)
    assert len(entries_of(new)) == len(entries_of(old)) + plan.count("added")
    assert not any(p.level == "error" for p in bib.parse_text(LineMap(new).normalised, "p.bib")[1])
    if crlf:
        assert new.count("\n") == new.count("\r\n")
    again = import_files(str(path), [Source("e.bib", export_text)])
    assert not again.changed, [str(o) for o in again.outcomes]
