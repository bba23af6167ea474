"""web/households.parquet's rows: the ranked list and the features side by side when they hold
the same households, else joined; either way what a left join sorted by key gives."""

import polars as pl

from outreach.web_tables import household_rows


def reference(ranked: pl.DataFrame, features: pl.DataFrame) -> pl.DataFrame:
    return ranked.join(features, on="household_key", how="left").sort("household_key")


RANKED = pl.DataFrame(
    {
        "household_key": ["c", "a", "d", "b"],
        "rank": [1, 2, 3, 4],
        "reasons": [["x"], ["y", "z"], [], ["x"]],
    }
)


def test_the_same_households_side_by_side():
    features = pl.DataFrame({"household_key": ["a", "b", "c", "d"], "f1": [1.0, None, 3.0, 4.0]})
    got = household_rows(RANKED, features)
    assert got.equals(reference(RANKED, features))
    assert got["household_key"].to_list() == ["a", "b", "c", "d"]
    assert got["rank"].to_list() == [2, 4, 1, 3] and got["f1"].to_list() == [1.0, None, 3.0, 4.0]


def test_other_households_joined():
    features = pl.DataFrame({"household_key": ["a", "b", "e"], "f1": [1.0, 2.0, 5.0]})
    got = household_rows(RANKED, features)
    assert got.equals(reference(RANKED, features))
    assert got["f1"].to_list() == [1.0, 2.0, None, None]  # c and d have none; e is not listed
