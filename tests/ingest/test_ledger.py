"""The ledger: duplicates, re-deliveries, the as_of cut, ignored files, idempotent reruns."""

from __future__ import annotations

import datetime as dt
import json

from ingest.load import ingest_inbox
from tests.ingest.conftest import PEPPER, RRN_A, RRN_B, rows

HEADER = "rrn,ym,arrears_months,arrears_amount\n"
V1 = HEADER + f"{RRN_A},202605,1,1000\n{RRN_B},202605,2,2000\n"
V2 = HEADER + f"{RRN_A},202605,1,1500\n"


def test_same_bytes_twice_is_one_delivery(inbox, ingest, con):
    inbox.csv("telecom/telecom_20260610.csv", V1)
    inbox.csv("telecom/telecom_20260611.csv", V1)
    ledger = ingest()
    assert ledger["telecom/telecom_20260610.csv"]["status"] == "loaded"
    second = ledger["telecom/telecom_20260611.csv"]
    assert second["status"] == "duplicate"
    assert second["message"] == (
        "telecom/telecom_20260611.csv: same bytes as telecom/telecom_20260610.csv, not loaded again"
    )
    assert rows(con, "select count(*) from raw_telecom") == [(2,)]


def test_different_bytes_are_two_deliveries(inbox, ingest, con):
    inbox.csv("telecom/telecom_20260610.csv", V1)
    inbox.csv("telecom/telecom_20260611.csv", V2)
    assert {r["status"] for r in ingest().values()} == {"loaded"}
    assert rows(con, "select count(*) from raw_telecom") == [(3,)]


def test_second_call_loads_nothing(inbox, ingest, con):
    inbox.csv("telecom/telecom_20260610.csv", V1)
    inbox.csv("telecom/telecom_20260611.csv", V1)
    inbox.csv("telecom/notes.txt", "stray")
    inbox.csv("gas/gas_20260610.csv", "")
    assert len(ingest()) == 4
    assert ingest() == {}
    assert rows(con, "select count(*) from raw_telecom") == [(2,)]
    assert rows(con, "select count(*) from ingest_ledger") == [(4,)]


def test_new_file_on_a_later_night_is_loaded(inbox, ingest, con):
    inbox.csv("telecom/telecom_20260610.csv", V1)
    ingest()
    inbox.csv("telecom/telecom_20260710.csv", V2.replace("202605", "202606"))
    assert list(ingest(dt.date(2026, 7, 31))) == ["telecom/telecom_20260710.csv"]


def test_v2_supersedes_v1_in_staging(inbox, ingest, con):
    inbox.csv("telecom/telecom_20260610.csv", V1)
    inbox.csv("telecom/telecom_20260610_v2.csv", V2)
    inbox.csv("telecom/telecom_20260510.csv", HEADER + f"{RRN_B},202604,1,900\n")
    ledger = ingest()
    assert ledger["telecom/telecom_20260610_v2.csv"]["version"] == 2
    assert ledger["telecom/telecom_20260610_v2.csv"]["status"] == "loaded"
    v1 = ledger["telecom/telecom_20260610.csv"]
    assert v1["status"] == "superseded"
    assert v1["message"].endswith("superseded by telecom/telecom_20260610_v2.csv")
    assert v1["rows_received"] == v1["rows_loaded"] + v1["rows_quarantined"] == 2
    assert rows(con, "select count(*) from raw_telecom") == [(4,)]  # raw keeps both versions
    assert rows(
        con, "select delivery_date, arrears_amount from stg_telecom order by delivery_date"
    ) == [
        (dt.date(2026, 5, 10), 900),
        (dt.date(2026, 6, 10), 1500),
    ]


def test_rejected_v2_leaves_v1_in_staging(inbox, ingest, con):
    inbox.csv("telecom/telecom_20260610.csv", V1)
    inbox.csv("telecom/telecom_20260610_v2.csv", "")
    ledger = ingest()
    assert ledger["telecom/telecom_20260610_v2.csv"]["status"] == "rejected"
    assert ledger["telecom/telecom_20260610.csv"]["status"] == "loaded"
    assert rows(con, "select sum(arrears_amount) from stg_telecom") == [(3000,)]


def test_files_dated_after_as_of_wait(inbox, ingest, con):
    inbox.csv("telecom/telecom_20260630.csv", V1)
    inbox.csv("telecom/telecom_20260701.csv", V2)
    assert list(ingest(dt.date(2026, 6, 30))) == ["telecom/telecom_20260630.csv"]
    assert list(ingest(dt.date(2026, 7, 1))) == ["telecom/telecom_20260701.csv"]


def test_misnamed_files_are_ignored_and_reported(inbox, ingest, con):
    names = {
        "telecom/telecom_20260610.csv.tmp": "name does not match telecom_<YYYYMMDD>[_v<N>].csv",
        "telecom/telecom_2026061.csv": "name does not match",
        "telecom/telecom_20260230.csv": "20260230 is not a real date",
        "telecom/gas_20260610.csv": "name does not match",
        "telecom/telecom_20260610.parquet": "name does not match",
        "telecom/telecom_20260610_v0.csv": "name does not match",
        "weather/weather_20260610.csv": "unknown feed folder 'weather'",
        "telecom_20260610.csv": "not in a <feed>/ folder",
    }
    for name in names:
        inbox.csv(name, V1 + name)  # distinct bytes each
    ledger = ingest()
    assert set(ledger) == set(names)
    for name, expected in names.items():
        assert ledger[name]["status"] == "ignored"
        assert ledger[name]["message"].startswith(f"{name}: ")
        assert expected in ledger[name]["message"]
    assert rows(con, "select count(*) from raw_telecom") == [(0,)]


def test_well_named_versions_are_deliveries(inbox, ingest):
    inbox.csv("telecom/telecom_20260610_v1.csv", V1)
    inbox.csv("telecom/telecom_20260610_v12.csv", V2)
    ledger = ingest()
    assert [(r["status"], r["version"]) for r in ledger.values()] == [
        ("superseded", 1),
        ("loaded", 12),
    ]


def test_returned_rows_are_the_ledger_and_json_serialisable(inbox, ingest, con):
    inbox.csv("telecom/telecom_20260610.csv", V1)
    (row,) = ingest().values()
    assert json.loads(json.dumps(row)) == row
    assert (row["delivery_date"], row["file_id"], row["sha256"][:16]) == (
        "2026-06-10",
        row["sha256"][:16],
        row["file_id"],
    )
    columns = [r[0] for r in rows(con, "describe ingest_ledger")]
    assert list(row) == columns


def test_contracts_found_from_the_inbox_home(inbox, con):
    inbox.csv("telecom/telecom_20260610.csv", V1)
    (row,) = ingest_inbox(con, inbox.root, dt.date(2026, 6, 30), PEPPER)
    assert row["status"] == "loaded"


def test_missing_inbox_gives_empty_views(tmp_path, con):
    assert ingest_inbox(con, tmp_path / "nowhere", dt.date(2026, 6, 30), PEPPER) == []
    assert rows(con, "select count(*) from stg_kepco") == [(0,)]
