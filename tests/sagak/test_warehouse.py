"""The one answer to "does this table exist": tables and views, temporary ones, attached ones."""

from __future__ import annotations

import duckdb

from sagak.warehouse import sql_text, table_exists, tables


def warehouse_with_one_of_each(tmp_path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table ingest_ledger (feed varchar)")
    con.execute("create view current_files as select 1 as one")
    con.execute("create temp table fx_members (person_key varchar)")
    other = tmp_path / "reader.duckdb"
    with duckdb.connect(str(other)) as copy:
        copy.execute("create table quarantine (feed varchar)")
    con.execute("attach $path as w (read_only)", {"path": str(other)})
    return con


def test_tables_names_tables_views_temporary_and_attached_ones(tmp_path):
    con = warehouse_with_one_of_each(tmp_path)
    assert tables(con) == {"ingest_ledger", "current_files", "fx_members", "quarantine"}
    assert tables(con, "w") == {"quarantine"}


def test_a_table_nobody_made_does_not_exist(tmp_path):
    con = warehouse_with_one_of_each(tmp_path)
    assert table_exists(con, "current_files") and table_exists(con, "fx_members")
    assert not table_exists(con, "household_scores")
    assert not table_exists(con, "current")  # a name, not a prefix
    assert tables(con, "nowhere") == set()


def test_sql_text_reads_a_file_under_sql():
    assert "select" in sql_text("web/ranked_filtered.sql").lower()
