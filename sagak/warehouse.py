"""The DuckDB warehouse: one file under SAGAK_HOME, opened by one writer at a time.

DuckDB keeps to SAGAK_MEMORY_LIMIT (default 4GB) and spills what does not fit to
SAGAK_HOME/tmp, so a large world runs to completion on a small machine, only slower.

While a process holds the file for writing DuckDB refuses every other connection, even a
read-only one; so each writer, as it lets go of SAGAK_HOME's lock (sagak/lock.py), leaves the
tables the reader commands list in a copy (`reader_copy`) that they read meanwhile.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sagak.settings import SQL_DIR, Settings

MEMORY_LIMIT = "4GB"
MEMORY_LIMIT_VARIABLE = "SAGAK_MEMORY_LIMIT"
# what `sagak ledger`, `sagak quarantine` and `sagak monitor` read
READER_TABLES = ("ingest_ledger", "quarantine", "monitoring")
# reader tables whose rows are written per delivered file (`file_id`) and never changed after
BY_FILE = ("quarantine",)
# DuckDB's words for a file that is damaged, not busy: waiting or retrying cannot mend it
DAMAGED = (
    "not a valid DuckDB database file",
    "Corrupt database file",
    "Could not read enough bytes",
)


class WarehouseUnreadable(ValueError):
    """The warehouse file is damaged or not a DuckDB database; the message names the file."""


def duckdb_config(settings: Settings) -> dict[str, str]:
    """Memory limit (from $SAGAK_MEMORY_LIMIT) and spill folder of a warehouse connection."""
    return {
        "memory_limit": os.environ.get(MEMORY_LIMIT_VARIABLE) or MEMORY_LIMIT,
        "temp_directory": str(settings.tmp),
    }


def is_damaged(err: BaseException | None) -> bool:
    """Whether a DuckDB error says the database file itself is damaged."""
    return isinstance(err, duckdb.Error) and any(words in str(err) for words in DAMAGED)


def connect(path: Path, settings: Settings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the DuckDB file `path`; WarehouseUnreadable if the file is damaged."""
    config = duckdb_config(settings)
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.ParserException as err:
        limit = config["memory_limit"]
        raise ValueError(
            f"{MEMORY_LIMIT_VARIABLE}={limit!r}: expected a size such as 4GB or 500MB ({err})"
        ) from err
    except duckdb.Error as err:
        if is_damaged(err):
            raise WarehouseUnreadable(
                f"{path}: damaged or not a DuckDB database; restore it from a backup "
                f"(DuckDB: {str(err).removeprefix('IO Error: ')})"
            ) from err
        raise


@contextmanager
def warehouse(settings: Settings, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to SAGAK_HOME/warehouse.duckdb, closed on exit (read-only creates nothing)."""
    if not read_only:
        settings.home.mkdir(parents=True, exist_ok=True)
    con = connect(settings.warehouse, settings, read_only)
    try:
        yield con
    finally:
        con.close()


def tables(con: duckdb.DuckDBPyConnection, database: str | None = None) -> set[str]:
    """The names of the tables and views the connection sees, temporary ones included; or of
    those of the attached `database` only."""
    found = con.execute(sql_text("warehouse/tables.sql"), {"database": database})
    return {r[0] for r in found.fetchall()}


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the connection sees a table or view called `name`."""
    return name in tables(con)


def publish_reader_copy(settings: Settings) -> Path | None:
    """Copy READER_TABLES into `settings.reader_copy`, replacing the last copy in one rename;
    None when there is no warehouse. Call it with no connection to the warehouse open.

    The new copy starts from the last one: a table of BY_FILE keeps the rows of the files whose
    rows it already holds (same file, same number of rows) and takes the rest from the
    warehouse, so the quarantine (a million rows at 1M households, written only as files load)
    is not copied again every time a writer lets go. The other tables are copied whole."""
    if not settings.warehouse.exists():
        return None
    target = settings.reader_copy
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    _remove(partial)
    try:
        try:
            _fill_reader_copy(partial, settings, start=target if target.is_file() else None)
        except (duckdb.Error, WarehouseUnreadable):  # the last copy unreadable: a fresh one
            _remove(partial)
            _fill_reader_copy(partial, settings, start=None)
        os.replace(partial, target)
    finally:
        _remove(partial)
    return target


def _fill_reader_copy(partial: Path, settings: Settings, start: Path | None) -> None:
    """Write READER_TABLES into the DuckDB file `partial`, from a copy of `start` if given."""
    if start is not None:
        shutil.copyfile(start, partial)
    with connect(partial, settings) as con:
        con.execute(sql_text("warehouse/attach_warehouse.sql"), {"path": str(settings.warehouse)})
        here = con.sql("select current_database()").fetchall()[0][0]
        present, held = tables(con, "w"), tables(con, here) if start is not None else set()
        for table in READER_TABLES:
            name = quote_ident(table)
            same = table in held and _columns(con, here, table) == _columns(con, "w", table)
            if table in BY_FILE and same:
                con.execute(sql_text("warehouse/reader_files_changed.sql").format(table=name))
                for statement in sql_text("warehouse/reader_files_sync.sql").split(";")[:-1]:
                    con.execute(statement.format(table=name))
                continue
            con.execute(f"drop table if exists main.{name}")
            if table in present:
                con.execute(sql_text("warehouse/reader_table.sql").format(table=name))


def _columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> list[tuple]:
    """(name, type) of each column of `database`.`table`, in order."""
    found = con.execute(
        sql_text("warehouse/table_columns.sql"), {"database": database, "table": table}
    )
    return found.fetchall()


def _remove(path: Path) -> None:
    """Remove a DuckDB file and its write-ahead log, if there."""
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)


def sql_text(relative: str) -> str:
    """The text of sql/<relative>, e.g. 'features/household_features.sql'."""
    path: Path = SQL_DIR / relative
    return path.read_text(encoding="utf-8")


def quote_ident(name: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def created_in(schema: str, name: str) -> str:
    """What `create or replace ...` names for table `name` in `schema` (quoted; "temp": the
    connection's temporary tables)."""
    if schema == "temp":
        return f"temp table {quote_ident(name)}"
    return f"table {schema}.{quote_ident(name)}"


def quote_literal(text: str) -> str:
    """A SQL string literal, quotes escaped."""
    return "'" + text.replace("'", "''") + "'"


def used_params(query: str, params: dict) -> dict:
    """The entries of `params` that `query`'s code (not its comments) names as `$name`:
    DuckDB refuses a parameter a statement does not use."""
    code = re.sub(r"--[^\n]*", "", query)
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", code)}


def temp_table(con: duckdb.DuckDBPyConnection, name: str, query: str, params: dict) -> None:
    """(Re)create temp table `name` from `query`, given the `params` it uses."""
    statement = f"create or replace temp table {quote_ident(name)} as {query}"
    con.execute(statement, used_params(query, params))


def run_statements(con: duckdb.DuckDBPyConnection, query: str, params: dict) -> None:
    """Run the `;`-separated statements of `query` in order, each given the `params` it uses
    (DuckDB takes parameters for one statement at a time)."""
    for statement in re.split(r";\s*\n", query):
        if re.sub(r"--[^\n]*", "", statement).strip():
            con.execute(statement, used_params(statement, params))
