"""Alarms that mean something, end to end: a clean 2,000-household world, a champion trained,
then ten nights through the real nightly flow — across a month turn and the registry's and
benefits' monthly deliveries — must raise no critical finding; the next night brings a kepco
extract holding 5% of its customers, which must be the night's one critical finding, listed
first, with kepco marked stale.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pytest

from sagak.settings import get_settings
from tests.worlds import latest_file, truncate_delivery


@pytest.fixture(scope="module")
def watched(tmp_path_factory, prefect_server):
    """(settings, the ten clean nights, the broken night, every monitoring row newest first)."""
    from flows.nightly import nightly
    from flows.operations import train_for_settings
    from ingest.load import ingest_inbox
    from monitoring.findings import recent_findings
    from outreach.visits import load_visits
    from sagak.privacy import secret
    from sagak.warehouse import warehouse
    from synth.world import generate

    home = tmp_path_factory.mktemp("clean_nights")
    generate(home, households=2000, months=13, end="2026-11", seed=7, mess=0.0)
    settings = get_settings(home)
    kepco = latest_file(settings.inbox, "kepco")  # kepco_20261109.csv, not read before its night
    broken = datetime.strptime(kepco.stem.split("_")[1], "%Y%m%d").date()
    truncate_delivery(kepco, 0.05)
    trained_on = broken - timedelta(days=11)
    with warehouse(settings) as con:
        ingest_inbox(con, settings.inbox, trained_on, secret(settings))
        load_visits(con, settings.feedback, secret(settings))
    train_for_settings(settings, trained_on, seed=0)
    nights = [trained_on + timedelta(days=n) for n in range(1, 11)]
    for night in [*nights, broken]:
        nightly(as_of=night, home=str(home))
    with warehouse(settings, read_only=True) as con:
        rows = recent_findings(con, 11)
    return settings, nights, broken, rows


def test_ten_clean_nights_after_training_raise_no_critical_finding(watched):
    _, nights, _, rows = watched
    assert date(2026, 11, 1) in nights  # the monthly windows move: still no alarm
    monitored = {r["night"] for r in rows}
    assert set(nights) <= monitored
    critical = [
        (r["night"], r["message"])
        for r in rows
        if r["night"] in nights and r["severity"] == "critical"
    ]
    assert critical == []


def test_a_kepco_extract_of_five_percent_is_the_nights_one_critical_and_first(watched):
    _, _, broken, rows = watched
    tonight = [r for r in rows if r["night"] == broken]
    critical = [r for r in tonight if r["severity"] == "critical"]
    assert {(r["check_name"], r["subject"]) for r in critical} == {
        ("volume", "kepco"),
        ("persons", "kepco"),  # kepco is keyed by person
    }
    first = tonight[0]
    assert (first["check_name"], first["subject"]) == ("volume", "kepco")
    assert "5% of the usual" in first["message"]
    assert "its features are marked stale tonight" in first["message"]


def test_kepco_is_marked_stale_on_that_night(watched):
    settings, nights, broken, _ = watched
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        forced = con.sql(
            "select feed from monitoring_forced_stale where night = $n", params={"n": broken}
        ).fetchall()
        flags = con.sql(
            "select as_of, min(kepco_stale), max(kepco_stale), count(power_usage_drop_pct) "
            "from household_features where as_of in ($a, $b) group by as_of order by as_of",
            params={"a": nights[-1], "b": broken},
        ).fetchall()
    assert forced == [("kepco",)]
    assert flags[0][1:3] == (0, 0) and flags[0][3] > 0
    assert flags[1][1:] == (1, 1, 0)
