"""Do the numbers mean something? The legacy hit rate and a quick model's AUC on a world.

Computed straight from the generated files with polars (never through the pipeline): household
signals from every delivery dated on or before the last delivery date, against the truth
(in crisis in that month). Usage: `python -m synth.realism DIR`.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

KEPCO_NAMES = {"주민번호": "rrn", "기준년월": "ym", "체납개월수": "arrears_months",
               "체납금액": "arrears_amount", "단전여부": "cutoff", "전류제한여부": "limiter",
               "사용량kWh": "usage"}  # fmt: skip


def _day(path: Path) -> date:
    """Delivery date from a file name."""
    text = path.stem.split("_")[1]
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _read(path: Path) -> pl.DataFrame | None:
    """One delivery as strings, whatever its encoding; None if unreadable (truncated Parquet)."""
    try:
        if path.suffix == ".parquet":
            return pl.read_parquet(path).cast(pl.String)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp949", errors="replace")
        if path.suffix == ".jsonl":
            rows = []
            for line in text.splitlines():
                try:
                    rows.append({k: str(v) for k, v in json.loads(line).items()})
                except ValueError:
                    continue
            return pl.DataFrame(rows) if rows else None
        frame = pl.read_csv(io.StringIO(text), infer_schema=False, truncate_ragged_lines=True)
        return frame.rename(KEPCO_NAMES, strict=False)
    except (pl.exceptions.PolarsError, OSError, ValueError):
        return None


def feed(world: Path, name: str, as_of: date) -> pl.DataFrame:
    """Every readable delivery of a feed up to `as_of`, with `delivery` (latest version only)."""
    parts = []
    for path in sorted((world / "inbox" / name).glob("*")):
        superseded = path.with_name(f"{path.stem}_v2{path.suffix}").exists()
        if _day(path) <= as_of and not superseded and (frame := _read(path)) is not None:
            parts.append(frame.with_columns(delivery=pl.lit(_day(path))))
    return pl.concat(parts, how="diagonal") if parts else pl.DataFrame()


def _num(col: str) -> pl.Expr:
    """A number column parsed leniently (thousands separators, junk -> null)."""
    return pl.col(col).str.replace_all(",", "").cast(pl.Float64, strict=False)


def last_delivery(world: Path) -> date:
    """The newest delivery date in the inbox."""
    return max(_day(p) for p in (world / "inbox").glob("*/*"))


def signals(world: Path, as_of: date) -> pl.DataFrame:
    """Per household: simple feed signals known at `as_of` (months are data months, last 3/6)."""
    people = pl.read_parquet(world / "truth" / "persons.parquet").select("rrn", "household_no")
    recent = f"{(as_of.replace(day=1) - timedelta(days=95)):%Y%m}"
    half = f"{(as_of.replace(day=1) - timedelta(days=190)):%Y%m}"
    parts = []
    for name, cols in {"kepco": ["arrears_months"], "water": ["arrears_months"], "gas": ["arrears_months"],
                       "telecom": ["arrears_months"], "nhis": ["premium_arrears_months"],
                       "nps": ["contribution_arrears_months"], "credit": ["delinquency_days"]}.items():  # fmt: skip
        f = feed(world, name, as_of)
        if f.height == 0:
            continue
        f = f.filter(pl.col("ym") >= recent).join(people, on="rrn")
        parts.append(f.group_by("household_no").agg(_num(cols[0]).max().alias(f"{name}_arrears")))
        if "cutoff" in f.columns:
            parts.append(
                f.group_by("household_no").agg(
                    (pl.col("cutoff") == "Y").any().alias(f"{name}_cutoff")
                )
            )
    parts.append(_usage_drop(feed(world, "kepco", as_of), people, half))
    parts.append(_events(world, as_of))
    frame = parts[0]
    for part in parts[1:]:
        frame = frame.join(part, on="household_no", how="full", coalesce=True)
    return frame


def _usage_drop(kepco: pl.DataFrame, people: pl.DataFrame, half: str) -> pl.DataFrame:
    """Ratio of the last reading to the household's own average over half a year."""
    usage = kepco.filter(pl.col("ym") >= half).join(people, on="rrn").with_columns(u=_num("usage"))
    return (
        usage.sort("ym")
        .group_by("household_no")
        .agg((pl.col("u").last() / (pl.col("u").mean() + 1)).alias("usage_ratio"))
    )


