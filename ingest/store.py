"""A batch of one feed's deliveries, checked: the steps from their rows to clean rows and
quarantined rows, each one set-based statement over every file of the batch (`_file`).

key tables -> typed (type and point-in-time checks) -> unknown keys -> GX expectations
-> exact duplicates -> conflicts -> each file's share of bad rows -> quarantine rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ingest.casting import IDENTIFIERS, cleaned, typed_query
from ingest.checks import (
    bad_rows,
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
from ingest.timing import step
from ingest.validate import validate_rows

LINE_OFFSET = {"csv": 1, "jsonl": 0, "parquet": 0}  # CSV line 1 is the header


@dataclass
class Pending:
    """A delivery read into its feed's batch: its ledger fields and what reading it noticed."""

    delivery: Delivery
    ids: dict
    noticed: dict


def type_batch(
    con: duckdb.DuckDBPyConnection, contract: Contract, secret: str, schema: str = "temp"
) -> None:
    """The batch's key tables and its rows typed (`_k_<column>`, `_typed`) from `_incoming`,
    into `schema`."""
    with step("keys"):
        for column in (c for c in contract.columns if c.type in IDENTIFIERS):
            key_table(con, column, cleaned(column.name), secret, schema)
    with step("type"):
        con.execute(typed_query(contract, schema))


def check_batch(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    files: list[Pending],
    secret: str,
    prepared: bool = False,
) -> list[dict]:
    """Check the batch's rows (`_incoming`) into _typed and _quarantined; per file, its counts
    and notes. A `prepared` batch is keyed and typed already (ingest/batches.py: prepare)."""
    if not prepared:
        type_batch(con, contract, secret)
    with step("validate_rows"):
        skipped = unknown_keys(con, contract, [f.delivery.delivery_date for f in files])
    with step("validate_gx"):
        validate_rows(con, contract)
    with step("validate_rows"):
        duplicate_rows(con, contract, LINE_OFFSET[contract.format])
        conflicting_rows(con, contract)
        counts = bad_rows(con, len(files))
        checked = [
            file_outcome(con, contract, file, received, bad)
            for file, (received, bad) in enumerate(counts)
        ]
        quarantine_rows(con, contract, secret)
    for outcome, pending, notes in zip(checked, files, skipped, strict=True):
        outcome |= {"noticed": pending.noticed, "skipped": notes}
    return checked


def file_outcome(
    con: duckdb.DuckDBPyConnection, contract: Contract, file: int, received: int, bad: int
) -> dict:
    """A file's counts; with more than its share of bad rows, the whole file is rejected."""
    rejected = None
    if bad_share_exceeded(received, bad, contract):
        rejected = (
            f"{bad / received:.0%} of {received:,} rows broke the contract "
            f"(max_bad_share {contract.max_bad_share:g})"
        )
        reject_all_rows(con, file, f"file rejected: {rejected}")
        bad = received
    return {
        "rows_received": received,
        "rows_loaded": received - bad,
        "rows_quarantined": bad,
        "rejected": rejected,
    }
