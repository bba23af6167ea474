"""The nightly flow: the night's steps in order (`night_steps`), one writer at a time.

Each step is a Prefect task that opens the settings and the warehouse (`night_task`); the flow
runs it with the earlier results it takes and logs one line with its counts and time (`step`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from features.build import household_features
from flows.progress import clock, line
from flows.retries import IO_RETRIES
from flows.schedule import scheduled_night
from ingest.load import ingest_inbox
from ingest.report import ingest_report
from models.fairness_outcomes import nightly_outcome_audit
from models.nightly_scorer import score_night, scorer_of
from monitoring.feeds import mark_forced
from monitoring.stages import (
    feed_stage,
    findings_line,
    for_publish,
    forced_line,
    list_stage,
    model_stage,
)
from outreach.nights import refuse_earlier, remove_leftovers, require_deliveries
from outreach.publish import publish
from sagak.lock import warehouse_lock
from sagak.privacy import secret
from sagak.settings import Settings, get_settings
from sagak.warehouse import warehouse


def night_task(name: str, work: Callable[..., Any], read_only: bool = False) -> Task:
    """The Prefect task `name`, retried on I/O errors, that calls
    work(con, settings, as_of, *inputs) on the warehouse of SAGAK_HOME `home`."""

    def run(home: str, as_of: date, *inputs: Any) -> Any:
        settings = get_settings(home)
        with warehouse(settings, read_only=read_only) as con:
            return work(con, settings, as_of, *inputs)

    run.__name__ = run.__qualname__ = work.__name__  # Prefect's task key
    run.__doc__ = work.__doc__
    return task(name=name, cache_policy=NO_CACHE, **IO_RETRIES)(run)


# What each task does, on an open warehouse


def deliveries(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date) -> list[dict]:
    """Load every new delivery dated on or before as_of; NightRefused if there is none at all."""
    found = ingest_inbox(con, settings.inbox, as_of, secret(settings))
    require_deliveries(con, as_of)
    return found


def freshness(
    con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date, delivered: list[dict]
) -> list:
    """Per feed: freshness and the night's counts; published as a Prefect table artifact."""
    feeds = ingest_report(con, settings.contracts, as_of, delivered)
    table = [f | {"top_reasons": "; ".join(f["top_reasons"])} for f in feeds]
    create_table_artifact(
        table=table,
        key="ingest-freshness",
        description=f"sagak ingest {as_of}: freshness and counts per feed",
    )
    return feeds


def visits(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date) -> int:
    """Store results dropped in inbox/feedback/, then rebuild `visits` (labels, exclusions)."""
    from outreach.feedback import store_visit_results

    logger = get_run_logger()
    results, known = store_visit_results(con, settings, as_of)
    for result in results:
        logger.info(
            "feedback %s: %d stored, %d unchanged",
            result.path.name,
            result.stored,
            result.unchanged,
        )
        for error in result.errors:
            logger.warning("feedback %s", error)
    return known


def features(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date) -> int:
    """Build `household_features` as of the night."""
    return household_features(con, as_of)


def scores(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date) -> tuple[int, str]:
    """Score every household into `household_scores` with the champion, else the baseline."""
    return score_night(con, settings.artifacts, as_of)


def outreach(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    as_of: date,
    delivered: list[dict],
    feeds: list[dict],
    lang: str,
    watched: dict,
    model: dict,
) -> dict:
    """Assign visits; write ranked.parquet, sheets, escalations, report.html and the manifest
    (feeds that feed monitoring forced stale marked so)."""
    feeds = mark_forced(feeds, watched["forced_stale"])
    monitoring = for_publish(watched, model)
    return publish(con, settings, as_of, scorer_of(con), delivered, feeds, lang, monitoring)


ingest_deliveries = night_task("ingest", deliveries)
report_ingest = night_task("ingest-report", freshness, read_only=True)
monitor_feeds = night_task("monitor-feeds", feed_stage)
load_visit_results = night_task("visits", visits)
audit_outcomes = night_task("outcome-audit", nightly_outcome_audit)
build_features = night_task("features", features)
score = night_task("score", scores)
monitor_model = night_task("monitor-model", model_stage)
publish_lists = night_task("publish", outreach)
monitor_list = night_task("monitor-list", list_stage)


@task(name="outreach-artifacts", cache_policy=NO_CACHE)
def outreach_artifacts(home: str, as_of: date, manifest: dict) -> None:
    """The list per team (table) and links to the report, manifest and sheets (markdown)."""
    from flows.artifacts import publish_artifacts

    publish_artifacts(get_settings(home).outreach_dir(as_of.isoformat()), as_of, manifest)


def features_and_scores_on_dask(home: str, as_of: date, dask_address: str | None) -> tuple:
    """(households with features, households scored, scorer), per city on a Dask cluster."""
    from flows.distributed import features_and_scores_dask

    share_api_url()
    return features_and_scores_dask(home, as_of, dask_address)


