"""What a night reads of the last published list: who was assigned, and no more."""

from __future__ import annotations

import polars as pl

from outreach.ranked import assigned_on, listed_on
from outreach.report import changes_section


def write_list(folder, frame: pl.DataFrame):
    folder.mkdir(parents=True)
    frame.write_parquet(folder / "ranked.parquet")
    return folder


def test_the_last_lists_assigned_households_are_read_and_the_changes_counted(tmp_path):
    before = write_list(
        tmp_path / "2026-10-29",
        pl.DataFrame(
            {
                "household_key": ["a", "b", "c", "d"],
                "score": [0.9, 0.8, 0.7, 0.1],
                "reasons_ko": [["x"], ["y"], [], []],
                "assigned": [True, True, False, True],
            }
        ),
    )
    read = assigned_on(before)
    assert read.columns == ["household_key", "assigned"]  # not the whole list
    assert listed_on(before) == {"a", "b", "d"}
    tonight = pl.DataFrame(
        {
            "household_key": ["a", "b", "c", "d", "e"],
            "emd_code": ["1"] * 5,
            "score": [0.9, 0.8, 0.7, 0.1, 0.95],
            "tier": [20, 19, 18, 2, 20],
            "exploration": [False] * 5,
            "assigned": [True, False, True, False, True],
            "new_since_last_run": [False, False, True, False, True],
            "excluded_reason": [None, "visited_recently", None, None, None],
        }
    )
    html = changes_section(tonight, read)
    assert "신규 (new): 2 · 제외됨 (dropped off): 2" in html
    assert "visited_recently" in html and "not picked / result in" in html


def test_a_list_from_before_assignments_and_no_list_at_all(tmp_path):
    old = write_list(tmp_path / "old", pl.DataFrame({"household_key": ["a"], "score": [0.5]}))
    assert assigned_on(old).columns == ["household_key"]
    assert listed_on(old) == set() and listed_on(None) == set() and assigned_on(None) is None
