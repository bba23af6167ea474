"""The monitoring steps of a night, called by flows/nightly.py (each opens nothing itself).

feeds (after ingest, before features) → model (after score, before publish) → list (after
publish). Each stores its rows in `monitoring` (replacing the night's rows of that stage) and
sends the findings worth an alert.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from monitoring.alerts import send_alerts
from monitoring.config import MonitoringConfig, load_config
from monitoring.drift import champion_reference, feature_drift, score_drift
from monitoring.feeds import monitor_feeds
from monitoring.findings import by_priority, store_findings
from monitoring.quality import live_results, quality_findings, weekly_quality
from monitoring.report import monitoring_section
from monitoring.retrain import flag_if_sustained
from monitoring.stability import (
    exclusion_findings,
    list_overlap,
    night_name,
    overlap_findings,
)
from outreach.teams import team_capacities
from sagak.settings import Settings
from sagak.warehouse import sql_text

HISTORY_DAYS = 60
HISTORY_CHECKS = ["list_overlap", "live_precision"]


def feed_stage(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date) -> dict:
    """Judge tonight's deliveries; {findings, forced_stale: [{feed, reason}]}."""
    config = load_config(settings.monitoring_file)
    rows, forced = monitor_feeds(con, settings.contracts, as_of, config)
    _store_and_alert(con, config, as_of, "feeds", rows)
    return {"findings": rows, "forced_stale": forced}


def model_stage(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date) -> dict:
    """Drift, list overlap and live quality tonight; {findings, retrain, report}."""
    from models.nightly_scorer import BASELINE, scorer_of
    from models.registry import metadata, registry_dir
    from outreach.ranked import previous_night

    config = load_config(settings.monitoring_file)
    scorer = scorer_of(con)
    folder = None if scorer == BASELINE else registry_dir(settings.artifacts) / scorer
    reference = champion_reference(folder)
    previous = previous_night(settings.outreach, as_of)
    validation = metadata(folder)["metrics"]["champion_calibrated"] if reference else {}
    overlap = list_overlap(con, previous, team_capacities(settings.teams_file))
    rows = (
        feature_drift(con, as_of, reference, config)
        + score_drift(con, previous, reference, config)
        + overlap_findings(overlap, night_name(previous), config)
        + quality_findings(
            weekly_quality(live_results(con, settings.outreach, as_of)),
            None if folder is None else scorer,
            validation,
            config,
        )
    )
    _store_and_alert(con, config, as_of, "model", rows)
    champion = None if folder is None else scorer
    flag = flag_if_sustained(con, settings.artifacts, champion, as_of, config)
    return {"findings": rows, "retrain": flag, "report": report_data(con, as_of)}


def list_stage(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date) -> list[dict]:
    """After publishing: the share of households excluded and why, against last night."""
    from outreach.ranked import previous_night

    config = load_config(settings.monitoring_file)
    ranked = settings.outreach_dir(as_of.isoformat()) / "ranked.parquet"
    rows = exclusion_findings(ranked, previous_night(settings.outreach, as_of))
    _store_and_alert(con, config, as_of, "list", rows)
    return rows


def _store_and_alert(
    con: duckdb.DuckDBPyConnection, config: MonitoringConfig, as_of: date, stage: str, rows
) -> None:
    """Send the stage's alerts, then store its findings with the alert outcomes."""
    sent = send_alerts(config, as_of, stage, rows)
    store_findings(con, as_of, stage, rows + sent)


def report_data(con: duckdb.DuckDBPyConnection, as_of: date) -> dict:
    """What the report's monitoring section draws: tonight's rows and 60 nights of history."""
    tonight = con.sql(sql_text("monitoring/monitoring_night.sql"), params={"as_of": as_of}).pl()
    history = con.sql(
        sql_text("monitoring/monitoring_history.sql"),
        params={"as_of": as_of, "days": HISTORY_DAYS, "checks": HISTORY_CHECKS},
    ).pl()
    volumes = con.sql(
        sql_text("monitoring/delivery_volumes.sql"),
        params={"as_of": as_of, "days": HISTORY_DAYS},
    ).pl()
    findings = by_priority([r for r in tonight.to_dicts() if r["severity"] != "ok"])
    psi = tonight.filter(tonight["check_name"] == "feature_psi_validation").drop_nulls("value")
    return {
        "span": (as_of - timedelta(days=HISTORY_DAYS), as_of + timedelta(days=1)),
        "findings": findings,
        "history": history.to_dicts(),
        "volumes": volumes.to_dicts(),
        "feature_psi": psi.select("subject", "value").sort("subject").to_dicts(),
    }


def summary(feeds: dict, model: dict) -> dict:
    """The manifest's `monitoring`: feeds forced stale and why, the findings not ok."""
    rows = by_priority([r for r in feeds["findings"] + model["findings"] if r["severity"] != "ok"])
    return {
        "forced_stale": feeds["forced_stale"],
        "findings": [
            {k: r[k] for k in ("check_name", "subject", "severity", "message")} for r in rows
        ],
        "retrain": model.get("retrain"),
    }


def for_publish(feeds: dict, model: dict) -> dict:
    """What a night publishes of its monitoring: {summary (the manifest's `monitoring`),
    report (the HTML of report.html's monitoring section)}."""
    section = monitoring_section(model["report"], feeds["forced_stale"])
    return {"summary": summary(feeds, model), "report": section}


def findings_line(rows: list[dict]) -> str:
    """'2 critical, 1 warning of 40 checks' for a progress line."""
    counts = {s: sum(r["severity"] == s for r in rows) for s in ("critical", "warning")}
    return f"{counts['critical']} critical, {counts['warning']} warning of {len(rows)} checks"


def forced_line(feeds: dict) -> str:
    """The feed stage's progress line: its counts and the feeds forced stale."""
    forced = ", ".join(f["feed"] for f in feeds["forced_stale"])
    head = findings_line(feeds["findings"])
    return f"{head}; forced stale: {forced}" if forced else f"{head}; no feed forced stale"
