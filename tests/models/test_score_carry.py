"""Scores carried over for unchanged inputs: the same household_scores as scoring every row."""

import datetime as dt

import polars as pl

import models.score_carry as carry_module
from features.build import household_features
from models.nightly_scorer import score_night
from sagak.warehouse import warehouse


def scores(con) -> pl.DataFrame:
    return con.sql("from household_scores order by household_key").pl()


def test_carried_scores_equal_a_full_scoring_and_are_really_carried(trained):
    settings, night, _ = trained
    later = night + dt.timedelta(days=1)
    with warehouse(settings) as con:
        household_features(con, night)
        con.execute("drop table if exists score_carry")
        score_night(con, settings.artifacts, night)  # nothing to carry: every row computed
        household_features(con, later)
        score_night(con, settings.artifacts, later)
        carried = scores(con)
        con.execute("drop table score_carry")
        score_night(con, settings.artifacts, later)
        full = scores(con)
        # a carried row comes from score_carry, not from the model: mark one, and it shows
        unchanged = con.sql(
            "select household_key from score_carry order by household_key limit 1"
        ).fetchall()[0][0]
        con.execute(
            "update score_carry set probability = 0.123456 where household_key = $k",
            {"k": unchanged},
        )
        score_night(con, settings.artifacts, later)
        marked = scores(con).filter(pl.col("household_key") == unchanged)
        con.execute("drop table score_carry")
        score_night(con, settings.artifacts, night)  # leave the night's scores as they were
    assert carried.height == full.height > 700
    assert carried.equals(full)
    assert marked["probability"].to_list() == [0.123456]


def test_changed_inputs_are_scored_again(trained):
    settings, night, _ = trained
    with warehouse(settings) as con:
        household_features(con, night)
        score_night(con, settings.artifacts, night)
        # a household's inputs change (a new referral): its carried score must not be used
        key = con.sql("select household_key from household_scores order by rank limit 1")
        key = key.fetchall()[0][0]
        con.execute(
            "update score_carry set probability = 0.123456, input_hash = input_hash + 1 "
            "where household_key = $k",
            {"k": key},
        )
        score_night(con, settings.artifacts, night)
        row = con.sql(
            "select probability from household_scores where household_key = $k", params={"k": key}
        ).fetchall()
    assert row[0][0] != 0.123456


def test_an_edited_reason_text_means_no_score_is_carried(monkeypatch):
    import models.score_carry as carry
    from features.catalog import Reason

    before = carry.scored_by("m")
    texts = carry.catalog_reasons()
    code = sorted(texts)[0]
    edited = texts | {code: Reason(code, texts[code].ko + "!", texts[code].en)}
    monkeypatch.setattr(carry, "catalog_reasons", lambda: edited)
    assert carry.scored_by("m") != before
    assert carry.scored_by("m").startswith("m:")


def test_score_carry_updated_in_place_holds_what_a_rewrite_would(trained):
    """A night scored with the same model rewrites only the rows that moved or left: the table
    must then hold tonight's households exactly as a full rewrite would (a household gone from
    the registry included)."""
    settings, night, _ = trained
    later = night + dt.timedelta(days=1)
    carry = "from score_carry order by household_key"
    with warehouse(settings) as con:
        household_features(con, night)
        con.execute("drop table if exists score_carry")
        score_night(con, settings.artifacts, night)
        # a household that has since left the registry
        con.execute(
            "insert into score_carry select * replace ('f' || repeat('0', 31) as household_key) "
            "from score_carry limit 1"
        )
        household_features(con, later)
        score_night(con, settings.artifacts, later)
        updated = con.sql(carry).pl()
        con.execute("drop table score_carry")
        score_night(con, settings.artifacts, later)
        rewritten = con.sql(carry).pl()
        household_features(con, night)
        score_night(con, settings.artifacts, night)  # leave the night's scores as they were
    assert updated.height == rewritten.height > 700
    assert "f" + "0" * 31 not in updated["household_key"].to_list()
    assert updated.equals(rewritten)


def test_moved_households_taken_in_slices_score_as_in_one(trained, monkeypatch):
    """A night whose moved households span many slices (a monthly delivery at 1M) gives the
    same scores and score_carry as one slice holding them all."""
    settings, night, _ = trained
    later = night + dt.timedelta(days=1)

    def carry(con) -> pl.DataFrame:
        return con.sql("select * exclude (scored_by) from score_carry order by 1").pl()

    outcomes = {}
    with warehouse(settings) as con:
        household_features(con, later)
        for size in (1_000_000, 97):
            monkeypatch.setattr(carry_module, "ROWS_PER_SLICE", size)
            con.execute("drop table if exists score_carry")
            score_night(con, settings.artifacts, night)  # the night before, every row computed
            score_night(con, settings.artifacts, later)  # carried, within the splits, computed
            outcomes[size] = (scores(con), carry(con))
        con.execute("drop table score_carry")
        score_night(con, settings.artifacts, night)  # leave the night's scores as they were
    (one, one_carry), (sliced, sliced_carry) = outcomes.values()
    assert one.height > 700 and one.equals(sliced) and one_carry.equals(sliced_carry)
