"""The night's ranked list: every household scored, why it was left out, whether it is assigned.

No contact details: pseudonymous keys, scores, reasons and flags only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

SCORE_COLUMNS = (
    "household_key",
    "emd_code",
    "sigungu_code",
    "score",
    "tier",
    "rank",
    "team_rank",
    "reasons",
    "reasons_ko",
    "reasons_en",
)
RANKED_COLUMNS = (
    *SCORE_COLUMNS,
    "excluded_reason",
    "assigned",
    "exploration",
    "new_since_last_run",
)


def scores(con: duckdb.DuckDBPyConnection, excluded: pl.DataFrame) -> pl.DataFrame:
    """`household_scores` (pseudonymous columns only) with `excluded_reason`, sorted by rank."""
    table = con.sql("select * from household_scores").pl()
    return (
        table.select(SCORE_COLUMNS)
        .join(excluded, on="household_key", how="left")
        .sort(["rank", "household_key"])
    )


def ranked(scored: pl.DataFrame, open_now: pl.DataFrame, listed_before: set[str]) -> pl.DataFrame:
    """Add `assigned` (the household has an open assignment, `open_now`: made tonight or
    before), `exploration` (that assignment's) and `new_since_last_run` (assigned, and not on
    the previous night's list)."""
    flags = open_now.select("household_key", pl.lit(True).alias("assigned"), "exploration")
    return (
        scored.join(flags, on="household_key", how="left")
        .with_columns(
            pl.col("assigned").fill_null(False),
            pl.col("exploration").fill_null(False),
        )
        .with_columns(
            (pl.col("assigned") & ~pl.col("household_key").is_in(list(listed_before))).alias(
                "new_since_last_run"
            )
        )
        .select(RANKED_COLUMNS)
        .sort(["rank", "household_key"])
    )


def previous_night(outreach: Path, as_of: date) -> Path | None:
    """The newest published night before as_of that has a ranked.parquet."""
    nights = []
    for folder in outreach.glob("????-??-??"):
        try:
            night = date.fromisoformat(folder.name)
        except ValueError:
            continue
        if night < as_of and (folder / "ranked.parquet").exists():
            nights.append((night, folder))
    return max(nights)[1] if nights else None


def assigned_on(folder: Path | None) -> pl.DataFrame | None:
    """`household_key, assigned` of a published night's ranked list (only `household_key` in a
    list from before assignments; None without a night): the columns the next night compares,
    not the whole list (at 1M households reading it all took about a second, twice a night)."""
    if folder is None:
        return None
    path = folder / "ranked.parquet"
    present = pl.read_parquet_schema(path)
    return pl.read_parquet(path, columns=[c for c in ("household_key", "assigned") if c in present])


def listed_on(folder: Path | None) -> set[str]:
    """The households assigned on a published night (empty without one)."""
    before = assigned_on(folder)
    if before is None or "assigned" not in before.columns:
        return set()
    return set(before.filter(pl.col("assigned"))["household_key"])


def team_codes(ranked_list: pl.DataFrame) -> dict[str, str | None]:
    """emd_code → sigungu_code of every team with a household in the list."""
    pairs = ranked_list.group_by("emd_code").agg(pl.col("sigungu_code").drop_nulls().min())
    return dict(pairs.sort("emd_code").iter_rows())


def write_ranked(ranked_list: pl.DataFrame, path: Path) -> Path:
    """Write ranked.parquet; same rows in, same bytes out."""
    ranked_list.write_parquet(path)
    return path
