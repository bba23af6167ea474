"""Reasons faithful to the model: how much each feature pushes a household's probability up.

A feature's push is the drop in the model's probability when that one feature is set to its
typical value (its median over every household of the validation period). Only a present
signal (value > 0) can be a reason; an unknown value, from a stale feed, never is. Only features with a positive push and a catalog reason
text are reasons; the three strongest are shown, strongest first.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl
from scipy.special import expit

from features.catalog import reasons as catalog_reasons
from models.candidates import Blend, FillEmpty, supported, supported_column
from models.reason_texts import reason_lists
from models.tree_walk import TreeArrays

# bumped when the way reasons are chosen changes: carried scores are then scored again
REASONS_VERSION = 4  # not bumped by the Blend fast path: same pushes
# pushes looked at per household, so that MAX_REASONS distinct texts remain after duplicates
CANDIDATE_REASONS = 8
MIN_PUSH = 1e-6
FALLBACK_OFFSET = 1e3  # below any positive push (probabilities move by at most 1)


def typical_values(x: np.ndarray) -> np.ndarray:
    """Per column, the median of the known values (0 where a column is never known)."""
    with np.errstate(all="ignore"):
        medians = np.nanmedian(np.where(np.isnan(x).all(axis=0), 0.0, x), axis=0)
    return np.nan_to_num(medians)


ROWS_PER_WALK = 16_384  # rows walked at a time: a slice is several blocks, so both walkers work
WALKERS = 2  # threads walking blocks of rows (the machine's two cores)


def scores_and_pushes(
    model, x: np.ndarray, columns: list[int], typical: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(probability per row, pushes): the model is run over every row once, not twice.

    Only a present signal (> 0) away from its typical value can be a reason; an unknown value
    (a stale feed) never is. A boosted model's moved scores come from one walk of its trees per
    row (models/tree_walk.py), a block of rows at a time; another model predicts the moved rows.
    Moved rows stay column-major like `x` (a row-major copy made scikit-learn's tree predictor
    five times slower)."""
    trees = BoostedTrees.of(model)
    out = np.zeros((x.shape[0], len(columns)))
    if trees is None:
        base = model.predict_proba(x)[:, 1]
        for i, j in enumerate(columns):
            at = np.flatnonzero((x[:, j] != typical[j]) & (x[:, j] > 0))
            moved = np.asfortranarray(x[at])
            moved[:, j] = typical[j]
            out[at, i] = base[at] - model.predict_proba(moved)[:, 1] if at.size else 0.0
        return base, rounded(out)
    base = np.zeros(x.shape[0])
    starts = range(0, x.shape[0], ROWS_PER_WALK)
    for start, walked in zip(starts, walks(trees, x, starts, columns, typical), strict=True):
        block = slice(start, start + ROWS_PER_WALK)
        raw, deltas = [r for r, _ in walked], [d for _, d in walked]
        base[block] = trees.probability(raw, x[block])
        for i, j in enumerate(columns):
            rows = np.flatnonzero((x[block, j] != typical[j]) & (x[block, j] > 0))
            if rows.size == 0 or not trees.uses(j):
                continue  # a column no tree splits on cannot move the probability
            at = start + rows
            rows_raw = [r[rows] for r in raw]
            if trees.all_walked(deltas):
                # no part predicts the moved rows: their raw scores are walked, and the blend
                # reads one column of them (whether supported), so no copy of their rows
                flags = None if trees.blend is None else moved_supported(x, at, j, typical[j])
                pushed = trees.walked_probability(rows_raw, deltas, rows, i, flags)
            else:
                moved = np.asfortranarray(x[at])
                moved[:, j] = typical[j]
                pushed = trees.moved_probability(x[at], moved, rows_raw, j, deltas, rows, i)
            out[at, i] = base[at] - pushed
    return base, rounded(out)


