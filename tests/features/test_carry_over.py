"""Carrying the monthly features over from an earlier night, feed by feed: the same snapshot as
a rebuild, with only the feeds that delivered (or whose stale flag flipped) read from their rows."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from features.build import build_snapshot, drop_intermediates, household_features
from features.reuse import MONTHLY_FEEDS
from sagak.warehouse import warehouse

MONTH = dt.date(2026, 10, 1)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from tests.worlds import ingested_world

    # seed 3: kepco delivers alone in October (on the 16th), apart from the registry
    return ingested_world(tmp_path_factory.mktemp("carry_home"), 300, seed=3, mess=0.0)


def monthly_deliveries(con) -> dict[dt.date, list[str]]:
    """The October delivery dates of the monthly feeds, with the feeds delivered on each."""
    rows = con.sql(
        "select delivery_date, list(distinct feed order by feed) from current_files "
        "where list_contains($feeds, feed) and delivery_date >= $month group by 1 order by 1",
        params={"feeds": list(MONTHLY_FEEDS), "month": MONTH},
    ).fetchall()
    return dict(rows)


def quiet_nights(deliveries: list[dt.date]) -> tuple[dt.date, dt.date]:
    """Two October nights in a row, the first a monthly delivery's, the second without one."""
    for first, after in zip(deliveries, [*deliveries[1:], dt.date(2026, 11, 1)], strict=True):
        if (after - first).days >= 2:
            return first, first + dt.timedelta(days=1)
    raise AssertionError(f"no quiet nights among {deliveries}")


def kepco_night(deliveries: dict[dt.date, list[str]]) -> dt.date:
    """The October night kepco delivered on, with a night of October before it."""
    night = next(day for day, feeds in deliveries.items() if "kepco" in feeds)
    assert night > MONTH and len(deliveries[night]) < len(MONTHLY_FEEDS), deliveries
    return night


def snapshot(con, night: dt.date) -> pl.DataFrame:
    return con.sql(
        "from household_features where as_of = $d order by household_key", params={"d": night}
    ).pl()


def carried_from(con, night: dt.date):
    return con.sql(
        "select reused_from from feature_builds where as_of = $d", params={"d": night}
    ).fetchall()[0][0]


def rebuilt_feeds(con, night: dt.date) -> list[str]:
    return con.sql(
        "select rebuilt_feeds from feature_builds where as_of = $d", params={"d": night}
    ).fetchall()[0][0]


def test_a_quiet_night_carries_the_monthly_features_and_equals_a_rebuild(world):
    settings, _ = world
    with warehouse(settings) as con:
        first, second = quiet_nights(list(monthly_deliveries(con)))
        household_features(con, first)
        assert carried_from(con, first) is None  # nothing earlier this month to carry
        household_features(con, second)
        assert carried_from(con, second) == first
        assert rebuilt_feeds(con, second) == []
        carried = snapshot(con, second)
        household_features(con, second, carry=False)
        assert carried_from(con, second) is None
        assert rebuilt_feeds(con, second) == list(MONTHLY_FEEDS)
        rebuilt = snapshot(con, second)
    assert carried.height > 0 and carried.equals(rebuilt)
    # the carried columns hold signals, not just zeros
    assert carried["power_arrears_months_max_12m"].sum() > 0
    assert carried["signal_feeds_6m"].sum() > 0


def test_the_night_after_a_kepco_delivery_reads_only_the_delivered_feeds_rows(world):
    settings, _ = world
    with warehouse(settings) as con:
        deliveries = monthly_deliveries(con)
        night = kepco_night(deliveries)
        household_features(con, night - dt.timedelta(days=1))
        build_snapshot(con, night, carry=True)
        read = con.sql("select distinct feed from fx_signal_months order by feed").fetchall()
        parts = con.sql("select distinct feed from fx_signal_parts order by feed").fetchall()
        drop_intermediates(con)
    assert [r[0] for r in read] == deliveries[night]
    # across the feeds, every feed's signals count: the others' as carried
    assert len(parts) > len(deliveries[night])


