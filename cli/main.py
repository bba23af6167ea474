"""The `sagak` command line: wiring only; the work lives in the stage packages."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.exit import leave
from cli.listing import ledger, quarantine
from cli.monitor import monitor
from cli.options import (
    DaskAddressOption,
    HomeOption,
    LangOption,
    LockWaitOption,
    RunnerOption,
    check_home,
    check_lang,
    check_runner,
    check_writable,
    error_line,
    failed,
    parse_date,
    writing,
)
from cli.unattended import backfill, serve
from cli.web import users_app, web
from sagak.settings import get_settings

app = typer.Typer(
    help="sagak — find households in crisis from agency feeds and publish outreach lists.\n\n"
    "Start with `sagak synth` to make a demo world, then `sagak nightly --as-of latest`.",
    no_args_is_help=True,
    add_completion=False,
)

DELIVERY_NAME = re.compile(r"^[a-z]+_(\d{8})(?:_v\d+)?\.[a-z]+(?:\.gz)?$")


@contextmanager
def bad_input(what: str) -> Iterator[None]:
    """A bad file or setting met on the way (a contract, teams.yml, a damaged warehouse: the
    ValueErrors of the stage packages) ends the command with one line and exit 1."""
    try:
        yield
    except ValueError as err:
        typer.echo(f"error: {what} failed: {error_line(err)}", err=True)
        raise typer.Exit(code=1) from None


def latest_delivery_date(inbox: Path) -> date | None:
    """The newest delivery date among the inbox's file names, if any."""
    found = [
        m.group(1)
        for p in inbox.glob("*/*")
        if p.parent.name != "feedback" and (m := DELIVERY_NAME.match(p.name)) is not None
    ]
    return date(int(max(found)[:4]), int(max(found)[4:6]), int(max(found)[6:])) if found else None


