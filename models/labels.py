"""Labels from visit outcomes: feedback/visits_<YYYYMMDD>.csv → `visits` → `household_labels`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from features.build import store_snapshot
from features.sql import temp_table
from sagak.warehouse import sql_text, table_exists

VISIT_FILE = re.compile(r"^visits_(\d{8})\.csv$")
ALL_KNOWN = date(9999, 12, 31)
VISIT_DATES = ("round_start", "assigned_date", "visit_date")


def visit_files(feedback: Path) -> list[tuple[date, Path]]:
    """The feedback files and the day each was handed back, oldest first."""
    found = [
        (m.group(1), p) for p in feedback.glob("visits_*.csv") if (m := VISIT_FILE.match(p.name))
    ]
    return sorted((date(int(d[:4]), int(d[4:6]), int(d[6:])), p) for d, p in found)


def read_visits(path: Path, reported_on: date, household_key: Callable[[str], str]) -> pl.DataFrame:
    """One feedback file as `visits` rows: household_no replaced by household_key, typed."""
    raw = pl.read_csv(path, infer_schema=False, encoding="utf8")
    return raw.select(
        pl.col("household_no")
        .map_elements(household_key, return_dtype=pl.String)
        .alias("household_key"),
        "emd_code",
        *(pl.col(c).str.to_date("%Y-%m-%d", strict=False) for c in VISIT_DATES),
        "outcome",
        pl.col("services").fill_null("").str.split(";").list.filter(pl.element() != ""),
        "selected_by",
        (pl.col("exploration") == "Y").alias("exploration"),
        pl.lit(reported_on).alias("reported_on"),
        pl.lit(path.name).alias("source_file"),
    )


def load_visits(con: duckdb.DuckDBPyConnection, feedback: Path, key: str) -> int:
    """(Re)build table `visits` from every feedback file and the results teams handed back
    through `sagak feedback` (table `visit_results`, if any); returns its row count."""
    from sagak.privacy import household_key  # the key scheme lives in one place

    frames = [
        read_visits(p, day, lambda no: household_key(no, key)) for day, p in visit_files(feedback)
    ]
    empty = read_visits_schema()
    visits = pl.concat([empty, *frames], how="vertical") if frames else empty
    con.register("visits_frame", visits.to_arrow())
    query = "from visits_frame"
    if table_exists(con, "visit_results"):
        query += f" union all {sql_text('models/returned_visits.sql')}"
    con.execute(f"create or replace table visits as {query}")
    con.unregister("visits_frame")
    return con.sql("select count(*) from visits").fetchall()[0][0]


def read_visits_schema() -> pl.DataFrame:
    """An empty `visits` frame with its column types."""
    return pl.DataFrame(
        schema={
            "household_key": pl.String,
            "emd_code": pl.String,
            **dict.fromkeys(VISIT_DATES, pl.Date),
            "outcome": pl.String,
            "services": pl.List(pl.String),
            "selected_by": pl.String,
            "exploration": pl.Boolean,
            "reported_on": pl.Date,
            "source_file": pl.String,
        }
    )


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
