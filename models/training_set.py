"""The training set: household features at a series of as-of dates joined with their labels."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from features.build import household_features
from models.labels import household_labels

LABEL_COLUMNS = (
    "label",
    "label_reason",
    "exploration",
    "selected_by",
    "visit_date",
    "label_known_on",
)


def monthly_as_of_dates(first: date, last: date, day: int = 1) -> list[date]:
    """The `day` of every month from `first`'s month to `last`, within [first, last]."""
    dates, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        d = date(year, month, day)
        if first <= d <= last:
            dates.append(d)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def training_set(
    con: duckdb.DuckDBPyConnection, as_of_dates: list[date], known_by: date | None = None
) -> pl.DataFrame:
    """Features at each as-of date (point in time) with `label`, its reason and exploration flag."""
    for as_of in as_of_dates:
        household_features(con, as_of)
        household_labels(con, as_of, known_by)
    labels = ", ".join(f"l.{c}" for c in LABEL_COLUMNS)
    return con.sql(
        f"select f.*, {labels} from household_features f "
        "join household_labels l using (household_key, as_of) "
        "where list_contains($dates, f.as_of) order by f.as_of, f.household_key",
        params={"dates": as_of_dates},
    ).pl()
