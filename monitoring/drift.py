"""Drift after scoring: PSI of every model feature against the champion's reference, and of
tonight's scores against last night's list and against the reference.

The reference is the champion's validation period (validation_scores.parquet in its registry
folder: the rows it was chosen and calibrated on, weighted for the unsampled households).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from monitoring.config import MonitoringConfig
from monitoring.findings import finding, graded, note
from monitoring.psi import value_psi

REFERENCE_FILE = "validation_scores.parquet"


def champion_reference(folder: Path | None) -> tuple[pl.DataFrame, list[str]] | None:
    """(the reference rows, the model's features) of a champion folder, None without one."""
    if folder is None or not (folder / REFERENCE_FILE).exists():
        return None
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    return pl.read_parquet(folder / REFERENCE_FILE), list(meta.get("features", []))


def _weights(reference: pl.DataFrame) -> np.ndarray | None:
    return reference["weight"].to_numpy() if "weight" in reference.columns else None


def judged(check: str, subject: str, value: float, config: MonitoringConfig, what: str) -> dict:
    """A PSI finding: severity from the psi thresholds, the message saying against what."""
    limits = config.psi
    severity, bound = graded(value, limits.warning, limits.critical, below=False)
    message = f"{subject}: PSI {value:.3f} against {what}"
    if severity == "critical":
        message += " — the distribution shifted: check the feed behind it (a code change?)"
    elif severity == "warning":
        message += " — a moderate shift"
    return finding(check, subject, value, None, bound, severity, message)


def feature_drift(
    con: duckdb.DuckDBPyConnection, as_of: date, reference, config: MonitoringConfig
) -> list[dict]:
    """PSI of each of the champion's features tonight against its validation period."""
    if reference is None:
        return [
            note(
                "feature_psi",
                "all",
                "baseline scorer: no champion reference to measure drift against",
            )
        ]
    rows, features = reference
    present = {r[0] for r in con.sql("describe household_features").fetchall()}
    names = [f for f in features if f in present and f in rows.columns]
    if not names:
        return []
    select = ", ".join(f'"{n}"::double as "{n}"' for n in names)
    tonight = con.sql(
        f"select {select} from household_features where as_of = $as_of", params={"as_of": as_of}
    ).pl()
    weights = _weights(rows)
    what = "the champion's validation period"
    found = []
    for name in names:
        if tonight.height and tonight[name].null_count() == tonight.height:
            found.append(
                note("feature_psi", name, f"{name}: NULL tonight (its feed is stale) — not judged")
            )
            continue
        reference_values = rows[name].cast(pl.Float64).fill_null(np.nan).to_numpy()
        current = tonight[name].fill_null(np.nan).to_numpy()
        value = value_psi(reference_values, current, config.psi.bins, weights)
        found.append(judged("feature_psi", name, value, config, what))
    return found


def score_drift(
    con: duckdb.DuckDBPyConnection,
    previous: Path | None,
    reference,
    config: MonitoringConfig,
) -> list[dict]:
    """PSI of tonight's scores against last night's published list and the reference."""
    scores = con.sql("select score::double as score from household_scores").pl()["score"]
    current = scores.fill_null(np.nan).to_numpy()
    rows = []
    if previous is not None:
        last = pl.read_parquet(previous / "ranked.parquet", columns=["score"])["score"]
        value = value_psi(
            last.cast(pl.Float64).fill_null(np.nan).to_numpy(), current, config.psi.bins
        )
        rows.append(
            judged(
                "score_psi_last_night",
                "score",
                value,
                config,
                f"the last published night ({previous.name})",
            )
        )
    if reference is not None and "probability" in reference[0].columns:
        ref = reference[0]
        value = value_psi(ref["probability"].to_numpy(), current, config.psi.bins, _weights(ref))
        rows.append(
            judged("score_psi_training", "score", value, config, "the champion's validation period")
        )
    return rows
