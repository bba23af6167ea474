"""Rows that break their contract go to quarantine with a reason naming column and value."""

from __future__ import annotations

from tests.ingest.conftest import RRN_A, RRN_B, RRN_C, rows

HEADER = "rrn,ym,arrears_months,arrears_amount,cutoff\n"


def quarantined(con) -> dict[int, str]:
    """Line in the file (header = line 1) -> reasons joined by '; '."""
    found = rows(con, "select line, reasons from quarantine order by line")
    return {line: "; ".join(reasons) for line, reasons in found}


def test_bad_values_quarantined_with_reasons(inbox, ingest, con):
    text = HEADER + (
        f"{RRN_A},202605,abc,1000,N\n"  # 1: text where a number belongs
        f"{RRN_B},202613,1,1000,N\n"  # 2: no 13th month
        f"{RRN_C},202605,1,-500,X\n"  # 3: negative amount, cutoff not Y/N
        f"{RRN_A},202604,1,1000,Y\n"  # 4: clean
    )
    inbox.csv("water/water_20260612.csv", text)
    ledger = ingest()["water/water_20260612.csv"]
    assert (ledger["rows_received"], ledger["rows_loaded"], ledger["rows_quarantined"]) == (4, 1, 3)
    assert quarantined(con) == {
        2: "arrears_months: expected a whole number, got 'abc'",
        3: "ym: expected a month YYYYMM, got '202613'",
        4: "cutoff: expected Y or N, got 'X'; "
        "expect_column_values_to_be_between arrears_amount=-500",
    }
    assert rows(con, "select ym from raw_water") == [("202604",)]


def test_clean_file_quarantines_nothing(inbox, ingest, con):
    inbox.csv("water/water_20260612.csv", HEADER + f'{RRN_A},202605,1,"1,000",N\n')
    ledger = ingest()["water/water_20260612.csv"]
    assert (ledger["rows_received"], ledger["rows_loaded"], ledger["rows_quarantined"]) == (1, 1, 0)
    assert quarantined(con) == {}


def test_month_after_delivery_date_quarantined(inbox, ingest, con):
    # delivered 2026-06-12: May and June data are possible, July is not
    text = HEADER + f"{RRN_A},202606,1,0,N\n{RRN_B},202607,1,0,N\n"
    inbox.csv("water/water_20260612.csv", text)
    assert ingest()["water/water_20260612.csv"]["rows_loaded"] == 1
    assert quarantined(con) == {3: "ym: month after the delivery date: 202607"}


def test_impossible_and_future_dates(inbox, ingest, con):
    header = "household_no,referral_date,source,concern\n"
    text = header + (
        "41000000001,2026-02-30,police,x\n"
        "41000000001,2026-06-13,police,x\n"
        "41000000001,2026-06-12,police,x\n"
    )
    inbox.csv("referrals/referrals_20260612.csv", text)
    assert ingest()["referrals/referrals_20260612.csv"]["rows_loaded"] == 1
    assert quarantined(con) == {
        2: "referral_date: expected a date YYYY-MM-DD, got '2026-02-30'",
        3: "referral_date: date after the delivery date: 2026-06-13",
    }


def test_malformed_identifiers_and_missing_keys(inbox, ingest, con):
    text = HEADER + (
        "8001011234567,202605,1,0,N\n"  # no hyphen
        "80010-11234567,202605,1,0,N\n"
        f"{RRN_A},,1,0,N\n"  # key column ym missing
    )
    inbox.csv("water/water_20260612.csv", text)
    ledger = ingest()["water/water_20260612.csv"]
    assert (ledger["rows_loaded"], ledger["rows_quarantined"]) == (0, 3)
    assert quarantined(con) == {
        2: "rrn: expected an rrn YYMMDD-NNNNNNN with a real birth date",
        3: "rrn: expected an rrn YYMMDD-NNNNNNN with a real birth date",
        4: "expect_column_values_to_not_be_null ym=null",
    }


def test_household_number_must_be_11_digits(inbox, ingest, con):
    text = "household_no,program,start_date,end_date\n4100000001,medical,2024-01-01,\n41000000001,medical,2024-01-01,\n"
    inbox.csv("benefits/benefits_20260612.csv", text)
    assert ingest()["benefits/benefits_20260612.csv"]["rows_loaded"] == 1
    assert quarantined(con) == {2: "household_no: expected an 11-digit household number"}


def test_counts_add_up_for_every_loaded_file(inbox, ingest, con):
    inbox.csv("water/water_20260612.csv", HEADER + f"{RRN_A},202605,x,0,N\n{RRN_B},202605,1,0,N\n")
    inbox.csv(
        "gas/gas_20260612.csv",
        "rrn,ym,arrears_months,arrears_amount,cutoff,usage_m3\n" + f"{RRN_A},202605,1,0,N,1.5\n",
    )
    ingest()
    ledger = rows(
        con,
        "select rows_received, rows_loaded, rows_quarantined from ingest_ledger where status = 'loaded'",
    )
    assert len(ledger) == 2
    assert all(received == loaded + quarantined for received, loaded, quarantined in ledger)
    stored = rows(
        con,
        "select (select count(*) from raw_water) + (select count(*) from raw_gas), (select count(*) from quarantine)",
    )
    assert stored == [(2, 1)]
