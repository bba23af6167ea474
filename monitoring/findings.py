"""The `monitoring` table: one row per check per night; a re-run replaces its stage's rows."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from sagak.warehouse import sql_text, table_exists

RANK = {"ok": 0, "warning": 1, "critical": 2}
# what a person should look at first, within a severity: a broken extract (call the agency),
# alerts that reach nobody, the list's live quality, sudden moves of features, scores and the
# list, then the slow drift from the validation period (retrain when it lasts)
ACTION_ORDER = (
    "volume",
    "households",
    "persons",
    "blanks",
    "alert",
    "live_precision",
    "live_calibration",
    "feature_psi",
    "score_psi_last_night",
    "list_overlap",
    "score_psi_training",
    "feature_psi_validation",
)


def monitoring_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create monitoring, monitoring_forced_stale and monitoring_delivery_profile if absent."""
    con.execute(sql_text("monitoring/monitoring_tables.sql"))


def finding(
    check: str,
    subject: str,
    value: float | None,
    baseline: float | None,
    bound: float | None,
    severity: str,
    message: str,
) -> dict:
    """One check's row (night and stage are added when stored)."""
    return {
        "check_name": check,
        "subject": subject,
        "value": value,
        "baseline": baseline,
        "bound": bound,
        "severity": severity,
        "message": message,
    }


def note(check: str, subject: str, message: str) -> dict:
    """An `ok` row that records why a check was not judged tonight (no value)."""
    return finding(check, subject, None, None, None, "ok", message)


def graded(value: float, warning: float, critical: float, below: bool = True) -> tuple[str, float]:
    """(severity, the bound that decided it): `value` below (or above) warning/critical."""
    if below:
        if value < critical:
            return "critical", critical
        return ("warning", warning) if value < warning else ("ok", warning)
    if value > critical:
        return "critical", critical
    return ("warning", warning) if value > warning else ("ok", warning)


def store_findings(
    con: duckdb.DuckDBPyConnection, night: date, stage: str, rows: list[dict]
) -> int:
    """Replace the night's rows of `stage` by `rows`; returns how many were stored."""
    monitoring_tables(con)
    con.execute(sql_text("monitoring/monitoring_delete.sql"), {"night": night, "stage": stage})
    if rows:
        frame = pl.DataFrame(
            [{"night": night, "stage": stage} | r for r in rows],
            schema={
                "night": pl.Date,
                "stage": pl.Utf8,
                "check_name": pl.Utf8,
                "subject": pl.Utf8,
                "value": pl.Float64,
                "baseline": pl.Float64,
                "bound": pl.Float64,
                "severity": pl.Utf8,
                "message": pl.Utf8,
            },
        )
        con.register("monitoring_rows", frame.to_arrow())
        con.execute(sql_text("monitoring/monitoring_insert.sql"))
        con.unregister("monitoring_rows")
    return len(rows)


def by_priority(rows: list[dict]) -> list[dict]:
    """`rows` in the order a person should act on them: severity, then ACTION_ORDER, then the
    largest value first (the furthest from its bound)."""

    def key(r: dict) -> tuple:
        check = r["check_name"]
        order = ACTION_ORDER.index(check) if check in ACTION_ORDER else len(ACTION_ORDER)
        return (-RANK[r["severity"]], order, check, -(r.get("value") or 0.0), r["subject"])

    return sorted(rows, key=key)


def worst(rows: list[dict]) -> str:
    """The highest severity among `rows` (ok when there are none)."""
    return max((r["severity"] for r in rows), key=RANK.__getitem__, default="ok")


def at_least(rows: list[dict], severity: str) -> list[dict]:
    """The rows whose severity is `severity` or higher."""
    return [r for r in rows if RANK[r["severity"]] >= RANK[severity]]


def recent_findings(
    con: duckdb.DuckDBPyConnection, nights: int, as_of: date | None = None
) -> list[dict]:
    """The rows of the last `nights` nights monitored (up to as_of), newest night first, each
    night's in the order to act on them (by_priority). Reads only: none before a first night."""
    if not table_exists(con, "monitoring"):
        return []
    rows = (
        con.sql(
            sql_text("monitoring/recent_findings.sql"), params={"nights": nights, "as_of": as_of}
        )
        .pl()
        .to_dicts()
    )
    nights_seen = sorted({r["night"] for r in rows}, reverse=True)
    return [r for n in nights_seen for r in by_priority([r for r in rows if r["night"] == n])]
