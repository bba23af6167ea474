"""The forced-stale override read by the feature build (and carried to Dask partitions)."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from features.build import _forced_stale
from models.partition import _export_forced_stale
from monitoring.findings import monitoring_tables

NIGHT = date(2026, 10, 30)


@pytest.fixture
def con():
    connection = duckdb.connect()
    monitoring_tables(connection)
    connection.execute(
        "insert into monitoring_forced_stale values "
        "(DATE '2026-10-29', 'nhis', 'f1', 'nhis: 9% of the usual'), "
        "(DATE '2026-10-30', 'kepco', 'f2', 'kepco: 10% of the usual'), "
        "(DATE '2026-10-30', 'gas', 'f3', 'gas: usage_m3 100% blank')"
    )
    yield connection
    connection.close()


def test_the_build_sees_only_the_nights_forced_feeds(con):
    _forced_stale(con, NIGHT)
    assert con.sql("select feed from fx_forced_stale order by feed").fetchall() == [
        ("gas",),
        ("kepco",),
    ]


def test_a_night_without_forced_feeds_forces_none(con):
    _forced_stale(con, date(2026, 10, 31))
    assert con.sql("select count(*) from fx_forced_stale").fetchall() == [(0,)]


def test_a_warehouse_without_monitoring_forces_none():
    bare = duckdb.connect()
    _forced_stale(bare, NIGHT)
    assert bare.sql("select count(*) from fx_forced_stale").fetchall() == [(0,)]


def test_the_nights_forced_feeds_travel_with_the_partitions(con, tmp_path):
    path = tmp_path / "forced_stale.parquet"
    _export_forced_stale(con, NIGHT, path)
    exported = duckdb.sql(
        "select feed from read_parquet($path) order by feed", params={"path": str(path)}
    )
    assert exported.fetchall() == [("gas",), ("kepco",)]
    _export_forced_stale(duckdb.connect(), NIGHT, tmp_path / "none.parquet")
    assert not (tmp_path / "none.parquet").exists()
