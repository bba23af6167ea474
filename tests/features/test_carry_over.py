"""Carrying the monthly features over from an earlier night: the same snapshot as a rebuild."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from features.build import household_features
from features.reuse import MONTHLY_FEEDS
from sagak.warehouse import warehouse

MONTH = dt.date(2026, 10, 1)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from tests.worlds import ingested_world

    return ingested_world(tmp_path_factory.mktemp("carry_home"), 300, seed=5, mess=0.0)


def monthly_deliveries(con) -> list[dt.date]:
    """The October delivery dates of the monthly feeds."""
    rows = con.sql(
        "select distinct delivery_date from current_files "
        "where list_contains($feeds, feed) and delivery_date >= $month order by 1",
        params={"feeds": list(MONTHLY_FEEDS), "month": MONTH},
    ).fetchall()
    return [r[0] for r in rows]


def quiet_nights(deliveries: list[dt.date]) -> tuple[dt.date, dt.date]:
    """Two October nights with no monthly delivery between them (the first after one)."""
    for first, after in zip(deliveries, [*deliveries[1:], dt.date(2026, 11, 1)], strict=True):
        if (after - first).days >= 3:
            return first, first + dt.timedelta(days=2)
    raise AssertionError(f"no quiet nights among {deliveries}")


def snapshot(con, night: dt.date) -> pl.DataFrame:
    return con.sql(
        "from household_features where as_of = $d order by household_key", params={"d": night}
    ).pl()


def carried_from(con, night: dt.date):
    return con.sql(
        "select reused_from from feature_builds where as_of = $d", params={"d": night}
    ).fetchall()[0][0]


def test_a_quiet_night_carries_the_monthly_features_and_equals_a_rebuild(world):
    settings, _ = world
    with warehouse(settings) as con:
        first, second = quiet_nights(monthly_deliveries(con))
        household_features(con, first)
        assert carried_from(con, first) is None  # nothing earlier this month to carry
        household_features(con, second)
        assert carried_from(con, second) == first
        carried = snapshot(con, second)
        household_features(con, second, carry=False)
        assert carried_from(con, second) is None
        rebuilt = snapshot(con, second)
    assert carried.height > 0 and carried.equals(rebuilt)
    # the carried columns hold signals, not just zeros
    assert carried["power_arrears_months_max_12m"].sum() > 0
    assert carried["signal_feeds_6m"].sum() > 0


def test_a_monthly_delivery_in_between_rebuilds(world):
    settings, _ = world
    with warehouse(settings) as con:
        deliveries = monthly_deliveries(con)
        before = deliveries[0] - dt.timedelta(days=1)
        assert before >= MONTH, deliveries
        household_features(con, before)
        household_features(con, deliveries[0])
        assert carried_from(con, deliveries[0]) is None
        carried = snapshot(con, deliveries[0])
        household_features(con, deliveries[0], carry=False)
        assert carried.equals(snapshot(con, deliveries[0]))


def test_a_feed_forced_stale_tonight_rebuilds_with_its_features_unknown(world):
    settings, _ = world
    with warehouse(settings) as con:
        first, second = quiet_nights(monthly_deliveries(con))
        household_features(con, first)
        con.execute(
            "create table if not exists monitoring_forced_stale "
            "(night date, feed varchar, file_id varchar, reason varchar)"
        )
        con.execute(
            "insert into monitoring_forced_stale values ($d, 'kepco', null, 'test')",
            {"d": second},
        )
        try:
            household_features(con, second)
            assert carried_from(con, second) is None
            stale = snapshot(con, second)
        finally:
            con.execute("delete from monitoring_forced_stale where night = $d", {"d": second})
    assert stale["kepco_stale"].unique().to_list() == [1]
    assert stale["power_arrears_months_max_12m"].null_count() == stale.height


def test_a_feature_builds_table_of_an_older_layout_is_replaced_not_an_error(world):
    settings, _ = world
    with warehouse(settings) as con:
        first, second = quiet_nights(monthly_deliveries(con))
        con.execute("drop table if exists feature_builds")
        con.execute("create table feature_builds (as_of date, monthly_columns varchar[])")
        household_features(con, first)  # cannot carry from the old table, and replaces it
        assert carried_from(con, first) is None
        household_features(con, second)
        assert carried_from(con, second) == first
