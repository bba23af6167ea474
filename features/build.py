"""Household features as of a date, built in DuckDB from sql/features/ (one relation per file)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from features import reuse
from features.catalog import freshness_max_age_days
from ingest.history import HISTORIES, update_history
from sagak.settings import FEEDS
from sagak.warehouse import quote_ident, sql_text, table_exists, tables, temp_table

# intermediate relations, in dependency order; each is a temp table rebuilt for every as_of
RELATIONS = (
    "fx_feed_freshness",
    "fx_stale_flags",
    "fx_members",
    "fx_composition",
    "fx_employment",
    "fx_referrals",
    "fx_visits",
    "fx_benefits",
    # the monthly feeds' features: per feed, carried over from an earlier night when nothing
    # the feed's features read changed (features/reuse.py)
    "fx_household_ids",
    "fx_signal_months",
    "fx_signal_features",
    "fx_monthly_features",
    "fx_signal_parts",
    "fx_cross_feed",
)
log = logging.getLogger(__name__)
# what the feature SQL reads: every feed's stg_ table, and the histories ingest keeps beside
# the full-snapshot feeds' (ingest/history.py)
STAGING_VIEWS = (
    *(f"stg_{feed}" for feed in FEEDS),
    "history_snapshots",
    *HISTORIES.values(),
)
# data months read for monthly feeds: the longest window. Nothing looks further back, so a
# feature means the same in the 13th and the 24th month of history (stationary: a lookback that
# grew with the history made months_since_first_signal drift, PSI 0.55 on a clean world)
SIGNAL_MONTHS = 12


class StagingMissing(RuntimeError):
    """The stg_ views a feature build reads are not in the warehouse (nothing ingested yet)."""


def bring_histories_up_to_date(con: duckdb.DuckDBPyConnection) -> None:
    """Build the registry and benefits histories when the warehouse has their snapshots but
    not the histories (one from before them, not ingested since), or histories made by an older
    SQL text: `sagak train` or `sagak features` first after an upgrade works as `sagak ingest`
    would. Nothing is done when they are current."""
    present = tables(con)
    for feed in HISTORIES:
        if f"stg_{feed}" in present:
            update_history(con, feed, None)


def missing_staging(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The stg_ relations the features need that the warehouse lacks."""
    present = tables(con)
    return [name for name in STAGING_VIEWS if name not in present]


def _run(con: duckdb.DuckDBPyConnection, relation: str, params: dict, target: str = "") -> None:
    """(Re)create temp table `target` (default `relation`) from sql/features/<relation>.sql."""
    temp_table(con, target or relation, sql_text(f"features/{relation}.sql"), params)


def first_month(as_of: date, months: int) -> date:
    """The first day of the first of the `months` calendar months ending with as_of's month."""
    index = as_of.year * 12 + as_of.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def latest_registry_date(con: duckdb.DuckDBPyConnection, as_of: date) -> date | None:
    """The delivery date of the registry snapshot latest at as_of (None if none). Queries pass
    it on as a value: DuckDB then reads only that snapshot's row groups, not all of them."""
    query = sql_text("features/latest_registry.sql")
    return con.sql(query, params={"as_of": as_of}).fetchall()[0][0]


def _registry_date(con: duckdb.DuckDBPyConnection, as_of: date) -> date | None:
    """The latest registry snapshot on or before as_of, from fx_feed_freshness when recent."""
    found = con.sql(sql_text("features/registry_delivery.sql")).fetchall()[0][0]
    return found if found is not None else latest_registry_date(con, as_of)


def _freshness_rules(con: duckdb.DuckDBPyConnection) -> int:
    """Temp table `fx_freshness_rules(feed, max_age_days)` from the catalog; the largest age."""
    rules = freshness_max_age_days()
    frame = pl.DataFrame({"feed": list(rules), "max_age_days": list(rules.values())})
    con.register("fx_freshness_rules_frame", frame.to_arrow())
    con.execute("create or replace temp table fx_freshness_rules as from fx_freshness_rules_frame")
    con.unregister("fx_freshness_rules_frame")
    return max(rules.values())


def _forced_stale(con: duckdb.DuckDBPyConnection, as_of: date) -> None:
    """Temp table `fx_forced_stale(feed)`: the feeds monitoring forced stale at as_of (if any)."""
    if table_exists(con, "monitoring_forced_stale"):
        _run(con, "fx_forced_stale", {"as_of": as_of})
    else:
        con.execute("create or replace temp table fx_forced_stale (feed varchar)")


def store_snapshot(con: duckdb.DuckDBPyConnection, table: str, source: str, as_of: date) -> None:
    """Replace the `as_of` rows of `table` by those of `source`, keeping other dates' rows."""
    target, rows = f"main.{quote_ident(table)}", quote_ident(source)
    columns = [r[0] for r in con.sql(f"describe {rows}").fetchall()]
    stored = con.sql(sql_text("features/stored_columns.sql"), params={"table": table}).fetchall()
    if [r[0] for r in stored] != columns:
        # a new table, or its columns changed: earlier dates are rebuilt on demand
        con.execute(f"create or replace table {target} as from {rows}")
        return
    con.execute(f"delete from {target} where as_of = $as_of", {"as_of": as_of})
    con.execute(f"insert into {target} by name from {rows}")


