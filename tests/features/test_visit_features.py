"""What the teams' visits found, as features at AS_OF = 2026-06-15: the year's window, only
results handed back by the night, only the two outcomes that say whether there was a need."""

from datetime import date

from outreach.assignments import outreach_tables
from tests.features.tiny import features_at


def visit(con, household: str, visited: str, outcome: str, reported: str) -> None:
    """One visit result of `household` as the visits table holds it."""
    con.execute(
        "insert into visits (household_key, visit_date, outcome, reported_on) values ($h, $v, $o, $r)",
        {
            "h": household,
            "v": date.fromisoformat(visited),
            "o": outcome,
            "r": date.fromisoformat(reported),
        },
    )


def test_visits_of_the_year_known_by_the_night(con):
    outreach_tables(con)
    visit(con, "h1", "2026-05-01", "confirmed_crisis", "2026-05-10")
    visit(con, "h1", "2025-06-16", "confirmed_crisis", "2025-06-20")  # 364 days before: in
    visit(con, "h1", "2025-06-15", "confirmed_crisis", "2025-06-20")  # 365 days before: out
    visit(con, "h2", "2026-03-02", "not_in_need", "2026-03-09")
    visit(con, "h2", "2026-04-02", "not_in_need", "2026-04-09")
    visit(con, "h2", "2026-06-14", "confirmed_crisis", "2026-06-16")  # handed back after D
    visit(con, "h3", "2026-06-01", "refused", "2026-06-05")  # says nothing of a need
    visit(con, "h3", "2026-06-01", "unreachable", "2026-06-05")
    f = features_at(con)
    assert (f["h1"]["visits_confirmed_365d"], f["h1"]["visits_not_in_need_365d"]) == (2, 0)
    assert (f["h2"]["visits_confirmed_365d"], f["h2"]["visits_not_in_need_365d"]) == (0, 2)
    assert (f["h3"]["visits_confirmed_365d"], f["h3"]["visits_not_in_need_365d"]) == (0, 0)
    later = features_at(con, date(2026, 6, 16))
    assert later["h2"]["visits_confirmed_365d"] == 1


def test_no_visits_loaded_yet_means_none(con):
    # `sagak ingest` alone: the warehouse has no visits table; nobody was visited
    f = features_at(con)
    assert {row["visits_confirmed_365d"] for row in f.values()} == {0}
    assert {row["visits_not_in_need_365d"] for row in f.values()} == {0}
