"""FEEDS.md "what goes wrong": a crafted file per bullet; the other files of the night load."""

from __future__ import annotations

import datetime as dt

from tests.ingest.conftest import RRN_A, RRN_B, RRN_C, rows

REGISTRY = "registry/registry_20260605.csv"
REGISTRY_HEADER = "rrn,household_no,relation,name,birth_date,sex,disabled,phone,address,emd_code,moved_in,deceased\n"
WATER = "water/water_20260612.csv"
WATER_HEADER = "rrn,ym,arrears_months,arrears_amount,cutoff\n"
GOOD = "telecom/telecom_20260612.csv"


def registry(inbox, *rrns: str) -> None:
    """A registry snapshot holding `rrns`, one household each."""
    lines = [
        f"{r},4100000000{i},head,이름{i},1950-01-0{i + 1},F,N,,주소,4817051000,,N\n"
        for i, r in enumerate(rrns)
    ]
    inbox.csv(REGISTRY, REGISTRY_HEADER + "".join(lines))


def night(inbox, ingest) -> dict:
    """Add a good telecom file, ingest, check the invariant and that the good file loaded."""
    inbox.csv(GOOD, f"rrn,ym,arrears_months,arrears_amount\n{RRN_A},202605,1,100\n")
    ledger = ingest()
    assert ledger[GOOD]["status"] == "loaded" and ledger[GOOD]["rows_loaded"] == 1
    for row in ledger.values():
        if row["status"] != "ignored":
            assert row["rows_received"] == row["rows_loaded"] + row["rows_quarantined"], row
    return ledger


def reasons(con, path: str) -> dict[int, list[str]]:
    return dict(rows(con, "select line, reasons from quarantine where path = $p", p=path))


def test_rrn_of_nobody_in_the_registry(inbox, ingest, con):
    registry(inbox, RRN_A, RRN_B)
    inbox.csv(WATER, WATER_HEADER + f"{RRN_A},202605,1,0,N\n{RRN_C},202605,1,0,N\n")
    ledger = night(inbox, ingest)
    assert (ledger[WATER]["rows_loaded"], ledger[WATER]["rows_quarantined"]) == (1, 1)
    assert reasons(con, WATER) == {3: ["rrn: belongs to nobody in the registry"]}


def test_rrn_with_an_impossible_birth_date(inbox, ingest, con):
    inbox.csv(WATER, WATER_HEADER + "801301-1234567,202605,1,0,N\n800230-1234567,202605,1,0,N\n")
    ledger = night(inbox, ingest)
    assert ledger[WATER]["rows_quarantined"] == 2
    assert all(
        r == ["rrn: expected an rrn YYMMDD-NNNNNNN with a real birth date"]
        for r in reasons(con, WATER).values()
    )


def test_wrong_check_digit_is_not_a_reason(inbox, ingest):
    inbox.csv(WATER, WATER_HEADER + f"{RRN_A},202605,1,0,N\n")  # check digit wrong on purpose
    assert night(inbox, ingest)[WATER]["rows_loaded"] == 1


def test_conflicting_rows_all_quarantined_duplicates_collapse(inbox, ingest, con):
    text = WATER_HEADER + (
        f"{RRN_A},202605,1,100,N\n"
        f"{RRN_A},202605,2,900,Y\n"  # same key, other values
        f"{RRN_B},202605,1,100,N\n"
        f"{RRN_B},202605,1,100,N\n"  # exact duplicate
    )
    inbox.csv(WATER, text)
    ledger = night(inbox, ingest)
    assert (ledger[WATER]["rows_loaded"], ledger[WATER]["rows_quarantined"]) == (1, 3)
    assert reasons(con, WATER) == {
        2: ["conflict: 2 different rows with the same rrn, ym"],
        3: ["conflict: 2 different rows with the same rrn, ym"],
        5: ["duplicate of line 4"],
    }


def test_accepted_values_and_formats_from_the_contract(inbox, ingest, con):
    text = REGISTRY_HEADER + (
        f"{RRN_A},41000000001,boss,김,1950-01-01,F,N,,주소,4817051000,,N\n"
        f"{RRN_B},41000000002,head,이,1950-01-01,X,N,,주소,48170,,N\n"
    )
    inbox.csv(REGISTRY, text)
    night(inbox, ingest)
    assert reasons(con, REGISTRY) == {
        2: ["expect_column_values_to_be_in_set relation=boss"],
        3: [
            "expect_column_values_to_be_in_set sex=X",
            "expect_column_values_to_match_regex emd_code=48170",
        ],
    }


