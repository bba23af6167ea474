"""A model's scores of households: calibrated probability, risk tier and reasons.

Shared by nightly scoring (models/scoring.py) and the scores carried over from the last
night (models/score_carry.py), which computes it for the households whose inputs moved.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from models.candidates import matrix
from models.household_scores import tier
from models.reasons import reason_features, scores_and_pushes, top_reasons

# households scored at a time: a night with nothing carried (the first after a load, or a big
# monthly delivery) holds one slice's matrix and pushes, not every household's (at 1M the
# pushes alone were 0.7 GB); each household's scores depend on its own row only
ROWS_PER_SLICE = 131_072


def scored_frame(features: pl.DataFrame, model, meta: dict) -> pl.DataFrame:
    """Per household: `probability`, `tier` and reasons, from the model in `meta`, a slice of
    ROWS_PER_SLICE households at a time."""
    if features.height <= ROWS_PER_SLICE:
        return scored_slice(features, model, meta)
    return pl.concat(
        [
            scored_slice(features.slice(start, ROWS_PER_SLICE), model, meta)
            for start in range(0, features.height, ROWS_PER_SLICE)
        ]
    )


def scored_slice(
    features: pl.DataFrame, model, meta: dict, x: np.ndarray | None = None
) -> pl.DataFrame:
    """`scored_frame` of one slice of households; `x`, if given, is their input matrix."""
    names = meta["features"]
    if x is None:
        x = matrix(features, names)
    why = reason_features(names)
    columns = [names.index(n) for n in why]
    typical = np.asarray(meta["typical_values"])
    probability, push = scores_and_pushes(model, x, columns, typical)
    keys = features["household_key"].to_list()
    reasons = top_reasons(keys, x[:, columns], push, why)
    return (
        features.select("household_key")
        .with_columns(
            pl.Series("probability", probability).round(6),
            tier(probability, meta["tier_cuts"]),
        )
        .join(reasons, on="household_key", how="left")
    )
