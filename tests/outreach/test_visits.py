"""Table `visits`: every feedback file and the results handed back through `sagak feedback`."""

from datetime import date

import duckdb
import pytest

from outreach.visits import load_visits, visit_files
from sagak.privacy import household_key

KEY = "test-secret"
HEADER = "household_no,emd_code,round_start,assigned_date,visit_date,outcome,services,selected_by,exploration\n"
NOS = ["00000000001", "00000000002", "00000000003"]


def hk(no):
    return household_key(no, KEY)


@pytest.fixture
def feedback(tmp_path):
    folder = tmp_path / "feedback"
    folder.mkdir()
    (folder / "visits_20260331.csv").write_text(
        HEADER
        + f"{NOS[0]},4817051000,2026-03-01,2026-03-02,2026-03-02,confirmed_crisis,food;emergency,random,Y\n"
        + f"{NOS[1]},4817051000,2026-03-01,2026-03-05,,unreachable,,rule:cutoff,N\n"
    )
    (folder / "notes.txt").write_text("not a feedback file")
    return folder


@pytest.fixture
def con():
    con = duckdb.connect()
    yield con
    con.close()


def test_visits_are_the_feedback_files_rows_keyed_and_typed(con, feedback):
    assert load_visits(con, feedback, KEY) == 2
    rows = con.sql(
        "select household_key, assigned_date, visit_date, services, exploration, reported_on, "
        "source_file from visits order by household_key"
    ).fetchall()
    expected = {
        hk(NOS[0]): (
            date(2026, 3, 2),
            date(2026, 3, 2),
            ["food", "emergency"],
            True,
            date(2026, 3, 31),
            "visits_20260331.csv",
        ),
        hk(NOS[1]): (date(2026, 3, 5), None, [], False, date(2026, 3, 31), "visits_20260331.csv"),
    }
    assert {r[0]: r[1:] for r in rows} == expected


def test_visits_hold_no_household_number(con, feedback):
    load_visits(con, feedback, KEY)
    text = str(con.sql("select * from visits").fetchall())
    assert not any(no in text for no in NOS)


def test_no_feedback_files_make_an_empty_visits(con, tmp_path):
    assert load_visits(con, tmp_path, KEY) == 0
    columns = [c[0] for c in con.sql("select * from visits").description]
    assert columns[:3] == ["household_key", "emd_code", "round_start"]


def test_visit_files_reads_dated_names_only(tmp_path):
    (tmp_path / "visits_20260105.csv").write_text(HEADER)
    (tmp_path / "visits_2026.csv").write_text(HEADER)
    assert [d for d, _ in visit_files(tmp_path)] == [date(2026, 1, 5)]


def handed_back(con, key: str, exploration: bool) -> None:
    """Table `visit_results` with one confirmed crisis handed back through `sagak feedback`."""
    con.execute(
        "create table visit_results (household_key varchar, emd_code varchar, assigned_date date, "
        "visit_date date, outcome varchar, services varchar[], exploration boolean, "
        "reported_on date, source_file varchar, source_sha256 varchar, stored_at timestamp)"
    )
    con.execute(
        "insert into visit_results values ($k, '4817051000', '2026-03-10', '2026-03-12', "
        "'confirmed_crisis', ['food'], $e, '2026-03-15', 'back.xlsx', 'ab', now())",
        {"k": key, "e": exploration},
    )


def test_results_handed_back_join_the_files(con, feedback):
    handed_back(con, hk(NOS[2]), exploration=False)
    assert load_visits(con, feedback, KEY) == 3
    row = con.sql(
        "select round_start, selected_by, source_file from visits where household_key = $k",
        params={"k": hk(NOS[2])},
    ).fetchall()
    assert row == [(date(2026, 3, 10), "sagak", "back.xlsx")]
