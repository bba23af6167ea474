"""The nightly flow: ingest → monitor feeds → visits → features → score → monitor model →
publish → monitor list, one writer at a time."""

from __future__ import annotations

import os
from datetime import date

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from features.build import household_features
from flows.progress import clock, line
from flows.retries import IO_RETRIES
from flows.schedule import scheduled_night
from ingest.load import ingest_inbox
from ingest.report import ingest_report
from models.nightly_scorer import score_night, scorer_of
from monitoring.feeds import mark_forced
from monitoring.stages import findings_line, for_publish, forced_line
from outreach.nights import refuse_earlier, remove_leftovers, require_deliveries
from outreach.publish import publish
from sagak.lock import warehouse_lock
from sagak.privacy import secret
from sagak.settings import get_settings
from sagak.warehouse import warehouse

RUNNERS = ("local", "dask")


@task(name="ingest", cache_policy=NO_CACHE, **IO_RETRIES)
def ingest_deliveries(home: str, as_of: date) -> list[dict]:
    """Load every new delivery dated on or before as_of; NightRefused if there is none at all."""
    settings = get_settings(home)
    with warehouse(settings) as con:
        deliveries = ingest_inbox(con, settings.inbox, as_of, secret(settings))
        require_deliveries(con, as_of)
        return deliveries


@task(name="ingest-report", cache_policy=NO_CACHE, **IO_RETRIES)
def report_ingest(home: str, as_of: date, deliveries: list[dict]) -> list[dict]:
    """Per feed: freshness and the night's counts; published as a Prefect table artifact."""
    settings = get_settings(home)
    with warehouse(settings, read_only=True) as con:
        feeds = ingest_report(con, settings.contracts, as_of, deliveries)
    table = [f | {"top_reasons": "; ".join(f["top_reasons"])} for f in feeds]
    create_table_artifact(
        table=table,
        key="ingest-freshness",
        description=f"sagak ingest {as_of}: freshness and counts per feed",
    )
    return feeds


@task(name="monitor-feeds", cache_policy=NO_CACHE, **IO_RETRIES)
def monitor_feeds(home: str, as_of: date) -> dict:
    """Judge tonight's extracts; a critical finding forces its feed stale for the night."""
    from monitoring.stages import feed_stage

    settings = get_settings(home)
    with warehouse(settings) as con:
        return feed_stage(con, settings, as_of)


@task(name="monitor-model", cache_policy=NO_CACHE, **IO_RETRIES)
def monitor_model(home: str, as_of: date) -> dict:
    """Feature and score drift, list overlap, live quality; flags the champion if sustained."""
    from monitoring.stages import model_stage

    settings = get_settings(home)
    with warehouse(settings) as con:
        return model_stage(con, settings, as_of)


@task(name="monitor-list", cache_policy=NO_CACHE, **IO_RETRIES)
def monitor_list(home: str, as_of: date) -> list[dict]:
    """After publishing: the households excluded and why, against the last night."""
    from monitoring.stages import list_stage

    settings = get_settings(home)
    with warehouse(settings) as con:
        return list_stage(con, settings, as_of)


@task(name="visits", cache_policy=NO_CACHE, **IO_RETRIES)
def load_visit_results(home: str, as_of: date) -> int:
    """Store results dropped in inbox/feedback/, then rebuild `visits` (labels, exclusions)."""
    from models.labels import load_visits
    from outreach.assignments import outreach_tables
    from outreach.feedback import store_folder
    from sagak.privacy import household_key

    settings = get_settings(home)
    key = secret(settings)
    logger = get_run_logger()
    with warehouse(settings) as con:
        outreach_tables(con)
        results = store_folder(
            con, settings.inbox / "feedback", lambda no: household_key(no, key), as_of
        )
        for result in results:
            logger.info(
                "feedback %s: %d stored, %d unchanged",
                result.path.name,
                result.stored,
                result.unchanged,
            )
            for error in result.errors:
                logger.warning("feedback %s", error)
        return load_visits(con, settings.feedback, key)


@task(name="outcome-audit", cache_policy=NO_CACHE, **IO_RETRIES)
def audit_outcomes(home: str, as_of: date) -> int:
    """Fairness audit of the published lists against the visit outcomes known so far."""
    from models.fairness_outcomes import nightly_outcome_audit

    settings = get_settings(home)
    with warehouse(settings) as con:
        return nightly_outcome_audit(con, settings, as_of)


