"""The stg_ views: the feature layer's columns and types, months, collapsed duplicates."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from sagak.settings import FEEDS
from tests.features.stg_tables import STG_COLUMNS
from tests.ingest.conftest import RRN_A, RRN_B, rows

# stg_nps is not read by the features yet; its columns per FEEDS.md and ARCHITECTURE.md
EXPECTED = STG_COLUMNS | {
    "stg_nps": "person_key varchar, ym varchar, month date, contribution_arrears_months integer, "
    "emergency_loan boolean"
}


def declared(columns: str) -> list[tuple[str, str]]:
    """(name, TYPE) pairs of a STG_COLUMNS entry."""
    pairs = [c.strip().split() for c in columns.split(",")]
    return [(name, type_.upper()) for name, type_ in pairs]


@pytest.mark.parametrize("feed", FEEDS)
def test_view_exists_empty_with_the_feature_columns(feed, ingest, con):
    ingest()
    got = {name: type_ for name, type_, *_ in rows(con, f"describe stg_{feed}")}
    wanted = [*declared(EXPECTED[f"stg_{feed}"]), ("delivery_date", "DATE")]
    assert {name: got.get(name) for name, _ in wanted} == dict(wanted)
    assert rows(con, f"select count(*) from stg_{feed}") == [(0,)]


def test_feature_query_runs_on_the_views(ingest, con):
    from features.build import household_features

    ingest()
    assert household_features(con, dt.date(2026, 6, 30)) == 0


def test_a_view_without_its_raw_table_fails(con):
    from sagak.warehouse import sql_text

    with pytest.raises(duckdb.CatalogException):
        con.execute(f"create view stg_kepco as {sql_text('staging/stg_kepco.sql')}")


def test_month_and_exact_duplicates_collapsed(inbox, ingest, con):
    text = (
        "rrn,ym,arrears_months,arrears_amount,cutoff\n"
        f"{RRN_A},202605,1,1000,N\n"
        f"{RRN_A},202605,1,1000,N\n"
        f"{RRN_B},202605,1,1000,N\n"
    )
    inbox.csv("water/water_20260612.csv", text)
    ledger = ingest()["water/water_20260612.csv"]
    assert (ledger["rows_loaded"], ledger["rows_quarantined"]) == (2, 1)
    assert rows(con, "select line, reasons from quarantine") == [(3, ["duplicate of line 2"])]
    assert rows(con, "select month, count(*) from stg_water group by month") == [
        (dt.date(2026, 5, 1), 2)
    ]
