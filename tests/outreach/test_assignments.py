from datetime import timedelta

import openpyxl
import polars as pl

from ingest.history import rebuild_history
from outreach.assignments import exploration_seed, team_picks
from outreach.publish import publish
from tests.outreach.conftest import AS_OF, JIPHYEON, MUNSAN
from tests.outreach.test_publish import DELIVERIES, sheet_keys


def run(con, settings, night=AS_OF):
    return publish(con, settings, night, "baseline-v1", DELIVERIES)


def ranked(settings, night=AS_OF):
    frame = pl.read_parquet(settings.outreach_dir(night.isoformat()) / "ranked.parquet")
    return {r["household_key"]: r for r in frame.iter_rows(named=True)}


def assignments(con):
    query = "select household_key, assigned_on, status, exploration from assignments order by all"
    return con.sql(query).fetchall()


def test_top_picks_then_a_seeded_random_share_from_below_them():
    eligible = [f"k{i}" for i in range(10)]
    chosen = team_picks(eligible, 4, 0.5, AS_OF, MUNSAN)
    assert chosen[:2] == [("k0", False), ("k1", False)]
    explored = [key for key, exploration in chosen if exploration]
    assert len(explored) == 2 and set(explored) <= set(eligible[4:])
    assert team_picks(eligible, 4, 0.5, AS_OF, MUNSAN) == chosen  # same night, same draw
    assert exploration_seed(AS_OF, MUNSAN) != exploration_seed(AS_OF, JIPHYEON)


def test_no_free_capacity_no_picks_and_no_exploration_without_households_below():
    assert team_picks(["a", "b"], 0, 0.5, AS_OF, MUNSAN) == []
    assert team_picks(["a", "b"], 3, 0.5, AS_OF, MUNSAN) == [("a", False), ("b", False)]
    assert team_picks(["a", "b", "c"], 2, 0.05, AS_OF, MUNSAN) == [("a", False), ("b", False)]


def test_exploration_share_from_teams_yml_is_marked(con, settings):
    settings.teams_file.write_text(settings.teams_file.read_text() + "exploration_share: 0.5\n")
    run(con, settings)
    got = ranked(settings)
    assert (got["h1"]["assigned"], got["h1"]["exploration"]) == (True, False)
    assert (got["h4"]["assigned"], got["h4"]["exploration"]) == (True, True)  # below the top 2
    assert not got["h3"]["assigned"]


def test_open_assignments_fill_capacity_until_they_expire(con, settings):
    run(con, settings)
    later = AS_OF + timedelta(days=13)
    run(con, settings, later)
    got = ranked(settings, later)
    assert got["h1"]["excluded_reason"] == "assigned" and got["h1"]["assigned"]
    assert not got["h4"]["assigned"]  # Munsan's capacity 2 is still taken
    assert not got["h1"]["new_since_last_run"]
    assert sheet_keys_on(settings, later, MUNSAN) == ["h1", "h3"]
    expired = AS_OF + timedelta(days=14)
    run(con, settings, expired)
    statuses = {(k, d, s) for k, d, s, _ in assignments(con) if k in ("h1", "h3")}
    assert statuses == {
        ("h1", AS_OF, "expired"),
        ("h3", AS_OF, "expired"),
        ("h1", expired, "open"),
        ("h3", expired, "open"),
    }


def test_rerunning_a_night_replaces_its_assignments(con, settings):
    run(con, settings)
    first = assignments(con)
    run(con, settings)
    assert assignments(con) == first
    assert len(first) == 4  # h1, h3 (Munsan), h2, h5


def test_exclusions_keep_their_reason(con, settings):
    con.execute("update household_features set benefit_active = 1 where household_key = 'h3'")
    con.execute(
        "update stg_registry set deceased = true where household_key = 'h2' "
        "and delivery_date = '2024-05-31'"
    )
    con.execute(
        "delete from stg_registry where household_key = 'h5' and delivery_date = '2024-05-31'"
    )
    rebuild_history(con, "registry")  # as ingest keeps it
    run(con, settings)
    got = ranked(settings)
    reasons = {k: got[k]["excluded_reason"] for k in got}
    assert reasons == {
        "h1": None,
        "h2": "deceased",
        "h3": "benefit_active",
        "h4": None,
        "h5": "moved_out",
    }
    assert sheet_keys(settings, MUNSAN) == ["h1", "h4"]
    assert sheet_keys(settings, JIPHYEON) == []


def test_unreachable_twice_goes_to_the_city_escalation_list(con, settings):
    run(con, settings)  # creates the outreach tables
    con.execute(
        "insert into visits (household_key, emd_code, assigned_date, outcome, reported_on) values "
        "('h1', '4817051000', '2024-03-01', 'unreachable', '2024-04-01'), "
        "('h1', '4817051000', '2024-04-02', 'unreachable', '2024-05-01'), "
        "('h3', '4817051000', '2024-04-02', 'unreachable', '2024-05-01')"
    )
    manifest = run(con, settings)
    got = ranked(settings)
    assert got["h1"]["excluded_reason"] == "escalated" and not got["h1"]["assigned"]
    assert got["h3"]["excluded_reason"] is None  # once is not yet twice
    assert sheet_keys(settings, MUNSAN) == ["h3", "h4"]
    path = settings.outreach_dir(AS_OF.isoformat()) / "escalations" / "48170.xlsx"
    ws = openpyxl.load_workbook(path).active
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True)]
    assert [(r[1], r[2], r[5]) for r in rows] == [("h1", "가구h1-f-may", 2)]
    assert manifest["counts"]["escalated"] == 1
    assert "escalations/48170.xlsx" in manifest["files"]


def sheet_keys_on(settings, night, emd_code):
    from tests.outreach.test_publish import sheet_records

    path = settings.outreach_dir(night.isoformat()) / "sheets" / f"{emd_code}.xlsx"
    return [r["가구키 (household_key)"] for r in sheet_records(path)]
