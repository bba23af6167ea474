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
    """`scored` (every household, `as_of`) with `selected`: in the top k of its date's list."""
    order = pl.col(score).rank("ordinal", descending=True).over("as_of")
    k = pl.len().over("as_of") // MAX_LIST_SHARE
    return scored.with_columns(
        (order <= pl.min_horizontal(pl.lit(capacity), k).clip(1)).alias("selected")
    )


def at_capacity(selected: pl.DataFrame) -> dict:
    """Precision and recall at capacity over the labelled rows (unlabelled rows are unknown)."""
    labelled = selected.filter(pl.col("label").is_not_null())
    chosen = labelled.filter(pl.col("selected"))
    positives = int(labelled["label"].sum())
    hits = int(chosen["label"].sum())
    return {
        "precision_at_capacity": hits / chosen.height if chosen.height else None,
        "recall_at_capacity": hits / positives if positives else None,
        "labelled_in_list": chosen.height,
        "listed": int(selected["selected"].sum()),
    }


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
