"""Which scorer runs tonight: the registry's champion if there is one, else the baseline."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import duckdb

from models.baseline import SCORER as BASELINE
from models.baseline import score_households
from models.registry import (
    ModelIntegrityError,
    UnknownModel,
    champion_id,
    registry_dir,
)
from models.scoring import score_with_model

log = logging.getLogger(__name__)


def score_night(con: duckdb.DuckDBPyConnection, artifacts: Path, as_of: date) -> tuple[int, str]:
    """Build `household_scores` with the champion (or the baseline); (rows, scorer)."""
    champion = champion_id(artifacts)
    if champion is not None:
        try:
            return score_with_model(con, as_of, registry_dir(artifacts) / champion), champion
        except (ModelIntegrityError, UnknownModel, FileNotFoundError) as err:
            # a broken model must not stop the list: the baseline scores, the manifest says so
            log.error("champion %s not used: %s; scoring with %s", champion, err, BASELINE)
    return score_households(con, as_of), BASELINE


def scorer_of(con: duckdb.DuckDBPyConnection) -> str:
    """The scorer that built `household_scores`: its `model_id`, else the baseline."""
    columns = {r[0] for r in con.sql("describe household_scores").fetchall()}
    if "model_id" not in columns:
        return BASELINE
    found = con.sql("select any_value(model_id) from household_scores").fetchall()[0][0]
    return found or BASELINE
