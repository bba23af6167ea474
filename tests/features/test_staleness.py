"""A feed with no delivery within its max age (45 days for monthly feeds) gives NULL, not 0."""

import duckdb
import pytest

from features.catalog import freshness_max_age_days
from tests.features.tiny import DAILY, MONTHLY, features_at, heartbeat, put, tiny_world


@pytest.fixture
def stale_kepco(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    tiny_world(con, fresh_on="2026-06-10")
    con.execute("delete from stg_kepco")
    yield con
    con.close()


def test_stale_feed_gives_null_and_a_flag(stale_kepco):
    put(stale_kepco, "kepco", "2026-04-30", person_key="p1", ym="202603", arrears_months=3)
    h1 = features_at(stale_kepco)["h1"]  # 46 days after the last kepco delivery
    assert h1["kepco_stale"] == 1
    assert h1["power_arrears_months_max_6m"] is None and h1["power_cutoff_12m"] is None
    assert (h1["water_stale"], h1["water_arrears_months_max_3m"]) == (0, 0)


def test_feed_delivered_within_its_max_age_is_fresh(stale_kepco):
    assert freshness_max_age_days()["kepco"] == 45
    put(stale_kepco, "kepco", "2026-05-01", person_key="p1", ym="202603", arrears_months=3)
    h1 = features_at(stale_kepco)["h1"]  # 45 days: still fresh
    assert (h1["kepco_stale"], h1["power_arrears_months_max_6m"], h1["power_cutoff_12m"]) == (
        0,
        3,
        0,
    )


def test_never_delivered_feed_is_stale(stale_kepco):
    h4 = features_at(stale_kepco)["h4"]
    assert (h4["kepco_stale"], h4["power_arrears_months_max_3m"]) == (1, None)


def test_stale_daily_and_benefit_feeds(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    tiny_world(con, fresh_on="2026-06-10")
    con.execute("delete from stg_referrals")
    heartbeat(con, ("referrals",), "2026-05-31")  # 15 days > 14
    h1 = features_at(con)["h1"]
    assert (h1["referrals_stale"], h1["referrals_90d"]) == (1, None)
    assert (h1["benefits_stale"], h1["benefit_active"]) == (1, None)  # never delivered
    assert (h1["employment_stale"], h1["job_loss_365d"]) == (0, 0)
    assert set(MONTHLY + DAILY) <= set(freshness_max_age_days())
