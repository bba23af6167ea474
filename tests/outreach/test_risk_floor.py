"""The risk floor (teams.yml `risk_floor`) and the spare capacity it leaves (issue 17, point 5)."""

import re
from datetime import timedelta

import polars as pl
import pytest

from outreach.assignments import picks, team_picks
from outreach.publish import publish
from outreach.teams import TeamsFileError, load_teams, teams_for
from tests.outreach.conftest import AS_OF, JIPHYEON, MUNSAN, UNLISTED
from tests.outreach.test_publish import DELIVERIES

KEYS = [f"k{i}" for i in range(10)]  # priority order; k0–k2 at or above the floor
ABOVE = {"k0", "k1", "k2"}

# default 16; Jinju (48170) 10; Munsan 19 of its own; Uijeongbu (41150) keeps the default
FLOORS_YML = """\
default_capacity: 3
risk_floor: 16
cities:
  - {sigungu_code: "48170", name_ko: 진주시, risk_floor: 10}
  - {sigungu_code: "41150", name_ko: 의정부시}
teams:
  - {emd_code: "4817051000", sigungu_code: "48170", name_ko: 문산읍, risk_floor: 19}
  - {emd_code: "4817052000", sigungu_code: "48170", name_ko: 집현면}
  - {emd_code: "4115051000", sigungu_code: "41150", name_ko: 의정부1동}
"""


def write(tmp_path, text):
    path = tmp_path / "teams.yml"
    path.write_text(text, encoding="utf-8")
    return path


def ranked_frame(rows):
    """A ranked list of (household_key, emd_code, tier, team_rank), every one eligible."""
    frame = pl.DataFrame(
        rows, schema=["household_key", "emd_code", "tier", "team_rank"], orient="row"
    )
    return frame.with_columns(pl.lit(None, dtype=pl.String).alias("excluded_reason"))


def chosen(frame):
    return {(r["household_key"], r["exploration"]) for r in frame.iter_rows(named=True)}


def test_top_picks_are_never_below_the_floor_and_the_rest_stays_spare():
    got = team_picks(KEYS, 8, 0.0, AS_OF, MUNSAN, ABOVE)
    assert got == [("k0", False), ("k1", False), ("k2", False)]  # 5 of the 8 visits spare
    assert team_picks(KEYS, 8, 0.0, AS_OF, MUNSAN) == [(k, False) for k in KEYS[:8]]


def test_exploration_is_still_drawn_from_below_the_floor_with_the_same_count():
    got = team_picks(KEYS, 8, 0.25, AS_OF, MUNSAN, ABOVE)
    top = [key for key, explored in got if not explored]
    explored = [key for key, explored in got if explored]
    assert top == ["k0", "k1", "k2"]
    assert len(explored) == round(8 * 0.25) and set(explored) <= set(KEYS[3:])
    assert team_picks(KEYS, 8, 0.25, AS_OF, MUNSAN, ABOVE) == got  # same night, same draw


def test_a_floor_that_does_not_bind_picks_as_without_one():
    every = set(KEYS)
    assert team_picks(KEYS, 4, 0.5, AS_OF, MUNSAN, every) == team_picks(KEYS, 4, 0.5, AS_OF, MUNSAN)


def test_the_file_default_a_city_and_a_team_set_the_floor(tmp_path):
    config = load_teams(write(tmp_path, FLOORS_YML))
    floors = {team.emd_code: team.risk_floor for team in config.teams}
    assert floors == {"4817051000": 19, "4817052000": 10, "4115051000": 16}
    unknown = teams_for(config, {"4817099000": "48170", "4199099000": "41990"})[-2:]
    assert [(t.emd_code, t.risk_floor) for t in unknown] == [("4199099000", 16), ("4817099000", 10)]
    no_floor = load_teams(write(tmp_path, "default_capacity: 3\nteams:\n  - {emd_code: '1'}\n"))
    assert (no_floor.risk_floor, no_floor.teams[0].risk_floor) == (16, 16)


def test_picks_apply_each_teams_own_floor(tmp_path):
    teams = list(load_teams(write(tmp_path, FLOORS_YML)).teams)
    ranked = ranked_frame(
        [
            ("m20", "4817051000", 20, 1),
            ("m18", "4817051000", 18, 2),  # Munsan's floor is 19
            ("j12", "4817052000", 12, 1),  # Jinju's floor 10 lets it in
            ("j9", "4817052000", 9, 2),
            ("u17", "4115051000", 17, 1),
            ("u12", "4115051000", 12, 2),  # the default 16 keeps it out
        ]
    )
    got = chosen(picks(ranked, teams, {}, 0.0, AS_OF))
    assert got == {("m20", False), ("j12", False), ("u17", False)}


