"""Row checks beyond GX: keys nobody in the registry has, exact duplicates, conflicting keys,
and the file-level share of bad rows."""

from __future__ import annotations

import duckdb

from ingest.contracts import Contract
from ingest.read import quote_ident, quote_literal
from sagak.warehouse import sql_text

APPEND = "ingest/append_reason.sql"


def unknown_keys(con: duckdb.DuckDBPyConnection, contract: Contract, delivered) -> list[str]:
    """Reason `<col>: belongs to nobody in <feed>` for keys its raw table never held by then.

    Skipped (and noted) while the reference feed has delivered nothing on or before the date.
    """
    notes = []
    for column in (c for c in contract.columns if c.known_in):
        reference, key = quote_ident(f"raw_{column.known_in}"), quote_ident(column.output)
        params = {"delivery_date": delivered}
        delivered_any = sql_text("ingest/reference_delivered.sql").format(reference=reference)
        if not con.execute(delivered_any, params).fetchall()[0][0]:
            notes.append(f"{column.name} not checked against {column.known_in}: none delivered yet")
            continue
        known = sql_text("ingest/known_keys.sql").format(key=key)
        con.execute(known, params | {"feed": column.known_in, "key_column": column.output})
        where = f"{key} is not null and {key} not in (select key from _known)"
        reason = quote_literal(f"{column.name}: belongs to nobody in the {column.known_in}")
        con.execute(sql_text(APPEND).format(reason=reason, where=where))
    return notes


def duplicate_rows(con: duckdb.DuckDBPyConnection, contract: Contract, line_offset: int) -> None:
    """Exact repeats of a clean row collapse to the first: the others get `duplicate of line N`."""
    columns = ", ".join(quote_ident(c.output) for c in contract.columns)
    query = sql_text("ingest/duplicate_rows.sql").format(columns=columns)
    con.execute(query, {"line_offset": line_offset})


def conflicting_rows(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """Clean rows that share a key but differ elsewhere are all quarantined as a conflict."""
    if not contract.key:
        return
    by_name = {c.name: c for c in contract.columns}
    keys = [quote_ident(by_name[k].output) for k in contract.key]
    query = sql_text("ingest/conflicting_rows.sql").format(
        columns=", ".join(quote_ident(c.output) for c in contract.columns),
        key=", ".join(keys),
        matches=" and ".join(f"_typed.{k} = c.{k}" for k in keys),
    )
    con.execute(query, {"key_names": ", ".join(contract.key)})


def bad_share_exceeded(received: int, bad: int, contract: Contract) -> bool:
    """True when the file has enough rows and more than `max_bad_share` of them are bad."""
    if received < contract.min_rows_for_share or received == 0:
        return False
    return bad / received > contract.max_bad_share


def reject_all_rows(con: duckdb.DuckDBPyConnection, reason: str) -> None:
    """Give every still-clean row the file-level reason (a rejected file loads no row)."""
    con.execute(
        sql_text(APPEND).format(reason="$reason", where="len(_reasons) = 0"), {"reason": reason}
    )