def moved_supported(x: np.ndarray, at: np.ndarray, column: int, value: float) -> np.ndarray:
    """`supported` of rows `at` of `x` with `column` moved to `value`, without copying them."""
    flags_column = supported_column()
    if column == flags_column:
        return np.full(at.size, float(np.nan_to_num(value) > 0))
    return (np.nan_to_num(x[at, flags_column]) > 0).astype(float)


def rounded(out: np.ndarray) -> np.ndarray:
    """Pushes rounded to 1e-9, those below MIN_PUSH read as none."""
    # sub-1e-9 pushes are float noise from row batching (ties then keep column order), and a
    # push below a millionth of probability is no reason to show: both read as none, so that a
    # partition of the rows (Dask) gives the same reasons as the whole. Most pushes are 0 (a
    # signal absent or typical): only the others are rounded.
    flat = out.reshape(-1)
    at = np.flatnonzero(flat)
    pushed = np.round(flat[at], 9)
    pushed[np.abs(pushed) < MIN_PUSH] = 0.0
    flat[at] = pushed
    return out


def walks(trees, x: np.ndarray, starts: range, columns: list[int], typical: np.ndarray):
    """Each block's parts, walked (`BoostedTrees.walk`), in order. The walks run in WALKERS
    threads (the compiled walk releases the GIL), at most WALKERS blocks ahead of the caller,
    so that both cores walk while the caller uses a walked block."""
    with ThreadPoolExecutor(WALKERS) as pool:
        pending: deque = deque()
        for start in starts:
            block = x[start : start + ROWS_PER_WALK]
            pending.append(pool.submit(trees.walk, block, columns, typical))
            if len(pending) > WALKERS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


class Trees:
    """One fitted pipeline ending in binary gradient-boosted trees, seen tree by tree: moving
    one column changes only the trees that split on it (about a seventh of them)."""

    def __init__(self, preprocess, boosted) -> None:
        self.preprocess, self.boosted = preprocess, boosted
        self.by_column: dict[int, list] = {}
        for trees in boosted._predictors:
            nodes = trees[0].nodes
            for j in set(nodes["feature_idx"][nodes["is_leaf"] == 0].tolist()):
                self.by_column.setdefault(j, []).append(trees)

    @classmethod
    def of(cls, pipeline) -> Trees | None:
        """The pipeline's trees, or None when it is another kind of model (or a scikit-learn
        without these internals)."""
        steps = getattr(pipeline, "steps", None)
        boosted = steps[-1][1] if steps else None
        private = ("_predictors", "_predict_iterations", "_preprocess_X", "_baseline_prediction")
        if (
            getattr(boosted, "n_trees_per_iteration_", None) != 1
            or not all(hasattr(boosted, name) for name in private)
            or not all(hasattr(step, "transform") for _, step in steps[:-1])
        ):
            return None
        return cls(pipeline[:-1], boosted)

    def uses(self, column: int) -> bool:
        """Whether some tree splits on `column`."""
        return column in self.by_column

    def walk(self, x: np.ndarray, columns: list[int], typical: np.ndarray):
        """(raw score, changes): the raw score of rows `x` (the same floats as `raw`) and,
        rows × `columns`, its change when each column moves to its typical value where it can
        be a reason (models/tree_walk.py); changes None when the preprocessing is not column by
        column (then `moved_raw` predicts)."""
        if not all(isinstance(step, FillEmpty) for _, step in self.preprocess.steps):
            return self.raw(x), None
        key = tuple(columns)
        if getattr(self, "_walk_key", None) != key:
            self._walk, self._walk_key = TreeArrays(self.boosted._predictors, columns), key
        moved_values = self.preprocess.transform(np.asarray(typical, dtype=float)[None, :])[0]
        baseline = float(self.boosted._baseline_prediction.ravel()[0])
        return self._walk.deltas(self.preprocess.transform(x), moved_values, baseline)

    def raw(self, x: np.ndarray, trees: list | None = None) -> np.ndarray:
        """The raw score of `x` from `trees` (default: all, plus the baseline)."""
        from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

        boosted = self.boosted
        data = boosted._preprocess_X(self.preprocess.transform(x), reset=False)
        out = np.zeros((data.shape[0], 1), dtype=boosted._baseline_prediction.dtype)
        if trees is None:
            out += boosted._baseline_prediction
        threads = _openmp_effective_n_threads()
        boosted._predict_iterations(data, trees or boosted._predictors, out, False, threads)
        return out[:, 0]

    def moved_raw(
        self, x: np.ndarray, moved: np.ndarray, raw: np.ndarray, column: int, walked=None
    ):
        """The raw score of `moved` (`x`, of raw score `raw`, with `column` changed);
        `walked`: this part's walked change of those rows' raw score, if walked."""
        if not self.uses(column):
            return raw
        if walked is not None:
            return raw + walked
        trees = self.by_column[column]
        return raw + self.raw(moved, trees) - self.raw(x, trees)


