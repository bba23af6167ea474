"""The load floor: a bare DuckDB load of the inbox the history load reads, in its own process.

For each feed, every delivery file dated on or before --as-of (the files `sagak ingest` finds:
ingest.inbox.scan_inbox) is read as text, a sha256 of its key column (rrn or household_no) is
added, and the rows are stored in one table per feed of a fresh DuckDB file — one statement per
feed. What it leaves out is what sagak adds: typing, checks, quarantine, the ledger, staging.
What it keeps, as any load of these files must: text that is not UTF-8 (CP949) is decoded in
Python and handed to DuckDB as UTF-8 (as ingest/read.py does), gzip deliveries are read, and a
file DuckDB cannot read at all is left out (counted in `skipped`), not fatal.

Prints JSON: seconds (the load, process start excluded), rows, files, skipped.
Usage: python -m bench.load_floor SAGAK_HOME [--as-of 2026-10-29] [--out FILE.duckdb]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import tempfile
import time
from datetime import date
from itertools import groupby
from pathlib import Path

import duckdb

from ingest.contracts import Contract, load_contracts, normalise_header
from ingest.inbox import scan_inbox
from ingest.read import quote_ident
from sagak.settings import Settings
from sagak.warehouse import duckdb_config

HERE = Path(__file__).parent
SQL = {
    fmt: (HERE / f"load_floor_{fmt}.sql").read_text(encoding="utf-8")
    for fmt in ("csv", "jsonl", "parquet")
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("home", type=Path, help="SAGAK_HOME whose inbox is loaded")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 29))
    parser.add_argument("--out", type=Path, help="the DuckDB file (default: a temp file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="load-floor-") as tmp:
        out = args.out or Path(tmp) / "load_floor.duckdb"
        print(json.dumps(load_floor(args.home, args.as_of, out)), flush=True)


def load_floor(home: Path, as_of: date, out: Path) -> dict:
    """Load every delivery of `home`'s inbox dated on or before `as_of` into a fresh `out`;
    seconds, rows, files, skipped."""
    settings = Settings(home)
    contracts = load_contracts(settings.contracts)
    out.unlink(missing_ok=True)
    rows = files = 0
    skipped: list[str] = []
    start = time.perf_counter()
    deliveries, _ = scan_inbox(settings.inbox, contracts, as_of)
    by_feed = groupby(sorted(deliveries, key=lambda d: d.feed), key=lambda d: d.feed)
    with (
        tempfile.TemporaryDirectory(prefix="load-floor-", dir=out.parent) as tmp,
        duckdb.connect(str(out), config=duckdb_config(Settings(Path(tmp)))) as con,
    ):
        for feed, found in by_feed:
            paths = [d.path for d in found]
            loaded, bad = load_feed(con, contracts[feed], paths, Path(tmp) / feed)
            rows, files, skipped = rows + loaded, files + len(paths) - len(bad), skipped + bad
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "rows": rows, "files": files, "skipped": skipped}


def load_feed(con, contract: Contract, paths: list[Path], tmp: Path) -> tuple[int, list[str]]:
    """One feed's files into its table; the rows stored and the files left out (unreadable)."""
    tmp.mkdir(parents=True, exist_ok=True)
    bad: list[str] = []
    if contract.format == "parquet":
        sources, headers = [str(p) for p in paths], None
    else:
        sources, headers = [], set()
        for path in paths:
            prepared = utf8_text(path, tmp / path.name.removesuffix(".gz"))
            if prepared is None:
                bad.append(str(path))
                continue
            sources.append(str(prepared[0]))
            headers |= prepared[1]
    try:
        con.execute(build(con, contract, sources, headers), params(contract, sources))
    except duckdb.Error:
        # a file DuckDB cannot read (not what its name says, truncated): find it, load the rest
        readable = [s for s in sources if loads(con, contract, s, headers)]
        bad += [s for s in sources if s not in readable]
        sources = readable
        con.execute(build(con, contract, sources, headers), params(contract, sources))
    for source in bad:
        print(f"load floor: {contract.feed}: left out {source}", file=sys.stderr)
    table = quote_ident(contract.feed)
    return con.sql(f"select count(*) from {table}").fetchall()[0][0], bad


def loads(con, contract: Contract, source: str, headers: set[str] | None) -> bool:
    """True if `source` alone can be loaded by the feed's statement (tried in a temp table)."""
    con.execute("begin")
    try:
        con.execute(build(con, contract, [source], headers), params(contract, [source]))
        return True
    except duckdb.Error:
        return False
    finally:
        con.execute("rollback")


def build(con, contract: Contract, sources: list[str], headers: set[str] | None) -> str:
    """The feed's statement: its table and key (and Parquet's select list) as identifiers."""
    table = quote_ident(contract.feed)
    spellings = next(c.spellings for c in contract.columns if c.name == contract.key[0])
    if contract.format == "jsonl":
        return SQL["jsonl"].format(table=table, key=quote_ident(contract.key[0]))
    if contract.format == "csv":
        return SQL["csv"].format(table=table, key=key_expression(headers or set(), spellings))
    described = con.sql(
        "describe select * from read_parquet($files, union_by_name = true)",
        params={"files": sources},
    ).fetchall()
    names = [row[0] for row in described]
    select = ", ".join(f"{quote_ident(n)}::varchar as {quote_ident(n)}" for n in names)
    return SQL["parquet"].format(
        table=table, select=select, key=key_expression(set(names), spellings)
    )


def key_expression(headers: set[str], spellings: tuple[str, ...]) -> str:
    """The headers that spell the key (any case), coalesced; NULL if no file has one."""
    found, seen = [], set()
    for header in sorted(headers):
        if normalise_header(header) in spellings and header.lower() not in seen:
            seen.add(header.lower())
            found.append(quote_ident(header))
    return f"coalesce({', '.join(found)})" if found else "null::varchar"


def params(contract: Contract, sources: list[str]) -> dict:
    """The statement's parameters: the files (and JSON Lines' columns, all text)."""
    if contract.format == "jsonl":
        return {"files": sources, "columns": {c.name: "VARCHAR" for c in contract.columns}}
    return {"files": sources}


def utf8_text(path: Path, converted: Path) -> tuple[Path, set[str]] | None:
    """Where DuckDB reads `path` as UTF-8 (itself, or `converted` when it is CP949) and its CSV
    headers; None if it is neither UTF-8 nor CP949 text."""
    raw = path.read_bytes()
    try:
        data = gzip.decompress(raw) if path.name.endswith(".gz") else raw
    except (OSError, EOFError):
        return None
    try:
        text, source = data.decode("utf-8"), path
    except UnicodeDecodeError:
        try:
            text = data.decode("cp949")
        except UnicodeDecodeError:
            return None
        converted.write_text(text, encoding="utf-8")
        source = converted
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    return source, {h.strip() for h in next(csv.reader([first]), [])}


if __name__ == "__main__":
    main()
