"""Precision and recall at capacity over labelled rows; calibration error."""

from datetime import date

import numpy as np
import polars as pl

from models.metrics import evaluate, expected_calibration_error, list_size, top_k

D = date(2026, 6, 1)


def scored(scores, labels, exploration=None):
    n = len(scores)
    return pl.DataFrame(
        {
            "as_of": [D] * n,
            "score": scores,
            "label": labels,
            "exploration": exploration or [False] * n,
        },
        schema_overrides={"label": pl.Int32},
    )


def test_precision_at_capacity_ignores_unlabelled_rows_in_the_list():
    # 10 households, capacity 2: the top two are listed; one has no label
    frame = scored([0.9, 0.8, 0.7, *[0.1] * 7], [1, None, 0, 1, *[None] * 6])
    metrics = evaluate(frame, capacity=2)
    assert metrics["listed"] == 2 and metrics["labelled_in_list"] == 1
    assert metrics["precision_at_capacity"] == 1.0
    assert metrics["recall_at_capacity"] == 0.5


def test_a_list_never_takes_more_than_a_fifth_of_the_households():
    assert list_size(2900, 20_000) == 2900 and list_size(2900, 800) == 160
    frame = scored([float(i) for i in range(10)], [None] * 10)
    assert top_k(frame, capacity=100)["selected"].sum() == 2


def test_calibration_error_is_zero_when_rates_match_and_large_when_not():
    y = np.array([1, 0, 0, 0, 1, 0, 0, 0, 0, 0])
    assert expected_calibration_error(y, np.full(10, 0.2)) < 1e-12
    assert abs(expected_calibration_error(y, np.full(10, 0.9)) - 0.7) < 1e-12
