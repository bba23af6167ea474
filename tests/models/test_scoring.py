"""Nightly scoring with the champion: probabilities, tiers, reasons faithful to the model."""

import shutil

import numpy as np
import polars as pl
import pytest

from features.build import household_features
from models.candidates import matrix
from models.nightly_scorer import score_night, scorer_of
from models.registry import load_model, metadata, registry_dir
from sagak.warehouse import warehouse


@pytest.fixture(scope="module")
def night_scores(trained):
    settings, night, meta = trained
    with warehouse(settings) as con:
        household_features(con, night)
        rows, scorer = score_night(con, settings.artifacts, night)
        scores = con.sql("select * from household_scores order by rank").pl()
        features = con.sql(
            "select * from household_features where as_of = $d", params={"d": night}
        ).pl()
        named = scorer_of(con)
    return meta, rows, scorer, named, scores, features


def test_the_champion_scores_and_the_manifest_names_it(night_scores):
    meta, rows, scorer, named, scores, _ = night_scores
    assert scorer == named == meta["model_id"] == scores["model_id"][0]
    assert rows == scores.height > 700
    assert scores["rank"].to_list() == list(range(1, rows + 1))
    assert scores["score"].is_between(0, 1).all() and scores["score"].is_sorted(descending=True)
    assert set(scores["tier"].unique()) <= set(range(1, 21))
    assert scores["tier"].is_sorted(descending=True)


def test_moving_the_top_reason_to_its_typical_value_lowers_the_score(night_scores, trained):
    settings, _, _ = trained
    meta, _, _, _, scores, features = night_scores
    folder = registry_dir(settings.artifacts) / meta["model_id"]
    model, meta = load_model(folder), metadata(folder)
    top = scores.filter(pl.col("reasons").list.len() > 0).head(30)
    assert top.height == 30
    names, typical = meta["features"], meta["typical_values"]
    rows = top.select("household_key", "score", "reasons").join(features, on="household_key")
    x = matrix(rows, names)
    for i, reason in enumerate(rows["reasons"].list.first()):
        j = names.index(reason)
        moved = x[i : i + 1].copy()
        moved[0, j] = typical[j]
        assert model.predict_proba(moved)[0, 1] < rows["score"][i] - 1e-9, reason


def test_every_reason_has_korean_and_english_text(night_scores):
    scores = night_scores[4]
    shown = scores.filter(pl.col("reasons").list.len() > 0)
    lengths = shown.select(pl.col(c).list.len() for c in ("reasons", "reasons_ko", "reasons_en"))
    assert (lengths["reasons"] == lengths["reasons_ko"]).all()
    assert (lengths["reasons"] == lengths["reasons_en"]).all()
    assert (lengths["reasons"] <= 3).all()


def test_without_a_champion_or_with_a_tampered_one_the_baseline_scores(trained, tmp_path):
    settings, night, meta = trained
    with warehouse(settings) as con:
        assert score_night(con, tmp_path, night)[1] == "baseline-v1"
        assert scorer_of(con) == "baseline-v1"
        shutil.copytree(registry_dir(settings.artifacts), registry_dir(tmp_path))
        with (registry_dir(tmp_path) / meta["model_id"] / "model.joblib").open("ab") as f:
            f.write(b"changed after training")
        assert score_night(con, tmp_path, night)[1] == "baseline-v1"
        score_night(con, settings.artifacts, night)  # leave the champion's scores in place


def test_the_nightly_score_task_uses_the_champion(trained):
    from flows.nightly import score

    settings, night, meta = trained
    rows, scorer = score.fn(str(settings.home), night)
    assert scorer == meta["model_id"] and rows > 700


def test_top_reasons_strongest_first_positive_only_with_values():
    from models.reasons import top_reasons

    names = ["power_cutoff_12m", "nhis_arrears_months_max_3m", "nhis_arrears_months_max_6m"]
    x = np.array([[1.0, 5.0, 2.0], [0.0, 0.0, 0.0], [1.0, 12345.6, np.nan]])
    push = np.array([[0.1, 0.3, 0.2], [0.0, 0.0, 0.0], [0.05, 0.0, -0.1]])
    found = top_reasons(["a", "b", "c"], x, push, names)
    assert found["household_key"].to_list() == ["a", "b", "c"]
    assert found["reasons"].to_list() == [
        ["nhis_arrears_months_max_3m", "nhis_arrears_months_max_6m", "power_cutoff_12m"],
        ["combined"],  # nothing to name: the model's reading of several facts together
        ["power_cutoff_12m"],
    ]
    assert found["reasons_ko"][1].to_list() == ["여러 정보를 함께 본 위험 점수"]
    assert found["reasons_ko"][0].to_list() == [
        "건강보험료 5개월 체납",
        "건강보험료 2개월 체납",
        "최근 12개월 내 단전 또는 전류제한",
    ]
    assert found["reasons_en"][0][0] == "health insurance unpaid 5 months"
    tied = top_reasons(["t"], x[:1], np.array([[0.2, 0.2, 0.2]]), names)
    assert tied["reasons"][0].to_list() == names  # ties keep column order


