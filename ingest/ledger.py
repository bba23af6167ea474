"""The `ingest_ledger`: one row per file seen, the memory that makes ingest idempotent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from ingest.contracts import SQL_TYPES, Contract
from ingest.staging import drop_relation
from sagak.warehouse import quote_ident, sql_text, table_exists

LEDGER_COLUMNS = (
    "path",
    "feed",
    "delivery_date",
    "version",
    "sha256",
    "rows_received",
    "rows_loaded",
    "rows_quarantined",
    "status",
    "message",
    "ingested_at",
    "file_id",
)
# tables of the warehouse before issue 3 (16-hex sha256 pseudonyms, contacts inside)
OLD_TABLES = ("deliveries", "contacts", "quarantine")
RRN_IN_TEXT = re.compile(r"\b\d{6}-?\d{7}\b")
MESSAGE_CHARS = 500


@dataclass
class Seen:
    """What the ledger already knows: first path per sha256, and every (path, sha256) pair."""

    first_path: dict[str, str] = field(default_factory=dict)
    pairs: set[tuple[str, str]] = field(default_factory=set)

    def add(self, row: dict) -> None:
        """Remember a ledger row just written (a file that could not be read is retried).

        A duplicate never becomes the first path of its bytes: it is recorded as it is read,
        before the batch of the file it repeats is stored, so after an ingest killed in
        between the ledger holds the duplicate and not that file, which must still load."""
        if row["sha256"] is None:
            return
        self.pairs.add((row["path"], row["sha256"]))
        if row["status"] not in ("ignored", "duplicate"):
            self.first_path.setdefault(row["sha256"], row["path"])


def create_warehouse_tables(con: duckdb.DuckDBPyConnection, contracts: list[Contract]) -> None:
    """Create ingest_ledger, quarantine and every raw_<feed> if they do not exist."""
    drop_old_warehouse(con, contracts)
    con.execute(sql_text("ingest/warehouse_tables.sql"))
    for contract in contracts:
        table, columns = quote_ident(contract.raw_table), raw_columns(contract)
        con.execute(sql_text("ingest/raw_table.sql").format(table=table, columns=columns))


def drop_old_warehouse(con: duckdb.DuckDBPyConnection, contracts: list[Contract]) -> bool:
    """Drop the ingest tables of a pre-ledger warehouse (old pseudonyms); the inbox reloads them."""
    if not table_exists(con, "deliveries"):
        return False
    for contract in contracts:
        drop_relation(con, "stg_" + contract.feed)
        con.execute(f"drop table if exists {quote_ident(contract.raw_table)}")
    for table in ("reference_keys", "staged_files"):
        con.execute(f"drop table if exists {table}")
    for table in OLD_TABLES:
        con.execute(f"drop table if exists {table}")
    return True


def raw_columns(contract: Contract) -> str:
    """Column definitions of raw_<feed>: the stored contract columns, then file lineage."""
    typed = [f"{quote_ident(c.output)} {SQL_TYPES[c.type]}" for c in contract.stored]
    return ", ".join([*typed, "file_id varchar", "delivery_date date", "version integer"])


def seen_files(con: duckdb.DuckDBPyConnection) -> Seen:
    """The ledger's knowledge of files, oldest entry first."""
    rows = con.sql(sql_text("ingest/ledger_files.sql")).fetchall()
    seen = Seen()
    for path, sha, status in rows:
        seen.add({"path": path, "sha256": sha, "status": status})
    return seen


def ledger_row(**values) -> dict:
    """A complete ledger row: missing fields NULL, message redacted and shortened."""
    row = dict.fromkeys(LEDGER_COLUMNS) | values
    if row["message"]:
        row["message"] = RRN_IN_TEXT.sub("[rrn]", row["message"])[:MESSAGE_CHARS]
    row["ingested_at"] = row["ingested_at"] or datetime.now()
    return row


def record(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    """Append one row to the ledger."""
    values = ", ".join(f"${name}" for name in LEDGER_COLUMNS)
    con.execute(ledger_insert(values), row)


def record_many(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Append rows to the ledger, in order."""
    if rows:
        values = ", ".join("?" for _ in LEDGER_COLUMNS)
        con.executemany(
            ledger_insert(values), [[row[name] for name in LEDGER_COLUMNS] for row in rows]
        )


def ledger_insert(values: str) -> str:
    """The insert of one ledger row, its fields LEDGER_COLUMNS given as `values`."""
    names = ", ".join(LEDGER_COLUMNS)
    return sql_text("ingest/ledger_record.sql").format(names=names, values=values)


def supersede(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    """Mark earlier loaded versions of the row's feed and delivery date `superseded`."""
    params = {k: row[k] for k in ("path", "feed", "delivery_date")}
    con.execute(sql_text("ingest/supersede.sql"), params)


def as_json(row: dict) -> dict:
    """The ledger row with dates and timestamps as ISO strings."""
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}