@app.command()
def synth(
    households: Annotated[int, typer.Option(min=1, help="Number of households.")] = 20_000,
    months: Annotated[int, typer.Option(min=2, help="Months of history.")] = 24,
    end: Annotated[str, typer.Option(help="Last month of the world, YYYY-MM.")] = "2026-10",
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same bytes.")] = 42,
    mess: Annotated[float, typer.Option(min=0.0, max=1.0, help="Rate of messy data.")] = 0.01,
    out: Annotated[Path | None, typer.Option(help="Output folder (default SAGAK_HOME).")] = None,
    compress: Annotated[
        bool, typer.Option("--compress", help="Write the text deliveries as .csv.gz, .jsonl.gz.")
    ] = False,
) -> None:
    """Write a synthetic world in the agencies' own formats: inbox/, truth/, feedback/."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", end):
        raise typer.BadParameter(f"expected YYYY-MM, got {end!r}", param_hint="--end")
    from synth.world import generate

    target = out or get_settings().home
    summary = generate(target, households, months, end, seed, mess, compress)
    typer.echo(f"synthetic world written to {target}")
    for key, value in summary.items():
        typer.echo(f"  {key}: {value}")


@app.command()
def nightly(
    as_of: Annotated[
        str, typer.Option("--as-of", help="Night to run, YYYY-MM-DD, or 'latest' delivery date.")
    ] = "latest",
    home: HomeOption = None,
    lang: LangOption = "ko",
    runner: RunnerOption = "local",
    dask_address: DaskAddressOption = None,
    lock_wait: LockWaitOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Run a night earlier than the latest published one.")
    ] = False,
) -> None:
    """Run the nightly flow: ingest, visit results, features, score, publish the lists."""
    check_lang(lang)
    check_runner(runner, dask_address)
    settings = get_settings(home)
    if as_of == "latest":
        night = latest_delivery_date(settings.inbox)
        if night is None:
            typer.echo(
                f"error: no deliveries in {settings.inbox} (run `sagak synth` first)", err=True
            )
            raise typer.Exit(code=2)
    else:
        night = parse_date(as_of, "--as-of")
    from cli.logs import log_to_file
    from cli.summary import print_summary
    from flows.nightly import nightly as nightly_flow
    from flows.prefect_server import with_prefect_api

    check_writable(settings, "nightly")
    log_to_file(settings)
    try:
        manifest = with_prefect_api(nightly_flow, settings.home)(
            as_of=night,
            home=str(settings.home),
            lang=lang,
            runner=runner,
            dask_address=dask_address,
            lock_wait=lock_wait,
            force=force,
        )
    except Exception as err:
        raise failed(f"nightly {night}", err, settings) from None
    print_summary(settings, night, manifest)


@app.command()
def features(
    as_of: Annotated[str, typer.Option("--as-of", help="Snapshot date, YYYY-MM-DD.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the snapshot here as Parquet.")
    ] = None,
    home: HomeOption = None,
    lock_wait: LockWaitOption = None,
) -> None:
    """Build the point-in-time household features at --as-of into the warehouse."""
    night = parse_date(as_of, "--as-of")
    settings = get_settings(home)
    if not settings.warehouse.exists():
        typer.echo(
            f"error: no warehouse at {settings.warehouse} (run `sagak nightly` first)", err=True
        )
        raise typer.Exit(code=2)
    from features.build import StagingMissing, household_features, write_snapshot
    from sagak.warehouse import warehouse

    what = f"features {night}"
    with bad_input(what), writing(settings, what, lock_wait), warehouse(settings) as con:
        try:
            rows = household_features(con, night)
        except StagingMissing as err:
            typer.echo(f"error: {err} (run `sagak nightly` first)", err=True)
            raise typer.Exit(code=2) from err
        typer.echo(f"household_features as of {night}: {rows} households")
        if out is not None:
            write_snapshot(con, night, out)
            typer.echo(f"written to {out}")


@app.command()
def feedback(
    path: Annotated[Path, typer.Argument(help="A returned visit sheet (.xlsx) or a CSV.")],
    received: Annotated[
        str | None,
        typer.Option("--received", help="Day the results were handed back (default today)."),
    ] = None,
    home: HomeOption = None,
    lock_wait: LockWaitOption = None,
) -> None:
    """Store visit results: checks every row, stores the good ones, closes their assignments."""
    day = parse_date(received, "--received") if received else date.today()
    if not path.is_file():
        typer.echo(f"error: {path}: no such file", err=True)
        raise typer.Exit(code=2)
    settings = get_settings(home)
    if not settings.warehouse.exists():
        typer.echo(
            f"error: no warehouse at {settings.warehouse} (run `sagak nightly` first)", err=True
        )
        raise typer.Exit(code=2)
    from outreach.feedback import FeedbackFileError, store_visit_results
    from sagak.warehouse import warehouse

    what = f"feedback {path.name}"
    with bad_input(what), writing(settings, what, lock_wait), warehouse(settings) as con:
        try:
            [result], _ = store_visit_results(con, settings, day, path)
        except FeedbackFileError as err:
            typer.echo(f"error: {err}", err=True)
            raise typer.Exit(code=2) from err
    for error in result.errors:
        typer.echo(f"error: {error}", err=True)
    typer.echo(
        f"{path.name}: {result.rows} rows with results, {result.stored} stored, "
        f"{result.unchanged} unchanged, {len(result.errors)} rejected"
    )
    if result.errors:
        raise typer.Exit(code=2)


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (a list of objects).")]


def _night(as_of: str, inbox: Path) -> date:
    """--as-of: YYYY-MM-DD, 'today' or 'latest' (the newest delivery date in the inbox)."""
    if as_of == "today":
        return date.today()
    if as_of == "latest":
        return latest_delivery_date(inbox) or date.today()
    return parse_date(as_of, "--as-of")


@app.command()
def ingest(
    inbox: Annotated[
        Path | None, typer.Option("--inbox", help="Inbox folder (default SAGAK_HOME/inbox).")
    ] = None,
    home: HomeOption = None,
    as_of: Annotated[
        str, typer.Option("--as-of", help="Ingest files dated up to: YYYY-MM-DD, today, latest.")
    ] = "today",
    lock_wait: LockWaitOption = None,
) -> None:
    """Ingest every new delivery; print per feed: freshness, rows loaded, quarantined, rejected."""
    settings = get_settings(home)
    folder = inbox or settings.inbox
    if not folder.is_dir():
        message = f"expected an existing inbox folder, got {str(folder)!r}"
        raise typer.BadParameter(message, param_hint="--inbox")
    night = _night(as_of, folder)
    from cli.ingest_summary import print_ingest
    from ingest.load import ingest_inbox
    from ingest.report import ingest_report
    from sagak.privacy import secret
    from sagak.warehouse import warehouse

    what, new = f"ingest {night}", not settings.warehouse.exists()
    with bad_input(what), writing(settings, what, lock_wait), warehouse(settings) as con:
        if new:
            typer.echo(f"a new warehouse: {settings.warehouse}", err=True)
        rows = ingest_inbox(
            con, folder, night, secret(settings), settings.contracts, settings.contacts
        )
        feeds = ingest_report(con, settings.contracts, night, rows)
    print_ingest(night, rows, feeds)


app.command()(ledger)
app.command()(quarantine)


@app.command()
def train(
    as_of: Annotated[
        str, typer.Option("--as-of", help="Train as of YYYY-MM-DD or 'latest' delivery date.")
    ] = "latest",
    seed: Annotated[int, typer.Option(help="Random seed: same data and seed, same model.")] = 0,
    home: HomeOption = None,
    lock_wait: LockWaitOption = None,
) -> None:
    """Train and validate the risk model forward in time; register it; promote it if better."""
    settings = get_settings(home)
    night = _night(as_of, settings.inbox)
    if not settings.warehouse.exists():
        typer.echo(
            f"error: no warehouse at {settings.warehouse} (run `sagak nightly` first)", err=True
        )
        raise typer.Exit(code=2)
    from cli.model_summary import print_training
    from flows.operations import train_for_settings
    from models.temporal import NotEnoughHistory

    try:
        with bad_input(f"train {night}"), writing(settings, f"train {night}", lock_wait):
            meta = train_for_settings(settings, night, seed)
    except (NotEnoughHistory, LookupError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=2) from err
    print_training(meta)


models_app = typer.Typer(
    help="The model registry: list the models; `promote ID` makes one the champion.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(models_app, name="models")


@models_app.callback()
def models(ctx: typer.Context, as_json: JsonOption = False, home: HomeOption = None) -> None:
    """List the registered models (the champion marked) with their validation figures."""
    if ctx.invoked_subcommand is not None:
        return
    from cli.model_summary import print_models
    from models.registry import list_models

    settings = get_settings(home)
    check_home(settings)
    print_models(list_models(settings.artifacts), as_json)


@models_app.command("promote")
def models_promote(
    model_id: Annotated[str, typer.Argument(help="The model id to make champion.")],
    reason: Annotated[str, typer.Option(help="Why (logged).")] = "manual override",
    home: HomeOption = None,
) -> None:
    """Make a model the champion by hand; logged to artifacts/models/promotions.jsonl."""
    from models.registry import UnknownModel, promote

    try:
        record = promote(get_settings(home).artifacts, model_id, reason, by="sagak models promote")
    except UnknownModel as err:
        raise typer.BadParameter(str(err), param_hint="MODEL_ID") from err
    typer.echo(f"champion: {record['model_id']} (was {record['previous']})")


@app.command()
def audit(
    model: Annotated[
        str | None, typer.Option("--model", help="Model id (default: the champion).")
    ] = None,
    outcomes: Annotated[
        bool,
        typer.Option("--outcomes", help="The audit against visit outcomes, not validation."),
    ] = False,
    night: Annotated[
        str | None,
        typer.Option("--night", help="With --outcomes: that night's audit (default: latest)."),
    ] = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Print a model's fairness audit (Aequitas definitions): on its validation period, or with
    --outcomes on the households visited from the published lists (the nightly's audit)."""
    settings = get_settings(home)
    check_home(settings)
    from cli.model_summary import outcome_audit_path, print_fairness
    from models.registry import UnknownModel, champion_id, model_folder

    if night is not None and not outcomes:
        raise typer.BadParameter("only with --outcomes", param_hint="--night")
    chosen = model or champion_id(settings.artifacts)
    if chosen is None:
        typer.echo("error: no champion model (run `sagak train` or pass --model)", err=True)
        raise typer.Exit(code=2)
    if outcomes:
        day = parse_date(night, "--night") if night else None
        path, shown = outcome_audit_path(settings.artifacts, chosen, day)
        print_fairness(chosen, path, as_json, f"visit outcomes known on {shown}")
        return
    try:
        folder = model_folder(settings.artifacts, chosen)
    except UnknownModel as err:
        raise typer.BadParameter(str(err), param_hint="--model") from err
    print_fairness(chosen, folder / "fairness.parquet", as_json)


app.command()(backfill)
app.command()(serve)
app.command()(monitor)
app.command()(web)
app.add_typer(users_app, name="users")


def main() -> None:
    """Entry point of the `sagak` script."""
    # the ephemeral Prefect server would try to phone home (there is no internet for it)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    try:
        app()
    except SystemExit as done:  # typer ends every command so, success included
        leave(done.code)
