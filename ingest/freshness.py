"""Freshness per feed at a night: last delivery, when the next is due, fresh / late / missing."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import duckdb

from ingest.contracts import Contract, Freshness
from sagak.warehouse import sql_text


def expected_next(last: date, rule: Freshness) -> date:
    """When the delivery after `last` is due: day `due_day` of the next month, or next weekday."""
    if rule.cadence == "daily":
        day = last + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day
    year, month = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
    return date(year, month, min(rule.due_day, calendar.monthrange(year, month)[1]))


def status(last: date | None, as_of: date, rule: Freshness) -> str:
    """`fresh` until due + late_after_days, `late` until due + missing_after_days, else `missing`."""
    if last is None:
        return "missing"
    due = expected_next(last, rule)
    if as_of <= due + timedelta(days=rule.late_after_days):
        return "fresh"
    if as_of <= due + timedelta(days=rule.missing_after_days):
        return "late"
    return "missing"


def freshness(
    con: duckdb.DuckDBPyConnection, contracts: dict[str, Contract], as_of: date
) -> list[dict]:
    """One row per feed with a freshness rule: feed, last_delivery, expected_next, status."""
    last = dict(con.execute(sql_text("ingest/last_deliveries.sql"), {"as_of": as_of}).fetchall())
    found = []
    for feed, contract in sorted(contracts.items()):
        rule = contract.freshness
        if rule is None:
            continue
        day = last.get(feed)
        found.append(
            {
                "feed": feed,
                "last_delivery": day.isoformat() if day else None,
                "expected_next": expected_next(day, rule).isoformat() if day else None,
                "status": status(day, as_of, rule),
            }
        )
    return found
