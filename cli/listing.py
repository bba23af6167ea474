"""`sagak ledger` and `sagak quarantine`: a summary first, then the latest rows under a header."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import HomeOption, parse_date, reading
from sagak.settings import get_settings

FeedOption = Annotated[str | None, typer.Option("--feed", help="Only this feed.")]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="Only files delivered on or after YYYY-MM-DD (file name date)."),
]
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit", min=0, help="Rows shown, the latest (default 50; with --json all; 0 for all)."
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the rows as JSON (a list of objects), no summary.")
]
SHOWN_ROWS = 50
STATUSES = ("loaded", "rejected", "duplicate", "superseded", "ignored")
REASONS_SHOWN = 10
RAW_CHARS = 100


def ledger(
    feed: FeedOption = None,
    since: SinceOption = None,
    limit: LimitOption = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Print the ingest ledger: files per feed and status, then one row per file seen."""
    from cli.ingest_summary import table_rows
    from sagak.warehouse import sql_text, table_exists

    settings = get_settings(home)
    params = filters(settings, feed, since)
    with reading(settings) as con:
        if not table_exists(con, "ingest_ledger"):
            rows, counts = [], []
        else:
            listing = params | {"limit": shown_rows(limit, as_json)}
            rows = table_rows(con, sql_text("ingest/ledger_listing.sql"), listing)
            counts = table_rows(con, sql_text("ingest/ledger_summary.sql"), params)
    if as_json:
        print_json(rows)
        return
    print_ledger_summary(counts)
    print_table(
        rows,
        sum(c["files"] for c in counts),
        "files",
        ("delivery_date", "path", "status", "rows_received", "rows_loaded", "rows_quarantined"),
        ("delivered", "path", "status", "received", "loaded", "quarant.", "message"),
        lambda r: r["message"] or "-",
    )


def quarantine(
    feed: FeedOption = None,
    since: SinceOption = None,
    limit: LimitOption = None,
    as_json: JsonOption = False,
    home: HomeOption = None,
) -> None:
    """Print quarantined rows: counts per feed and reason, then path, line, reasons, raw."""
    from cli.ingest_summary import table_rows
    from ingest.report import REASON_VALUE
    from sagak.warehouse import sql_text, table_exists

    settings = get_settings(home)
    params = filters(settings, feed, since)
    with reading(settings) as con:
        if not (table_exists(con, "quarantine") and table_exists(con, "ingest_ledger")):
            rows, feeds, reasons = [], [], []
        else:
            listing = params | {"limit": shown_rows(limit, as_json)}
            rows = table_rows(con, sql_text("ingest/quarantine_listing.sql"), listing)
            feeds = table_rows(con, sql_text("ingest/quarantine_feeds.sql"), params)
            reasons = table_rows(
                con, sql_text("ingest/quarantine_reasons.sql"), params | {"value": REASON_VALUE}
            )
    if as_json:
        print_json(rows)
        return
    print_quarantine_summary(feeds, reasons)
    print_table(
        rows,
        sum(f["rows"] for f in feeds),
        "rows",
        ("delivery_date", "path", "line"),
        ("delivered", "path", "line", "reasons | raw"),
        lambda r: f"{'; '.join(r['reasons'])} | {shorten(r['raw'])}",
    )


def filters(settings, feed: str | None, since: str | None) -> dict:
    """The --feed (one of the contracts' feeds) and --since parameters, checked."""
    if feed is not None:
        feeds = sorted(p.stem for p in settings.contracts.glob("*.yml"))
        if feed not in feeds:
            message = f"expected one of {', '.join(feeds)}, got {feed!r}"
            raise typer.BadParameter(message, param_hint="--feed")
    return {"feed": feed, "since": parse_date(since, "--since") if since else None}


def shown_rows(limit: int | None, as_json: bool) -> int | None:
    """How many of the latest rows to list: --limit (0 for all), else 50, all with --json."""
    if limit is None:
        return None if as_json else SHOWN_ROWS
    return limit or None


def print_json(rows: list[dict]) -> None:
    import json

    typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))


def print_ledger_summary(counts: list[dict]) -> None:
    """Files per feed and status, and the rows loaded and quarantined, with a total line."""
    feeds = sorted({c["feed"] for c in counts})
    typer.echo(f"ingest ledger: {sum(c['files'] for c in counts):,} files")
    typer.echo(
        f"{'feed':<11}" + "".join(f"{s:>11}" for s in STATUSES) + f"{'loaded rows':>14}"
        f"{'quarantined':>13}"
    )
    for feed in [*feeds, "total"]:
        mine = [c for c in counts if feed in (c["feed"], "total")]
        files = {s: sum(c["files"] for c in mine if c["status"] == s) for s in STATUSES}
        loaded = sum(c["rows_loaded"] for c in mine)
        quarantined = sum(c["rows_quarantined"] for c in mine)
        typer.echo(
            f"{feed:<11}" + "".join(f"{files[s]:>11,}" for s in STATUSES) + f"{loaded:>14,}"
            f"{quarantined:>13,}"
        )


def print_quarantine_summary(feeds: list[dict], reasons: list[dict]) -> None:
    """Rows and files per feed, then the most frequent reasons (values stripped)."""
    total_rows, total_files = sum(f["rows"] for f in feeds), sum(f["files"] for f in feeds)
    typer.echo(f"quarantine: {total_rows:,} rows from {total_files:,} files")
    typer.echo(f"{'feed':<11}{'rows':>10}{'files':>8}")
    for f in feeds:
        typer.echo(f"{f['feed']:<11}{f['rows']:>10,}{f['files']:>8,}")
    typer.echo(f"{'total':<11}{total_rows:>10,}{total_files:>8,}")
    if reasons:
        typer.echo(
            f"\nmost frequent reasons ({min(len(reasons), REASONS_SHOWN)} of {len(reasons)})"
        )
    for r in reasons[:REASONS_SHOWN]:
        typer.echo(f"{r['n']:>10,}  {r['feed']:<11}{r['reason']}")


def print_table(rows, total: int, unit: str, columns, header, last) -> None:
    """'latest N of M unit' and a header, then the rows: `columns` aligned, then `last(row)`."""
    shown = f"all {total:,}" if len(rows) == total else f"the latest {len(rows):,} of {total:,}"
    more = "" if len(rows) == total else " (--limit 0 for all, --json for every column)"
    typer.echo(f"\n{shown} {unit}{more}")
    if not rows:
        return
    cells = [[_cell(r[c]) for c in columns] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header[:-1])]
    right = [isinstance(rows[0][c], int) for c in columns]
    typer.echo(
        "  ".join(
            [*(_pad(h, w, r) for h, w, r in zip(header, widths, right, strict=False)), header[-1]]
        )
    )
    for row, line in zip(rows, cells, strict=True):
        typer.echo(
            "  ".join(
                [*(_pad(c, w, r) for c, w, r in zip(line, widths, right, strict=True)), last(row)]
            )
        )


def _pad(text: str, width: int, right: bool) -> str:
    return text.rjust(width) if right else text.ljust(width)


def _cell(value: object) -> str:
    return "-" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def shorten(text: str | None) -> str:
    """Raw row text cut to RAW_CHARS characters."""
    text = text or "-"
    return text if len(text) <= RAW_CHARS else text[: RAW_CHARS - 1] + "…"
