"""Labels at D: 1 confirmed_crisis / 0 not_in_need in (D, D + 90 days], else NULL with the reason."""

from datetime import date

import duckdb
import pytest

from models.labels import household_labels
from outreach.visits import load_visits
from tests.outreach.test_visits import HEADER, KEY, handed_back, hk

D = date(2026, 3, 1)
NOS = [f"{i:011d}" for i in range(1, 8)]


@pytest.fixture
def con(tmp_path):
    feedback = tmp_path / "feedback"
    feedback.mkdir()
    (feedback / "visits_20260331.csv").write_text(
        HEADER
        + f"{NOS[0]},4817051000,2026-03-01,2026-03-01,2026-03-01,confirmed_crisis,,referral,N\n"  # on D: outside
        + f"{NOS[1]},4817051000,2026-03-01,2026-03-02,2026-03-02,confirmed_crisis,food;emergency,random,Y\n"
        + f"{NOS[2]},4817051000,2026-03-01,2026-03-05,2026-03-20,not_in_need,,rule:cutoff,N\n"
        + f"{NOS[3]},4817051000,2026-03-01,2026-03-05,,unreachable,,rule:cutoff,N\n"
        + f"{NOS[6]},4817051000,2026-03-01,2026-03-05,2026-03-06,not_in_need,,rule:cutoff,N\n"
    )
    (feedback / "visits_20260630.csv").write_text(
        HEADER
        + f"{NOS[4]},4817051000,2026-05-01,2026-05-30,2026-05-30,confirmed_crisis,,referral,N\n"  # D + 90
        + f"{NOS[5]},4817051000,2026-05-01,2026-05-31,2026-05-31,confirmed_crisis,,referral,N\n"  # D + 91
        + f"{NOS[6]},4817051000,2026-05-01,2026-05-10,2026-05-11,confirmed_crisis,,referral,N\n"
    )
    (feedback / "notes.txt").write_text("not a feedback file")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create table household_features (household_key varchar, as_of date)")
    con.executemany("insert into household_features values (?, ?)", [(hk(no), D) for no in NOS])
    assert load_visits(con, feedback, KEY) == 8
    yield con
    con.close()


def labels(con, known_by=None):
    household_labels(con, D, known_by)
    rows = con.sql("select * from household_labels where as_of = $d", params={"d": D}).pl()
    return {r["household_key"]: r for r in rows.iter_rows(named=True)}


def test_label_values_and_reasons(con):
    got = labels(con)
    expected = [
        (None, "not_visited"),  # visited on D itself: (D, D + 90] excludes D
        (1, "confirmed_crisis"),
        (0, "not_in_need"),
        (None, "unreachable"),
        (1, "confirmed_crisis"),  # on D + 90: included
        (None, "not_visited"),  # D + 91
        (1, "confirmed_crisis"),  # a crisis found later in the window outweighs "not in need"
    ]
    assert [(got[hk(no)]["label"], got[hk(no)]["label_reason"]) for no in NOS] == expected


def test_exploration_flag_is_kept(con):
    got = labels(con)
    assert got[hk(NOS[1])]["exploration"] is True and got[hk(NOS[1])]["selected_by"] == "random"
    assert got[hk(NOS[2])]["exploration"] is False


def test_results_handed_back_later_are_unknown_before(con):
    got = labels(con, known_by=date(2026, 4, 30))
    assert (got[hk(NOS[4])]["label"], got[hk(NOS[4])]["label_reason"]) == (None, "not_visited")
    assert (got[hk(NOS[6])]["label"], got[hk(NOS[6])]["label_reason"]) == (0, "not_in_need")
    assert got[hk(NOS[1])]["label_known_on"] == date(2026, 3, 31)


def test_results_handed_back_through_sagak_feedback_join_the_visits(con, tmp_path):
    handed_back(con, hk(NOS[5]), exploration=True)
    assert load_visits(con, tmp_path / "feedback", KEY) == 9
    got = labels(con)
    assert (got[hk(NOS[5])]["label"], got[hk(NOS[5])]["selected_by"]) == (1, "random")
    assert got[hk(NOS[5])]["exploration"] is True
