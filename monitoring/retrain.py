"""Early retraining: sustained drift or a live quality drop flags the champion in the registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from monitoring.config import MonitoringConfig
from sagak.warehouse import sql_text

# a critical finding of one of these is quality loss on its own; drift counts when, against the
# validation period, retrain.min_drifted_features features or more are past psi.critical — the
# seasonal ones left out (they move away from any validation period with the season), and the
# score too (it follows the features; without a loss of live quality it is no reason on its own)
MODEL_CHECKS = ["live_precision", "live_calibration"]


def critical_run(
    con: duckdb.DuckDBPyConnection, as_of: date, config: MonitoringConfig
) -> tuple[int, list[str]]:
    """(monitored nights in a row up to as_of that drifted or lost quality, tonight's reasons)."""
    params = {
        "as_of": as_of,
        "checks": MODEL_CHECKS,
        "min_features": config.retrain.min_drifted_features,
        "psi_critical": config.psi.critical,
        "seasonal": list(config.psi.seasonal),
    }
    nights = con.execute(sql_text("monitoring/model_nights.sql"), params).fetchall()
    run = 0
    for _night, critical in nights:
        if not critical:
            break
        run += 1
    reasons = con.execute(
        sql_text("monitoring/retrain_reasons.sql"),
        {k: params[k] for k in ("as_of", "checks", "psi_critical", "seasonal")},
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
    row that drifted (min_drifted_features features past psi.critical against the validation
    period) or lost live quality; the flag written (or None)."""
    from models.registry import flag_retraining

    if champion is None:
        return None
    run, reasons = critical_run(con, as_of, config)
    if run < config.retrain.consecutive_nights:
        return None
    record = {
        "flagged_on": as_of.isoformat(),
        "nights": run,
        "reason": f"{run} nights in a row with drift from the validation period or a loss of "
        "live quality",
        "findings": reasons[:10],
    }
    flag_retraining(artifacts, champion, record)
    return record
