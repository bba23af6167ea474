"""One delivery, read and checked: the steps from bytes to clean rows and quarantined rows.

read -> key tables -> typed (type and point-in-time checks) -> unknown keys -> GX expectations
-> exact duplicates -> conflicts -> file-level share of bad rows -> quarantine rows.
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

import duckdb

from ingest.casting import IDENTIFIERS, cleaned, typed_query, used_params
from ingest.checks import (
    bad_share_exceeded,
    conflicting_rows,
    duplicate_rows,
    reject_all_rows,
    unknown_keys,
)
from ingest.contracts import Contract
from ingest.inbox import Delivery
from ingest.keys import key_table
from ingest.quarantine import quarantine_rows
from ingest.read import read_delivery
from ingest.timing import step
from ingest.validate import validate_rows

LINE_OFFSET = {"csv": 1, "jsonl": 0, "parquet": 0}  # CSV line 1 is the header


def check_delivery(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    data: bytes,
    contract: Contract,
    secret: str,
) -> dict:
    """Read and check one delivery into _typed and _quarantined; returns counts and notes."""
    with step("read"), TemporaryDirectory(prefix="sagak-ingest-") as workdir:
        noticed = read_delivery(con, delivery.path, data, contract, Path(workdir))
    with step("keys"):
        for column in (c for c in contract.columns if c.type in IDENTIFIERS):
            key_table(con, column, cleaned(column.name), secret)
    params = {"delivery_date": delivery.delivery_date}
    query = typed_query(contract)
    with step("type"):
        con.execute(query, used_params(query, params))
    with step("validate_rows"):
        skipped = unknown_keys(con, contract, delivery.delivery_date)
    with step("validate_gx"):
        validate_rows(con, contract)
    with step("validate_rows"):
        duplicate_rows(con, contract, LINE_OFFSET[contract.format])
        conflicting_rows(con, contract)
        received, bad = con.execute(
            "select count(*), count(*) filter (where len(_reasons) > 0) from _typed"
        ).fetchall()[0]
    rejected = None
    if bad_share_exceeded(received, bad, contract):
        rejected = (
            f"{bad / received:.0%} of {received:,} rows broke the contract "
            f"(max_bad_share {contract.max_bad_share:g})"
        )
        reject_all_rows(con, f"file rejected: {rejected}")
        bad = received
    with step("validate_rows"):
        quarantine_rows(con, contract, secret)
    return {
        "rows_received": received,
        "rows_loaded": received - bad,
        "rows_quarantined": bad,
        "rejected": rejected,
        "noticed": noticed,
        "skipped": skipped,
    }
