"""Champion vs baseline against the synthetic truth (the pipeline itself never reads truth/).

For each validation as-of date D of the model, both scorers rank every household; the top k
(k = capacity, at most a fifth of the households) is compared with truth: a household counts as
in crisis if `in_crisis` holds in any of the three months after D's month (the label window).
Usage: python -m bench.model_vs_truth [--home DIR] [--model ID]
"""

from __future__ import annotations

import argparse
import json
from datetime import date

import polars as pl

from models.metrics import top_k
from models.registry import champion_id, metadata, model_folder
from models.train import baseline_score
from sagak.privacy import household_key, secret
from sagak.settings import get_settings


def months_after(d: date, n: int = 3) -> list[str]:
    """The `ym` of the n months after d's month."""
    out, year, month = [], d.year, d.month
    for _ in range(n):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        out.append(f"{year}{month:02d}")
    return out


def truth_in_crisis(settings, dates: list[date]) -> pl.DataFrame:
    """`household_key, as_of, in_crisis`: crisis in any of the 3 months after each date."""
    key = secret(settings)
    months = pl.read_parquet(settings.home / "truth" / "household_months.parquet")
    keys = months.select("household_no").unique()
    keys = keys.with_columns(
        pl.col("household_no")
        .map_elements(lambda no: household_key(no, key), return_dtype=pl.String)
        .alias("household_key")
    )
    frames = [
        months.filter(pl.col("ym").is_in(months_after(d)))
        .group_by("household_no")
        .agg(pl.col("in_crisis").any())
        .with_columns(pl.lit(d).alias("as_of"))
        for d in dates
    ]
    return pl.concat(frames).join(keys, on="household_no").drop("household_no")


def precision_against_truth(scored: pl.DataFrame, capacity: int, column: str) -> float:
    """Share in crisis (truth) among the top k of each date, pooled over the dates; a sampled
    validation set (a `weight` column: a row stands for `weight` households) is weighted."""
    return weighted_share(top_k(scored, capacity, column).filter(pl.col("selected")))


def weighted_share(rows: pl.DataFrame) -> float:
    """Share of `rows` in crisis (truth), each row counted `weight` times when weighted."""
    crisis = rows["in_crisis"].fill_null(False).cast(pl.Float64)
    if "weight" not in rows.columns:
        return float(crisis.mean())
    weight = rows["weight"].cast(pl.Float64)
    return float((crisis * weight).sum() / weight.sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default=None)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    settings = get_settings(args.home)
    model_id = args.model or champion_id(settings.artifacts)
    folder = model_folder(settings.artifacts, model_id)
    meta = metadata(folder)
    valid = pl.read_parquet(folder / "validation_scores.parquet")
    dates = [date.fromisoformat(d) for d in meta["windows"]["validation"]]
    scored = valid.with_columns(baseline=baseline_score(valid)).join(
        truth_in_crisis(settings, dates), on=["household_key", "as_of"], how="left"
    )
    capacity = meta["config"]["capacity"]
    figures = {
        "model_id": model_id,
        "validation_dates": meta["windows"]["validation"],
        "capacity": capacity,
        "prevalence_truth": weighted_share(scored),
        "champion_precision_truth": precision_against_truth(scored, capacity, "probability"),
        "baseline_precision_truth": precision_against_truth(scored, capacity, "baseline"),
        "champion_precision_validation": meta["metrics"]["champion_calibrated"][
            "precision_at_capacity"
        ],
        "baseline_precision_validation": meta["metrics"]["baseline"]["precision_at_capacity"],
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
