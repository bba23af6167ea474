"""Ingest: new inbox deliveries -> raw_<feed>, quarantine, contacts and the ledger; stg_ views."""

from __future__ import annotations

import contextlib
import hashlib
from datetime import date
from pathlib import Path

import duckdb

from ingest import fingerprints
from ingest.archive import archive_stored
from ingest.casting import used_params
from ingest.contacts import attach, detach, store_contacts
from ingest.contracts import Contract, ContractError, load_contracts
from ingest.fingerprints import Fingerprints
from ingest.inbox import Delivery, Ignored, scan_inbox
from ingest.ledger import (
    Seen,
    as_json,
    create_warehouse_tables,
    ledger_row,
    record,
    seen_files,
    supersede,
)
from ingest.read import RejectedFile, delivered, quote_ident
from ingest.reference import add_delivery
from ingest.reference import prepare as prepare_references
from ingest.staging import refresh_staging
from ingest.store import LINE_OFFSET, check_delivery
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
    then move the files whose rows are stored there (ingest/archive.py)."""
    deliveries, ignored = scan_inbox(inbox, contracts, as_of) if inbox.is_dir() else ([], [])
    seen, prints = seen_files(con), fingerprints.load(con)
    rows = [row for found in ignored if (row := ignore_file(con, found, seen, prints))]
    for delivery in deliveries:
        if row := consider(con, delivery, contracts[delivery.feed], secret, seen, prints):
            rows.append(row)
    fingerprints.save(con, prints)
    if archive is not None:
        with step("archive"):
            archive_stored(con, deliveries, archive)
    return rows


def current(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> list[dict]:
    """The rows as the ledger holds them now (a v1 loaded tonight may be superseded since)."""
    now = {
        (path, sha): (status, message)
        for path, sha, status, message in con.sql(
            "select path, sha256, status, message from ingest_ledger where sha256 is not null"
        ).fetchall()
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
    contract: Contract,
    secret: str,
    seen: Seen,
    prints: Fingerprints,
) -> dict | None:
    """Load a delivery, or record it as a duplicate; None if this very file was seen before."""
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
        row = load_delivery(con, delivery, data, contract, secret, ids)
    seen.add(row)
    return row


def read_bytes(path: Path) -> tuple[bytes, str | None]:
    """The bytes of a file, or why they could not be read (gone, no permission)."""
    try:
        return path.read_bytes(), None
    except OSError as err:
        return b"", f"could not read the file: {err.strerror or err}"


def load_delivery(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    data: bytes,
    contract: Contract,
    secret: str,
    ids: dict,
) -> dict:
    """Check and store one delivery; a file that cannot be read is rejected whole."""
    try:
        checked = check_delivery(con, delivery, data, contract, secret)
        with step("store"):
            row = store_delivery(con, delivery, contract, ids, checked)
    except (RejectedFile, duckdb.Error, OSError) as err:
        rollback_quietly(con)
        message = f"{delivery.relative}: rejected: {first_line(err)}"
        row = ledger_row(**ids, status="rejected", message=message)
        record(con, row)
    drop_temp_tables(con)
    return row


def store_delivery(
    con: duckdb.DuckDBPyConnection, delivery: Delivery, contract: Contract, ids: dict, checked: dict
) -> dict:
    """Contacts to their store, then clean rows, quarantine and the ledger in one transaction."""
    counts = {k: checked[k] for k in ("rows_received", "rows_loaded", "rows_quarantined")}
    loaded = checked["rejected"] is None
    if loaded and contract.contacts:
        store_contacts(con, contract, ids["file_id"], delivery.delivery_date)
    params = {**ids, "line_offset": LINE_OFFSET[contract.format]}
    con.begin()
    if loaded:
        con.execute(raw_insert(contract), used_params(raw_insert(contract), params))
        add_delivery(con, contract.feed, delivery.delivery_date)
    query = sql_text("ingest/quarantine_rows.sql")
    con.execute(query, used_params(query, params))
    if loaded:
        row = ledger_row(**(ids | counts), status="loaded", message=notes(checked, contract))
    else:
        message = f"{delivery.relative}: rejected: {checked['rejected']}"
        row = ledger_row(**(ids | counts), status="rejected", message=message)
    record(con, row)
    supersede(con, row)
    con.commit()
    return row


def raw_insert(contract: Contract) -> str:
    """Insert of the clean rows of _typed into raw_<feed>, with their file lineage."""
    stored = ", ".join(quote_ident(c.output) for c in contract.stored)
    return (
        f"insert into {quote_ident(contract.raw_table)} by name select {stored}, "
        "$file_id as file_id, $delivery_date as delivery_date, $version as version "
        "from _typed where len(_reasons) = 0"
    )


def rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if there is one."""
    with contextlib.suppress(duckdb.Error):
        con.rollback()


def notes(checked: dict, contract: Contract) -> str | None:
    """What a person should know about a loaded file: encoding surprises, ignored columns."""
    found = []
    noticed = checked["noticed"]
    encoding = noticed["encoding"]
    if encoding and encoding.split("-")[0] != str(contract.encoding).split("-")[0]:
        found.append(f"encoding {encoding}, contract says {contract.encoding}")
    if noticed["extra"]:
        found.append("ignored columns: " + ", ".join(noticed["extra"]))
    found += checked["skipped"]
    return "; ".join(found) or None


def first_line(err: Exception) -> str:
    """What went wrong, in two lines at most; never the offending line of data itself."""
    lines = [x.strip() for x in str(err).splitlines() if x.strip()]
    kept = [x for x in lines if not x.startswith("Original Line")][:2]
    return " ".join(kept) or type(err).__name__


def drop_temp_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Free the per-delivery temp tables (incoming, typed, key tables, quarantined ...)."""
    names = con.sql("select table_name from duckdb_tables() where temporary").fetchall()
    for (name,) in names:
        con.execute(f"drop table if exists temp.{quote_ident(name)}")


def check_staging_files(contracts: dict[str, Contract]) -> None:
    """Every contract has its sql/staging/stg_<feed>.sql, before anything is loaded."""
    missing = [f"stg_{f}.sql" for f in contracts if not (SQL_DIR / f"staging/stg_{f}.sql").exists()]
    if missing:
        raise ContractError(f"{SQL_DIR / 'staging'}: no staging SQL for {', '.join(missing)}")


def staging_views(con: duckdb.DuckDBPyConnection, contracts: dict[str, Contract]) -> None:
    """`current_files` and the stg_<feed> tables from sql/staging/, brought up to date."""
    refresh_staging(con, list(contracts))
