"""Parquet files a night publishes for the web application, which never opens the warehouse
(the nightly run holds it): open assignments, each household's row and features sorted by key
(for the household page), and the outcomes known by the night."""

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
    "web/households.parquet": "outreach/web_households.sql",
    "web/outcomes.parquet": "outreach/web_outcomes.sql",
}


def web_tables(
    con: duckdb.DuckDBPyConnection, folder: Path, as_of: date, ranked_list: pl.DataFrame
) -> dict[str, str]:
    """Write web/<table>.parquet into the night's folder; relpath → sha256. `ranked_list`: the
    night's ranked list, as ranked.parquet holds it (read from memory, registered as
    `night_ranked` while the tables are made).

    Small row groups let a lookup by key read one group, not the whole file.
    """
    (folder / "web").mkdir(exist_ok=True)
    written = {}
    con.register("night_ranked", ranked_list.to_arrow())
    try:
        for relpath, query in WEB_TABLES.items():
            text = sql_text(query)
            params = {"as_of": as_of} if "$as_of" in text else None
            frame = con.sql(text, params=params).pl()
            frame.write_parquet(folder / relpath, row_group_size=ROW_GROUP_ROWS)
            written[relpath] = sha256_file(folder / relpath)
    finally:
        con.unregister("night_ranked")
    return written
