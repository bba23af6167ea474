"""What `sagak ingest` prints, and the rows of a query as JSON-ready dicts (ledger, quarantine)."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import typer


def _jsonable(value: object) -> object:
    """Dates and timestamps as ISO text."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def table_rows(
    con: duckdb.DuckDBPyConnection, query: str, params: dict | None = None
) -> list[dict]:
    """A query's rows as dicts with JSON-ready values."""
    result = con.execute(query, params or {})
    names = [d[0] for d in result.description]
    return [{n: _jsonable(v) for n, v in zip(names, row, strict=True)} for row in result.fetchall()]


def print_ingest(as_of: date, rows: list[dict], feeds: list[dict]) -> None:
    """Per feed: freshness, files, rows loaded / quarantined, rejected files, top reasons."""
    typer.echo(f"sagak ingest {as_of}: {len(rows)} new file(s)")
    header = (
        f"{'feed':<11} {'status':<8} {'last':<10} {'next due':<10} files  loaded  quarant. rejected"
    )
    typer.echo(header)
    for f in feeds:
        typer.echo(
            f"{f['feed']:<11} {f['status']:<8} {f['last_delivery'] or '-':<10} "
            f"{f['expected_next'] or '-':<10} {f['files']:>5} {f['rows_loaded']:>7} "
            f"{f['rows_quarantined']:>9} {f['rejected']:>8}"
        )
        for reason in f["top_reasons"]:
            typer.echo(f"    {reason}")
    for row in rows:
        if row["status"] in ("rejected", "ignored"):
            typer.echo(f"{row['status']}: {row['message']}")