def test_mostly_broken_file_rejected_whole_rows_kept_in_quarantine(inbox, ingest, con):
    bad = [f"{RRN_A},2026{m:02d},x,0,N\n" for m in range(1, 13)] * 2
    good = [f"{RRN_B},2025{m:02d},1,0,N\n" for m in range(1, 11)]
    inbox.csv(WATER, WATER_HEADER + "".join(bad + good))
    ledger = night(inbox, ingest)
    row = ledger[WATER]
    assert (row["status"], row["rows_received"], row["rows_loaded"], row["rows_quarantined"]) == (
        "rejected",
        34,
        0,
        34,
    )
    assert "71% of 34 rows broke the contract (max_bad_share 0.5)" in row["message"]
    assert rows(con, "select count(*) from raw_water") == [(0,)]
    file_reason = [r for r in reasons(con, WATER).values() if r[0].startswith("file rejected")]
    assert len(file_reason) == 10


def test_a_few_bad_rows_do_not_reject_the_file(inbox, ingest):
    good = [f"{RRN_B},2025{m:02d},1,0,N\n" for m in range(1, 13)]
    inbox.csv(WATER, WATER_HEADER + "".join(good) + f"{RRN_A},202605,x,0,N\n" * 3)
    row = night(inbox, ingest)[WATER]
    assert (row["status"], row["rows_loaded"], row["rows_quarantined"]) == ("loaded", 12, 3)


def test_corrected_v2_supersedes_v1_and_point_in_time_follows_the_file_date(inbox, ingest, con):
    inbox.csv(WATER, WATER_HEADER + f"{RRN_A},202605,1,100,N\n")
    inbox.csv("water/water_20260612_v2.csv", WATER_HEADER + f"{RRN_A},202605,1,200,N\n")
    ledger = night(inbox, ingest)
    assert ledger[WATER]["status"] == "superseded"
    assert ledger["water/water_20260612_v2.csv"]["status"] == "loaded"
    assert rows(con, "select arrears_amount from stg_water") == [(200,)]


def test_month_in_the_future_and_thirteenth_month(inbox, ingest, con):
    inbox.csv(WATER, WATER_HEADER + f"{RRN_A},202607,1,0,N\n{RRN_A},202613,1,0,N\n")
    night(inbox, ingest)
    assert reasons(con, WATER) == {
        2: ["ym: month after the delivery date: 202607"],
        3: ["ym: expected a month YYYYMM, got '202613'"],
    }


def test_empty_file_and_stray_tmp(inbox, ingest):
    inbox.csv("gas/gas_20260612.csv", "")
    inbox.csv("gas/gas_20260612.csv.tmp", "partial")
    ledger = night(inbox, ingest)
    assert ledger["gas/gas_20260612.csv"]["status"] == "rejected"
    assert ledger["gas/gas_20260612.csv"]["rows_received"] == 0
    assert ledger["gas/gas_20260612.csv.tmp"]["status"] == "ignored"


def test_headers_in_the_other_language_and_wrong_encoding(inbox, ingest, con):
    text = f'주민번호,기준년월,체납개월수,체납금액,cutoff\n{RRN_A},202605,2,"1,000",Y\n'
    inbox.csv(WATER, text, "cp949")
    row = night(inbox, ingest)[WATER]
    assert (row["status"], row["rows_loaded"]) == ("loaded", 1)
    assert "encoding cp949" in row["message"]


def test_second_ingest_changes_nothing(inbox, ingest, con):
    registry(inbox, RRN_A)
    inbox.csv(WATER, WATER_HEADER + f"{RRN_A},202605,x,0,N\n")
    night(inbox, ingest)
    tables = ["ingest_ledger", "quarantine", "raw_water", "raw_registry"]
    before = [rows(con, f"select count(*) from {t}") for t in tables]
    assert ingest(dt.date(2026, 6, 30)) == {}
    assert [rows(con, f"select count(*) from {t}") for t in tables] == before
