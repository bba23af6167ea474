"""Live quality, as visit results come back: precision and calibration by week of assignment,
for the list picks and for the random exploration share separately, against the champion's
validation figures (its metadata.json).

A result belongs to the night its household was assigned (outreach/<night>/ranked.parquet and
the night's scorer, as in the nightly outcome audit); only the champion's nights are judged.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from monitoring.config import MonitoringConfig
from monitoring.findings import finding, graded, note

SHARES = {True: "list", False: "exploration"}


def live_results(con: duckdb.DuckDBPyConnection, outreach, as_of: date) -> pl.DataFrame:
    """Labelled results of listed households: week, share, scorer, label, score."""
    from models.fairness_outcomes import outcome_rows

    rows = outcome_rows(con, outreach, as_of)
    if rows.is_empty():
        return rows
    # weeks start on Monday
    return rows.filter(pl.col("label").is_not_null()).with_columns(
        pl.col("as_of").dt.truncate("1w").alias("week")
    )


def weekly_quality(results: pl.DataFrame) -> pl.DataFrame:
    """Per scorer, week of assignment and share: results, precision, mean score."""
    if results.is_empty():
        return pl.DataFrame()
    return (
        results.group_by("scorer", "week", "selected")
        .agg(
            pl.len().alias("results"),
            pl.col("label").mean().alias("precision"),
            pl.col("score").mean().alias("mean_score"),
        )
        .sort("scorer", "week", "selected", descending=[False, False, True])
    )


def quality_findings(
    weekly: pl.DataFrame, champion: str | None, validation: dict, config: MonitoringConfig
) -> list[dict]:
    """Judge the champion's weeks with results enough: precision drop and calibration gap."""
    if weekly.is_empty() or champion is None:
        return [
            note(
                "live_precision", "all", "no visit results of a champion's list have come back yet"
            )
        ]
    limits = config.quality
    expected = validation.get("precision_at_capacity")
    rows = []
    for w in weekly.filter(pl.col("scorer") == champion).to_dicts():
        share = SHARES[w["selected"]]
        subject = f"{w['week']} {share}"
        if w["results"] < limits.min_results:
            continue
        if share == "list" and expected is not None:
            rows.append(precision_finding(subject, w, expected, limits))
        rows.append(calibration_finding(subject, w, limits))
    return rows


def precision_finding(subject: str, w: dict, expected: float, limits) -> dict:
    """Live precision of a week's list picks against the validation precision at capacity."""
    drop = expected - w["precision"]
    severity, bound = graded(
        drop, limits.precision_warning_drop, limits.precision_critical_drop, below=False
    )
    message = (
        f"live precision, week of {subject}: {w['precision']:.0%} of {w['results']} results "
        f"confirmed, validation {expected:.0%}"
    )
    if severity != "ok":
        message += " — the model finds fewer crises than validated: consider retraining"
    return finding("live_precision", subject, w["precision"], expected, bound, severity, message)


def calibration_finding(subject: str, w: dict, limits) -> dict:
    """Observed confirmed rate against the mean predicted probability of a week's visits."""
    gap = abs(w["precision"] - w["mean_score"])
    severity, bound = graded(
        gap, limits.calibration_warning_gap, limits.calibration_critical_gap, below=False
    )
    message = (
        f"calibration, week of {subject}: {w['precision']:.0%} confirmed against a mean "
        f"probability of {w['mean_score']:.0%} ({w['results']} results)"
    )
    if severity != "ok":
        message += " — probabilities no longer match outcomes"
    return finding(
        "live_calibration", subject, w["precision"], w["mean_score"], bound, severity, message
    )
