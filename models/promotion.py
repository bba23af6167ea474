"""Champion/challenger: train, save, and promote only a model that beats the champion."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from models.candidates import matrix
from models.card import permutation_table, write_card
from models.fairness import audit_attributes, audit_input, fairness, store_fairness
from models.metrics import evaluate
from models.registry import (
    champion_id,
    load_model,
    metadata,
    promote,
    registry_dir,
    save_model,
)
from models.train import MARGIN, TrainConfig, baseline_score, fit_and_select


def first_registry_date(con: duckdb.DuckDBPyConnection) -> date:
    """The first registry delivery: no household exists before it."""
    found = con.sql("select min(delivery_date) from stg_registry").fetchall()[0][0]
    if found is None:
        raise LookupError("no registry snapshot in the warehouse (run `sagak nightly` first)")
    return found


def champion_precision(artifacts: Path, valid: pl.DataFrame, capacity: int) -> tuple:
    """The champion's id and precision at capacity on this validation period (or the baseline)."""
    current = champion_id(artifacts)
    if current is None:
        return None, None
    folder = registry_dir(artifacts) / current
    model, meta = load_model(folder), metadata(folder)
    score = model.predict_proba(matrix(valid, meta["features"]))[:, 1]
    metrics = evaluate(valid.with_columns(score=pl.Series(score)), capacity)
    return current, metrics["precision_at_capacity"]


def decide(meta: dict, champion: str | None, champion_precision: float | None) -> tuple:
    """(promote?, why): the challenger must beat the champion — or the baseline — by MARGIN."""
    mine = meta["metrics"]["champion_calibrated"]["precision_at_capacity"] or 0.0
    if champion == meta["model_id"]:
        return False, "already the champion"
    rival = "baseline" if champion is None else champion
    theirs = (
        meta["metrics"]["baseline"]["precision_at_capacity"]
        if champion is None
        else champion_precision
    ) or 0.0
    verdict = mine >= theirs + MARGIN
    return verdict, (
        f"precision at capacity {mine:.3f} vs {rival} {theirs:.3f} on the same validation "
        f"period ({'beats' if verdict else 'does not beat'} it by {MARGIN})"
    )


def train_model(
    con: duckdb.DuckDBPyConnection, artifacts: Path, as_of: date, capacity: int, seed: int = 0
) -> dict:
    """Train, save under artifacts/models/<id>/, promote if better; returns the metadata."""
    config = TrainConfig(as_of=as_of.isoformat(), seed=seed, capacity=capacity)
    model, meta, valid = fit_and_select(con, as_of, config, first_registry_date(con))
    champion, theirs = champion_precision(artifacts, valid, capacity)
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


def team_capacity(teams_file: Path) -> int:
    """Visits per cycle: the sum of the teams' capacities in teams.yml."""
    from outreach.teams import load_teams

    return sum(team.capacity for team in load_teams(teams_file).teams)


def train_for_settings(settings, as_of: date, seed: int = 0) -> dict:
    """`sagak train`: visit results → labels, then train_model on the installation's warehouse."""
    from models.labels import load_visits
    from sagak.privacy import secret
    from sagak.warehouse import warehouse

    capacity = team_capacity(settings.teams_file)
    with warehouse(settings) as con:
        load_visits(con, settings.feedback, secret(settings))
        return train_model(con, settings.artifacts, as_of, capacity, seed)
