"""Backfill on a tiny world: every calendar night in order, published once, weekends stale."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import pytest
from typer.testing import CliRunner

from cli.main import app
from flows.backfill import nights, published
from sagak.settings import get_settings
from synth.world import generate

FRIDAY, SUNDAY = date(2026, 10, 30), date(2026, 11, 1)
runner = CliRunner()


@pytest.fixture(scope="module")
def home(tmp_path_factory, prefect_server):
    """A 300-household, 3-month world backfilled from Friday 2026-10-30 to Sunday 2026-11-01."""
    home = tmp_path_factory.mktemp("backfill")
    generate(home, households=300, months=3, end="2026-10", seed=3, mess=0.01)
    result = backfill("2026-10-30", "2026-11-01", home)
    assert result.exit_code == 0, result.output
    return home, result


def backfill(start: str, end: str, home, *more: str):
    return runner.invoke(
        app, ["backfill", "--from", start, "--to", end, "--home", str(home), *more]
    )


def manifest(home, night: date) -> dict:
    path = get_settings(home).outreach_dir(night.isoformat()) / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_calendar_night_is_published_in_order(home):
    home, result = home
    assert "3 published, 0 already published" in result.output
    lines = [line.split() for line in result.output.splitlines() if line.startswith("  2026")]
    assert [(n, status) for n, status, *_ in lines] == [
        ("2026-10-30", "published"),
        ("2026-10-31", "published"),
        ("2026-11-01", "published"),
    ]
    assert [manifest(home, n)["as_of"] for n in nights(FRIDAY, SUNDAY)] == [
        "2026-10-30",
        "2026-10-31",
        "2026-11-01",
    ]


def test_a_weekend_night_publishes_with_its_feeds_marked_stale(home):
    home, _ = home
    friday, sunday = manifest(home, FRIDAY), manifest(home, SUNDAY)
    assert [d for d in friday["deliveries"] if d["status"] == "loaded"]
    assert sunday["deliveries"] == []  # no new files on a Sunday, the list is published anyway
    assert sunday["counts"]["households_scored"] == friday["counts"]["households_scored"] > 250
    assert any(f["status"] != "fresh" for f in sunday["feeds"])


def test_a_second_backfill_does_nothing(home):
    home, _ = home
    before = {n: manifest(home, n)["published_at"] for n in nights(FRIDAY, SUNDAY)}
    again = backfill("2026-10-30", "2026-11-01", home)
    assert again.exit_code == 0, again.output
    assert "0 published, 3 already published" in again.output
    assert {n: manifest(home, n)["published_at"] for n in nights(FRIDAY, SUNDAY)} == before


def test_force_runs_a_published_night_again(home):
    home, _ = home
    before = manifest(home, SUNDAY)["published_at"]
    forced = backfill("2026-11-01", "2026-11-01", home, "--force")
    assert forced.exit_code == 0, forced.output
    assert "1 published, 0 already published" in forced.output
    assert manifest(home, SUNDAY)["published_at"] >= before
    assert published(get_settings(home), SUNDAY)
    assert not published(get_settings(home), date(2026, 11, 2))


def test_the_night_leaves_its_artifacts_in_prefect(home):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def latest(key: str):
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                sort="CREATED_DESC",
                limit=1,
            )
            return found[0]

    home, _ = home
    teams = asyncio.run(latest("outreach-teams"))
    rows = json.loads(teams.data) if isinstance(teams.data, str) else teams.data
    listed = manifest(home, SUNDAY)["teams"]["teams"]
    assert [r["team"] for r in rows] == [t["emd_code"] for t in listed]
    assert sum(r["listed"] for r in rows) == manifest(home, SUNDAY)["counts"]["households_listed"]
    assert {"assigned", "exploration", "escalated", "capacity", "households"} <= set(rows[0])
    files = asyncio.run(latest("outreach-files"))
    folder = get_settings(home).outreach_dir(SUNDAY.isoformat())
    assert (folder / "report.html").as_uri() in files.data
    assert (folder / "manifest.json").as_uri() in files.data
    freshness = asyncio.run(latest("ingest-freshness"))
    assert "kepco" in str(freshness.data)


def test_nights_are_calendar_days_both_ends_included():
    assert nights(FRIDAY, SUNDAY) == [FRIDAY, date(2026, 10, 31), SUNDAY]
    assert nights(SUNDAY, SUNDAY) == [SUNDAY]
    with pytest.raises(ValueError, match="before"):
        nights(SUNDAY, FRIDAY)


def test_the_feedback_flow_stores_a_returned_file_once(home, tmp_path):
    import polars as pl

    from flows.operations import feedback

    home, _ = home
    folder = get_settings(home).outreach_dir(SUNDAY.isoformat())
    listed = (
        pl.read_parquet(folder / "ranked.parquet").filter(pl.col("assigned")).row(0, named=True)
    )
    returned = tmp_path / "results.csv"
    returned.write_text(
        "household_key,emd_code,visit_date,outcome,services\n"
        f"{listed['household_key']},{listed['emd_code']},2026-11-02,not_in_need,\n"
        f"{listed['household_key']},{listed['emd_code']},2026-11-02,maybe,\n",
        encoding="utf-8",
    )
    first = feedback(path=str(returned), received=date(2026, 11, 3), home=str(home))
    assert [(r["rows"], r["stored"], r["unchanged"]) for r in first] == [(2, 1, 0)]
    assert len(first[0]["errors"]) == 1 and "unknown result code 'maybe'" in first[0]["errors"][0]
    again = feedback(path=str(returned), received=date(2026, 11, 3), home=str(home))
    assert [(r["stored"], r["unchanged"]) for r in again] == [(0, 1)]


def test_training_without_enough_history_fails_at_once_without_retries(home):
    import time

    from flows.operations import train
    from models.temporal import NotEnoughHistory

    home, _ = home
    started = time.monotonic()
    with pytest.raises(NotEnoughHistory):
        train(as_of=SUNDAY, home=str(home))
    assert time.monotonic() - started < 10  # retries would wait 10, 20 and 40 s


def test_a_night_on_dask_publishes_the_same_households(home, monkeypatch):
    pytest.importorskip("prefect_dask")
    from flows.nightly import nightly

    monkeypatch.delenv("PREFECT_API_URL", raising=False)  # the run exports it for its workers
    home, _ = home
    monday = date(2026, 11, 2)
    done = nightly(as_of=monday, home=str(home), runner="dask")
    sunday = manifest(home, SUNDAY)
    assert done["counts"]["households_scored"] == sunday["counts"]["households_scored"]
    assert done["scorer"] == sunday["scorer"]
    assert manifest(home, monday)["as_of"] == "2026-11-02"
