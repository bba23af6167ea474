"""Households whose inputs moved within every split of the model keep their scores and pushes:
carried with their reason texts shown again, they are what scoring them again gives."""

import re

import duckdb
import numpy as np
import polars as pl
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from models import score_carry
from models.candidates import Blend, estimator, feature_names
from models.scored_frame import scored_frame
from models.split_signature import alike_texts, split_hash, split_points

NAMES = feature_names()
DAYS = NAMES.index("days_since_referral")


@pytest.fixture(scope="module")
def blend():
    rng = np.random.default_rng(6)
    n = 1500
    x = rng.gamma(1.0, 20.0, size=(n, len(NAMES))) * (rng.random((n, len(NAMES))) < 0.3)
    x = np.round(x)
    y = (x[:, 0] + x[:, DAYS] / 10 + rng.normal(0, 2, n) > 3).astype(int)
    params = {"max_iter": 30, "max_leaf_nodes": 7}
    visit = estimator("boosted", params, seed=0).fit(x, y)
    evidence = estimator("boosted", params, seed=0).fit(x, (x[:, DAYS] > 10).astype(int))
    model = CalibratedClassifierCV(FrozenEstimator(Blend(visit, evidence)), method="sigmoid")
    model.fit(x, y)
    meta = {
        "model_id": "m-test",
        "features": NAMES,
        "typical_values": np.nanmedian(x, axis=0).tolist(),
        "tier_cuts": np.quantile(model.predict_proba(x)[:, 1], np.arange(1, 20) / 20).tolist(),
    }
    return model, meta, x


def frame(x: np.ndarray) -> pl.DataFrame:
    keys = pl.Series("household_key", [f"h{i:05d}" for i in range(x.shape[0])])
    return pl.DataFrame({n: x[:, i] for i, n in enumerate(NAMES)}).with_columns(keys)


def test_a_move_within_the_splits_keeps_the_signature_and_a_crossing_does_not(blend):
    model, meta, x = blend
    points = split_points(model)
    assert points is not None and DAYS in points
    cuts = points[DAYS]
    row = x[:2].copy()
    row[:, DAYS] = [cuts[0] + 0.25, cuts[0] + 0.5]  # between the same two thresholds
    moved = row.copy()
    moved[1, DAYS] = cuts[0] - 0.5  # across the first threshold
    before, after = split_hash(frame(row), meta, points), split_hash(frame(moved), meta, points)
    assert before[0] == after[0] and before[1] != after[1]


def test_a_value_shown_in_a_text_like_another_is_part_of_the_signature(blend):
    model, meta, x = blend
    alike = sorted(alike_texts(NAMES))
    assert alike  # the catalog has windows of one signal that read alike
    j = alike[0]
    row = x[:1].copy()
    row[0, j] = 1000.0
    moved = row.copy()
    moved[0, j] = 1001.0  # within any split here, but "1,000" becomes "1,001"
    points = {k: v for k, v in split_points(model).items() if k != j}
    assert split_hash(frame(row), meta, points)[0] != split_hash(frame(moved), meta, points)[0]


def test_carried_within_the_splits_equals_scoring_again(blend, caplog):
    model, meta, x = blend
    con = duckdb.connect()
    score_carry.carried_scores(con, frame(x), model, meta)  # nothing kept: every row scored
    later = x.copy()
    counting = later[:, DAYS] > 0
    later[counting, DAYS] += 1  # a day later: most cross no split, some do
    later[:50, 0] += 7  # and a few households have news
    with caplog.at_level("INFO", logger=score_carry.log.name):
        carried = score_carry.carried_scores(con, frame(later), model, meta)
    full = scored_frame(frame(later), model, meta)
    assert carried.sort("household_key").equals(full.sort("household_key"))
    said = next(r.getMessage() for r in caplog.records if "within the splits" in r.getMessage())
    within, computed = (int(n) for n in re.findall(r"(\d+) (?:carried within|computed)", said))
    assert within > 100 and computed > 50  # both ways were taken
    kept = con.sql("select split_hash from score_carry").pl()
    assert kept.height == x.shape[0] and kept["split_hash"].null_count() == 0
