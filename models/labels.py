"""Labels from visit outcomes: table `visits` (made by outreach/visits.py) → `household_labels`."""

from __future__ import annotations

from datetime import date

import duckdb

from features.build import store_snapshot
from sagak.warehouse import sql_text, temp_table

ALL_KNOWN = date(9999, 12, 31)


def visit_labels(con: duckdb.DuckDBPyConnection, as_of: date, known_by: date | None = None) -> int:
    """Temp table `fx_visit_labels`: the label of every household visited in the window after
    `as_of` (results handed back by `known_by`); returns its row count."""
    query = sql_text("labels/visit_labels.sql")
    params = {"as_of": as_of, "known_by": known_by or ALL_KNOWN}
    temp_table(con, "fx_visit_labels", query, params)
    return con.sql("select count(*) from fx_visit_labels").fetchall()[0][0]


def household_labels(
    con: duckdb.DuckDBPyConnection, as_of: date, known_by: date | None = None
) -> int:
    """Labels of the households of household_features at `as_of` into `household_labels`."""
    visit_labels(con, as_of, known_by)
    query = sql_text("labels/household_labels.sql")
    temp_table(con, "fx_household_labels", query, {"as_of": as_of})
    store_snapshot(con, "household_labels", "fx_household_labels", as_of)
    return con.sql("select count(*) from fx_household_labels").fetchall()[0][0]
