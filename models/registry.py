"""The model registry: SAGAK_HOME/artifacts/models/<model_id>/ and the champion pointer."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import joblib

MODEL_FILE = "model.joblib"
HASH_FILE = "model.joblib.sha256"
METADATA_FILE = "metadata.json"
CHAMPION_FILE = "champion.json"
PROMOTIONS_FILE = "promotions.jsonl"
RETRAIN_FILE = "retrain.json"  # written by monitoring: sustained drift or live quality drop


class ModelIntegrityError(RuntimeError):
    """A model file whose bytes do not match the hash recorded when it was saved."""


class UnknownModel(LookupError):
    """No model with that id in the registry."""


def registry_dir(artifacts: Path) -> Path:
    """The folder holding every model and the champion pointer."""
    return artifacts / "models"


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_model(folder: Path, model, metadata: dict) -> Path:
    """Write model.joblib, its sha256 and metadata.json into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, folder / MODEL_FILE)
    digest = sha256_file(folder / MODEL_FILE)
    (folder / HASH_FILE).write_text(digest + "\n", encoding="utf-8")
    metadata = metadata | {"model_sha256": digest}
    (folder / METADATA_FILE).write_text(json.dumps(metadata, indent=2, default=str), "utf-8")
    return folder


def load_model(folder: Path):
    """The fitted model of `folder`, refused if its bytes differ from the recorded sha256."""
    path = folder / MODEL_FILE
    if not path.exists():
        raise UnknownModel(f"no {MODEL_FILE} in {folder}")
    expected = (folder / HASH_FILE).read_text(encoding="utf-8").strip()
    actual = sha256_file(path)
    if actual != expected:
        raise ModelIntegrityError(
            f"{path}: sha256 {actual[:16]}… does not match {HASH_FILE} ({expected[:16]}…); "
            "refusing to load a model file that changed after training — retrain it"
        )
    return joblib.load(path)


def metadata(folder: Path) -> dict:
    """The metadata.json of one model folder."""
    return json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))


def model_folder(artifacts: Path, model_id: str) -> Path:
    """The folder of `model_id`, or UnknownModel."""
    folder = registry_dir(artifacts) / model_id
    if not (folder / METADATA_FILE).exists():
        raise UnknownModel(f"no model {model_id!r} in {registry_dir(artifacts)}")
    return folder


def list_models(artifacts: Path) -> list[dict]:
    """Every registered model's metadata, oldest first, with `champion` true for the champion."""
    root = registry_dir(artifacts)
    champ = champion_id(artifacts)
    found = [metadata(p.parent) for p in root.glob(f"*/{METADATA_FILE}")]
    found.sort(key=lambda m: (m.get("trained_at", ""), m["model_id"]))
    return [
        m | {"champion": m["model_id"] == champ, "retrain": retrain_flag(root / m["model_id"])}
        for m in found
    ]


def retrain_flag(folder: Path) -> dict | None:
    """The early-retraining flag monitoring left in a model folder, if any."""
    path = folder / RETRAIN_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def flag_retraining(artifacts: Path, model_id: str, record: dict) -> Path:
    """Write retrain.json into the model's folder: monitoring asks for an early retraining."""
    path = model_folder(artifacts, model_id) / RETRAIN_FILE
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def champion_id(artifacts: Path) -> str | None:
    """The id of the champion model, if there is one."""
    path = registry_dir(artifacts) / CHAMPION_FILE
    return json.loads(path.read_text(encoding="utf-8"))["model_id"] if path.exists() else None


def promote(artifacts: Path, model_id: str, reason: str, by: str) -> dict:
    """Make `model_id` the champion; append the promotion to promotions.jsonl."""
    model_folder(artifacts, model_id)
    record = {
        "model_id": model_id,
        "previous": champion_id(artifacts),
        "promoted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "by": by,
        "reason": reason,
    }
    root = registry_dir(artifacts)
    (root / CHAMPION_FILE).write_text(json.dumps(record, indent=2), encoding="utf-8")
    with (root / PROMOTIONS_FILE).open("a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")
    return record
