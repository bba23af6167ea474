"""Row checks beyond GX, over a batch of one feed's files in _typed (`_file`): keys nobody in the
registry has, exact duplicates, conflicting keys, and each file's share of bad rows."""

from __future__ import annotations

import duckdb

from ingest.contracts import Contract
from sagak.warehouse import quote_ident, sql_text


def unknown_keys(
    con: duckdb.DuckDBPyConnection, contract: Contract, delivered: list
) -> list[list[str]]:
    """Reason `<col>: belongs to nobody in <feed>` for keys its raw table did not hold by the
    delivery date of their file (`delivered[_file]`); per file, the checks it skipped.

    Skipped (and noted) in a file delivered before the reference feed delivered anything.
    """
    notes: list[list[str]] = [[] for _ in delivered]
    for column in (c for c in contract.columns if c.known_in):
        reference, key = quote_ident(f"raw_{column.known_in}"), quote_ident(column.output)
        first_query = sql_text("ingest/reference_first_delivered.sql").format(reference=reference)
        first = con.execute(first_query).fetchall()[0][0]
        for file, day in enumerate(delivered):
            if first is None or day < first:
                notes[file].append(
                    f"{column.name} not checked against {column.known_in}: none delivered yet"
                )
        if first is None or all(day < first for day in delivered):
            continue
        known = sql_text("ingest/known_keys.sql").format(key=key)
        con.execute(known, {"feed": column.known_in, "key_column": column.output})
        reason = f"{column.name}: belongs to nobody in the {column.known_in}"
        query = sql_text("ingest/unknown_keys.sql").format(key=key)
        con.execute(query, {"first": first, "reason": reason})
    return notes


def duplicate_rows(con: duckdb.DuckDBPyConnection, contract: Contract, line_offset: int) -> None:
    """Exact repeats of a clean row in a file collapse to the first: the others get
    `duplicate of line N`."""
    columns = ", ".join(["_file", *(quote_ident(c.output) for c in contract.columns)])
    query = sql_text("ingest/duplicate_rows.sql").format(columns=columns)
    con.execute(query, {"line_offset": line_offset})


def conflicting_rows(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """Clean rows of a file that share a key but differ elsewhere are all quarantined as a
    conflict."""
    if not contract.key:
        return
    by_name = {c.name: c for c in contract.columns}
    keys = ["_file", *(quote_ident(by_name[k].output) for k in contract.key)]
    query = sql_text("ingest/conflicting_rows.sql").format(
        columns=", ".join(["_file", *(quote_ident(c.output) for c in contract.columns)]),
        key=", ".join(keys),
        matches=" and ".join(f"_typed.{k} = c.{k}" for k in keys),
    )
    con.execute(query, {"key_names": ", ".join(contract.key)})


def bad_rows(con: duckdb.DuckDBPyConnection, files: int) -> list[tuple[int, int]]:
    """(rows received, rows with a reason) of each file of the batch, by `_file`."""
    counts = dict.fromkeys(range(files), (0, 0))
    found = con.sql(sql_text("ingest/bad_rows.sql")).fetchall()
    counts |= {file: (received, bad) for file, received, bad in found}
    return [counts[file] for file in range(files)]


def bad_share_exceeded(received: int, bad: int, contract: Contract) -> bool:
    """True when the file has enough rows and more than `max_bad_share` of them are bad."""
    if received < contract.min_rows_for_share or received == 0:
        return False
    return bad / received > contract.max_bad_share


def reject_all_rows(con: duckdb.DuckDBPyConnection, file: int, reason: str) -> None:
    """Give every still-clean row of a file the file-level reason (a rejected file loads no row)."""
    con.execute(sql_text("ingest/file_rejected.sql"), {"reason": reason, "file": file})
