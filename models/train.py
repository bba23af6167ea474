"""`sagak train --as-of D`: temporal validation, candidate grid, calibration, registry entry.

Steps: load the visit results; split monthly as-of dates (models.temporal); build the training
rows (labels known by the validation start) and the validation rows (labels known by D), each
the labelled households and a weighted random sample of the others (models.training_set), and
keep only the households each date could have listed (no benefit, no recent visit, not
escalated: the night never picks the others, so a model is neither trained nor judged on them).
Fit the evidence model once and every visit-model candidate with exploration weights
(models.candidates); select by the confirmed share of each team's labelled picks among the
listable households on validation, and report the expected precision of those picks (their
mean calibrated probability) and the estimate from the visits (models.estimate: stratified by
how the picks were visited);
calibrate the winner on validation; refit its two models on the training and validation dates
together (the calibration kept); save it with its metadata; promote it if it beats the
champion (or, with none, the baseline) on the same validation period by MARGIN.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

import duckdb
import numpy as np
import polars as pl

from features.build import bring_histories_up_to_date
from models.baseline import MAX_POINTS, WEIGHTS
from models.candidates import (
    EVIDENCE,
    EVIDENCE_WEIGHT,
    GRID,
    Blend,
    calibrate,
    exploration_weights,
    feature_names,
    fit,
    fit_supported_shift,
    matrix,
)
from models.estimate import expected_precision, list_precision, team_top
from models.metrics import evaluate, weighted_quantiles
from models.reasons import typical_values
from models.temporal import Split, temporal_split
from models.training_set import TRAINING_SAMPLE, VALIDATION_SAMPLE, split_sets

MARGIN = 0.01  # precision at capacity a challenger must gain over the champion


def package_version() -> str:
    """The installed sagak package's version ("unknown" when not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sagak")
    except PackageNotFoundError:
        return "unknown"


