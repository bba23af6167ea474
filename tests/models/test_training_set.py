"""The training set joins point-in-time features with labels over monthly as-of dates."""

from datetime import date

import duckdb
import polars as pl

from features.build import household_features
from models.training_set import monthly_as_of_dates, training_set
from tests.features.tiny import put, tiny_world


def world(path):
    con = duckdb.connect(str(path))
    tiny_world(con, fresh_on="2026-05-20")
    put(con, "kepco", "2026-05-12", person_key="p1", ym="202604", arrears_months=2)
    put(con, "kepco", "2026-06-12", person_key="p1", ym="202605", arrears_months=5)  # after June 1
    put(
        con,
        "referrals",
        "2026-06-02",
        household_key="h2",
        referral_date=date(2026, 5, 30),
        source="self",
    )
    con.execute(
        "create table visits (household_key varchar, visit_date date, assigned_date date, "
        "outcome varchar, selected_by varchar, exploration boolean, reported_on date)"
    )
    con.execute(
        "insert into visits values ('h1', '2026-06-20', '2026-06-18', 'confirmed_crisis', "
        "'referral', false, '2026-06-30'), ('h2', '2026-06-10', '2026-06-08', 'not_in_need', "
        "'random', true, '2026-06-30')"
    )
    return con


def test_monthly_as_of_dates():
    assert monthly_as_of_dates(date(2026, 5, 2), date(2026, 7, 1)) == [
        date(2026, 6, 1),
        date(2026, 7, 1),
    ]
    assert monthly_as_of_dates(date(2025, 12, 1), date(2026, 1, 31)) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]


def test_training_rows_per_date_with_labels(tmp_path):
    con = world(tmp_path / "w.duckdb")
    june, july = date(2026, 6, 1), date(2026, 7, 1)
    rows = training_set(con, [june, july]).sort("as_of", "household_key")
    assert rows.height == 8 and rows["as_of"].unique().sort().to_list() == [june, july]
    h1, h2 = (rows.filter(pl.col("household_key") == k) for k in ("h1", "h2"))
    # June 20's visit is in (June 1, June 1 + 90 days] but not after July 1
    assert h1["label"].to_list() == [1, None]
    assert h1["label_reason"].to_list() == ["confirmed_crisis", "not_visited"]
    assert (h2["label"].to_list(), h2["exploration"].to_list()) == ([0, None], [True, False])
    assert h1["power_arrears_months_max_3m"].to_list() == [2, 5]


def test_unlabelled_households_are_kept_and_empty_before_the_registry(tmp_path):
    con = world(tmp_path / "w.duckdb")
    rows = training_set(con, [date(2026, 5, 1), date(2026, 6, 1)])
    # no registry snapshot was delivered by May 1: no household exists yet at that date
    assert rows["as_of"].unique().to_list() == [date(2026, 6, 1)]
    assert rows.filter(pl.col("label").is_null()).height == 2


def test_no_feature_at_d_uses_a_row_delivered_after_d(tmp_path):
    con = world(tmp_path / "w.duckdb")
    d = date(2026, 6, 1)
    rows = training_set(con, [d, date(2026, 7, 1)]).filter(pl.col("as_of") == d)
    # the same warehouse with every row delivered after D removed
    for table in [r[0] for r in con.sql("show tables").fetchall() if r[0].startswith("stg_")]:
        con.execute(f"delete from {table} where delivery_date > $d", {"d": d})
    household_features(con, d)
    alone = con.sql(
        "select * from household_features where as_of = $d order by household_key", params={"d": d}
    ).pl()
    assert rows.select(alone.columns).equals(alone)
    assert rows.filter(pl.col("household_key") == "h1")[
        "power_arrears_months_max_3m"
    ].to_list() == [2]