def household_features(con: duckdb.DuckDBPyConnection, as_of: date, carry: bool = True) -> int:
    """Build the snapshot at `as_of` into `household_features` (keyed by household_key, as_of).

    With `carry`, each monthly feed's features are carried over from an earlier stored night of
    the same month when nothing they read has changed since (features/reuse.py): the same
    values, without rebuilding them from a year of rows."""
    built = build_snapshot(con, as_of, carry=carry)
    store_snapshot(con, "household_features", "fx_household_features", as_of)
    rows = con.sql("select count(*) from fx_household_features").fetchall()[0][0]
    reuse.record_build(con, as_of, **built)
    drop_intermediates(con)
    if (carried := built["carried"]) is not None:
        rebuilt = ", ".join(carried.rebuilt) or "no feed"
        log.info(
            "features %s: monthly features from %s, %s rebuilt", as_of, carried.previous, rebuilt
        )
    return rows


def build_snapshot(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    households: str | None = None,
    extra: dict | None = None,
    carry: bool = False,
) -> dict:
    """The snapshot at `as_of` into temp table `fx_household_features`, stored nowhere.

    `households`, if given, is a query (it may read temp table fx_members, the registry at
    as_of, and use $as_of and the `extra` parameters) giving the `household_key`s to build:
    its rows are kept in temp table `fx_kept_households` and every relation after fx_members
    sees only those households' members, so the scans that follow shrink. The features of a
    kept household are the same as in the full snapshot. With `carry` (and no `households`),
    the monthly feeds' features come from an earlier night when they can, feed by feed
    (features/reuse.py). The caller drops the temp tables (`drop_intermediates`). Returns what
    `reuse.record_build` needs: registry_date, hashed, carried."""
    bring_histories_up_to_date(con)
    missing = missing_staging(con)
    if missing:
        raise StagingMissing(f"no {', '.join(missing)} in the warehouse: ingest deliveries first")
    params = {"as_of": as_of, "lookback_days": _freshness_rules(con)}
    _forced_stale(con, as_of)
    if not table_exists(con, "visits"):
        con.execute(sql_text("features/no_visits.sql"))
    _run(con, RELATIONS[0], params)
    params["registry_date"] = _registry_date(con, as_of)
    params["from_delivery"] = first_month(as_of, SIGNAL_MONTHS)
    params["feeds"] = reuse.feeds_to_build(None)
    hashed = reuse.code_hash(SIGNAL_MONTHS)
    carried = None
    for relation in RELATIONS[1:]:
        if relation == reuse.MONTHLY_RELATIONS[0] and carry and households is None:
            carried = reuse.reusable_night(con, as_of, params["registry_date"], hashed)
            params["feeds"] = reuse.feeds_to_build(carried)
        if relation == "fx_cross_feed" and carried is not None:
            reuse.carry_over(con, carried)
        if params["feeds"] or relation not in reuse.MONTHLY_RELATIONS:
            _run(con, relation, params)
        if relation == "fx_members" and households is not None:
            _restrict(con, households, params | (extra or {}))
    _run(con, "household_features", params, target="fx_household_features")
    return {"registry_date": params["registry_date"], "hashed": hashed, "carried": carried}


def _restrict(con: duckdb.DuckDBPyConnection, households: str, params: dict) -> None:
    """Keep in fx_members only the households `households` selects (kept in fx_kept_households)."""
    temp_table(con, "fx_kept_households", households, params)
    con.execute(sql_text("features/kept_members.sql"))


def drop_intermediates(con: duckdb.DuckDBPyConnection) -> None:
    """Free the temp tables of one build (large at scale)."""
    for relation in (
        "fx_freshness_rules",
        "fx_forced_stale",
        *RELATIONS,
        "fx_household_features",
        "fx_kept_households",
    ):
        con.execute(f"drop table if exists temp.{relation}")


def snapshot(
    con: duckdb.DuckDBPyConnection, as_of: date, columns: list[str] | None = None
) -> duckdb.DuckDBPyRelation:
    """The stored snapshot at `as_of`, only `columns` if given (DuckDB then reads only those)."""
    rows = con.sql(sql_text("features/snapshot.sql"), params={"as_of": as_of})
    if columns is None:
        return rows
    return rows.select(*(duckdb.ColumnExpression(name) for name in columns))


def write_snapshot(con: duckdb.DuckDBPyConnection, as_of: date, path: Path) -> int:
    """Write the stored snapshot at `as_of` to Parquet, one row per household; returns rows."""
    rows = snapshot(con, as_of).order("household_key").pl()
    path.parent.mkdir(parents=True, exist_ok=True)
    rows.write_parquet(path)
    return rows.height
