"""Features and scores per city (시군구), each partition in its own DuckDB, from Parquet files.

The driver (the warehouse's one writer) writes each stg_ feed's rows to
`<work>/input/<feed>/part_sigungu=<code>/` — a household's rows and its registry members' rows in
its city's partition — plus `<work>/input/<feed>/markers.parquet`, rows that carry the
population-wide values the feature SQL takes (each feed's latest delivery, newest data month,
latest benefits snapshot) into every partition without adding a household. A partition run loads
its files as the stg_ tables, runs the unchanged `household_features` and `score_night`, and writes
`<work>/output/{features,scores}/<code>.parquet`. The driver then stores the features and ranks
the scores over the whole list (rank, team_rank, and the baseline's rank-based tier).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from features.build import (
    household_features,
    latest_registry_date,
    missing_staging,
    store_snapshot,
)
from ingest.history import rebuild_histories
from models.household_scores import store
from models.nightly_scorer import score_night
from sagak.settings import FEEDS
from sagak.warehouse import quote_ident, sql_text, table_exists, temp_table, used_params

PERSON_MONTHLY = ("kepco", "water", "gas", "nhis", "nps", "telecom", "credit")
HOUSEHOLD_FEEDS = ("housing", "benefits", "referrals")
# feed -> the marker queries (sql/partition/) its partitions need
MARKERS = {
    "registry": ("registry_markers",),
    **{feed: ("delivery_markers", "person_month_markers") for feed in PERSON_MONTHLY},
    "employment": ("delivery_markers",),
    "housing": ("delivery_markers", "household_month_markers"),
    "benefits": ("delivery_markers",),
    "referrals": ("delivery_markers",),
}


class NothingToPartition(RuntimeError):
    """The warehouse has no registry snapshot on or before the night: no household to build."""


FORCED_STALE_FILE = "forced_stale.parquet"
VISITS_FOLDER = "visits"  # beside the feeds' folders: the teams' visit results


def _query(relative: str, params: dict) -> tuple[str, dict]:
    """The text of sql/<relative> and the parameters it uses."""
    query = sql_text(relative)
    return query, used_params(query, params)


def _create(con: duckdb.DuckDBPyConnection, name: str, relative: str, params: dict) -> None:
    """(Re)create temp table `name` from sql/<relative>."""
    temp_table(con, name, sql_text(relative), params)


def registry_date(con: duckdb.DuckDBPyConnection, as_of: date) -> date:
    """The latest registry snapshot on or before as_of: the one the features read."""
    found = latest_registry_date(con, as_of)
    if found is None:
        raise NothingToPartition(f"no registry snapshot delivered on or before {as_of}")
    return found


def export_partitions(con: duckdb.DuckDBPyConnection, as_of: date, work: Path) -> list[str]:
    """Write every feed's partitions and markers under `work`/input; the partitions' codes."""
    missing = missing_staging(con)
    if missing:
        raise NothingToPartition(f"no {', '.join(missing)} in the warehouse: ingest first")
    params = {"as_of": as_of, "registry_date": registry_date(con, as_of)}
    shutil.rmtree(work, ignore_errors=True)
    _create(con, "fx_members", "features/fx_members.sql", params)
    _create(con, "fx_composition", "features/fx_composition.sql", params)
    _create(con, "part_households", "partition/part_households.sql", params)
    _create(con, "part_persons", "partition/part_persons.sql", params)
    for feed in FEEDS:
        _export_feed(con, feed, params, work / "input" / feed)
    _export_forced_stale(con, as_of, work / "input" / FORCED_STALE_FILE)
    _export_visits(con, params, work / "input" / VISITS_FOLDER)
    parts = con.sql("select distinct part_sigungu from part_households order by 1").fetchall()
    for name in ("fx_members", "fx_composition", "part_households", "part_persons"):
        con.execute(f"drop table if exists temp.{name}")
    return [row[0] for row in parts]


def _export_feed(con: duckdb.DuckDBPyConnection, feed: str, params: dict, folder: Path) -> None:
    """One feed: its rows partitioned by part_sigungu, and its markers.parquet."""
    con.execute(f"create or replace temp view part_source as from {quote_ident(f'stg_{feed}')}")
    rows = "registry_rows" if feed == "registry" else "person_rows"
    if feed in HOUSEHOLD_FEEDS:
        rows = "household_rows"
    query, used = _query(f"partition/{rows}.sql", params)
    folder.mkdir(parents=True, exist_ok=True)
    con.sql(query, params=used).write_parquet(str(folder), partition_by=["part_sigungu"])
    con.execute("create or replace temp table part_markers as from part_source limit 0")
    for marker in MARKERS[feed]:
        marker_query, used = _query(f"partition/{marker}.sql", params)
        con.execute(f"insert into part_markers by name {marker_query}", used)
    con.table("part_markers").write_parquet(str(folder / "markers.parquet"))
    con.execute("drop table temp.part_markers")
    con.execute("drop view temp.part_source")


def _export_forced_stale(con: duckdb.DuckDBPyConnection, as_of: date, path: Path) -> None:
    """The feeds monitoring forced stale at as_of (monitoring_forced_stale), for the workers."""
    if table_exists(con, "monitoring_forced_stale"):
        forced = con.sql(sql_text("partition/forced_stale.sql"), params={"as_of": as_of})
        forced.write_parquet(str(path))


def _export_visits(con: duckdb.DuckDBPyConnection, params: dict, folder: Path) -> None:
    """The visit results the night's features read (fx_visits), partitioned as the feeds."""
    if not table_exists(con, "visits"):
        return
    con.execute(
        f"create or replace temp view part_source as {sql_text('partition/visit_rows.sql')}"
    )
    query, used = _query("partition/household_rows.sql", params)
    folder.mkdir(parents=True, exist_ok=True)
    con.sql(query, params=used).write_parquet(str(folder), partition_by=["part_sigungu"])
    con.execute("drop view temp.part_source")


