"""A clean synthetic world (mess 0) meets every contract: nothing quarantined or rejected."""

from __future__ import annotations

import datetime as dt

import duckdb

from ingest.load import ingest_inbox
from synth.world import generate


def test_clean_world_loads_every_row(tmp_path):
    generate(tmp_path, households=300, months=4, end="2026-10", seed=11, mess=0.0)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        ledger = ingest_inbox(con, tmp_path / "inbox", dt.date(2026, 10, 31), "clean-secret")
        reasons = con.sql("select feed, reasons from quarantine limit 5").fetchall()
    statuses = {r["status"] for r in ledger}
    assert statuses <= {"loaded", "duplicate"}, [r for r in ledger if r["status"] != "loaded"]
    assert sum(r["rows_loaded"] for r in ledger) > 1000
    assert sum(r["rows_quarantined"] for r in ledger) == 0, reasons
