"""The registry refuses a model whose bytes changed; promotions are logged."""

import json

import pytest
from sklearn.dummy import DummyClassifier

from models.registry import (
    ModelIntegrityError,
    UnknownModel,
    champion_id,
    list_models,
    load_model,
    promote,
    registry_dir,
    save_model,
)


def saved(artifacts, model_id="m-1"):
    model = DummyClassifier().fit([[0], [1]], [0, 1])
    meta = {"model_id": model_id, "trained_at": "2026-11-01T00:00:00+00:00"}
    return save_model(registry_dir(artifacts) / model_id, model, meta)


def test_a_saved_model_loads_and_a_changed_one_is_refused(tmp_path):
    folder = saved(tmp_path)
    assert load_model(folder).predict([[1]]).tolist() in ([0], [1])
    with (folder / "model.joblib").open("ab") as f:
        f.write(b"tampered")
    with pytest.raises(ModelIntegrityError, match="does not match"):
        load_model(folder)


def test_promotion_moves_the_champion_and_is_logged(tmp_path):
    saved(tmp_path, "m-1"), saved(tmp_path, "m-2")
    assert champion_id(tmp_path) is None
    promote(tmp_path, "m-1", "first", by="test")
    promote(tmp_path, "m-2", "manual override", by="test")
    assert champion_id(tmp_path) == "m-2"
    log = (registry_dir(tmp_path) / "promotions.jsonl").read_text().splitlines()
    assert [json.loads(line)["previous"] for line in log] == [None, "m-1"]
    assert [m["champion"] for m in list_models(tmp_path)] == [False, True]


def test_an_unknown_model_cannot_be_promoted(tmp_path):
    with pytest.raises(UnknownModel, match="no model 'nope'"):
        promote(tmp_path, "nope", "why", by="test")
    assert champion_id(tmp_path) is None
