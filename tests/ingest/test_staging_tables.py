"""The stg_ tables are the staging queries materialised: after every ingest they hold exactly
the rows sql/staging/stg_<feed>.sql gives over the raw tables and the ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.staging import VIEWS, refresh_staging
from sagak.settings import FEEDS
from sagak.warehouse import sql_text
from tests.ingest.conftest import RRN_A, RRN_B, RRN_C, rows

HEADER = "rrn,ym,arrears_months,arrears_amount,cutoff\n"


def registry(inbox, day: str, *rrns: str) -> None:
    """A registry snapshot holding `rrns`, one household each."""
    header = "rrn,household_no,relation,name,birth_date,sex,disabled,phone,address,emd_code,"
    header += "moved_in,deceased\n"
    lines = [
        f"{r},{10000000000 + i},head,김순자,1950-01-01,F,N,010-1,주소,4817051000,2001-05-01,N\n"
        for i, r in enumerate(rrns)
    ]
    inbox.csv(f"registry/registry_{day}.csv", header + "".join(lines))


def same_as_query(con, feed: str) -> None:
    """stg_<feed> holds exactly the rows of its staging query (as a multiset)."""
    query = sql_text(f"staging/stg_{feed}.sql")
    table = sorted(rows(con, f"select * from stg_{feed}"), key=repr)
    assert table == sorted(rows(con, query), key=repr)


def test_kinds_are_tables_but_the_full_snapshots_views(ingest, con):
    ingest()
    kinds = dict(rows(con, "select table_name, table_type from information_schema.tables"))
    assert {kinds[f"stg_{feed}"] for feed in FEEDS if feed not in VIEWS} == {"BASE TABLE"}
    assert {kinds[f"stg_{feed}"] for feed in VIEWS} == {"VIEW"}
    assert kinds["current_files"] == "VIEW"


def test_rows_follow_new_files_and_corrections(inbox, ingest, con):
    inbox.csv("water/water_20260512.csv", HEADER + f"{RRN_A},202604,1,1000,N\n")
    ingest(dt.date(2026, 5, 31))
    same_as_query(con, "water")
    assert rows(con, "select count(*) from stg_water") == [(1,)]
    june = HEADER + f"{RRN_A},202605,2,2000,N\n{RRN_B},202605,1,9,N\n"
    inbox.csv("water/water_20260612.csv", june)
    ingest(dt.date(2026, 6, 20))
    assert rows(con, "select count(*) from stg_water") == [(3,)]
    # a corrected re-delivery replaces the June file's rows, and only them
    inbox.csv("water/water_20260612_v2.csv", HEADER + f"{RRN_C},202605,3,3000,Y\n")
    ingest()
    same_as_query(con, "water")
    assert rows(con, "select ym, arrears_months from stg_water order by ym") == [
        ("202604", 1),
        ("202605", 3),
    ]


def test_an_old_view_becomes_a_table_with_the_same_rows(inbox, ingest, con):
    inbox.csv("water/water_20260612.csv", HEADER + f"{RRN_A},202605,1,1000,N\n")
    ingest()
    con.execute("drop table stg_water")
    con.execute(f"create view stg_water as {sql_text('staging/stg_water.sql')}")
    con.execute("delete from staged_files where feed = 'water'")
    ingest()
    kind = "select table_type from information_schema.tables where table_name = 'stg_water'"
    assert rows(con, kind) == [("BASE TABLE",)]
    same_as_query(con, "water")
    assert rows(con, "select count(*) from stg_water") == [(1,)]


def test_a_changed_staging_query_rebuilds_its_table(inbox, ingest, con):
    inbox.csv("water/water_20260612.csv", HEADER + f"{RRN_A},202605,1,1000,N\n")
    ingest()
    con.execute("update staged_files set sql_sha256 = 'an older text' where feed = 'water'")
    con.execute("delete from stg_water")  # what an older query would not have given
    refresh_staging(con, ["water"])
    same_as_query(con, "water")
    assert rows(con, "select count(*) from stg_water") == [(1,)]


@pytest.mark.parametrize("feed", ["registry", "water"])
def test_nothing_twice_when_nothing_new(inbox, ingest, con, feed):
    registry(inbox, "20260601", RRN_A, RRN_B)
    inbox.csv("water/water_20260612.csv", HEADER + f"{RRN_A},202605,1,1000,N\n")
    ingest()
    before = rows(con, f"select count(*) from stg_{feed}")
    ingest()
    assert rows(con, f"select count(*) from stg_{feed}") == before != [(0,)]
    same_as_query(con, feed)


def test_a_snapshot_view_lists_a_person_once_whatever_the_file_repeats(inbox, ingest, con):
    # the full-snapshot views have no distinct: the checks must leave one row per key and file
    header = "rrn,household_no,relation,name,birth_date,sex,disabled,phone,address,emd_code,"
    header += "moved_in,deceased\n"
    line = "{},{},head,김순자,1950-01-01,F,N,010-1,주소,4817051000,2001-05-01,N\n"
    lines = [
        line.format(RRN_A, 10000000001),
        line.format(RRN_A, 10000000001),  # the same row again: a repeat
        line.format(RRN_B, 10000000002),
        line.format(RRN_B, 10000000003),  # the same person elsewhere: a conflict
        line.format(RRN_C, 10000000004),
    ]
    inbox.csv("registry/registry_20260504.csv", header + "".join(lines))
    ingest(dt.date(2026, 5, 31))
    per_person = "select count(*), count(distinct person_key) from stg_registry"
    assert rows(con, per_person) == [(2, 2)]  # A once, C; B's two rows quarantined
    assert rows(con, "select count(*) from quarantine") == [(3,)]
