"""The outcome audit: a published list's visits, once their results are back, audited by group."""

import json
import shutil
from datetime import date, timedelta

import duckdb
import polars as pl
import pytest

from features.build import household_features
from models.baseline import SCORER, score_households
from models.fairness import ATTRIBUTES
from models.fairness_outcomes import nightly_outcome_audit, outcome_folder
from sagak.settings import get_settings

NIGHT = date(2026, 9, 1)
OUTCOMES = ("confirmed_crisis", "not_in_need", "confirmed_crisis", "unreachable")


@pytest.fixture
def home(small_world, tmp_path):
    """A copy of the small world's warehouse with one night published by the baseline: the top
    40 households picked, 10 drawn at random below them, and visit results for all of them."""
    settings, _ = small_world
    shutil.copy(settings.warehouse, tmp_path / "warehouse.duckdb")
    mine = get_settings(tmp_path)
    con = duckdb.connect(str(mine.warehouse))
    household_features(con, NIGHT)
    score_households(con, NIGHT)
    scores = con.sql("select * from household_scores order by rank").pl()
    drawn = scores.slice(40).sample(10, seed=1)["household_key"]
    ranked = scores.with_columns(
        assigned=(pl.col("rank") <= 40) | pl.col("household_key").is_in(drawn),
        exploration=pl.col("household_key").is_in(drawn),
    )
    folder = mine.outreach_dir(NIGHT.isoformat())
    folder.mkdir(parents=True)
    ranked.write_parquet(folder / "ranked.parquet")
    (folder / "manifest.json").write_text(json.dumps({"as_of": str(NIGHT), "scorer": SCORER}))
    visited = ranked.filter("assigned")["household_key"].to_list()
    rows = [
        (key, NIGHT, NIGHT + timedelta(days=3), OUTCOMES[i % 4], NIGHT + timedelta(days=5))
        for i, key in enumerate(visited)
    ]
    rows.append((visited[0], NIGHT, None, "refused", NIGHT + timedelta(days=40)))  # later
    unlisted = ranked.filter(~pl.col("assigned"))["household_key"][0]
    rows.append((unlisted, NIGHT, NIGHT, "confirmed_crisis", NIGHT + timedelta(days=5)))
    con.executemany(
        "insert into visits (household_key, assigned_date, visit_date, outcome, reported_on) "
        "values (?, ?, ?, ?, ?)",
        rows,
    )
    yield mine, con, ranked
    con.close()


def test_the_results_of_a_published_list_are_audited_by_group(home):
    settings, con, ranked = home
    as_of = NIGHT + timedelta(days=10)
    assert nightly_outcome_audit(con, settings, as_of) == 38  # 50 visited, 12 unreachable
    folder = outcome_folder(settings.artifacts, SCORER, as_of)
    rows = pl.read_parquet(folder / "audit_input.parquet")
    assert rows.height == 38 and set(rows["as_of"]) == {NIGHT}
    listed = rows.join(ranked, on="household_key")
    assert (listed["selected"] == ~listed["exploration"]).all()
    assert (listed["score_right"] == listed["score"]).all()
    table = pl.read_parquet(folder / "fairness.parquet")
    assert set(table["attribute_name"]) == set(ATTRIBUTES)
    disability = table.filter(pl.col("attribute_name") == "disability")
    assert disability["group_size"].sum() == 38
    assert (disability["tp"] + disability["fp"]).sum() == rows["selected"].sum()
    stored = con.sql(
        "select distinct model_id, scope, night from fairness_audit where scope = 'outcomes'"
    ).fetchall()
    assert stored == [(SCORER, "outcomes", as_of)]


def test_a_rerun_replaces_its_rows_and_later_results_join_later_nights(home):
    settings, con, _ = home
    first, later = NIGHT + timedelta(days=10), NIGHT + timedelta(days=45)
    nightly_outcome_audit(con, settings, first)
    count = "select count(*) from fairness_audit where night = $n"
    once = con.sql(count, params={"n": first}).fetchall()[0][0]
    nightly_outcome_audit(con, settings, first)
    assert con.sql(count, params={"n": first}).fetchall()[0][0] == once > 0
    # the "refused" result of day 40 does not replace the confirmed crisis found before
    assert nightly_outcome_audit(con, settings, later) == 38
    nights = con.sql("select distinct night from fairness_audit where scope = 'outcomes'")
    assert sorted(r[0] for r in nights.fetchall()) == [first, later]


def test_nothing_to_audit_before_results_or_without_published_lists(home, tmp_path):
    settings, con, _ = home
    assert nightly_outcome_audit(con, settings, NIGHT + timedelta(days=1)) == 0
    assert nightly_outcome_audit(con, get_settings(tmp_path / "empty"), NIGHT) == 0
    assert not outcome_folder(settings.artifacts, SCORER, NIGHT + timedelta(days=1)).exists()


def test_sagak_audit_outcomes_prints_the_latest_or_the_named_night(home):
    from typer.testing import CliRunner

    from cli.main import app

    settings, con, _ = home
    as_of = NIGHT + timedelta(days=10)
    nightly_outcome_audit(con, settings, as_of)
    con.close()
    runner, where = CliRunner(), ["--home", str(settings.home), "--model", SCORER]
    shown = runner.invoke(app, ["audit", "--outcomes", *where])
    assert shown.exit_code == 0, shown.output
    assert f"visit outcomes known on {as_of}" in shown.output
    assert "attribute" not in shown.output and "=" in shown.output
    listed = runner.invoke(app, ["audit", "--outcomes", "--night", str(as_of), "--json", *where])
    assert listed.exit_code == 0 and json.loads(listed.output)[0]["attribute_name"] in ATTRIBUTES
    missing = runner.invoke(app, ["audit", "--outcomes", "--night", str(NIGHT), *where])
    assert missing.exit_code == 2 and f"audited nights: {as_of}" in missing.output
    alone = runner.invoke(app, ["audit", "--night", str(as_of), *where])
    assert alone.exit_code == 2 and "--night" in alone.output
