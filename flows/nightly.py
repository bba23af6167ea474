"""The nightly flow: ingest → visits → features → score → publish, one writer at a time."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from features.build import household_features
from ingest.load import ingest_inbox
from ingest.report import ingest_report
from models.nightly_scorer import score_night, scorer_of
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


@task(name="visits", cache_policy=NO_CACHE)
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


@task(name="features", cache_policy=NO_CACHE)
def build_features(home: str, as_of: date) -> int:
    """Build `household_features` as of the night."""
    with warehouse(get_settings(home)) as con:
        return household_features(con, as_of)


@task(name="score", cache_policy=NO_CACHE)
def score(home: str, as_of: date) -> tuple[int, str]:
    """Score every household into `household_scores` with the champion, else the baseline."""
    settings = get_settings(home)
    with warehouse(settings) as con:
        return score_night(con, settings.artifacts, as_of)


@task(name="publish", cache_policy=NO_CACHE)
def publish_lists(
    home: str, as_of: date, deliveries: list[dict], feeds: list[dict], lang: str = "ko"
) -> dict:
    """Assign visits; write ranked.parquet, sheets, escalations, report.html and the manifest."""
    settings = get_settings(home)
    with warehouse(settings) as con:
        return publish(con, settings, as_of, scorer_of(con), deliveries, feeds, lang)


@flow(name="nightly", log_prints=False)
def nightly(as_of: date, home: str | None = None, lang: str = "ko") -> dict:
    """One night: returns the manifest of what was published."""
    home = str(get_settings(home).home)
    logger = get_run_logger()
    deliveries = ingest_deliveries(home, as_of)
    logger.info("ingest: %d files considered", len(deliveries))
    feeds = report_ingest(home, as_of, deliveries)
    stale = [f"{f['feed']} {f['status']}" for f in feeds if f["status"] != "fresh"]
    logger.info("freshness: %s", ", ".join(stale) or "every feed fresh")
    visits = load_visit_results(home, as_of)
    logger.info("visits: %d results known", visits)
    features = build_features(home, as_of)
    logger.info("features: %d households", features)
    scored, scorer = score(home, as_of)
    logger.info("score: %d households scored with %s", scored, scorer)
    return publish_lists(home, as_of, deliveries, feeds, lang)
