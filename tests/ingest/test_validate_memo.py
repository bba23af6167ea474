"""GX sees only values no earlier delivery of the feed passed (gx_passed): the quarantine is
the same as when every file is validated whole."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest import validate
from tests.ingest.conftest import rows

HEADER = "household_no,referral_date,source,concern\n"
AS_OF = dt.date(2026, 6, 30)


def referrals(inbox, day: int, *sources: str) -> str:
    """A daily referrals file, one row per source (distinct households); its path."""
    lines = [
        f"4100000000{i},2026-06-{day:02d},{source},걱정\n" if source else f"4100000000{i},,,\n"
        for i, source in enumerate(sources)
    ]
    return str(inbox.csv(f"referrals/referrals_202606{day:02d}.csv", HEADER + "".join(lines)))


def gx_reasons(con) -> list[tuple]:
    """(file, line, reasons) of every row GX quarantined, in order."""
    found = rows(con, "select path, line, reasons from quarantine order by path, line")
    return [(p, line, [r for r in rs if r.startswith("expect_")]) for p, line, rs in found]


@pytest.mark.parametrize("remembered", [True, False])
def test_same_quarantine_with_and_without_remembered_values(inbox, ingest, con, remembered):
    days = [
        (1, "postal", "police"),
        (2, "postal", "carrier_pigeon", ""),  # a new bad value, a NULL date and source
        (3, "police", "postal"),  # nothing new: GX is skipped
        (4, "carrier_pigeon", "school"),  # the same bad value is caught again
    ]
    for day, *sources in days:
        referrals(inbox, day, *sources)
        ingest(dt.date(2026, 6, day))
        if not remembered:
            con.execute("delete from gx_passed")
    assert gx_reasons(con) == [
        (
            "referrals/referrals_20260602.csv",
            3,
            ["expect_column_values_to_be_in_set source=carrier_pigeon"],
        ),
        (
            "referrals/referrals_20260602.csv",
            4,
            ["expect_column_values_to_not_be_null referral_date=null"],
        ),
        (
            "referrals/referrals_20260604.csv",
            2,
            ["expect_column_values_to_be_in_set source=carrier_pigeon"],
        ),
    ]


def test_passed_values_are_remembered_and_bad_ones_never(inbox, ingest, con):
    referrals(inbox, 1, "postal", "carrier_pigeon", "postal")
    ingest(AS_OF)
    assert rows(con, "select frame_column, value from gx_passed") == [("source", "postal")]


def test_a_night_of_known_values_needs_no_gx(inbox, ingest, con, monkeypatch):
    referrals(inbox, 1, "postal", "police")
    ingest(dt.date(2026, 6, 1))
    monkeypatch.setattr(validate, "batch_definition", lambda: pytest.fail("GX was called"))
    referrals(inbox, 2, "police", "postal")
    assert ingest(AS_OF)["referrals/referrals_20260602.csv"]["rows_loaded"] == 2
