"""Early retraining: sustained drift or a live quality drop flags the champion in the registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from monitoring.config import MonitoringConfig
from sagak.warehouse import sql_text

# a critical finding of one of these is model drift or quality loss on its own; critical
# feature_psi counts from retrain.min_drifted_features features on (one feature is its feed's)
MODEL_CHECKS = ["score_psi_training", "live_precision", "live_calibration"]
REASON_CHECKS = ["feature_psi", *MODEL_CHECKS]


def critical_run(
    con: duckdb.DuckDBPyConnection, as_of: date, min_features: int
) -> tuple[int, list[str]]:
    """(monitored nights in a row up to as_of that drifted or lost quality, tonight's reasons)."""
    params = {"as_of": as_of, "checks": MODEL_CHECKS, "min_features": min_features}
    nights = con.execute(sql_text("monitoring/model_nights.sql"), params).fetchall()
    run = 0
    for _night, critical in nights:
        if not critical:
            break
        run += 1
    reasons = con.execute(
        "select message from monitoring where night = $as_of and severity = 'critical' "
        "and list_contains($checks, check_name) order by check_name, subject",
        {"as_of": as_of, "checks": REASON_CHECKS},
    ).fetchall()
    return run, [r[0] for r in reasons]


def flag_if_sustained(
    con: duckdb.DuckDBPyConnection,
    artifacts: Path,
    champion: str | None,
    as_of: date,
    config: MonitoringConfig,
) -> dict | None:
    """Flag the champion for early retraining after `retrain.consecutive_nights` nights in a
    row that drifted (min_drifted_features critical features, or the score) or lost live
    quality; the flag written (or None)."""
    from models.registry import flag_retraining

    if champion is None:
        return None
    run, reasons = critical_run(con, as_of, config.retrain.min_drifted_features)
    if run < config.retrain.consecutive_nights:
        return None
    record = {
        "flagged_on": as_of.isoformat(),
        "nights": run,
        "reason": f"{run} nights in a row with critical drift or live quality findings",
        "findings": reasons[:10],
    }
    flag_retraining(artifacts, champion, record)
    return record