def share_api_url() -> None:
    """Export this run's Prefect API address, so Dask worker processes report to the same API
    (with the temporary API of a plain `sagak nightly` they would look for one of their own)."""
    from prefect import get_client

    with get_client(sync_client=True) as client:
        os.environ.setdefault("PREFECT_API_URL", str(client.api_url).rstrip("/"))


# What each step's log line says of its result


def considered(found: list[dict]) -> str:
    loaded = sum(d["status"] == "loaded" for d in found)
    return f"{len(found):,} file(s) considered, {loaded:,} loaded"


def not_fresh(feeds: list[dict]) -> str:
    stale = [f"{f['feed']} {f['status']}" for f in feeds if f["status"] != "fresh"]
    return ", ".join(stale) or "every feed fresh"


def scored_with(result: tuple[int, str]) -> str:
    return f"{result[0]:,} households with {result[1]}"


def scored_on_dask(result: tuple[int, int, str]) -> str:
    households, scored, scorer = result
    return f"{households:,} households, {scored:,} scored with {scorer}"


def listed(manifest: dict) -> str:
    counts = manifest.get("counts", {})
    listed = f"{counts.get('households_listed', 0):,} households listed"
    return f"{listed} for {counts.get('teams', 0)} teams"


@dataclass(frozen=True)
class Step:
    """One step of the night: `does(home, as_of, *results it takes)`, its result kept under
    `gives` (else its name), and a log line `name: says(result) (seconds)` unless says is None."""

    name: str
    does: Callable[..., Any]
    says: Callable[[Any], str] | None
    takes: tuple[str, ...] = ()
    gives: str = ""


FEATURES_AND_SCORES = {
    "local": (
        Step("features", build_features, "{:,} households".format),
        Step("score", score, scored_with),
    ),
    "dask": (
        Step(
            "features+score (dask)", features_and_scores_on_dask, scored_on_dask, ("dask_address",)
        ),
    ),
}
RUNNERS = tuple(FEATURES_AND_SCORES)


def night_steps(runner: str) -> tuple[Step, ...]:
    """The night's steps in order; features and scores locally or on a Dask cluster."""
    return (
        Step("ingest", ingest_deliveries, considered, gives="deliveries"),
        Step("freshness", report_ingest, not_fresh, ("deliveries",), gives="feeds"),
        Step("monitor feeds", monitor_feeds, forced_line, gives="watched"),
        Step("visits", load_visit_results, "{:,} results known".format),
        Step("outcome audit", audit_outcomes, "{:,} visited households audited".format),
        *FEATURES_AND_SCORES[runner],
        Step("monitor model", monitor_model, lambda m: findings_line(m["findings"]), gives="model"),
        Step(
            "publish",
            publish_lists,
            listed,
            ("deliveries", "feeds", "lang", "watched", "model"),
            gives="manifest",
        ),
        Step("monitor list", monitor_list, findings_line),
        Step("outreach artifacts", outreach_artifacts, None, ("manifest",)),
    )


def step(this: Step, home: str, as_of: date, results: dict[str, Any]) -> Any:
    """Run one step with the earlier results it takes; log its line; its result."""
    started = clock()
    result = this.does(home, as_of, *(results[name] for name in this.takes))
    if this.says is not None:
        get_run_logger().info(line(this.name, this.says(result), started))
    return result


def check_runner(runner: str, dask_address: str | None) -> None:
    """runner is local or dask; a Dask address only with the dask runner."""
    if runner not in RUNNERS:
        raise ValueError(f"runner: expected one of {', '.join(RUNNERS)}, got {runner!r}")
    if dask_address and runner != "dask":
        raise ValueError(f"dask_address {dask_address!r} given but runner is {runner!r}")


@flow(name="nightly", log_prints=False)
def nightly(
    as_of: date | None = None,
    home: str | None = None,
    lang: str = "ko",
    runner: str = "local",
    dask_address: str | None = None,
    lock_wait: float | None = None,
    force: bool = False,
) -> dict:
    """One night (default: the day before the scheduled start, Seoul); returns the manifest.

    A night earlier than the latest published one is refused (NightRefused) unless `force`.
    """
    check_runner(runner, dask_address)
    settings = get_settings(home)
    night = as_of or scheduled_night()
    with warehouse_lock(settings, f"nightly {night}", lock_wait):
        refuse_earlier(settings.outreach, night, force)
        remove_leftovers(settings.outreach)
        return run_night(str(settings.home), night, lang, runner, dask_address)


def run_night(home: str, as_of: date, lang: str, runner: str, dask_address: str | None) -> dict:
    """The night's steps in order, each logged with its counts and elapsed time."""
    results: dict[str, Any] = {"lang": lang, "dask_address": dask_address}
    for this in night_steps(runner):
        results[this.gives or this.name] = step(this, home, as_of, results)
    return results["manifest"]
