"""Quarantine: rows that break their contract, kept with their reasons and their raw fields.

`raw` is the row as delivered (every contract column's text, as a JSON object) with every
resident number replaced by its pseudonymous key and contact details left out: nothing is
lost for debugging and nothing leaks.
"""

from __future__ import annotations

import re
from functools import partial

import duckdb
import pyarrow as pa

from ingest.casting import IDENTIFIERS, RRN_IN_TEXT, key_join, record_field
from ingest.contracts import Contract
from ingest.keys import person_key
from sagak.warehouse import sql_text

RRN = re.compile(RRN_IN_TEXT)


def quarantine_rows(con: duckdb.DuckDBPyConnection, contract: Contract, secret: str) -> None:
    """Temp table `_quarantined` (`_file`, `_row`, `_reasons`, `raw`): the rows with a reason."""
    columns = contract.columns
    query = sql_text("ingest/quarantined.sql").format(
        record=", ".join(record_field(c) for c in columns if not c.contact),
        joins=" ".join(key_join(c) for c in columns if c.type in IDENTIFIERS),
        rrn=RRN_IN_TEXT,
    )
    con.execute(query)
    key_free_text_rrns(con, secret)


def key_free_text_rrns(con: duckdb.DuckDBPyConnection, secret: str) -> None:
    """Replace rrns inside free text of `raw` by their person_key (few rows: done in Python)."""
    query = sql_text("ingest/quarantine_free_text_rrns.sql")
    found = con.sql(query, params={"rrn": RRN_IN_TEXT}).fetchall()
    if not found:
        return
    replace = partial(_keyed, secret=secret)
    fixed = pa.table(
        {
            "_file": [file for file, _, _ in found],
            "_row": [row for _, row, _ in found],
            "raw": [RRN.sub(replace, raw) for _, _, raw in found],
        }
    )
    con.register("_keyed_raw", fixed)
    con.execute(sql_text("ingest/quarantine_keyed_raw.sql"))
    con.unregister("_keyed_raw")


def _keyed(match: re.Match, secret: str) -> str:
    """The person_key of a matched rrn."""
    return person_key(match.group(0), secret)
