"""Feed checks, after ingest and before features: is tonight's extract whole?

Per feed, its latest delivery on or before the night against its trailing deliveries: rows
received, distinct households touched, and the blank share of every column. A critical finding
forces the feed stale for the night (`monitoring_forced_stale`, read by fx_feed_freshness), so a
broken extract gives NULL features plus `<feed>_stale`, as a missing feed does.
"""

from __future__ import annotations

from datetime import date

import duckdb

from ingest.contracts import load_contracts
from monitoring.config import MonitoringConfig
from monitoring.findings import finding, graded, monitoring_tables, store_findings
from sagak.warehouse import sql_text, tables

STALE_NOTE = "its features are marked stale tonight"


def profile_deliveries(
    con: duckdb.DuckDBPyConnection, raw_tables: dict[str, str], as_of: date, trailing: int
) -> int:
    """Profile the files the night's checks read (each feed's latest `trailing` + 1 current
    deliveries on or before `as_of`) not profiled yet: rows, keys, blanks per column; the files."""
    profiled = 0
    for feed, table in sorted(raw_tables.items()):
        params = {"feed": feed, "as_of": as_of, "trailing": trailing}
        found = con.execute(sql_text("monitoring/unprofiled_files.sql"), params).fetchall()
        files = [r[0] for r in found]
        if not files:
            continue
        params = {"feed": feed, "raw_table": table, "files": files, "key": key_column(con, table)}
        con.execute(
            "insert into monitoring_delivery_profile "
            + sql_text("monitoring/delivery_profile.sql"),
            params,
        )
        profiled += len(files)
    return profiled


def key_column(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """household_key if the raw table has one (household-keyed feeds), else person_key."""
    found = con.execute(sql_text("monitoring/raw_columns.sql"), {"raw_table": table}).fetchall()
    names = {r[0] for r in found}
    return "household_key" if "household_key" in names else "person_key"


def volume_findings(
    con: duckdb.DuckDBPyConnection, as_of: date, config: MonitoringConfig, keys: dict[str, str]
) -> list[dict]:
    """Rows and households of each feed's latest delivery against its usual volume."""
    limits = config.volume
    found = con.sql(
        sql_text("monitoring/feed_deliveries.sql"),
        params={"as_of": as_of, "trailing": limits.trailing_deliveries},
    ).pl()
    rows = []
    for d in found.to_dicts():
        rows.append(volume_finding("volume", d, d["n_rows"], d["usual_rows"], "rows", limits))
        unit = "households" if keys.get(d["feed"]) == "household_key" else "persons"
        rows.append(volume_finding(unit, d, d["n_keys"], d["usual_keys"], unit, limits))
    return rows


def volume_finding(check: str, d: dict, value, usual, unit: str, limits) -> dict:
    """One volume row: the share of the usual count, judged when there is history enough."""
    what = unit if unit == "rows" else f"{unit} touched"
    head = f"{d['feed']} (delivery {d['delivery_date']}): {value or 0:,} {what}"
    if d["history"] < limits.min_history or not usual or usual < limits.min_rows:
        why = f"{d['history']} earlier deliveries, usual {usual or 0:,.0f}"
        return finding(check, d["feed"], value, usual, None, "ok", f"{head} — not judged ({why})")
    ratio = (value or 0) / usual
    severity, bound = graded(ratio, limits.warning_ratio, limits.critical_ratio)
    message = f"{head}, {ratio:.0%} of the usual {usual:,.0f}"
    if ratio > limits.high_ratio:
        severity, bound = "warning", limits.high_ratio
        message += " — far more than usual: check for a duplicated or widened extract"
    elif severity == "critical":
        message += f" — extract probably incomplete; {STALE_NOTE}"
    elif severity == "warning":
        message += " — smaller than usual: check the extract with the agency"
    # value and baseline in rows (or households); bound: the row count that decided
    return finding(check, d["feed"], value, usual, bound * usual, severity, message)


def blank_findings(
    con: duckdb.DuckDBPyConnection, as_of: date, config: MonitoringConfig
) -> list[dict]:
    """The blank share of each column of each feed's latest delivery against its usual share."""
    limits = config.blanks
    found = con.sql(
        sql_text("monitoring/feed_blanks.sql"),
        params={"as_of": as_of, "trailing": config.volume.trailing_deliveries},
    ).pl()
    rows = []
    for b in found.to_dicts():
        subject = f"{b['feed']}.{b['column_name']}"
        if b["history"] < config.volume.min_history or b["usual_share"] is None:
            continue
        rise = b["blank_share"] - b["usual_share"]
        severity, bound = graded(rise, limits.warning_increase, limits.critical_increase, False)
        message = (
            f"{b['feed']}: column {b['column_name']} {b['blank_share']:.0%} blank "
            f"(usually {b['usual_share']:.0%})"
        )
        if severity == "critical":
            message += f" — the column was probably dropped from the extract; {STALE_NOTE}"
        elif severity == "warning":
            message += " — more blanks than usual: check the extract with the agency"
        rows.append(
            finding("blanks", subject, b["blank_share"], b["usual_share"], bound, severity, message)
        )
    return rows


def forced_stale(con: duckdb.DuckDBPyConnection, as_of: date, rows: list[dict]) -> list[dict]:
    """Store and return the feeds a critical finding forces stale tonight, with the reason."""
    latest = dict(con.execute(sql_text("monitoring/latest_files.sql"), {"as_of": as_of}).fetchall())
    critical: dict[str, list[str]] = {}
    for r in rows:
        if r["severity"] == "critical":
            critical.setdefault(r["subject"].split(".")[0], []).append(r["message"])
    # the first critical finding says why; the others are counted
    reasons = {
        feed: found[0] + (f" (+{len(found) - 1} more critical)" if len(found) > 1 else "")
        for feed, found in critical.items()
    }
    forced = [
        {"night": as_of, "feed": f, "file_id": latest.get(f), "reason": reasons[f]}
        for f in sorted(reasons)
    ]
    con.execute(sql_text("monitoring/forced_stale_delete.sql"), {"night": as_of})
    for row in forced:
        con.execute(sql_text("monitoring/forced_stale_insert.sql"), row)
    return [{"feed": r["feed"], "reason": r["reason"]} for r in forced]


def monitor_feeds(
    con: duckdb.DuckDBPyConnection, contracts_dir, as_of: date, config: MonitoringConfig
) -> tuple[list[dict], list[dict]]:
    """Profile new deliveries, judge every feed tonight; (findings, feeds forced stale)."""
    monitoring_tables(con)
    present = tables(con)
    if "ingest_ledger" not in present or "current_files" not in present:
        return [], []
    contracts = load_contracts(contracts_dir)
    raw = {f: c.raw_table for f, c in contracts.items() if c.raw_table in present}
    profile_deliveries(con, raw, as_of, config.volume.trailing_deliveries)
    keys = {feed: key_column(con, table) for feed, table in raw.items()}
    rows = volume_findings(con, as_of, config, keys) + blank_findings(con, as_of, config)
    store_findings(con, as_of, "feeds", rows)
    return rows, forced_stale(con, as_of, rows)


def mark_forced(feeds: list[dict], forced: list[dict]) -> list[dict]:
    """The ingest report's feeds with `forced_stale` (the reason, or None) on each."""
    reasons = {f["feed"]: f["reason"] for f in forced}
    return [f | {"forced_stale": reasons.get(f["feed"])} for f in feeds]
