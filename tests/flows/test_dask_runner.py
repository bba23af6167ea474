"""The Dask path builds the same features and ranked list as the local path (2 worker processes)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from features.build import household_features
from models.baseline import SCORER as BASELINE
from models.nightly_scorer import score_night
from models.partition import NothingToPartition
from sagak.settings import get_settings
from sagak.warehouse import warehouse

REASONS = ["reasons", "reasons_ko", "reasons_en"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """400 households in the 4 cities × 12 months (enough history to train), ingested."""
    from tests.worlds import ingested_world

    settings, night = ingested_world(tmp_path_factory.mktemp("dask_world"), 400, seed=5, mess=0.01)
    return settings.home, night


def copy_of(home, target):
    shutil.copytree(home, target)
    return get_settings(target)


def local_night(settings, as_of: date) -> tuple[int, int, str]:
    """What the local nightly tasks `features` and `score` do, in one process."""
    with warehouse(settings) as con:
        households = household_features(con, as_of)
        scored, scorer = score_night(con, settings.artifacts, as_of)
    return households, scored, scorer


def tables(settings, as_of: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`household_features` at as_of and `household_scores`, sorted by household_key."""
    with warehouse(settings, read_only=True) as con:
        features = con.sql(
            "select * from household_features where as_of = $as_of order by household_key",
            params={"as_of": as_of},
        ).pl()
        scores = con.sql("select * from household_scores order by household_key").pl()
    return features, scores


def both_runs(home, tmp, as_of: date, address: str | None = None) -> dict:
    """The local path on one copy of `home`, the Dask path on another; their results and tables."""
    from flows.distributed import features_and_scores_dask

    local, dask = copy_of(home, tmp / "local"), copy_of(home, tmp / "dask")
    return {
        "local": local_night(local, as_of),
        "dask": features_and_scores_dask(str(dask.home), as_of, address=address, workers=2),
        "local_tables": tables(local, as_of),
        "dask_tables": tables(dask, as_of),
        "work": dask.home / "work" / as_of.isoformat(),
    }


@pytest.fixture(scope="module")
def baseline_runs(world, tmp_path_factory, prefect_server):
    """Both paths with the baseline scorer; Dask on a local cluster the runner starts."""
    home, night = world
    return both_runs(home, tmp_path_factory.mktemp("baseline"), night + timedelta(days=1))


@pytest.fixture(scope="module")
def champion_runs(world, tmp_path_factory, prefect_server):
    """Both paths with a trained champion; Dask on a 2-process cluster given by its address."""
    from distributed import LocalCluster

    from flows.operations import train_for_settings

    home, night = world
    tmp = tmp_path_factory.mktemp("champion")
    trained = copy_of(home, tmp / "trained")
    meta = train_for_settings(trained, night, seed=0)
    assert meta["promotion"]["promoted"], meta["promotion"]
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1) as cluster:
        runs = both_runs(trained.home, tmp, night + timedelta(days=1), cluster.scheduler_address)
    return runs | {"model_id": meta["model_id"]}


def test_dask_run_reports_what_the_local_run_built(baseline_runs):
    households, scored, scorer = baseline_runs["local"]
    assert households == scored > 300 and scorer == BASELINE
    assert baseline_runs["dask"] == (households, scored, scorer)
    assert not baseline_runs["work"].exists()  # removed once stored


def test_dask_features_equal_local_features(baseline_runs):
    local, _ = baseline_runs["local_tables"]
    dask, _ = baseline_runs["dask_tables"]
    assert local["sigungu_code"].n_unique() == 4
    assert_frame_equal(dask, local)


def test_dask_ranked_list_equals_local_list_byte_for_byte(baseline_runs):
    _, local = baseline_runs["local_tables"]
    _, dask = baseline_runs["dask_tables"]
    assert local["rank"].sort().to_list() == list(range(1, local.height + 1))
    assert_frame_equal(dask, local)


def test_dask_with_a_champion_equals_local_run(champion_runs):
    local_features, local = champion_runs["local_tables"]
    dask_features, dask = champion_runs["dask_tables"]
    assert champion_runs["dask"] == champion_runs["local"]
    assert champion_runs["dask"][2] == champion_runs["model_id"]
    assert_frame_equal(dask_features, local_features)
    assert_frame_equal(dask.drop(REASONS), local.drop(REASONS))


def test_dask_with_a_champion_gives_the_local_reasons(champion_runs):
    _, local = champion_runs["local_tables"]
    _, dask = champion_runs["dask_tables"]
    assert_frame_equal(
        dask.select("household_key", *REASONS), local.select("household_key", *REASONS)
    )


def test_markers_carry_the_population_values_into_each_partition(world, tmp_path):
    """Without the marker rows, a city's own rows give other freshness and streak answers."""
    from models.partition import export_partitions, partition_night

    home, night = world
    as_of = night + timedelta(days=1)
    settings = copy_of(home, tmp_path / "home")
    local_night(settings, as_of)
    local, _ = tables(settings, as_of)
    work = tmp_path / "work"
    with warehouse(settings, read_only=True) as con:
        parts = export_partitions(con, as_of, work)
    for markers in work.glob("input/*/markers.parquet"):
        pl.read_parquet(markers).head(0).write_parquet(markers)
    for part in parts:
        partition_night(work, part, as_of, settings.artifacts)
    unmarked = pl.read_parquet(work / "output" / "features" / "*.parquet").sort("household_key")
    assert unmarked["household_key"].to_list() == local["household_key"].to_list()
    assert not unmarked.equals(local)


def test_an_empty_warehouse_says_to_ingest_first(tmp_path):
    from models.partition import export_partitions

    with (
        warehouse(get_settings(tmp_path)) as con,
        pytest.raises(NothingToPartition, match="ingest"),
    ):
        export_partitions(con, date(2026, 10, 1), tmp_path / "work")
