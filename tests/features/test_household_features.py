from datetime import date

import duckdb
import pytest

from features.build import household_features
from tests.features.stg_tables import create_stg_tables

AS_OF = date(2026, 6, 15)


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    create_stg_tables(con)
    # h1: a woman of 78 living alone; h2: a couple with a child; registry delivered 2026-06-01
    con.execute(
        """insert into stg_registry values
        ('p1','h1','head','1948-03-02','F',false,'4817051000',null,false,'2026-06-01'),
        ('p2','h2','head','1980-07-01','M',false,'4817052000',null,false,'2026-06-01'),
        ('p3','h2','spouse','1982-01-01','F',true,'4817052000',null,false,'2026-06-01'),
        ('p4','h2','child','2015-01-01','F',false,'4817052000',null,false,'2026-06-01')"""
    )
    yield con
    con.close()


def features_of(con, household_key, as_of=AS_OF):
    household_features(con, as_of)
    return (
        con.sql(
            "select * from household_features where household_key = $k", params={"k": household_key}
        )
        .pl()
        .row(0, named=True)
    )


def test_composition_as_of_date(con):
    h1, h2 = features_of(con, "h1"), features_of(con, "h2")
    assert (h1["members"], h1["head_age"], h1["living_alone"], h1["older_alone"]) == (
        1,
        78,
        True,
        True,
    )
    assert (h2["members"], h2["head_age"], h2["children"], h2["any_disabled"]) == (3, 45, 1, True)
    assert h2["sigungu_code"] == "48170"


def test_signals_in_window_count(con):
    con.execute(
        """insert into stg_kepco values
        ('p1','202604','2026-04-01',4,120000,true,false,80.0,'2026-05-10'),
        ('p1','202605','2026-05-01',5,150000,true,false,60.0,'2026-06-12')"""
    )
    con.execute(
        "insert into stg_nhis values ('p2','202605','2026-05-01',6,900000,false,0,'2026-06-10')"
    )
    con.execute(
        "insert into stg_referrals values ('h1','2026-06-01','neighbour','연락 두절','2026-06-02')"
    )
    h1, h2 = features_of(con, "h1"), features_of(con, "h2")
    assert (h1["utility_arrears_months"], h1["utility_cutoff_6m"], h1["referrals_90d"]) == (
        5,
        True,
        1,
    )
    assert (h2["nhis_arrears_months"], h2["utility_cutoff_6m"]) == (6, False)


def test_rows_delivered_after_as_of_do_not_count(con):
    # same facts, but delivered the day after the night: invisible at AS_OF
    con.execute(
        "insert into stg_kepco values ('p1','202605','2026-05-01',5,150000,true,false,60.0,'2026-06-16')"
    )
    con.execute("insert into stg_referrals values ('h1','2026-06-01','police','x','2026-06-16')")
    h1 = features_of(con, "h1")
    assert (h1["utility_arrears_months"], h1["utility_cutoff_6m"], h1["referrals_90d"]) == (
        0,
        False,
        0,
    )
    assert features_of(con, "h1", date(2026, 6, 16))["utility_cutoff_6m"] is True


def test_registry_snapshot_latest_at_as_of(con):
    # a later snapshot moves h1 to another team; it must not count before it was delivered
    con.execute(
        "insert into stg_registry values ('p1','h1','head','1948-03-02','F',false,'4817053000',null,false,'2026-07-01')"
    )
    assert features_of(con, "h1")["emd_code"] == "4817051000"
    assert features_of(con, "h1", date(2026, 7, 2))["emd_code"] == "4817053000"


def test_active_benefit_from_latest_snapshot(con):
    con.execute(
        "insert into stg_benefits values ('h2','livelihood','2025-01-01',null,'2026-05-03')"
    )
    con.execute("insert into stg_benefits values ('h1','medical','2025-01-01',null,'2026-05-03')")
    # the June snapshot no longer lists h1's benefit: it ended
    con.execute(
        "insert into stg_benefits values ('h2','livelihood','2025-01-01',null,'2026-06-03')"
    )
    assert features_of(con, "h2")["active_benefit"] is True
    assert features_of(con, "h1")["active_benefit"] is False
