"""The contacts store: names, phones and addresses in their own DuckDB file (0600), apart from
the warehouse. Ingest writes it; only visit-sheet writing reads it (attached read-only)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from ingest.contracts import Contract
from sagak.warehouse import quote_ident, sql_text

ALIAS = "sagak_contacts"


def create_store(path: Path) -> None:
    """Create the store file with its `contacts` table if needed; owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = os.umask(0o077)  # the file (and its WAL) is owner-only from the first byte
    try:
        with duckdb.connect(str(path)) as store:
            store.execute(sql_text("ingest/contacts_table.sql"))
    finally:
        os.umask(old)
    path.chmod(0o600)


def attach(con: duckdb.DuckDBPyConnection, path: Path, read_only: bool = False) -> None:
    """Attach the store to `con` as sagak_contacts (created first if missing)."""
    attached = {row[0] for row in con.sql(sql_text("ingest/attached_databases.sql")).fetchall()}
    if ALIAS in attached:
        return
    if not path.exists() or not read_only:
        create_store(path)
    mode = " (read_only)" if read_only else ""
    con.execute(f"attach $path as {ALIAS}{mode}", {"path": str(path)})


def detach(con: duckdb.DuckDBPyConnection) -> None:
    """Detach the store if it is attached."""
    con.execute(f"detach database if exists {ALIAS}")


def store_contacts(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """The clean rows' contact details of the batch's loaded files (`_files`), replacing any
    earlier try of those files."""
    keys = [c for c in contract.columns if c.output != c.name and not c.contact]
    picked = ", ".join(f"t.{quote_ident(c.output)}" for c in (*keys, *contract.contacts))
    con.begin()
    con.execute(sql_text("ingest/contacts_forget.sql").format(store=ALIAS))
    con.execute(sql_text("ingest/contacts_add.sql").format(store=ALIAS, picked=picked))
    con.commit()
