"""Ingest: new inbox deliveries -> raw_<feed>, quarantine, contacts and the ledger; stg_ views."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb

from ingest import fingerprints
from ingest.archive import archive_stored
from ingest.batches import BATCH_BYTES, Batches, add_to_batch, pending_database
from ingest.contacts import attach, detach
from ingest.contracts import Contract, ContractError, load_contracts
from ingest.fingerprints import Fingerprints
from ingest.handover import Loader
from ingest.inbox import Delivery, Ignored, scan_inbox
from ingest.ledger import Seen, as_json, create_warehouse_tables, ledger_row, record, seen_files
from ingest.read import delivered
from ingest.reference import prepare as prepare_references
from ingest.staging import refresh_staging
from ingest.timing import log_steps, step
from sagak.settings import SQL_DIR, Settings
from sagak.warehouse import sql_text


def ingest_inbox(
    con: duckdb.DuckDBPyConnection,
    inbox: str | Path,
    as_of: date,
    secret: str,
    contracts_dir: Path | None = None,
    contacts: Path | None = None,
) -> list[dict]:
    """Load every new delivery dated on or before as_of; one ledger row per file considered.

    Contracts come from `contracts_dir`, else from the SAGAK_HOME the inbox lives in; contact
    details go to the `contacts` store (default SAGAK_HOME/contacts.duckdb); with $SAGAK_ARCHIVE
    on, stored files move to that SAGAK_HOME's archive/.
    """
    inbox = Path(inbox)
    home = Settings(home=inbox.parent)
    contracts = load_contracts(contracts_dir or home.contracts)
    check_staging_files(contracts)
    create_warehouse_tables(con, list(contracts.values()))
    prepare_references(con, list(contracts.values()))
    attach(con, contacts or home.contacts)
    archive = home.archive if home.archive_inbox else None
    try:
        rows = ingest_files(con, inbox, as_of, secret, contracts, archive)
    finally:
        detach(con)
    with step("staging"):
        staging_views(con, contracts)
    log_steps(len(rows))
    return [as_json(row) for row in current(con, rows)]


def ingest_files(
    con, inbox: Path, as_of: date, secret: str, contracts: dict, archive: Path | None = None
) -> list[dict]:
    """Consider every file of the inbox in order; the ledger rows written. With an `archive`,
    then move the files whose rows are stored there (ingest/archive.py).

    The files are read (and each batch keyed and typed) on a cursor of their own while the
    batches read before them load (ingest/handover.py)."""
    deliveries, ignored = scan_inbox(inbox, contracts, as_of) if inbox.is_dir() else ([], [])
    seen, prints = seen_files(con), fingerprints.load(con)
    rows = [row for found in ignored if (row := ignore_file(con, found, seen, prints))]
    batches = Batches(contracts, secret)
    with pending_database(con), con.cursor() as reader, Loader(con, reader) as loader:
        for delivery in deliveries:
            if row := consider(reader, delivery, batches, seen, prints):
                rows.append(row)
            if batches.size >= BATCH_BYTES:
                batches = loader.hand_over(batches)
        loader.hand_over(batches)
    fingerprints.save(con, prints)
    rows = in_place(rows, loader.rows)
    if archive is not None:
        with step("archive"):
            archive_stored(con, deliveries, archive)
    return rows


def in_place(rows: list[dict], loaded: list[dict]) -> list[dict]:
    """The rows in inbox order, each pending one replaced by its row from its batch."""
    by_file = {(row["path"], row["sha256"]): row for row in loaded}
    return [by_file.get((row["path"], row["sha256"]), row) for row in rows]


def current(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> list[dict]:
    """The rows as the ledger holds them now (a v1 loaded tonight may be superseded since)."""
    now = {
        (path, sha): (status, message)
        for path, sha, status, message in con.sql(sql_text("ingest/ledger_now.sql")).fetchall()
    }
    for row in rows:
        status, message = now.get((row["path"], row["sha256"]), (row["status"], row["message"]))
        row |= {"status": status, "message": message}
    return rows


def ignore_file(
    con: duckdb.DuckDBPyConnection, found: Ignored, seen: Seen, prints: Fingerprints
) -> dict | None:
    """Record a file that is not a delivery, once per (path, bytes)."""
    if (found.relative, prints.unchanged_sha(found.path, found.relative)) in seen.pairs:
        return None
    stat = fingerprints.stat_of(found.path)
    data, error = read_bytes(found.path)
    sha = hashlib.sha256(data).hexdigest() if error is None else None
    prints.take(found.relative, stat, sha)
    if (found.relative, sha) in seen.pairs:
        return None
    row = ledger_row(
        file_id=sha and sha[:16],
        feed=found.feed,
        path=found.relative,
        sha256=sha,
        status="ignored",
        message=found.message if error is None else f"{found.message}; {error}",
    )
    record(con, row)
    seen.add(row)
    return row


def consider(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    batches: Batches,
    seen: Seen,
    prints: Fingerprints,
) -> dict | None:
    """Read a delivery into its feed's batch (a `pending` row until the batch loads), or record
    it as rejected or a duplicate; None if this very file was seen before."""
    if (delivery.relative, prints.unchanged_sha(delivery.path, delivery.relative)) in seen.pairs:
        return None
    stat = fingerprints.stat_of(delivery.path)
    raw, error = read_bytes(delivery.path)
    data, sha, error = delivered(delivery.path, raw) if error is None else (b"", None, error)
    prints.take(delivery.relative, stat, sha)
    if (delivery.relative, sha) in seen.pairs:
        return None
    ids = {
        "file_id": sha and sha[:16],
        "feed": delivery.feed,
        "path": delivery.relative,
        "delivery_date": delivery.delivery_date,
        "version": delivery.version,
        "sha256": sha,
        "rows_received": 0,
        "rows_loaded": 0,
        "rows_quarantined": 0,
    }
    if error is not None:
        message = f"{delivery.relative}: rejected: {error}"
        row = ledger_row(**ids, status="rejected", message=message)
        record(con, row)
    elif sha in seen.first_path:
        message = f"{delivery.relative}: same bytes as {seen.first_path[sha]}, not loaded again"
        row = ledger_row(**ids, status="duplicate", message=message)
        record(con, row)
    else:
        row = add_to_batch(con, batches, delivery, data, ids) or ledger_row(**ids, status="pending")
    seen.add(row)
    return row


def read_bytes(path: Path) -> tuple[bytes, str | None]:
    """The bytes of a file, or why they could not be read (gone, no permission)."""
    try:
        return path.read_bytes(), None
    except OSError as err:
        return b"", f"could not read the file: {err.strerror or err}"


def check_staging_files(contracts: dict[str, Contract]) -> None:
    """Every contract has its sql/staging/stg_<feed>.sql, before anything is loaded."""
    missing = [f"stg_{f}.sql" for f in contracts if not (SQL_DIR / f"staging/stg_{f}.sql").exists()]
    if missing:
        raise ContractError(f"{SQL_DIR / 'staging'}: no staging SQL for {', '.join(missing)}")


def staging_views(con: duckdb.DuckDBPyConnection, contracts: dict[str, Contract]) -> None:
    """`current_files` and the stg_<feed> tables from sql/staging/, brought up to date."""
    refresh_staging(con, list(contracts))
