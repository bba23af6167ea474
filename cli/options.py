"""Options and checks shared by the `sagak` commands; a failure ends in one line."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from sagak.settings import Settings

# how long a reader retries a warehouse held by a process outside sagak's lock
READ_RETRY_SECONDS = 5.0

HomeOption = Annotated[
    Path | None,
    typer.Option("--home", help="SAGAK_HOME: where the inbox, warehouse and outputs live."),
]
LangOption = Annotated[
    str, typer.Option("--lang", help="Language of reasons on the visit sheets: ko or en.")
]
LockWaitOption = Annotated[
    float | None,
    typer.Option(
        "--lock-wait",
        min=0,
        envvar="SAGAK_LOCK_WAIT",
        help="Seconds to wait while another sagak run writes to SAGAK_HOME (default 1800).",
    ),
]
RunnerOption = Annotated[
    str, typer.Option("--runner", help="Where features and scores run: local or dask.")
]
DaskAddressOption = Annotated[
    str | None,
    typer.Option(
        "--dask-address",
        help="Dask scheduler, tcp://HOST:PORT (only with --runner dask; default a local cluster).",
    ),
]


def parse_date(value: str, option: str) -> date:
    """A YYYY-MM-DD date, or a message naming the option."""
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        message = f"expected a date YYYY-MM-DD, got {value!r}"
        raise typer.BadParameter(message, param_hint=option) from err


def check_lang(lang: str) -> None:
    """--lang is ko or en."""
    if lang not in ("ko", "en"):
        raise typer.BadParameter(f"expected ko or en, got {lang!r}", param_hint="--lang")


def check_runner(runner: str, dask_address: str | None) -> None:
    """--runner is local or dask; --dask-address only with --runner dask."""
    from flows.nightly import RUNNERS

    if runner not in RUNNERS:
        message = f"expected one of {', '.join(RUNNERS)}, got {runner!r}"
        raise typer.BadParameter(message, param_hint="--runner")
    if dask_address and runner != "dask":
        message = f"only with --runner dask (got --runner {runner})"
        raise typer.BadParameter(message, param_hint="--dask-address")


def failed(what: str, err: BaseException, settings: Settings) -> typer.Exit:
    """One line on stderr naming what failed and why (the traceback goes to the log file)."""
    from cli.logs import log_failure, log_file

    line = error_line(err)
    log_failure(what, err)
    typer.echo(f"error: {what} failed: {line} (details in {log_file(settings)})", err=True)
    return typer.Exit(code=1)


def error_line(err: BaseException) -> str:
    """An error's first line, plus where a YAML file broke when a YAML error is behind it (its
    own message spreads the line and column over several lines, after the first)."""
    import yaml

    from cli.logs import one_line

    first, seen = one_line(err), []
    while err is not None and err not in seen:
        mark = getattr(err, "problem_mark", None)
        if isinstance(err, yaml.MarkedYAMLError) and mark is not None and "line " not in first:
            problem = "" if str(err.problem) in first else f": {err.problem}"
            return f"{first} (line {mark.line + 1}, column {mark.column + 1}{problem})"
        seen.append(err)
        err = err.__cause__ or err.__context__
    return first


@contextmanager
def writing(settings: Settings, what: str, lock_wait: float | None) -> Iterator[None]:
    """Hold SAGAK_HOME's writer lock; a read-only home or a wait that runs out ends the command
    with one line."""
    from sagak.lock import LockTimeout, warehouse_lock

    check_writable(settings, what.split()[0])
    try:
        with warehouse_lock(settings, what, lock_wait):
            yield
    except LockTimeout as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=1) from err


def stop(message: str, code: int) -> typer.Exit:
    """Say `error: message` on stderr, one line; the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=code)


def check_home(settings: Settings) -> None:
    """A reader's SAGAK_HOME exists: a mistyped --home ends in one line, creating nothing."""
    if not settings.home.is_dir():
        raise stop(f"no sagak home at {settings.home} (check --home or $SAGAK_HOME)", 2)


def check_warehouse(settings: Settings) -> None:
    """A reader's SAGAK_HOME holds a warehouse; otherwise one line, creating nothing."""
    check_home(settings)
    if not settings.warehouse.is_file():
        raise stop(
            f"no warehouse at {settings.warehouse} (run `sagak nightly` first, "
            "or check --home or $SAGAK_HOME)",
            2,
        )


def check_writable(settings: Settings, command: str) -> None:
    """What a writer writes in an existing SAGAK_HOME is writable: one line and exit 1 if not."""
    from cli.logs import log_file
    from sagak.lock import lock_path

    logs = log_file(settings)
    for path in (settings.home, settings.warehouse, lock_path(settings), logs.parent, logs):
        if path.exists() and not os.access(path, os.W_OK):
            raise stop(
                f"sagak {command} cannot write to {path}: permission denied "
                f"(it writes its warehouse, lock and log in {settings.home})",
                1,
            )


@contextmanager
def reading(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for a reader command: the warehouse or, while a writer holds it,
    the copy the last writer left (said on stderr). Anything else ends in one line: exit 2
    without a warehouse, 1 when it cannot be read."""
    from cli.logs import one_line
    from sagak.lock import reading_lock

    check_warehouse(settings)
    with reading_lock(settings) as writer:
        con = _reader_connection(settings, writer)
        try:
            yield con
        except duckdb.Error as err:
            raise stop(f"cannot read {settings.warehouse}: {one_line(err)}", 1) from err
        finally:
            con.close()


def _reader_connection(settings: Settings, writer: str | None) -> duckdb.DuckDBPyConnection:
    """The warehouse read-only (retried briefly while a process outside the lock holds it),
    else the readers' copy; a damaged file or no copy ends in one line."""
    from cli.logs import one_line
    from sagak.warehouse import WarehouseUnreadable, connect

    try:
        if writer is not None:
            return _copy(settings, f"{writer} is writing the warehouse")
        deadline = time.monotonic() + READ_RETRY_SECONDS
        while True:
            try:
                return connect(settings.warehouse, settings, read_only=True)
            except duckdb.IOException as err:
                if "lock" not in str(err):
                    raise stop(f"cannot read {settings.warehouse}: {one_line(err)}", 1) from err
                if time.monotonic() >= deadline:
                    pid = re.search(r"PID (\d+)", str(err))
                    who = f"pid {pid[1]}" if pid else "another process"
                    return _copy(settings, f"{who} holds the warehouse outside sagak's lock")
                time.sleep(0.2)
    except WarehouseUnreadable as err:
        raise stop(str(err), 1) from err


def _copy(settings: Settings, why: str) -> duckdb.DuckDBPyConnection:
    """The readers' copy, read-only, with a note saying why and as of when; one line if none."""
    from sagak.warehouse import connect

    copy = settings.reader_copy
    if not copy.is_file():
        raise stop(
            f"{why} ({settings.warehouse}) and no copy for readers exists yet; "
            "try again when it ends",
            1,
        )
    left = datetime.fromtimestamp(copy.stat().st_mtime).isoformat(sep=" ", timespec="seconds")
    typer.echo(f"note: {why}; showing it as the last writer left it at {left}", err=True)
    return connect(copy, settings, read_only=True)
