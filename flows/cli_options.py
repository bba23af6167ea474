"""Options and checks shared by the `sagak` commands; a failure ends in one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from sagak.settings import Settings

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
    from flows.progress import log_failure, log_file, one_line

    log_failure(what, err)
    typer.echo(f"error: {what} failed: {one_line(err)} (details in {log_file(settings)})", err=True)
    return typer.Exit(code=1)


@contextmanager
def writing(settings: Settings, what: str, lock_wait: float | None) -> Iterator[None]:
    """Hold SAGAK_HOME's writer lock; a wait that runs out ends the command with one line."""
    from flows.lock import LockTimeout, warehouse_lock

    try:
        with warehouse_lock(settings, what, lock_wait):
            yield
    except LockTimeout as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=1) from err
