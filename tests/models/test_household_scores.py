"""The one maker of household_scores' ranks and tiers, and its one writer."""

import duckdb
import numpy as np
import polars as pl

from models.household_scores import COLUMNS, ranked, store, tier


def test_ranks_and_the_baseline_tier_are_over_the_whole_list():
    scores = pl.DataFrame(
        {
            "household_key": ["a", "b", "c"],
            "emd_code": ["4817051000", "4115051000", "4817051000"],
            "score": [0.2, 0.9, 0.5],
            "rank": [1, 1, 2],  # as two partitions ranked them
            "team_rank": [1, 1, 2],
            "tier": [20, 20, 10],
        },
        schema_overrides={"rank": pl.Int32, "team_rank": pl.Int32, "tier": pl.Int8},
    )
    found = ranked(scores).sort("household_key")
    assert found.columns == scores.columns
    assert found["rank"].to_list() == [3, 1, 2]
    assert found["team_rank"].to_list() == [2, 1, 1]
    assert found["tier"].to_list() == [7, 20, 14]


def test_a_model_tier_is_kept_from_the_validation_cuts():
    scores = pl.DataFrame(
        {
            "household_key": ["a", "b"],
            "emd_code": ["x", "x"],
            "score": [0.1, 0.3],
            "tier": [5, 9],
            "model_id": ["m", "m"],
        }
    )
    found = ranked(scores).sort("household_key")
    assert found["rank"].to_list() == [2, 1] and found["tier"].to_list() == [5, 9]


def test_ties_are_broken_by_household_key():
    scores = pl.DataFrame({"household_key": ["c", "a", "b"], "emd_code": "x", "score": 0.5})
    assert ranked(scores)["household_key"].to_list() == ["a", "b", "c"]


def test_tiers_come_from_the_validation_cut_points():
    cuts = [i / 20 for i in range(1, 20)]
    found = tier(np.array([0.0, 0.049, 0.05, 0.51, 0.99]), cuts)
    assert found.dtype == pl.Int8 and found.to_list() == [1, 1, 2, 11, 20]


def test_without_cuts_the_tier_is_the_twentieth_of_the_rank():
    n = 40
    ranks = pl.DataFrame({"rank": range(1, n + 1)}, schema={"rank": pl.Int32})
    found = tier(ranks)
    assert found.to_list() == [20 - (r - 1) * 20 // n for r in range(1, n + 1)]
    assert (found.max(), found.min()) == (20, 1)


def test_the_table_is_written_ranked_in_the_documented_column_order():
    scores = pl.DataFrame(
        {
            "living_alone": [True, False],
            "household_key": ["a", "b"],
            "emd_code": ["x", "y"],
            "sigungu_code": ["s", "s"],
            "score": [0.1, 0.3],
            "reasons": [["r"], []],
        }
    )
    con = duckdb.connect()
    assert store(con, scores) == 2
    written = con.sql("from household_scores").pl()
    assert written.columns == [c for c in COLUMNS if c in written.columns]
    assert written["household_key"].to_list() == ["b", "a"]
    assert written["rank"].to_list() == [1, 2] and written["team_rank"].to_list() == [1, 1]
    assert written["tier"].to_list() == [20, 10]
