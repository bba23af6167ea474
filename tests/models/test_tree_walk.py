"""The compiled walk of the reasons: the raw score is scikit-learn's, and each column's change of
raw score equals scikit-learn's prediction of the moved rows minus that of the rows as they are."""

import numpy as np
import pytest

from models import reasons
from models.candidates import estimator


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(4)
    x = rng.gamma(1.0, 2.0, size=(4000, 7)) * (rng.random((4000, 7)) < 0.5)
    x[rng.random(4000) < 0.15, 3] = np.nan  # a stale feed: NaN goes the split's missing side
    y = (x[:, 0] + 2 * np.nan_to_num(x[:, 3], nan=2.0) + rng.normal(0, 2, 4000) > 3).astype(int)
    model = estimator("boosted", {"max_iter": 50, "max_leaf_nodes": 15}, seed=0).fit(x, y)
    return model, x


def test_each_columns_walked_change_is_the_moved_prediction_minus_the_prediction(fitted):
    model, x = fitted
    trees = reasons.Trees.of(model)
    columns, typical = [0, 1, 3, 5], np.nanmedian(x, axis=0)
    walked_raw, walked = trees.walk(x, columns, typical)
    raw = trees.raw(x)
    assert np.array_equal(walked_raw, raw)  # the same floats as scikit-learn's prediction
    for slot, j in enumerate(columns):
        can_move = (x[:, j] != typical[j]) & (x[:, j] > 0)
        moved = x.copy()
        moved[:, j] = typical[j]
        expected = np.where(can_move, trees.raw(moved) - raw, 0.0)
        assert np.abs(walked[:, slot] - expected).max() < 1e-12
        assert np.abs(expected).max() > 0.01  # a column that moves some score
    assert (walked[np.isnan(x[:, 3]), 2] == 0).all()  # an unknown value is never a reason


def test_blocks_walked_in_threads_give_the_pushes_of_one_block(fitted, monkeypatch):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator

    model, x = fitted
    calibrated = CalibratedClassifierCV(FrozenEstimator(model), method="sigmoid").fit(
        x, (x[:, 0] > 1).astype(int)
    )
    columns, typical = list(range(7)), np.nanmedian(x, axis=0)
    _, whole = reasons.scores_and_pushes(calibrated, x, columns, typical)
    monkeypatch.setattr(reasons, "ROWS_PER_WALK", 333)  # 13 blocks, two threads
    _, blocks = reasons.scores_and_pushes(calibrated, x, columns, typical)
    assert np.array_equal(whole, blocks) and (whole > 0.01).sum() > 100


def test_households_scored_in_slices_get_the_scores_of_one_slice(monkeypatch):
    import polars as pl
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator

    from models import scored_frame
    from models.candidates import Blend, feature_names

    names = feature_names()
    rng = np.random.default_rng(5)
    x = rng.gamma(1.0, 2.0, size=(1500, len(names))) * (rng.random((1500, len(names))) < 0.3)
    y = (x[:, 0] + x[:, 5] + rng.normal(0, 2, 1500) > 3).astype(int)
    params = {"max_iter": 30, "max_leaf_nodes": 7}
    visit = estimator("boosted", params, seed=0).fit(x, y)
    evidence = estimator("boosted", params, seed=0).fit(x, (x[:, 5] > 1).astype(int))
    model = CalibratedClassifierCV(FrozenEstimator(Blend(visit, evidence)), method="sigmoid")
    model.fit(x, y)
    meta = {
        "features": names,
        "typical_values": np.nanmedian(x, axis=0).tolist(),
        "tier_cuts": np.quantile(model.predict_proba(x)[:, 1], np.arange(1, 20) / 20).tolist(),
    }
    features = pl.DataFrame({n: x[:, i] for i, n in enumerate(names)}).with_columns(
        household_key=pl.Series([f"h{i:05d}" for i in range(1500)])
    )
    whole = scored_frame.scored_frame(features, model, meta).sort("household_key")
    monkeypatch.setattr(scored_frame, "ROWS_PER_SLICE", 400)  # 4 slices
    sliced = scored_frame.scored_frame(features, model, meta).sort("household_key")
    assert sliced.equals(whole) and sliced.height == 1500
    assert whole["reasons"].list.len().sum() > 1000  # reasons were chosen, not all empty
