"""Quality of a ranked list: precision and recall at capacity, AUCs, Brier score, ECE."""

from __future__ import annotations

import numpy as np
import polars as pl
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

MAX_LIST_SHARE = 5  # never list more than a fifth of the households (tiny worlds)


def list_size(capacity: int, households: int) -> int:
    """k: the teams' visits per cycle, at most a fifth of the households at the date."""
    return max(1, min(capacity, households // MAX_LIST_SHARE))


def top_k(scored: pl.DataFrame, capacity: int, score: str = "score") -> pl.DataFrame:
    """`scored` (every household, `as_of`) with `selected`: in the top k of its date's list.

    With a `weight` column (a sampled training set: a row stands for `weight` households) a
    row's rank is 1 + the weight of the rows scored above it, and the date's households are
    the sum of its weights; without one every weight is 1 (the plain ordinal rank)."""
    weight = pl.col("weight") if "weight" in scored.columns else pl.lit(1.0)
    ranked = (
        scored.with_row_index("_row")
        .with_columns(weight.cast(pl.Float64).alias("_weight"))
        .sort(["as_of", score], descending=[False, True], maintain_order=True, nulls_last=True)
        .with_columns(
            (pl.col("_weight").cum_sum().over("as_of") - pl.col("_weight")).alias("_ahead"),
            (pl.col("_weight").sum().over("as_of") // MAX_LIST_SHARE).alias("_k"),
        )
    )
    k = pl.min_horizontal(pl.lit(capacity, pl.Float64), pl.col("_k")).clip(1)
    return (
        ranked.with_columns((pl.col("_ahead") + 1 <= k).alias("selected"))
        .sort("_row")
        .drop("_row", "_weight", "_ahead", "_k")
    )


def at_capacity(selected: pl.DataFrame) -> dict:
    """Precision and recall at capacity over the labelled rows (unlabelled rows are unknown)."""
    labelled = selected.filter(pl.col("label").is_not_null())
    chosen = labelled.filter(pl.col("selected"))
    positives = int(labelled["label"].sum())
    hits = int(chosen["label"].sum())
    listed = selected.filter(pl.col("selected"))
    return {
        "precision_at_capacity": hits / chosen.height if chosen.height else None,
        "recall_at_capacity": hits / positives if positives else None,
        "labelled_in_list": chosen.height,
        "listed": round(listed["weight"].sum()) if "weight" in listed.columns else listed.height,
    }


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: np.ndarray) -> np.ndarray:
    """Quantiles of `values` where a value counts `weights` times: the smallest value whose
    cumulative weight share reaches q (np.quantile, interpolated, when every weight is 1)."""
    if np.all(weights == 1):
        return np.quantile(values, qs)
    order = np.argsort(values, kind="stable")
    share = np.cumsum(weights[order]) / weights.sum()
    return values[order][np.minimum(np.searchsorted(share, qs), len(values) - 1)]


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """ECE: the mean |observed rate − mean probability| over equal-width bins, by row share."""
    edges = np.minimum((p * bins).astype(int), bins - 1)
    error = 0.0
    for b in np.unique(edges):
        inside = edges == b
        error += inside.mean() * abs(y[inside].mean() - p[inside].mean())
    return float(error)


def probability_metrics(y: np.ndarray, p: np.ndarray) -> dict:
    """ROC-AUC, PR-AUC, Brier score and ECE of probabilities `p` for labels `y`."""
    if len(np.unique(y)) < 2:
        return {"roc_auc": None, "pr_auc": None, "brier": None, "ece": None, "n": len(y)}
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "brier": float(brier_score_loss(y, np.clip(p, 0, 1))),
        "ece": expected_calibration_error(y, np.clip(p, 0, 1)),
        "n": len(y),
    }


def evaluate(scored: pl.DataFrame, capacity: int, score: str = "score") -> dict:
    """Every metric of one scored validation frame (`as_of`, `label`, `exploration`, score)."""
    selected = top_k(scored, capacity, score)
    labelled = selected.filter(pl.col("label").is_not_null())
    explored = labelled.filter(pl.col("exploration"))
    y, p = labelled["label"].to_numpy(), labelled[score].to_numpy()
    return {
        **at_capacity(selected),
        **probability_metrics(y, p),
        "exploration": {
            **at_capacity(selected.filter(pl.col("exploration"))),
            **probability_metrics(explored["label"].to_numpy(), explored[score].to_numpy()),
        },
    }
