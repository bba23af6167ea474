"""Freshness: fresh until due + late_after_days, late until due + missing_after_days, then missing."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.contracts import Freshness
from ingest.freshness import expected_next, freshness, status
from ingest.report import ingest_report
from tests.ingest.conftest import CONTRACTS, RRN_A

MONTHLY = Freshness(cadence="monthly", due_day=20, late_after_days=3, missing_after_days=31)
DAILY = Freshness(cadence="daily", late_after_days=4, missing_after_days=14)
LAST = dt.date(2026, 6, 12)


def test_expected_next():
    assert expected_next(LAST, MONTHLY) == dt.date(2026, 7, 20)
    assert expected_next(dt.date(2026, 12, 3), MONTHLY) == dt.date(2027, 1, 20)
    assert expected_next(dt.date(2026, 6, 12), DAILY) == dt.date(2026, 6, 15)  # Friday -> Monday


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2026, 7, 1), "fresh"),
        (dt.date(2026, 7, 23), "fresh"),
        (dt.date(2026, 7, 24), "late"),
        (dt.date(2026, 8, 20), "late"),
        (dt.date(2026, 8, 21), "missing"),
    ],
)
def test_monthly_status(as_of, expected):
    assert status(LAST, as_of, MONTHLY) == expected


def test_never_delivered_is_missing():
    assert status(None, LAST, MONTHLY) == "missing"


def test_freshness_from_the_ledger(inbox, ingest, con):
    inbox.csv(
        "water/water_20260612.csv",
        f"rrn,ym,arrears_months,arrears_amount,cutoff\n{RRN_A},202605,1,0,N\n",
    )
    rows = ingest(dt.date(2026, 7, 30))
    by_feed = {
        f["feed"]: f
        for f in ingest_report(con, CONTRACTS, dt.date(2026, 7, 30), list(rows.values()))
    }
    assert by_feed["water"] | {"top_reasons": []} == {
        "feed": "water",
        "last_delivery": "2026-06-12",
        "expected_next": "2026-07-20",
        "status": "late",
        "files": 1,
        "rows_loaded": 1,
        "rows_quarantined": 0,
        "rejected": 0,
        "top_reasons": [],
    }
    assert by_feed["gas"]["status"] == "missing" and by_feed["gas"]["files"] == 0
    from ingest.contracts import load_contracts

    early = {
        f["feed"]: f["status"]
        for f in freshness(con, load_contracts(CONTRACTS), dt.date(2026, 6, 30))
    }
    assert early["water"] == "fresh"
