"""Parquet files a night publishes for the web application, which never opens the warehouse
(the nightly run holds it): open assignments, each household's row and features sorted by key
(for the household page), and the outcomes known by the night.

Each household's row and features: the ranked list and the feature snapshot, each sorted by
key, set side by side when they hold the same households (every night: the list is scored
from the snapshot), else joined. At 1M households a join and sort of the two in DuckDB took
2.8 s, side by side 1.9 s."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from outreach.manifest import sha256_file
from sagak.warehouse import sql_text

ROW_GROUP_ROWS = 16_384
WEB_TABLES = {
    "web/assignments.parquet": "outreach/web_assignments.sql",
    "web/households.parquet": "outreach/web_household_features.sql",
    "web/outcomes.parquet": "outreach/web_outcomes.sql",
}
HOUSEHOLDS = "web/households.parquet"


def web_tables(con: duckdb.DuckDBPyConnection, folder: Path, as_of: date) -> dict[str, str]:
    """Write web/<table>.parquet into the night's folder (after ranked.parquet); relpath → sha256.

    Small row groups let a lookup by key read one group, not the whole file.
    """
    (folder / "web").mkdir(exist_ok=True)
    values = {"as_of": as_of, "ranked": str(folder / "ranked.parquet")}
    written = {}
    for relpath, query in WEB_TABLES.items():
        text = sql_text(query)
        params = {name: value for name, value in values.items() if f"${name}" in text}
        frame = con.sql(text, params=params or None).pl()
        if relpath == HOUSEHOLDS:
            frame = household_rows(pl.read_parquet(values["ranked"]), frame)
        frame.write_parquet(folder / relpath, row_group_size=ROW_GROUP_ROWS)
        written[relpath] = sha256_file(folder / relpath)
    return written


def household_rows(ranked: pl.DataFrame, features: pl.DataFrame) -> pl.DataFrame:
    """Each household of the ranked list with its features (`features` sorted by key), sorted
    by household_key; a household without features has them empty."""
    ranked = ranked.sort("household_key")
    if ranked["household_key"].equals(features["household_key"]):
        return pl.concat([ranked, features.drop("household_key")], how="horizontal")
    return ranked.join(features, on="household_key", how="left", maintain_order="left")
