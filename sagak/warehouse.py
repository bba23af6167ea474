"""The DuckDB warehouse: one file under SAGAK_HOME, opened by one writer at a time.

DuckDB keeps to SAGAK_MEMORY_LIMIT (default 4GB) and spills what does not fit to
SAGAK_HOME/tmp, so a large world runs to completion on a small machine, only slower.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sagak.settings import SQL_DIR, Settings

MEMORY_LIMIT = "4GB"
MEMORY_LIMIT_VARIABLE = "SAGAK_MEMORY_LIMIT"


def duckdb_config(settings: Settings) -> dict[str, str]:
    """Memory limit (from $SAGAK_MEMORY_LIMIT) and spill folder of a warehouse connection."""
    return {
        "memory_limit": os.environ.get(MEMORY_LIMIT_VARIABLE) or MEMORY_LIMIT,
        "temp_directory": str(settings.home / "tmp"),
    }


@contextmanager
def warehouse(settings: Settings, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to SAGAK_HOME/warehouse.duckdb, closed on exit."""
    settings.home.mkdir(parents=True, exist_ok=True)
    config = duckdb_config(settings)
    try:
        con = duckdb.connect(str(settings.warehouse), read_only=read_only, config=config)
    except duckdb.ParserException as err:
        limit = config["memory_limit"]
        raise ValueError(
            f"{MEMORY_LIMIT_VARIABLE}={limit!r}: expected a size such as 4GB or 500MB ({err})"
        ) from err
    try:
        yield con
    finally:
        con.close()


def sql_text(relative: str) -> str:
    """The text of sql/<relative>, e.g. 'features/household_features.sql'."""
    path: Path = SQL_DIR / relative
    return path.read_text(encoding="utf-8")
