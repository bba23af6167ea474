"""Small Parquet files a night publishes for the web application, which never opens the
warehouse (the nightly run holds it): open assignments, the feature snapshot, known outcomes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from outreach.manifest import sha256_file
from sagak.warehouse import sql_text

WEB_TABLES = {
    "web/assignments.parquet": "outreach/web_assignments.sql",
    "web/features.parquet": "outreach/web_features.sql",
    "web/outcomes.parquet": "outreach/web_outcomes.sql",
}


def web_tables(con: duckdb.DuckDBPyConnection, folder: Path, as_of: date) -> dict[str, str]:
    """Write web/<table>.parquet into the night's folder; relpath → sha256."""
    (folder / "web").mkdir(exist_ok=True)
    written = {}
    for relpath, query in WEB_TABLES.items():
        text = sql_text(query)
        params = {"as_of": as_of} if "$as_of" in text else None
        con.sql(text, params=params).pl().write_parquet(folder / relpath)
        written[relpath] = sha256_file(folder / relpath)
    return written
