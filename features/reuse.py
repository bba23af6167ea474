"""Carrying the monthly feeds' features over from an earlier night of the same month.

The monthly feeds (kepco, water, gas, nhis, nps, telecom, credit, housing) deliver once a month
each, so on most nights none of their files changes. Their features count whole calendar
months ending with the month of as_of, so between two nights of one month they change only if
a file of theirs changed (a new delivery, a late file, a `_v2`), the registry snapshot changed
(who lives where), a stale flag flipped, or the code did. When none did, the features of
`fx_monthly_features` and `fx_cross_feed` are those of the earlier night, row for row, and are
copied from its stored snapshot instead of being rebuilt from two years of rows — the bulk of
a feature build. Every other feature (registry, events, benefits, freshness) is rebuilt.
"""

from __future__ import annotations

import hashlib
from datetime import date

import duckdb

from ingest.read import quote_ident
from sagak.warehouse import sql_text

MONTHLY_FEEDS = ("kepco", "water", "gas", "nhis", "nps", "telecom", "credit", "housing")
# the relations the carried-over columns come from, in build order
MONTHLY_RELATIONS = ("fx_signal_months", "fx_signal_features", "fx_monthly_features")
CARRIED = ("fx_monthly_features", "fx_cross_feed")
# feature_builds' columns (sql/features/reuse/tables.sql): a table of another layout, from an
# older sagak, is only a cache of no use and is replaced
BUILD_COLUMNS = [
    "as_of",
    "registry_date",
    "code_hash",
    "monthly_columns",
    "cross_feed_columns",
    "reused_from",
]


def code_hash(signal_months: int) -> str:
    """A hash of what the monthly features are computed by: their SQL and window length."""
    digest = hashlib.sha256(str(signal_months).encode())
    for relation in ("fx_members", *MONTHLY_RELATIONS, "fx_cross_feed", "fx_stale_flags"):
        digest.update(sql_text(f"features/{relation}.sql").encode("utf-8"))
    return digest.hexdigest()


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.sql("select table_name from information_schema.tables").fetchall()}


def _builds_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether feature_builds has this sagak's layout."""
    return [r[0] for r in con.sql("describe feature_builds").fetchall()] == BUILD_COLUMNS


def _one(con: duckdb.DuckDBPyConnection, relative: str, params: dict) -> int:
    return con.sql(sql_text(relative), params=params).fetchall()[0][0]


def reusable_night(
    con: duckdb.DuckDBPyConnection, as_of: date, registry_date: date | None, hashed: str
) -> tuple[date, dict[str, list[str]]] | None:
    """(the earlier night, relation -> columns to carry) if the monthly features can be carried.

    Needs temp tables fx_stale_flags and fx_composition of as_of."""
    needed = {"feature_builds", "feature_inputs", "household_features", "current_files"}
    if registry_date is None or not needed <= _tables(con) or not _builds_current(con):
        return None
    found = con.sql(
        sql_text("features/reuse/candidate.sql"),
        params={"as_of": as_of, "registry_date": registry_date, "code_hash": hashed},
    ).fetchall()
    if not found:
        return None
    previous, monthly, cross_feed = found[0]
    feeds = list(MONTHLY_FEEDS)
    changed = {"as_of": as_of, "previous": previous, "feeds": feeds}
    if _one(con, "features/reuse/inputs_changed.sql", changed):
        return None
    if _one(con, "features/reuse/stale_changed.sql", {"previous": previous}):
        return None
    return previous, dict(zip(CARRIED, (list(monthly), list(cross_feed)), strict=True))


def carry_over(
    con: duckdb.DuckDBPyConnection, previous: date, columns: dict[str, list[str]]
) -> None:
    """Temp tables fx_monthly_features and fx_cross_feed from the snapshot stored at `previous`."""
    for relation, names in columns.items():
        listed = ", ".join(quote_ident(n) for n in ["household_key", *names])
        con.execute(
            f"create or replace temp table {relation} as "
            f"select {listed} from main.household_features where as_of = $previous",
            {"previous": previous},
        )


def carried_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Relation -> its columns but the key, for tonight's fx_monthly_features and fx_cross_feed."""
    return {
        relation: [
            r[0] for r in con.sql(f"describe {relation}").fetchall() if r[0] != "household_key"
        ]
        for relation in CARRIED
    }


def record_build(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    registry_date: date | None,
    hashed: str,
    columns: dict[str, list[str]],
    reused_from: date | None,
) -> None:
    """Remember what the snapshot stored at as_of was built from (replacing an earlier build)."""
    tables = _tables(con)
    if "current_files" not in tables:
        return  # a partition's own database: nothing to carry over from there
    if "feature_builds" in tables and not _builds_current(con):
        con.execute("drop table feature_builds")
        con.execute("drop table if exists feature_inputs")
    con.execute(sql_text("features/reuse/tables.sql"))
    params = {"as_of": as_of}
    con.execute("delete from feature_builds where as_of = $as_of", params)
    con.execute("delete from feature_inputs where as_of = $as_of", params)
    con.execute(
        "insert into feature_builds values "
        "($as_of, $registry_date, $code_hash, $monthly, $cross_feed, $from)",
        params
        | {"registry_date": registry_date, "code_hash": hashed, "from": reused_from}
        | {"monthly": columns["fx_monthly_features"], "cross_feed": columns["fx_cross_feed"]},
    )
    con.execute(
        f"insert into feature_inputs {sql_text('features/reuse/record_inputs.sql')}", params
    )