def test_a_night_after_a_delivery_rebuilds_only_the_delivered_feeds_and_equals_a_rebuild(world):
    settings, _ = world
    with warehouse(settings) as con:
        deliveries = monthly_deliveries(con)
        night = kepco_night(deliveries)
        household_features(con, night - dt.timedelta(days=1))
        household_features(con, night)
        assert carried_from(con, night) == night - dt.timedelta(days=1)
        assert rebuilt_feeds(con, night) == [f for f in MONTHLY_FEEDS if f in deliveries[night]]
        carried = snapshot(con, night)
        household_features(con, night, carry=False)
        rebuilt = snapshot(con, night)
        before = snapshot(con, night - dt.timedelta(days=1))
    assert carried.equals(rebuilt)
    # the delivery changed the rebuilt feed's features and those across the feeds
    assert not carried["power_arrears_months_max_3m"].equals(before["power_arrears_months_max_3m"])
    across = ["signal_feeds_6m", "months_since_first_signal"]
    assert not carried.select(across).equals(before.select(across))


def test_every_night_of_the_month_carried_in_turn_equals_a_rebuild(world):
    settings, _ = world
    with warehouse(settings) as con:
        deliveries = monthly_deliveries(con)
        # each delivery night, and the nights either side of it
        nights = sorted(
            {d + dt.timedelta(days=k) for d in deliveries for k in (-1, 0, 1)}
            & {MONTH + dt.timedelta(days=k) for k in range(31)}
        )
        carried, rebuilt = {}, {}
        for night in nights:
            household_features(con, night)
            carried[night] = (snapshot(con, night), rebuilt_feeds(con, night))
        for night in nights:
            household_features(con, night, carry=False)
            rebuilt[night] = snapshot(con, night)
    for night in nights:
        assert carried[night][0].equals(rebuilt[night]), night
    assert {n: carried[n][1] for n in deliveries if n > MONTH} == {
        n: [f for f in MONTHLY_FEEDS if f in feeds] for n, feeds in deliveries.items() if n > MONTH
    }


def test_a_feed_forced_stale_tonight_is_rebuilt_alone_with_its_features_unknown(world):
    settings, _ = world
    with warehouse(settings) as con:
        first, second = quiet_nights(list(monthly_deliveries(con)))
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
            assert carried_from(con, second) == first
            assert rebuilt_feeds(con, second) == ["kepco"]
            stale = snapshot(con, second)
            household_features(con, second, carry=False)
            assert stale.equals(snapshot(con, second))
        finally:
            con.execute("delete from monitoring_forced_stale where night = $d", {"d": second})
    assert stale["kepco_stale"].unique().to_list() == [1]
    assert stale["power_arrears_months_max_12m"].null_count() == stale.height
    assert stale["water_arrears_months_max_12m"].null_count() == 0


def test_a_night_whose_parts_were_dropped_is_not_carried_from(world):
    settings, _ = world
    with warehouse(settings) as con:
        first, second = quiet_nights(list(monthly_deliveries(con)))
        household_features(con, first)
        household_features(con, dt.date(2026, 11, 2))  # a later month: October's parts go
        left = con.sql(
            "select count(*) from feature_signal_parts where as_of = $d", params={"d": first}
        )
        assert left.fetchall()[0][0] == 0
        household_features(con, second)
        assert carried_from(con, second) is None
        assert rebuilt_feeds(con, second) == list(MONTHLY_FEEDS)


def test_a_feature_builds_table_of_an_older_layout_is_replaced_not_an_error(world):
    settings, _ = world
    with warehouse(settings) as con:
        first, second = quiet_nights(list(monthly_deliveries(con)))
        con.execute("drop table if exists feature_builds")
        con.execute("create table feature_builds (as_of date, monthly_columns varchar[])")
        household_features(con, first)  # cannot carry from the old table, and replaces it
        assert carried_from(con, first) is None
        household_features(con, second)
        assert carried_from(con, second) == first
