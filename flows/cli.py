"""The `sagak` command line: wiring only; the work lives in the stage packages."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from sagak.settings import get_settings

app = typer.Typer(
    help="sagak — find households in crisis from agency feeds and publish outreach lists.\n\n"
    "Start with `sagak synth` to make a demo world, then `sagak nightly --as-of latest`.",
    no_args_is_help=True,
    add_completion=False,
)

HomeOption = Annotated[
    Path | None,
    typer.Option("--home", help="SAGAK_HOME: where the inbox, warehouse and outputs live."),
]
DELIVERY_NAME = re.compile(r"^[a-z]+_(\d{8})(?:_v\d+)?\.[a-z]+$")


def _parse_date(value: str, option: str) -> date:
    """A YYYY-MM-DD date, or a message naming the option."""
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        message = f"expected a date YYYY-MM-DD, got {value!r}"
        raise typer.BadParameter(message, param_hint=option) from err


def latest_delivery_date(inbox: Path) -> date | None:
    """The newest delivery date among the inbox's file names, if any."""
    found = [
        m.group(1) for p in inbox.glob("*/*") if (m := DELIVERY_NAME.match(p.name)) is not None
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
) -> None:
    """Write a synthetic world in the agencies' own formats: inbox/, truth/, feedback/."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", end):
        raise typer.BadParameter(f"expected YYYY-MM, got {end!r}", param_hint="--end")
    from synth.world import generate

    target = out or get_settings().home
    summary = generate(target, households, months, end, seed, mess)
    typer.echo(f"synthetic world written to {target}")
    for key, value in summary.items():
        typer.echo(f"  {key}: {value}")


@app.command()
def nightly(
    as_of: Annotated[
        str, typer.Option("--as-of", help="Night to run, YYYY-MM-DD, or 'latest' delivery date.")
    ] = "latest",
    home: HomeOption = None,
) -> None:
    """Run the nightly flow: ingest, features, score, publish the lists."""
    settings = get_settings(home)
    if as_of == "latest":
        night = latest_delivery_date(settings.inbox)
        if night is None:
            typer.echo(
                f"error: no deliveries in {settings.inbox} (run `sagak synth` first)", err=True
            )
            raise typer.Exit(code=2)
    else:
        night = _parse_date(as_of, "--as-of")
    from flows.nightly import nightly as nightly_flow
    from flows.summary import print_summary

    manifest = nightly_flow(as_of=night, home=str(settings.home))
    print_summary(settings, night, manifest)


def main() -> None:
    """Entry point of the `sagak` script."""
    # the ephemeral Prefect server would try to phone home (there is no internet for it)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    app()
