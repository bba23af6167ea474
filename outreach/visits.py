"""The households each team should visit, with the contact details the visit needs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from features.build import latest_registry_date
from ingest.contacts import attach
from outreach.teams import Team
from sagak.warehouse import sql_text


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


def team_visits(candidates: pl.DataFrame, team: Team) -> pl.DataFrame:
    """The team's own open assignments, in priority order."""
    own = candidates.filter(pl.col("emd_code") == team.emd_code)
    return own.sort(["priority", "household_key"])