class BoostedTrees:
    """A calibrated champion seen part by part, so that a push needs only the trees that split
    on the moved column, then the calibration: either one boosted pipeline (its raw score is
    what the calibration reads) or a Blend whose parts are boosted pipelines or other models
    (each part's probability of the moved rows, then the Blend's log-odds). Same pushes as
    predicting the whole model twice, to float rounding; the same probabilities exactly."""

    def __init__(self, calibrator, parts: list, blend: Blend | None = None) -> None:
        self.calibrator, self.parts, self.blend = calibrator, parts, blend

    @classmethod
    def of(cls, model) -> BoostedTrees | None:
        """The model's parts, or None when it is not one calibrated binary boosted pipeline or
        Blend (or a scikit-learn without these internals)."""
        calibrated = getattr(model, "calibrated_classifiers_", None)
        if not calibrated or len(calibrated) != 1 or len(calibrated[0].calibrators) != 1:
            return None
        inner = getattr(calibrated[0].estimator, "estimator", calibrated[0].estimator)
        calibrator = calibrated[0].calibrators[0]
        if isinstance(inner, Blend):
            parts = [Trees.of(part) or part for part in (inner.visit, inner.evidence)]
            return cls(calibrator, parts, inner)
        trees = Trees.of(inner)
        return cls(calibrator, [trees]) if trees is not None else None

    def uses(self, column: int) -> bool:
        """Whether moving `column` can change the probability."""
        if self.blend is None:
            return self.parts[0].uses(column)
        return column == supported_column() or any(
            not isinstance(part, Trees) or part.uses(column) for part in self.parts
        )

    def walk(self, x: np.ndarray, columns: list[int], typical: np.ndarray) -> list:
        """Each part's (raw score or probability, changes) of rows `x`: a boosted part walked
        (`Trees.walk`), another model's probability with no changes (None)."""
        return [
            part.walk(x, columns, typical)
            if isinstance(part, Trees)
            else (part.predict_proba(x)[:, 1], None)
            for part in self.parts
        ]

    def raw(self, x: np.ndarray) -> list[np.ndarray]:
        """Each part's raw score of `x` (a boosted part) or probability (another model)."""
        return [
            part.raw(x) if isinstance(part, Trees) else part.predict_proba(x)[:, 1]
            for part in self.parts
        ]

    def probability(self, raw: list[np.ndarray], x: np.ndarray) -> np.ndarray:
        """The calibrated probability of rows `x` whose parts read `raw`, as the model's
        predict_proba gives it."""
        return self.calibrated(raw, None if self.blend is None else supported(x))

    def calibrated(self, raw: list[np.ndarray], flags: np.ndarray | None) -> np.ndarray:
        """`probability` of rows whose parts read `raw` and whose `supported` flags (read only
        by a Blend) are `flags`."""
        if self.blend is None:
            decision = raw[0]
        else:
            p = [
                expit(r) if isinstance(t, Trees) else r
                for t, r in zip(self.parts, raw, strict=True)
            ]
            decision = self.blend.combine_flags(p[0], p[1], flags)
        p = self.calibrator.predict(decision)
        return np.where((p > 1.0) & (p <= 1.0 + 1e-5), 1.0, p)

    def all_walked(self, walked: list) -> bool:
        """Whether every part of a block was walked (boosted, changes known for each column)."""
        return all(
            isinstance(part, Trees) and w is not None
            for part, w in zip(self.parts, walked, strict=True)
        )

    def walked_probability(
        self, raw: list[np.ndarray], walked: list, rows: np.ndarray, slot: int, flags
    ) -> np.ndarray:
        """`moved_probability` when `all_walked`: each part's raw score of `rows` plus its walked
        change in the column's `slot` (0 where the part's trees do not split on the column), and
        the moved rows' `supported` flags."""
        changed = [r + w[rows, slot] for r, w in zip(raw, walked, strict=True)]
        return self.calibrated(changed, flags)

    def moved_probability(
        self,
        x: np.ndarray,
        moved: np.ndarray,
        raw: list[np.ndarray],
        column: int,
        walked: list | None = None,
        rows: np.ndarray | None = None,
        slot: int = 0,
    ) -> np.ndarray:
        """The probability of `moved` (`x`, whose parts read `raw`, with `column` changed);
        `walked` (from `walk`), its `rows` and the column's `slot` in it, if walked."""
        walked = walked or [None] * len(self.parts)
        changed = [
            part.moved_raw(x, moved, r, column, _rows_of(w, rows, slot))
            if isinstance(part, Trees)
            else part.predict_proba(moved)[:, 1]
            for part, r, w in zip(self.parts, raw, walked, strict=True)
        ]
        return self.probability(changed, moved)


