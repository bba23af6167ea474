"""Training at scale: features only for the households a date needs, a weighted sample of the
others at validation dates, and the same features as a full snapshot for every kept household."""

import shutil
from datetime import date

import duckdb
import numpy as np
import polars as pl
import pytest

from features.build import household_features
from models.labels import visit_labels
from models.metrics import top_k, weighted_quantiles
from models.training_set import LABEL_COLUMNS, training_set


@pytest.fixture
def con(small_world, tmp_path):
    """A private copy of the small world's warehouse (the full snapshots below are stored)."""
    settings, _ = small_world
    shutil.copy(settings.warehouse, tmp_path / "w.duckdb")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    yield con
    con.close()


def full_snapshot(con, d):
    household_features(con, d)
    return con.sql(
        "select * from household_features where as_of = $d order by household_key",
        params={"d": d},
    ).pl()


def labelled_keys(con, d, known_by=None):
    visit_labels(con, d, known_by)
    return {
        r[0]
        for r in con.sql(
            "select household_key from fx_visit_labels where label is not null"
        ).fetchall()
    }


@pytest.mark.parametrize("d", [date(2026, 3, 1), date(2026, 7, 1)])
@pytest.mark.parametrize("sample", [0, 60])
def test_the_kept_households_have_the_features_of_the_full_snapshot(con, d, sample):
    rows = training_set(con, [d], sample=sample, seed=3)
    full = full_snapshot(con, d)
    labelled = labelled_keys(con, d) & set(full["household_key"])
    assert labelled and labelled <= set(rows["household_key"])
    others = rows.height - len(labelled)
    assert others == 0 if sample == 0 else 30 < others < 100
    same = full.join(rows.select("household_key"), on="household_key", how="semi")
    assert rows.select(full.columns).equals(same)


def test_the_weights_add_up_to_the_households_of_the_date(con):
    d = date(2026, 7, 1)
    rows = training_set(con, [d], sample=60, seed=3)
    households = full_snapshot(con, d).height
    assert rows["weight"].sum() == pytest.approx(households)
    labelled = rows.filter(pl.col("label").is_not_null())
    assert labelled.height and (labelled["weight"] == 1).all()
    assert rows.filter(pl.col("label").is_null())["weight"].n_unique() == 1


def test_a_sample_as_large_as_the_world_is_everyone(con):
    d = date(2026, 7, 1)
    everyone = training_set(con, [d], sample=100_000)
    full = full_snapshot(con, d)
    assert everyone.select(full.columns).equals(full) and (everyone["weight"] == 1).all()
    assert set(LABEL_COLUMNS) <= set(everyone.columns)


def test_the_same_seed_samples_the_same_households_and_another_seed_others(con):
    d = date(2026, 7, 1)
    keys = [set(training_set(con, [d], sample=60, seed=s)["household_key"]) for s in (1, 1, 2)]
    assert keys[0] == keys[1] != keys[2]


def test_the_narrowed_feeds_are_gone_after_the_run(con):
    count = "select count(*) from stg_kepco"
    before = con.sql(count).fetchall()
    training_set(con, [date(2026, 7, 1)], sample=60)
    assert con.sql(count).fetchall() == before
    temps = con.sql("select table_name from duckdb_tables() where temporary").fetchall()
    assert temps == []


def test_training_writes_nothing_to_the_nightly_feature_table(con):
    def stored():
        found = con.sql(
            "select count(*) from duckdb_tables() where table_name = 'household_features'"
        )
        if not found.fetchall()[0][0]:
            return None
        return con.sql(
            "select as_of, count(*) from household_features group by 1 order by 1"
        ).fetchall()

    before = stored()
    training_set(con, [date(2026, 6, 1), date(2026, 7, 1)], sample=60)
    assert stored() == before


def test_weighted_top_k_counts_each_row_as_its_weight():
    d = date(2026, 6, 1)
    frame = pl.DataFrame(
        {"as_of": [d] * 4, "score": [0.9, 0.8, 0.7, 0.1], "weight": [1.0, 10.0, 1.0, 88.0]}
    )
    # 100 households, k = min(capacity, 100 / 5): 0.7 is ranked 1 + 11 = 12th, 0.1 13th
    assert top_k(frame, 12)["selected"].to_list() == [True, True, True, False]
    assert top_k(frame, 13)["selected"].to_list() == [True] * 4
    # capacity 11: the 0.8 household is ranked 2nd, 0.7 12th
    assert top_k(frame, 11)["selected"].to_list() == [True, True, False, False]


def test_unit_weights_rank_as_before():
    d = date(2026, 6, 1)
    scores = np.random.default_rng(0).integers(0, 5, 50) / 5
    frame = pl.DataFrame({"as_of": [d] * 50, "score": scores})
    order = pl.col("score").rank("ordinal", descending=True)
    expected = frame.select(order <= 7)["score"].to_list()
    assert top_k(frame, 7)["selected"].to_list() == expected
    weighted = frame.with_columns(weight=pl.lit(1.0))
    assert top_k(weighted, 7)["selected"].to_list() == expected


def test_weighted_quantiles():
    values = np.array([0.1, 0.5, 0.2, 0.9])
    qs = np.arange(1, 20) / 20
    assert np.array_equal(weighted_quantiles(values, np.ones(4), qs), np.quantile(values, qs))
    # one value weighing 98 of 100 is every middle quantile
    cuts = weighted_quantiles(values, np.array([1.0, 98.0, 0.5, 0.5]), qs)
    assert np.all(cuts[1:-1] == 0.5)


def test_the_evidence_rows_are_one_uniform_share_of_each_date_visited_or_not(con):
    from models.train import evidence_rows

    dates = [date(2026, 6, 1), date(2026, 7, 1)]
    rows = training_set(con, dates, sample=60, seed=3)
    share = rows["date_share"].min()
    assert 0 < share < 1
    kept = evidence_rows(rows)
    drawn = rows.filter(pl.col("draw") < share)
    # the visited households outside the draw are left out, those inside it kept
    labelled = rows.filter(pl.col("label").is_not_null())
    assert (labelled["draw"] >= share).any() and (labelled["draw"] < share).any()
    assert kept.filter(pl.col("label").is_not_null()).height < labelled.height
    assert (kept["draw"] < share).all() and kept["listable"].all()
    assert kept.select("as_of", "household_key").equals(
        drawn.filter(pl.col("listable")).select("as_of", "household_key")
    )
    for d in dates:
        at = rows.filter(pl.col("as_of") == d)
        households, n = at["weight"].sum(), drawn.filter(pl.col("as_of") == d).height
        weights = kept.filter(pl.col("as_of") == d)["weight"]
        assert weights.n_unique() == 1 and weights[0] == pytest.approx(households / n)


def test_below_the_sample_size_the_evidence_rows_are_every_listable_row(con):
    from models.train import evidence_rows

    rows = training_set(con, [date(2026, 7, 1)], sample=100_000)
    assert (rows["date_share"] == 1).all()
    assert evidence_rows(rows).equals(rows.filter(pl.col("listable")))
