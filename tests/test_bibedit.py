"""Editing one entry in its author's own style; locating entries in the file's own bytes."""

from __future__ import annotations

import pytest

from pubsite import bib
from pubsite.bibedit import EntryEditor
from pubsite.bibspan import LineMap, locate, scan_entry


def edit(text: str, *changes: tuple[str, ...]) -> str:
    entry = scan_entry(text)
    assert entry is not None
    editor = EntryEditor(entry, {})
    for change in changes:
        if change[0] == "set":
            editor.set(change[1], change[2])
        elif change[0] == "remove":
            editor.remove(change[1])
        elif change[0] == "replace":
            editor.replace(change[1], change[2], change[3])
        elif change[0] == "type":
            editor.set_type(change[1])
        elif change[0] == "key":
            editor.set_key(change[1])
    return editor.render()


@pytest.mark.parametrize(
    "before, changes, after",
    [
        # Google Scholar: two spaces, key={value}, no trailing comma.
        ("@article{a,\n  title={T},\n  year={2020}\n}",
         [("set", "pages", "1--2")],
         "@article{a,\n  title={T},\n  year={2020},\n  pages={1--2}\n}"),
        # DBLP: column-aligned names, a continuation line left alone.
        ("@article{DBLP:x,\n  author       = {A and\n                  B},\n  year         = {2024}\n}",
         [("set", "doi", "10.1/x")],
         "@article{DBLP:x,\n  author       = {A and\n                  B},\n  year         = {2024},\n"
         "  doi          = {10.1/x}\n}"),
        # arXiv 2024: six spaces, "}, " with a trailing space, a trailing comma.
        ("@misc{k,\n      title={T}, \n      url={https://arxiv.org/abs/1}, \n}",
         [("set", "pages", "3")],
         "@misc{k,\n      title={T}, \n      url={https://arxiv.org/abs/1}, \n      pages={3}, \n}"),
        # ACL Anthology: quotes, bare month macro, trailing comma.
        ('@inproceedings{a-2024,\n    title = "T",\n    month = aug,\n    year = "2024",\n}',
         [("set", "pages", "1--9")],
         '@inproceedings{a-2024,\n    title = "T",\n    month = aug,\n    year = "2024",\n    pages = "1--9",\n}'),
        # IEEE: upper-case type and names get upper-case new names.
        ("@INPROCEEDINGS{4712575,\n  AUTHOR={A},\n  TITLE={T}}",
         [("set", "doi", "10.1/x")],
         "@INPROCEEDINGS{4712575,\n  AUTHOR={A},\n  TITLE={T},\n  DOI={10.1/x}}"),
        # Tabs (Zotero).
        ("@article{z,\n\ttitle = {T},\n\tyear = {2019}\n}",
         [("set", "volume", "4")],
         "@article{z,\n\ttitle = {T},\n\tyear = {2019},\n\tvolume = {4}\n}"),
        # All on one line.
        ("@misc{k, title={X}, year=2020}",
         [("set", "year", "2021"), ("set", "note", "n")],
         "@misc{k, title={X}, year=2021, note={n}}"),
        # CRLF stays CRLF.
        ("@article{a,\r\n  title={T},\r\n  year={2020}\r\n}",
         [("set", "pages", "1")],
         "@article{a,\r\n  title={T},\r\n  year={2020},\r\n  pages={1}\r\n}"),
        # A preprint's journal line becomes the booktitle, in place; the type follows the case used.
        ("@Article{s,\n  title={T},\n  journal={arXiv preprint arXiv:2204.06787},\n  year={2022}\n}",
         [("type", "inproceedings"), ("replace", "journal", "booktitle", "DAC")],
         "@Inproceedings{s,\n  title={T},\n  booktitle={DAC},\n  year={2022}\n}"),
        # Removing the last field moves the closing text, not the trailing-comma habit.
        ("@article{a,\n  title={T},\n  volume={abs/1},\n  year={2020},\n  note={x}\n}",
         [("remove", "volume"), ("remove", "note")],
         "@article{a,\n  title={T},\n  year={2020}\n}"),
        ("@article{a,\n  volume={abs/1},\n  title={T}\n}",
         [("remove", "volume")],
         "@article{a,\n  title={T}\n}"),
        # A key that clashes is renamed in the head only.
        ("@misc{smith2020,\n  title={smith2020}\n}", [("key", "smith2020a")],
         "@misc{smith2020a,\n  title={smith2020}\n}"),
        # An entry with no fields at all.
        ("@misc{k}", [("set", "title", "T"), ("set", "year", "2020")],
         "@misc{k,\n  title = {T},\n  year = {2020}\n}"),
        # Nothing to change: the very same text.
        ("@article{a,\n  title={T}\n}", [("set", "title", "T")], "@article{a,\n  title={T}\n}"),
    ],
    ids=["scholar", "dblp", "arxiv", "acl", "ieee", "tabs", "one-line", "crlf", "replace", "remove-last",
         "remove-first", "rename", "no-fields", "unchanged"],
)
def test_edit_in_the_entry_style(before: str, changes: list[tuple[str, ...]], after: str) -> None:
    assert edit(before, *changes) == after
    entries, problems = bib.parse_text(after.replace("\r\n", "\n"), "t.bib")
    assert len(entries) == 1 and [p for p in problems if p.level == "error"] == []


@pytest.mark.parametrize(
    "text",
    [
        "@article{a, title={T} year={2020}}",      # missing comma
        "@article{a, title={T}",                    # not closed
        "@article{a,\n  % a comment inside\n  title={T}\n}",
        "not an entry",
    ],
)
def test_unusual_text_is_not_edited(text: str) -> None:
    assert scan_entry(text) is None


def test_locate_finds_entries_mid_line_and_in_crlf_files() -> None:
    original = ("% header\r\n@string{x = {X}}\r\n@article{a,\r\n  title={A}\r\n}@misc{b, title={B}}\r\n"
                "\r\n@book{c,\r\n  title = x # {!}\r\n}\r\n")
    norm = LineMap(original).normalised
    entries, problems = bib.parse_text(norm, "t.bib")
    assert problems == []
    spans = locate(original, entries)
    found = {entries[i].key: original[s:e] for i, (s, e) in spans.items()}
    assert found == {
        "a": "@article{a,\r\n  title={A}\r\n}",
        "b": "@misc{b, title={B}}",
        "c": "@book{c,\r\n  title = x # {!}\r\n}",
    }
    scanned = scan_entry(found["c"])
    assert scanned is not None and scanned.fields[0].value_text(found["c"]) == "x # {!}"