def _rows_of(walked, rows, slot: int):
    """The walked changes of `rows` in column `slot` (None when not walked)."""
    if walked is None:
        return None
    return walked[rows, slot]


def top_reasons(keys: list[str], x: np.ndarray, push: np.ndarray, names: list[str]) -> pl.DataFrame:
    """`household_key, reasons, reasons_ko, reasons_en`: the strongest positive pushes whose
    texts differ (models/reason_texts.py fills and counts them, and gives a household with none
    the combined reason).

    Vectorised over the candidates only (`reason_candidates`): a row loop took tens of seconds
    at 1M households, and sorting every row's every column 0.5 s at 200k."""
    rows, cols = reason_candidates(x, push)
    code = pl.Series("code", names, dtype=pl.String)
    chosen = pl.DataFrame(
        {"row": rows, "code": code.gather(cols), "value": x[rows, cols]},
        schema={"row": pl.Int64, "code": pl.String, "value": pl.Float64},
    )
    every = pl.DataFrame(
        {"row": np.arange(len(keys)), "household_key": pl.Series(keys, dtype=pl.String)}
    )
    return reason_lists(chosen, "row", every).drop("row")


def reason_candidates(x: np.ndarray, push: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of each row's first CANDIDATE_REASONS reasons, by row, then in the order
    reasons are taken (ties by column): the positive pushes, strongest first; a household with
    none (its risk comes from signals without a reason text, or from several together) shows
    its present signals instead, least pulled down first, so that a listed household always
    says what was seen. Only those few entries of rows x columns are sorted."""
    positive = push > 0
    rows, cols = np.nonzero(positive)
    key = push[rows, cols]
    none = np.flatnonzero(~positive.any(axis=1))
    fallback_rows, fallback_cols = np.nonzero(x[none] > 0)
    fallback_rows = none[fallback_rows]
    rows = np.concatenate([rows, fallback_rows])
    cols = np.concatenate([cols, fallback_cols])
    key = np.concatenate([key, push[fallback_rows, fallback_cols] - FALLBACK_OFFSET])
    finite = np.isfinite(key)
    rows, cols, key = rows[finite], cols[finite], key[finite]
    order = np.lexsort((cols, -key, rows))
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, rows, side="left")  # rows sorted: each row's first entry
    kept = np.arange(rows.size) - first < CANDIDATE_REASONS
    return rows[kept], cols[kept]


def reason_features(names: list[str]) -> list[str]:
    """The model inputs that have a catalog reason text."""
    texts = catalog_reasons()
    return [n for n in names if n in texts]
