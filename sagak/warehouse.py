"""The DuckDB warehouse: one file under SAGAK_HOME, opened by one writer at a time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sagak.settings import SQL_DIR, Settings


@contextmanager
def warehouse(settings: Settings, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to SAGAK_HOME/warehouse.duckdb, closed on exit."""
    settings.home.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(settings.warehouse), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def sql_text(relative: str) -> str:
    """The text of sql/<relative>, e.g. 'features/household_features.sql'."""
    path: Path = SQL_DIR / relative
    return path.read_text(encoding="utf-8")
