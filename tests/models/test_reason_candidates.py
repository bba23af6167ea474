"""The reasons' candidates and rounding touch only the entries that can matter, and give what
sorting and rounding every entry gives (the dense reference below is the earlier code)."""

import numpy as np

from models.reasons import (
    CANDIDATE_REASONS,
    FALLBACK_OFFSET,
    MIN_PUSH,
    reason_candidates,
    rounded,
)


def dense_candidates(x: np.ndarray, push: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    positive = push > 0
    fallback = ~positive.any(axis=1, keepdims=True) & (np.nan_to_num(x) > 0)
    key = np.where(positive, push, np.where(fallback, push - FALLBACK_OFFSET, -np.inf))
    order = np.argsort(-key, axis=1, kind="stable")[:, :CANDIDATE_REASONS]
    rows = np.repeat(np.arange(x.shape[0]), order.shape[1])
    cols = order.ravel()
    kept = np.isfinite(key[rows, cols])
    return rows[kept], cols[kept]


def world(seed: int, n: int = 3_000, k: int = 30) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.choice([0.0, 1.0, 2.0, np.nan, 5.0], size=(n, k), p=[0.6, 0.2, 0.1, 0.05, 0.05])
    push = np.where(rng.random((n, k)) < 0.15, rng.normal(0, 0.05, (n, k)), 0.0)
    push[rng.random((n, k)) < 0.02] = 0.01  # ties within a row: column order decides
    push[: n // 10] = np.minimum(push[: n // 10], 0)  # rows with no positive push: fallback
    push[-5:] = 0.0
    x[-2:] = 0.0  # neither a push nor a present signal: no candidate
    return x, push


def test_candidates_are_the_first_of_each_rows_full_sort():
    for seed in range(5):
        x, push = world(seed)
        rows, cols = reason_candidates(x, push)
        want_rows, want_cols = dense_candidates(x, push)
        assert np.array_equal(rows, want_rows) and np.array_equal(cols, want_cols)
    assert rows.size and (np.bincount(rows) <= CANDIDATE_REASONS).all()


def test_rounding_only_the_pushes_gives_the_whole_matrix_rounded():
    _, push = world(7)
    push[0, :3] = [MIN_PUSH / 2, -MIN_PUSH / 2, 1e-10]
    want = np.round(push, 9)
    want[np.abs(want) < MIN_PUSH] = 0.0
    got = rounded(push.copy())
    assert np.array_equal(got, want) and (got[0, :3] == 0).all() and np.count_nonzero(got)
