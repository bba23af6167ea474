"""Canonical monthly-feed features at AS_OF = 2026-06-15: the 3-month window is 2026-04..06."""

from datetime import date

from tests.features.tiny import features_at, put


def test_power_arrears_months_max_3m_over_members(con):
    put(con, "kepco", "2026-05-12", person_key="p2", ym="202604", arrears_months=2)
    put(con, "kepco", "2026-06-12", person_key="p3", ym="202605", arrears_months=4)
    put(con, "kepco", "2026-04-10", person_key="p2", ym="202603", arrears_months=9)  # 4 months
    f = features_at(con)
    assert f["h2"]["power_arrears_months_max_3m"] == 4
    assert f["h2"]["power_arrears_months_max_6m"] == 9
    assert f["h1"]["power_arrears_months_max_3m"] == 0


def test_power_cutoff_12m_counts_cutoff_or_limiter_within_12_months(con):
    put(con, "kepco", "2025-08-10", person_key="p1", ym="202507", current_limiter=True)
    put(con, "kepco", "2025-07-10", person_key="p6", ym="202506", cutoff=True)  # 13th month
    put(con, "kepco", "2026-06-10", person_key="p8", ym="202605", cutoff=False, arrears_months=1)
    f = features_at(con)
    assert (f["h1"]["power_cutoff_12m"], f["h1"]["power_cutoff_3m"]) == (1, 0)
    assert f["h3"]["power_cutoff_12m"] == 0
    assert f["h4"]["power_cutoff_12m"] == 0


def test_nhis_arrears_months_max_6m(con):
    put(con, "nhis", "2026-02-10", person_key="p2", ym="202601", premium_arrears_months=3)
    put(con, "nhis", "2026-01-10", person_key="p8", ym="202512", premium_arrears_months=5)
    f = features_at(con)
    assert f["h2"]["nhis_arrears_months_max_6m"] == 3
    assert f["h4"]["nhis_arrears_months_max_6m"] == 0  # December is the 7th month back
    assert f["h4"]["nhis_arrears_months_max_12m"] == 5


def test_telecom_arrears_amount_max_3m(con):
    put(con, "telecom", "2026-05-12", person_key="p3", ym="202604", arrears_amount=300_000)
    put(con, "telecom", "2026-06-12", person_key="p4", ym="202605", arrears_amount=500_000)
    put(con, "telecom", "2026-04-12", person_key="p2", ym="202603", arrears_amount=900_000)
    f = features_at(con)
    assert f["h2"]["telecom_arrears_amount_max_3m"] == 500_000
    assert f["h1"]["telecom_arrears_amount_max_3m"] == 0


def test_housing_arrears_months_max_3m_any_kind(con):
    put(
        con,
        "housing",
        "2026-06-08",
        household_key="h2",
        ym="202605",
        kind="mgmt_fee",
        arrears_months=2,
    )
    put(
        con,
        "housing",
        "2026-05-08",
        household_key="h2",
        ym="202604",
        kind="public_rent",
        arrears_months=3,
    )
    put(
        con,
        "housing",
        "2026-04-08",
        household_key="h1",
        ym="202603",
        kind="public_rent",
        arrears_months=5,
    )
    f = features_at(con)
    assert f["h2"]["housing_arrears_months_max_3m"] == 3
    assert f["h1"]["housing_arrears_months_max_3m"] == 0


def test_signal_feeds_6m_counts_feeds_with_a_signal(con):
    put(con, "kepco", "2026-06-10", person_key="p2", ym="202605", arrears_months=1)
    put(con, "water", "2026-05-10", person_key="p3", ym="202604", arrears_months=0, cutoff=True)
    put(con, "credit", "2026-03-10", person_key="p2", ym="202602", delinquency_days=30)
    put(con, "nps", "2026-06-10", person_key="p2", ym="202605", contribution_arrears_months=0)
    put(con, "gas", "2026-01-10", person_key="p2", ym="202512", arrears_months=4)  # 7th month
    f = features_at(con)
    assert f["h2"]["signal_feeds_6m"] == 3
    assert f["h2"]["months_since_first_signal"] == 6  # the gas arrears of December
    assert (f["h1"]["signal_feeds_6m"], f["h1"]["months_since_first_signal"]) == (0, None)


