"""The nightly flow: ingest → features → score → publish, one warehouse writer at a time."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from features.build import household_features
from ingest.load import ingest_inbox
from ingest.report import ingest_report
from models.baseline import SCORER, score_households
from outreach.publish import publish
from sagak.privacy import secret
from sagak.settings import get_settings
from sagak.warehouse import warehouse


@task(name="ingest", cache_policy=NO_CACHE)
def ingest_deliveries(home: str, as_of: date) -> list[dict]:
    """Load every new delivery dated on or before as_of into the warehouse."""
    settings = get_settings(home)
    with warehouse(settings) as con:
        return ingest_inbox(con, settings.inbox, as_of, secret(settings))


@task(name="ingest-report", cache_policy=NO_CACHE)
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


@task(name="features", cache_policy=NO_CACHE)
def build_features(home: str, as_of: date) -> int:
    """Build `household_features` as of the night."""
    with warehouse(get_settings(home)) as con:
        return household_features(con, as_of)


@task(name="score", cache_policy=NO_CACHE)
def score(home: str, as_of: date) -> int:
    """Score every household into `household_scores`."""
    with warehouse(get_settings(home)) as con:
        return score_households(con, as_of)


@task(name="publish", cache_policy=NO_CACHE)
def publish_lists(home: str, as_of: date, deliveries: list[dict], feeds: list[dict]) -> dict:
    """Write ranked.parquet, the teams' sheets and the manifest (with feed freshness)."""
    settings = get_settings(home)
    with warehouse(settings) as con:
        return publish(con, settings, as_of, SCORER, deliveries, feeds)


@flow(name="nightly", log_prints=False)
def nightly(as_of: date, home: str | None = None) -> dict:
    """One night: returns the manifest of what was published."""
    home = str(get_settings(home).home)
    logger = get_run_logger()
    deliveries = ingest_deliveries(home, as_of)
    logger.info("ingest: %d files considered", len(deliveries))
    feeds = report_ingest(home, as_of, deliveries)
    stale = [f"{f['feed']} {f['status']}" for f in feeds if f["status"] != "fresh"]
    logger.info("freshness: %s", ", ".join(stale) or "every feed fresh")
    features = build_features(home, as_of)
    logger.info("features: %d households", features)
    scored = score(home, as_of)
    logger.info("score: %d households scored with %s", scored, SCORER)
    return publish_lists(home, as_of, deliveries, feeds)
