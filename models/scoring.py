"""Nightly scoring with a registered model: calibrated probability, tier, reasons, ranks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from ingest.read import quote_ident
from models.registry import load_model, metadata
from models.score_carry import carried_scores
from models.scored_frame import scored_frame

SUMMARY = ("n_members", "head_age", "living_alone")


def ranked_with_model(
    features: pl.DataFrame, model, meta: dict, scored: pl.DataFrame | None = None
) -> pl.DataFrame:
    """`household_scores` rows: score = calibrated probability, ranks, tier, reasons, model_id.

    `scored`, if given, is `scored_frame`'s result for these households (made elsewhere)."""
    if scored is None:
        scored = scored_frame(features, model, meta)
    return (
        features.select(
            "household_key",
            "emd_code",
            "sigungu_code",
            pl.col("n_members").cast(pl.Int32).alias("members"),
            pl.col("head_age").cast(pl.Int32),
            pl.col("living_alone").cast(pl.Boolean),
        )
        .join(scored, on="household_key", how="left")
        .with_columns(
            pl.col("probability").alias("score"), pl.lit(meta["model_id"]).alias("model_id")
        )
        .sort(["score", "household_key"], descending=[True, False])
        .with_columns(
            pl.int_range(1, pl.len() + 1, dtype=pl.Int32).alias("rank"),
            pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("emd_code").alias("team_rank"),
        )
        .select(
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
    )


def score_with_model(con: duckdb.DuckDBPyConnection, as_of: date, folder: Path) -> int:
    """(Re)build `household_scores` at `as_of` with the model saved in `folder`."""
    meta = metadata(folder)
    model = load_model(folder)
    # only the columns scoring reads: at 1M households the whole snapshot is twice the memory
    wanted = dict.fromkeys(
        ["household_key", "emd_code", "sigungu_code", *SUMMARY, *meta["features"]]
    )
    listed = ", ".join(quote_ident(name) for name in wanted)
    features = con.sql(
        f"select {listed} from household_features where as_of = $as_of", params={"as_of": as_of}
    ).pl()
    scored = carried_scores(con, features, model, meta)
    scores = ranked_with_model(features, model, meta, scored).to_arrow()
    con.register("scores_frame", scores)
    con.execute("create or replace table household_scores as select * from scores_frame")
    con.unregister("scores_frame")
    return scores.num_rows