def test_member_who_moved_counts_where_the_registry_at_as_of_puts_them(con):
    put(con, "kepco", "2026-05-12", person_key="p3", ym="202604", arrears_months=6)
    # p3 leaves h2 for h1 in the snapshot of 2026-06-05
    con.execute(
        "insert into stg_registry select * replace "
        "(case when person_key = 'p3' then 'h1' else household_key end as household_key, "
        "'2026-06-05'::date as delivery_date) from stg_registry where delivery_date = '2026-06-01'"
    )
    after, before = features_at(con), features_at(con, date(2026, 6, 3))
    assert (
        after["h1"]["power_arrears_months_max_3m"],
        after["h2"]["power_arrears_months_max_3m"],
    ) == (6, 0)
    assert (
        before["h1"]["power_arrears_months_max_3m"],
        before["h2"]["power_arrears_months_max_3m"],
    ) == (0, 6)
    assert (after["h1"]["n_members"], after["h2"]["n_members"]) == (2, 2)


def test_late_delivery_does_not_count_before_it_arrives(con):
    put(con, "kepco", "2026-06-20", person_key="p1", ym="202605", arrears_months=5, cutoff=True)
    assert features_at(con)["h1"]["power_arrears_months_max_3m"] == 0
    assert features_at(con, date(2026, 6, 20))["h1"]["power_arrears_months_max_3m"] == 5


def test_only_staged_rows_count_not_superseded_or_quarantined(con):
    # kepco_20260612.csv said 9 months; its _v2 said 2. Staging keeps only the _v2 row; the
    # superseded and the quarantined rows stay in raw_kepco / quarantine, which features never read
    con.execute("create table raw_kepco as select * from stg_kepco limit 0")
    con.execute("create table quarantine (file_id varchar, record varchar)")
    con.execute(
        "insert into raw_kepco (person_key, ym, month, arrears_months, delivery_date) "
        "values ('p1', '202605', '2026-05-01', 9, '2026-06-12')"
    )
    con.execute(
        'insert into quarantine values (\'f1\', \'{"person_key": "p1", "arrears_months": 12}\')'
    )
    put(con, "kepco", "2026-06-12", person_key="p1", ym="202605", arrears_months=2)
    assert features_at(con)["h1"]["power_arrears_months_max_3m"] == 2


def test_arrears_streak_and_rising(con):
    for ym, months in (("202602", 1), ("202603", 2), ("202604", 3), ("202605", 4)):
        put(
            con,
            "nhis",
            f"{ym[:4]}-{int(ym[4:]) + 1:02d}-10",
            person_key="p8",
            ym=ym,
            premium_arrears_months=months,
        )
    put(con, "nhis", "2026-05-10", person_key="p1", ym="202604", premium_arrears_months=2)
    f = features_at(con)
    assert (f["h4"]["nhis_arrears_streak"], f["h4"]["nhis_arrears_rising"]) == (4, 1)
    # h1's arrears stop before the newest month delivered (May): no streak now
    assert (f["h1"]["nhis_arrears_streak"], f["h1"]["nhis_arrears_rising"]) == (0, 1)
    assert (f["h2"]["nhis_arrears_streak"], f["h2"]["nhis_arrears_rising"]) == (0, 0)


def test_power_usage_drop_last_3_months_against_the_6_before(con):
    for m in range(9, 13):
        put(con, "kepco", "2026-06-01", person_key="p1", ym=f"2025{m:02d}", usage_kwh=200.0)
    for m in range(1, 6):
        put(
            con,
            "kepco",
            "2026-06-01",
            person_key="p1",
            ym=f"2026{m:02d}",
            usage_kwh=50.0 if m >= 4 else 200.0,
        )
    f = features_at(con)
    assert f["h1"]["power_usage_drop_pct"] == 75.0  # 50 against 200
    assert f["h2"]["power_usage_drop_pct"] is None  # nothing to compare with


def test_months_since_first_signal_looks_back_12_months_only(con):
    # stationary: the same value whatever the length of the history (issue 17: a 24-month
    # lookback made the feature grow with the history)
    put(con, "water", "2025-08-10", person_key="p8", ym="202507", arrears_months=1)  # 11 back
    put(con, "water", "2024-08-10", person_key="p8", ym="202407", arrears_months=2)  # 23 back
    put(con, "water", "2025-07-10", person_key="p6", ym="202506", arrears_months=2)  # 12 back
    put(con, "water", "2025-11-10", person_key="p1", ym="202510", arrears_months=0)
    f = features_at(con)
    assert f["h4"]["months_since_first_signal"] == 11  # not 23: that one is beyond the window
    assert f["h4"]["water_arrears_months_max_12m"] == 1
    assert (f["h3"]["months_since_first_signal"], f["h1"]["months_since_first_signal"]) == (
        None,
        None,
    )
