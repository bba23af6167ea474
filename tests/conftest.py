"""Shared fixtures: a real temporary Prefect server for flow tests, and a small synthetic world
through the real ingest with one model trained on it (per session; tests that change it work on
a copy: tests.worlds.copy_home)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_server():
    """A real, temporary Prefect API server (Prefect's test harness) for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def small_world(tmp_path_factory):
    """2,000 households × 12 months, ingested; returns (settings, last night). Fewer and the
    first model does not beat the rule-like baseline on the few labelled picks (so is rightly
    not promoted), and the tests of a champion have none."""
    from tests.worlds import ingested_world

    return ingested_world(tmp_path_factory.mktemp("model_home"), 2000, seed=11, mess=0.0)


@pytest.fixture(scope="session")
def trained(small_world):
    """The first model trained on the small world: (settings, night, metadata)."""
    from flows.operations import train_for_settings

    settings, night = small_world
    return settings, night, train_for_settings(settings, night, seed=0)
