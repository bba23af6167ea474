"""Ingest: new inbox deliveries -> raw_<feed>, quarantine, contacts and the ledger; stg_ views."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory

import duckdb

from ingest.casting import typed_query, used_params
from ingest.contracts import Contract, ContractError, load_contracts
from ingest.inbox import Delivery, Ignored, scan_inbox
from ingest.ledger import (
    Seen,
    as_json,
    create_warehouse_tables,
    ledger_row,
    record,
    seen_files,
)
from ingest.read import RejectedFile, quote_ident, read_delivery
from sagak.settings import SQL_DIR, Settings
from sagak.warehouse import sql_text

TEMP_TABLES = ("_incoming", "_json_lines", "_typed")


def ingest_inbox(
    con: duckdb.DuckDBPyConnection,
    inbox: str | Path,
    as_of: date,
    pepper: str,
    contracts_dir: Path | None = None,
) -> list[dict]:
    """Load every new delivery dated on or before as_of; one ledger row per file considered.

    Contracts come from `contracts_dir`, else from the SAGAK_HOME the inbox lives in.
    """
    inbox = Path(inbox)
    contracts = load_contracts(contracts_dir or Settings(home=inbox.parent).contracts)
    check_staging_files(contracts)
    create_warehouse_tables(con, list(contracts.values()))
    deliveries, ignored = scan_inbox(inbox, contracts, as_of) if inbox.is_dir() else ([], [])
    seen = seen_files(con)
    rows = [row for found in ignored if (row := ignore_file(con, found, seen))]
    for delivery in deliveries:
        if row := consider(con, delivery, contracts[delivery.feed], pepper, seen):
            rows.append(row)
    staging_views(con, contracts)
    return [as_json(row) for row in rows]


def ignore_file(con: duckdb.DuckDBPyConnection, found: Ignored, seen: Seen) -> dict | None:
    """Record a file that is not a delivery, once per (path, bytes)."""
    data, error = read_bytes(found.path)
    sha = hashlib.sha256(data).hexdigest() if error is None else None
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
    con: duckdb.DuckDBPyConnection, delivery: Delivery, contract: Contract, pepper: str, seen: Seen
) -> dict | None:
    """Load a delivery, or record it as a duplicate; None if this very file was seen before."""
    data, error = read_bytes(delivery.path)
    sha = hashlib.sha256(data).hexdigest() if error is None else None
    if (delivery.relative, sha) in seen.pairs:
        return None
    ids = {
        "file_id": sha and sha[:16],
        "feed": delivery.feed,
        "path": delivery.relative,
        "delivery_date": delivery.delivery_date,
        "version": delivery.version,
        "sha256": sha,
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
        row = load_delivery(con, delivery, data, contract, pepper, ids)
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
    pepper: str,
    ids: dict,
) -> dict:
    """Load one delivery in one transaction; a file that cannot be read is rejected whole."""
    con.begin()
    try:
        counts, notes = store_delivery(con, delivery, data, contract, pepper, ids)
        row = ledger_row(**(ids | counts), status="loaded", message=notes)
        record(con, row)
        con.commit()
    except (RejectedFile, duckdb.Error, OSError) as err:
        con.rollback()
        message = f"{delivery.relative}: rejected: {first_line(err)}"
        row = ledger_row(**ids, status="rejected", message=message)
        record(con, row)
    drop_temp_tables(con)
    return row


def store_delivery(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    data: bytes,
    contract: Contract,
    pepper: str,
    ids: dict,
) -> tuple[dict, str | None]:
    """Read, type and split one delivery's rows; returns the row counts and notes."""
    with TemporaryDirectory(prefix="sagak-ingest-") as workdir:
        noticed = read_delivery(con, delivery.path, data, contract, Path(workdir))
    params = {**ids, "pepper": pepper}
    query = typed_query(contract)
    con.execute(query, used_params(query, params))
    for statement in store_statements(contract):
        con.execute(statement, used_params(statement, params))
    received, loaded, quarantined = con.sql(
        "select count(*), count(*) filter (where _reason is null), "
        "count(*) filter (where _reason is not null) from _typed"
    ).fetchall()[0]
    counts = {"rows_received": received, "rows_loaded": loaded, "rows_quarantined": quarantined}
    return counts, notes(noticed, contract)


def store_statements(contract: Contract) -> list[str]:
    """Inserts from _typed: clean rows to raw_<feed> (and contacts), the rest to quarantine."""
    stored = ", ".join(quote_ident(c.output) for c in contract.stored)
    lineage = "$file_id as file_id, $delivery_date as delivery_date"
    statements = [
        f"insert into {quote_ident(contract.raw_table)} by name select {stored}, {lineage}, "
        "$version as version from _typed where _reason is null",
        sql_text("ingest/quarantine_rows.sql"),
    ]
    if contract.contacts:
        keys = [c for c in contract.columns if c.output != c.name]
        picked = ", ".join(quote_ident(c.output) for c in (*keys, *contract.contacts))
        statements.append(
            f"insert into contacts by name select {picked}, {lineage} from _typed "
            "where _reason is null"
        )
    return statements


def notes(noticed: dict, contract: Contract) -> str | None:
    """What a person should know about a loaded file: encoding surprises, ignored columns."""
    found = []
    encoding = noticed["encoding"]
    if encoding and encoding.split("-")[0] != str(contract.encoding).split("-")[0]:
        found.append(f"encoding {encoding}, contract says {contract.encoding}")
    if noticed["extra"]:
        found.append("ignored columns: " + ", ".join(noticed["extra"]))
    return "; ".join(found) or None


def first_line(err: Exception) -> str:
    """What went wrong, in two lines at most; never the offending line of data itself."""
    lines = [x.strip() for x in str(err).splitlines() if x.strip()]
    kept = [x for x in lines if not x.startswith("Original Line")][:2]
    return " ".join(kept) or type(err).__name__


def drop_temp_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Free the per-delivery temp tables."""
    for name in TEMP_TABLES:
        con.execute(f"drop table if exists {name}")


def check_staging_files(contracts: dict[str, Contract]) -> None:
    """Every contract has its sql/staging/stg_<feed>.sql, before anything is loaded."""
    missing = [f"stg_{f}.sql" for f in contracts if not (SQL_DIR / f"staging/stg_{f}.sql").exists()]
    if missing:
        raise ContractError(f"{SQL_DIR / 'staging'}: no staging SQL for {', '.join(missing)}")


def staging_views(con: duckdb.DuckDBPyConnection, contracts: dict[str, Contract]) -> None:
    """(Re)create the stg_<feed> views from sql/staging/."""
    for feed in contracts:
        query = sql_text(f"staging/stg_{feed}.sql")
        con.execute(f"create or replace view {quote_ident('stg_' + feed)} as {query}")
