"""Key tables hash in DuckDB: every pseudonym equals sagak.privacy's Python HMAC."""

from __future__ import annotations

from types import SimpleNamespace

import duckdb
import pytest

from ingest.casting import cleaned
from ingest.keys import key_table
from sagak.privacy import household_key, person_key

INCOMING = (
    "create temp table _incoming as select * from (values "
    "(' 800101-1234567 ', '10000000001'), ('', '-'), (NULL, '12345678901'), "
    "('7503152345678', '10000000001')) t(rrn, household_no)"
)


@pytest.mark.parametrize("secret", ["s" * 64, "short", "x" * 100, "비밀-키"])
@pytest.mark.parametrize(
    ("column", "pseudonym", "values"),
    [("rrn", person_key, 2), ("household_no", household_key, 2)],
)
def test_keys_equal_the_python_hmac(secret, column, pseudonym, values):
    con = duckdb.connect()
    con.execute(INCOMING)
    key_table(con, SimpleNamespace(name=column, type=column), cleaned(column), secret)
    got = dict(con.sql(f"select * from _k_{column}").fetchall())
    assert len(got) == values
    assert got == {value: pseudonym(value, secret) for value in got}