def test_without_tiers_the_floor_does_not_apply(tmp_path):
    teams = list(load_teams(write(tmp_path, FLOORS_YML)).teams)
    ranked = ranked_frame([("a", "4115051000", None, 1), ("b", "4115051000", None, 2)])
    assert chosen(picks(ranked, teams, {}, 0.0, AS_OF)) == {("a", False), ("b", False)}


@pytest.mark.parametrize("value", [0, 21, 16.5, "high", True, -3])
@pytest.mark.parametrize(
    ("where", "key"),
    [
        ("top", r"'risk_floor'"),
        ("city", r"'cities\[0\]\.risk_floor' of 진주시 \(48170\)"),
        ("team", r"'teams\[1\]\.risk_floor' of 집현면 \(4817052000\)"),
    ],
)
def test_a_bad_risk_floor_names_the_file_the_entry_and_what_was_expected(
    tmp_path, where, key, value
):
    text = {
        "top": FLOORS_YML.replace("risk_floor: 16", f"risk_floor: {value}"),
        "city": FLOORS_YML.replace("risk_floor: 10", f"risk_floor: {value}"),
        "team": FLOORS_YML.replace("name_ko: 집현면}", f"name_ko: 집현면, risk_floor: {value}}}"),
    }[where]
    path = write(tmp_path, text)
    expected = rf"{re.escape(str(path))}: {key} must be a whole number from 1 to 20 .*got "
    with pytest.raises(TeamsFileError, match=expected + re.escape(repr(value))):
        load_teams(path)


def run(con, settings, night=AS_OF):
    return publish(con, settings, night, "baseline-v1", DELIVERIES)


def spare_of(manifest):
    return {
        t["emd_code"]: (t["free"], t["picked"], t["spare"], t["below_floor"], t["waiting"])
        for t in manifest["teams"]["teams"]
    }


def with_floor(settings, floor):
    text = settings.teams_file.read_text(encoding="utf-8")
    settings.teams_file.write_text(text.replace("risk_floor: 1", f"risk_floor: {floor}"))


def test_the_manifest_spare_capacity_is_free_capacity_less_tonights_picks(con, settings):
    with_floor(settings, 16)  # tiers: h1 20, h2 16, h3 12, h4 8 (Munsan h1 h3 h4), h5 4
    manifest = run(con, settings)
    ranked = pl.read_parquet(settings.outreach_dir(AS_OF.isoformat()) / "ranked.parquet")
    picked = dict(ranked.filter(pl.col("assigned")).group_by("emd_code").len().iter_rows())
    assert picked == {MUNSAN: 1, JIPHYEON: 1}  # h3 and h4 are below Munsan's floor
    #                  free, picked, spare, below the floor, waiting at or above it
    assert spare_of(manifest) == {
        MUNSAN: (2, 1, 1, 2, 0),
        JIPHYEON: (2, 1, 1, 0, 0),
        UNLISTED: (2, 0, 2, 1, 0),
    }
    assert all(t["risk_floor"] == 16 for t in manifest["teams"]["teams"])
    assert manifest["counts"]["spare_capacity"] == manifest["spare_capacity"]["total"] == 4
    assert manifest["spare_capacity"]["by_city"] == [
        {"sigungu_code": "48170", "spare": 4, "teams_with_spare": 3, "waiting": 0}
    ]


def test_spare_capacity_counts_only_tonights_picks_against_free_capacity(con, settings):
    run(con, settings)  # floor 1: Munsan takes h1, h3
    later = AS_OF + timedelta(days=1)
    manifest = run(con, settings, later)  # both still open: nothing free, nothing spare
    assert spare_of(manifest)[MUNSAN] == (0, 0, 0, 0, 1)  # h4 waits
    assert spare_of(manifest)[JIPHYEON] == (1, 0, 1, 0, 0)  # h2 open, capacity 2
    earlier = run(con, settings)  # republished as an earlier night: as it stood
    assert spare_of(earlier)[MUNSAN] == (2, 2, 0, 0, 1)


def test_the_report_names_each_citys_spare_visits_and_where_households_wait(con, settings):
    text = settings.teams_file.read_text(encoding="utf-8").replace(
        "name_en: Jiphyeon-myeon}", "name_en: Jiphyeon-myeon, risk_floor: 20}"
    )
    settings.teams_file.write_text(text, encoding="utf-8")
    run(con, settings)
    report = (settings.outreach_dir(AS_OF.isoformat()) / "report.html").read_text()
    assert "spare capacity: 3 visits in 2 teams" in report  # Jiphyeon 2 (h2 is tier 16), h5's 1
    assert "집현면 (4817052000) 2 — floor 20, 1 below it" in report
    assert "still unpicked in other teams): 1 — 문산읍 (4817051000) 1" in report  # h4
