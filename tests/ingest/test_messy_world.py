"""A messy synthetic world: nothing lost (counts add up), nothing leaks (no rrn, no contacts)."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import polars as pl
import pytest

from ingest.load import ingest_inbox
from synth.world import generate
from tests.ingest.test_privacy import varchar_values

SECRET = "world-secret"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    home = tmp_path_factory.mktemp("messy")
    generate(home, households=300, months=4, end="2026-10", seed=7, mess=0.05)
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    ledger = ingest_inbox(con, home / "inbox", dt.date(2026, 10, 31), SECRET)
    yield home, con, ledger
    con.close()


def test_every_file_adds_up(world):
    _, con, ledger = world
    assert {r["status"] for r in ledger} >= {"loaded", "duplicate"}
    for row in ledger:
        if row["status"] != "ignored":
            assert row["rows_received"] == row["rows_loaded"] + row["rows_quarantined"], row
    stored = con.sql("select count(*) from quarantine").fetchall()[0][0]
    assert stored == sum(r["rows_quarantined"] for r in ledger) > 0


def test_no_resident_number_or_contact_detail_in_the_warehouse(world):
    home, con, _ = world
    persons = pl.read_parquet(home / "truth" / "persons.parquet")
    rrns = set(persons["rrn"])
    clear = rrns | {r.replace("-", "") for r in rrns}
    with duckdb.connect(str(home / "contacts.duckdb"), read_only=True) as store:
        found = store.sql("select name, phone, address from contacts").fetchall()
    contacts = {v for row in found for v in row if v}
    assert contacts, "truth has no contact details: the scan would prove nothing"
    values = varchar_values(con)
    text = "\n".join(values)
    assert not re.search(r"\b\d{6}-?\d{7}\b", text)
    assert not [r for r in clear if r in text]
    assert not [v for v in values if v in contacts]
    phones = {v for v in contacts if re.fullmatch(r"[0-9-]{9,}", v)}
    assert phones and not [p for p in phones if p in text]


def test_contacts_are_in_their_own_store(world):
    home, _, _ = world
    path = home / "contacts.duckdb"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with duckdb.connect(str(path), read_only=True) as store:
        assert (
            store.sql("select count(*) from contacts where name is not null").fetchall()[0][0] > 0
        )