def git_commit() -> dict:
    """The working tree's git commit and whether it has uncommitted changes (None without git)."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        if head.returncode != 0:
            return {"git_commit": None, "git_dirty": None}
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return {"git_commit": None, "git_dirty": None}
    dirty = bool(status.stdout.strip()) if status.returncode == 0 else None
    return {"git_commit": head.stdout.strip(), "git_dirty": dirty}


@dataclass(frozen=True)
class TrainConfig:
    """Everything that changes the model (hashed into the model id). The package version is in
    it (a release that changes the code gives new ids); the git commit is recorded in
    metadata.json only, so committing unrelated work does not change the id."""

    as_of: str
    seed: int = 0
    sagak_version: str = field(default_factory=package_version)
    n_validation: int = 3
    capacity: int = 0
    # emd_code -> visits per cycle (teams.yml), JSON; a team not in it has DEFAULT_CAPACITY
    capacities: str = "{}"
    grid: str = json.dumps(GRID, sort_keys=True)
    evidence: str = json.dumps({**EVIDENCE, "weight": EVIDENCE_WEIGHT}, sort_keys=True)
    weighting: str = (
        "visit model: exploration rows weigh as much in total as rule-selected rows; "
        "evidence model: the listable households of one uniform random share of each date "
        "(every household below the training sample), by the households each stands for"
    )
    population: str = "households the date could list (no benefit, recent visit, escalation)"
    calibration: str = (
        "sigmoid on validation, supported households shifted first; "
        "models refit on training + validation dates"
    )

    def team_capacities(self) -> dict[str, int]:
        return json.loads(self.capacities)


def baseline_score(frame: pl.DataFrame) -> pl.Series:
    """The hand-weighted baseline score of every row (models.baseline's points / max)."""
    points = []
    for code, (weight, cap) in WEIGHTS.items():
        value = pl.col(code).cast(pl.Float64).fill_null(0.0)
        points.append(
            value.clip(0, 1) * weight if cap is None else (value / cap).clip(0, 1) * weight
        )
    return frame.select((pl.sum_horizontal(points) / MAX_POINTS).alias("score"))["score"]


def data_hash(*frames: pl.DataFrame) -> str:
    """A content hash of the training and validation rows (every column, row order fixed)."""
    digest = hashlib.sha256()
    for frame in frames:
        # the draw and its share follow from the keys, the seed and the counts already hashed
        ordered = frame.drop("draw", "date_share", strict=False).sort("as_of", "household_key")
        digest.update(",".join(ordered.columns).encode())
        digest.update(ordered.hash_rows(seed=0).to_numpy().tobytes())
    return digest.hexdigest()


def split_rows(
    con: duckdb.DuckDBPyConnection, split: Split, seed: int = 0
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Training and validation rows: labelled households and a weighted random sample of the
    others at each date (models.training_set; features point in time), with `listable`."""
    train, valid = split_sets(
        con,
        [
            (list(split.train), split.train_known_by, TRAINING_SAMPLE),
            (list(split.validation), split.validation_known_by, VALIDATION_SAMPLE),
        ],
        VALIDATION_SAMPLE,
        seed,
    )
    return train, valid


def visit_model(kind: str, params: dict, rows: pl.DataFrame, seed: int):
    """A visit-model candidate fitted on the labelled listable rows, exploration-weighted."""
    labelled = rows.filter(pl.col("listable") & pl.col("label").is_not_null())
    x, y = matrix(labelled, feature_names()), labelled["label"].to_numpy()
    return fit(kind, params, x, y, exploration_weights(labelled["exploration"].to_numpy()), seed)


def evidence_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """The evidence model's rows: at each date, the households of one uniform random share of
    all (the run's draw below the smallest date share: the training dates' ~25,000), labelled
    or not, each weighing for the households of its date (`weight`); the listable ones.

    Every household has an evidence label, so the visited ones need not all be there: at 1M
    they were four in five of these rows (some 100,000 a date) and most of the model's fitting
    time. Below the sample size (share 1), or for rows without a draw, these are every listable
    row with its weight."""
    drawn_rows = rows.height and {"draw", "date_share"} <= set(rows.columns)
    share = rows["date_share"].min() if drawn_rows else 1.0
    if share >= 1:
        return rows.filter(pl.col("listable"))
    drawn = pl.col("draw") < share
    per_date = rows.group_by("as_of").agg(households=pl.col("weight").sum(), drawn=drawn.sum())
    return (
        rows.filter(drawn)
        .join(per_date, on="as_of", how="left", maintain_order="left")
        .with_columns(weight=pl.col("households") / pl.col("drawn"))
        .drop("households", "drawn")
        .filter(pl.col("listable"))
    )


def evidence_model(rows: pl.DataFrame, seed: int):
    """The evidence model on `evidence_rows(rows)` (by their weight), label `evidence`."""
    listable = evidence_rows(rows)
    x, y = matrix(listable, feature_names()), listable["evidence"].to_numpy()
    return fit("boosted", EVIDENCE, x, y, listable["weight"].to_numpy(), seed)


def judged(valid: pl.DataFrame, score: np.ndarray, config: TrainConfig) -> dict:
    """Validation metrics of `score` over the listable rows: the labelled-only figures
    (models.metrics; biased upward) and the estimated precision of the teams' picks."""
    scored = valid.with_columns(score=pl.Series(score)).filter(pl.col("listable"))
    picks = team_top(scored, config.team_capacities(), "score")
    listed = list_precision(picks) | {"expected": expected_precision(picks, "score")}
    return {**evaluate(scored, config.capacity), "list": listed}


def candidates(train: pl.DataFrame, valid: pl.DataFrame, config: TrainConfig) -> list[dict]:
    """Every grid point's visit model, blended with the one evidence model, fitted on training
    rows and judged on validation."""
    xv = matrix(valid, feature_names())
    evidence = evidence_model(train, config.seed)
    shared = evidence.predict_proba(xv)[:, 1]  # once for every candidate
    results = []
    for kind, grid in GRID.items():
        for params in grid:
            model = Blend(visit_model(kind, params, train, config.seed), evidence)
            metrics = judged(valid, model.predict_proba(xv, shared)[:, 1], config)
            results.append({"kind": kind, "params": params, "model": model, "metrics": metrics})
    return results


def best(results: list[dict]) -> dict:
    """The candidate whose teams' picks hold the most confirmed crises among the labelled ones
    (then PR-AUC). A choice between candidates on the same validation rows: the labelled-only
    rate is biased upward for all alike and far steadier than the estimate, which rests on a
    few dozen random visits."""
    return max(
        results,
        key=lambda r: (r["metrics"]["list"]["labelled_only"] or 0, r["metrics"]["pr_auc"] or 0),
    )


def calibrated_winner(winner: dict, valid: pl.DataFrame, config: TrainConfig) -> tuple:
    """The winner calibrated on the labelled validation rows; its validation metrics and
    ventile cut points (over every household, listable or not: tiers rank them all).

    The two models learnt from listable households only; the households already supported get
    their own log-odds shift first (`fit_supported_shift`, from the visits they had), so that
    their probabilities say what a visit finds too (without it they read about 0.15 where the
    truth was 0.25 on worlds of three seeds). The listable households' ranking is unchanged."""
    names = feature_names()
    labelled = valid.filter(pl.col("label").is_not_null())
    x, y = matrix(labelled, names), labelled["label"].to_numpy()
    weights = exploration_weights(labelled["exploration"].to_numpy())
    fit_supported_shift(winner["model"], x, y, weights)
    model = calibrate(winner["model"], x, y, weights)
    probability = model.predict_proba(matrix(valid, names))[:, 1]
    metrics = judged(valid, probability, config)
    weights = valid["weight"].to_numpy()
    cuts = weighted_quantiles(probability, weights, np.arange(1, 20) / 20).round(8).tolist()
    return model, metrics, cuts, probability


def refit(model, winner: dict, rows: pl.DataFrame, seed: int) -> None:
    """Refit the calibrated winner's two models on `rows` (training and validation dates), in
    place; the calibration learnt on validation stays. The validation figures are those of the
    models fitted on the training dates only (held out); the refit ones see three more recent
    months, which ranked the listable households closer to the truth on worlds of three seeds."""
    blend = model.calibrated_classifiers_[0].estimator
    blend = getattr(blend, "estimator", blend)  # inside a FrozenEstimator
    blend.visit = visit_model(winner["kind"], winner["params"], rows, seed)
    blend.evidence = evidence_model(rows, seed)


def library_versions() -> dict:
    """Versions of the libraries a saved model depends on."""
    import duckdb as ddb
    import joblib
    import sklearn

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "polars": pl.__version__,
        "numpy": np.__version__,
        "duckdb": ddb.__version__,
        "joblib": joblib.__version__,
    }


def model_id(kind: str, as_of: date, digest: str) -> str:
    """`<kind>-<YYYYMMDD>-<10 hex>`: the same data and config give the same id."""
    return f"{kind}-{as_of:%Y%m%d}-{digest[:10]}"


def describe(result: dict) -> dict:
    """A candidate's entry in metadata.json (without the fitted model)."""
    return {"kind": result["kind"], "params": result["params"], "metrics": result["metrics"]}


def fit_and_select(con: duckdb.DuckDBPyConnection, as_of: date, config: TrainConfig, first: date):
    """Split, build rows, fit the grid, calibrate the winner: (model, metadata, frames)."""
    started = time.monotonic()
    bring_histories_up_to_date(con)  # a warehouse not ingested since the histories came
    split = temporal_split(first, as_of, config.n_validation)
    train, valid = split_rows(con, split, config.seed)
    results = candidates(train, valid, config)
    winner = best(results)
    model, metrics, cuts, probability = calibrated_winner(winner, valid, config)
    refit(model, winner, pl.concat([train, valid], how="vertical_relaxed"), config.seed)
    digest = hashlib.sha256(
        (data_hash(train, valid) + json.dumps(asdict(config), sort_keys=True)).encode()
    ).hexdigest()
    meta = {
        "model_id": model_id(winner["kind"], as_of, digest),
        "kind": winner["kind"],
        "params": winner["params"],
        "content_hash": digest,
        "config": asdict(config),
        "features": feature_names(),
        "typical_values": typical_values(matrix(valid, feature_names())).tolist(),
        "windows": split.as_dict(),
        "rows": {
            "train": train.height,
            "train_labelled": train.filter(pl.col("label").is_not_null()).height,
            "train_listable": train.filter(pl.col("listable")).height,
            "validation": valid.height,
            "validation_households": round(valid["weight"].sum()),
            "validation_sample": VALIDATION_SAMPLE,
        },
        "tier_cuts": cuts,
        "metrics": {
            "champion_calibrated": metrics,
            "baseline": judged(valid, baseline_score(valid).to_numpy(), config),
            "candidates": [describe(r) for r in results],
        },
        "libraries": library_versions(),
        "code": {"sagak": config.sagak_version, **git_commit()},
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "training_seconds": round(time.monotonic() - started, 1),
    }
    return model, meta, valid.with_columns(probability=pl.Series(probability))
