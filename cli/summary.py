"""The short summary `sagak nightly` prints when a night is published."""

from __future__ import annotations

from datetime import date

import polars as pl
import typer

from sagak.settings import Settings

TOP = 10


def print_summary(settings: Settings, as_of: date, manifest: dict) -> None:
    """Households scored, teams, the first team's top 10 with reasons, where outputs are."""
    out = settings.outreach_dir(as_of.isoformat())
    # read lazily: the count from the file's metadata, the first team's rows alone (at 1M
    # households reading the whole list was most of the second after the flow)
    ranked = pl.scan_parquet(out / "ranked.parquet")
    households = ranked.select(pl.len()).collect().item()
    teams = manifest.get("teams", {}).get("teams", [])
    typer.echo(
        f"\nsagak nightly {as_of}: {households:,} households scored by {manifest.get('scorer')}"
    )
    counts = manifest.get("counts", {})
    typer.echo(
        f"teams: {len(teams)}; assigned {counts.get('assigned', 0):,} "
        f"(exploration {counts.get('exploration', 0):,}, new {counts.get('new_since_last_run', 0):,}); "
        f"escalated {counts.get('escalated', 0):,}"
    )
    watched = manifest.get("monitoring")
    if watched:
        forced = ", ".join(f["feed"] for f in watched["forced_stale"]) or "none"
        severities = [f["severity"] for f in watched["findings"]]
        typer.echo(
            f"monitoring: {severities.count('critical')} critical, "
            f"{severities.count('warning')} warning; feeds forced stale: {forced} (`sagak monitor`)"
        )
    if teams:
        first = teams[0]
        typer.echo(f"\ntop {TOP} of {first.get('name', first['emd_code'])} ({first['emd_code']}):")
        own = ranked.filter(pl.col("emd_code") == first["emd_code"])
        if "assigned" in ranked.collect_schema().names():
            own = own.filter(pl.col("assigned"))
        top = own.sort("team_rank").head(TOP).collect()
        for row in top.iter_rows(named=True):
            reasons = "; ".join(row["reasons_ko"]) or "-"
            typer.echo(
                f"  {row['team_rank']:>3}. {row['household_key']}  {row['score']:.3f}  {reasons}"
            )
    typer.echo(f"\noutputs: {out}")
    typer.echo(f"  ranked list: {out / 'ranked.parquet'}")
    typer.echo(f"  visit sheets: {out / 'sheets'}/<emd_code>.xlsx")
    typer.echo(f"  report: {out / 'report.html'}")
    if counts.get("escalated"):
        typer.echo(f"  escalations: {out / 'escalations'}/<sigungu_code>.xlsx")
    typer.echo(f"  manifest: {out / 'manifest.json'}")
