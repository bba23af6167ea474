"""Carrying the monthly feeds' features over from an earlier night of the same month, per feed.

The monthly feeds (kepco, water, gas, nhis, nps, telecom, credit, housing) deliver once a month
each, so on most nights none of their files changes. Their features count whole calendar
months ending with the month of as_of, so between two nights of one month a feed's features
change only if a file of its own changed (a new delivery, a late file, a `_v2`), its stale flag
flipped, the registry snapshot changed (who lives where) or the code did. Each feed that
delivered nothing since an earlier night of the month keeps that night's columns, copied from
its stored snapshot; only the feeds that did are rebuilt from their rows (after a kepco
delivery, kepco alone). The features across the feeds (fx_cross_feed) are recomputed every
night from each feed's small part (fx_signal_parts, stored by night in feature_signal_parts):
tonight's for the feeds rebuilt, the earlier night's for the others. Every other feature
(registry, events, benefits, freshness) is rebuilt.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import duckdb

from features.catalog import features
from sagak.warehouse import quote_ident, run_statements, sql_text, tables, temp_table

MONTHLY_FEEDS = ("kepco", "water", "gas", "nhis", "nps", "telecom", "credit", "housing")
# the relations built only for the feeds rebuilt on a night that carries the others, in build
# order; fx_cross_feed, after them, always reads every feed's parts
MONTHLY_RELATIONS = (
    "fx_household_ids",
    "fx_signal_months",
    "fx_signal_features",
    "fx_monthly_features",
    "fx_signal_parts",
)
# feature_builds' columns (sql/features/reuse/tables.sql): a table of another layout, from an
# older sagak, is only a cache of no use and is replaced
BUILD_COLUMNS = [
    "as_of",
    "registry_date",
    "code_hash",
    "monthly_columns",
    "rebuilt_feeds",
    "reused_from",
]


@dataclass(frozen=True)
class Carry:
    """A night's monthly features from an earlier one: all but the feeds in `rebuilt`."""

    previous: date
    rebuilt: tuple[str, ...]  # the monthly feeds built from their rows tonight
    columns: tuple[str, ...]  # fx_monthly_features' columns but the key, in order


def code_hash(signal_months: int) -> str:
    """A hash of what the monthly features are computed by: their SQL and window length."""
    digest = hashlib.sha256(str(signal_months).encode())
    for relation in ("fx_members", *MONTHLY_RELATIONS, "fx_cross_feed", "fx_stale_flags"):
        digest.update(sql_text(f"features/{relation}.sql").encode("utf-8"))
    return digest.hexdigest()


def feed_of(column: str) -> str:
    """The monthly feed a column of fx_monthly_features comes from (its catalog source)."""
    sources = features()[column].sources
    if len(sources) != 1 or sources[0] not in MONTHLY_FEEDS:
        raise ValueError(f"features/catalog.yml: {column} should have one monthly feed as source")
    return sources[0]


def _builds_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether feature_builds has this sagak's layout."""
    return [r[0] for r in con.sql("describe feature_builds").fetchall()] == BUILD_COLUMNS


def reusable_night(
    con: duckdb.DuckDBPyConnection, as_of: date, registry_date: date | None, hashed: str
) -> Carry | None:
    """What as_of can carry over from an earlier night, or None when every feed is rebuilt.

    Needs temp tables fx_stale_flags and fx_composition of as_of."""
    needed = {"feature_builds", "feature_inputs", "feature_signal_parts"}
    needed |= {"household_features", "current_files"}
    if registry_date is None or not needed <= tables(con) or not _builds_current(con):
        return None
    found = con.sql(
        sql_text("features/reuse/candidate.sql"),
        params={"as_of": as_of, "registry_date": registry_date, "code_hash": hashed},
    ).fetchall()
    if not found:
        return None
    previous, columns = found[0]
    missing = sql_text("features/reuse/missing_households.sql")
    if con.sql(missing, params={"previous": previous}).fetchall()[0][0]:
        return None
    changed = con.sql(
        sql_text("features/reuse/changed_feeds.sql"),
        params={"as_of": as_of, "previous": previous, "feeds": list(MONTHLY_FEEDS)},
    ).fetchall()
    rebuilt = tuple(feed for feed in MONTHLY_FEEDS if (feed,) in changed)
    if rebuilt == MONTHLY_FEEDS:
        return None
    return Carry(previous, rebuilt, tuple(columns))


def feeds_to_build(carried: Carry | None) -> list[str]:
    """The monthly feeds whose rows the build reads: all, but those carried over."""
    return list(MONTHLY_FEEDS if carried is None else carried.rebuilt)


def carry_over(con: duckdb.DuckDBPyConnection, carried: Carry) -> None:
    """Temp tables fx_monthly_features and fx_signal_parts with every monthly feed: the rebuilt
    feeds' as built tonight (if any), the others' from the night carried.previous."""
    for table in ("fx_monthly_features", "fx_signal_parts"):
        con.execute(f"drop table if exists {table}_rebuilt")  # left by a build that failed
        if carried.rebuilt:
            con.execute(f"alter table {table} rename to {table}_rebuilt")
    if not carried.rebuilt:  # nothing was built tonight: empty tables in their place
        con.execute(sql_text("features/reuse/nothing_rebuilt.sql"))
    picked = ", ".join(
        f"{'t' if feed_of(name) in carried.rebuilt else 'p'}.{quote_ident(name)}"
        for name in carried.columns
    )
    params = {"previous": carried.previous, "feeds": list(carried.rebuilt)}
    monthly = sql_text("features/reuse/carried_monthly.sql").format(picked=picked)
    temp_table(con, "fx_monthly_features", monthly, params)
    temp_table(con, "fx_signal_parts", sql_text("features/reuse/carried_parts.sql"), params)
    for table in ("fx_monthly_features", "fx_signal_parts"):
        con.execute(f"drop table {table}_rebuilt")


def monthly_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The columns but the key of tonight's fx_monthly_features, in order."""
    described = con.sql("describe fx_monthly_features").fetchall()
    return [r[0] for r in described if r[0] != "household_key"]


def record_build(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    registry_date: date | None,
    hashed: str,
    carried: Carry | None,
) -> None:
    """Remember what the snapshot stored at as_of was built from (replacing an earlier build)
    and its fx_signal_parts, dropping the parts of earlier months (no later night reads them)."""
    present = tables(con)
    if "current_files" not in present:
        return  # a partition's own database: nothing to carry over from there
    if "feature_builds" in present and not _builds_current(con):
        for table in ("feature_builds", "feature_inputs", "feature_signal_parts"):
            con.execute(f"drop table if exists {table}")
    con.execute(sql_text("features/reuse/tables.sql"))
    params = {"as_of": as_of}
    run_statements(con, sql_text("features/reuse/forget_build.sql"), params)
    con.execute(
        sql_text("features/reuse/record_build.sql"),
        params
        | {"registry_date": registry_date, "code_hash": hashed, "monthly": monthly_columns(con)}
        | {"rebuilt": feeds_to_build(carried), "from": carried.previous if carried else None},
    )
    con.execute(
        f"insert into feature_inputs {sql_text('features/reuse/record_inputs.sql')}", params
    )
    con.execute(sql_text("features/reuse/record_signal_parts.sql"), params)
