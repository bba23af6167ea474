"""The night's visit lists against the synthetic truth, beside the legacy rules and a reference.

For a published night D of a synthetic world (truth running at least three months past D), each
picker fills every team's quota — the number of households sagak assigned to that team that
night — from the households the night could list (no exclusion), best first:
- `sagak`: the published picks themselves (their exploration share included); and its top
  picks alone (without the random share) against the rules filling the same smaller quotas;
- `legacy`: the old rules (health-insurance arrears >= 3 months, a cut-off in the last 3
  months, arrears >= 2 months in 3 or more feeds), ranked by rules hit, then months of arrears;
- `legacy_referral`: the same rules plus a referral in the last 61 days;
- `reference`: gradient-boosted trees trained on the truth itself (every household, monthly
  as-of dates whose windows close by D) over sagak's own features: what the data allows.
A pick is right when the household is in crisis (truth) in any of the three months after D's
month. Also: ROC-AUC and PR-AUC of each score over the listable households, and sagak's
calibration against truth (the listed households' mean probability beside their truth rate, and
the expected calibration error over every scored household). The pipeline never reads truth/.

Usage: python -m bench.lists_vs_truth --home DIR [--home DIR ...] [--night YYYY-MM-DD] [--json]
       [--quotas-from DIR]  (JSON `sagak_at_those_quotas`, `legacy_at_those_quotas`: the top
       picks filling the quotas of another home's night of the same world, for comparing two
       versions on the same number of picks)
"""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, roc_auc_score

from bench.model_vs_truth import months_after
from features.build import build_snapshot, drop_intermediates
from models.candidates import feature_names, matrix
from models.estimate import team_top
from models.metrics import expected_calibration_error
from models.registry import champion_id, metadata, model_folder
from models.training_set import monthly_as_of_dates
from sagak.privacy import household_key, secret
from sagak.settings import get_settings
from sagak.warehouse import warehouse

LEGACY_FEEDS = ("power", "water", "gas", "telecom", "housing", "nhis", "nps")
REFERENCE_DATES = 12  # monthly as-of dates the reference model learns from


def window_months(d: date) -> list[str]:
    """`ym` of the months that overlap (d, d + 90 days]."""
    out, day = [], d + timedelta(days=1)
    while day <= d + timedelta(days=90):
        ym = f"{day.year}{day.month:02d}"
        if ym not in out:
            out.append(ym)
        day += timedelta(days=1)
    return out


def truth_keys(settings) -> pl.DataFrame:
    """`household_no, ym, in_crisis` of the truth with `household_key` (the pipeline's key)."""
    key = secret(settings)
    months = pl.read_parquet(
        settings.home / "truth" / "household_months.parquet",
        columns=["household_no", "ym", "in_crisis"],
    )
    keys = months.select("household_no").unique()
    keys = keys.with_columns(
        pl.col("household_no")
        .map_elements(lambda no: household_key(no, key), return_dtype=pl.String)
        .alias("household_key")
    )
    return months.join(keys, on="household_no")


def in_crisis(truth: pl.DataFrame, months: list[str]) -> pl.DataFrame:
    """`household_key, in_crisis`: in crisis in any of `months` (absent months count false)."""
    found = sorted(set(truth["ym"].unique()))
    if not set(months) <= set(found):
        raise SystemExit(f"truth/ ends at {found[-1]}: it must cover {', '.join(months)}")
    return (
        truth.filter(pl.col("ym").is_in(months))
        .group_by("household_key")
        .agg(pl.col("in_crisis").any())
    )


def legacy_score(frame: pl.DataFrame, referral_days: int | None = None) -> pl.Series:
    """Rules hit (x 1000) plus months of arrears: the legacy list's order."""
    value = lambda c: pl.col(c).cast(pl.Float64).fill_null(0.0)  # noqa: E731
    cutoff = pl.max_horizontal(value(f"{f}_cutoff_3m") for f in ("power", "water", "gas")) > 0
    nhis = value("nhis_arrears_months_max_3m") >= 3
    multi = pl.sum_horizontal(
        (value(f"{f}_arrears_months_max_3m") >= 2).cast(pl.Int32) for f in LEGACY_FEEDS
    ) + (value("credit_delinquency_days_max_3m") >= 60).cast(pl.Int32)
    rules = [cutoff, nhis, multi >= 3]
    if referral_days is not None:
        recent = pl.col("days_since_referral").cast(pl.Float64).fill_null(1e9) <= referral_days
        rules.append(recent)
    hits = pl.sum_horizontal(r.cast(pl.Int32) for r in rules)
    arrears = pl.sum_horizontal(value(f"{f}_arrears_months_max_3m") for f in LEGACY_FEEDS)
    return frame.select((hits * 1000 + arrears).alias("s"))["s"]


def snapshot(con, as_of: date) -> pl.DataFrame:
    """Every household's features at as_of (built, not stored)."""
    try:
        build_snapshot(con, as_of)
        return con.sql("select * from fx_household_features").pl()
    finally:
        drop_intermediates(con)


