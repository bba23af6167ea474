from datetime import date

from tests.features.tiny import features_at, put


def stored(con):
    return con.sql(
        "select as_of, count(*) from household_features group by 1 order by 1"
    ).fetchall()


def test_rebuilding_a_date_replaces_its_rows_and_keeps_the_others(con):
    features_at(con, date(2026, 6, 15))
    features_at(con, date(2026, 6, 20))
    put(con, "kepco", "2026-06-12", person_key="p1", ym="202605", arrears_months=3)
    h1 = features_at(con, date(2026, 6, 15))["h1"]
    assert stored(con) == [(date(2026, 6, 15), 4), (date(2026, 6, 20), 4)]
    assert h1["power_arrears_months_max_3m"] == 3


def test_a_first_build_creates_the_table(con):
    assert stored_tables(con) == set()
    features_at(con)
    assert stored_tables(con) == {"household_features"}


def stored_tables(con):
    rows = con.sql(
        "select table_name from information_schema.tables "
        "where table_schema = 'main' and table_name = 'household_features'"
    ).fetchall()
    return {r[0] for r in rows}
