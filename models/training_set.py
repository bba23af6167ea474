"""The training set: household features at a series of as-of dates joined with their labels.

Features are built only for the households a date needs (features.build.build_snapshot with a
household restriction), from feeds narrowed once per run to those households (models.narrowed):
at every date the labelled households; at validation dates also a fixed random share of all
households, each sampled row weighing (`weight`) for the unsampled ones. Nothing is written to
the nightly `household_features` table.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from features.build import build_snapshot, drop_intermediates
from models.labels import ALL_KNOWN, visit_labels
from models.narrowed import narrowed_staging, sample_share
from sagak.warehouse import sql_text, temp_table

LABEL_COLUMNS = (
    "label",
    "label_reason",
    "exploration",
    "selected_by",
    "visit_date",
    "label_known_on",
    "evidence",
    "listable",
    "draw",
    "date_share",
)
# households sampled per validation date beside the labelled ones (a random share of about
# this many): below it everyone is built and every weight is 1, as in a full snapshot. Above it
# the ventile tier cuts are within about 0.07 percentage point of the full population's (one
# binomial standard error at 5 %: sqrt(.05 × .95 / 100 000)), and at 1M households the
# top-2 900 list boundary that precision at capacity needs rests on ~290 sampled households.
VALIDATION_SAMPLE = 100_000
# households sampled per training date beside the labelled ones, for the evidence labels (which
# every household has): a smaller share of the same draw, since a training run has some fifteen
# dates. Below it everyone is built.
TRAINING_SAMPLE = 25_000


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
    con: duckdb.DuckDBPyConnection,
    as_of_dates: list[date],
    known_by: date | None = None,
    sample: int = VALIDATION_SAMPLE,
    seed: int = 0,
) -> pl.DataFrame:
    """Features at each as-of date (point in time) with `label`, its reason, exploration flag,
    `evidence`, `listable` and `weight`: the labelled households and a random share of about
    `sample` others per date (0: labelled only)."""
    return split_sets(con, [(as_of_dates, known_by, sample)], sample, seed)[0]


def split_sets(
    con: duckdb.DuckDBPyConnection,
    parts: list[tuple[list[date], date | None, int]],
    sample: int,
    seed: int,
) -> list[pl.DataFrame]:
    """One frame per (as-of dates, results known by, households sampled per date) part, the
    feeds read once for all of them (narrowed to a draw of about `sample`, the largest)."""
    last = max((d for dates, _, _ in parts for d in dates), default=None)
    if last is None:
        return [pl.DataFrame() for _ in parts]
    evidence_labels(con, [(d, known_by) for dates, known_by, _ in parts for d in dates])
    shares = [sample_share(con, last, n) for _, _, n in parts]  # once a part, not a date
    try:
        with narrowed_staging(con, last, sample, seed):
            return [
                pl.concat(
                    [date_rows(con, d, known_by, share) for d in dates], how="vertical_relaxed"
                )
                for (dates, known_by, _), share in zip(parts, shares, strict=True)
            ]
    finally:
        con.execute("drop table if exists temp.fx_evidence_labels")


def evidence_labels(con: duckdb.DuckDBPyConnection, dates: list[tuple[date, date | None]]) -> None:
    """Temp table `fx_evidence_labels(household_key, as_of, evidence)` for each (as-of date,
    results known by), from the full feeds (labels/evidence_labels.sql)."""
    query = sql_text("labels/evidence_labels.sql")
    con.execute(
        f"create or replace temp table fx_evidence_labels as {query} limit 0",
        {"as_of": dates[0][0], "known_by": ALL_KNOWN},
    )
    for as_of, known_by in dates:
        params = {"as_of": as_of, "known_by": known_by or ALL_KNOWN}
        con.execute(f"insert into fx_evidence_labels {query}", params)


def date_rows(
    con: duckdb.DuckDBPyConnection, as_of: date, known_by: date | None, share: float
) -> pl.DataFrame:
    """The rows of one as-of date, sorted by household_key: a draw below `share` of the
    households besides the labelled ones."""
    visit_labels(con, as_of, known_by)
    query = sql_text("models/training_households.sql")
    try:
        build_snapshot(con, as_of, query, {"date_share": share})
        excluded = sql_text("models/training_exclusions.sql")
        temp_table(con, "fx_training_exclusions", excluded, {"as_of": as_of})
        rows = con.sql(sql_text("models/training_rows.sql")).pl()
        return rows.with_columns(date_share=pl.lit(share, dtype=pl.Float64))
    finally:
        drop_intermediates(con)
        for table in ("fx_visit_labels", "fx_training_exclusions"):
            con.execute(f"drop table if exists temp.{table}")
