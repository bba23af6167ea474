"""`sagak backfill` and `sagak serve`: the commands of unattended operation."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import (
    DaskAddressOption,
    HomeOption,
    LangOption,
    LockWaitOption,
    RunnerOption,
    check_lang,
    check_runner,
    check_writable,
    failed,
    parse_date,
)
from sagak.settings import get_settings


def backfill(
    start: Annotated[str, typer.Option("--from", help="First night, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last night, YYYY-MM-DD (included).")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Also run published nights and nights before the latest."),
    ] = False,
    home: HomeOption = None,
    lang: LangOption = "ko",
    runner: RunnerOption = "local",
    dask_address: DaskAddressOption = None,
    lock_wait: LockWaitOption = None,
) -> None:
    """Run the nightly flow for each calendar night from --from to --to, skipping published ones.

    Nights run in order, one line each as it ends; a night whose manifest exists, or earlier
    than the latest published night, is skipped unless --force.
    """
    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    if last < first:
        raise typer.BadParameter(f"{last} is before --from {first}", param_hint="--to")
    check_lang(lang)
    check_runner(runner, dask_address)
    settings = get_settings(home)
    from cli.logs import log_to_file
    from flows.backfill import backfill as backfill_flow
    from flows.backfill import summary_line
    from flows.prefect_server import with_prefect_api

    check_writable(settings, "backfill")
    log_to_file(settings)
    try:
        done = with_prefect_api(backfill_flow, settings.home)(
            first, last, str(settings.home), force, lang, runner, dask_address, lock_wait, True
        )
    except Exception as err:
        raise failed(f"backfill {first}..{last}", err, settings) from None
    typer.echo(summary_line(first, last, done))
    if any(r["status"] == "refused" for r in done):
        raise typer.Exit(code=1)


def serve(
    home: HomeOption = None,
    runner: RunnerOption = "local",
    dask_address: DaskAddressOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Flow runs at a time in this process.")] = 1,
) -> None:
    """Serve nightly (02:00 Seoul), train (03:00 on the 1st), feedback and backfill with Prefect.

    Registers the four deployments and runs them on schedule until interrupted (Ctrl-C).
    """
    check_runner(runner, dask_address)
    settings = get_settings(home)
    from prefect.settings import PREFECT_API_URL

    from cli.logs import log_to_file
    from flows.prefect_server import with_prefect_api
    from flows.serve import deployments, serve_forever

    if not PREFECT_API_URL.value():
        typer.echo(
            "warning: PREFECT_API_URL is not set: serving against a temporary local API that "
            "ends with this process; start `prefect server start` and set PREFECT_API_URL "
            "to keep run history and see the UI",
            err=True,
        )
    log_to_file(settings)
    found = deployments(str(settings.home), runner, dask_address)
    with_prefect_api(serve_forever, settings.home)(found, limit)