def reference_scores(con, truth: pl.DataFrame, night: date, tonight: pl.DataFrame) -> np.ndarray:
    """Probabilities at the night from trees trained on truth at earlier monthly dates."""
    closed = [
        d
        for d in monthly_as_of_dates(night - timedelta(days=800), night)
        if d + timedelta(days=90) <= night
    ][-REFERENCE_DATES:]
    names = feature_names()
    frames = []
    for d in closed:
        rows = snapshot(con, d).join(in_crisis(truth, window_months(d)), on="household_key")
        frames.append(rows)
    train = pl.concat(frames, how="vertical_relaxed")
    model = HistGradientBoostingClassifier(
        max_leaf_nodes=15, learning_rate=0.05, max_iter=300, random_state=0
    )
    model.fit(matrix(train, names), train["in_crisis"].to_numpy())
    return model.predict_proba(matrix(tonight, names))[:, 1]


def quota_picks(frame: pl.DataFrame, score: str, quotas: dict[str, int]) -> pl.Series:
    """Whether each row is among its team's top `quota` listable rows by `score`."""
    ranked = frame.with_row_index("_row").with_columns(
        pl.when(pl.col("listable"))
        .then(pl.col(score).rank("ordinal", descending=True).over("emd_code", "listable"))
        .alias("_r")
    )
    quota = pl.col("emd_code").replace_strict(quotas, default=0, return_dtype=pl.Int64)
    return ranked.select((pl.col("_r").fill_null(10**9) <= quota).alias("picked"))["picked"]


def headline_against_truth(settings, truth: pl.DataFrame) -> dict:
    """The champion's model-card headline (estimated precision of the teams' picks on its
    validation dates) beside the same picks' precision against truth."""
    folder = model_folder(settings.artifacts, champion_id(settings.artifacts))
    meta = metadata(folder)
    listed = meta["metrics"]["champion_calibrated"].get("list") or {}
    valid = pl.read_parquet(folder / "validation_scores.parquet")
    if "listable" not in valid.columns:
        return {"headline": None, "headline_truth": None}
    config = meta["config"]
    picks = team_top(valid, json.loads(config.get("capacities", "{}")), "probability")
    dates = sorted(set(valid["as_of"].to_list()))
    crisis = pl.concat(
        in_crisis(truth, window_months(d)).with_columns(pl.lit(d).alias("as_of")) for d in dates
    )
    chosen = picks.filter(pl.col("selected")).join(
        crisis, on=["household_key", "as_of"], how="left"
    )
    hits = chosen["in_crisis"].fill_null(False).cast(pl.Float64)
    weight = chosen["weight"].cast(pl.Float64)
    return {
        "model_id": meta["model_id"],
        # the card's headline: the expected precision (a model trained before it: the estimate)
        "headline": listed.get("expected", listed.get("estimate")),
        "headline_estimate": listed.get("estimate"),
        "headline_estimate_low": listed.get("low"),
        "headline_estimate_high": listed.get("high"),
        "headline_labelled_only": listed.get("labelled_only"),
        "headline_truth": float((hits * weight).sum() / weight.sum()),
    }


def top_quotas(ranked: pl.DataFrame) -> dict[str, int]:
    """Per team, the night's picks without the random exploration share."""
    top = ranked.filter(pl.col("assigned") & ~pl.col("exploration").fill_null(False))
    return dict(top.group_by("emd_code").len().iter_rows())


