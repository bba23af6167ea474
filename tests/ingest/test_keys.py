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
    got = dict(con.sql(f"select _kv_{column}, _kk_{column} from _k_{column}").fetchall())
    assert len(got) == values
    assert got == {value: pseudonym(value, secret) for value in got}


@pytest.mark.parametrize(
    ("column", "formed"),
    [
        ("rrn", {"800101-1234567": True, "7503152345678": False}),
        ("household_no", {"10000000001": True, "12345678901": True}),
    ],
)
def test_key_tables_say_which_values_have_the_identifiers_form(column, formed):
    """Judged once per distinct value; every value keeps its key, formed or not (a quarantined
    row's identifier is kept as its key)."""
    con = duckdb.connect()
    con.execute(INCOMING)
    key_table(con, SimpleNamespace(name=column, type=column), cleaned(column), "s")
    got = con.sql(f"select _kv_{column}, _ok_{column}, _kk_{column} from _k_{column}").fetchall()
    assert {value: ok for value, ok, _ in got} == formed
    assert all(key for _, _, key in got)
