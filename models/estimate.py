"""What a list finds, estimated without the bias of who was visited.

The lists are judged as the nights make them: each team's top households by score among those
the night could list (`listable`: no benefit, no recent visit, not escalated), up to the team's
capacity. Visit labels exist only for visited households, and most visits were chosen by fixed
rules, so the hit rate among the labelled picks is biased upward (the rules pick the obvious
cases). The estimate splits a date's picks in two strata:
- picks a deterministic selection visited (the rules, or sagak's own top picks): their hit rate
  is their labelled hit rate (results missing at random among them: unreachable, refused);
- the other picks, whom nothing but chance would visit: their hit rate is that of the
  exploration share (households drawn at random) among them — unbiased, but few.
The estimate is the two rates weighted by the strata's sizes, with a normal 95% interval (each
rate's variance taken at (hits + 0.5) / (labels + 1), so that 0 of 14 is not certainty).
"""

from __future__ import annotations

import math

import polars as pl

DEFAULT_CAPACITY = 25
Z95 = 1.959964


def team_top(
    scored: pl.DataFrame, capacities: dict[str, int], score: str, default: int = DEFAULT_CAPACITY
) -> pl.DataFrame:
    """`scored`'s listable rows with `selected`: among the top `capacity` of its team and date.

    With a `weight` column (a sampled set: a row stands for `weight` households) a row's place
    is 1 + the weight of the team's rows above it."""
    weight = pl.col("weight") if "weight" in scored.columns else pl.lit(1.0)
    capacity = pl.col("emd_code").replace_strict(capacities, default=default, return_dtype=pl.Int64)
    return (
        scored.filter(pl.col("listable"))
        .with_columns(weight.cast(pl.Float64).alias("_weight"))
        .sort(["as_of", "emd_code", score, "household_key"], descending=[False, False, True, False])
        .with_columns(
            (pl.col("_weight").cum_sum().over("as_of", "emd_code") - pl.col("_weight")).alias(
                "_ahead"
            )
        )
        .with_columns((pl.col("_ahead") + 1 <= capacity).alias("selected"))
        .drop("_weight", "_ahead")
    )


def strata(picked: pl.DataFrame) -> pl.DataFrame:
    """The picks with `stratum`: `chosen` (visited by a deterministic selection) or `chance`."""
    chosen = pl.col("selected_by").is_not_null() & ~pl.col("exploration")
    return picked.with_columns(
        pl.when(chosen).then(pl.lit("chosen")).otherwise(pl.lit("chance")).alias("stratum")
    )


def stratum_rate(rows: pl.DataFrame, stratum: str) -> tuple[float, float | None, int]:
    """(weight of the stratum's picks, hit rate of its usable labels, labels used)."""
    inside = rows.filter(pl.col("stratum") == stratum)
    size = float(inside["_w"].sum()) if inside.height else 0.0
    usable = inside.filter(pl.col("label").is_not_null())
    if stratum == "chance":
        usable = usable.filter(pl.col("exploration"))
    rate = float(usable["label"].mean()) if usable.height else None
    return size, rate, usable.height


def _spread(rate: float, labels: int) -> float:
    """A rate's binomial variance per label, at a rate moved half a hit off 0 and 1."""
    adjusted = (rate * labels + 0.5) / (labels + 1)
    return adjusted * (1 - adjusted)


def list_precision(selected: pl.DataFrame) -> dict:
    """The stratified estimate of the picks' hit rate, its 95% interval and its parts; and the
    labelled-only rate (biased upward) beside it."""
    picked = strata(selected.filter(pl.col("selected")))
    weight = pl.col("weight") if "weight" in picked.columns else pl.lit(1.0)
    picked = picked.with_columns(weight.cast(pl.Float64).alias("_w"))
    total = float(picked["_w"].sum())
    n_chosen, p_chosen, k_chosen = stratum_rate(picked, "chosen")
    n_chance, p_chance, k_chance = stratum_rate(picked, "chance")
    labelled = picked.filter(pl.col("label").is_not_null())
    out = {
        "picks": round(total),
        "chosen_share": n_chosen / total if total else None,
        "chosen_rate": p_chosen,
        "chosen_labels": k_chosen,
        "chance_rate": p_chance,
        "chance_labels": k_chance,
        "labelled_only": float(labelled["label"].mean()) if labelled.height else None,
        "estimate": None,
        "low": None,
        "high": None,
    }
    if not total or (n_chosen and p_chosen is None) or (n_chance and p_chance is None):
        return out  # a stratum with picks and no label: no honest estimate
    parts = [(n_chosen / total, p_chosen, k_chosen), (n_chance / total, p_chance, k_chance)]
    estimate = sum(share * rate for share, rate, _ in parts if share)
    variance = sum(share**2 * _spread(rate, k) / k for share, rate, k in parts if share)
    half = Z95 * math.sqrt(variance)
    return out | {
        "estimate": estimate,
        "low": max(0.0, estimate - half),
        "high": min(1.0, estimate + half),
    }


# how far the expected precision was from the synthetic truth of the same picks, measured by
# `python -m bench.lists_vs_truth` on five worlds (docs/model.md, "Honest figures")
EXPECTED_OFF_TRUTH = "-0.01 to +0.03"


def expected_precision(selected: pl.DataFrame, probability: str) -> float | None:
    """The picks' mean calibrated probability (by `weight` where the rows have one): the share
    of them the model expects to be in crisis. Model-based; it does not undercount a crisis that
    begins after the day of a visit (a visit confirms only what it finds that day), and it is as
    steady as the model. None without picks."""
    picked = selected.filter(pl.col("selected"))
    if not picked.height:
        return None
    value = pl.col(probability).cast(pl.Float64)
    if "weight" not in picked.columns:
        return picked.select(value.mean()).item()
    return picked.select((value * pl.col("weight")).sum() / pl.col("weight").sum()).item()
