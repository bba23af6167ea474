"""Which households' scores cannot have moved although their inputs did: the split signature.

A boosted model reads an input only through its trees' splits (`value <= threshold`, missing
values sent one way) and the reasons read it only through `> 0` and `== typical`. So two rows
that fall on the same side of every split of every tree, and agree on those two tests, get the
same probability, the same pushes and so the same reason codes; only the values the reason
texts show can differ ("위기 제보 44일 경과" the next day reads 45). Each night ~150,000 of 1M
households have a day-counting input move by a day, and two in three of them cross no split.

`split_hash` hashes, per household, each input's position among the model's thresholds with
those two tests; for the inputs whose reason text reads like another input's (two windows of
one signal), also the value shown, so that reasons made unlike or alike by a value (models/
reason_texts.py keeps one of two equal texts) keep what they were. Models that are not all
walkable trees have no signature (None): every household whose inputs moved is scored again.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import polars as pl

from features.catalog import reasons as catalog_reasons
from models.candidates import matrix
from models.reasons import BoostedTrees, Trees

NO_SPLITS = np.array([])


def split_points(model) -> dict[int, np.ndarray] | None:
    """Per input column, the sorted thresholds of every tree of every part; None when the model
    is not made of walkable boosted trees only."""
    trees = BoostedTrees.of(model)
    if trees is None or not all(isinstance(part, Trees) for part in trees.parts):
        return None
    points: dict[int, set] = {}
    for part in trees.parts:
        for predictors in part.boosted._predictors:
            nodes = predictors[0].nodes
            if nodes["is_categorical"].any():
                return None
            split = nodes["is_leaf"] == 0
            for j, t in zip(
                nodes["feature_idx"][split].tolist(),
                nodes["num_threshold"][split].tolist(),
                strict=True,
            ):
                points.setdefault(j, set()).add(t)
    return {j: np.array(sorted(values)) for j, values in points.items()}


def alike_texts(names: list[str]) -> set[int]:
    """The input columns whose Korean reason text reads like another input's."""
    texts = catalog_reasons()
    ko = {name: texts[name].ko for name in names if name in texts}
    counts = Counter(ko.values())
    return {names.index(name) for name, text in ko.items() if counts[text] > 1}


def split_hash(features: pl.DataFrame, meta: dict, points: dict[int, np.ndarray]) -> pl.Series:
    """Per household of `features`, a 64-bit hash of its split signature (see the module)."""
    return matrix_split_hash(matrix(features, meta["features"]), meta, points)


def matrix_split_hash(x: np.ndarray, meta: dict, points: dict[int, np.ndarray]) -> pl.Series:
    """`split_hash` of the rows of `x`, the model's input matrix."""
    names = meta["features"]
    typical = np.asarray(meta["typical_values"], dtype=float)
    shown = alike_texts(names)
    columns = {}
    for j in range(x.shape[1]):
        v = x[:, j]
        side = np.searchsorted(points.get(j, NO_SPLITS), v, side="left")
        code = (side * 2 + (v > 0)) * 2 + (v == typical[j])
        columns[f"s{j}"] = np.where(np.isnan(v), -1, code).astype(np.int64)
        if j in shown:
            columns[f"v{j}"] = np.where(np.isnan(v), -1.0, np.round(v))
    return pl.DataFrame(columns).hash_rows(seed=0).alias("split_hash")
