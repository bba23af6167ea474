"""The histories of the full-snapshot feeds, kept at ingest (slowly changing dimension type 2).

A registry snapshot repeats every person every month; its history keeps one row per person and
version, valid from the first snapshot listing it until the first that does not
(sql/staging/registry_history.sql); benefits likewise, one row per grant and end date. It is brought up to date from the stg_ table whenever the
snapshots from some delivery date on change — a new one, a late one dated before others, a
`_v2` replacing one: the versions the snapshot before that date lists carry on, and only the
snapshots from that date on are read again. `history_snapshots` lists the snapshots built from.
"""

from __future__ import annotations

import hashlib
from datetime import date

import duckdb

from sagak.warehouse import quote_ident, sql_text, table_exists

HISTORIES = {"registry": "registry_history", "benefits": "benefits_history"}
# `after` for a history built from every snapshot: earlier than any delivery
EVER = date(1, 1, 1)


def update_history(con: duckdb.DuckDBPyConnection, feed: str, changed_from: date | None) -> None:
    """Bring the feed's history up to date after its snapshots from `changed_from` on changed
    (None: none changed). A missing history, or one built by another SQL text, is rebuilt."""
    table = HISTORIES[feed]
    query = sql_text(f"staging/{table}.sql")
    tables = sql_text("ingest/history_tables.sql")
    sha = hashlib.sha256((tables + query).encode()).hexdigest()
    if not _built_by(con, feed, table, sha):
        con.execute(f"drop table if exists {quote_ident(table)}")
        con.execute(tables)
        con.execute(sql_text("ingest/history_forget.sql"), {"feed": feed})
        changed_from = EVER
    if changed_from is None:
        return
    after = _snapshots_from(con, feed, changed_from, sha)
    con.execute(sql_text("ingest/history_new.sql").format(query=query), {"after": after})
    _write(con, table, after)
    con.execute("drop table _history_new")


def rebuild_history(con: duckdb.DuckDBPyConnection, feed: str) -> None:
    """The feed's history built anew from every snapshot in its stg_ table."""
    update_history(con, feed, EVER)


def rebuild_histories(con: duckdb.DuckDBPyConnection) -> None:
    """Every full-snapshot feed's history built anew from its stg_ table (a partition's, a
    test's: stg_ tables made otherwise than by ingest)."""
    for feed in HISTORIES:
        rebuild_history(con, feed)


def _built_by(con: duckdb.DuckDBPyConnection, feed: str, table: str, sha: str) -> bool:
    """Whether the feed's history exists and was built by the SQL whose sha256 is `sha` (or
    there is nothing to build it from)."""
    if not (table_exists(con, table) and table_exists(con, "history_snapshots")):
        return False
    shas = con.execute(sql_text("ingest/history_shas.sql"), {"feed": feed}).fetchall()
    if shas == [(sha,)]:
        return True
    # no snapshot listed: built only if the stg_ table has none either (the history tables
    # may have been created for another feed)
    empty = sql_text("ingest/stg_is_empty.sql").format(table=quote_ident("stg_" + feed))
    return shas == [] and con.execute(empty).fetchall()[0][0]


def _snapshots_from(con: duckdb.DuckDBPyConnection, feed: str, changed_from: date, sha: str):
    """Relist the snapshots from `changed_from` on in history_snapshots; the date of the last
    one before it (EVER if none): the history up to there stands."""
    params = {"feed": feed, "changed_from": changed_from}
    con.execute(sql_text("ingest/history_snapshots_forget_from.sql"), params)
    listed = sql_text("ingest/history_snapshots_from.sql").format(stg=quote_ident("stg_" + feed))
    con.execute(listed, params | {"sha": sha})
    before = con.execute(sql_text("ingest/history_snapshot_before.sql"), params).fetchall()[0][0]
    return before or EVER


def _write(con: duckdb.DuckDBPyConnection, table: str, after: date) -> None:
    """Replace the history after `after` by temp table _history_new: the versions listed then
    get their new valid_to, later versions are deleted and written again."""
    history = quote_ident(table)
    con.execute(sql_text("ingest/history_valid_to.sql").format(history=history))
    con.execute(sql_text("ingest/history_drop_after.sql").format(history=history), {"after": after})
    con.execute(sql_text("ingest/history_add_new.sql").format(history=history))
