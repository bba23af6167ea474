"""The `ingest_ledger`: one row per file seen, the memory that makes ingest idempotent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from ingest.contracts import SQL_TYPES, Contract
from ingest.read import quote_ident
from ingest.staging import drop_relation
from sagak.warehouse import sql_text

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
        """Remember a ledger row just written (a file that could not be read is retried)."""
        if row["sha256"] is None:
            return
        self.pairs.add((row["path"], row["sha256"]))
        if row["status"] != "ignored":
            self.first_path.setdefault(row["sha256"], row["path"])


def create_warehouse_tables(con: duckdb.DuckDBPyConnection, contracts: list[Contract]) -> None:
    """Create ingest_ledger, quarantine and every raw_<feed> if they do not exist."""
    drop_old_warehouse(con, contracts)
    con.execute(sql_text("ingest/warehouse_tables.sql"))
    for contract in contracts:
        con.execute(
            f"create table if not exists {quote_ident(contract.raw_table)} ({raw_columns(contract)})"
        )


def drop_old_warehouse(con: duckdb.DuckDBPyConnection, contracts: list[Contract]) -> bool:
    """Drop the ingest tables of a pre-ledger warehouse (old pseudonyms); the inbox reloads them."""
    tables = {r[0] for r in con.sql("select table_name from duckdb_tables()").fetchall()}
    if "deliveries" not in tables:
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
    # a duplicate is recorded before the batch of the file it repeats: that file comes first
    rows = con.sql(
        "select path, sha256, status from ingest_ledger where sha256 is not null "
        "order by status = 'duplicate', rowid"
    ).fetchall()
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
    names = ", ".join(LEDGER_COLUMNS)
    values = ", ".join(f"${name}" for name in LEDGER_COLUMNS)
    con.execute(f"insert into ingest_ledger ({names}) values ({values})", row)


def record_many(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Append rows to the ledger, in order."""
    if rows:
        names = ", ".join(LEDGER_COLUMNS)
        values = ", ".join("?" for _ in LEDGER_COLUMNS)
        con.executemany(
            f"insert into ingest_ledger ({names}) values ({values})",
            [[row[name] for name in LEDGER_COLUMNS] for row in rows],
        )


def supersede(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    """Mark earlier loaded versions of the row's feed and delivery date `superseded`."""
    params = {k: row[k] for k in ("path", "feed", "delivery_date")}
    con.execute(sql_text("ingest/supersede.sql"), params)


def as_json(row: dict) -> dict:
    """The ledger row with dates and timestamps as ISO strings."""
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}
