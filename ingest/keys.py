"""Pseudonym keys for a delivery: HMAC on the distinct values in Python, joined back in DuckDB.

DuckDB has no HMAC; hashing each distinct identifier once keeps a million-row file fast.
"""

from __future__ import annotations

import hmac

import duckdb
import pyarrow as pa

from ingest.read import quote_ident
from sagak.privacy import HOUSEHOLD_PREFIX, KEY_CHARS, PERSON_PREFIX, household_key, person_key

__all__ = ["household_key", "key_table", "person_key"]
PREFIX = {"rrn": PERSON_PREFIX, "household_no": HOUSEHOLD_PREFIX}


def hashed(values: list[str], prefix: str, secret: str) -> list[str]:
    """Pseudonyms of `values` (hyphens dropped for rrns), as sagak.privacy computes them."""
    key = secret.encode()
    strip = prefix == PERSON_PREFIX
    return [
        hmac.digest(key, (prefix + (v.replace("-", "") if strip else v)).encode(), "sha256").hex()[
            :KEY_CHARS
        ]
        for v in values
    ]


def key_table(con: duckdb.DuckDBPyConnection, column, cleaned_sql: str, secret: str) -> str:
    """Temp table `_k_<column>` (`_kv_<c>` value, `_kk_<c>` key) for the column's distinct values."""
    name = column.name
    values = [
        v for (v,) in con.sql(f"select distinct {cleaned_sql} from _incoming").fetchall() if v
    ]
    table = pa.table(
        {f"_kv_{name}": values, f"_kk_{name}": hashed(values, PREFIX[column.type], secret)},
        schema=pa.schema([(f"_kv_{name}", pa.string()), (f"_kk_{name}", pa.string())]),
    )
    target = quote_ident(f"_k_{name}")
    con.register("_keys_arrow", table)
    con.execute(f"create or replace temp table {target} as select * from _keys_arrow")
    con.unregister("_keys_arrow")
    return target
