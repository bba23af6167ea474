"""Features and scores per city (시군구) on a Dask cluster; the warehouse keeps one writer.

The driver (this flow's process) writes the partitions' inputs to Parquet, one mapped task per
city builds and scores its households on a Dask worker (models.partition), and the driver
stores the features and the globally ranked scores. SAGAK_HOME must be the same path on every
worker (shared storage): the tasks read and write SAGAK_HOME/work/<as_of>/, removed on success.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect_dask import DaskTaskRunner

from models import partition
from sagak.settings import Settings, get_settings
from sagak.warehouse import warehouse


def work_dir(settings: Settings, as_of: date) -> Path:
    """SAGAK_HOME/work/<as_of>: the Parquet partitions of one night's distributed run."""
    return settings.work_dir(as_of.isoformat())


def dask_runner(address: str | None, workers: int) -> DaskTaskRunner:
    """The cluster at `address` (tcp://HOST:PORT), else a local one of `workers` processes."""
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": workers, "processes": True, "threads_per_worker": 1}
    )


@task(name="export-partitions", cache_policy=NO_CACHE)
def export_partitions(home: str, as_of: date) -> list[str]:
    """Write every feed's rows per city, and the markers, to Parquet; the cities' codes."""
    settings = get_settings(home)
    with warehouse(settings, read_only=True) as con:
        return partition.export_partitions(con, as_of, work_dir(settings, as_of))


@task(name="partition-features-and-scores", cache_policy=NO_CACHE)
def partition_night(home: str, as_of: date, part: str) -> tuple[int, int, str]:
    """One city's features and scores, to Parquet (runs on a Dask worker)."""
    settings = get_settings(home)
    return partition.partition_night(work_dir(settings, as_of), part, as_of, settings.artifacts)


@task(name="store-partitions", cache_policy=NO_CACHE)
def store_partitions(
    home: str, as_of: date, parts: list[str], scorers: list[str]
) -> tuple[int, int, str]:
    """Store features and globally ranked scores in the warehouse; remove the work folder."""
    if len(set(scorers)) != 1:
        raise RuntimeError(f"partitions scored with different scorers: {sorted(set(scorers))}")
    settings = get_settings(home)
    work = work_dir(settings, as_of)
    with warehouse(settings) as con:
        households, scored = partition.store_partitions(con, work, as_of, parts)
    shutil.rmtree(work)
    return households, scored, scorers[0]


@flow(name="features-and-scores-partitioned")
def features_and_scores_partitioned(home: str, as_of: date) -> tuple[int, int, str]:
    """Export on the driver, one mapped task per city on the task runner, store on the driver."""
    logger = get_run_logger()
    parts = export_partitions(home, as_of)
    results = partition_night.map(unmapped(home), unmapped(as_of), parts).result()
    for part, (households, _, scorer) in zip(parts, results, strict=True):
        logger.info("partition %s: %d households scored with %s", part, households, scorer)
    return store_partitions(home, as_of, parts, [scorer for _, _, scorer in results])


@flow(name="features-and-scores-dask")
def features_and_scores_dask(
    home: str, as_of: date, address: str | None = None, workers: int = 2
) -> tuple[int, int, str]:
    """`household_features` and `household_scores` as the local path builds them, via Dask."""
    home = str(get_settings(home).home)  # workers need the absolute path
    runner = dask_runner(address, workers)
    return features_and_scores_partitioned.with_options(task_runner=runner)(home, as_of)
