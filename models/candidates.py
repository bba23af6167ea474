"""The candidate models: a visit model (logistic regression or gradient-boosted trees, each a
small grid) blended with one evidence model.

The visit model learns the visit results (labels only for visited households, most of them
picked by the old rules); the evidence model learns, over every listable household, whether a
referral or a livelihood or emergency benefit followed within the window (labels that need no
visit, so no selection by the rules). Averaged on the log-odds scale, the blend ranked the
listable households closer to the truth than either alone on worlds of three seeds (the model
card says by how much); EVIDENCE_WEIGHT is that average's weight.
"""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from features.catalog import features as catalog_features

GRID: dict[str, list[dict]] = {
    "logistic": [{"C": 0.01}, {"C": 0.1}, {"C": 1.0}],
    "boosted": [
        {"max_depth": 3, "learning_rate": 0.05, "max_iter": 200},
        {"max_depth": None, "max_leaf_nodes": 15, "learning_rate": 0.05, "max_iter": 300},
    ],
}


EVIDENCE = {"max_leaf_nodes": 15, "learning_rate": 0.05, "max_iter": 300}
EVIDENCE_WEIGHT = 0.5
# the feature that marks a household already supported: the two models learn from the listable
# households only (none of them supported), so for the supported ones they extrapolate; their
# own log-odds shift is learnt with the calibration, from the visits they had
SUPPORTED = "benefit_active"
MIN_SUPPORTED = 30  # labelled supported households needed to learn their shift


def feature_names() -> list[str]:
    """The model's inputs: every catalog feature, in catalog order."""
    return list(catalog_features())


def matrix(frame: pl.DataFrame, names: list[str]) -> np.ndarray:
    """The feature matrix (float, NULL → NaN) of `frame` in the order of `names`."""
    return frame.select(pl.col(n).cast(pl.Float64) for n in names).to_numpy()


class FillEmpty(TransformerMixin, BaseEstimator):
    """Columns never known in training (a feed not delivered yet) become 0; others keep NaN."""

    def fit(self, x, y=None):
        self.empty_ = np.isnan(x).all(axis=0)
        return self

    def transform(self, x):
        x = np.array(x, dtype=float, copy=True)
        x[:, self.empty_] = 0.0
        return x


def estimator(kind: str, params: dict, seed: int):
    """An unfitted candidate: LR behind median imputation and scaling, or HGB (native NaN)."""
    if kind == "logistic":
        return make_pipeline(
            SimpleImputer(strategy="median", keep_empty_features=True),
            StandardScaler(),
            LogisticRegression(max_iter=2000, random_state=seed, **params),
        )
    if kind == "boosted":
        return make_pipeline(
            FillEmpty(),
            HistGradientBoostingClassifier(random_state=seed, early_stopping=False, **params),
        )
    raise ValueError(f"unknown candidate kind {kind!r}: expected one of {', '.join(GRID)}")


def fit(kind: str, params: dict, x: np.ndarray, y: np.ndarray, w: np.ndarray, seed: int):
    """A fitted candidate on the training rows, weighted."""
    model = estimator(kind, params, seed)
    return model.fit(x, y, **{f"{model.steps[-1][0]}__sample_weight": w})


def supported_column() -> int:
    """The column of SUPPORTED in the model's matrix."""
    return feature_names().index(SUPPORTED)


def supported(x: np.ndarray) -> np.ndarray:
    """1.0 where the household is already supported (an active benefit), else 0.0."""
    return (np.nan_to_num(x[:, supported_column()]) > 0).astype(float)


