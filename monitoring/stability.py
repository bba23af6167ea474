"""List stability after scoring: tonight's top of the list against last night's published one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from monitoring.config import MonitoringConfig
from monitoring.findings import finding, graded, note
from sagak.warehouse import sql_text


def list_overlap(
    con: duckdb.DuckDBPyConnection, previous: Path | None, capacities: dict[str, int]
) -> pl.DataFrame:
    """`subject` (all, or a team), tonight, last_night, common, jaccard, top-tier shares."""
    if previous is None:
        return pl.DataFrame()
    frame = pl.DataFrame(
        {"emd_code": list(capacities), "capacity": list(capacities.values())},
        schema={"emd_code": pl.Utf8, "capacity": pl.Int64},
    )
    con.register("monitoring_capacity_frame", frame.to_arrow())
    con.execute(
        "create or replace temp table monitoring_capacity as from monitoring_capacity_frame"
    )
    con.unregister("monitoring_capacity_frame")
    params = {"previous": str(previous / "ranked.parquet"), "total": sum(capacities.values())}
    try:
        return con.sql(sql_text("monitoring/list_overlap.sql"), params=params).pl()
    finally:
        con.execute("drop table if exists temp.monitoring_capacity")


def overlap_findings(overlap: pl.DataFrame, last: str, config: MonitoringConfig) -> list[dict]:
    """The whole list's Jaccard (judged), then per team its overlap and tier mix (recorded)."""
    if overlap.is_empty():
        return [
            note("list_overlap", "all", "no earlier published night: list overlap starts tomorrow")
        ]
    limits = config.list
    rows = []
    for r in overlap.to_dicts():
        value = r["jaccard"]
        if r["subject"] == "all":
            severity, bound = graded(value or 0.0, limits.jaccard_warning, limits.jaccard_critical)
            message = (
                f"list: {r['common']:,} of tonight's top {r['tonight']:,} were in the top of "
                f"{last} (Jaccard {value or 0:.2f})"
            )
            if severity != "ok":
                message += " — the list moved more than usual: check the feeds and the model"
            rows.append(finding("list_overlap", "all", value, None, bound, severity, message))
            continue
        rows.append(
            finding(
                "team_overlap",
                r["subject"],
                value,
                None,
                None,
                "ok",
                f"team {r['subject']}: {r['common']} of {r['tonight']} also on {last}'s top",
            )
        )
        rows.append(
            finding(
                "team_tier_mix",
                r["subject"],
                r["top_tier_share"],
                r["top_tier_share_last"],
                None,
                "ok",
                f"team {r['subject']}: share of its top in tiers 16-20",
            )
        )
    return rows


def exclusion_findings(ranked: Path, previous: Path | None) -> list[dict]:
    """After publishing: the share of households excluded, per reason, against last night."""
    con = duckdb.connect()
    try:
        tonight = _excluded(con, ranked)
        before = _excluded(con, previous / "ranked.parquet") if previous else {}
    finally:
        con.close()
    return [
        finding(
            "excluded_share",
            reason,
            share,
            before.get(reason),
            None,
            "ok",
            f"excluded ({reason}): {share:.1%} of households",
        )
        for reason, share in sorted(tonight.items())
    ]


def _excluded(con: duckdb.DuckDBPyConnection, ranked: Path) -> dict[str, float]:
    """Excluded share per reason (and `any`) of one ranked.parquet."""
    rows = con.execute(
        sql_text("monitoring/excluded_shares.sql"), {"ranked": str(ranked)}
    ).fetchall()
    return dict(rows)


def night_name(previous: Path | None) -> str:
    """'last night (YYYY-MM-DD)' for the previous published folder."""
    return f"the last published night ({previous.name})" if previous else "no earlier night"
