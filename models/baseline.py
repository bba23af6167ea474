"""The transparent baseline scorer: a documented weighted sum of signals, until a model exists.

Each signal earns points: a yes/no signal earns its full weight; a count earns its weight times
value/cap, capped at the weight (six months of arrears count as much as twelve). The score is the
points earned divided by the points possible, so it lies in [0, 1]. It is a ranking, not a
probability. The reasons on a row are its signals that earned points, strongest first (filled
and counted like the model's, and the combined reason for a row without a signal:
models/reason_texts.py); models/household_scores.py ranks the rows.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from features.build import snapshot
from models.household_scores import KEYS, SUMMARY, store, summary
from models.reason_texts import reason_lists

SCORER = "baseline-v1"

# household_features column -> (weight, cap); cap None means a yes/no signal. A NULL (the feed
# was stale at the night) earns nothing: the baseline cannot see what was not delivered.
WEIGHTS: dict[str, tuple[float, float | None]] = {
    "power_cutoff_12m": (3.0, None),
    "gas_cutoff_12m": (2.0, None),
    "water_cutoff_12m": (2.0, None),
    "power_arrears_months_max_3m": (1.5, 6),
    "gas_arrears_months_max_3m": (1.0, 6),
    "water_arrears_months_max_3m": (1.0, 6),
    "nhis_arrears_months_max_6m": (2.0, 6),
    "referrals_90d": (2.5, 2),
    "housing_arrears_months_max_3m": (1.5, 6),
    "job_loss_365d": (1.5, None),
    "nhis_catastrophic_medical_12m": (1.0, None),
    "telecom_arrears_months_max_3m": (1.0, 6),
    "credit_delinquency_days_max_3m": (1.0, 180),
    "benefit_ended_no_new": (1.0, None),
    "elderly_alone": (0.5, None),
    "any_disabled": (0.3, None),
}
MAX_POINTS = sum(weight for weight, _ in WEIGHTS.values())


def contributions(features: pl.DataFrame) -> pl.DataFrame:
    """Long frame `household_key, code, value, points` of the signals that earned points."""
    parts = []
    for code, (weight, cap) in WEIGHTS.items():
        value = pl.col(code).cast(pl.Float64).fill_null(0.0)
        points = value.clip(0, 1) * weight if cap is None else (value / cap).clip(0, 1) * weight
        parts.append(
            features.select(
                "household_key",
                pl.lit(code).alias("code"),
                value.alias("value"),
                points.alias("points"),
            )
        )
    return pl.concat(parts).filter(pl.col("points") > 0)


def baseline_scores(features: pl.DataFrame) -> pl.DataFrame:
    """Per household: score (points earned / points possible), reasons and summary."""
    points = contributions(features)
    totals = points.group_by("household_key").agg(
        (pl.col("points").sum() / MAX_POINTS).alias("score")
    )
    scored = summary(features).join(totals, on="household_key", how="left", maintain_order="left")
    strongest = points.sort(["household_key", "points", "code"], descending=[False, True, False])
    return reason_lists(
        strongest, "household_key", scored.with_columns(pl.col("score").fill_null(0.0).round(6))
    )


def score_households(con: duckdb.DuckDBPyConnection, as_of: date) -> int:
    """(Re)build table `household_scores` from the `as_of` rows of `household_features`."""
    features = snapshot(con, as_of, [*KEYS, *SUMMARY, *WEIGHTS]).pl()
    return store(con, baseline_scores(features))
