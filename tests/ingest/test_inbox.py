"""Inbox naming: `<feed>/<feed>_<YYYYMMDD>[_v<N>].<ext>`, the extension the contract says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.contracts import load_contracts
from ingest.inbox import Delivery, Ignored, parse_delivery, scan_inbox
from tests.ingest.conftest import CONTRACTS

INBOX = Path("/inbox")
CONTRACTS_BY_FEED = load_contracts(CONTRACTS)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kepco/kepco_20260610.csv", ("kepco", dt.date(2026, 6, 10), 1)),
        ("kepco/kepco_20260610_v3.csv", ("kepco", dt.date(2026, 6, 10), 3)),
        ("nhis/nhis_20260610.parquet", ("nhis", dt.date(2026, 6, 10), 1)),
        ("housing/housing_20260101.jsonl", ("housing", dt.date(2026, 1, 1), 1)),
    ],
)
def test_delivery_names(name, expected):
    found = parse_delivery(INBOX / name, INBOX, CONTRACTS_BY_FEED)
    assert isinstance(found, Delivery)
    assert (found.feed, found.delivery_date, found.version) == expected
    assert found.relative == name


@pytest.mark.parametrize(
    "name",
    [
        "kepco/kepco_20260610.CSV",
        "kepco/kepco_20260610.csv.tmp",
        "kepco/kepco-20260610.csv",
        "kepco/kepco_20261310.csv",
        "kepco/kepco_20260610_v2b.csv",
        "nhis/nhis_20260610.csv",
        "kepco/sub/kepco_20260610.csv",
        "kepco_20260610.csv",
        "electricity/electricity_20260610.csv",
    ],
)
def test_not_delivery_names(name):
    assert isinstance(parse_delivery(INBOX / name, INBOX, CONTRACTS_BY_FEED), Ignored)


def test_scan_orders_by_date_then_version_and_cuts_at_as_of(tmp_path):
    for name in [
        "gas/gas_20260610_v2.csv",
        "gas/gas_20260610.csv",
        "gas/gas_20260501.csv",
        "gas/gas_20260701.csv",
        "gas/x.csv",
    ]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    deliveries, ignored = scan_inbox(tmp_path, CONTRACTS_BY_FEED, dt.date(2026, 6, 30))
    assert [d.relative for d in deliveries] == [
        "gas/gas_20260501.csv",
        "gas/gas_20260610.csv",
        "gas/gas_20260610_v2.csv",
    ]
    assert [i.relative for i in ignored] == ["gas/x.csv"]