@task(name="features", cache_policy=NO_CACHE, **IO_RETRIES)
def build_features(home: str, as_of: date) -> int:
    """Build `household_features` as of the night."""
    with warehouse(get_settings(home)) as con:
        return household_features(con, as_of)


@task(name="score", cache_policy=NO_CACHE, **IO_RETRIES)
def score(home: str, as_of: date) -> tuple[int, str]:
    """Score every household into `household_scores` with the champion, else the baseline."""
    settings = get_settings(home)
    with warehouse(settings) as con:
        return score_night(con, settings.artifacts, as_of)


@task(name="publish", cache_policy=NO_CACHE, **IO_RETRIES)
def publish_lists(
    home: str,
    as_of: date,
    deliveries: list[dict],
    feeds: list[dict],
    lang: str = "ko",
    monitoring: dict | None = None,
) -> dict:
    """Assign visits; write ranked.parquet, sheets, escalations, report.html and the manifest."""
    settings = get_settings(home)
    with warehouse(settings) as con:
        return publish(con, settings, as_of, scorer_of(con), deliveries, feeds, lang, monitoring)


@task(name="outreach-artifacts", cache_policy=NO_CACHE)
def outreach_artifacts(home: str, as_of: date, manifest: dict) -> None:
    """The list per team (table) and links to the report, manifest and sheets (markdown)."""
    from flows.artifacts import publish_artifacts

    publish_artifacts(get_settings(home).outreach_dir(as_of.isoformat()), as_of, manifest)


def features_and_scores(
    home: str, as_of: date, runner: str, dask_address: str | None
) -> tuple[int, int, str]:
    """(households with features, households scored, scorer), locally or on a Dask cluster."""
    logger = get_run_logger()
    started = clock()
    if runner == "dask":
        from flows.distributed import features_and_scores_dask

        share_api_url()
        features, scored, scorer = features_and_scores_dask(home, as_of, dask_address)
        done = f"{features:,} households, {scored:,} scored with {scorer}"
        logger.info(line("features+score (dask)", done, started))
        return features, scored, scorer
    features = build_features(home, as_of)
    logger.info(line("features", f"{features:,} households", started))
    started = clock()
    scored, scorer = score(home, as_of)
    logger.info(line("score", f"{scored:,} households with {scorer}", started))
    return features, scored, scorer


def share_api_url() -> None:
    """Export this run's Prefect API address, so Dask worker processes report to the same API
    (with the temporary API of a plain `sagak nightly` they would look for one of their own)."""
    from prefect import get_client

    with get_client(sync_client=True) as client:
        os.environ.setdefault("PREFECT_API_URL", str(client.api_url).rstrip("/"))


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
    logger = get_run_logger()
    started = clock()
    deliveries = ingest_deliveries(home, as_of)
    loaded = sum(d["status"] == "loaded" for d in deliveries)
    logger.info(
        line("ingest", f"{len(deliveries):,} file(s) considered, {loaded:,} loaded", started)
    )
    started = clock()
    feeds = report_ingest(home, as_of, deliveries)
    stale = [f"{f['feed']} {f['status']}" for f in feeds if f["status"] != "fresh"]
    logger.info(line("freshness", ", ".join(stale) or "every feed fresh", started))
    started = clock()
    watched = monitor_feeds(home, as_of)
    feeds = mark_forced(feeds, watched["forced_stale"])
    logger.info(line("monitor feeds", forced_line(watched), started))
    started = clock()
    visits = load_visit_results(home, as_of)
    logger.info(line("visits", f"{visits:,} results known", started))
    started = clock()
    audited = audit_outcomes(home, as_of)
    logger.info(line("outcome audit", f"{audited:,} visited households audited", started))
    features_and_scores(home, as_of, runner, dask_address)
    started = clock()
    model = monitor_model(home, as_of)
    logger.info(line("monitor model", findings_line(model["findings"]), started))
    started = clock()
    manifest = publish_lists(home, as_of, deliveries, feeds, lang, for_publish(watched, model))
    counts = manifest.get("counts", {})
    listed = f"{counts.get('households_listed', 0):,} households listed"
    logger.info(line("publish", f"{listed} for {counts.get('teams', 0)} teams", started))
    started = clock()
    logger.info(line("monitor list", findings_line(monitor_list(home, as_of)), started))
    outreach_artifacts(home, as_of, manifest)
    return manifest
