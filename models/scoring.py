"""Nightly scoring with a registered model: calibrated probability, tier, reasons, model_id."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from features.build import snapshot
from models.household_scores import KEYS, SUMMARY, store, summary
from models.registry import load_model, metadata
from models.score_carry import carried_scores
from models.scored_frame import scored_frame


def model_scores(
    features: pl.DataFrame, model, meta: dict, scored: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Per household: score = calibrated probability, tier, reasons, summary and model_id.

    `scored`, if given, is `scored_frame`'s result for these households (made elsewhere)."""
    if scored is None:
        scored = scored_frame(features, model, meta)
    return (
        summary(features)
        .join(scored, on="household_key", how="left")
        .with_columns(
            pl.col("probability").alias("score"), pl.lit(meta["model_id"]).alias("model_id")
        )
    )


def score_with_model(con: duckdb.DuckDBPyConnection, as_of: date, folder: Path) -> int:
    """(Re)build `household_scores` at `as_of` with the model saved in `folder`."""
    meta = metadata(folder)
    model = load_model(folder)
    # only the columns scoring reads: at 1M households the whole snapshot is twice the memory
    wanted = dict.fromkeys([*KEYS, *SUMMARY, *meta["features"]])
    features = snapshot(con, as_of, list(wanted)).pl()
    scored = carried_scores(con, features, model, meta)
    scores = model_scores(features, model, meta, scored)
    del features, scored  # the inputs are not kept while the table is written
    return store(con, scores)