class Blend(ClassifierMixin, BaseEstimator):
    """The visit model and the evidence model, averaged on the log-odds scale (fitted parts),
    plus `supported_shift` on the log-odds of a household already supported (0 until
    `fit_supported_shift`): neither model saw one, so the shift is learnt from their visits.
    The listable households have no benefit: their ranking does not depend on it."""

    def __init__(
        self,
        visit=None,
        evidence=None,
        weight: float = EVIDENCE_WEIGHT,
        supported_shift: float = 0.0,
    ) -> None:
        self.visit, self.evidence, self.weight = visit, evidence, weight
        self.supported_shift = supported_shift

    @property
    def classes_(self) -> np.ndarray:
        return np.array([0, 1])

    def __setstate__(self, state: dict) -> None:
        """A Blend pickled before `supported_shift` existed loads with no shift."""
        super().__setstate__({"supported_shift": 0.0, **state})

    def fit(self, x=None, y=None, **fit_params):
        """Nothing: the two parts come fitted (models.train fits them on different rows)."""
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return self.visit is not None and self.evidence is not None

    def decision_function(self, x: np.ndarray, evidence: np.ndarray | None = None) -> np.ndarray:
        """The blended log-odds; `evidence`: the evidence model's probabilities of `x`, if
        already known (the candidates share one evidence model)."""
        if evidence is None:
            evidence = self.evidence.predict_proba(x)[:, 1]
        return self.combine(self.visit.predict_proba(x)[:, 1], evidence, x)

    def combine(self, visit: np.ndarray, evidence: np.ndarray, x: np.ndarray) -> np.ndarray:
        """The blended log-odds of rows `x` from its two models' probabilities of them."""
        shift = getattr(self, "supported_shift", 0.0)  # a model saved before the shift: none
        return self.combine_flags(visit, evidence, supported(x) if shift else None)

    def combine_flags(
        self, visit: np.ndarray, evidence: np.ndarray, flags: np.ndarray | None
    ) -> np.ndarray:
        """`combine` given the rows' `supported` flags instead of the rows themselves."""
        parts = (visit, evidence)
        logits = [np.log(np.clip(p, 1e-9, 1 - 1e-9) / np.clip(1 - p, 1e-9, 1)) for p in parts]
        blended = (1 - self.weight) * logits[0] + self.weight * logits[1]
        shift = getattr(self, "supported_shift", 0.0)
        return blended + shift * flags if shift else blended

    def predict_proba(self, x: np.ndarray, evidence: np.ndarray | None = None) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-self.decision_function(x, evidence)))
        return np.column_stack([1 - p, p])

    def predict(self, x: np.ndarray) -> np.ndarray:
        return (self.decision_function(x) > 0).astype(int)


def fit_supported_shift(model: Blend, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Set `model.supported_shift` from labelled rows (supported households among them): a
    logistic regression of the label on the blend's log-odds and the supported flag; the shift
    is the flag's coefficient over the log-odds' one. 0 when the rows hold too few supported
    households (or none unsupported) to learn it."""
    model.supported_shift = 0.0
    flag = supported(x)
    if min(flag.sum(), (1 - flag).sum()) < MIN_SUPPORTED or len(np.unique(y)) < 2:
        return 0.0
    z = model.decision_function(x)
    fitted = LogisticRegression(C=1e6, max_iter=1000).fit(np.column_stack([z, flag]), y, w)
    slope, shift = fitted.coef_[0]
    model.supported_shift = float(shift / slope) if slope > 0 else 0.0
    return model.supported_shift


def calibrate(model, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> CalibratedClassifierCV:
    """Platt scaling of a fitted model on the validation rows (monotone: the ranking stays)."""
    calibrated = CalibratedClassifierCV(FrozenEstimator(model), method="sigmoid")
    with warnings.catch_warnings():
        # the weights are meant for the calibration only: the frozen model is not refitted
        warnings.filterwarnings("ignore", message="Since FrozenEstimator")
        return calibrated.fit(x, y, sample_weight=w)


def exploration_weights(exploration: np.ndarray) -> np.ndarray:
    """Row weights: the random share weighs as much in total as the rule-selected rows."""
    explored = int(exploration.sum())
    if explored == 0 or explored == len(exploration):
        return np.ones(len(exploration))
    return np.where(exploration, (len(exploration) - explored) / explored, 1.0)
