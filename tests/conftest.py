"""Shared fixtures: a real temporary Prefect server for flow tests, and a small synthetic world
through the real ingest with one model trained on it (per session; tests that change it work on
a copy: tests.worlds.copy_home)."""

from __future__ import annotations

import os

import pytest

from flows.cli import latest_delivery_date
from sagak.settings import get_settings

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_server():
    """A real, temporary Prefect API server (Prefect's test harness) for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def small_world(tmp_path_factory):
    """800 households × 12 months, ingested; returns (settings, last night)."""
    from ingest.load import ingest_inbox
    from models.labels import load_visits
    from sagak.privacy import secret
    from sagak.warehouse import warehouse
    from synth.world import generate

    home = tmp_path_factory.mktemp("model_home")
    generate(home, households=800, months=12, end="2026-10", seed=11, mess=0.0)
    settings = get_settings(home)
    night = latest_delivery_date(settings.inbox)
    with warehouse(settings) as con:
        ingest_inbox(con, settings.inbox, night, secret(settings))
        load_visits(con, settings.feedback, secret(settings))
    return settings, night


@pytest.fixture(scope="session")
def trained(small_world):
    """The first model trained on the small world: (settings, night, metadata)."""
    from models.promotion import train_for_settings

    settings, night = small_world
    return settings, night, train_for_settings(settings, night, seed=0)
