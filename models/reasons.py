"""Reasons faithful to the model: how much each feature pushes a household's probability up.

A feature's push is the drop in the model's probability when that one feature is set to its
typical value (its median over every household of the validation period). Only a present
signal (value > 0) can be a reason; an unknown value, from a stale feed, never is. Only features with a positive push and a catalog reason
text are reasons; the three strongest are shown, strongest first.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from features.catalog import reasons as catalog_reasons

MAX_REASONS = 3


def typical_values(x: np.ndarray) -> np.ndarray:
    """Per column, the median of the known values (0 where a column is never known)."""
    with np.errstate(all="ignore"):
        medians = np.nanmedian(np.where(np.isnan(x).all(axis=0), 0.0, x), axis=0)
    return np.nan_to_num(medians)


def pushes(model, x: np.ndarray, columns: list[int], typical: np.ndarray) -> np.ndarray:
    """Rows × `columns`: the probability minus the probability with that column at typical."""
    base = model.predict_proba(x)[:, 1]
    out = np.zeros((x.shape[0], len(columns)))
    for i, j in enumerate(columns):
        # only a present signal (> 0) away from its typical value can be a reason; an unknown
        # value (a stale feed) never is
        rows = np.flatnonzero((x[:, j] != typical[j]) & (x[:, j] > 0))
        if rows.size:
            moved = x[rows].copy()
            moved[:, j] = typical[j]
            out[rows, i] = base[rows] - model.predict_proba(moved)[:, 1]
    # sub-1e-9 pushes are float noise from row batching; ties then keep column order
    return np.round(out, 9)


def top_reasons(keys: list[str], x: np.ndarray, push: np.ndarray, names: list[str]) -> pl.DataFrame:
    """`household_key, reasons, reasons_ko, reasons_en`: the 3 strongest positive pushes."""
    texts = catalog_reasons()
    rows = []
    for i, key in enumerate(keys):
        order = [j for j in np.argsort(-push[i], kind="stable")[:MAX_REASONS] if push[i, j] > 0]
        shown = [(names[j], _value(x[i, j])) for j in order]
        rows.append(
            {
                "household_key": key,
                "reasons": [c for c, _ in shown],
                "reasons_ko": [texts[c].ko.replace("{v}", v) for c, v in shown],
                "reasons_en": [texts[c].en.replace("{v}", v) for c, v in shown],
            }
        )
    schema = {"household_key": pl.String} | {
        c: pl.List(pl.String) for c in ("reasons", "reasons_ko", "reasons_en")
    }
    return pl.DataFrame(rows, schema=schema)


def reason_features(names: list[str]) -> list[str]:
    """The model inputs that have a catalog reason text."""
    texts = catalog_reasons()
    return [n for n in names if n in texts]


def _value(v: float) -> str:
    """A feature value as shown in a reason text: whole, with thousands separators (38,490)."""
    return "" if np.isnan(v) else f"{round(float(v)):,}"
