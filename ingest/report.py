"""The night's ingest report per feed: counts, top quarantine reasons, freshness."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb

from ingest.contracts import load_contracts
from ingest.freshness import freshness
from sagak.warehouse import sql_text

TOP_REASONS = 3
# the value part of a reason, dropped to group reasons: ", got '...'", "=...", ": 202607", " 3"
REASON_VALUE = r"(, got '.*'|=.*|: [0-9-]+$| \d+$)"


def top_reasons(con: duckdb.DuckDBPyConnection, paths: list[str]) -> dict[str, list[str]]:
    """Per feed, the most frequent quarantine reasons (values stripped) of the given files."""
    if not paths:
        return {}
    found = con.execute(
        sql_text("ingest/top_reasons.sql"),
        {"paths": paths, "value": REASON_VALUE, "top": TOP_REASONS},
    ).fetchall()
    tops: dict[str, list[str]] = defaultdict(list)
    for feed, reason, count in found:
        tops[feed].append(f"{reason} ({count:,})")
    return dict(tops)


def feed_counts(rows: list[dict]) -> dict[str, dict]:
    """Per feed: files considered, rows loaded and quarantined, files rejected tonight."""
    counts: dict[str, dict] = {}
    for row in rows:
        if row["feed"] is None:
            continue
        feed = counts.setdefault(
            row["feed"], {"files": 0, "rows_loaded": 0, "rows_quarantined": 0, "rejected": 0}
        )
        feed["files"] += 1
        feed["rows_loaded"] += row["rows_loaded"] or 0
        feed["rows_quarantined"] += row["rows_quarantined"] or 0
        feed["rejected"] += row["status"] == "rejected"
    return counts


def ingest_report(
    con: duckdb.DuckDBPyConnection, contracts_dir: Path, as_of: date, rows: list[dict]
) -> list[dict]:
    """One row per feed: freshness, the night's counts and its top quarantine reasons."""
    contracts = load_contracts(contracts_dir)
    counts = feed_counts(rows)
    tops = top_reasons(con, [r["path"] for r in rows if r["rows_quarantined"]])
    empty = {"files": 0, "rows_loaded": 0, "rows_quarantined": 0, "rejected": 0}
    return [
        fresh | counts.get(fresh["feed"], empty) | {"top_reasons": tops.get(fresh["feed"], [])}
        for fresh in freshness(con, contracts, as_of)
    ]
