"""Early retraining: sustained drift or a live quality drop flags the champion in the registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from monitoring.config import MonitoringConfig
from sagak.warehouse import sql_text

# a critical finding of one of these is quality loss on its own; drift against the validation
# period counts past psi.critical, from retrain.min_drifted_features features on (or the score)
MODEL_CHECKS = ["live_precision", "live_calibration"]
DRIFT_CHECKS = ["feature_psi_validation", "score_psi_training"]


def critical_run(
    con: duckdb.DuckDBPyConnection, as_of: date, min_features: int, psi_critical: float
) -> tuple[int, list[str]]:
    """(monitored nights in a row up to as_of that drifted or lost quality, tonight's reasons)."""
    params = {
        "as_of": as_of,
        "checks": MODEL_CHECKS,
        "min_features": min_features,
        "psi_critical": psi_critical,
    }
    nights = con.execute(sql_text("monitoring/model_nights.sql"), params).fetchall()
    run = 0
    for _night, critical in nights:
        if not critical:
            break
        run += 1
    reasons = con.execute(
        "select message from monitoring where night = $as_of and ("
        "(severity = 'critical' and list_contains($checks, check_name)) "
        "or (list_contains($drift, check_name) and value > $psi_critical)) "
        "order by check_name, subject",
        {
            "as_of": as_of,
            "checks": MODEL_CHECKS,
            "drift": DRIFT_CHECKS,
            "psi_critical": psi_critical,
        },
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
    run, reasons = critical_run(
        con, as_of, config.retrain.min_drifted_features, config.psi.critical
    )
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
