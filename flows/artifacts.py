"""The Prefect artifacts of a published night: the list per team and where the files are."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from prefect.artifacts import create_markdown_artifact, create_table_artifact

TEAM_COLUMNS = ("assigned", "exploration", "new_since_last_run")


def outreach_teams(ranked: pl.DataFrame, manifest: dict) -> list[dict]:
    """Per team: name, capacity, households, listed, assigned, exploration, new, escalated."""
    counts = ranked.group_by("emd_code").agg(
        pl.len().alias("households"),
        *(pl.col(c).sum().alias(c) for c in TEAM_COLUMNS),
        (pl.col("excluded_reason") == "escalated").sum().alias("escalated"),
    )
    by_team = {row["emd_code"]: row for row in counts.iter_rows(named=True)}
    rows = []
    for team in manifest.get("teams", {}).get("teams", []):
        own = by_team.get(team["emd_code"], {})
        rows.append(
            {
                "team": team["emd_code"],
                "name": team.get("name"),
                "capacity": team.get("capacity"),
                "households": own.get("households", 0),
                "listed": team.get("listed", 0),
                **{c: int(own.get(c) or 0) for c in TEAM_COLUMNS},
                "escalated": int(own.get("escalated") or 0),
            }
        )
    return rows


def outreach_files(folder: Path, manifest: dict) -> str:
    """Markdown: the report, manifest, ranked list and sheets of the night, as file URIs."""
    lines = [f"# sagak outreach {manifest.get('as_of')}", ""]
    for label, name in (
        ("report", "report.html"),
        ("manifest", "manifest.json"),
        ("ranked list", "ranked.parquet"),
    ):
        lines.append(f"- {label}: [{folder / name}]({(folder / name).as_uri()})")
    sheets = folder / "sheets"
    lines.append(f"- visit sheets ({manifest.get('teams', {}).get('count', 0)}): `{sheets}`")
    if manifest.get("counts", {}).get("escalated"):
        lines.append(f"- escalations: `{folder / 'escalations'}`")
    lines.append(
        f"\nscored by `{manifest.get('scorer')}`; published {manifest.get('published_at')}"
    )
    return "\n".join(lines)


def publish_artifacts(folder: Path, as_of: date, manifest: dict) -> None:
    """Table artifact `outreach-teams` and markdown artifact `outreach-files` for the night."""
    # only the columns counted (the whole list, reasons and all, took a second at 1M)
    columns = ["emd_code", *TEAM_COLUMNS, "excluded_reason"]
    ranked = pl.read_parquet(folder / "ranked.parquet", columns=columns)
    create_table_artifact(
        table=outreach_teams(ranked, manifest),
        key="outreach-teams",
        description=f"sagak outreach {as_of}: the list per team",
    )
    create_markdown_artifact(
        markdown=outreach_files(folder, manifest),
        key="outreach-files",
        description=f"sagak outreach {as_of}: report, manifest and sheets",
    )
