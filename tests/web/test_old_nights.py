"""A night published before issue 21 names the day of an assignment `assigned` in
web/assignments.parquet (now `assigned_on`): the web reads both."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from outreach.returned import Returned
from web.nights import Nights
from web.results import published_finder

EMD = "4817051000"
NIGHT = "2026-10-30"
MADE = [date(2026, 10, 29), date(2026, 10, 30)]


def publish_night(outreach, day_column):
    folder = outreach / NIGHT
    (folder / "web").mkdir(parents=True)
    pl.DataFrame(
        {
            "household_key": ["k1", "k2"],
            "emd_code": [EMD, EMD],
            day_column: MADE,
            "team_rank": [2, 1],
            "exploration": [False, True],
        }
    ).write_parquet(folder / "web" / "assignments.parquet")
    pl.DataFrame(
        {
            "household_key": ["k1", "k2"],
            "emd_code": [EMD, EMD],
            "score": [0.5, 0.9],
            "tier": [18, 20],
            "rank": [2, 1],
            "reasons_ko": [["a"], ["b"]],
            "reasons_en": [["a"], ["b"]],
            "new_since_last_run": [False, True],
        }
    ).write_parquet(folder / "ranked.parquet")
    (folder / "manifest.json").write_text(json.dumps({"as_of": NIGHT}))
    return Nights(outreach)


@pytest.fixture(params=["assigned_on", "assigned"], ids=["new night", "old night"])
def nights(request, tmp_path):
    return publish_night(tmp_path / "outreach", request.param)


def test_team_page_rows_carry_the_day_each_assignment_was_made(nights):
    night = nights.current()
    params = {
        "ranked": str(night.file("ranked.parquet")),
        "assignments": str(night.file("web/assignments.parquet")),
        "emd": EMD,
    }
    rows = nights.query("team_assignments", params)
    assert [(r["priority"], r["household_key"], r["assigned_on"]) for r in rows] == [
        (1, "k2", MADE[1]),
        (2, "k1", MADE[0]),
    ]


def test_a_result_is_checked_against_the_day_its_assignment_was_made(nights):
    find = published_finder(nights, nights.current())
    returned = Returned(1, "k1", EMD, None, "2026-10-31", "unreachable", "")
    assert find(returned, None) == MADE[0]


def test_a_household_not_assigned_to_the_team_is_refused(nights):
    find = published_finder(nights, nights.current())
    returned = Returned(1, "k9", EMD, None, "2026-10-31", "unreachable", "")
    with pytest.raises(ValueError, match="k9 is not an open assignment"):
        find(returned, None)
