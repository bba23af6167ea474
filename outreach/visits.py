"""Visits: table `visits` (every visit result known: feedback/visits_<YYYYMMDD>.csv and the
results handed back through `sagak feedback`), and the households each team should visit, with
the contact details the visit needs."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from features.build import latest_registry_date
from ingest.contacts import attach
from ingest.keys import hmac_pads
from outreach.teams import Team
from sagak.privacy import HOUSEHOLD_PREFIX, KEY_CHARS
from sagak.warehouse import sql_text, table_exists

VISIT_FILE = re.compile(r"^visits_(\d{8})\.csv$")
VISIT_DATES = ("round_start", "assigned_date", "visit_date")


def visit_files(feedback: Path) -> list[tuple[date, Path]]:
    """The feedback files and the day each was handed back, oldest first."""
    found = [
        (m.group(1), p) for p in feedback.glob("visits_*.csv") if (m := VISIT_FILE.match(p.name))
    ]
    return sorted((date(int(d[:4]), int(d[4:6]), int(d[6:])), p) for d, p in found)


def read_visits(path: Path, reported_on: date) -> pl.DataFrame:
    """One feedback file as `visits` rows, typed; household_no still in clear (load_visits keys
    every file's at once)."""
    raw = pl.read_csv(path, infer_schema=False, encoding="utf8")
    return raw.select(
        "household_no",
        "emd_code",
        *(pl.col(c).str.to_date("%Y-%m-%d", strict=False) for c in VISIT_DATES),
        "outcome",
        pl.col("services").fill_null("").str.split(";").list.filter(pl.element() != ""),
        "selected_by",
        (pl.col("exploration") == "Y").alias("exploration"),
        pl.lit(reported_on).alias("reported_on"),
        pl.lit(path.name).alias("source_file"),
    )


def read_visits_schema() -> pl.DataFrame:
    """An empty frame of `read_visits` with its column types."""
    return pl.DataFrame(
        schema={
            "household_no": pl.String,
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


def load_visits(con: duckdb.DuckDBPyConnection, feedback: Path, key: str) -> int:
    """(Re)build table `visits` from every feedback file and the results teams handed back
    through `sagak feedback` (table `visit_results`, if any); returns its row count.

    The household numbers are keyed in DuckDB, all files at once (the same keys as
    sagak.privacy.household_key; one at a time in Python they were most of the task's time)."""
    frames = [read_visits(p, day) for day, p in visit_files(feedback)]
    empty = read_visits_schema()
    visits = pl.concat([empty, *frames], how="vertical") if frames else empty
    con.register("visits_frame", visits.to_arrow())
    query = sql_text("outreach/visits_keyed.sql")
    if table_exists(con, "visit_results"):
        query += f" union all {sql_text('outreach/returned_visits.sql')}"
    inner, outer = hmac_pads(key)
    params = {"inner": inner, "outer": outer, "prefix": HOUSEHOLD_PREFIX, "chars": KEY_CHARS}
    con.execute(f"create or replace table visits as {query}", params)
    con.unregister("visits_frame")
    return con.sql("select count(*) from visits").fetchall()[0][0]


def household_contacts(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    store: Path | None = None,
    restricted: bool = False,
) -> None:
    """(Re)create temp table `household_contacts`: each household's head name, phone, address
    at as_of; with `restricted`, only for the households tonight's sheets and escalations need
    (sql/outreach/contact_households.sql: it reads `assignments` and `visits`).

    Contact details come from the contacts store `store`, attached read-only (if already
    attached as sagak_contacts, that one is used).
    """
    if store is not None:
        attach(con, store, read_only=True)
    params = {"as_of": as_of}
    if restricted:
        wanted = sql_text("outreach/contact_households.sql")
        con.execute(f"create or replace temp table contact_households as {wanted}", params)
    else:
        con.execute("create or replace temp table contact_households (household_key varchar)")
    registry_date = latest_registry_date(con, as_of)
    found = con.sql(
        sql_text("outreach/contact_snapshot.sql"), params={"registry_date": registry_date}
    ).fetchall()
    file_id = found[0][0] if found else None
    query = sql_text("outreach/household_contacts.sql")
    con.execute(
        f"create or replace temp table household_contacts as {query}",
        {"restricted": restricted, "registry_date": registry_date, "file_id": file_id},
    )


def visit_candidates(con: duckdb.DuckDBPyConnection, as_of: date) -> pl.DataFrame:
    """Every open assignment: priority, key, contacts, summary, reasons, latest referral concern."""
    return con.sql(sql_text("outreach/visit_candidates.sql"), params={"as_of": as_of}).pl()


def team_visits(candidates: pl.DataFrame, teams: list[Team]) -> dict[str, pl.DataFrame]:
    """Per team (emd_code): its own open assignments, in priority order (one pass over the
    candidates: a filter per team read them all 580 times at 1M)."""
    ordered = candidates.sort(["emd_code", "priority", "household_key"])
    own = {code: frame for (code,), frame in ordered.partition_by("emd_code", as_dict=True).items()}
    empty = candidates.clear()
    return {team.emd_code: own.get(team.emd_code, empty) for team in teams}
