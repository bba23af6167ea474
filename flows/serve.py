"""`sagak serve`: the flows as Prefect deployments with their schedules, served by one process."""

from __future__ import annotations

from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron

from flows.schedule import NIGHTLY_CRON, TIMEZONE, TRAIN_CRON


def deployments(home: str, runner: str = "local", dask_address: str | None = None) -> list:
    """nightly/sagak (02:00 Seoul), train (03:00 on the 1st), feedback and backfill (on demand)."""
    from flows.backfill import backfill
    from flows.nightly import nightly
    from flows.operations import feedback, train

    night = {"home": home, "runner": runner, "dask_address": dask_address}
    return [
        nightly.to_deployment(
            "sagak",
            schedules=[Cron(NIGHTLY_CRON, timezone=TIMEZONE)],
            parameters=night,
            description="Every night at 02:00 Seoul: ingest, features, score, publish.",
            tags=["sagak"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
        train.to_deployment(
            "sagak",
            schedules=[Cron(TRAIN_CRON, timezone=TIMEZONE)],
            parameters={"home": home},
            description="03:00 on the 1st (Seoul): train, validate, promote if better.",
            tags=["sagak"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
        feedback.to_deployment(
            "sagak",
            parameters={"home": home},
            description="On demand: store returned visit results (a file, else inbox/feedback/).",
            tags=["sagak"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
        backfill.to_deployment(
            "sagak",
            parameters=night,
            description="On demand: the nightly flow for each night from start to end.",
            tags=["sagak"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
    ]


def register(found: list[RunnerDeployment]) -> list:
    """Create or update the deployments and their schedules in the Prefect API; their ids."""
    return [deployment.apply() for deployment in found]


def serve_forever(found: list[RunnerDeployment], limit: int | None = 1) -> None:
    """Serve the deployments until interrupted: scheduled runs start here, one at a time."""
    from prefect import serve

    serve(*found, limit=limit)
