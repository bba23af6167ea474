"""The households each team should visit, with the contact details the visit needs."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from outreach.teams import Team
from sagak.warehouse import sql_text


def household_contacts(con: duckdb.DuckDBPyConnection, as_of: date) -> None:
    """(Re)create view `household_contacts`: each household's head name, phone, address at as_of."""
    query = sql_text("outreach/household_contacts.sql")
    con.sql(query, params={"as_of": as_of}).create_view("household_contacts", replace=True)


def visit_candidates(con: duckdb.DuckDBPyConnection, depth: int) -> pl.DataFrame:
    """Each team's first `depth` households: rank, key, contacts, summary, reasons_ko."""
    query = sql_text("outreach/visit_candidates.sql")
    return con.sql(query, params={"depth": depth}).pl()


def team_visits(candidates: pl.DataFrame, team: Team) -> pl.DataFrame:
    """The team's own households, its top `capacity` by team_rank."""
    own = candidates.filter(pl.col("emd_code") == team.emd_code)
    return own.sort(["team_rank", "household_key"]).head(team.capacity)
