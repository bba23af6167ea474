"""Early retraining: sustained drift or a live quality drop flags the champion in the registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from monitoring.config import MonitoringConfig
from sagak.warehouse import sql_text

# the checks whose critical findings count as model drift or quality loss
MODEL_CHECKS = ["feature_psi", "score_psi_training", "live_precision", "live_calibration"]


def critical_run(con: duckdb.DuckDBPyConnection, as_of: date) -> tuple[int, list[str]]:
    """(monitored nights in a row up to as_of with a critical model finding, tonight's reasons)."""
    nights = con.execute(
        sql_text("monitoring/model_nights.sql"), {"as_of": as_of, "checks": MODEL_CHECKS}
    ).fetchall()
    run = 0
    for _night, critical in nights:
        if not critical:
            break
        run += 1
    reasons = con.execute(
        "select message from monitoring where night = $as_of and severity = 'critical' "
        "and list_contains($checks, check_name) order by check_name, subject",
        {"as_of": as_of, "checks": MODEL_CHECKS},
    ).fetchall()
    return run, [r[0] for r in reasons]


def flag_if_sustained(
    con: duckdb.DuckDBPyConnection,
    artifacts: Path,
    champion: str | None,
    as_of: date,
    config: MonitoringConfig,
) -> dict | None:
    """Flag the champion for early retraining after `retrain.consecutive_nights` critical
    nights in a row; the flag written (or None)."""
    from models.registry import flag_retraining

    if champion is None:
        return None
    run, reasons = critical_run(con, as_of)
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
