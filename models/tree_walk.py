"""Every reason column's moved raw score of a boosted model in one walk per row and tree.

A push needs, for each reason column j, the model's raw score with j set to its typical value
(models/reasons.py). scikit-learn's predictor walked every tree splitting on j twice per column
(as is and moved), for every row: at 1M households that was most of the night's scoring. Here
each row walks each tree once; only where its path splits on a reason column whose value can
move is that column's walk taken again, from the first node splitting on it, and the change of
leaf added to the column's delta. Compiled with numba: a walk per row and tree in Python would
be far slower.

The decision rule is scikit-learn's `_predict_one_from_raw_data` for numeric splits (NaN goes
where the split sends missing values, else `value <= threshold` goes left). The deltas are the
same sums in another order: the raw scores agree to float rounding (about 1e-16), and the
pushes, rounded to 1e-9, are the same.
"""

from __future__ import annotations

import numpy as np
from numba import njit


class TreeArrays:
    """The nodes of a list of fitted tree predictors, concatenated (a leaf's feature is -1; the
    child a missing value goes to is its own array), and the reason `columns` (slot i of the
    deltas is column columns[i])."""

    def __init__(self, predictors: list, columns: list[int]) -> None:
        nodes = [trees[0].nodes for trees in predictors]
        sizes = np.array([len(n) for n in nodes], dtype=np.int64)
        self.roots = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
        every = np.concatenate(nodes)
        offset = np.repeat(self.roots, sizes)
        if every["is_categorical"].any():
            raise ValueError("categorical splits are not walked here")
        leaf = every["is_leaf"].astype(bool)
        self.feature = np.where(leaf, -1, every["feature_idx"]).astype(np.int32)
        self.threshold = every["num_threshold"].astype(np.float64)
        self.left = (every["left"].astype(np.int64) + offset).astype(np.int32)
        self.right = (every["right"].astype(np.int64) + offset).astype(np.int32)
        self.missing = np.where(every["missing_go_to_left"] == 1, self.left, self.right).astype(
            np.int32
        )
        self.value = every["value"].astype(np.float64)
        self.depth = int(every["depth"].max()) + 1
        self.columns = np.asarray(columns, dtype=np.int64)

    def deltas(
        self, x: np.ndarray, moved_values: np.ndarray, baseline: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """(raw, deltas): each row's raw score (`baseline` plus its leaves, added in the trees'
        order as scikit-learn adds them: the same floats) and, rows × slots, its change when
        that slot's column is set to `moved_values[j]`, where it can be a reason (a present
        value, > 0, not the moved one); 0 elsewhere."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        slot = np.full(x.shape[1], -1, dtype=np.int32)  # per feature, its slot (-1: none)
        slot[self.columns] = np.arange(self.columns.size, dtype=np.int32)
        return _deltas(
            x,
            np.asarray(moved_values, dtype=np.float64),
            self.feature,
            self.threshold,
            self.left,
            self.right,
            self.missing,
            self.value,
            self.roots,
            slot,
            self.columns.size,
            self.depth,
            baseline,
        )


@njit(cache=True, nogil=True)
def _deltas(
    x,
    moved_values,
    feature,
    threshold,
    left,
    right,
    missing,
    value,
    roots,
    slot,
    n_slots,
    depth,
    baseline,
):
    n = x.shape[0]
    raw = np.empty(n)
    delta = np.zeros((n, n_slots))
    path = np.empty(depth, dtype=np.int32)  # the distinct features of the row's path
    # per feature, the first node of the row's path splitting on it (-1: none)
    first = np.full(x.shape[1], -1, dtype=np.int32)
    for r in range(n):
        row = x[r]
        score = baseline
        for t in range(roots.shape[0]):
            node, steps = roots[t], 0
            f = feature[node]
            while f >= 0:
                if first[f] < 0:
                    first[f] = node
                    path[steps] = f
                    steps += 1
                # scikit-learn's rule for a numeric split, written out here (a call per step
                # costs more than the step): NaN compares neither way and goes where the split
                # sends missing values
                v = row[f]
                if v <= threshold[node]:
                    node = left[node]
                elif v > threshold[node]:
                    node = right[node]
                else:
                    node = missing[node]
                f = feature[node]
            here = value[node]
            score += here
            for d in range(steps):
                j = path[d]
                start = first[j]
                first[j] = -1
                s = slot[j]
                v = row[j]
                if s < 0 or not (v > 0 and v != moved_values[j]):
                    continue  # not a reason column, or not one for this row
                node = start  # the walk differs from here on
                f = feature[node]
                while f >= 0:
                    v = moved_values[j] if f == j else row[f]
                    if v <= threshold[node]:
                        node = left[node]
                    elif v > threshold[node]:
                        node = right[node]
                    else:
                        node = missing[node]
                    f = feature[node]
                delta[r, s] += value[node] - here
        raw[r] = score
    return raw, delta
