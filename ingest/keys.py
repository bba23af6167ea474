"""Pseudonym keys for a delivery: HMAC-SHA256 of the distinct values, computed in DuckDB.

HMAC (RFC 2104) is two SHA-256 passes over the padded secret; DuckDB's sha256 does both in
bulk, giving exactly the keys sagak.privacy computes in Python one value at a time.
"""

from __future__ import annotations

import hashlib

import duckdb

from ingest.casting import IDENTIFIER_FORMS
from sagak.privacy import HOUSEHOLD_PREFIX, KEY_CHARS, PERSON_PREFIX, household_key, person_key
from sagak.warehouse import created_in, quote_ident, sql_text

__all__ = ["household_key", "hmac_pads", "key_table", "person_key"]
PREFIX = {"rrn": PERSON_PREFIX, "household_no": HOUSEHOLD_PREFIX}
BLOCK = 64  # SHA-256's block size in bytes


def hmac_pads(secret: str) -> tuple[bytes, bytes]:
    """The inner and outer padded keys of HMAC-SHA256 for `secret`."""
    key = secret.encode()
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def key_table(
    con: duckdb.DuckDBPyConnection, column, cleaned_sql: str, secret: str, schema: str = "temp"
) -> str:
    """Table `_k_<column>` in `schema` (`_kv_<c>` value, `_kk_<c>` key, `_ok_<c>` whether the
    value has the identifier's form) for the column's distinct values.

    `cleaned_sql` is the column's cleaning expression `... as "_v_<c>"`; rrns lose their hyphen
    before hashing, as sagak.privacy.person_key does.
    """
    name = column.name
    v = quote_ident(f"_v_{name}")
    message = f"replace({v}, '-', '')" if column.type == "rrn" else v
    target = created_in(schema, f"_k_{name}")
    query = sql_text("ingest/key_table.sql").format(
        table=target,
        cleaned=cleaned_sql,
        text=v,
        value=quote_ident(f"_kv_{name}"),
        message=message,
        key=quote_ident(f"_kk_{name}"),
        ok=quote_ident(f"_ok_{name}"),
        form=IDENTIFIER_FORMS[column.type].replace("{v}", v),
        key_chars=KEY_CHARS,
    )
    inner, outer = hmac_pads(secret)
    con.execute(query, {"inner": inner, "outer": outer, "prefix": PREFIX[column.type]})
    return target
