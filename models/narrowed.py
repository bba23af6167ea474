"""Narrowed staging for a training run: the feeds' rows of the households it needs, read once.

A training run builds features at some twenty as-of dates; each build would scan two years of
every feed. Instead the run copies, once, the rows of the households it may need (every visited
household and a fixed random share of all: sql/models/training_sample.sql) and of their members
into temp tables named like the stg_ views, which shadow them (DuckDB resolves temp objects
first) until the run ends. The registry is not narrowed: populations and sample weights need it
whole. Each copy keeps one keyless row per delivery date (and data month), so a feed's latest
delivery — its staleness — and the latest benefits snapshot are those of the full feed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import duckdb

from sagak.warehouse import sql_text, temp_table

PERSON_FEEDS = ("kepco", "water", "gas", "nhis", "nps", "telecom", "credit", "employment")
HOUSEHOLD_FEEDS = ("housing", "referrals", "benefits")
MONTHLY_FEEDS = ("kepco", "water", "gas", "nhis", "nps", "telecom", "credit", "housing")
KEY_TABLES = {"person_key": "fx_training_persons", "household_key": "fx_training_sample"}


def sample_share(con: duckdb.DuckDBPyConnection, last_as_of: date, sample: int) -> float:
    """The share of households to sample for about `sample` per date (1: everyone)."""
    if sample <= 0:
        return 0.0
    query = sql_text("models/registry_households_at.sql")
    households = con.sql(query, params={"as_of": last_as_of}).fetchall()[0][0]
    return 1.0 if households <= sample else sample / households


def shadow_query(feed: str) -> str:
    """The narrowed copy of stg_<feed> (sql/models/narrowed_feed.sql, identifiers filled in)."""
    key = "person_key" if feed in PERSON_FEEDS else "household_key"
    sentinel = "delivery_date, month" if feed in MONTHLY_FEEDS else "delivery_date"
    return sql_text("models/narrowed_feed.sql").format(
        feed=feed,
        key=key,
        keys=KEY_TABLES[key],
        sentinel=sentinel,
        sentinel_note=" and data month" if feed in MONTHLY_FEEDS else "",
    )


@contextmanager
def narrowed_staging(
    con: duckdb.DuckDBPyConnection, last_as_of: date, sample: int, seed: int
) -> Iterator[float]:
    """Shadow the stg_ feed views by narrowed copies while the block runs; yields the share."""
    share = sample_share(con, last_as_of, sample)
    params = {"last_as_of": last_as_of, "share": share, "salt": f"sample/{seed}"}
    created = ["fx_training_sample", "fx_training_persons"]
    try:
        temp_table(con, "fx_training_sample", sql_text("models/training_sample.sql"), params)
        persons = sql_text("models/training_persons.sql")
        temp_table(con, "fx_training_persons", persons, params)
        for feed in PERSON_FEEDS + HOUSEHOLD_FEEDS:
            created.append(f"stg_{feed}")
            temp_table(con, f"stg_{feed}", shadow_query(feed), params)
        yield share
    finally:
        for table in created:
            con.execute(f"drop table if exists temp.{table}")
