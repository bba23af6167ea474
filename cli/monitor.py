"""`sagak monitor`: the recent night-over-night findings (wiring only; see monitoring/)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cli.options import HomeOption, reading
from sagak.settings import get_settings

SEVERITY_MARK = {"critical": "!!", "warning": "! ", "ok": "  "}


def monitor(
    nights: Annotated[
        int, typer.Option("--nights", min=1, help="How many of the latest monitored nights.")
    ] = 1,
    show_ok: Annotated[
        bool, typer.Option("--all", help="Also list the checks that are ok.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (a list of objects).")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Print the findings of the last nights monitored: feeds, drift, list, live quality."""
    settings = get_settings(home)
    with reading(settings) as con:
        rows = recent_findings(con, nights)
    shown = rows if show_ok or as_json else [r for r in rows if r["severity"] != "ok"]
    if as_json:
        typer.echo(json.dumps(shown, indent=2, default=str, ensure_ascii=False))
        return
    print_findings(rows, shown)


def recent_findings(con, nights: int) -> list[dict]:
    """The last nights' findings (monitoring.findings.recent_findings without creating the
    table: readers read the warehouse read-only)."""
    from sagak.warehouse import sql_text, table_exists

    if not table_exists(con, "monitoring"):
        return []
    query = sql_text("monitoring/recent_findings.sql")
    return con.sql(query, params={"nights": nights, "as_of": None}).pl().to_dicts()


def print_findings(rows: list[dict], shown: list[dict]) -> None:
    """One block per night: its counts, then one line per finding, the worst first."""
    if not rows:
        typer.echo("no night monitored yet (run `sagak nightly`)")
        return
    for night in sorted({r["night"] for r in rows}, reverse=True):
        mine = [r for r in rows if r["night"] == night]
        counts = {s: sum(r["severity"] == s for r in mine) for s in ("critical", "warning")}
        typer.echo(
            f"{night}: {counts['critical']} critical, {counts['warning']} warning "
            f"of {len(mine)} checks"
        )
        for r in (r for r in shown if r["night"] == night):
            typer.echo(f"  {SEVERITY_MARK[r['severity']]} {r['stage']:<5} {r['message']}")
