"""The fairness audit, by Aequitas's definitions, at a rank_abs threshold = capacity.

Per attribute value (city, head's age band, household type, head's sex, disability), over the
labelled households of the validation period: group size, PPR (the group's share of everyone
selected), PPREV (the share of the group selected), precision, FDR, FOR, FPR, FNR, TPR; each
metric's disparity = group metric / the largest group's metric; and calibration (mean score vs
observed rate). A group is flagged when it has at least MIN_FLAG_GROUP labelled members and
any disparity lies outside [0.8, 1.25] (Aequitas's "fairness threshold" convention); smaller
groups are reported, never flagged (their rates are too noisy).
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from models.metrics import top_k
from sagak.warehouse import sql_text

ATTRIBUTES = ("city", "age_band", "household_type", "head_sex", "disability")
RATES = ("ppr", "pprev", "precision", "fdr", "for", "fpr", "fnr", "tpr")
FLAG_LOW, FLAG_HIGH = 0.8, 1.25
MIN_FLAG_GROUP = 30  # labelled members a group needs before a disparity can flag it
FLAG_RULE = (
    f"flagged: at least {MIN_FLAG_GROUP} labelled members and a disparity outside "
    f"[{FLAG_LOW}, {FLAG_HIGH}] against the largest group"
)


def audit_attributes(con: duckdb.DuckDBPyConnection, dates: list[date]) -> pl.DataFrame:
    """`household_key, as_of` and the attribute columns, from the registry at each date."""
    query = sql_text("models/audit_attributes.sql")
    return pl.concat([con.sql(query, params={"as_of": d}).pl() for d in dates])


def audit_input(scored: pl.DataFrame, attributes: pl.DataFrame, capacity: int) -> pl.DataFrame:
    """One row per labelled household-date: score, label_value, attributes, selected (top k)."""
    return audit_rows(top_k(scored, capacity), attributes)


def audit_rows(selected: pl.DataFrame, attributes: pl.DataFrame) -> pl.DataFrame:
    """Aequitas's input from rows with `household_key, as_of, score, label, selected`: the
    labelled rows with their groups at that date (`attributes`, audit_attributes)."""
    return (
        selected.filter(pl.col("label").is_not_null())
        .join(attributes, on=["household_key", "as_of"], how="left")
        .select(
            "household_key",
            "as_of",
            "score",
            pl.col("label").cast(pl.Int8).alias("label_value"),
            pl.col("sigungu_code").alias("city"),
            *(pl.col(a).fill_null("unknown") for a in ATTRIBUTES[1:]),
            "selected",
        )
    )


def group_metrics(frame: pl.DataFrame, attribute: str) -> pl.DataFrame:
    """Aequitas crosstabs of one attribute: counts, rates and calibration per value."""
    y, s = pl.col("label_value") == 1, pl.col("selected")
    counts = frame.group_by(pl.col(attribute).alias("attribute_value")).agg(
        pl.len().alias("group_size"),
        s.sum().alias("pp"),
        (~s).sum().alias("pn"),
        (s & y).sum().alias("tp"),
        (s & ~y).sum().alias("fp"),
        (~s & ~y).sum().alias("tn"),
        (~s & y).sum().alias("fn"),
        pl.col("score").mean().alias("mean_score"),
        pl.col("label_value").mean().alias("observed_rate"),
    )
    c = pl.col
    return counts.with_columns(
        pl.lit(attribute).alias("attribute_name"),
        (c("pp") / c("pp").sum()).alias("ppr"),
        (c("pp") / c("group_size")).alias("pprev"),
        (c("tp") / c("pp")).alias("precision"),
        (c("fp") / c("pp")).alias("fdr"),
        (c("fn") / c("pn")).alias("for"),
        (c("fp") / (c("fp") + c("tn"))).alias("fpr"),
        (c("fn") / (c("fn") + c("tp"))).alias("fnr"),
        (c("tp") / (c("tp") + c("fn"))).alias("tpr"),
        (c("mean_score") - c("observed_rate")).alias("calibration_gap"),
    ).with_columns(pl.col(r).fill_nan(None) for r in RATES)


def disparities(groups: pl.DataFrame, min_group: int = MIN_FLAG_GROUP) -> pl.DataFrame:
    """Each rate divided by the largest group's rate; `flagged` if any is outside [0.8, 1.25]
    and the group has at least `min_group` members."""
    reference = groups.sort(["group_size", "attribute_value"], descending=[True, False]).row(
        0, named=True
    )
    ratios = [
        (pl.col(r) / reference[r]).alias(f"{r}_disparity")
        if reference[r]
        else pl.lit(None, pl.Float64).alias(f"{r}_disparity")
        for r in RATES
    ]
    out = groups.with_columns(*ratios, pl.lit(reference["attribute_value"]).alias("reference"))
    outside = [~pl.col(f"{r}_disparity").is_between(FLAG_LOW, FLAG_HIGH) for r in RATES]
    far = pl.any_horizontal(outside).fill_null(False)
    return out.with_columns((far & (pl.col("group_size") >= min_group)).alias("flagged"))


def fairness(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per attribute value: sizes, Aequitas rates, disparities, calibration, flag."""
    parts = [disparities(group_metrics(frame, a)) for a in ATTRIBUTES]
    first = ["attribute_name", "attribute_value", "reference", "group_size"]
    merged = pl.concat(parts, how="vertical_relaxed")
    return merged.select(*first, pl.exclude(first)).sort("attribute_name", "attribute_value")


def store_fairness(
    con: duckdb.DuckDBPyConnection,
    table: pl.DataFrame,
    model_id: str,
    scope: str = "validation",
    night: date | None = None,
) -> None:
    """Replace this model's rows of `scope` (and `night`) in warehouse table `fairness_audit`.

    scope "validation": the model's validation period (night NULL); "outcomes": the visits
    that the lists of `night` produced, audited once their results came back."""
    rows = table.with_columns(
        pl.lit(model_id).alias("model_id"),
        pl.lit(scope).alias("scope"),
        pl.lit(night, pl.Date).alias("night"),
    ).to_arrow()
    con.register("fairness_frame", rows)
    try:
        con.execute(sql_text("models/fairness_audit.sql"))
        replaced = {"model_id": model_id, "scope": scope, "night": night}
        con.execute(sql_text("models/fairness_audit_replaced.sql"), replaced)
        con.execute("insert into fairness_audit by name from fairness_frame")
    finally:
        con.unregister("fairness_frame")
