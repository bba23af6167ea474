"""Household features as of a date, built in DuckDB from sql/features/."""

from __future__ import annotations

from datetime import date

import duckdb

from sagak.warehouse import sql_text


def household_features(con: duckdb.DuckDBPyConnection, as_of: date) -> int:
    """(Re)build table `household_features` as of `as_of`; returns its row count."""
    query = sql_text("features/household_features.sql")
    con.execute(f"create or replace table household_features as {query}", {"as_of": as_of})
    return con.sql("select count(*) from household_features").fetchall()[0][0]
