"""Reason texts: the one filler of `reasons`, `reasons_ko` and `reasons_en`, for every scorer.

A scorer chooses a household's reasons (a code and its value, strongest first); the texts are
the catalog's templates with `{v}` the value, whole, with thousands separators ("38,490"). A
household the scorer found no reason for reads COMBINED, so that a listed row always has one.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from features.catalog import Reason
from features.catalog import reasons as catalog_reasons

MAX_REASONS = 3
# the reason of a household with no signal to name (every value typical or missing): its risk
# comes from reading several facts together, and the list still says so
COMBINED = Reason(
    "combined", "여러 정보를 함께 본 위험 점수", "risk read from several facts together"
)


def value_text(v: float) -> str:
    """A value as shown in a reason text: whole, with thousands separators (38,490)."""
    return "" if np.isnan(v) else f"{round(float(v)):,}"


def reason_lists(chosen: pl.DataFrame, key: str, every: pl.DataFrame | None = None) -> pl.DataFrame:
    """`every` (default: the keys of `chosen`, in order of first appearance) with `reasons`,
    `reasons_ko` and `reasons_en`: from rows `key, code, value` (strongest first within each
    key), the first MAX_REASONS whose Korean texts differ (two windows of one signal can read
    alike: "수도요금 체납액 27,820원" once); a key with none reads COMBINED."""
    filled = reason_rows(chosen, key)
    distinct = filled.unique([key, "ko"], keep="first", maintain_order=True)
    listed = distinct.group_by(key, maintain_order=True).agg(
        pl.col("code").head(MAX_REASONS).alias("reasons"),
        pl.col("ko").head(MAX_REASONS).alias("reasons_ko"),
        pl.col("en").head(MAX_REASONS).alias("reasons_en"),
    )
    if every is None:
        return listed
    fallback = {"reasons": COMBINED.code, "reasons_ko": COMBINED.ko, "reasons_en": COMBINED.en}
    return every.join(listed, on=key, how="left", maintain_order="left").with_columns(
        pl.col(c).fill_null(pl.lit([text], dtype=pl.List(pl.String)))
        for c, text in fallback.items()
    )


def reason_rows(chosen: pl.DataFrame, key: str) -> pl.DataFrame:
    """`key, code, v, ko, en`: each chosen reason with its value shown and its texts filled."""
    texts = catalog_reasons()
    rounded = np.round(chosen["value"].cast(pl.Float64).fill_null(np.nan).to_numpy())
    known = ~np.isnan(rounded)
    unique = np.unique(rounded[known])  # each value's text made once, then gathered
    shown = pl.Series("v", [value_text(v) for v in unique.tolist()] + [""], dtype=pl.String)
    value = shown.gather(
        np.where(known, np.searchsorted(unique, np.where(known, rounded, 0)), unique.size)
    )
    return chosen.select(key, "code", value).with_columns(
        *(
            pl.col("code")
            .replace_strict({c: getattr(r, lang) for c, r in texts.items()}, return_dtype=pl.String)
            .str.replace_all("{v}", pl.col("v"), literal=True)
            .alias(lang)
            for lang in ("ko", "en")
        )
    )


def reason_templates(shown: str = "N") -> pl.DataFrame:
    """`code, ko, en`: every catalog reason and COMBINED, the value shown as `shown`
    ("전기요금 N개월 체납"): the texts a report names without a household's value."""
    texts = [*catalog_reasons().values(), COMBINED]
    return pl.DataFrame(
        {
            "code": [r.code for r in texts],
            "ko": [r.ko.replace("{v}", shown) for r in texts],
            "en": [r.en.replace("{v}", shown) for r in texts],
        },
        schema={"code": pl.String, "ko": pl.String, "en": pl.String},
    )