def evaluate_night(home: Path, night: date | None, quotas_from: Path | None = None) -> dict:
    """Every figure of one world's night (see the module docstring). With `quotas_from` (a home
    of the same world: the same seed, another code or model), also the top picks' precision when
    the teams' quotas are those of that home's night: two models judged on the same number of
    picks, whatever their tiers left spare under the risk floor."""
    settings = get_settings(home)
    if night is None:
        published = settings.outreach.glob("????-??-??/ranked.parquet")
        nights = [date.fromisoformat(p.parent.name) for p in published]
        if not nights:
            raise SystemExit(f"{settings.outreach}: no published night (run sagak nightly first)")
        night = max(nights)
    ranked = pl.read_parquet(settings.outreach_dir(night.isoformat()) / "ranked.parquet")
    if quotas_from is not None:
        there = get_settings(quotas_from).outreach_dir(night.isoformat()) / "ranked.parquet"
        if not there.exists():
            raise SystemExit(f"--quotas-from: {there} not found (run that home's night {night})")
        quotas_there = top_quotas(pl.read_parquet(there))
    truth = truth_keys(settings)
    with warehouse(settings) as con:
        features = con.sql(
            "select * from household_features where as_of = $d", params={"d": night}
        ).pl()
        tonight = features.select("household_key", *feature_names())
        reference = reference_scores(con, truth, night, tonight)
    frame = (
        ranked.select(
            "household_key", "emd_code", "score", "excluded_reason", "assigned", "exploration"
        )
        .join(tonight.with_columns(reference=pl.Series(reference)), on="household_key")
        .join(in_crisis(truth, months_after(night)), on="household_key", how="left")
        .with_columns(
            pl.col("in_crisis").fill_null(False),
            (pl.col("excluded_reason").is_null()).alias("listable"),
        )
    )
    frame = frame.with_columns(
        legacy=legacy_score(frame),
        legacy_referral=legacy_score(frame, referral_days=61),
        tie=pl.col("household_key").hash(seed=0).cast(pl.Float64) / 2.0**64,
    ).with_columns(
        # ties (the rules give many) broken at random, the same for every run
        (pl.col(c) + pl.col("tie") * 1e-3).alias(c)
        for c in ("legacy", "legacy_referral")
    )
    quotas = dict(frame.filter(pl.col("assigned")).group_by("emd_code").len().iter_rows())
    listable = frame.filter(pl.col("listable"))
    y = listable["in_crisis"].to_numpy()
    out = {
        "home": str(home),
        "night": night.isoformat(),
        "households": frame.height,
        "listable": listable.height,
        "listed": int(frame["assigned"].sum()),
        "prevalence_listable": float(y.mean()),
    }
    for name in ("sagak", "legacy", "legacy_referral", "reference"):
        picked = frame["assigned"] if name == "sagak" else quota_picks(frame, name, quotas)
        column = "score" if name == "sagak" else name
        out[f"{name}_precision"] = float(frame.filter(picked)["in_crisis"].mean())
        out[f"{name}_roc_auc"] = float(roc_auc_score(y, listable[column].to_numpy()))
        out[f"{name}_pr_auc"] = float(average_precision_score(y, listable[column].to_numpy()))
    # the picks without the random exploration share, against the rules at the same quotas
    top = frame.filter(pl.col("assigned") & ~pl.col("exploration").fill_null(False))
    out["sagak_top_precision"] = float(top["in_crisis"].mean())
    legacy_top = frame.filter(quota_picks(frame, "legacy", top_quotas(frame)))
    out["top_ratio_to_legacy"] = out["sagak_top_precision"] / float(legacy_top["in_crisis"].mean())
    if quotas_from is not None:
        out["quotas_from"] = str(quotas_from)
        out["quotas_from_picks"] = sum(quotas_there.values())
        for name, column in (("sagak", "score"), ("legacy", "legacy")):
            picked = frame.filter(quota_picks(frame, column, quotas_there))
            out[f"{name}_at_those_quotas"] = float(picked["in_crisis"].mean())
    listed = frame.filter(pl.col("assigned"))
    out["listed_mean_probability"] = float(listed["score"].mean())
    out["listed_truth_rate"] = float(listed["in_crisis"].mean())
    out["ece_truth_all"] = expected_calibration_error(
        frame["in_crisis"].to_numpy().astype(float), frame["score"].to_numpy()
    )
    out["ratio_to_legacy"] = out["sagak_precision"] / out["legacy_precision"]
    out["ratio_to_reference"] = out["sagak_precision"] / out["reference_precision"]
    return out | headline_against_truth(settings, truth)


COLUMNS = (
    ("world", lambda r: Path(r["home"]).name),
    ("listed", lambda r: f"{r['listed']:,}"),
    ("sagak", lambda r: f"{r['sagak_precision']:.3f}"),
    ("legacy", lambda r: f"{r['legacy_precision']:.3f}"),
    ("legacy+referral", lambda r: f"{r['legacy_referral_precision']:.3f}"),
    ("reference", lambda r: f"{r['reference_precision']:.3f}"),
    ("x legacy", lambda r: f"{r['ratio_to_legacy']:.2f}"),
    ("x reference", lambda r: f"{r['ratio_to_reference']:.2f}"),
    (
        "top picks (x legacy)",
        lambda r: f"{r['sagak_top_precision']:.3f} ({r['top_ratio_to_legacy']:.2f})",
    ),
    ("ROC-AUC", lambda r: f"{r['sagak_roc_auc']:.3f} / {r['reference_roc_auc']:.3f}"),
    ("PR-AUC", lambda r: f"{r['sagak_pr_auc']:.3f} / {r['reference_pr_auc']:.3f}"),
    (
        "listed p / truth",
        lambda r: f"{r['listed_mean_probability']:.3f} / {r['listed_truth_rate']:.3f}",
    ),
    ("ECE", lambda r: f"{r['ece_truth_all']:.3f}"),
    ("card headline / truth", lambda r: f"{_f(r.get('headline'))} / {_f(r.get('headline_truth'))}"),
)


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def markdown(rows: list[dict]) -> str:
    """The figures as a Markdown table, one world a row."""
    head = "| " + " | ".join(name for name, _ in COLUMNS) + " |"
    rule = "|" + "---|" * len(COLUMNS)
    body = ["| " + " | ".join(cell(r) for _, cell in COLUMNS) + " |" for r in rows]
    return "\n".join([head, rule, *body])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", action="append", required=True)
    parser.add_argument("--night", type=date.fromisoformat, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--quotas-from",
        type=Path,
        default=None,
        help="a home of the same world: also fill the quotas of its night's top picks",
    )
    args = parser.parse_args()
    rows = [evaluate_night(Path(h), args.night, args.quotas_from) for h in args.home]
    print(json.dumps(rows, indent=2) if args.json else markdown(rows))


if __name__ == "__main__":
    main()
