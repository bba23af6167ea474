"""Champion/challenger: train, save, and promote only a model that beats the champion."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from models.candidates import matrix
from models.card import permutation_table, write_card
from models.fairness import audit_attributes, audit_input, fairness, store_fairness
from models.registry import (
    champion_id,
    load_model,
    metadata,
    promote,
    registry_dir,
    save_model,
)
from models.train import MARGIN, TrainConfig, baseline_score, fit_and_select, judged


def first_registry_date(con: duckdb.DuckDBPyConnection) -> date:
    """The first registry delivery: no household exists before it."""
    found = con.sql("select min(delivery_date) from stg_registry").fetchall()[0][0]
    if found is None:
        raise LookupError("no registry snapshot in the warehouse (run `sagak nightly` first)")
    return found


def headline(metrics: dict) -> tuple[float, float]:
    """The figures models are compared by on the same validation rows: the confirmed share of
    the teams' labelled picks among the listable households, then of the top `capacity`
    listable households overall (which still separates two models when the teams' picks are
    nearly everyone, in a small world). Biased upward for every model alike; the estimate
    (models.estimate) is the honest level but too noisy to compare by."""
    return (metrics["list"]["labelled_only"] or 0.0, metrics.get("precision_at_capacity") or 0.0)


def champion_precision(artifacts: Path, valid: pl.DataFrame, config: TrainConfig) -> tuple:
    """The champion's id and its `headline` figures on this validation period."""
    current = champion_id(artifacts)
    if current is None:
        return None, None
    folder = registry_dir(artifacts) / current
    model, meta = load_model(folder), metadata(folder)
    score = model.predict_proba(matrix(valid, meta["features"]))[:, 1]
    return current, headline(judged(valid, score, config))


def decide(meta: dict, champion: str | None, champion_figures: tuple | None) -> tuple:
    """(promote?, why): the challenger must beat the champion — or the baseline — by MARGIN on
    the teams' picks, or tie with it there and beat it by MARGIN over the top `capacity`."""
    mine = headline(meta["metrics"]["champion_calibrated"])
    if champion == meta["model_id"]:
        return False, "already the champion"
    rival = "baseline" if champion is None else champion
    theirs = headline(meta["metrics"]["baseline"]) if champion is None else champion_figures
    theirs = theirs or (0.0, 0.0)
    tied = abs(mine[0] - theirs[0]) < MARGIN
    verdict = mine[0] >= theirs[0] + MARGIN or (tied and mine[1] >= theirs[1] + MARGIN)
    return verdict, (
        f"precision of the teams' labelled picks {mine[0]:.3f} vs {rival} {theirs[0]:.3f}, of the "
        f"top {meta['config'].get('capacity', 'k')} {mine[1]:.3f} vs {theirs[1]:.3f} on the same "
        f"validation period ({'beats' if verdict else 'does not beat'} it by {MARGIN})"
    )


def train_model(
    con: duckdb.DuckDBPyConnection,
    artifacts: Path,
    as_of: date,
    capacities: dict[str, int],
    seed: int = 0,
) -> dict:
    """Train, save under artifacts/models/<id>/, promote if better; returns the metadata.
    `capacities`: each team's visits per cycle (emd_code -> households)."""
    config = TrainConfig(
        as_of=as_of.isoformat(),
        seed=seed,
        capacity=sum(capacities.values()),
        capacities=json.dumps(capacities, sort_keys=True),
    )
    model, meta, valid = fit_and_select(con, as_of, config, first_registry_date(con))
    champion, theirs = champion_precision(artifacts, valid, config)
    promoted, why = decide(meta, champion, theirs)
    meta |= {"promotion": {"promoted": promoted, "reason": why, "previous_champion": champion}}
    folder = save_model(registry_dir(artifacts) / meta["model_id"], model, meta)
    valid.write_parquet(folder / "validation_scores.parquet")
    table = audit_model(con, folder, meta, valid.with_columns(score=pl.col("probability")))
    card_model(folder, model, meta, valid, table)
    if promoted:
        promote(artifacts, meta["model_id"], why, by="sagak train")
    return meta


def audit_model(con: duckdb.DuckDBPyConnection, folder: Path, meta: dict, scored) -> pl.DataFrame:
    """The validation-period fairness audit: audit_input/fairness.parquet, `fairness_audit`."""
    dates = [date.fromisoformat(d) for d in meta["windows"]["validation"]]
    rows = audit_input(scored, audit_attributes(con, dates), meta["config"]["capacity"])
    rows.write_parquet(folder / "audit_input.parquet")
    table = fairness(rows)
    table.write_parquet(folder / "fairness.parquet")
    store_fairness(con, table, meta["model_id"])
    return table


def card_model(folder: Path, model, meta: dict, valid: pl.DataFrame, table) -> None:
    """model_card.md/.html: validation figures, plots, importance, flagged disparities."""
    labelled = valid.filter(pl.col("label").is_not_null())
    x, y = matrix(labelled, meta["features"]), labelled["label"].to_numpy()
    importance = permutation_table(model, x, y, meta["features"], meta["config"]["seed"])
    importance.write_parquet(folder / "importance.parquet")
    write_card(folder, meta, table, valid.with_columns(baseline=baseline_score(valid)), importance)
