"""A tiny inline world for feature tests: four households, heartbeats that keep feeds fresh."""

from __future__ import annotations

from datetime import date

import duckdb

from features.build import household_features
from ingest.history import HISTORIES, rebuild_histories, rebuild_history
from tests.features.stg_tables import create_stg_tables

AS_OF = date(2026, 6, 15)
MONTHLY = ("kepco", "water", "gas", "nhis", "nps", "telecom", "credit", "housing")
DAILY = ("employment", "referrals")
# h1: a woman of 77 (78 tomorrow) alone; h2: a couple, their child and a deceased parent;
# h3: a man of 66 (birthday today) whose wife died; h4: a man of 64 alone
REGISTRY = """insert into stg_registry values
    ('p1','h1','head','1948-06-16','F',false,'4817051000',null,false,'2026-06-01'),
    ('p2','h2','head','1980-07-01','M',false,'4817052000',null,false,'2026-06-01'),
    ('p3','h2','spouse','1982-01-01','F',true,'4817052000',null,false,'2026-06-01'),
    ('p4','h2','child','2015-01-01','F',false,'4817052000',null,false,'2026-06-01'),
    ('p5','h2','parent','1940-01-01','M',false,'4817052000',null,true,'2026-06-01'),
    ('p6','h3','head','1960-06-15','M',false,'4817053000',null,false,'2026-06-01'),
    ('p7','h3','spouse','1961-01-01','F',false,'4817053000',null,true,'2026-06-01'),
    ('p8','h4','head','1962-01-01','M',false,'4817053000',null,false,'2026-06-01')"""


def heartbeat(con: duckdb.DuckDBPyConnection, feeds: tuple[str, ...], delivered: str) -> None:
    """One row per feed about nobody in the registry, delivered on `delivered` (keeps it fresh)."""
    for feed in feeds:
        key = "household_key" if feed in ("housing", "referrals") else "person_key"
        con.execute(
            f"insert into stg_{feed} by name select 'nobody' as {key}, $d::date as delivery_date",
            {"d": delivered},
        )


def tiny_world(con: duckdb.DuckDBPyConnection, fresh_on: str = "2026-05-20") -> None:
    """The stg_ relations with the four households, every feed but benefits delivered `fresh_on`."""
    create_stg_tables(con)
    con.execute(REGISTRY)
    heartbeat(con, MONTHLY + DAILY, fresh_on)
    rebuild_histories(con)


def features_at(con: duckdb.DuckDBPyConnection, as_of: date = AS_OF) -> dict[str, dict]:
    """household_features at `as_of`, built now, by household_key (the registry's and benefits'
    histories first brought up to date with their stg_ tables, as ingest keeps them)."""
    rebuild_histories(con)
    household_features(con, as_of)
    rows = con.sql(
        "select * from household_features where as_of = $as_of", params={"as_of": as_of}
    ).pl()
    return {row["household_key"]: row for row in rows.iter_rows(named=True)}


def put(con: duckdb.DuckDBPyConnection, feed: str, delivered: str, **columns) -> None:
    """Insert one row into stg_<feed> delivered on `delivered` (`month` derived from `ym`)."""
    if "ym" in columns:
        columns["month"] = date(int(columns["ym"][:4]), int(columns["ym"][4:]), 1)
    columns["delivery_date"] = date.fromisoformat(delivered)
    names = ", ".join(columns)
    values = ", ".join(f"${name}" for name in columns)
    con.execute(f"insert into stg_{feed} ({names}) values ({values})", columns)
    if feed in HISTORIES:  # a full snapshot's history follows it, as ingest keeps it
        rebuild_history(con, feed)
