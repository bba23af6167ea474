"""Jaccard overlap of the top of the list, on three households."""

from __future__ import annotations

from monitoring.overlap import jaccard


def test_two_of_four_households_shared_is_one_half():
    assert jaccard({"a", "b", "c"}, {"b", "c", "d"}) == 0.5


def test_the_same_list_is_one():
    assert jaccard(["a", "b", "c"], ["c", "b", "a"]) == 1.0


def test_disjoint_lists_are_zero():
    assert jaccard({"a", "b", "c"}, {"d", "e", "f"}) == 0.0


def test_two_empty_lists_have_no_overlap_to_speak_of():
    assert jaccard(set(), set()) is None