def _load(con: duckdb.DuckDBPyConnection, table: str, files: list[str], add: bool = False) -> None:
    """Table `table` made from (with `add`, added to by name) the rows of Parquet `files`."""
    rows, name = sql_text("partition/parquet_rows.sql"), quote_ident(table)
    statement = f"insert into {name} by name" if add else f"create or replace table {name} as"
    con.execute(f"{statement} {rows}", {"files": files})


def load_partition(con: duckdb.DuckDBPyConnection, work: Path, part: str) -> None:
    """Create the stg_ tables of one partition: its rows of every feed, plus the markers (and
    monitoring_forced_stale, when the night has feeds forced stale; `visits`, when any of its
    households was visited), and the histories of the registry and benefits from those rows."""
    forced = work / "input" / FORCED_STALE_FILE
    if forced.exists():
        _load(con, "monitoring_forced_stale", [str(forced)])
    for feed in FEEDS:
        folder = work / "input" / feed
        _load(con, f"stg_{feed}", [str(folder / "markers.parquet")])
        files = sorted(str(p) for p in (folder / f"part_sigungu={part}").glob("*.parquet"))
        if files:  # a city may have no row of a feed
            _load(con, f"stg_{feed}", files, add=True)
    visits = sorted(str(p) for p in (work / "input" / VISITS_FOLDER).glob(f"part_sigungu={part}/*"))
    if visits:  # else fx_visits reads none (features/build.py)
        _load(con, "visits", visits)
    rebuild_histories(con)


def partition_night(work: Path, part: str, as_of: date, artifacts: Path) -> tuple[int, int, str]:
    """Features and scores of one partition into `work`/output; (households, scored, scorer)."""
    con = duckdb.connect()
    try:
        load_partition(con, work, part)
        households = household_features(con, as_of)
        scored, scorer = score_night(con, artifacts, as_of)
        for table, folder in (("household_features", "features"), ("household_scores", "scores")):
            (work / "output" / folder).mkdir(parents=True, exist_ok=True)
            path = work / "output" / folder / f"{part}.parquet"
            con.table(table).write_parquet(str(path))
    finally:
        con.close()
    return households, scored, scorer


def store_partitions(
    con: duckdb.DuckDBPyConnection, work: Path, as_of: date, parts: list[str]
) -> tuple[int, int]:
    """Store the partitions' features and globally ranked scores; (households, scored)."""
    output = work / "output"
    features = [str(output / "features" / f"{part}.parquet") for part in parts]
    temp_table(con, "part_features", sql_text("partition/parquet_rows.sql"), {"files": features})
    store_snapshot(con, "household_features", "part_features", as_of)
    households = con.sql("select count(*) from part_features").fetchall()[0][0]
    con.execute("drop table temp.part_features")
    scores = pl.concat([pl.read_parquet(output / "scores" / f"{part}.parquet") for part in parts])
    return households, store(con, scores)  # ranked over the whole list
