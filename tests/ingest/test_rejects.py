"""A file that cannot be read at all is rejected whole; the other files still load."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.ingest.conftest import RRN_A, rows

GOOD = "water/water_20260612.csv"
WATER = f"rrn,ym,arrears_months,arrears_amount,cutoff\n{RRN_A},202605,1,0,N\n"


def parquet_bytes() -> bytes:
    buffer = io.BytesIO()
    table = pa.table(
        {
            "rrn": [RRN_A],
            "ym": ["202605"],
            "contribution_arrears_months": pa.array([1], pa.int16()),
            "emergency_loan": [False],
        }
    )
    pq.write_table(table, buffer)
    return buffer.getvalue()


BAD_FILES = {
    "empty csv": ("gas/gas_20260612.csv", b"", "empty file"),
    "binary garbage": ("gas/gas_20260612.csv", bytes(range(256)) * 4, "binary content"),
    "truncated parquet": (
        "nps/nps_20260612.parquet",
        parquet_bytes()[:-40],
        "not a complete Parquet file",
    ),
    "csv named parquet": (
        "nps/nps_20260612.parquet",
        ("x,y\n" + WATER).encode(),
        "not a complete Parquet file",
    ),
    "parquet named csv": ("gas/gas_20260612.csv", parquet_bytes(), "binary content"),
    "truncated csv": (
        "gas/gas_20260612.csv",
        f"rrn,ym,arrears_months,arrears_amount,cutoff,usage_m3\n{RRN_A},202605,1,0,N,1\n{RRN_A},2026\n".encode(),
        "Expected Number of Columns: 6 Found: 2",
    ),
    "csv cut inside a number": (
        "gas/gas_20260612.csv",
        f"rrn,ym,arrears_months,arrears_amount,cutoff,usage_m3\n{RRN_A},202605,1,0,N,1\n{RRN_A},202605,1,0,N,8".encode(),
        "does not end with a line break",
    ),
    "jsonl cut after an object": (
        "housing/housing_20260612.jsonl",
        b'{"household_no": "41000000001", "ym": "202605", "kind": "x", "arrears_months": 1, "arrears_amount": 1}',
        "does not end with a line break",
    ),
    "missing columns": (
        "gas/gas_20260612.csv",
        f"rrn,ym\n{RRN_A},202605\n".encode(),
        "required columns missing: arrears_months, arrears_amount, cutoff, usage_m3",
    ),
    "truncated jsonl": (
        "housing/housing_20260612.jsonl",
        b'{"household_no": "41000000001", "ym": "202605", "ki\n',
        "Malformed JSON",
    ),
    "headerless csv": (
        "water/water_20260613.csv",
        f"{RRN_A},202605,1,0,N\n".encode(),
        "required columns missing",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_unreadable_file_rejected_whole_others_load(case, inbox, ingest, con):
    relative, data, expected = BAD_FILES[case]
    inbox.raw(relative, data)
    inbox.csv(GOOD, WATER)
    ledger = ingest()
    bad = ledger[relative]
    assert bad["status"] == "rejected"
    assert bad["message"].startswith(f"{relative}: rejected: ")
    assert expected in bad["message"]
    assert (bad["rows_loaded"], bad["rows_quarantined"]) == (0, 0)
    assert ledger[GOOD]["status"] == "loaded"
    assert rows(con, "select count(*) from raw_water") == [(1,)]
    assert rows(con, "select count(*) from quarantine") == [(0,)]


def test_readable_parquet_is_not_rejected(inbox, ingest):
    inbox.raw("nps/nps_20260612.parquet", parquet_bytes())
    assert ingest()["nps/nps_20260612.parquet"]["status"] == "loaded"


def test_rejection_message_never_shows_a_clear_rrn(inbox, ingest):
    inbox.csv("water/water_20260613.csv", f"{RRN_A},202605,1,0,N\n")
    message = ingest()["water/water_20260613.csv"]["message"]
    assert RRN_A not in message and "[rrn]" in message


def test_header_only_file_loads_zero_rows(inbox, ingest):
    inbox.csv("water/water_20260612.csv", "rrn,ym,arrears_months,arrears_amount,cutoff\n")
    ledger = ingest()["water/water_20260612.csv"]
    assert (ledger["status"], ledger["rows_received"], ledger["rows_loaded"]) == ("loaded", 0, 0)


def test_file_that_cannot_be_read_is_rejected_and_retried(inbox, ingest, con, monkeypatch):
    bad = inbox.csv("gas/gas_20260612.csv", "anything")
    inbox.csv(GOOD, WATER)
    real = Path.read_bytes

    def flaky(path):
        if path == bad:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", flaky)
    ledger = ingest()
    assert ledger["gas/gas_20260612.csv"]["message"] == (
        "gas/gas_20260612.csv: rejected: could not read the file: Permission denied"
    )
    assert ledger[GOOD]["status"] == "loaded"
    assert list(ingest()) == ["gas/gas_20260612.csv"]  # tried again on the next run
    monkeypatch.setattr(Path, "read_bytes", real)
    assert ingest()["gas/gas_20260612.csv"]["status"] == "rejected"  # now read: missing columns
