"""Delivering more files dated after D changes no feature at D, byte for byte."""

from datetime import date

from features.build import household_features, write_snapshot
from ingest.history import rebuild_histories
from tests.features.tiny import AS_OF, DAILY, MONTHLY, heartbeat, put


def known_at_as_of(con):
    """Rows of every feed delivered on or before AS_OF."""
    put(
        con,
        "kepco",
        "2026-06-12",
        person_key="p1",
        ym="202605",
        arrears_months=3,
        cutoff=True,
        usage_kwh=40.0,
    )
    put(con, "nhis", "2026-06-10", person_key="p2", ym="202605", premium_arrears_months=4)
    put(
        con,
        "housing",
        "2026-06-08",
        household_key="h3",
        ym="202605",
        kind="mgmt_fee",
        arrears_months=2,
    )
    put(
        con,
        "employment",
        "2026-06-11",
        person_key="p8",
        event_date=date(2026, 6, 9),
        event="job_loss",
    )
    put(
        con,
        "referrals",
        "2026-06-14",
        household_key="h1",
        referral_date=date(2026, 6, 13),
        source="postal",
    )
    put(
        con,
        "benefits",
        "2026-06-03",
        household_key="h2",
        program="livelihood",
        start_date=date(2025, 1, 1),
    )


def delivered_after_as_of(con):
    """Later deliveries of every kind, many about months and days on or before AS_OF."""
    con.execute(
        "insert into stg_registry select * replace ('h1' as household_key, '2026-06-16'::date as "
        "delivery_date) from stg_registry where delivery_date = '2026-06-01'"
    )
    put(con, "kepco", "2026-06-16", person_key="p2", ym="202605", arrears_months=9, cutoff=True)
    put(con, "kepco", "2026-07-10", person_key="p1", ym="202606", arrears_months=4, usage_kwh=0.0)
    put(con, "nhis", "2026-06-20", person_key="p8", ym="202604", premium_arrears_months=7)
    put(
        con,
        "housing",
        "2026-06-16",
        household_key="h1",
        ym="202605",
        kind="public_rent",
        arrears_months=6,
    )
    put(con, "credit", "2026-06-16", person_key="p6", ym="202605", delinquency_days=90)
    put(
        con,
        "employment",
        "2026-06-16",
        person_key="p2",
        event_date=date(2026, 6, 1),
        event="job_loss",
    )
    put(
        con,
        "referrals",
        "2026-06-16",
        household_key="h4",
        referral_date=date(2026, 6, 15),
        source="police",
    )
    put(
        con,
        "benefits",
        "2026-06-16",
        household_key="h4",
        program="emergency",
        start_date=date(2026, 6, 1),
    )
    heartbeat(con, MONTHLY + DAILY, "2026-06-30")


def snapshot_bytes(con, path, as_of=AS_OF):
    rebuild_histories(con)  # as ingest keeps them
    household_features(con, as_of)
    write_snapshot(con, as_of, path)
    return path.read_bytes()


def test_later_deliveries_change_nothing_at_as_of(con, tmp_path):
    known_at_as_of(con)
    before = snapshot_bytes(con, tmp_path / "before.parquet")
    delivered_after_as_of(con)
    assert snapshot_bytes(con, tmp_path / "after.parquet") == before


def test_the_same_deliveries_do_change_a_later_snapshot(con, tmp_path):
    known_at_as_of(con)
    before = snapshot_bytes(con, tmp_path / "before.parquet", date(2026, 7, 15))
    delivered_after_as_of(con)
    assert snapshot_bytes(con, tmp_path / "after.parquet", date(2026, 7, 15)) != before
