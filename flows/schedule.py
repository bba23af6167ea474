"""When sagak runs unattended, and which night a scheduled run is for."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Seoul"
NIGHTLY_CRON = "0 2 * * *"  # every night at 02:00, Seoul time
TRAIN_CRON = "0 3 1 * *"  # 03:00 on the 1st of every month, Seoul time


def night_before(moment: datetime) -> date:
    """The Seoul calendar day that ended before `moment`: a 02:00 run on the 24th is for the 23rd."""
    return (moment.astimezone(ZoneInfo(TIMEZONE)) - timedelta(days=1)).date()


def scheduled_night() -> date:
    """The night of the current flow run: the day before its scheduled start (Seoul time)."""
    from prefect.runtime import flow_run

    start = flow_run.scheduled_start_time
    return night_before(start if isinstance(start, datetime) else datetime.now(ZoneInfo(TIMEZONE)))
