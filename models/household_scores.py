"""Table `household_scores`: the one place its ranks and tiers are made and the table is written.

A scorer (the baseline, a model, the Dask partitions put together) gives every household its
`score`, reasons and summary — and, with a model, its `probability`, `tier` and `model_id`.
`store` ranks them over the whole list and writes the table (sql/models/household_scores.sql).
"""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl

from sagak.warehouse import sql_text

# the table's columns, in order; `probability` and `model_id` only when a model scored
COLUMNS = (
    "household_key",
    "emd_code",
    "sigungu_code",
    "score",
    "rank",
    "team_rank",
    "reasons",
    "reasons_ko",
    "reasons_en",
    "members",
    "head_age",
    "living_alone",
    "tier",
    "probability",
    "model_id",
)
# the household_features columns every scorer reads besides its own: keys and the summary's
KEYS = ("household_key", "emd_code", "sigungu_code")
SUMMARY = ("n_members", "head_age", "living_alone")
TIERS = 20


def summary(features: pl.DataFrame) -> pl.DataFrame:
    """`household_key, emd_code, sigungu_code, members, head_age, living_alone` of each household."""
    return features.select(
        *KEYS,
        pl.col("n_members").cast(pl.Int32).alias("members"),
        pl.col("head_age").cast(pl.Int32),
        pl.col("living_alone").cast(pl.Boolean),
    )


def tier(scored: pl.DataFrame | np.ndarray, cuts: list[float] | None = None) -> pl.Series:
    """Risk tier 1–20 (20 = the highest risk). With a model's `cuts` (the ventile cut points of
    its validation period), of each probability in `scored`: 1 + the cuts at or below it.
    Without (the baseline, whose score is no probability), of each `rank` of the ranked frame
    `scored`: the twentieth of tonight's list it falls in."""
    if cuts is not None:
        found = 1 + np.searchsorted(np.asarray(cuts), np.asarray(scored), side="right")
        return pl.Series("tier", found.astype(np.int8), dtype=pl.Int8)
    rank = scored["rank"]
    return (TIERS - ((rank - 1) * TIERS) // scored.height).cast(pl.Int8).alias("tier")


def ranked(scores: pl.DataFrame) -> pl.DataFrame:
    """`scores` sorted by score (ties by household_key) with `rank` over the whole list and
    `team_rank` within emd_code (1 = highest); without a model, `tier` from the rank."""
    ordered = scores.sort(["score", "household_key"], descending=[True, False]).with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int32).alias("rank"),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("emd_code").alias("team_rank"),
    )
    if "model_id" not in ordered.columns:  # the baseline's tier is a share of tonight's list
        ordered = ordered.with_columns(tier(ordered))
    return ordered.select(c for c in COLUMNS if c in ordered.columns)


def store(con: duckdb.DuckDBPyConnection, scores: pl.DataFrame) -> int:
    """Rank `scores` and (re)create table `household_scores` from them; the number of rows."""
    frame = ranked(scores).to_arrow()
    con.register("household_scores_frame", frame)
    try:
        con.execute(sql_text("models/household_scores.sql"))
    finally:
        con.unregister("household_scores_frame")
    return frame.num_rows
