"""The warehouse migration of issue 21: `assignments.assigned` (the day) becomes `assigned_on`."""

from datetime import date

import duckdb
import pytest

from outreach.assignments import later_assignments, open_assignments, outreach_tables

OLD_LAYOUT = """
create table assignments (household_key varchar, emd_code varchar, assigned date,
    team_rank integer, exploration boolean, status varchar, closed_on date, outcome varchar);
insert into assignments values
    ('h1', '4817051000', date '2024-05-30', 1, false, 'open', null, null),
    ('h2', '4817052000', date '2024-05-31', 1, true, 'open', null, null),
    ('h3', '4817051000', date '2024-05-01', 2, false, 'expired', date '2024-05-15', null)
"""
ROWS = [
    ("h1", "4817051000", date(2024, 5, 30), 1, False, "open", None, None),
    ("h2", "4817052000", date(2024, 5, 31), 1, True, "open", None, None),
    ("h3", "4817051000", date(2024, 5, 1), 2, False, "expired", date(2024, 5, 15), None),
]
COLUMNS = [
    "household_key",
    "emd_code",
    "assigned_on",
    "team_rank",
    "exploration",
    "status",
    "closed_on",
    "outcome",
]


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    yield con
    con.close()


def columns(con):
    return [c[0] for c in con.sql("select * from assignments").description]


def test_an_old_assignments_is_renamed_once_and_keeps_its_rows(con, tmp_path):
    con.execute(OLD_LAYOUT)
    outreach_tables(con)
    outreach_tables(con)  # the second run finds assigned_on: nothing to do
    assert columns(con) == COLUMNS
    assert con.sql("select * from assignments order by household_key").fetchall() == ROWS
    con.close()
    reopened = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert columns(reopened) == COLUMNS  # the rename is stored, not only seen by this connection
    reopened.close()


def test_a_new_warehouse_gets_assigned_on(con):
    outreach_tables(con)
    assert columns(con) == COLUMNS
    assert con.sql("select count(*) from assignments").fetchall() == [(0,)]


def test_outreach_reads_the_migrated_table(con):
    con.execute(OLD_LAYOUT)
    outreach_tables(con)
    assert later_assignments(con, date(2024, 5, 30)) == date(2024, 5, 31)
    opened = open_assignments(con).sort("household_key")
    assert opened["assigned_on"].to_list() == [date(2024, 5, 30), date(2024, 5, 31)]


def test_a_temporary_assignments_is_not_migrated(con):
    outreach_tables(con)
    con.execute("create temp table assignments (household_key varchar, assigned date)")
    outreach_tables(con)  # only the warehouse's own table is looked at
    assert columns(con) == ["household_key", "assigned"]
