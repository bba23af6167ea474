"""The bench's Markdown: the first night and the increment split side by side."""

from __future__ import annotations

from bench.table import night_lines


def test_the_first_night_and_the_increment_are_split_in_columns_of_their_own():
    first = {"seconds": 30.0, "tasks": {"features": 5.0, "score": 7.0}, "overhead_share": 0.4}
    increment = {"seconds": 12.0, "tasks": {"features": 1.5, "score": 3.0, "publish": 4.0}}
    lines = night_lines(first, increment)
    assert lines[1] == "| split of the night | first night, s | increment, s |"
    assert "| task score | 7.0 | 3.0 |" in lines
    assert "| task publish |  | 4.0 |" in lines  # a task only the increment ran
    assert "| Prefect + process start-up (wall − tasks) | 18.0 | 3.5 |" in lines
    assert "| validation + publishing + Prefect, share of the night | 40% |  |" in lines


def test_a_night_without_a_split_leaves_no_column():
    lines = night_lines({"seconds": 30.0}, {"seconds": 12.0, "tasks": {"score": 3.0}})
    assert lines[1] == "| split of the night | increment, s |"
    assert night_lines({}, {}) == []
