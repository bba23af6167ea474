"""A file unchanged since ingest hashed it (same size and mtime) is not read again; any change
of size or mtime, or a file modified moments ago, is read and hashed as before."""

from __future__ import annotations

import os
import time

import pytest

from ingest import load
from tests.ingest.conftest import RRN_A, RRN_B, rows

WATER = "water/water_20260612.csv"
HEADER = "rrn,ym,arrears_months,arrears_amount,cutoff\n"
AN_HOUR_AGO = time.time() - 3600


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the inbox files ingest reads."""
    read: list[str] = []
    real = load.read_bytes

    def counting(path):
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(load, "read_bytes", counting)
    return read


def settled(path, when: float = AN_HOUR_AGO) -> None:
    os.utime(path, (when, when))


def test_unchanged_files_are_not_read_again(inbox, ingest, con, reads):
    settled(inbox.csv(WATER, HEADER + f"{RRN_A},202605,1,1000,N\n"))
    assert ingest()[WATER]["status"] == "loaded"
    assert rows(con, "select path from inbox_files") == [(WATER,)]
    reads.clear()
    assert ingest() == {}
    assert reads == []


def test_a_changed_file_is_read_and_loaded_again(inbox, ingest, con, reads):
    path = inbox.csv(WATER, HEADER + f"{RRN_A},202605,1,1000,N\n")
    settled(path)
    ingest()
    path.write_text(HEADER + f"{RRN_B},202605,1,1000,N\n")  # same size, new bytes
    settled(path, AN_HOUR_AGO + 60)
    reads.clear()
    assert ingest()[WATER]["status"] == "loaded"
    assert reads == [path.name]
    assert rows(con, "select count(*) from ingest_ledger where path = $p", p=WATER) == [(2,)]


def test_a_file_modified_moments_ago_is_not_fingerprinted(inbox, ingest, con, reads):
    inbox.csv(WATER, HEADER + f"{RRN_A},202605,1,1000,N\n")
    ingest()
    assert rows(con, "select count(*) from inbox_files") == [(0,)]
    reads.clear()
    assert ingest() == {}
    assert reads == ["water_20260612.csv"]  # read and hashed again, found in the ledger
