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
    """`household_key, reasons, reasons_ko, reasons_en`: the 3 strongest positive pushes.

    Vectorised (one argsort for all rows, texts filled in per distinct value): a row loop
    took tens of seconds at 1M households."""
    texts = catalog_reasons()
    n, k = push.shape
    order = np.argsort(-push, axis=1, kind="stable")[:, : min(MAX_REASONS, k)]
    rows = np.repeat(np.arange(n), order.shape[1])
    cols = order.ravel()
    kept = push[rows, cols] > 0
    rows, cols = rows[kept], cols[kept]
    values = x[rows, cols]
    shown = {v: _value(v) for v in np.unique(np.round(values[~np.isnan(values)]))}
    value_text = [shown.get(v, "") for v in np.round(values).tolist()]
    code = [names[j] for j in cols.tolist()]
    long = pl.DataFrame(
        {
            "row": rows,
            "code": code,
            "ko": [texts[c].ko for c in code],
            "en": [texts[c].en for c in code],
            "v": value_text,
        },
        schema={
            "row": pl.Int64,
            "code": pl.String,
            "ko": pl.String,
            "en": pl.String,
            "v": pl.String,
        },
    )
    listed = long.group_by("row", maintain_order=True).agg(
        pl.col("code").alias("reasons"),
        pl.col("ko").str.replace_all("{v}", pl.col("v"), literal=True).alias("reasons_ko"),
        pl.col("en").str.replace_all("{v}", pl.col("v"), literal=True).alias("reasons_en"),
    )
    every = pl.DataFrame({"row": np.arange(n), "household_key": pl.Series(keys, dtype=pl.String)})
    empty = pl.lit([], dtype=pl.List(pl.String))
    return every.join(listed, on="row", how="left", maintain_order="left").select(
        "household_key",
        *(pl.col(c).fill_null(empty) for c in ("reasons", "reasons_ko", "reasons_en")),
    )


def reason_features(names: list[str]) -> list[str]:
    """The model inputs that have a catalog reason text."""
    texts = catalog_reasons()
    return [n for n in names if n in texts]


def _value(v: float) -> str:
    """A feature value as shown in a reason text: whole, with thousands separators (38,490)."""
    return "" if np.isnan(v) else f"{round(float(v)):,}"
