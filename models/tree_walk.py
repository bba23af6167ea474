"""Every reason column's moved raw score of a boosted model in one walk per row and tree.

A push needs, for each reason column j, the model's raw score with j set to its typical value
(models/reasons.py). scikit-learn's predictor walked every tree splitting on j twice per column
(as is and moved), for every row: at 1M households that was most of the night's scoring. Here
each row walks each tree once. At each node of its path that splits on a column that can be a
reason for the row, the walk also asks where the moved value would go; the first node where it
goes elsewhere is where the moved walk leaves the path, and only from there is it walked (to
its leaf), the change of leaf added to the column's delta. A column whose moved value goes the
row's way at every node of the path changes nothing in that tree, and is not walked again (most
re-walks were such: two thirds of the walking time). Compiled with numba: a walk per row and
tree in Python would be far slower.

The decision rule is scikit-learn's `_predict_one_from_raw_data` for numeric splits (NaN goes
where the split sends missing values, else `value <= threshold` goes left). The deltas are the
same sums in another order: the raw scores agree to float rounding (about 1e-16), and the
pushes, rounded to 1e-9, are the same.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# columns of TreeArrays.links, one row per node: a node's split and children side by side, so
# that a step reads one cache line, not one per array
FEATURE, LEFT, RIGHT, MISSING = range(4)


class TreeArrays:
    """The nodes of a list of fitted tree predictors, concatenated: `links` (per node: feature,
    -1 at a leaf; left, right and missing-value child) and `numbers` (per node: threshold, leaf
    value); the reason `columns` (slot i of the deltas is column columns[i])."""

    def __init__(self, predictors: list, columns: list[int]) -> None:
        nodes = [trees[0].nodes for trees in predictors]
        sizes = np.array([len(n) for n in nodes], dtype=np.int64)
        self.roots = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
        every = np.concatenate(nodes)
        offset = np.repeat(self.roots, sizes)
        if every["is_categorical"].any():
            raise ValueError("categorical splits are not walked here")
        leaf = every["is_leaf"].astype(bool)
        left = every["left"].astype(np.int64) + offset
        right = every["right"].astype(np.int64) + offset
        missing = np.where(every["missing_go_to_left"] == 1, left, right)
        feature = np.where(leaf, -1, every["feature_idx"])
        self.links = np.stack([feature, left, right, missing], axis=1).astype(np.int32)
        self.numbers = np.stack([every["num_threshold"], every["value"]], axis=1).astype(np.float64)
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
            self.links,
            self.numbers,
            self.roots,
            slot,
            self.columns.size,
            self.depth,
            baseline,
        )


@njit(cache=True, nogil=True, inline="always")
def _child(links, node, value, threshold):
    """scikit-learn's rule for a numeric split: NaN compares neither way and goes where the
    split sends missing values."""
    if value <= threshold:
        return links[node, LEFT]
    if value > threshold:
        return links[node, RIGHT]
    return links[node, MISSING]


@njit(cache=True, nogil=True)
def _deltas(x, moved_values, links, numbers, roots, slot, n_slots, depth, baseline):
    n, width = x.shape
    raw = np.empty(n)
    delta = np.zeros((n, n_slots))
    leaving = np.empty(depth, dtype=np.int32)  # the columns whose moved walk leaves the path
    # per column, the node its moved walk goes to where it first leaves the path (-1: none)
    away = np.full(width, -1, dtype=np.int32)
    movable = np.zeros(width, dtype=np.bool_)  # per column, whether it can be a reason here
    for r in range(n):
        row = x[r]
        for j in range(width):
            v = row[j]
            movable[j] = slot[j] >= 0 and v > 0 and v != moved_values[j]
        score = baseline
        for t in range(roots.shape[0]):
            node, steps = roots[t], 0
            f = links[node, FEATURE]
            while f >= 0:
                threshold = numbers[node, 0]
                nxt = _child(links, node, row[f], threshold)
                if movable[f] and away[f] < 0:
                    other = _child(links, node, moved_values[f], threshold)
                    if other != nxt:
                        away[f] = other
                        leaving[steps] = f
                        steps += 1
                node = nxt
                f = links[node, FEATURE]
            here = numbers[node, 1]
            score += here
            for d in range(steps):
                j = leaving[d]
                node = away[j]
                away[j] = -1
                f = links[node, FEATURE]
                while f >= 0:
                    v = moved_values[j] if f == j else row[f]
                    node = _child(links, node, v, numbers[node, 0])
                    f = links[node, FEATURE]
                delta[r, slot[j]] += numbers[node, 1] - here
        raw[r] = score
    return raw, delta