def _events(world: Path, as_of: date) -> pl.DataFrame:
    """Referrals in 90 days, job losses in 183 days, housing arrears, active benefits."""
    people = pl.read_parquet(world / "truth" / "persons.parquet").select("rrn", "household_no")
    day = lambda c: pl.col(c).str.to_date(strict=False)  # noqa: E731
    refs = feed(world, "referrals", as_of).filter(day("referral_date") > as_of - timedelta(days=90))
    jobs = feed(world, "employment", as_of).filter(
        (pl.col("event") == "job_loss") & (day("event_date") > as_of - timedelta(days=183))
    )
    housing = feed(world, "housing", as_of)
    benefits = feed(world, "benefits", as_of)
    latest = benefits.filter(pl.col("delivery") == benefits["delivery"].max())
    parts = [
        refs.group_by("household_no").agg(pl.len().alias("referrals")),
        jobs.join(people, on="rrn").group_by("household_no").agg(pl.lit(1).alias("job_loss")),
        housing.group_by("household_no").agg(_num("arrears_months").max().alias("housing_arrears")),
        latest.filter(pl.col("end_date").fill_null("") == "")
        .group_by("household_no")
        .agg(pl.lit(1).alias("benefit")),
    ]
    frame = parts[0]
    for part in parts[1:]:
        frame = frame.join(part, on="household_no", how="full", coalesce=True)
    return frame


def figures(world: Path) -> dict:
    """Legacy hit rate (overall and by selection) and the quick model's ROC-AUC against truth."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score, roc_auc_score
    from sklearn.model_selection import cross_val_predict

    visits = pl.concat(
        [
            pl.read_csv(p, infer_schema=False)
            for p in sorted((world / "feedback").glob("visits_*.csv"))
        ]
    )
    hit = visits.group_by("selected_by").agg(
        (pl.col("outcome") == "confirmed_crisis").mean().round(3).alias("hit"), pl.len()
    )
    as_of = last_delivery(world)
    truth = pl.read_parquet(world / "truth" / "household_months.parquet").filter(
        (pl.col("ym") == f"{as_of:%Y%m}") & pl.col("present")
    )
    homes = pl.read_parquet(world / "truth" / "households.parquet").select(
        "household_no",
        (pl.col("living_alone") & pl.col("older")).cast(pl.Int8).alias("older_alone"),
    )
    data = (
        truth.select("household_no", "in_crisis")
        .join(homes, on="household_no")
        .join(signals(world, as_of), on="household_no", how="left")
    )
    x = (
        data.drop("household_no", "in_crisis")
        .with_columns(pl.all().cast(pl.Float64))
        .fill_null(0)
        .fill_nan(0)
    )
    x = x.with_columns(pl.col("usage_ratio").replace(0, 1.0)) if "usage_ratio" in x.columns else x
    y = data["in_crisis"].to_numpy()
    model = LogisticRegression(max_iter=2000, class_weight="balanced")
    pred = cross_val_predict(
        model, np.log1p(x.to_numpy().clip(0, None)), y, cv=5, method="predict_proba"
    )[:, 1]
    return {
        "as_of": str(as_of),
        "legacy_visits": visits.height,
        "legacy_hit_rate": round(float((visits["outcome"] == "confirmed_crisis").mean()), 3),
        "hit_rate_by_selection": {
            r["selected_by"]: [r["hit"], r["len"]] for r in hit.sort("selected_by").to_dicts()
        },
        "outcomes": dict(visits["outcome"].value_counts().sort("outcome").iter_rows()),
        "crisis_prevalence": round(float(y.mean()), 4),
        "model_roc_auc": round(float(roc_auc_score(y, pred)), 3),
        "model_pr_auc": round(float(average_precision_score(y, pred)), 3),
        "signals": x.columns,
    }


if __name__ == "__main__":
    json.dump(figures(Path(sys.argv[1])), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