def test_a_household_without_a_positive_push_shows_what_was_seen():
    from models.reasons import top_reasons

    names = ["power_cutoff_12m", "nhis_arrears_months_max_3m", "nhis_arrears_months_max_6m"]
    x = np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 0.0]])
    push = np.array([[-0.2, -0.01, 0.0], [0.0, 0.0, 0.0]])
    found = top_reasons(["a", "b"], x, push, names)
    # present signals, least pulled down first; never an absent one
    assert found["reasons"].to_list() == [
        ["nhis_arrears_months_max_3m", "power_cutoff_12m"],
        ["combined"],  # never an empty reason list
    ]


def test_a_reason_text_is_never_shown_twice():
    from models.reasons import top_reasons

    # the 3- and 12-month windows of water arrears read alike at the same amount
    names = ["water_arrears_amount_max_3m", "water_arrears_amount_max_12m", "power_cutoff_12m"]
    x = np.array([[27820.0, 27820.0, 1.0]])
    found = top_reasons(["a"], x, np.array([[0.3, 0.2, 0.1]]), names)
    shown = found["reasons_ko"][0].to_list()
    assert len(shown) == len(set(shown)) == 2
    assert found["reasons"][0].to_list() == ["water_arrears_amount_max_3m", "power_cutoff_12m"]


def test_pushes_tree_by_tree_equal_predicting_the_whole_model_twice():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator

    from models import reasons
    from models.candidates import estimator

    rng = np.random.default_rng(0)
    x = rng.gamma(1.0, 2.0, size=(3000, 6)) * (rng.random((3000, 6)) < 0.4)
    x[rng.random(3000) < 0.1, 2] = np.nan  # a stale feed's unknown values
    y = (x[:, 0] + 2 * np.nan_to_num(x[:, 2]) + rng.normal(0, 2, 3000) > 3).astype(int)
    boosted = estimator("boosted", {"max_iter": 60, "max_leaf_nodes": 7}, seed=0)
    boosted.fit(x[:2000], y[:2000])
    model = CalibratedClassifierCV(FrozenEstimator(boosted), method="sigmoid")
    model.fit(x[2000:], y[2000:])
    assert reasons.BoostedTrees.of(model) is not None
    columns, typical = list(range(6)), np.nanmedian(x, axis=0)
    probability, by_trees = reasons.scores_and_pushes(model, x, columns, typical)
    whole = np.zeros_like(by_trees)
    base = model.predict_proba(x)[:, 1]
    assert np.array_equal(probability, base)  # the same arithmetic as predict_proba
    for j in columns:
        rows = np.flatnonzero((x[:, j] != typical[j]) & (x[:, j] > 0))
        moved = x[rows].copy()
        moved[:, j] = typical[j]
        whole[rows, j] = base[rows] - model.predict_proba(moved)[:, 1]
    assert np.abs(by_trees - whole).max() < 2e-9
    assert (by_trees > 0.01).sum() > 100  # not a comparison of two empty tables


@pytest.mark.parametrize("visit_kind", ["boosted", "logistic"])
def test_pushes_of_a_blend_part_by_part_equal_predicting_the_whole_blend_twice(visit_kind):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator

    from models import reasons
    from models.candidates import Blend, estimator, feature_names, supported_column

    rng = np.random.default_rng(1)
    n = len(feature_names())
    x = rng.gamma(1.0, 2.0, size=(3000, n)) * (rng.random((3000, n)) < 0.3)
    x[:, supported_column()] = rng.random(3000) < 0.2  # households already supported
    y = x[:, 0] + x[:, 1] + 2 * x[:, supported_column()] + rng.normal(0, 2, 3000) > 3
    y = y.astype(int)
    params = {"C": 1.0} if visit_kind == "logistic" else {"max_iter": 40, "max_leaf_nodes": 7}
    visit = estimator(visit_kind, params, seed=0).fit(x[:2000], y[:2000])
    evidence = estimator("boosted", {"max_iter": 40, "max_leaf_nodes": 7}, seed=0)
    evidence.fit(x[:2000], (x[:2000, 1] > 1).astype(int))
    blend = Blend(visit, evidence, supported_shift=0.7)
    model = CalibratedClassifierCV(FrozenEstimator(blend), method="sigmoid")
    model.fit(x[2000:], y[2000:])
    assert reasons.BoostedTrees.of(model).blend is blend
    columns, typical = list(range(n)), np.nanmedian(x, axis=0)
    probability, by_parts = reasons.scores_and_pushes(model, x, columns, typical)
    base = model.predict_proba(x)[:, 1]
    assert np.array_equal(probability, base)  # the same arithmetic as predict_proba
    whole = np.zeros_like(by_parts)
    for j in columns:
        rows = np.flatnonzero((x[:, j] != typical[j]) & (x[:, j] > 0))
        moved = x[rows].copy()
        moved[:, j] = typical[j]
        whole[rows, j] = base[rows] - model.predict_proba(moved)[:, 1]
    whole = np.round(whole, 9)
    whole[np.abs(whole) < reasons.MIN_PUSH] = 0.0
    assert np.abs(by_parts - whole).max() < 2e-9
    assert (by_parts[:, supported_column()] > 0.01).sum() > 50  # the shift's column moves too
    assert (by_parts > 0.01).sum() > 200
