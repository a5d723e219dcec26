"""Formatted pieces parked in temp files come back exactly, from either process of a split."""

from __future__ import annotations

import os
import tempfile

import pytest

from pubsite.parallel import split_map, workers
from pubsite.spill import MIN_PIECES, Spill

TEXTS = ["<li>plain</li>", "Schölkopf — “quotes”", "math 𝒪(n) and emoji 🎉", "", "lone \ud800 surrogate",
         "x" * 70_000]


def test_pieces_come_back_exactly_including_ones_made_in_a_forked_child() -> None:
    items = [TEXTS[i % len(TEXTS)] + str(i) for i in range(max(MIN_PIECES, 1200))]
    spill = Spill(len(items))

    def work(chunk: list[str]) -> list[tuple[int, object]]:
        out = [(os.getpid(), spill.put(text)) for text in chunk]
        spill.flush()
        return out

    made = split_map(work, items)
    assert [spill.get(piece) for _, piece in made] == items
    assert all(isinstance(piece, int) for _, piece in made)  # parked, not kept as text
    if workers() == 2:
        assert len({pid for pid, _ in made}) == 2  # half of them were parked by the child


def test_a_few_pieces_stay_in_memory() -> None:
    spill = Spill(10)
    assert [spill.put(text) for text in TEXTS] == TEXTS
    assert [spill.get(text) for text in TEXTS] == TEXTS


def test_without_a_usable_temp_folder_pieces_stay_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    spill = Spill(MIN_PIECES * 10)
    assert spill.put("kept") == "kept" and spill.get("kept") == "kept"


def test_without_positional_reads_pieces_stay_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows has no os.pread/os.pwrite: parking must not be attempted there.
    monkeypatch.delattr(os, "pread")
    spill = Spill(MIN_PIECES * 10)
    assert spill.put("kept") == "kept" and spill.get("kept") == "kept"  # the text itself, not a place


def test_pieces_read_in_any_order_and_larger_than_a_read_come_back_exactly() -> None:
    items = [TEXTS[i % len(TEXTS)] + str(i) for i in range(MIN_PIECES)] + ["é" * 300_000, "after"]
    spill = Spill(len(items))
    pieces = [spill.put(text) for text in items]
    spill.flush()
    order = list(range(len(items)))[::-1] + list(range(0, len(items), 7)) + list(range(len(items)))
    assert [spill.get(pieces[i]) for i in order] == [items[i] for i in order]
