"""Batches: each feed's new deliveries read one by one into a pending table, then checked and
stored together, so every check is one set-based statement over a night's files of the feed
instead of one per file (`_file` numbers a delivery in its batch).

Each feed's batch lives in a schema of its own (`<feed>_<n>`) of an in-memory database every
cursor of the warehouse sees (`sagak_pending`): its rows as read (`_incoming`), and once the
batch is full its key tables and typed rows (`_k_<column>`, `_typed`: `prepare`), so one batch
is read and typed on one cursor while the batch before it is checked and stored on another
(ingest/handover.py); the statements find them by the search path (`batch_tables`).

The pending batches are loaded when they hold BATCH_BYTES of content, and at the end of the
inbox; the feeds other feeds' keys are checked against (known_in: registry) load first, so a
file is checked against every reference delivery dated on or before its own, as one by one.
A batch a statement fails on is loaded again file by file: only the file at fault is rejected.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

import duckdb

from ingest.contacts import store_contacts
from ingest.contracts import Contract
from ingest.inbox import Delivery
from ingest.ledger import ledger_row, record, record_many, supersede
from ingest.read import Into, RejectedFile, read_delivery
from ingest.reference import REFERENCED, add_batch
from ingest.store import LINE_OFFSET, Pending, check_batch, type_batch
from ingest.timing import step
from sagak.warehouse import quote_ident, quote_literal, sql_text

# content bytes read before the pending batches load: a bound on memory, not on results
BATCH_BYTES = 128 * 2**20
PENDING_DB = "sagak_pending"  # in memory, attached for the length of an ingest
KEPT = ("_failed_batch",)  # temp tables that outlive a batch's checks


@dataclass
class Batches:
    """The deliveries read and not loaded yet, per feed, and their content bytes in all."""

    contracts: dict[str, Contract]
    secret: str
    files: dict[str, list[Pending]] = field(default_factory=dict)
    size: int = 0
    number: int = 0  # which batch of the ingest: names its schemas
    prepared: set[str] = field(default_factory=set)  # feeds whose batch is keyed and typed

    def following(self) -> Batches:
        """The next batches, empty, to read into while these load."""
        return Batches(self.contracts, self.secret, number=self.number + 1)

    def schema(self, feed: str) -> str:
        """The quoted name of the schema of the feed's batch."""
        return f"{PENDING_DB}.{quote_ident(f'{feed}_{self.number}')}"


