"""`sagak train` on a small world: windows, registry contents, idempotence, promotion."""

import json

import polars as pl
import pytest

from cli import model_summary
from flows.operations import train_for_settings
from models.estimate import expected_precision, team_top
from models.promotion import decide, headline
from models.registry import champion_id, load_model, registry_dir


def test_training_windows_close_before_validation_and_use_results_known_by_then(trained):
    _, night, meta = trained
    windows = meta["windows"]
    assert max(windows["train"]) < min(windows["validation"]) == windows["train_known_by"]
    assert windows["validation_known_by"] == night.isoformat()
    assert meta["rows"]["train"] > 50 and meta["rows"]["validation"] > 1000


def test_the_registry_holds_model_hash_metadata_and_validation_scores(trained):
    settings, _, meta = trained
    folder = registry_dir(settings.artifacts) / meta["model_id"]
    for name in ("model.joblib", "model.joblib.sha256", "metadata.json"):
        assert (folder / name).exists(), name
    saved = json.loads((folder / "metadata.json").read_text())
    assert saved["content_hash"] and saved["libraries"]["scikit-learn"]
    assert len(saved["tier_cuts"]) == 19 and saved["tier_cuts"] == sorted(saved["tier_cuts"])
    assert {c["kind"] for c in saved["metrics"]["candidates"]} == {"logistic", "boosted"}
    for key in ("precision_at_capacity", "recall_at_capacity", "roc_auc", "pr_auc", "brier", "ece"):
        assert key in saved["metrics"]["champion_calibrated"], key
    assert "exploration" in saved["metrics"]["champion_calibrated"]
    assert load_model(folder) is not None


def test_the_first_model_is_promoted_only_because_it_beats_the_baseline(trained):
    settings, _, meta = trained
    calibrated = headline(meta["metrics"]["champion_calibrated"])
    assert calibrated > headline(meta["metrics"]["baseline"])
    assert champion_id(settings.artifacts) == meta["model_id"]


def test_the_card_and_train_lead_with_the_expected_precision_of_the_teams_picks(trained):
    settings, _, meta = trained
    folder = registry_dir(settings.artifacts) / meta["model_id"]
    listed = meta["metrics"]["champion_calibrated"]["list"]
    valid = pl.read_parquet(folder / "validation_scores.parquet").filter(pl.col("listable"))
    capacities = json.loads(meta["config"]["capacities"])
    picks = team_top(valid, capacities, "probability")
    assert listed["expected"] == pytest.approx(expected_precision(picks, "probability"))
    assert 0 < listed["expected"] < 1
    card = (folder / "model_card.md").read_text(encoding="utf-8")
    assert f"Expected precision of the teams' picks: {listed['expected']:.3f}" in card
    assert card.index("Expected precision") < card.index("From the visits")
    printed = model_summary.headline(meta["metrics"]["champion_calibrated"])
    assert printed[0].startswith(
        f"  expected precision of the teams' picks: {listed['expected']:.3f}"
    )


def test_retraining_on_the_same_data_and_seed_gives_the_same_model_and_scores(trained):
    settings, night, meta = trained
    folder = registry_dir(settings.artifacts) / meta["model_id"]
    before = pl.read_parquet(folder / "validation_scores.parquet")["probability"]
    again = train_for_settings(settings, night, seed=0)
    assert again["model_id"] == meta["model_id"]
    assert again["promotion"] == {
        "promoted": False,
        "reason": "already the champion",
        "previous_champion": meta["model_id"],
    }
    after = pl.read_parquet(folder / "validation_scores.parquet")["probability"]
    assert before.to_list() == after.to_list()


def metrics(model_id, mine, baseline=0.3):
    def listed(value):
        teams, top = value if isinstance(value, tuple) else (value, value)
        return {"list": {"estimate": 0.1, "labelled_only": teams}, "precision_at_capacity": top}

    return {
        "model_id": model_id,
        "config": {"capacity": 100},
        "metrics": {"champion_calibrated": listed(mine), "baseline": listed(baseline)},
    }


def test_a_challenger_must_beat_the_champion_by_the_margin():
    assert decide(metrics("new", 0.50), "old", (0.45, 0.45))[0]
    assert not decide(metrics("new", 0.455), "old", (0.45, 0.45))[0]
    assert decide(metrics("new", 0.35), None, None)[0]
    promoted, why = decide(metrics("new", 0.30), None, None)
    assert not promoted and "baseline 0.300" in why


def test_a_tie_on_the_teams_picks_is_decided_over_the_top_capacity():
    # a small world: every team's picks are nearly all its households, so the picks tie
    assert decide(metrics("new", (0.40, 0.50)), "old", (0.40, 0.45))[0]
    assert not decide(metrics("new", (0.40, 0.50)), "old", (0.45, 0.45))[0]
    assert not decide(metrics("new", (0.40, 0.455)), "old", (0.40, 0.45))[0]
