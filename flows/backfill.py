"""Backfill: the nightly flow for every calendar night from D1 to D2, in order, skipping nights
already published (their manifest exists) unless forced."""

from __future__ import annotations

from datetime import date, timedelta

from prefect import flow, get_run_logger

from flows.lock import warehouse_lock
from flows.nightly import check_runner, nightly
from flows.progress import clock, line
from sagak.settings import Settings, get_settings


def nights(start: date, end: date) -> list[date]:
    """Every calendar night from start to end, both included (the schedule runs every night)."""
    if end < start:
        raise ValueError(f"backfill: --to {end} is before --from {start}")
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def published(settings: Settings, night: date) -> bool:
    """A night is published when its manifest exists: outreach/<night>/manifest.json."""
    return (settings.outreach_dir(night.isoformat()) / "manifest.json").is_file()


@flow(name="backfill", log_prints=False)
def backfill(
    start: date,
    end: date,
    home: str | None = None,
    force: bool = False,
    lang: str = "ko",
    runner: str = "local",
    dask_address: str | None = None,
    lock_wait: float | None = None,
) -> list[dict]:
    """Run `nightly` for each night in order; one record per night: published or skipped."""
    check_runner(runner, dask_address)
    settings = get_settings(home)
    logger = get_run_logger()
    done = []
    with warehouse_lock(settings, f"backfill {start}..{end}", lock_wait):
        for night in nights(start, end):
            if published(settings, night) and not force:
                logger.info("%s: already published, skipped", night)
                done.append({"night": night, "status": "skipped", "seconds": 0.0})
                continue
            started = clock()
            nightly(night, str(settings.home), lang, runner, dask_address)
            logger.info(line(str(night), "published", started))
            done.append({"night": night, "status": "published", "seconds": clock() - started})
    return done
