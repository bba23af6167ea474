"""The night's ranked list: every household scored, no contact details."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

RANKED_COLUMNS = (
    "household_key",
    "emd_code",
    "sigungu_code",
    "score",
    "rank",
    "team_rank",
    "reasons",
    "reasons_ko",
    "reasons_en",
)


def ranked(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """`household_scores` reduced to RANKED_COLUMNS (pseudonymous keys only), sorted by rank."""
    scores = con.sql("select * from household_scores").pl()
    return scores.select(RANKED_COLUMNS).sort(["rank", "household_key"])


def team_codes(ranked_list: pl.DataFrame) -> dict[str, str | None]:
    """emd_code → sigungu_code of every team with a household in the list."""
    pairs = ranked_list.group_by("emd_code").agg(pl.col("sigungu_code").drop_nulls().min())
    return dict(pairs.sort("emd_code").iter_rows())


def write_ranked(ranked_list: pl.DataFrame, path: Path) -> Path:
    """Write ranked.parquet; same rows in, same bytes out."""
    ranked_list.write_parquet(path)
    return path
