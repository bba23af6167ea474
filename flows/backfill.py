"""Backfill: the nightly flow for every calendar night from D1 to D2, in order. Skipped unless
forced: nights already published (their manifest exists) and nights earlier than the latest
published one (they would be published from the assignments as they stood, see `nightly`)."""

from __future__ import annotations

from datetime import date, timedelta

import typer
from prefect import flow, get_run_logger

from flows.nightly import check_runner, nightly
from flows.progress import clock
from outreach.nights import NightRefused, latest_published
from sagak.lock import warehouse_lock
from sagak.settings import Settings, get_settings


def nights(start: date, end: date) -> list[date]:
    """Every calendar night from start to end, both included (the schedule runs every night)."""
    if end < start:
        raise ValueError(f"backfill: --to {end} is before --from {start}")
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def published(settings: Settings, night: date) -> bool:
    """A night is published when its manifest exists: outreach/<night>/manifest.json."""
    return (settings.outreach_dir(night.isoformat()) / "manifest.json").is_file()


def skip_reason(settings: Settings, night: date) -> str | None:
    """Why a night is skipped without --force: already published, or earlier than one that is."""
    if published(settings, night):
        return "already published"
    latest = latest_published(settings.outreach)
    if latest is not None and night < latest:
        return f"earlier than the published night {latest}"
    return None


def night_line(record: dict) -> str:
    """'  2026-10-30  published     12.3 s', with the reason of a skipped or refused night."""
    why = f"  {record['why']}" if record.get("why") else ""
    return f"  {record['night']}  {record['status']:<9}  {record['seconds']:6.1f} s{why}"


def summary_line(start: date, end: date, done: list[dict]) -> str:
    """'backfill D1..D2: 3 published, 1 already published, 2 earlier …, 0 refused'."""
    count = {s: sum(r["status"] == s for r in done) for s in ("published", "refused")}
    already = sum(r.get("why") == "already published" for r in done)
    earlier = sum(r["status"] == "skipped" for r in done) - already
    parts = [f"{count['published']} published", f"{already} already published"]
    if earlier:
        parts.append(f"{earlier} earlier than a published night")
    if count["refused"]:
        parts.append(f"{count['refused']} refused")
    forced = " (--force runs them again)" if already or earlier else ""
    return f"backfill {start}..{end}: {', '.join(parts)}{forced}"


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
    echo: bool = False,
) -> list[dict]:
    """Run `nightly` for each night in order; one record per night: published, skipped or
    refused (no data: the next nights still run). `echo`: print each night's line as it ends."""
    check_runner(runner, dask_address)
    settings = get_settings(home)
    logger = get_run_logger()
    done = []
    with warehouse_lock(settings, f"backfill {start}..{end}", lock_wait):
        for night in nights(start, end):
            started = clock()
            record = {"night": night, "status": "published", "why": None}
            why = None if force else skip_reason(settings, night)
            if why:
                record |= {"status": "skipped", "why": why}
            else:
                try:
                    nightly(night, str(settings.home), lang, runner, dask_address, force=force)
                except NightRefused as err:
                    record |= {"status": "refused", "why": str(err)}
            record["seconds"] = clock() - started
            logger.info(night_line(record).strip())
            if echo:
                typer.echo(night_line(record))
            done.append(record)
    return done