@contextlib.contextmanager
def pending_database(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The in-memory database of the batches attached, empty, for the block (an ingest
    interrupted earlier in this process may have left batches in it)."""
    con.execute(f"detach database if exists {PENDING_DB}")
    con.execute(f"attach ':memory:' as {PENDING_DB}")
    try:
        yield
    finally:
        con.execute(f"detach database if exists {PENDING_DB}")


def add_to_batch(
    con: duckdb.DuckDBPyConnection, batches: Batches, delivery: Delivery, data: bytes, ids: dict
) -> dict | None:
    """Read a delivery into its feed's pending batch; the ledger row if it cannot be read."""
    contract = batches.contracts[delivery.feed]
    files = batches.files.setdefault(delivery.feed, [])
    table = pending_table(con, contract, batches.schema(delivery.feed))
    into = Into(table, len(files), delivery.delivery_date)
    try:
        with step("read"), TemporaryDirectory(prefix="sagak-ingest-") as workdir:
            noticed = read_delivery(con, delivery.path, data, contract, Path(workdir), into)
    except (RejectedFile, duckdb.Error, OSError) as err:
        rollback_quietly(con)
        row = ledger_row(**ids, status="rejected", message=rejected(delivery, err))
        record(con, row)
        return row
    finally:
        con.execute("drop table if exists temp._json_lines")
    files.append(Pending(delivery, ids, noticed))
    batches.size += len(data)
    return None


def pending_table(con: duckdb.DuckDBPyConnection, contract: Contract, schema: str) -> str:
    """`_incoming` in the `schema` of a feed's batch, created if need be: `_file`,
    `_delivery_date`, `_row` and the contract's columns as text."""
    table = f"{schema}._incoming"
    columns = ", ".join(f"{quote_ident(c.name)} varchar" for c in contract.columns)
    con.execute(f"create schema if not exists {schema}")
    con.execute(sql_text("ingest/pending_table.sql").format(table=table, columns=columns))
    return table


@contextlib.contextmanager
def batch_tables(con: duckdb.DuckDBPyConnection, schema: str) -> Iterator[None]:
    """Within the block, `_incoming`, `_k_<column>` and `_typed` name the tables of the batch in
    `schema` (after the connection's temp tables and the warehouse's own)."""
    database = con.sql("select current_database()").fetchall()[0][0]
    path = f"{quote_ident(database)}.main,{schema}"
    con.execute(f"set search_path = {quote_literal(path)}")
    try:
        yield
    finally:
        con.execute("reset search_path")


def prepare(con: duckdb.DuckDBPyConnection, batches: Batches) -> None:
    """Key and type each feed's batch into its schema, on the reading cursor `con`: work that
    needs nothing of the warehouse. A feed whose statements fail is left to load_batch."""
    for feed in (feed for feed, files in batches.files.items() if files):
        schema = batches.schema(feed)
        try:
            with batch_tables(con, schema):
                type_batch(con, batches.contracts[feed], batches.secret, schema)
        except duckdb.Error:
            rollback_quietly(con)
            continue
        batches.prepared.add(feed)


def load_batches(con: duckdb.DuckDBPyConnection, batches: Batches) -> list[dict]:
    """Check and store every pending batch, reference feeds first; their ledger rows."""
    order = sorted(batches.files, key=lambda feed: (feed not in REFERENCED, feed))
    rows = []
    for feed in order:
        files, schema = batches.files[feed], batches.schema(feed)
        try:
            if files:  # else every file of the feed was rejected as it was read
                with batch_tables(con, schema):
                    prepared = feed in batches.prepared
                    rows += load_batch(
                        con, batches.contracts[feed], files, batches.secret, prepared
                    )
        finally:
            con.execute(f"drop schema if exists {schema} cascade")
    batches.files.clear()
    batches.size = 0
    return rows


def load_batch(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    files: list[Pending],
    secret: str,
    prepared: bool = False,
) -> list[dict]:
    """Check and store the batch in `_incoming` (keyed and typed already if `prepared`); if a
    statement fails, file by file."""
    try:
        checked = check_batch(con, contract, files, secret, prepared)
        with step("store"):
            rows = store_batch(con, contract, files, checked)
    except (duckdb.Error, OSError) as err:
        rollback_quietly(con)
        if len(files) > 1:
            return file_by_file(con, contract, files, secret)
        message = rejected(files[0].delivery, err)
        rows = [ledger_row(**files[0].ids, status="rejected", message=message)]
        record(con, rows[0])
    drop_temp_tables(con)
    return rows


def file_by_file(
    con: duckdb.DuckDBPyConnection, contract: Contract, files: list[Pending], secret: str
) -> list[dict]:
    """Load each file of a failed batch as a batch of its own."""
    drop_temp_tables(con)
    con.execute("create temp table _failed_batch as select * from _incoming")
    rows = []
    for file, pending in enumerate(files):
        con.execute(sql_text("ingest/failed_batch_file.sql"), {"file": file})
        rows += load_batch(con, contract, [pending], secret)
    con.execute("drop table temp._failed_batch")
    return rows


def store_batch(
    con: duckdb.DuckDBPyConnection, contract: Contract, files: list[Pending], checked: list[dict]
) -> list[dict]:
    """Contacts to their store, then clean rows, quarantine and the ledger in one transaction."""
    files_table(con, files, checked)
    if contract.contacts:
        store_contacts(con, contract)
    params = {"feed": contract.feed, "line_offset": LINE_OFFSET[contract.format]}
    con.begin()
    con.execute(raw_insert(contract))
    add_batch(con, contract.feed)
    con.execute(sql_text("ingest/quarantine_rows.sql"), params)
    rows = [file_row(f, contract, outcome) for f, outcome in zip(files, checked, strict=True)]
    versioned = other_versions(con, contract.feed, rows)
    record_many(con, [row for row in rows if row["delivery_date"] not in versioned])
    for row in (row for row in rows if row["delivery_date"] in versioned):
        record(con, row)
        supersede(con, row)  # in file order: a _v2 supersedes the _v1 before it
    con.commit()
    return rows


def other_versions(con: duckdb.DuckDBPyConnection, feed: str, rows: list[dict]) -> set:
    """The delivery dates of `rows` with more than one version loaded (or superseded), in the
    ledger already or among `rows`: only theirs can supersede or be superseded."""
    dates = [row["delivery_date"] for row in rows]
    held = con.execute(sql_text("ingest/versioned_dates.sql"), {"feed": feed, "dates": dates})
    found = {day for (day,) in held.fetchall()}
    loaded = [row["delivery_date"] for row in rows if row["status"] == "loaded"]
    return found | {day for day in loaded if loaded.count(day) > 1}


def files_table(con: duckdb.DuckDBPyConnection, files: list[Pending], checked: list[dict]) -> None:
    """Temp table `_files`: each file of the batch by `_file`, its lineage and whether it loads."""
    con.execute(sql_text("ingest/batch_files.sql"))
    fields = ("file_id", "path", "delivery_date", "version")
    con.executemany(
        sql_text("ingest/batch_files_add.sql"),
        [
            [n, *(pending.ids[k] for k in fields), outcome["rejected"] is None]
            for n, (pending, outcome) in enumerate(zip(files, checked, strict=True))
        ],
    )


def file_row(pending: Pending, contract: Contract, outcome: dict) -> dict:
    """The ledger row of a checked file: loaded with its notes, or rejected with the reason."""
    counts = {k: outcome[k] for k in ("rows_received", "rows_loaded", "rows_quarantined")}
    if outcome["rejected"] is None:
        return ledger_row(
            **(pending.ids | counts), status="loaded", message=notes(outcome, contract)
        )
    message = f"{pending.delivery.relative}: rejected: {outcome['rejected']}"
    return ledger_row(**(pending.ids | counts), status="rejected", message=message)


def raw_insert(contract: Contract) -> str:
    """Insert of the clean rows of _typed into raw_<feed>, with their file lineage (`_files`)."""
    stored = ", ".join(f"t.{quote_ident(c.output)}" for c in contract.stored)
    table = quote_ident(contract.raw_table)
    return sql_text("ingest/raw_insert.sql").format(table=table, stored=stored)


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


def rejected(delivery: Delivery, err: Exception) -> str:
    """The ledger message of a file that could not be loaded at all."""
    return f"{delivery.relative}: rejected: {first_line(err)}"


def first_line(err: Exception) -> str:
    """What went wrong, in two lines at most; never the offending line of data itself."""
    lines = [x.strip() for x in str(err).splitlines() if x.strip()]
    kept = [x for x in lines if not x.startswith("Original Line")][:2]
    return " ".join(kept) or type(err).__name__


def rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if there is one."""
    with contextlib.suppress(duckdb.Error):
        con.rollback()


def drop_temp_tables(con: duckdb.DuckDBPyConnection, keep: tuple[str, ...] = KEPT) -> None:
    """Free the temp tables of a file read or a batch checked (incoming, typed, key tables ...),
    all but those named with a prefix in `keep` (the pending batches)."""
    names = con.sql(sql_text("ingest/temp_tables.sql")).fetchall()
    for (name,) in names:
        if not name.startswith(keep):
            con.execute(f"drop table if exists temp.{quote_ident(name)}")
