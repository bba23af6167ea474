"""The validation period's PSI bins: computed on a champion's first night, kept in its folder,
read on the next nights with the same findings, never read for another number of bins."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import numpy as np
import polars as pl
import pytest

from monitoring.config import config_from
from monitoring.drift import BINS_FILE, champion_reference, feature_drift
from monitoring.psi import value_psi

NIGHT = date(2026, 10, 30)


@pytest.fixture
def world(tmp_path):
    """A champion folder with 3,000 weighted validation rows over three dates (feature `c`
    stale on one of them), and tonight's features in a real DuckDB."""
    rng = np.random.default_rng(3)
    folder = tmp_path / "m1"
    folder.mkdir()
    meta = {"model_id": "m1", "features": ["a", "b", "c"]}
    (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    days = [d for d in (date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)) for _ in range(1000)]
    c = rng.gamma(2.0, 1.0, 3000)
    c[:1000] = np.nan  # stale on the first date: left out of c's reference
    pl.DataFrame(
        {
            "as_of": days,
            "a": rng.normal(0, 1, 3000),
            "b": rng.integers(0, 5, 3000).astype(float),
            "c": c,
            "weight": rng.uniform(1, 3, 3000),
        }
    ).write_parquet(folder / "validation_scores.parquet")
    con = duckdb.connect()
    tonight = pl.DataFrame(
        {
            "as_of": [NIGHT] * 2000,
            "a": rng.normal(0.3, 1, 2000),
            "b": rng.integers(0, 4, 2000).astype(float),
            "c": rng.gamma(2.5, 1.0, 2000),
        }
    )
    con.register("tonight", tonight.to_arrow())
    con.execute("create table household_features as select * from tonight")
    yield folder, con, tonight
    con.close()


def validation_values(found: list[dict]) -> dict[str, float]:
    return {r["subject"]: r["value"] for r in found if r["check_name"] == "feature_psi_validation"}


def test_the_kept_bins_give_the_psi_of_the_rows_themselves(world):
    folder, con, tonight = world
    config = config_from({}, "t")
    first = validation_values(feature_drift(con, NIGHT, champion_reference(folder), config))
    rows = pl.read_parquet(folder / "validation_scores.parquet")
    fresh = rows.filter(pl.col("as_of") > date(2026, 6, 1))
    assert first["c"] == value_psi(
        fresh["c"].to_numpy(), tonight["c"].to_numpy(), config.psi.bins, fresh["weight"].to_numpy()
    )
    assert first["a"] == value_psi(
        rows["a"].to_numpy(), tonight["a"].to_numpy(), config.psi.bins, rows["weight"].to_numpy()
    )
    assert first["a"] > 0.05  # tonight's a moved
    kept = json.loads((folder / BINS_FILE).read_text(encoding="utf-8"))
    assert kept["bins"] == config.psi.bins and set(kept["features"]) == {"a", "b", "c"}
    again = validation_values(feature_drift(con, NIGHT, champion_reference(folder), config))
    assert again == first


def test_the_next_night_reads_the_kept_bins_and_another_number_of_bins_does_not(world):
    folder, con, _ = world
    config = config_from({}, "t")
    feature_drift(con, NIGHT, champion_reference(folder), config)
    kept = json.loads((folder / BINS_FILE).read_text(encoding="utf-8"))
    kept["features"]["a"]["counts"] = [1.0] * len(kept["features"]["a"]["counts"])
    (folder / BINS_FILE).write_text(json.dumps(kept), encoding="utf-8")
    flat = validation_values(feature_drift(con, NIGHT, champion_reference(folder), config))
    other = config_from({"psi": {"bins": 5}}, "t")
    fewer = validation_values(feature_drift(con, NIGHT, champion_reference(folder), other))
    assert flat["a"] != fewer["a"]  # the edited counts were read: proof the file is used
    assert json.loads((folder / BINS_FILE).read_text(encoding="utf-8"))["bins"] == 5


def test_training_keeps_the_bins_the_first_night_would_make(world, tmp_path):
    from types import SimpleNamespace

    from flows.operations import keep_drift_bins

    folder, con, _ = world
    night_folder = tmp_path / "night" / "m1"
    night_folder.mkdir(parents=True)
    for name in ("metadata.json", "validation_scores.parquet"):
        (night_folder / name).write_bytes((folder / name).read_bytes())
    feature_drift(con, NIGHT, champion_reference(night_folder), config_from({}, "t"))
    keep_drift_bins(SimpleNamespace(monitoring_file=tmp_path / "absent.yml"), folder)
    assert (folder / BINS_FILE).read_text(encoding="utf-8") == (night_folder / BINS_FILE).read_text(
        encoding="utf-8"
    )

    configured = tmp_path / "monitoring.yml"
    configured.write_text("psi:\n  bins: 5\n", encoding="utf-8")
    keep_drift_bins(SimpleNamespace(monitoring_file=configured), folder)
    assert json.loads((folder / BINS_FILE).read_text(encoding="utf-8"))["bins"] == 5

    (folder / BINS_FILE).unlink()
    configured.write_text("psi: [not, a, mapping\n", encoding="utf-8")
    keep_drift_bins(SimpleNamespace(monitoring_file=configured), folder)  # the night says why
    assert not (folder / BINS_FILE).exists()
