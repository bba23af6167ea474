"""The stg_<feed> tables: sql/staging/stg_<feed>.sql materialised, file by file, at ingest; the
full-snapshot feeds' as views.

A staging query keeps the rows of the files that count (`current_files`: the newest loaded
version per feed and delivery date) with exact repeats within a file collapsed. Its rows are
a union over files (file_id is a column), so the table is kept equal to the query by adding
the rows of files that came to count and deleting those of files that stopped counting
(superseded), instead of re-reading every delivery on every read. A full-snapshot feed's
history (ingest/history.py) follows its stg_ table in the same transaction, from the earliest
delivery date that gained or lost rows. `staged_files` records which files are in, and under
which text of the query: a changed query rebuilds its table.

The full-snapshot feeds (VIEWS) repeat every person or grant every month: a copy of their
rows would double the biggest table of the warehouse and cost the first load most of its
staging time, while their staging query only picks the files that count (no distinct: the
checks leave one row per key and file, and their queries keep the key). They are views;
`staged_files` is kept for them all the same, so their histories know what changed.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator

import duckdb

from ingest.history import HISTORIES, update_history
from sagak.warehouse import quote_ident, sql_text

VIEWS = ("registry", "benefits")  # feeds whose stg_ relation is a view over raw_<feed>


def refresh_staging(con: duckdb.DuckDBPyConnection, feeds: list[str]) -> None:
    """(Re)create the `current_files` view and bring every stg_<feed> table up to date."""
    con.execute(f"create or replace view current_files as {sql_text('staging/current_files.sql')}")
    con.execute(sql_text("ingest/staged_files.sql"))
    for feed in feeds:
        refresh_feed(con, feed)


def relation_kind(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    """'table', 'view' or None: what `name` is in the main schema."""
    found = con.execute(sql_text("ingest/relation_kind.sql"), {"name": name}).fetchall()
    if not found:
        return None
    return "view" if found[0][0] == "VIEW" else "table"


def drop_relation(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop `name`, table or view, if it exists."""
    kind = relation_kind(con, name)
    if kind is not None:
        con.execute(f"drop {kind} {quote_ident(name)}")


def refresh_feed(con: duckdb.DuckDBPyConnection, feed: str) -> None:
    """Add the rows of files that count now, drop those of files that stopped counting.

    A table made anew is made, empty, in a transaction of its own: within the transaction that
    made a table by `create table ... as ... limit 0`, DuckDB 2.0 plans from the empty table's
    statistics once a full row group (122,880 rows) was added to it, so the history's reads saw
    no snapshot at all (a first load left registry_history empty)."""
    query, sha = staging_query(feed)
    with transaction(con):
        start_afresh(con, feed, query, sha)
    with transaction(con):
        update_feed(con, feed, query, sha)


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The block's statements committed together, or rolled back if it raises."""
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def staging_query(feed: str) -> tuple[str, str]:
    """The feed's staging query and the sha256 of its text."""
    query = sql_text(f"staging/stg_{feed}.sql")
    return query, hashlib.sha256(query.encode()).hexdigest()


def start_afresh(con: duckdb.DuckDBPyConnection, feed: str, query: str, sha: str) -> None:
    """An empty stg_ table (a view for VIEWS) with no files staged, when there is none, it is of
    the other kind, or another text of its query (`sha`) made it."""
    name, params = "stg_" + feed, {"feed": feed}
    kind = "view" if feed in VIEWS else "table"
    shas = con.execute(sql_text("ingest/staged_shas.sql"), params).fetchall()
    if relation_kind(con, name) != kind or shas not in ([], [(sha,)]):
        drop_relation(con, name)
        con.execute(sql_text("ingest/staged_files_forget.sql"), params)
        if kind == "view":
            con.execute(f"create view {quote_ident(name)} as {query}")
        else:
            made = sql_text("ingest/staging_empty.sql").format(table=quote_ident(name), query=query)
            con.execute(made)


def update_feed(con: duckdb.DuckDBPyConnection, feed: str, query: str, sha: str) -> None:
    """The statements of refresh_feed that bring the table up to date, inside its transaction."""
    table, params = quote_ident("stg_" + feed), {"feed": feed}
    copied = feed not in VIEWS  # a view's rows follow current_files by themselves
    con.execute(sql_text("ingest/staging_gone.sql"), params)
    if copied:
        con.execute(sql_text("ingest/staging_drop_gone.sql").format(table=table))
    con.execute(sql_text("ingest/staged_files_drop_gone.sql"), params)
    con.execute(sql_text("ingest/staging_new.sql"), params)
    first, last = con.sql(sql_text("ingest/staging_new_dates.sql")).fetchall()[0]
    if first is not None:
        if copied:
            add_new = sql_text("ingest/staging_add_new.sql").format(table=table, query=query)
            con.execute(add_new, {"first": first, "last": last})
        con.execute(sql_text("ingest/staged_files_add_new.sql"), params | {"sha": sha})
    if feed in HISTORIES:
        changed_from = con.execute(sql_text("ingest/staging_changed_from.sql")).fetchall()[0][0]
        update_history(con, feed, changed_from)
    con.execute("drop table _gone_files")
    con.execute("drop table _new_files")
