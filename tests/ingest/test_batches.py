"""A night's deliveries of a feed are checked and stored as one batch: the ledger, raw rows and
quarantine are those of loading the files one night at a time; a batch a statement fails on is
loaded file by file, and only the file at fault is rejected."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from ingest import batches, load
from ingest.load import ingest_inbox
from tests.ingest.conftest import CONTRACTS, PEPPER, RRN_A, RRN_B, RRN_C, rows

REGISTRY_HEADER = (
    "rrn,household_no,relation,name,birth_date,sex,disabled,phone,address,emd_code,moved_in,"
    "deceased\n"
)
WATER_HEADER = "rrn,ym,arrears_months,arrears_amount,cutoff\n"
NIGHTS = [dt.date(2026, 6, day) for day in range(1, 8)]
LEDGER = (
    "select path, status, rows_received, rows_loaded, rows_quarantined, message "
    "from ingest_ledger order by path"
)
QUARANTINE = "select path, line, reasons, raw from quarantine order by path, line"
RAW = "select * exclude (file_id) from raw_water order by all"


def registry(inbox, day: str, *rrns: str) -> None:
    lines = [
        f"{r},4100000000{i},head,이름,1950-01-01,F,N,,주소,4817051000,,N\n"
        for i, r in enumerate(rrns)
    ]
    inbox.csv(f"registry/registry_{day}.csv", REGISTRY_HEADER + "".join(lines))


def water(inbox, name: str, *lines: str) -> None:
    inbox.csv(f"water/water_{name}.csv", WATER_HEADER + "".join(f"{x}\n" for x in lines))


def a_week(inbox) -> None:
    """A week of deliveries with something wrong in each (registry on the 1st and 3rd)."""
    registry(inbox, "20260601", RRN_A)
    water(inbox, "20260602", f"{RRN_A},202605,1,1000,N", f"{RRN_B},202605,1,1000,N")
    registry(inbox, "20260603", RRN_A, RRN_B)
    water(
        inbox,
        "20260604",
        f"{RRN_B},202605,1,1000,N",
        f"{RRN_B},202605,1,1000,N",  # a duplicate
        f"{RRN_A},202605,2,2000,N",
        f"{RRN_A},202605,3,3000,N",  # a conflict
        f"{RRN_A},202607,1,1000,N",  # a month after the delivery date
        f"{RRN_C},202605,1,-5,N",  # nobody in the registry, a negative amount (GX)
    )
    water(inbox, "20260604_v2", f"{RRN_A},202605,2,2000,N", f"{RRN_B},202605,1,1000,Q")
    water(inbox, "20260605", *[f"{RRN_A},202613,1,1000,N"] * 20)  # rejected whole
    water(inbox, "20260606", f"{RRN_A},202606,1,1000,N", f"{RRN_B},202606,1,1000,N")
    inbox.raw("water/water_20260607.csv", (inbox.root / "water/water_20260606.csv").read_bytes())


def warehouse(con) -> tuple[list, list, list]:
    return rows(con, LEDGER), rows(con, QUARANTINE), rows(con, RAW)


def night_by_night(inbox) -> tuple[list, list, list]:
    with duckdb.connect() as con:
        for night in NIGHTS:
            ingest_inbox(con, inbox.root, night, PEPPER, contracts_dir=CONTRACTS)
        return warehouse(con)


def test_one_night_equals_night_by_night(inbox, ingest, con):
    a_week(inbox)
    ingest(NIGHTS[-1])
    assert warehouse(con) == night_by_night(inbox)
    statuses = dict(rows(con, "select path, status from ingest_ledger"))
    assert statuses == {
        "registry/registry_20260601.csv": "loaded",
        "registry/registry_20260603.csv": "loaded",
        "water/water_20260602.csv": "loaded",
        "water/water_20260604.csv": "superseded",
        "water/water_20260604_v2.csv": "loaded",
        "water/water_20260605.csv": "rejected",
        "water/water_20260606.csv": "loaded",
        "water/water_20260607.csv": "duplicate",
    }
    superseded = "select message from ingest_ledger where status = 'superseded'"
    assert rows(con, superseded) == [("superseded by water/water_20260604_v2.csv",)]


def test_a_v2_on_a_later_night_supersedes_the_v1(inbox, ingest, con):
    registry(inbox, "20260601", RRN_A, RRN_B)
    water(inbox, "20260604", f"{RRN_A},202605,2,2000,N")
    ingest(NIGHTS[3])
    water(inbox, "20260604_v2", f"{RRN_A},202605,3,3000,N")
    water(inbox, "20260605", f"{RRN_A},202605,3,3000,N", f"{RRN_B},202605,1,1000,N")
    ingest(NIGHTS[-1])
    listed = "select path, status, message from ingest_ledger where feed = 'water' order by path"
    assert rows(con, listed) == [
        ("water/water_20260604.csv", "superseded", "superseded by water/water_20260604_v2.csv"),
        ("water/water_20260604_v2.csv", "loaded", None),
        ("water/water_20260605.csv", "loaded", None),
    ]


def test_every_file_accounts_for_its_rows(inbox, ingest, con):
    a_week(inbox)
    ingest(NIGHTS[-1])
    found = rows(
        con,
        "select l.path, l.rows_received, l.rows_loaded, l.rows_quarantined, "
        "(select count(*) from raw_water r where r.file_id = l.file_id), "
        "(select count(*) from quarantine q where q.path = l.path) "
        "from ingest_ledger l where l.feed = 'water' and l.status <> 'duplicate' order by 1",
    )
    assert [(p, received) for p, received, *_ in found] == [
        ("water/water_20260602.csv", 2),
        ("water/water_20260604.csv", 6),
        ("water/water_20260604_v2.csv", 2),
        ("water/water_20260605.csv", 20),
        ("water/water_20260606.csv", 2),
    ]
    assert all(r == ok + bad and raw == ok and q == bad for _, r, ok, bad, raw, q in found)


def test_the_lines_of_one_file_keep_their_reasons(inbox, ingest, con):
    a_week(inbox)
    ingest(NIGHTS[-1])
    found = rows(
        con, "select line, reasons from quarantine where path = 'water/water_20260604.csv'"
    )
    assert sorted(found) == [
        (3, ["duplicate of line 2"]),
        (4, ["conflict: 2 different rows with the same rrn, ym"]),
        (5, ["conflict: 2 different rows with the same rrn, ym"]),
        (6, ["ym: month after the delivery date: 202607"]),
        (
            7,
            [
                "rrn: belongs to nobody in the registry",
                "expect_column_values_to_be_between arrears_amount=-5",
            ],
        ),
    ]


def test_small_batches_load_the_same(inbox, ingest, con, monkeypatch):
    a_week(inbox)
    monkeypatch.setattr(load, "BATCH_BYTES", 1)  # each file loads as soon as it is read
    ingest(NIGHTS[-1])
    monkeypatch.undo()
    assert warehouse(con) == night_by_night(inbox)


def test_a_failing_batch_rejects_only_the_file_at_fault(inbox, ingest, con, monkeypatch):
    a_week(inbox)
    real = batches.check_batch

    def failing(con, contract, files, secret, *prepared):
        if any(f.delivery.relative == "water/water_20260602.csv" for f in files):
            raise duckdb.ConversionException("Conversion Error: something in 20260602")
        return real(con, contract, files, secret, *prepared)

    monkeypatch.setattr(batches, "check_batch", failing)
    found = ingest(NIGHTS[-1])
    assert found["water/water_20260602.csv"]["status"] == "rejected"
    assert "something in 20260602" in found["water/water_20260602.csv"]["message"]
    assert found["water/water_20260606.csv"]["status"] == "loaded", found[
        "water/water_20260606.csv"
    ]["message"]
    assert found["water/water_20260604_v2.csv"]["rows_loaded"] == 1
    assert rows(con, "select count(distinct file_id) from raw_water") == [(3,)]  # 04, 04_v2, 06
    assert rows(con, "select count(*) from duckdb_tables() where temporary") == [(0,)]


def test_a_file_that_fails_alone_loads_no_row(inbox, ingest, con, monkeypatch):
    a_week(inbox)

    def failing(*args):
        raise duckdb.ConversionException("Conversion Error: x")

    monkeypatch.setattr(batches, "check_batch", failing)
    found = ingest(NIGHTS[-1])
    statuses = {row["status"] for row in found.values()}
    assert statuses == {"rejected", "duplicate"}
    assert rows(con, "select count(*) from raw_water") == [(0,)]
    assert rows(con, "select count(*) from quarantine") == [(0,)]


def test_a_load_killed_after_a_duplicate_was_recorded_loses_no_file(
    inbox, ingest, con, monkeypatch
):
    # water_20260607 repeats 20260606's bytes: it is recorded a duplicate as it is read, while
    # 20260606 waits in its batch. Killed before that batch is stored, the next ingest must
    # still load 20260606, not take it for a duplicate of the duplicate.
    a_week(inbox)
    real = batches.check_batch

    def killed(con, contract, files, secret, *prepared):
        if contract.feed == "water":
            raise KeyboardInterrupt  # the process stopped here
        return real(con, contract, files, secret, *prepared)

    monkeypatch.setattr(batches, "check_batch", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest(NIGHTS[-1])
    attached = "select count(*) from duckdb_databases() where database_name = 'sagak_pending'"
    assert rows(con, attached) == [(0,)]  # no batch of the stopped load left for the next
    assert rows(con, "select status from ingest_ledger where path like '%0607%'") == [
        ("duplicate",)
    ]
    monkeypatch.setattr(batches, "check_batch", real)
    ingest(NIGHTS[-1])
    statuses = dict(rows(con, "select path, status from ingest_ledger where feed = 'water'"))
    assert statuses["water/water_20260606.csv"] == "loaded"
    assert statuses["water/water_20260607.csv"] == "duplicate"
    held = "select count(*) from raw_water join ingest_ledger using (file_id) where path = $path"
    assert rows(con, held, path="water/water_20260606.csv") == [(2,)]
