"""reference_keys: the keys of reference feeds (the `known_in` of other feeds' columns), kept
in step with their raw tables, so checking a delivery's keys reads one row per known key
instead of every snapshot the reference feed ever delivered."""

from __future__ import annotations

import duckdb

from ingest.contracts import Contract
from sagak.warehouse import quote_ident, sql_text

# reference feed -> its key columns other feeds check against; set by prepare() per ingest run
REFERENCED: dict[str, list[str]] = {}
CLEAN_ROWS = "(select {key}, _delivery_date as delivery_date from _typed where len(_reasons) = 0)"


def referenced(contracts: list[Contract]) -> dict[str, list[str]]:
    """Reference feed -> the key columns (output names) some contract says keys are known in."""
    found: dict[str, list[str]] = {}
    for contract in contracts:
        for column in (c for c in contract.columns if c.known_in):
            keys = found.setdefault(column.known_in, [])
            if column.output not in keys:
                keys.append(column.output)
    return found


def prepare(con: duckdb.DuckDBPyConnection, contracts: list[Contract]) -> None:
    """Create reference_keys; fill a reference column from its raw table the first time."""
    con.execute(sql_text("ingest/reference_keys.sql"))
    REFERENCED.clear()
    REFERENCED.update(referenced(contracts))
    for feed, keys in REFERENCED.items():
        for key in keys:
            params = {"feed": feed, "key_column": key}
            filled = con.execute(sql_text("ingest/reference_filled.sql"), params).fetchall()[0][0]
            if not filled:
                add(con, key, quote_ident(f"raw_{feed}"), params)


def add(con: duckdb.DuckDBPyConnection, key: str, source: str, params: dict) -> None:
    """Merge the keys of `source` (a relation with `key` and delivery_date) into reference_keys."""
    query = sql_text("ingest/reference_keys_add.sql").format(key=quote_ident(key), source=source)
    con.execute(query, params)


def add_batch(con: duckdb.DuckDBPyConnection, feed: str) -> None:
    """The keys of the batch's clean rows in _typed, if other feeds check keys against them."""
    for key in REFERENCED.get(feed, []):
        params = {"feed": feed, "key_column": key}
        add(con, key, CLEAN_ROWS.format(key=quote_ident(key)), params)
