"""Job loss, referrals and benefits at AS_OF = 2026-06-15, window edges included."""

from datetime import date

from tests.features.tiny import features_at, put


def test_job_loss_365d_window_is_half_open(con):
    put(
        con,
        "employment",
        "2025-06-16",
        person_key="p2",
        event_date=date(2025, 6, 15),
        event="job_loss",
    )
    put(
        con,
        "employment",
        "2025-06-17",
        person_key="p8",
        event_date=date(2025, 6, 16),
        event="job_loss",
    )
    put(
        con,
        "employment",
        "2026-06-02",
        person_key="p1",
        event_date=date(2026, 6, 1),
        event="benefit_end",
    )
    f = features_at(con)
    assert f["h2"]["job_loss_365d"] == 0  # exactly 365 days before: outside (D - 365, D]
    assert (f["h4"]["job_loss_365d"], f["h4"]["days_since_job_loss"]) == (1, 364)
    assert (f["h1"]["job_loss_365d"], f["h1"]["unemployment_benefit_end_365d"]) == (0, 1)


def test_job_loss_on_the_day_counts_once_delivered(con):
    put(
        con,
        "employment",
        "2026-06-15",
        person_key="p6",
        event_date=date(2026, 6, 15),
        event="job_loss",
    )
    put(
        con,
        "employment",
        "2026-06-16",
        person_key="p1",
        event_date=date(2026, 6, 14),
        event="job_loss",
    )
    f = features_at(con)
    assert (f["h3"]["job_loss_365d"], f["h3"]["job_loss_90d"]) == (1, 1)
    assert f["h1"]["job_loss_365d"] == 0  # delivered the day after


def test_referrals_90d_window_edges(con):
    put(
        con,
        "referrals",
        "2026-03-18",
        household_key="h1",
        referral_date=date(2026, 3, 17),
        source="police",
    )
    put(
        con,
        "referrals",
        "2026-03-19",
        household_key="h2",
        referral_date=date(2026, 3, 18),
        source="neighbour",
    )
    put(
        con,
        "referrals",
        "2026-06-15",
        household_key="h2",
        referral_date=date(2026, 6, 15),
        source="police",
    )
    put(
        con,
        "referrals",
        "2026-06-16",
        household_key="h4",
        referral_date=date(2026, 6, 10),
        source="fire",
    )
    f = features_at(con)
    assert (f["h1"]["referrals_90d"], f["h1"]["referrals_365d"]) == (0, 1)
    assert (
        f["h2"]["referrals_90d"],
        f["h2"]["referral_sources_90d"],
        f["h2"]["days_since_referral"],
    ) == (2, 2, 0)
    assert f["h4"]["referrals_90d"] == 0


def test_benefit_active_from_the_latest_snapshot(con):
    for key, program, end in (("h1", "medical", None), ("h2", "livelihood", None)):
        put(
            con,
            "benefits",
            "2026-05-03",
            household_key=key,
            program=program,
            start_date=date(2025, 1, 1),
            end_date=end,
        )
    for key, program, end in (
        ("h2", "livelihood", None),
        ("h3", "housing", date(2026, 6, 30)),
        ("h4", "emergency", date(2026, 6, 15)),
    ):
        put(
            con,
            "benefits",
            "2026-06-03",
            household_key=key,
            program=program,
            start_date=date(2025, 1, 1),
            end_date=end,
        )
    f = features_at(con)
    assert [f[h]["benefit_active"] for h in ("h1", "h2", "h3", "h4")] == [0, 1, 1, 0]
    # h1's benefit vanished from the June snapshot; h4's ended on the day
    assert [f[h]["benefit_ended_no_new"] for h in ("h1", "h2", "h3", "h4")] == [1, 0, 0, 1]
    assert (f["h4"]["days_since_benefit_end"], f["h1"]["days_since_benefit_end"]) == (0, 43)


def test_benefit_snapshot_delivered_after_as_of_does_not_count(con):
    put(
        con,
        "benefits",
        "2026-06-03",
        household_key="h1",
        program="medical",
        start_date=date(2025, 1, 1),
    )
    put(
        con,
        "benefits",
        "2026-06-16",
        household_key="h2",
        program="medical",
        start_date=date(2025, 1, 1),
    )
    f = features_at(con)
    assert (f["h1"]["benefit_active"], f["h2"]["benefit_active"]) == (1, 0)
