"""The monthly `train` flow and the `feedback` flow, as `sagak serve` runs them unattended."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.progress import clock, line
from flows.retries import IO_RETRIES
from flows.schedule import scheduled_night
from sagak.lock import warehouse_lock
from sagak.settings import Settings, get_settings


def train_for_settings(settings: Settings, as_of: date, seed: int = 0) -> dict:
    """`sagak train`: visit results → labels, then train, register and promote on the
    installation's warehouse, with the teams' capacities of teams.yml; the model's metadata."""
    from models.promotion import train_model as train_and_promote
    from models.registry import registry_dir
    from outreach.teams import team_capacities
    from outreach.visits import load_visits
    from sagak.privacy import secret
    from sagak.warehouse import warehouse

    capacities = team_capacities(settings.teams_file)
    with warehouse(settings) as con:
        load_visits(con, settings.feedback, secret(settings))
        meta = train_and_promote(con, settings.artifacts, as_of, capacities, seed)
    keep_drift_bins(settings, registry_dir(settings.artifacts) / meta["model_id"])
    return meta


def keep_drift_bins(settings: Settings, folder: Path) -> None:
    """Bin the model's validation rows for the nightly feature-drift check now, in its folder
    (monitoring/drift.py: validation_bins), so that its first night need not (1.8 s at 200k).
    With a monitoring file that cannot be read, the night bins them and says what is wrong."""
    from monitoring.config import MonitoringConfigError, load_config
    from monitoring.drift import champion_reference, validation_bins

    try:
        bins = load_config(settings.monitoring_file).psi.bins
    except MonitoringConfigError:
        return
    reference = champion_reference(folder)
    if reference is not None:
        names = [name for name in reference.features if name in reference.rows.columns]
        validation_bins(reference, names, bins)


@task(name="train", cache_policy=NO_CACHE, **IO_RETRIES)
def train_model(home: str, as_of: date, seed: int) -> dict:
    """Train and validate forward in time, register, promote per the registry rules."""
    meta = train_for_settings(get_settings(home), as_of, seed)
    return {"model_id": meta["model_id"], **meta["promotion"]}


@flow(name="train", log_prints=False)
def train(
    as_of: date | None = None,
    home: str | None = None,
    seed: int = 0,
    lock_wait: float | None = None,
) -> dict:
    """Train as of the night (default: the day before the scheduled start); the verdict."""
    settings = get_settings(home)
    night = as_of or scheduled_night()
    with warehouse_lock(settings, f"train {night}", lock_wait):
        started = clock()
        verdict = train_model(str(settings.home), night, seed)
    word = "promoted" if verdict["promoted"] else "not promoted"
    get_run_logger().info(line("train", f"{verdict['model_id']} {word}", started))
    return verdict


@task(name="feedback", cache_policy=NO_CACHE, **IO_RETRIES)
def store_returned(home: str, path: str | None, received: date) -> list[dict]:
    """Store one returned file, or every file in inbox/feedback/; rebuild `visits`."""
    from outreach.feedback import store_visit_results
    from sagak.warehouse import warehouse

    settings = get_settings(home)
    with warehouse(settings) as con:
        results, _ = store_visit_results(con, settings, received, Path(path) if path else None)
    return [
        {
            "file": r.path.name,
            "rows": r.rows,
            "stored": r.stored,
            "unchanged": r.unchanged,
            "errors": r.errors,
        }
        for r in results
    ]


@flow(name="feedback", log_prints=False)
def feedback(
    path: str | None = None,
    received: date | None = None,
    home: str | None = None,
    lock_wait: float | None = None,
) -> list[dict]:
    """Store returned visit results (`path`, else inbox/feedback/); one summary per file."""
    settings = get_settings(home)
    day = received or date.today()
    logger = get_run_logger()
    with warehouse_lock(settings, f"feedback {path or 'inbox/feedback'}", lock_wait):
        started = clock()
        results = store_returned(str(settings.home), path, day)
    if not results:
        logger.info(
            line("feedback", f"no returned files in {settings.inbox / 'feedback'}", started)
        )
    for r in results:
        done = f"{r['rows']} rows, {r['stored']} stored, {r['unchanged']} unchanged"
        logger.info(line(f"feedback {r['file']}", done, started))
        for error in r["errors"]:
            logger.warning("feedback %s", error)
    return results
